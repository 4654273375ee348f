/** The logging port the domain writes to (pino satisfies it). Log lines are English; objects carry the context. */
export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * What went wrong, for a log line, without the data it was about: a database error becomes its kind, code and
 * model (Prisma's messages repeat the query's arguments, raw platform ids included); any other error its name and
 * the first line of its message, cut short.
 *
 * @example errorKind(e) // 'PrismaClientKnownRequestError P2002 on InboundMessage (channel, platformMessageId)'
 */
export function errorKind(e: unknown): string {
  if (!(e instanceof Error)) return typeof e === 'string' ? firstLine(e) : String(e);
  const db = e as Error & { code?: unknown; meta?: { modelName?: unknown; target?: unknown; driverAdapterError?: { cause?: { kind?: unknown } } }; clientVersion?: unknown };
  if (e.name.startsWith('PrismaClient') || db.clientVersion !== undefined) {
    const code = typeof db.code === 'string' ? ` ${db.code}` : '';
    const model = typeof db.meta?.modelName === 'string' ? ` on ${db.meta.modelName}` : prismaCall(e.message);
    const target = Array.isArray(db.meta?.target) ? ` (${db.meta.target.join(', ')})` : '';
    const adapterKind = db.meta?.driverAdapterError?.cause?.kind;
    return `${e.name}${code}${model}${target}${typeof adapterKind === 'string' ? ` [${adapterKind}]` : ''}`;
  }
  return `${e.name}: ${firstLine(e.message)}`;
}

/** `prisma.inboundMessage.create()` out of Prisma's "Invalid `…` invocation" message (no arguments). */
function prismaCall(message: string): string {
  // The call is quoted as written on its line: `tx.inboundMessage.create()`, or only `.create()` when the chain
  // was broken across lines.
  const m = /Invalid `(?:[^`]*?(\w+))?\.(\w+)\(\)` invocation/.exec(message);
  return m ? ` in ${m[1] ? `${m[1]}.` : '.'}${m[2]}()` : '';
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
