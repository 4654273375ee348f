/**
 * What changed between two states of the published catalog: procedures newly published, changed (which official
 * fields), repealed. Pure. A procedure is published when it is present and active; the fields compared are those a
 * citizen relies on (search helpers such as aliases and situations are not announced).
 *
 * @example
 * diffCatalogs(before, after) // [{ kind: 'changed', code: '1.001193', fields: ['fees'], … }]
 */
import type { Procedure } from './procedure.js';

export const announcedFields = ['name', 'field', 'documents', 'processingTime', 'fees', 'submitAt', 'onlineUrl', 'onlineLevel', 'legalBasis', 'audience'] as const;
export type AnnouncedField = (typeof announcedFields)[number];

export const announcedFieldLabels: Record<AnnouncedField, string> = {
  name: 'tên thủ tục',
  field: 'lĩnh vực',
  documents: 'thành phần hồ sơ',
  processingTime: 'thời hạn giải quyết',
  fees: 'phí, lệ phí',
  submitAt: 'nơi nộp hồ sơ',
  onlineUrl: 'địa chỉ dịch vụ công trực tuyến',
  onlineLevel: 'mức độ dịch vụ công trực tuyến',
  legalBasis: 'căn cứ pháp lý',
  audience: 'đối tượng thực hiện',
};

export interface CatalogChangeEntry {
  kind: 'new' | 'changed' | 'repealed';
  code: string;
  name: string;
  field: string;
  onlineUrl: string | null;
  /** For changed: the official fields that differ. */
  fields: AnnouncedField[];
}

const published = (p: Procedure | undefined): p is Procedure => !!p && p.active;

/** Entries in code order: new, changed and repealed procedures between `before` and `after`. */
export function diffCatalogs(before: readonly Procedure[], after: readonly Procedure[]): CatalogChangeEntry[] {
  const old = new Map(before.map((p) => [p.code, p]));
  const now = new Map(after.map((p) => [p.code, p]));
  const codes = [...new Set([...old.keys(), ...now.keys()])].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const out: CatalogChangeEntry[] = [];
  for (const code of codes) {
    const a = old.get(code);
    const b = now.get(code);
    const entry = (kind: CatalogChangeEntry['kind'], p: Procedure, fields: AnnouncedField[] = []) =>
      out.push({ kind, code, name: p.name, field: p.field, onlineUrl: p.onlineUrl, fields });
    if (published(b) && !published(a)) entry('new', b);
    else if (published(a) && !published(b)) entry('repealed', a);
    else if (published(a) && published(b)) {
      const fields = announcedFields.filter((f) => JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null));
      if (fields.length > 0) entry('changed', b, fields);
    }
  }
  return out;
}
