import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../text/analyze.js';
import { loadLanguage } from '../text/language.load.js';
import { communeIndex, effectiveProcedure, effectiveProcedures, OverlayIndex } from './effective.js';
import type { Procedure } from './procedure.js';
import { ProcedureIndex } from './search.js';

const language = loadLanguage('content');
/** The demo catalog (78 procedures) as the seed reads it: the province's shared set. */
const catalog: Procedure[] = (JSON.parse(fs.readFileSync('content/procedures.json', 'utf8')) as Partial<Procedure>[]).map((p) => ({
  code: p.code!, name: p.name!, field: p.field!, documents: p.documents ?? [], processingTime: p.processingTime ?? '', fees: p.fees ?? '',
  submitAt: p.submitAt ?? '', onlineUrl: p.onlineUrl ?? null, onlineLevel: p.onlineLevel ?? null, legalBasis: p.legalBasis ?? [], aliases: p.aliases ?? [],
  situations: p.situations ?? [], audience: p.audience ?? null, source: p.source ?? null, active: p.active ?? true,
}));
const shared = ProcedureIndex.build(catalog, language);
const questions = ['làm giấy khai sinh cần gì', 'dk ket hon can giay to gi', 'chứng thực bản sao mất bao nhiêu tiền', 'đăng ký thường trú ở đâu', 'xin trợ cấp người cao tuổi'];
const birth = '1.001193';

describe('effective catalog: shared catalog ⊕ commune overrides', () => {
  it('a commune without overrides answers from the shared index itself', () => {
    expect(communeIndex(shared, [], language)).toBe(shared);
    // An override that changes nothing, or names a procedure the catalog does not have, is no reason for a copy.
    expect(communeIndex(shared, [{ code: birth, fees: '  ' }, { code: '9.999999', fees: '5.000 đồng' }], language)).toBe(shared);
  });

  it('display overrides: the same ranking from the shared index, the commune’s fee, desk and time on the hits', () => {
    const overrides = [{ code: birth, fees: 'Miễn phí (Nghị quyết HĐND tỉnh số 12/2025)', submitAt: 'Bộ phận một cửa xã Minh Tiến, thôn 3', processingTime: 'Trong ngày' }];
    const index = communeIndex(shared, overrides, language);
    expect(index).toBeInstanceOf(OverlayIndex);
    expect((index as OverlayIndex).base).toBe(shared);
    for (const q of questions) {
      const a = shared.search(q, 5);
      const b = index.search(q, 5);
      expect(b.map((h) => [h.procedure.code, h.score]), q).toEqual(a.map((h) => [h.procedure.code, h.score]));
    }
    const hit = index.search('làm giấy khai sinh cần gì', 1)[0]!;
    expect(hit.procedure).toMatchObject({ code: birth, fees: overrides[0]!.fees, submitAt: overrides[0]!.submitAt, processingTime: 'Trong ngày' });
    expect(index.byCode(birth)?.fees).toBe(overrides[0]!.fees);
    expect(shared.byCode(birth)?.fees).not.toBe(overrides[0]!.fees); // the province's row is untouched
    expect(index.procedures.find((p) => p.code === birth)?.submitAt).toBe(overrides[0]!.submitAt);
    // Unchanged procedures are the shared objects, not copies.
    const other = catalog.find((p) => p.code !== birth)!.code;
    expect(index.byCode(other)).toBe(shared.byCode(other));
  });

  it('a procedure the commune does not offer is never found, listed or offered by field', () => {
    const index = communeIndex(shared, [{ code: birth, inactive: true }], language);
    expect(index.byCode(birth)).toBeUndefined();
    expect(index.procedures.some((p) => p.code === birth)).toBe(false);
    expect(index.procedures).toHaveLength(shared.procedures.length - 1);
    const hits = index.search('làm giấy khai sinh cần gì', 5);
    expect(hits).toHaveLength(5);
    expect(hits.some((h) => h.procedure.code === birth)).toBe(false);
    expect(index.searchAnalysis(analyze(birth, language), 5).some((h) => h.procedure.code === birth)).toBe(false);
  });

  it('a field whose every procedure the commune does not offer leaves the field menu and field matching', () => {
    const field = catalog[0]!.field;
    const inField = catalog.filter((p) => p.field === field).map((p) => ({ code: p.code, inactive: true }));
    const index = communeIndex(shared, inField, language);
    expect(shared.fields()).toContain(field);
    expect(index.fields()).not.toContain(field);
    expect(index.matchField(analyze(field, language))).toBeNull();
  });

  it('extra aliases or situations: an index of the commune’s own finds its words; the shared one does not change', () => {
    const word = 'giấy chào đời xã minh tiến';
    const before = shared.search(word, 1)[0];
    const index = communeIndex(shared, [{ code: birth, extraAliases: [word] }], language);
    expect(index).not.toBe(shared);
    expect(index).toBeInstanceOf(ProcedureIndex);
    expect(index.search(word, 1)[0]).toMatchObject({ procedure: { code: birth }, score: 1 });
    expect(index.byCode(birth)?.aliases).toContain(word);
    expect(shared.byCode(birth)?.aliases).not.toContain(word);
    expect(shared.search(word, 1)[0]?.score).toBe(before?.score);
  });

  it('merges extras without duplicates and keeps the catalog’s value for an empty override field', () => {
    const base = catalog.find((p) => p.code === birth)!;
    const p = effectiveProcedure(base, { code: birth, extraAliases: [base.aliases[0]!.toUpperCase(), ' mới '], fees: '', onlineUrl: 'https://dichvucong.example/ks' });
    expect(p.aliases).toEqual([...base.aliases, 'mới']);
    expect(p.fees).toBe(base.fees);
    expect(p.onlineUrl).toBe('https://dichvucong.example/ks');
    expect(effectiveProcedures(catalog, [{ code: birth, inactive: true }]).map((x) => x.code)).not.toContain(birth);
  });
});
