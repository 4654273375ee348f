/**
 * The content library and the publishing schedule as staff use them in the admin: the scheduler and library
 * modules do the work and the validation; this lists posts for the pages and writes who did what to the audit trail.
 */
import type { Db } from '../../db/client.js';
import { saveAdminPost, type AdminPostInput, type SaveAdminPostResult } from '../content/library.repo.js';
import {
  cancelScheduled, confirmPublished, createPlan, queuePost, retryScheduled, setPlanActive, updatePlan,
  type PlanInput, type QueuedRow,
} from '../scheduler/staff.repo.js';
import type { PlanRow } from '../scheduler/plan.repo.js';
import { recordAudit } from './audit.repo.js';

export interface PostSummary {
  id: number;
  slug: string;
  title: string;
  topic: string;
  channels: string[];
  origin: string;
  archived: boolean;
  updatedAt: Date;
  /** Publications by state, e.g. { published: 2, queued: 1 }. */
  states: Record<string, number>;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The library, newest first, optionally one topic; archived posts last. */
export async function listPosts(db: Db, filter: { topic?: string; q?: string } = {}): Promise<PostSummary[]> {
  const rows = await db.post.findMany({
    where: { ...(filter.topic ? { topic: filter.topic } : {}), ...(filter.q ? { title: { contains: filter.q } } : {}) },
    orderBy: [{ archived: 'asc' }, { updatedAt: 'desc' }],
    take: 300,
    select: { id: true, slug: true, title: true, topic: true, channels: true, origin: true, archived: true, updatedAt: true, scheduled: { select: { state: true } } },
  });
  return rows.map(({ scheduled, channels, ...p }) => {
    const states: Record<string, number> = {};
    for (const s of scheduled) states[s.state] = (states[s.state] ?? 0) + 1;
    return { ...p, channels: strings(channels), states };
  });
}

export async function getPost(db: Db, id: number) {
  const p = await db.post.findUnique({ where: { id } });
  if (!p) return null;
  return { ...p, tags: strings(p.tags), channels: strings(p.channels) };
}
export type PostDetail = NonNullable<Awaited<ReturnType<typeof getPost>>>;

export async function savePostAudited(db: Db, input: AdminPostInput, who: string, options: { takeOverFile?: boolean } = {}): Promise<SaveAdminPostResult> {
  const result = await saveAdminPost(db, input, options);
  if (result.ok) await recordAudit(db, { who, action: options.takeOverFile ? 'post.take_over' : 'post.save', entity: 'post', entityId: result.id, detail: { slug: input.slug, title: input.title } });
  return result;
}

export async function queuePostAudited(db: Db, input: { post: number; channels: string[]; at: Date; now: Date; repeat: boolean; graceMinutes?: number; publishable?: readonly string[] }, who: string): Promise<QueuedRow[]> {
  const rows = await queuePost(db, { ...input, createdBy: who });
  await recordAudit(db, { who, action: 'post.queue', entity: 'post', entityId: input.post, detail: { rows: rows.map((r) => ({ id: r.id, channel: r.channel })), at: input.at.toISOString() } });
  return rows;
}

export async function cancelScheduledAudited(db: Db, id: number, who: string): Promise<void> {
  await cancelScheduled(db, id);
  await recordAudit(db, { who, action: 'schedule.cancel', entity: 'scheduled_post', entityId: id });
}

export async function retryScheduledAudited(db: Db, id: number, now: Date, who: string): Promise<void> {
  await retryScheduled(db, id, now);
  await recordAudit(db, { who, action: 'schedule.retry', entity: 'scheduled_post', entityId: id });
}

export async function confirmPublishedAudited(db: Db, id: number, now: Date, who: string): Promise<void> {
  await confirmPublished(db, id, { now });
  await recordAudit(db, { who, action: 'schedule.confirm', entity: 'scheduled_post', entityId: id });
}

export async function savePlanAudited(db: Db, id: number | null, input: PlanInput, now: Date, who: string): Promise<PlanRow> {
  const row = id === null ? await createPlan(db, input, now) : await updatePlan(db, id, input, now);
  await recordAudit(db, { who, action: id === null ? 'plan.create' : 'plan.update', entity: 'plan', entityId: row.id, detail: { name: row.name } });
  return row;
}

export async function setPlanActiveAudited(db: Db, id: number, active: boolean, now: Date, who: string): Promise<void> {
  await setPlanActive(db, id, active, now);
  await recordAudit(db, { who, action: active ? 'plan.resume' : 'plan.pause', entity: 'plan', entityId: id });
}
