/**
 * The communes of an installation and their catalogs. These queries take the UNSCOPED client: they are the
 * province-level view that decides which commune a scoped client is for (see db/tenant.ts).
 */
import type { DbTx } from '../../db/client.js';
import type { Tenant } from '../../db/tenant.js';
import { foldText } from '../text/normalize.js';

export interface CommuneRow {
  id: number;
  slug: string;
  name: string;
  catalogId: number;
  catalogSlug: string;
}

/** The slug of the catalog a new installation's first commune uses (the migration of a single-commune database too). */
export const defaultCatalogSlug = 'mac-dinh';
const defaultCatalogName = 'Danh mục thủ tục hành chính';

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Whether `slug` is a valid commune slug: lowercase a–z 0–9 words joined by "-", at most 60 characters. */
export function isCommuneSlug(slug: string): boolean {
  return slug.length <= 60 && slugPattern.test(slug);
}

/**
 * A slug from a commune's name: folded, without the "UBND" prefix or a parenthesised remark.
 * "UBND xã Minh Tiến (dữ liệu minh họa)" → "xa-minh-tien".
 */
export function slugFromName(name: string): string {
  const bare = name.replace(/\([^)]*\)/g, ' ').replace(/^\s*(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+/iu, '');
  const slug = foldText(bare).split(' ').filter(Boolean).join('-').slice(0, 60).replace(/-+$/, '');
  return slug || 'xa';
}

export function toTenant(row: CommuneRow): Tenant {
  return { communeId: row.id, catalogId: row.catalogId, slug: row.slug };
}

const select = { id: true, slug: true, name: true, catalogId: true, catalog: { select: { slug: true } } } as const;
type Selected = { id: number; slug: string; name: string; catalogId: number; catalog: { slug: string } };
const toRow = (r: Selected): CommuneRow => ({ id: r.id, slug: r.slug, name: r.name, catalogId: r.catalogId, catalogSlug: r.catalog.slug });

export async function listCommunes(root: DbTx): Promise<CommuneRow[]> {
  return (await root.commune.findMany({ select, orderBy: { slug: 'asc' } })).map(toRow);
}

export async function findCommuneBySlug(root: DbTx, slug: string): Promise<CommuneRow | null> {
  const r = await root.commune.findUnique({ where: { slug }, select });
  return r ? toRow(r) : null;
}

export async function findCommuneById(root: DbTx, id: number): Promise<CommuneRow | null> {
  const r = await root.commune.findUnique({ where: { id }, select });
  return r ? toRow(r) : null;
}

/** The catalog with this slug, created when missing. */
export async function ensureCatalog(root: DbTx, slug: string = defaultCatalogSlug, name: string = defaultCatalogName): Promise<number> {
  const row = await root.procedureCatalog.upsert({ where: { slug }, create: { slug, name }, update: {}, select: { id: true } });
  return row.id;
}

/** Creates a commune on a catalog (created when missing). The caller validated the slug. */
export async function createCommune(root: DbTx, input: { slug: string; name: string; catalogSlug?: string }): Promise<CommuneRow> {
  const catalogId = await ensureCatalog(root, input.catalogSlug ?? defaultCatalogSlug);
  const r = await root.commune.create({ data: { slug: input.slug, name: input.name.normalize('NFC').trim(), catalogId }, select });
  return toRow(r);
}
