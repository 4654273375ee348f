// Only used by `prisma generate` (see package.json db:generate); migrations run through src/db/migrate.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema',
});
