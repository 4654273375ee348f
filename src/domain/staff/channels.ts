/**
 * Channel status for staff: which channels are configured, whether the last send worked, the last error; and a
 * test send to an address, which goes through the ledger like every message (kind 'test', topic 'channel-test',
 * so reports can leave it out).
 */
import type { Db } from '../../db/client.js';
import type { Dispatcher } from '../ledger/dispatcher.js';
import { enqueueOutbound } from '../ledger/outbox.repo.js';
import { channelNames } from '../messages.js';
import { markChannelHealthy } from '../scheduler/staff.repo.js';
import { recordAudit } from './audit.repo.js';
import { StaffError } from './users.js';

export const channelTestTopic = 'channel-test';

export interface ChannelStatus {
  name: string;
  configured: boolean;
  healthy: boolean;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSentAt: Date | null;
  lastInboundAt: Date | null;
  /** Ledger rows waiting to be sent (pending). */
  pending: number;
  /** When the oldest of them was queued (null: nothing waits). */
  oldestPendingAt: Date | null;
  /** Rows that failed or are unconfirmed in the last 7 days. */
  recentFailures: number;
}

export async function channelStatuses(db: Db, configured: readonly string[], now = new Date()): Promise<ChannelStatus[]> {
  // Configured channels first, in registry order, then the ones not set up yet.
  const names = [...new Set([...configured, ...channelNames])];
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const states = new Map((await db.channelState.findMany()).map((s) => [s.channel, s]));
  return Promise.all(
    names.map(async (name) => {
      const [lastSent, lastIn, pending, recentFailures] = await Promise.all([
        db.outboundMessage.findFirst({ where: { channel: name, status: 'sent' }, orderBy: { sentAt: 'desc' }, select: { sentAt: true } }),
        db.inboundMessage.findFirst({ where: { channel: name }, orderBy: { receivedAt: 'desc' }, select: { receivedAt: true } }),
        db.outboundMessage.aggregate({ where: { channel: name, status: 'pending' }, _count: { _all: true }, _min: { createdAt: true } }),
        db.outboundMessage.count({ where: { channel: name, status: { in: ['failed', 'unconfirmed'] }, createdAt: { gte: weekAgo } } }),
      ]);
      const s = states.get(name);
      return {
        name,
        configured: configured.includes(name),
        healthy: s?.healthy ?? true,
        lastError: s?.lastError ?? null,
        lastErrorAt: s?.lastErrorAt ?? null,
        lastSentAt: lastSent?.sentAt ?? null,
        lastInboundAt: lastIn?.receivedAt ?? null,
        pending: pending._count._all,
        oldestPendingAt: pending._min.createdAt,
        recentFailures,
      };
    }),
  );
}

export interface TestSendResult {
  outboundId: number;
  status: string;
  error: string | null;
}

/** Sends a short test message to `address` on a configured channel through the ledger. */
export async function testSend(
  deps: { db: Db; dispatcher: Pick<Dispatcher, 'dispatch'>; configured: readonly string[] },
  input: { channel: string; address: string; who: string },
): Promise<TestSendResult> {
  const address = input.address.trim();
  if (!deps.configured.includes(input.channel)) throw new StaffError('Kênh này chưa được cấu hình nên không thể gửi thử.');
  if (address === '' || address.length > 200) throw new StaffError('Vui lòng nhập địa chỉ nhận (mã người dùng, mã cuộc trò chuyện hoặc phiên web chat).');
  const text = `Tin nhắn thử từ hệ thống hỗ trợ thủ tục hành chính (${input.who}). Xin bỏ qua tin này.`;
  const outboundId = await deps.db.$transaction(async (tx) => {
    const [id] = await enqueueOutbound(tx, [
      { channel: input.channel, kind: 'test', recipientRef: 'channel-test', address, topic: channelTestTopic, reply: { kind: 'text', text } },
    ]);
    await recordAudit(tx, { who: input.who, action: 'channel.test_send', entity: 'channel', entityId: input.channel, detail: { outboundId: id } });
    return id as number;
  });
  await deps.dispatcher.dispatch([outboundId]);
  const row = await deps.db.outboundMessage.findUniqueOrThrow({ where: { id: outboundId }, select: { status: true, lastError: true } });
  return { outboundId, status: row.status, error: row.lastError };
}

/**
 * Staff updated a channel's credentials: the channel is healthy again and the posts held while it failed go out
 * (a plan's latest only, so nothing bursts).
 */
export async function restoreChannel(db: Db, channel: string, who: string, now = new Date()): Promise<{ released: number; missed: number }> {
  if (!(channelNames as readonly string[]).includes(channel)) throw new StaffError('Kênh không hợp lệ.');
  const result = await markChannelHealthy(db, channel, now);
  await recordAudit(db, { who, action: 'channel.restore', entity: 'channel', entityId: channel, detail: result });
  return result;
}
