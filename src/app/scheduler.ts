/**
 * Wires the post scheduler into a process: the tick's dependencies from Config, and node-cron calling it on
 * config.SCHEDULER_TICK. All logic is in src/domain/scheduler; cron only ticks.
 */
import os from 'node:os';
import path from 'node:path';
import cron from 'node-cron';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { syncLibrary, type SyncResult } from '../domain/content/library.repo.js';
import { withWebsitePublishing } from '../domain/content/website.js';
import type { Outlet } from '../domain/delivery.js';
import { errorKind, type Logger } from '../domain/logger.js';
import { tick, type TickDeps, type TickResult } from '../domain/scheduler/run.js';

/** Syncs CONTENT_DIR/posts into the database (at start; staff run `npm run posts -- sync` on demand). */
export function syncPostLibrary(config: Pick<Config, 'CONTENT_DIR'>, db: Db, log: Logger): Promise<SyncResult> {
  return syncLibrary(db, path.join(config.CONTENT_DIR, 'posts'), log);
}

/** The tick's dependencies: the given outlets plus website publishing on `webchat`. */
export function postTickDeps(config: Config, db: Db, outlets: readonly Outlet[], log: Logger): TickDeps {
  return {
    db,
    outlets: withWebsitePublishing(outlets),
    instanceId: config.INSTANCE_ID ?? `${os.hostname()}:${process.pid}`,
    graceMinutes: config.SCHEDULER_GRACE_MINUTES,
    log,
  };
}

/** Starts node-cron on config.SCHEDULER_TICK; one tick at a time per process. Returns stop(). */
export function startPostScheduler(config: Config, deps: TickDeps): { runOnce(): Promise<TickResult | null>; stop(): Promise<void> } {
  let running: Promise<TickResult | null> | null = null;
  const runOnce = () => {
    running ??= tick(deps, new Date())
      .catch((e: unknown) => {
        deps.log.error({ cause: errorKind(e) }, 'post scheduler tick failed');
        return null;
      })
      .finally(() => (running = null));
    return running;
  };
  const task = cron.schedule(config.SCHEDULER_TICK, () => void runOnce(), { noOverlap: true });
  return {
    runOnce,
    async stop() {
      await task.stop();
      if (running) await running;
    },
  };
}
