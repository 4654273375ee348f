/**
 * Web chat session ids: the browser's only credential. Random (18 bytes) and signed with a key derived from the
 * service secret, so the server accepts only ids it issued and needs no session table. Whoever holds the id reads
 * that conversation, so it lives in the browser's localStorage and never in a URL.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const sessionPattern = /^[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22}$/;

export class SessionIds {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('cchc-bot webchat session v1').digest();
  }

  /** A new random, signed session id. */
  issue(): string {
    const random = randomBytes(18).toString('base64url');
    return `${random}.${this.sign(random)}`;
  }

  /** True when `session` is well formed and was signed by this service. */
  verify(session: string): boolean {
    if (!sessionPattern.test(session)) return false;
    const [random, signature] = session.split('.') as [string, string];
    const expected = Buffer.from(this.sign(random));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(random: string): string {
    return createHmac('sha256', this.key).update(random).digest().subarray(0, 16).toString('base64url');
  }
}

/** A short stable tag of a session for message ids and logs, so the id itself (a credential) is not copied around. */
export function sessionTag(session: string): string {
  return createHash('sha256').update(session).digest('base64url').slice(0, 16);
}
