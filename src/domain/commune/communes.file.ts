/**
 * The list of communes as a file: what `npm run communes -- import|export` reads and writes (JSON array or CSV with
 * the columns slug, name, catalog). An import is all or nothing; every bad row is named in Vietnamese.
 */
import type { Db } from '../../db/client.js';
import { decodeCsv, encodeCsv, parseCsv, writeCsv } from '../tabular/csv.js';
import type { ImportIssue } from '../tabular/format.js';
import { createCommune, defaultCatalogSlug, ensureCatalog, isCommuneSlug, listCommunes, type CommuneRow } from './communes.repo.js';

export interface CommuneFileRow {
  slug: string;
  name: string;
  catalog: string;
}

const headers = ['slug', 'name', 'catalog'] as const;
const labels: Record<(typeof headers)[number], string> = { slug: 'mã xã (slug)', name: 'tên xã', catalog: 'danh mục thủ tục' };

/** Parses and validates a communes file; rows are numbered as the file shows them (JSON item or CSV line). */
export function parseCommuneFile(bytes: Buffer, format: 'json' | 'csv'): { ok: true; rows: CommuneFileRow[] } | { ok: false; errors: ImportIssue[] } {
  const raw: { row: number; value: Record<string, unknown> }[] = [];
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      return { ok: false, errors: [{ row: null, field: null, message: `Tệp JSON không đọc được: ${(e as Error).message}` }] };
    }
    if (!Array.isArray(parsed)) return { ok: false, errors: [{ row: null, field: null, message: 'Tệp JSON phải là một danh sách [ … ] các xã.' }] };
    parsed.forEach((value, i) => raw.push({ row: i + 1, value: (typeof value === 'object' && value ? value : {}) as Record<string, unknown> }));
  } else {
    const text = decodeCsv(bytes);
    if (text === null) return { ok: false, errors: [{ row: null, field: null, message: 'Tệp CSV phải được lưu với mã UTF-8.' }] };
    const delimiter = text.split('\n')[0]!.includes(';') ? ';' : ',';
    const [head, ...records] = parseCsv(text, delimiter);
    const columns = (head?.cells ?? []).map((c) => c.trim().toLowerCase());
    if (!columns.includes('slug') || !columns.includes('name')) {
      return { ok: false, errors: [{ row: head?.line ?? 1, field: null, message: 'Dòng đầu của tệp CSV phải có các cột slug, name (và catalog nếu cần).' }] };
    }
    for (const r of records) raw.push({ row: r.line, value: Object.fromEntries(columns.map((c, i) => [c, r.cells[i] ?? ''])) });
  }
  const errors: ImportIssue[] = [];
  const rows: CommuneFileRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, value } of raw) {
    const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string).normalize('NFC').trim() : '');
    const slug = text('slug');
    const name = text('name');
    const catalog = text('catalog') || defaultCatalogSlug;
    if (!isCommuneSlug(slug)) errors.push({ row, field: labels.slug, message: `Dòng ${row}: mã xã «${slug}» chỉ gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ xa-minh-tien).` });
    else if (seen.has(slug)) errors.push({ row, field: labels.slug, message: `Dòng ${row}: mã xã «${slug}» đã có ở dòng ${seen.get(slug)}.` });
    else seen.set(slug, row);
    if (!name || name.length > 200) errors.push({ row, field: labels.name, message: `Dòng ${row}: vui lòng nhập tên xã (tối đa 200 ký tự).` });
    if (!isCommuneSlug(catalog)) errors.push({ row, field: labels.catalog, message: `Dòng ${row}: mã danh mục «${catalog}» không hợp lệ.` });
    rows.push({ slug, name, catalog });
  }
  if (raw.length === 0) errors.push({ row: null, field: null, message: 'Tệp không có xã nào.' });
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

/**
 * Adds the communes of the file that are missing and renames the existing ones, in one transaction. An existing
 * commune keeps its catalog (moving a commune to another procedure set is a deliberate act, not an import).
 */
export async function applyCommuneRows(root: Db, rows: readonly CommuneFileRow[]): Promise<{ created: number; updated: number }> {
  return root.$transaction(async (tx) => {
    const existing = new Map((await listCommunes(tx)).map((c) => [c.slug, c]));
    let created = 0;
    let updated = 0;
    for (const row of rows) {
      const current = existing.get(row.slug);
      if (!current) {
        await ensureCatalog(tx, row.catalog);
        await createCommune(tx, { slug: row.slug, name: row.name, catalogSlug: row.catalog });
        created++;
      } else if (current.name !== row.name) {
        await tx.commune.update({ where: { id: current.id }, data: { name: row.name } });
        updated++;
      }
    }
    return { created, updated };
  });
}

/** The communes as a file in the import's layout. */
export function renderCommuneFile(communes: readonly CommuneRow[], format: 'json' | 'csv'): Buffer {
  const rows = communes.map((c) => ({ slug: c.slug, name: c.name, catalog: c.catalogSlug }));
  if (format === 'json') return Buffer.from(`${JSON.stringify(rows, null, 2)}\n`);
  return encodeCsv(writeCsv([[...headers], ...rows.map((r) => [r.slug, r.name, r.catalog])]));
}
