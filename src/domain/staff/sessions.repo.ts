/**
 * Signed-in browser sessions. The cookie carries a random 256-bit token; the table keeps only its SHA-256, plus the
 * CSRF synchronizer token that every form of the session must echo.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { StaffUserRow } from './users.repo.js';

export const sessionLifetimeMs = 12 * 3_600_000;

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of two tokens. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface OpenSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function openSession(db: Db, userId: number, now: Date = new Date()): Promise<OpenSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  await db.staffSession.create({ data: { id: tokenDigest(token), userId, csrfToken, expiresAt } });
  // Housekeeping on sign-in keeps the table small without a separate job.
  await db.staffSession.deleteMany({ where: { expiresAt: { lt: now } } });
  return { token, csrfToken, expiresAt };
}

export interface ActiveSession {
  id: string;
  csrfToken: string;
  user: StaffUserRow;
}

/** The live session for a cookie token, or null when unknown, expired or the user is disabled. */
export async function findSession(db: Db, token: string, now: Date = new Date()): Promise<ActiveSession | null> {
  const row = await db.staffSession.findUnique({ where: { id: tokenDigest(token) }, include: { user: true } });
  if (!row || row.expiresAt <= now || row.user.disabled) return null;
  return { id: row.id, csrfToken: row.csrfToken, user: row.user };
}

export async function closeSession(db: Db, token: string): Promise<void> {
  await db.staffSession.deleteMany({ where: { id: tokenDigest(token) } });
}
