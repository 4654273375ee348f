/**
 * Staff accounts: creation with a one-time password, sign-in, password change and reset, role and access changes,
 * and the first administrator created at first start. Every change is written to the audit trail in the same
 * transaction. Errors carry a Vietnamese message for staff.
 */
import type { Db } from '../../db/client.js';
import { recordAudit } from './audit.repo.js';
import { decoy, generateOneTimePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { isCommuneRole, type Role } from './roles.js';
import { countActiveAdministrators, countUsers, findUserById, findUserByName, type StaffUserRow } from './users.repo.js';

/** A refused staff action; `message` is Vietnamese and says what to fix. */
export class StaffError extends Error {
  constructor(
    message: string,
    /** The form fields to fix and what to say beside each (field name → Vietnamese message), when known. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'StaffError';
  }
}

const usernamePattern = /^[a-z0-9._-]{3,32}$/;

export function normaliseUsername(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase();
}

export interface CreatedUser {
  user: StaffUserRow;
  /** Shown once; the user must change it at first sign-in. */
  oneTimePassword: string;
}

/**
 * Creates a user of the client's commune with a one-time password. `province: true` (the command line only) creates
 * a province-level user instead: role province, no commune; the audit line goes to the client's commune.
 */
export async function createUser(
  db: Db,
  input: { username: string; role: string; displayName?: string | null },
  who: string,
  options: { province?: boolean } = {},
): Promise<CreatedUser> {
  const username = normaliseUsername(input.username);
  if (!usernamePattern.test(username)) {
    const message = 'Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang.';
    throw new StaffError(message, { username: message });
  }
  const province = options.province === true;
  if (province ? input.role !== 'province' : !isCommuneRole(input.role)) {
    const message = 'Vai trò không hợp lệ: chọn Quản trị viên, Biên tập viên hoặc Người xem.';
    throw new StaffError(message, { role: message });
  }
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const displayName = input.displayName?.normalize('NFC').trim() || null;
  try {
    const user = await db.$transaction(async (tx) => {
      const u = await tx.staffUser.create({ data: { username, displayName, passwordHash, role: input.role, mustChangePassword: true, ...(province ? { communeId: null } : {}) } });
      await recordAudit(tx, { who, action: 'user.create', entity: 'user', entityId: u.id, detail: { username, role: input.role } });
      return u;
    });
    return { user, oneTimePassword };
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') {
      const message = `Tên đăng nhập “${username}” đã có người dùng.`;
      throw new StaffError(message, { username: message });
    }
    throw e;
  }
}

export type SignInResult = { ok: true; user: StaffUserRow } | { ok: false; reason: 'invalid' | 'disabled' };

/** Checks a user name and password. Unknown names cost the same time as known ones. */
export async function signIn(db: Db, rawUsername: string, password: string, at: Date = new Date()): Promise<SignInResult> {
  const user = await findUserByName(db, normaliseUsername(rawUsername));
  if (!user) {
    await verifyPassword(await decoy(), password);
    return { ok: false, reason: 'invalid' };
  }
  if (!(await verifyPassword(user.passwordHash, password))) return { ok: false, reason: 'invalid' };
  if (user.disabled) return { ok: false, reason: 'disabled' };
  await db.staffUser.update({ where: { id: user.id }, data: { lastLoginAt: at } });
  return { ok: true, user };
}

/**
 * The user's own change: needs the current password; clears mustChangePassword. `db` must see the user (the
 * unscoped client for a province user); the audit line goes to `auditCommuneId`, else to `db`'s commune.
 */
export async function changeOwnPassword(db: Db, userId: number, current: string, next: string, confirm: string, auditCommuneId?: number): Promise<void> {
  const user = await findUserById(db, userId);
  if (!user) throw new StaffError('Tài khoản không còn tồn tại.');
  if (!(await verifyPassword(user.passwordHash, current))) throw new StaffError('Mật khẩu hiện tại không đúng.', { current: 'Mật khẩu hiện tại không đúng.' });
  if (next !== confirm) throw new StaffError('Hai lần nhập mật khẩu mới không khớp nhau.', { confirm: 'Hai lần nhập mật khẩu mới không khớp nhau.' });
  if (next === current) throw new StaffError('Mật khẩu mới phải khác mật khẩu hiện tại.', { next: 'Mật khẩu mới phải khác mật khẩu hiện tại.' });
  const problem = passwordProblem(next, user.username);
  if (problem) throw new StaffError(problem, { next: problem });
  const passwordHash = await hashPassword(next);
  await db.$transaction(async (tx) => {
    await tx.staffUser.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: false } });
    await recordAudit(tx, { who: user.username, action: 'user.change_password', entity: 'user', entityId: userId, communeId: auditCommuneId });
  });
}

/** An administrator's reset: a new one-time password, and every session of the user ends. */
export async function resetPassword(db: Db, username: string, who: string): Promise<string> {
  const user = await findUserByName(db, normaliseUsername(username));
  if (!user) throw new StaffError(`Không có người dùng “${username}”.`);
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  await db.$transaction(async (tx) => {
    await tx.staffUser.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: true } });
    await tx.staffSession.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, { who, action: 'user.reset_password', entity: 'user', entityId: user.id, detail: { username: user.username } });
  });
  return oneTimePassword;
}

/** Changes role and access. Refuses to leave the service without an active administrator. */
export async function updateUserAccess(db: Db, userId: number, change: { role: string; disabled: boolean }, who: string): Promise<void> {
  if (!isCommuneRole(change.role)) throw new StaffError('Vai trò không hợp lệ.');
  await db.$transaction(async (tx) => {
    const user = await findUserById(tx, userId);
    if (!user) throw new StaffError('Không tìm thấy người dùng.');
    await tx.staffUser.update({ where: { id: userId }, data: { role: change.role, disabled: change.disabled } });
    if ((await countActiveAdministrators(tx)) === 0) throw new StaffError('Phải còn ít nhất một quản trị viên đang hoạt động.');
    if (change.disabled) await tx.staffSession.deleteMany({ where: { userId } });
    await recordAudit(tx, {
      who,
      action: 'user.update_access',
      entity: 'user',
      entityId: userId,
      detail: { username: user.username, from: { role: user.role, disabled: user.disabled }, to: change },
    });
  });
}

/**
 * At first start (no users at all) creates the administrator `username` with a one-time password, returned so the
 * caller prints it once. Returns null when users exist (or another instance created one first).
 */
export async function ensureFirstAdministrator(db: Db, username: string): Promise<CreatedUser | null> {
  if ((await countUsers(db)) > 0) return null;
  try {
    return await createUser(db, { username, role: 'administrator' satisfies Role }, 'system');
  } catch (e) {
    if (e instanceof StaffError) return null;
    throw e;
  }
}
