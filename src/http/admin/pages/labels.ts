/** Vietnamese names for values stored in English. */
export const channelLabels: Record<string, string> = {
  messenger: 'Facebook Messenger',
  zalo: 'Zalo OA',
  telegram: 'Telegram',
  webchat: 'Web chat (Trang TTĐT)',
};

export const conversationStateLabels: Record<string, string> = {
  bot: 'Trợ lý tự động',
  waiting_staff: 'Đang chờ cán bộ',
  staff: 'Cán bộ đang trả lời',
};

export const deliveryStatusLabels: Record<string, string> = {
  pending: 'Đang chờ gửi',
  sending: 'Đang gửi',
  sent: 'Đã gửi',
  failed: 'Gửi không được',
  unconfirmed: 'Chưa xác nhận được',
  not_sent: 'Không gửi (quá thời hạn nhắn tin của nền tảng)',
};

export function label(map: Record<string, string>, key: string): string {
  return map[key] ?? key;
}
