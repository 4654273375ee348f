/** Prisma queries for recurring plans: reading them, materialising occurrences, advancing them once. */
import type { Db } from '../../db/client.js';
import type { LibraryItem, PlanSchedule } from './plan.js';
import { isUniqueViolation, usedStates } from './scheduled.repo.js';
import { communeIdOf } from '../../db/tenant.js';

export interface PlanRow {
  id: number;
  name: string;
  schedule: PlanSchedule;
  topics: string[];
  channels: string[];
  maxCount: number | null;
  targetPerMonth: number | null;
  nextRunAt: Date | null;
  occurrences: number;
  missedCount: number;
  lastNote: string | null;
  active: boolean;
}

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const asNumbers = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number).filter(Number.isFinite) : []);

type RawPlan = Awaited<ReturnType<Db['postPlan']['findMany']>>[number];

export function toPlanRow(p: RawPlan): PlanRow {
  return {
    id: p.id,
    name: p.name,
    schedule: { weekdays: asNumbers(p.weekdays), times: asStrings(p.times), startAt: p.startAt, endAt: p.endAt },
    topics: asStrings(p.topics),
    channels: asStrings(p.channels),
    maxCount: p.maxCount,
    targetPerMonth: p.targetPerMonth,
    nextRunAt: p.nextRunAt,
    occurrences: p.occurrences,
    missedCount: p.missedCount,
    lastNote: p.lastNote,
    active: p.active,
  };
}

export async function findDuePlans(db: Db, now: Date): Promise<PlanRow[]> {
  const rows = await db.postPlan.findMany({ where: { active: true, nextRunAt: { lte: now } }, orderBy: { id: 'asc' } });
  return rows.map(toPlanRow);
}

/** The library as the picker sees it (not archived). */
export async function libraryItems(db: Db): Promise<LibraryItem[]> {
  const rows = await db.post.findMany({
    where: { archived: false },
    select: { id: true, slug: true, topic: true, channels: true, notBefore: true, notAfter: true },
  });
  return rows.map((r) => ({ ...r, channels: asStrings(r.channels) }));
}

/** Posts already published or scheduled on a channel. */
export async function usedPostIds(db: Db, channel: string): Promise<Set<number>> {
  const rows = await db.scheduledPost.findMany({
    where: { channel, state: { in: usedStates } },
    select: { postId: true },
    distinct: ['postId'],
  });
  return new Set(rows.map((r) => r.postId));
}

/** Creates the row of one plan occurrence on one channel; false when another instance already created it. */
export async function createPlannedRow(db: Db, input: { planId: number; postId: number; channel: string; dueAt: Date }): Promise<boolean> {
  try {
    await db.scheduledPost.create({
      data: { ...input, communeId: communeIdOf(db), state: 'queued', nextAttemptAt: input.dueAt, createdBy: 'plan' },
    });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

/**
 * Moves a plan from `expectedNextRunAt` to its next occurrence. Conditional on the stored nextRunAt, so when two
 * instances catch the same plan up only one advances it (and counts its occurrences once).
 */
export async function advancePlan(
  db: Db,
  planId: number,
  expectedNextRunAt: Date,
  data: { nextRunAt: Date | null; materialised: boolean; missed: number; note: string | null | undefined; active: boolean },
): Promise<boolean> {
  const r = await db.postPlan.updateMany({
    where: { id: planId, nextRunAt: expectedNextRunAt },
    data: {
      nextRunAt: data.nextRunAt,
      occurrences: { increment: data.materialised ? 1 : 0 },
      missedCount: { increment: data.missed },
      active: data.active,
      ...(data.note !== undefined ? { lastNote: data.note } : {}),
    },
  });
  return r.count === 1;
}
