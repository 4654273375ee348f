/**
 * The optional alert to a staff Telegram group when a citizen asks for a person. It is a ledger row like every
 * message (kind 'alert': never counted in the report, never shown in the citizen's thread), queued in the same
 * transaction as the handover, so it goes out once even with two instances.
 */
import type { OutboundDraft } from '../ledger/outbox.repo.js';

/** Where alerts go: a chat of one channel, and the admin's public address for a link to the conversation. */
export interface StaffAlertTarget {
  channel: string;
  address: string;
  adminBaseUrl: string | null;
}

const channelNames: Record<string, string> = { messenger: 'Messenger', zalo: 'Zalo', telegram: 'Telegram', webchat: 'trang web' };

/** The alert for one handover. */
export function staffAlertDraft(target: StaffAlertTarget, handover: { conversationId: number; channel: string; text: string }): OutboundDraft {
  const excerpt = handover.text.trim().slice(0, 200);
  const link = target.adminBaseUrl ? `\nMở hộp thư: ${target.adminBaseUrl.replace(/\/+$/, '')}/admin/inbox/${handover.conversationId}` : '';
  return {
    channel: target.channel,
    kind: 'alert',
    recipientRef: 'staff-group',
    address: target.address,
    conversationId: null,
    reply: {
      kind: 'text',
      text: `Có người dân cần gặp cán bộ (${channelNames[handover.channel] ?? handover.channel}, hội thoại #${handover.conversationId})${excerpt ? `: «${excerpt}»` : '.'}${link}`,
    },
  };
}
