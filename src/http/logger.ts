import { pino } from 'pino';
import type { Config } from '../config.js';
import { errorKind } from '../domain/logger.js';

/**
 * Keys that would carry a raw platform id (a citizen's address). Log lines name citizens by `citizenRef`, the
 * pseudonym; these are censored should one slip into a log object.
 */
export const redactedKeys = ['address', 'psid', 'chatId', 'senderId', 'userId', 'recipientId', 'platformMessageId'];

/** Errors are logged as their kind and stack frames, never their message's data (Prisma repeats the arguments). */
function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return typeof value === 'string' ? errorKind(value) : value;
  const frames = (value.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 8).join('\n');
  return { kind: errorKind(value), ...(frames ? { stack: frames } : {}) };
}

/** pino: structured JSON logs, fast, and the de-facto standard for Node services; satisfies the domain Logger port. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, cause: serializeError, error: serializeError },
    redact: { paths: [...redactedKeys, ...redactedKeys.map((k) => `*.${k}`)], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type AppLogger = ReturnType<typeof createLogger>;
