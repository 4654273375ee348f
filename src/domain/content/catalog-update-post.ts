/**
 * Catalog changes announced: every import or staff edit of the catalog is compared before/after, the changes are
 * recorded (CatalogChange), and the day's changes are drafted into the library post «Cập nhật thủ tục hành chính mới
 * ban hành, sửa đổi, bổ sung, bãi bỏ» (topic cap-nhat-tthc) listing codes and online links. The draft is NEVER
 * queued here: staff read it and queue it on the posts page. Once a draft is queued, later changes of the day go
 * into a new draft.
 */
import { communeIdOf } from '../../db/tenant.js';
import type { Db } from '../../db/client.js';
import { announcedFieldLabels, diffCatalogs, type AnnouncedField, type CatalogChangeEntry } from '../procedures/catalog-diff.js';
import { listAllProcedures } from '../procedures/catalog.repo.js';
import { localDayOf } from '../reports/period.js';
import { saveAdminPost } from './library.repo.js';

export const catalogUpdateTopic = 'cap-nhat-tthc';
export const catalogUpdateTitle = 'Cập nhật thủ tục hành chính mới ban hành, sửa đổi, bổ sung, bãi bỏ';

export interface TrackedChange<T> {
  result: T;
  changes: CatalogChangeEntry[];
  /** The draft post the changes went into, or null when nothing an announcement names changed. */
  postSlug: string | null;
}

/** Runs `apply` (an import or an edit), then records and drafts what it changed in the published catalog. */
export async function trackCatalogChanges<T>(db: Db, opts: { source: 'import' | 'edit'; who: string; now?: Date }, apply: () => Promise<T>): Promise<TrackedChange<T>> {
  const before = await listAllProcedures(db);
  const result = await apply();
  const changes = diffCatalogs(before, await listAllProcedures(db));
  if (changes.length === 0) return { result, changes, postSlug: null };
  const now = opts.now ?? new Date();
  const day = localDayOf(now);
  await db.catalogChange.createMany({
    data: changes.map((c) => ({ communeId: communeIdOf(db), code: c.code, name: c.name, kind: c.kind, fields: c.fields, onlineUrl: c.onlineUrl, day, source: opts.source, who: opts.who, at: now })),
  });
  const postSlug = await draftCatalogUpdatePost(db, day);
  return { result, changes, postSlug };
}

interface Merged {
  kind: CatalogChangeEntry['kind'];
  code: string;
  name: string;
  onlineUrl: string | null;
  fields: Set<string>;
}

/** The net change per code over a sequence of changes (new then repealed cancels out; new then changed stays new). */
export function mergeChanges(rows: readonly { code: string; name: string; kind: string; fields: unknown; onlineUrl: string | null }[]): Merged[] {
  const byCode = new Map<string, Merged | null>();
  for (const r of rows) {
    const fields = Array.isArray(r.fields) ? r.fields.filter((f): f is string => typeof f === 'string') : [];
    const prev = byCode.get(r.code);
    const kind = r.kind as Merged['kind'];
    if (!prev) {
      byCode.set(r.code, { kind, code: r.code, name: r.name, onlineUrl: r.onlineUrl, fields: new Set(fields) });
      continue;
    }
    if (kind === 'repealed') byCode.set(r.code, prev.kind === 'new' ? null : { ...prev, kind: 'repealed', fields: new Set() });
    else if (kind === 'new') byCode.set(r.code, { kind: prev.kind === 'repealed' ? 'changed' : 'new', code: r.code, name: r.name, onlineUrl: r.onlineUrl, fields: new Set([...prev.fields, ...fields]) });
    else byCode.set(r.code, { ...prev, name: r.name, onlineUrl: r.onlineUrl, fields: new Set([...prev.fields, ...fields]) });
  }
  return [...byCode.values()].filter((m): m is Merged => m !== null && (m.kind !== 'changed' || m.fields.size > 0));
}

function line(m: Merged): string {
  const link = m.onlineUrl ? ` — [Nộp hồ sơ trực tuyến](${m.onlineUrl})` : '';
  if (m.kind !== 'changed') return `- ${m.code} — ${m.name}${m.kind === 'new' ? link : ''}`;
  const what = [...m.fields].map((f) => announcedFieldLabels[f as AnnouncedField] ?? f).join(', ');
  return `- ${m.code} — ${m.name}: sửa đổi, bổ sung ${what}${link}`;
}

/** The post body listing the merged changes (Markdown). */
export function catalogUpdateBody(merged: readonly Merged[], dayLabel: string): string {
  const section = (title: string, kind: Merged['kind']) => {
    const items = merged.filter((m) => m.kind === kind);
    return items.length === 0 ? [] : [`**${title} (${items.length}):**`, '', ...items.map(line), ''];
  };
  return [
    `UBND xã thông báo các thủ tục hành chính được cập nhật trong danh mục ngày ${dayLabel}:`,
    '',
    ...section('Thủ tục hành chính mới ban hành', 'new'),
    ...section('Thủ tục hành chính được sửa đổi, bổ sung', 'changed'),
    ...section('Thủ tục hành chính bị bãi bỏ', 'repealed'),
    'Người dân có thể hỏi trợ lý tự động của xã hoặc Bộ phận một cửa để được hướng dẫn.',
  ].join('\n');
}

/** Writes (or refreshes) the day's draft; returns its slug, or null when the day's changes cancel out. */
export async function draftCatalogUpdatePost(db: Db, day: string): Promise<string | null> {
  const base = `${catalogUpdateTopic}-${day}`;
  const drafts = await db.post.findMany({ where: { slug: { startsWith: base } }, select: { slug: true, scheduled: { select: { createdAt: true } } } });
  const queued = drafts.flatMap((d) => d.scheduled.map((s) => s.createdAt));
  const since = queued.length > 0 ? new Date(Math.max(...queued.map((d) => d.getTime()))) : null;
  const rows = await db.catalogChange.findMany({ where: { day, ...(since ? { at: { gt: since } } : {}) }, orderBy: { id: 'asc' } });
  const merged = mergeChanges(rows);
  if (merged.length === 0) return null;
  let slug = base;
  for (let k = 2; drafts.some((d) => d.slug === slug && d.scheduled.length > 0); k++) slug = `${base}-${k}`;
  const [y, m, d] = day.split('-');
  const saved = await saveAdminPost(db, {
    slug,
    title: catalogUpdateTitle,
    topic: catalogUpdateTopic,
    tags: ['thủ tục hành chính', 'cập nhật danh mục'],
    body: catalogUpdateBody(merged, `${d}/${m}/${y}`),
    channels: ['website', 'messenger', 'zalo', 'telegram'],
  });
  if (!saved.ok) throw new Error(`catalog update post refused: ${saved.problems.map((p) => p.logReason).join('; ')}`);
  return slug;
}
