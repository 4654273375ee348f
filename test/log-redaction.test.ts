/**
 * Logs name what went wrong and whom by pseudonym, never the raw platform id: a real database validation error
 * (Prisma repeats the query's arguments in its message) is logged as its kind and model through the service's own
 * logger, and keys that would carry an address are censored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorKind } from '../src/domain/logger.js';
import { createLogger } from '../src/http/logger.js';
import { createTestDb, type TestDb } from './support/db.js';

const rawId = '6543210987654321';
let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.destroy();
});

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger({ LOG_LEVEL: 'info' }, { write: (l: string) => void lines.push(l) }) };
}

describe('log redaction', () => {
  it('logs a database validation error carrying a raw id as its kind and model, without the id', async () => {
    const data = { communeId: db.tenant.communeId, channel: 'messenger', platformMessageId: `m_${rawId}`, conversationId: 1, citizenRef: 'ref', kind: 'text', text: rawId, message: { address: rawId }, receivedAt: new Date(Number.NaN) };
    const error = await db.db.inboundMessage.create({ data }).then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(error).not.toBeNull();
    // What used to reach the log: Prisma's message repeats the arguments.
    expect(error!.message).toContain(rawId);

    const { lines, log } = capture();
    log.error({ err: error, citizenRef: 'c-1a2b' }, 'storing an inbound message failed');
    log.error({ cause: error }, 'inbound processing crashed');
    log.error({ cause: errorKind(error) }, 'dispatch failed');
    const out = lines.join('\n');
    expect(out).not.toContain(rawId);
    expect(out).toContain('PrismaClientValidationError');
    expect(out).toContain('inboundMessage.create()');
    expect(out).toContain('c-1a2b');
  });

  it('censors keys that would carry a raw address', () => {
    const { lines, log } = capture();
    log.warn({ address: rawId, nested: { psid: rawId }, channel: 'messenger' }, 'something about a citizen');
    expect(lines.join('\n')).not.toContain(rawId);
    expect(JSON.parse(lines[0]!)).toMatchObject({ address: '[redacted]', nested: { psid: '[redacted]' }, channel: 'messenger' });
  });

  it('keeps the code and model of known database errors', () => {
    const known = Object.assign(new Error(`Unique constraint failed ${rawId}`), { name: 'PrismaClientKnownRequestError', code: 'P2002', clientVersion: '7', meta: { modelName: 'InboundMessage', target: ['channel', 'platformMessageId'] } });
    expect(errorKind(known)).toBe('PrismaClientKnownRequestError P2002 on InboundMessage (channel, platformMessageId)');
  });
});
