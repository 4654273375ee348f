/**
 * Starts the real service for admin tests: a fresh migrated database, any free port, a recording channel that
 * stands in for a platform (what it "sent" is inspectable), and the first administrator's one-time password.
 */
import { startService, type Service, type ServiceOptions } from '../../src/app/service.js';
import type { Channel } from '../../src/channels/channel.js';
import { testConfig } from './service.js';
import { DeliveryError, type PublishablePost } from '../../src/domain/delivery.js';
import type { Reply } from '../../src/domain/messages.js';
import { LoginLimiter } from '../../src/domain/staff/login-limiter.js';
import { freshDatabaseUrl } from './db.js';

export interface RecordedSend {
  address: string;
  reply: Reply;
  kind: string;
}

/**
 * A channel that records sends and publications; an address starting with "blocked" fails as a platform would
 * (gone), and `failPublish` makes the next publications fail with that error.
 */
export function recordingChannel(
  name: 'telegram' | 'webchat' | 'messenger' | 'zalo' = 'telegram',
): Channel & { sent: RecordedSend[]; published: PublishablePost[]; failPublish: DeliveryError | null } {
  const sent: RecordedSend[] = [];
  const published: PublishablePost[] = [];
  let n = 0;
  return {
    name,
    sent,
    published,
    failPublish: null,
    async publish(post) {
      if (this.failPublish) throw this.failPublish;
      published.push(post);
      return { platformPostId: `p${++n}` };
    },
    capabilities: { maxTextLength: 4096, maxChoices: 10, choiceTitleMax: 40, maxLinkButtons: 3, sendsPerSecond: 1000, messagingWindowHours: null },
    async send(address, reply, context) {
      if (address.startsWith('blocked')) throw new DeliveryError('gone', 'Forbidden: bot was blocked by the user');
      sent.push({ address, reply, kind: context.kind });
      return { platformMessageIds: [`m${++n}`] };
    },
  };
}

export interface AdminService {
  service: Service;
  channel: ReturnType<typeof recordingChannel>;
  adminUsername: string;
  adminOneTimePassword: string;
  close(): Promise<void>;
}

export async function startAdminService(env: Record<string, string> = {}, options: ServiceOptions = {}): Promise<AdminService> {
  const { url, drop } = await freshDatabaseUrl();
  const config = testConfig(url, { LOG_LEVEL: 'silent', ADMIN_USERNAME: 'quantri', ...env });
  const channel = recordingChannel();
  let first: { username: string; password: string } | null = null;
  const service = await startService(config, {
    channels: () => [channel],
    noCron: true,
    loginLimiter: new LoginLimiter({ windowMs: 60_000, maxPerUser: 5, maxPerIp: 50, slowBaseMs: 5, slowMaxMs: 20 }),
    onFirstAdministrator: (username, password) => (first = { username, password }),
    ...options,
  });
  if (!first) throw new Error('first administrator was not created');
  const created = first as { username: string; password: string };
  return {
    service,
    channel,
    adminUsername: created.username,
    adminOneTimePassword: created.password,
    async close() {
      await service.close();
      await drop();
    },
  };
}
