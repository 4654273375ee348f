import type { Writable } from 'node:stream';

/** Writes a chunk and waits for the stream to take it (back-pressure), so exports stay bounded in memory. */
export function writeAll(out: Writable, chunk: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = out.write(chunk, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else out.once('drain', resolve);
  });
}
