/**
 * Prisma's schema engine as WebAssembly, driven through our driver adapters.
 *
 * Why: the Prisma CLI's `migrate` needs a native schema-engine binary that it downloads from a CDN this project's
 * machines cannot reach. The same engine ships on npm as `@prisma/schema-engine-wasm`; Node 20 cannot import its
 * `.wasm` as an ES module, so we instantiate it by hand. Its API is internal to Prisma and may change between
 * versions, which is why the package is pinned exactly in package.json.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';

export type SchemaEngine = bindings.SchemaEngine;
import { providerOf, sqliteFilePath, type Provider } from './provider.js';

export { providerOf, sqliteFilePath, type Provider } from './provider.js';

let initialised = false;

function initialiseWasm(): void {
  if (initialised) return;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
  const module = new WebAssembly.Module(fs.readFileSync(path.join(dir, 'schema_engine_bg.wasm')));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  initialised = true;
}

export interface EngineHandle {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/** Opens a schema engine connected to `url`; `schemaFiles` are [path, content] pairs of the Prisma schema. */
export async function openEngine(url: string, schemaFiles: [string, string][]): Promise<EngineHandle> {
  initialiseWasm();
  const provider = providerOf(url);
  let closeDriver: () => Promise<void> = async () => {};
  let factory;
  if (provider === 'sqlite') {
    const file = sqliteFilePath(url);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    factory = new PrismaBetterSqlite3({ url });
  } else {
    const [pg, { PrismaPg }] = await Promise.all([import('pg'), import('@prisma/adapter-pg')]);
    const pool = new pg.default.Pool({ connectionString: url, max: 2 });
    factory = new PrismaPg(pool);
    closeDriver = () => pool.end();
  }
  // The engine never disposes the connections it opens; an open SQLite connection would keep the file locked.
  const opened: { dispose(): Promise<void> }[] = [];
  const tracked = new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop === 'connect' || prop === 'connectToShadowDb') {
        return async () => {
          const conn = await (target[prop] as () => Promise<{ dispose(): Promise<void> }>).call(target);
          opened.push(conn);
          return conn;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const bound = bindMigrationAwareSqlAdapterFactory(tracked);
  const engine = await bindings.SchemaEngine.new({ datamodels: schemaFiles }, () => {}, bound);
  return {
    engine,
    async close() {
      engine.free();
      for (const conn of opened) await conn.dispose().catch(() => {});
      await closeDriver();
    },
  };
}
