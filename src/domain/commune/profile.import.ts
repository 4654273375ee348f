/** The commune profile from a JSON file (content/commune.json or an upload), validated, and back to JSON. */
import type { DbTx } from '../../db/client.js';
import type { CommuneProfile } from '../procedures/procedure.js';
import { contentTypes, type ExportFile, type ImportIssue, type ImportResult } from '../tabular/format.js';
import { normalizeText } from '../tabular/text.js';
import { getCommuneProfile, saveCommuneProfile } from './profile.repo.js';
import { communeProfileLabels, communeProfileSchema } from './profile.schema.js';

export type ProfileParse = { ok: true; profile: CommuneProfile } | { ok: false; errors: ImportIssue[] };

/** Parses and validates a profile JSON file; empty strings count as "not given". */
export function parseCommuneProfile(bytes: Uint8Array): ProfileParse {
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''));
  } catch (e) {
    const why = e instanceof SyntaxError ? e.message : 'tệp không phải văn bản UTF-8';
    return { ok: false, errors: [{ row: null, field: null, message: `Tệp JSON không đọc được (${why}).` }] };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, errors: [{ row: null, field: null, message: 'Tệp thông tin xã phải là một đối tượng { … }.' }] };
  }
  const cleaned = Object.fromEntries(
    Object.entries(data as Record<string, unknown>).map(([k, v]) => {
      if (typeof v !== 'string') return [k, v];
      const t = normalizeText(v);
      return [k, t === '' && k !== 'name' && k !== 'address' && k !== 'workingHours' ? null : t];
    }),
  );
  const parsed = communeProfileSchema.safeParse(cleaned);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const key = issue.path[0] as keyof typeof communeProfileLabels | undefined;
        const label = key ? communeProfileLabels[key] : null;
        return { row: null, field: label, message: label ? `Trường «${label}» (${String(key)}): ${issue.message}` : issue.message };
      }),
    };
  }
  return { ok: true, profile: parsed.data };
}

/** Replaces the stored profile with a valid file; a bad file changes nothing. `dryRun` only validates. */
export async function importCommuneProfile(db: DbTx, bytes: Uint8Array, options: { dryRun?: boolean } = {}): Promise<ImportResult> {
  const parsed = parseCommuneProfile(bytes);
  if (!parsed.ok) return parsed;
  const existed = (await getCommuneProfile(db)) !== null;
  const dryRun = options.dryRun ?? false;
  if (!dryRun) await saveCommuneProfile(db, parsed.profile);
  return { ok: true, count: 1, created: existed ? 0 : 1, updated: existed ? 1 : 0, dryRun, ignoredColumns: [] };
}

/** The stored profile as JSON (same shape as content/commune.json); null when there is none. */
export async function exportCommuneProfile(db: DbTx): Promise<ExportFile | null> {
  const profile = await getCommuneProfile(db);
  if (!profile) return null;
  return { body: Buffer.from(`${JSON.stringify(profile, null, 2)}\n`, 'utf8'), contentType: contentTypes.json, fileName: 'thong-tin-xa.json' };
}
