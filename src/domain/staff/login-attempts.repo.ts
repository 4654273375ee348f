/** Sign-in attempts in the database: the counts the login limiter decides on. */
import type { Db } from '../../db/client.js';

/** Outcomes that count against a limit: a try being checked right now, and a wrong password. */
const counted = ['pending', 'failed'];

/** Writes an attempt as pending (before the password is checked); returns its id. */
export async function recordLoginAttempt(db: Db, username: string, address: string, at: Date): Promise<number> {
  const row = await db.loginAttempt.create({ data: { username, address, at }, select: { id: true } });
  return row.id;
}

/** Counted attempts since `since` of a user name from an address (or of every name when `username` is absent). */
export async function countOpenAttempts(db: Db, address: string, since: Date, username?: string): Promise<{ count: number; oldest: Date | null }> {
  const r = await db.loginAttempt.aggregate({
    where: { address, ...(username !== undefined ? { username } : {}), at: { gt: since }, outcome: { in: counted } },
    _count: { _all: true },
    _min: { at: true },
  });
  return { count: r._count._all, oldest: r._min.at };
}

/** Wrong passwords for a user name since `since`, from any address (drives the slowing delay, never a lockout). */
export async function countRecentFailures(db: Db, username: string, since: Date): Promise<number> {
  return db.loginAttempt.count({ where: { username, at: { gt: since }, outcome: 'failed' } });
}

export async function settleLoginAttempt(db: Db, id: number, outcome: 'failed' | 'succeeded' | 'refused'): Promise<void> {
  await db.loginAttempt.updateMany({ where: { id, outcome: 'pending' }, data: { outcome } });
}

/** Forgives a user name's counted attempts (all addresses, or one): after a success, or by `npm run users -- unlock`. */
export async function forgiveLoginAttempts(db: Db, username: string, address?: string): Promise<number> {
  const r = await db.loginAttempt.updateMany({
    where: { username, ...(address !== undefined ? { address } : {}), outcome: { in: counted } },
    data: { outcome: 'cleared' },
  });
  return r.count;
}

export async function pruneLoginAttempts(db: Db, before: Date): Promise<void> {
  await db.loginAttempt.deleteMany({ where: { at: { lt: before } } });
}
