// Copies the non-TypeScript files the app serves (src/**/assets, …) next to the compiled code in dist/, so
// `node dist/main.js` finds them where `npm start` does. Generated Prisma clients are compiled, not copied.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
let copied = 0;
for (const entry of fs.readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath, entry.name);
  const relative = path.relative(src, from);
  if (relative.startsWith(`generated${path.sep}`)) continue;
  fs.mkdirSync(path.dirname(path.join(dist, relative)), { recursive: true });
  fs.copyFileSync(from, path.join(dist, relative));
  copied++;
}
console.log(`build: copied ${copied} asset files to dist/`);
