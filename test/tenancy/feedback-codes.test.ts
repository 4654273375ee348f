/**
 * Phản ánh tracking codes are numbered per commune: each commune keeps its own yearly sequence (its own sổ theo dõi),
 * so commune B's first item of the year is PA-YYYY-000001 even after commune A filed several, and a code looked up
 * in one commune never finds another commune's item. Ratings are idempotent per commune, not across communes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeToCommune } from '../../src/db/tenant.js';
import type { Db } from '../../src/db/client.js';
import { createCommune, toTenant } from '../../src/domain/commune/communes.repo.js';
import { feedbackStatus, fileFeedback, type FeedbackDraft } from '../../src/domain/feedback/feedback.repo.js';
import { recordRating } from '../../src/domain/satisfaction/rating.repo.js';
import { createTestDb, type TestDb } from '../support/db.js';

const now = new Date('2026-12-04T03:00:00Z');
const draft = (id: string): FeedbackDraft => ({
  channel: 'telegram', conversationId: null, citizenRef: 'ref', platformMessageId: id, subject: 'procedure', content: 'Hồ sơ chậm', phoneConsent: false, publishConsent: false,
});

describe('feedback codes and ratings per commune', () => {
  let t: TestDb;
  let a: Db;
  let b: Db;

  beforeAll(async () => {
    t = await createTestDb();
    a = t.db;
    b = scopeToCommune(t.root, toTenant(await createCommune(t.root, { slug: 'xa-b', name: 'Xã B' })));
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('numbers each commune in its own sequence and finds a code only in its own commune', async () => {
    expect((await fileFeedback(a, draft('a1'), now, 10)).code).toBe('PA-2026-000001');
    expect((await fileFeedback(a, draft('a2'), now, 10)).code).toBe('PA-2026-000002');
    // The same platform message id in another commune (another bot) is another item, numbered from 1 there.
    expect((await fileFeedback(b, draft('a1'), now, 10)).code).toBe('PA-2026-000001');
    // Re-delivery within a commune returns the code already given.
    expect((await fileFeedback(a, draft('a2'), now, 10)).code).toBe('PA-2026-000002');
    expect(await feedbackStatus(b, 'PA-2026-000002', null)).toBeNull();
    expect(await feedbackStatus(a, 'PA-2026-000002', null)).toMatchObject({ code: 'PA-2026-000002', state: 'new' });
    expect(await t.root.feedbackItem.count()).toBe(3);
    expect((await t.root.feedbackCounter.findMany({ orderBy: { communeId: 'asc' } })).map((c) => c.last)).toEqual([2, 1]);
  });

  it('records a rating once per commune and platform id', async () => {
    const input = { channel: 'telegram', platformMessageId: 'cb-1', about: 'procedure' as const, score: 'satisfied' as const };
    const first = await recordRating(a, input, now);
    expect(await recordRating(a, input, now)).toBe(first);
    const other = await recordRating(b, input, now);
    expect(other).not.toBe(first);
    expect(await b.satisfactionRating.count()).toBe(1);
    expect(await t.root.satisfactionRating.count()).toBe(2);
  });
});
