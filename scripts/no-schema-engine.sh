#!/bin/sh
# Stands in for Prisma's native schema-engine, which cannot be downloaded here.
# `prisma generate` only asks for its version; everything else must go through src/db/migrate.ts.
if [ "$1" = "--version" ]; then echo "schema-engine-cli 0.0.0 (stub)"; exit 0; fi
echo "schema-engine stub: use 'npm run db:migration' / 'npm run db:deploy' (src/db/migrate.ts)" >&2
exit 1
