import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../text/analyze.js';
import { loadLanguage } from '../text/language.load.js';
import type { Procedure } from './procedure.js';
import { ProcedureIndex } from './search.js';
import { addNamedSiblings, messageQualifiers, SiblingFamilies } from './siblings.js';

const language = loadLanguage('content');
const procedures = (JSON.parse(fs.readFileSync('content/procedures.json', 'utf8')) as Procedure[]).map((p) => ({ ...p, active: true }));
const index = ProcedureIndex.build(procedures, language);
const families = new SiblingFamilies(
  index.procedures.map((p) => ({ code: p.code, nameTokens: analyze(p.name, language).tokens, qualifiers: index.qualifiersOf(p.code) })),
  language.qualifiers,
);
const qualifiersOf = (code: string) => index.qualifiersOf(code);

describe('sibling families', () => {
  it('groups procedures whose names differ only by a qualifier', () => {
    expect(families.of('1.000656')).toEqual(expect.arrayContaining(['1.005461', '1.001766', '1.000419']));
    expect(families.of('1.014061')).toEqual(expect.arrayContaining(['1.014063', '1.014064']));
    expect(families.of('1.000656')).not.toContain('1.001193');
    // Two unqualified procedures are never siblings of each other.
    expect(families.of('1.001193')).not.toContain('1.000894');
  });

  it('brings in the sibling a named qualifier asks for, ranked with the plain procedure it qualifies', () => {
    const plain = index.byCode('1.000656')!;
    const named = messageQualifiers(analyze('bác tôi quốc tịch Mỹ về quê rồi mất ở nhà', language).tokens, language);
    expect(named.has('foreign')).toBe(true);
    const hits = addNamedSiblings([{ procedure: plain, score: 0.76 }], named, qualifiersOf, families, (c) => index.byCode(c));
    expect(hits.map((h) => h.procedure.code)).toEqual(['1.000656', '1.001766']);
    expect(hits[1]!.score).toBeCloseTo(0.74);
    // Nothing named, nothing added.
    expect(addNamedSiblings([{ procedure: plain, score: 0.76 }], new Set(), qualifiersOf, families, (c) => index.byCode(c))).toHaveLength(1);
  });

  it('lets a copy outrank a re-registration when the register still holds the record', () => {
    const named = messageQualifiers(analyze('giấy khai sinh bị mất, sổ gốc ở xã vẫn còn lưu, xin bản sao', language).tokens, language);
    expect(named.has('copy')).toBe(true);
    expect(named.has('again')).toBe(false);
  });
});
