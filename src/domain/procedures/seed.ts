/**
 * Loading the content library (content/procedures.json, hotlines.json, commune.json) into the database: at start
 * into empty tables, or on request as an explicit reload. The files pass the same validation as a staff import.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/client.js';
import { parseCommuneProfile } from '../commune/profile.import.js';
import { getCommuneProfile, saveCommuneProfile } from '../commune/profile.repo.js';
import { countHotlines, upsertHotlinesIn } from '../hotlines/hotline.repo.js';
import { parseHotlineFile } from '../hotlines/import.js';
import type { HotlineRow } from '../hotlines/hotline.schema.js';
import type { ImportIssue } from '../tabular/format.js';
import { bulkTransactionOptions, countProcedures } from './catalog.repo.js';
import { applyProcedureRows, parseProcedureFile } from './import.js';
import type { CommuneProfile } from './procedure.js';
import type { ProcedureRow } from './procedure.schema.js';

export const contentFiles = { procedures: 'procedures.json', hotlines: 'hotlines.json', commune: 'commune.json' } as const;

/** A content file that does not pass validation: a deployment mistake, reported with every problem. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ImportIssue[],
  ) {
    super(`content file ${file} is invalid: ${issues.map((i) => i.message).join(' | ')}`);
    this.name = 'ContentError';
  }
}

interface Content {
  procedures: ProcedureRow[] | null;
  hotlines: HotlineRow[] | null;
  profile: CommuneProfile | null;
}

async function readOptional(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Reads and validates the content files; a missing file is null, an invalid one throws {@link ContentError}. */
export async function readContent(contentDir: string): Promise<Content> {
  const file = (name: string) => path.join(contentDir, name);
  const [proceduresBytes, hotlinesBytes, communeBytes] = await Promise.all([
    readOptional(file(contentFiles.procedures)),
    readOptional(file(contentFiles.hotlines)),
    readOptional(file(contentFiles.commune)),
  ]);
  const content: Content = { procedures: null, hotlines: null, profile: null };
  if (proceduresBytes) {
    const parsed = await parseProcedureFile(proceduresBytes, 'json');
    if (!parsed.ok) throw new ContentError(file(contentFiles.procedures), parsed.errors);
    content.procedures = parsed.rows;
  }
  if (hotlinesBytes) {
    const parsed = await parseHotlineFile(hotlinesBytes, 'json');
    if (!parsed.ok) throw new ContentError(file(contentFiles.hotlines), parsed.errors);
    content.hotlines = parsed.rows;
  }
  if (communeBytes) {
    const parsed = parseCommuneProfile(communeBytes);
    if (!parsed.ok) throw new ContentError(file(contentFiles.commune), parsed.errors);
    content.profile = parsed.profile;
  }
  return content;
}

export interface SeedCounts {
  procedures: number;
  hotlines: number;
  communeProfile: number;
}

/**
 * Fills each empty catalog table (procedures, hotlines, commune profile) from content/, in one transaction, and
 * returns how many rows each got. Tables that already hold data are left alone, so staff edits survive restarts.
 */
export async function seedCatalogIfEmpty(db: Db, contentDir: string): Promise<SeedCounts> {
  const content = await readContent(contentDir);
  return db.$transaction(async (tx) => {
    const counts: SeedCounts = { procedures: 0, hotlines: 0, communeProfile: 0 };
    if (content.procedures && (await countProcedures(tx)) === 0) {
      counts.procedures = (await applyProcedureRows(tx, content.procedures)).created;
    }
    if (content.hotlines && (await countHotlines(tx)) === 0) {
      counts.hotlines = (await upsertHotlinesIn(tx, content.hotlines)).created;
    }
    if (content.profile && (await getCommuneProfile(tx)) === null) {
      await saveCommuneProfile(tx, content.profile);
      counts.communeProfile = 1;
    }
    return counts;
  }, bulkTransactionOptions);
}

export interface SyncCounts {
  procedures: { created: number; updated: number };
  hotlines: { created: number; updated: number };
  communeProfile: number;
}

/**
 * Explicit reload: writes every procedure, hotline and the profile from content/ over the database in one
 * transaction (content wins, aliases included). Rows that exist only in the database are kept.
 */
export async function syncFromContent(db: Db, contentDir: string): Promise<SyncCounts> {
  const content = await readContent(contentDir);
  return db.$transaction(async (tx) => {
    const none = { created: 0, updated: 0 };
    const procedures = content.procedures ? await applyProcedureRows(tx, content.procedures) : none;
    const hotlines = content.hotlines ? await upsertHotlinesIn(tx, content.hotlines) : none;
    if (content.profile) await saveCommuneProfile(tx, content.profile);
    return { procedures, hotlines, communeProfile: content.profile ? 1 : 0 };
  }, bulkTransactionOptions);
}
