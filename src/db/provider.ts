/**
 * Which database a DATABASE_URL names, without loading anything: the service's client (`client.ts`) needs only
 * this, while `engine.ts` (the schema engine's bindings) is for migrations.
 */
export type Provider = 'sqlite' | 'postgresql';

export function providerOf(url: string): Provider {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with file: or postgres(ql)://, got "${url.slice(0, 20)}…"`);
}

export function sqliteFilePath(url: string): string {
  return url.replace(/^file:/, '');
}
