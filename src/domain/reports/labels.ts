/** Vietnamese names shown in reports for channels, outlets and outcomes. */
import { topicLabel as contentTopicLabel } from '../content/topics.js';
import { MANUAL_CHANNEL_LABELS, type ManualChannel } from './manual.js';

/** Where a post (tin bài) appeared: the service's channels and the hand-recorded ones merged by medium. */
export type Outlet = ManualChannel | 'facebook' | 'zalo' | 'telegram';

/** The service publishes posts on these channels; webchat stands for the commune website's news feed. */
const SERVICE_POST_OUTLET: Record<string, Outlet> = { webchat: 'website', messenger: 'facebook', zalo: 'zalo', telegram: 'telegram' };

export const OUTLET_ORDER: readonly Outlet[] = ['website', 'radio', 'facebook', 'zalo', 'telegram', 'banner', 'meeting', 'other'];

const OUTLET_LABELS: Record<Outlet, string> = {
  ...MANUAL_CHANNEL_LABELS,
  facebook: 'Trang Facebook (Fanpage)',
  zalo: 'Zalo OA',
  telegram: 'Kênh Telegram',
};

/** Outlet of a post the service sent on `channel` (an unknown channel stands for itself). */
export function serviceOutlet(channel: string): string {
  return SERVICE_POST_OUTLET[channel] ?? channel;
}

export function outletLabel(outlet: string): string {
  return OUTLET_LABELS[outlet as Outlet] ?? outlet;
}

export const CHANNEL_ORDER: readonly string[] = ['zalo', 'messenger', 'telegram', 'webchat'];

const CHANNEL_LABELS: Record<string, string> = {
  messenger: 'Facebook Messenger',
  zalo: 'Zalo OA',
  telegram: 'Telegram',
  webchat: 'Hỏi đáp trên Trang thông tin điện tử',
};

/** Name of a messaging channel, for citizen messages and replies. */
export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

const OUTCOME_LABELS: Record<string, string> = {
  answered: 'Trả lời theo thủ tục hành chính',
  choices: 'Gợi ý để người dân chọn thủ tục',
  unanswered: 'Chưa trả lời được',
  greeting: 'Chào hỏi',
  menu: 'Xem danh mục',
  hotline: 'Cung cấp đường dây nóng',
  info: 'Cung cấp thông tin chung',
  handover: 'Chuyển cán bộ trả lời',
  followup: 'Hỏi tiếp về thủ tục đang xem',
  offtopic: 'Ngoài phạm vi hỗ trợ',
  emergency: 'Tình huống khẩn cấp',
  referral: 'Hướng dẫn đến cơ quan có thẩm quyền (ngoài thẩm quyền của xã)',
  ignored: 'Không cần trả lời',
};

export const OUTCOME_ORDER: readonly string[] = Object.keys(OUTCOME_LABELS);

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome] ?? outcome;
}

const KIND_LABELS: Record<string, string> = { reply: 'Tin trả lời tự động', post: 'Tin, bài tuyên truyền', staff: 'Tin cán bộ trả lời' };

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/**
 * Label of a post topic: the outreach plan's Vietnamese name for the library's topic keys, the text itself for
 * topics staff typed on hand-recorded items; posts without one are grouped as unclassified.
 */
export function topicLabel(topic: string): string {
  return topic === '' ? 'Chưa phân loại' : contentTopicLabel(topic);
}
