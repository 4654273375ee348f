/**
 * A commune answering through an overlay of the shared index (display overrides only) decides exactly as the shared
 * catalog does on every question of the development set: same outcome, same procedure, same offered choices. Only
 * the overridden values in the replies differ.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respond, type Knowledge } from '../../src/domain/conversation/engine.js';
import { communeIndex, OverlayIndex } from '../../src/domain/procedures/effective.js';
import { ProcedureIndex } from '../../src/domain/procedures/search.js';
import type { InboundMessage } from '../../src/domain/messages.js';
import { seededKnowledge } from '../support/knowledge.js';
import type { TestDb } from '../support/db.js';

const questions = fs.readFileSync('test/eval/questions.jsonl', 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => (JSON.parse(l) as { q: string }).q);
const fee = 'Miễn phí (Nghị quyết HĐND tỉnh, xã thử nghiệm)';

describe('overlay answers equal the shared catalog’s decisions', () => {
  let shared: Knowledge;
  let overlay: Knowledge;
  let db: TestDb;

  beforeAll(async () => {
    ({ knowledge: shared, db } = await seededKnowledge());
    expect(shared.index).toBeInstanceOf(ProcedureIndex);
    const index = communeIndex(shared.index as ProcedureIndex, [{ code: '1.001193', fees: fee }, { code: '1.000894', submitAt: 'Bộ phận một cửa xã thử nghiệm' }], shared.index.language);
    expect(index).toBeInstanceOf(OverlayIndex);
    overlay = { ...shared, index, procedures: index.procedures };
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it(`decides the same on all ${questions.length} development questions`, () => {
    expect(questions.length).toBeGreaterThan(300);
    let birthAnswers = 0;
    const baseFee = shared.index.byCode('1.001193')!.fees;
    for (const [i, q] of questions.entries()) {
      const message: InboundMessage = { channel: 'webchat', platformMessageId: `q${i}`, address: 'w', kind: 'text', text: q, receivedAt: new Date('2026-12-04T03:00:00Z') };
      const a = respond({ message, context: {}, knowledge: shared });
      const b = respond({ message, context: {}, knowledge: overlay });
      expect([b.outcome, b.procedureCode, b.field], q).toEqual([a.outcome, a.procedureCode, a.field]);
      expect(JSON.stringify(b.context), q).toBe(JSON.stringify(a.context));
      // Where the shared answer shows the catalog's fee for khai sinh, the commune's shows its own instead.
      if (JSON.stringify(a.replies).includes(JSON.stringify(baseFee).slice(1, -1))) {
        birthAnswers++;
        expect(JSON.stringify(b.replies), q).toContain(fee);
        expect(JSON.stringify(b.replies), q).not.toContain(JSON.stringify(baseFee).slice(1, -1));
      }
    }
    expect(birthAnswers).toBeGreaterThan(3);
  });
});
