/** Staff user rows. */
import type { Db, DbTx } from '../../db/client.js';

export interface StaffUserRow {
  id: number;
  /** Null for a province-level user. */
  communeId: number | null;
  username: string;
  displayName: string | null;
  title: string | null;
  passwordHash: string;
  role: string;
  disabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export function findUserByName(db: DbTx, username: string): Promise<StaffUserRow | null> {
  return db.staffUser.findUnique({ where: { username } });
}

export function findUserById(db: DbTx, id: number): Promise<StaffUserRow | null> {
  return db.staffUser.findUnique({ where: { id } });
}

export function listUsers(db: DbTx): Promise<StaffUserRow[]> {
  return db.staffUser.findMany({ orderBy: { username: 'asc' } });
}

export function countUsers(db: Db): Promise<number> {
  return db.staffUser.count();
}

export async function countActiveAdministrators(db: DbTx): Promise<number> {
  return db.staffUser.count({ where: { role: 'administrator', disabled: false } });
}
