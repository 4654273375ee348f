/**
 * Which commune a process or command works for. A single-commune installation needs no choice: its only commune
 * is used (and created at the first start, named after content/commune.json). With several communes, a command
 * must be told which one (`--commune SLUG` or COMMUNE).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client.js';
import type { Tenant } from '../db/tenant.js';
import { createCommune, findCommuneBySlug, listCommunes, slugFromName, toTenant } from '../domain/commune/communes.repo.js';

/** A commune could not be chosen; the message is Vietnamese then English, for staff and deployers alike. */
export class CommuneChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommuneChoiceError';
  }
}

/** Name of the first commune of a new installation: the content profile's name, else a placeholder. */
function firstCommuneName(contentDir: string): string {
  try {
    const profile = JSON.parse(fs.readFileSync(path.join(contentDir, 'commune.json'), 'utf8')) as { name?: unknown };
    if (typeof profile.name === 'string' && profile.name.trim()) return profile.name.normalize('NFC').trim();
  } catch {
    // No or unreadable profile file: the seed reports a broken file; the commune still gets a name.
  }
  return 'Xã (chưa đặt tên)';
}

/**
 * Creates the first commune of an empty installation; returns the existing ones untouched. Two processes starting on
 * a new database race here: the loser's insert of the catalog or of the commune hits a unique key (the winner's row
 * may not be committed yet when the loser's catalog insert fails), so it looks again until the commune is there.
 */
export async function ensureFirstCommune(root: Db, contentDir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if ((await root.commune.count()) > 0) return;
    const name = firstCommuneName(contentDir);
    try {
      await createCommune(root, { slug: slugFromName(name), name });
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'P2002' || attempt >= 20) throw e;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** The commune for `slug`, or the only one when no slug is given. */
export async function resolveCommune(root: Db, slug: string | undefined): Promise<Tenant> {
  if (slug) {
    const row = await findCommuneBySlug(root, slug);
    if (!row) {
      const known = (await listCommunes(root)).map((c) => c.slug).join(', ') || '—';
      throw new CommuneChoiceError(`Không có xã "${slug}" (các xã: ${known}). / No commune "${slug}" (communes: ${known}).`);
    }
    return toTenant(row);
  }
  const all = await listCommunes(root);
  if (all.length === 1) return toTenant(all[0]!);
  if (all.length === 0) throw new CommuneChoiceError('Chưa có xã nào: hãy thêm bằng "npm run communes -- add". / No commune yet: add one with "npm run communes -- add".');
  const known = all.map((c) => c.slug).join(', ');
  throw new CommuneChoiceError(
    `Cài đặt này có ${all.length} xã (${known}): hãy chọn một xã bằng --commune SLUG (hoặc biến COMMUNE). / ` +
      `This installation has ${all.length} communes (${known}): choose one with --commune SLUG (or COMMUNE).`,
  );
}
