/**
 * npm run posts -- <command>     (times are Vietnam time, "YYYY-MM-DD HH:MM")
 *   list [--all]                                   the queue, recent outcomes and the plans with their progress
 *   sync                                           load content/posts/*.md into the database
 *   queue <slug> --at "2024-05-06 08:00" [--channels messenger,zalo] [--repeat]
 *   now <slug> [--channels …] [--repeat]           publish now (queues, then runs one tick)
 *   tick                                           run one scheduler tick (what cron does)
 *   cancel <id> | retry <id> | confirm <id> [--platform-id X]
 *   channel-ok <channel>                           staff fixed the channel's token: release its held posts
 *   plan add --name "…" --days 1,3,5 --times 08:00[,17:00] --channels … [--topics a,b] [--start …] [--end …] [--max N] [--target N]
 *   plan pause <id> | plan resume <id>
 * Outlets: the channels built by src/channels/registry.ts (those with credentials configured; publish is only
 * called, their webhooks and polling are not started) plus the website.
 */
import { prepareForCommand } from './commune-flag.js';
import type { Prepared } from '../app/prepare.js';
import path from 'node:path';
import { postTickDeps } from '../app/scheduler.js';
// Registers every channel adapter, so buildChannels returns those whose credentials are configured.
import '../channels/all.js';
import { adoptEnvironmentAccounts, listChannelAccounts } from '../channels/accounts.js';
import { buildChannels, loadChannelAdapters } from '../channels/registry.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { syncLibrary } from '../domain/content/library.repo.js';
import { topicLabel } from '../domain/content/topics.js';
import type { Logger } from '../domain/logger.js';
import { channelLabelOf, tick } from '../domain/scheduler/run.js';
import {
  StaffInputError, cancelScheduled, confirmPublished, createPlan, listPlans, listScheduled, markChannelHealthy,
  queuePost, retryScheduled, scheduledStateLabel, setPlanActive,
} from '../domain/scheduler/staff.repo.js';
import { formatVietnam, parseVietnamDateTime } from '../domain/scheduler/vn-time.js';
import { createLogger } from '../http/logger.js';

interface Args {
  positional: string[];
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      const next = argv[i + 1];
      if (inline !== undefined) flags.set(key, inline);
      else if (next !== undefined && !next.startsWith('--')) flags.set(key, (i++, next));
      else flags.set(key, true);
    } else positional.push(a);
  }
  return { positional, flags };
}

class UsageError extends Error {}

const text = (args: Args, key: string): string | undefined => {
  const v = args.flags.get(key);
  return typeof v === 'string' ? v : undefined;
};
const list = (args: Args, key: string): string[] => (text(args, key) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const time = (args: Args, key: string, label: string): Date | undefined => {
  const v = text(args, key);
  if (v === undefined) return undefined;
  const at = parseVietnamDateTime(v);
  if (!at) throw new UsageError(`${label} "${v}" không đúng dạng "YYYY-MM-DD HH:MM" (giờ Việt Nam).`);
  return at;
};
const idOf = (v: string | undefined, what: string): number => {
  if (!v || !/^\d+$/.test(v)) throw new UsageError(`Thiếu hoặc sai số ${what}.`);
  return Number(v);
};
const intFlag = (args: Args, key: string, label: string): number | undefined => {
  const v = text(args, key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${label} phải là số nguyên dương.`);
  return Number(v);
};

/** The commune's channels from its own accounts (the environment's credentials are adopted as the service does). */
async function outletsFor(config: Config, handle: Prepared, log: Logger) {
  await adoptEnvironmentAccounts(handle.root, handle.tenant, config);
  const accounts = (await listChannelAccounts(handle.root, { communeId: handle.tenant.communeId })).filter((a) => a.active);
  const deps = { config, db: handle.db, log, tenant: handle.tenant, accounts };
  await loadChannelAdapters(deps);
  const channels = buildChannels(deps);
  return postTickDeps(config, handle.db, channels, log);
}

/** The channels this configuration can publish to: queueing or planning elsewhere is refused with the reason. */
async function publishableFor(config: Config, handle: Prepared, log: Logger): Promise<string[]> {
  return (await outletsFor(config, handle, log)).outlets.filter((o) => o.publish).map((o) => o.name);
}

async function run(config: Config, args: Args): Promise<void> {
  const [command, sub, third] = args.positional;
  const log = createLogger({ LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL });
  const handle = await prepareForCommand(config);
  const db = handle.db;
  const now = new Date();
  const postsDir = path.join(config.CONTENT_DIR, 'posts');
  try {
    // Keep the database in step with the files before any command reads the library.
    if (command !== 'sync') await syncLibrary(db, postsDir, log);
    switch (command) {
      case 'sync': {
        const r = await syncLibrary(db, postsDir, log);
        console.log(`Đồng bộ thư viện: ${r.created.length} bài mới, ${r.updated.length} bài cập nhật, ${r.unchanged} bài không đổi, ${r.archived.length} bài lưu trữ.`);
        for (const p of r.problems) console.log(`  ✗ ${p.file} – ${p.field}: ${p.reason}`);
        if (r.problems.length > 0) process.exitCode = 1;
        return;
      }
      case 'list': {
        const states = args.flags.has('all') ? undefined : ['draft', 'queued', 'publishing', 'failed', 'unconfirmed', 'missed'];
        const rows = await listScheduled(db, { states });
        console.log(rows.length ? 'Lịch đăng:' : 'Hàng đợi trống.');
        for (const r of rows) {
          const state = r.held ? 'tạm giữ' : scheduledStateLabel(r.state);
          console.log(`  #${r.id}  ${formatVietnam(r.dueAt)}  ${channelLabelOf(r.channel)}  [${state}]  ${r.title} (${r.slug})${r.planId ? `  kế hoạch #${r.planId}` : ''}`);
          if (r.lastError) console.log(`        ${r.lastError}`);
        }
        const plans = await listPlans(db, now);
        if (plans.length) console.log('Kế hoạch:');
        for (const p of plans) {
          const days = p.schedule.weekdays.map((d) => (d === 7 ? 'CN' : `T${d + 1}`)).join(', ');
          console.log(`  #${p.id}  ${p.name}  [${p.active ? 'đang chạy' : 'tạm dừng/kết thúc'}]  ${days} lúc ${p.schedule.times.join(', ')}  → ${p.channels.map(channelLabelOf).join(', ')}`);
          console.log(`        Chủ đề: ${p.topics.length ? p.topics.map(topicLabel).join('; ') : 'tất cả'}`);
          if (p.progress) console.log(`        Tháng ${p.progress.month}: ${p.progress.done}/${p.progress.target} bài${p.progress.onTrack ? '' : ` (chậm so với tiến độ: cần ${p.progress.expectedByNow})`}`);
          if (p.upcoming.length) console.log(`        Lần tới: ${p.upcoming.map(formatVietnam).join('; ')}`);
          if (p.missedCount) console.log(`        Đã bỏ lỡ ${p.missedCount} lần do hệ thống ngừng hoạt động.`);
          if (p.lastNote) console.log(`        ${p.lastNote}`);
        }
        return;
      }
      case 'queue': {
        if (!sub) throw new UsageError('Thiếu tên bài (slug).');
        const at = time(args, 'at', 'Thời điểm');
        if (!at) throw new UsageError('Thiếu --at "YYYY-MM-DD HH:MM" (giờ Việt Nam).');
        const rows = await queuePost(db, { post: sub, channels: list(args, 'channels'), at, now, repeat: args.flags.has('repeat'), createdBy: 'cli', graceMinutes: config.SCHEDULER_GRACE_MINUTES, publishable: await publishableFor(config, handle, log) });
        for (const r of rows) console.log(`Đã xếp lịch #${r.id}: ${channelLabelOf(r.channel)} lúc ${formatVietnam(r.dueAt)}.`);
        return;
      }
      case 'now': {
        if (!sub) throw new UsageError('Thiếu tên bài (slug).');
        const deps = await outletsFor(config, handle, log);
        const publishable = deps.outlets.filter((o) => o.publish).map((o) => o.name);
        const rows = await queuePost(db, { post: sub, channels: list(args, 'channels'), at: now, now, repeat: args.flags.has('repeat'), createdBy: 'cli', graceMinutes: config.SCHEDULER_GRACE_MINUTES, publishable });
        await tick(deps, now);
        await report(db, rows.map((r) => r.id));
        return;
      }
      case 'tick': {
        const r = await tick((await outletsFor(config, handle, log)), now);
        console.log(`Đã đăng ${r.published}, chờ thử lại ${r.retrying}, tạm giữ ${r.held}, lỗi ${r.failed}, chưa xác nhận ${r.unconfirmed + r.unconfirmedByLease}, bỏ lỡ ${r.missed}, huỷ ${r.cancelled}.`);
        for (const n of r.notes) console.log(`  ${n}`);
        return;
      }
      case 'cancel':
        await cancelScheduled(db, idOf(sub, 'lịch đăng'));
        console.log(`Đã huỷ lịch đăng #${sub}.`);
        return;
      case 'retry':
        await retryScheduled(db, idOf(sub, 'lịch đăng'), now);
        console.log(`Đã xếp lại lịch đăng #${sub}; bài sẽ được đăng ở lần chạy tới.`);
        return;
      case 'confirm':
        await confirmPublished(db, idOf(sub, 'lịch đăng'), { platformPostId: text(args, 'platform-id'), now });
        console.log(`Đã ghi nhận lịch đăng #${sub} là đã đăng.`);
        return;
      case 'channel-ok': {
        if (!sub) throw new UsageError('Thiếu tên kênh.');
        const r = await markChannelHealthy(db, sub, now);
        console.log(`Đã khôi phục ${channelLabelOf(sub)}: ${r.released} bài được đăng lại, ${r.missed} bài cũ của kế hoạch được bỏ qua.`);
        return;
      }
      case 'plan': {
        if (sub === 'add') {
          const name = text(args, 'name');
          if (!name) throw new UsageError('Thiếu --name "tên kế hoạch".');
          const plan = await createPlan(
            db,
            {
              name,
              weekdays: list(args, 'days').map(Number),
              times: list(args, 'times'),
              topics: list(args, 'topics'),
              channels: list(args, 'channels'),
              startAt: time(args, 'start', 'Ngày bắt đầu') ?? now,
              endAt: time(args, 'end', 'Ngày kết thúc') ?? null,
              maxCount: intFlag(args, 'max', 'Số lần đăng tối đa') ?? null,
              targetPerMonth: intFlag(args, 'target', 'Chỉ tiêu mỗi tháng') ?? null,
              publishable: await publishableFor(config, handle, log),
            },
            now,
          );
          console.log(`Đã thêm kế hoạch #${plan.id} "${plan.name}"; lần đăng đầu: ${plan.nextRunAt ? formatVietnam(plan.nextRunAt) : 'không có'}.`);
          return;
        }
        if (sub === 'pause' || sub === 'resume') {
          await setPlanActive(db, idOf(third, 'kế hoạch'), sub === 'resume', now);
          console.log(sub === 'resume' ? `Đã chạy lại kế hoạch #${third}.` : `Đã tạm dừng kế hoạch #${third}.`);
          return;
        }
        throw new UsageError('Dùng: plan add … | plan pause <id> | plan resume <id>');
      }
      default:
        throw new UsageError('Lệnh: list | sync | queue <slug> --at "YYYY-MM-DD HH:MM" [--channels …] | now <slug> [--channels …] | tick | cancel <id> | retry <id> | confirm <id> | channel-ok <kênh> | plan add|pause|resume');
    }
  } finally {
    await handle.close();
  }
}

async function report(db: Parameters<typeof listScheduled>[0], ids: number[]): Promise<void> {
  const rows = (await listScheduled(db, {})).filter((r) => ids.includes(r.id));
  for (const r of rows) {
    const state = r.held ? 'tạm giữ' : scheduledStateLabel(r.state);
    console.log(`#${r.id} ${channelLabelOf(r.channel)}: ${state}${r.platformPostId ? ` (mã bài: ${r.platformPostId})` : ''}${r.lastError ? ` – ${r.lastError}` : ''}`);
  }
}

try {
  await run(loadConfig(), parseArgs(process.argv.slice(2)));
} catch (e) {
  if (e instanceof StaffInputError || e instanceof UsageError) {
    console.error(e instanceof StaffInputError ? e.staffMessage : e.message);
    process.exitCode = 2;
  } else if (e instanceof ConfigError) {
    console.error(e.message);
    process.exitCode = 1;
  } else {
    throw e;
  }
}
// On PostgreSQL a pg idle timer from the migration step keeps the process alive ~10 s after everything is
// closed; a command-line tool should end when its work is done.
process.exit(process.exitCode ?? 0);
