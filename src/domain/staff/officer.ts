/** How a staff member is named to citizens: «Cán bộ Nguyễn Thị A – Văn phòng UBND xã». */
import type { Db } from '../../db/client.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

export const maxOfficerTitleLength = 100;

/** The signature a staff reply carries; the sign-in name only when the account has no full name. */
export function officerSignature(user: { username: string; displayName: string | null; title?: string | null }): string {
  const name = user.displayName?.trim() || user.username;
  const title = user.title?.trim();
  return title ? `Cán bộ ${name} – ${title}` : `Cán bộ ${name}`;
}

/** Saves the own full name and title shown to citizens; both trimmed NFC, the name required. */
export async function updateOfficerProfile(db: Db, userId: number, input: { displayName: string; title: string }, who: string): Promise<void> {
  const displayName = input.displayName.normalize('NFC').trim();
  const title = input.title.normalize('NFC').trim() || null;
  if (displayName === '') throw new StaffError('Vui lòng nhập họ và tên: người dân sẽ thấy tên này khi bạn trả lời.', { displayName: 'Vui lòng nhập họ và tên: người dân sẽ thấy tên này khi bạn trả lời.' });
  if (displayName.length > 100) throw new StaffError('Họ và tên dài quá 100 ký tự.', { displayName: 'Họ và tên dài quá 100 ký tự.' });
  if (title && title.length > maxOfficerTitleLength) {
    const message = `Chức danh, đơn vị dài quá ${maxOfficerTitleLength} ký tự.`;
    throw new StaffError(message, { title: message });
  }
  await db.$transaction(async (tx) => {
    await tx.staffUser.update({ where: { id: userId }, data: { displayName, title } });
    await recordAudit(tx, { who, action: 'user.profile', entity: 'user', entityId: userId, detail: { displayName, title } });
  });
}
