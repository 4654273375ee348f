// Run by `npm run db:generate` after `prisma generate`. The generated clients load Prisma's query compiler from an
// ES module holding it as one 2.2 MB base64 string: an imported ES module is never unloaded, so its source and the
// string (2 × 2.1 MB) stayed in every service's heap for its lifetime after the WebAssembly was compiled from them.
// The patch loads the CommonJS twin of the same file and drops it from require's cache once decoded, so both can be
// collected. Same bytes, same compiler. A generated file without the expected lines is left as it is, with a warning.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pattern = /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/query_compiler_[a-z]+_bg\.[a-z]+\.wasm-base64)\.mjs"\)\n/;
for (const provider of ['sqlite', 'pg']) {
  const file = path.join(root, 'src/generated', provider, 'internal/class.ts');
  if (!fs.existsSync(file)) continue;
  const source = fs.readFileSync(file, 'utf8');
  if (source.includes('patched by scripts/patch-generated.mjs')) continue;
  const m = pattern.exec(source);
  if (!m) {
    console.warn(`patch-generated: ${path.relative(root, file)} does not load the query compiler as expected; left unpatched (the service keeps ~4 MB more heap)`);
    continue;
  }
  const replacement =
    `// patched by scripts/patch-generated.mjs: loaded through require and evicted, so the base64 can be collected\n` +
    `    const { createRequire } = await import('node:module')\n` +
    `    const require = createRequire(import.meta.url)\n` +
    `    const id = require.resolve("${m[1]}.js")\n` +
    `    const { wasm } = require(id) as { wasm: string }\n` +
    `    delete require.cache[id]\n`;
  fs.writeFileSync(file, source.replace(pattern, replacement));
}
