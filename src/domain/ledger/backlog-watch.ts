/**
 * Backpressure made visible: when a channel's oldest unsent reply has waited longer than the alert age, the log
 * says so ONCE (a warning), and once more when the queue is back under it (info) — never once per message.
 */
import type { Logger } from '../logger.js';
import { waitedSeconds, type QueueStat } from './queue.repo.js';

export class BacklogWatch {
  private readonly alerting = new Set<string>();

  constructor(
    private readonly alertAgeSeconds: number,
    private readonly log: Logger,
  ) {}

  /** Compares the outbound queues with the alert age; returns the channels over it. */
  check(stats: readonly QueueStat[], now: Date): string[] {
    const over = new Map<string, QueueStat>();
    for (const s of stats) if (s.direction === 'outbound' && waitedSeconds(s, now) > this.alertAgeSeconds) over.set(s.channel, s);
    for (const [channel, s] of over) {
      if (this.alerting.has(channel)) continue;
      this.alerting.add(channel);
      this.log.warn(
        { channel, depth: s.depth, oldestWaitSeconds: Math.round(waitedSeconds(s, now)), alertAgeSeconds: this.alertAgeSeconds },
        'outbound queue is backing up: the oldest reply has waited longer than QUEUE_ALERT_AGE',
      );
    }
    for (const channel of [...this.alerting]) {
      if (over.has(channel)) continue;
      this.alerting.delete(channel);
      this.log.info({ channel, alertAgeSeconds: this.alertAgeSeconds }, 'outbound queue back under QUEUE_ALERT_AGE');
    }
    return [...over.keys()];
  }
}
