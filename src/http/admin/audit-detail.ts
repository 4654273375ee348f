/**
 * The audit log's detail (stored as JSON with English keys and UTC instants) as staff read it: Vietnamese labels,
 * Vietnam time, channel names, «Có/Không». Keys without a label are shown by value only, never as code.
 */
import { formatVnDateTime } from '../../domain/staff/vn-time.js';
import { channelLabels } from './pages/labels.js';

const keyLabels: Record<string, string> = {
  alias: 'Tên gọi thêm',
  aliasAdded: 'Đã thêm tên gọi',
  questions: 'Số câu hỏi',
  before: 'Trước',
  after: 'Sau',
  changed: 'Đã sửa',
  date: 'Ngày',
  channel: 'Kênh',
  count: 'Số lượng',
  from: 'Trạng thái trước',
  name: 'Tên',
  number: 'Số điện thoại',
  outboundId: 'Mã tin',
  length: 'Số ký tự',
  rows: 'Lượt đăng',
  id: 'Mã',
  at: 'Thời điểm',
  slug: 'Tên tệp',
  title: 'Tiêu đề',
  username: 'Tên đăng nhập',
  role: 'Quyền',
  created: 'Thêm mới',
  updated: 'Cập nhật',
  unchanged: 'Không đổi',
  code: 'Mã thủ tục',
  codes: 'Mã thủ tục',
  disabled: 'Khoá tài khoản',
  purpose: 'Nội dung hỗ trợ',
  hours: 'Giờ',
  isExample: 'Số minh hoạ',
  sortOrder: 'Thứ tự',
  key: 'Mã',
};

const valueLabels: Record<string, string> = {
  ...channelLabels,
  administrator: 'Quản trị viên',
  editor: 'Biên tập viên',
  viewer: 'Người xem',
  bot: 'Trợ lý tự động',
  waiting_staff: 'Đang chờ cán bộ',
  staff: 'Cán bộ đang trả lời',
};

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  if (typeof value === 'number') return value.toLocaleString('vi-VN');
  if (typeof value === 'string') {
    if (isoInstant.test(value)) return formatVnDateTime(new Date(value));
    return valueLabels[value] ?? value;
  }
  if (Array.isArray(value)) return value.map(valueText).join('; ');
  if (typeof value === 'object') return entriesText(value as Record<string, unknown>);
  return String(value);
}

function entriesText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => (keyLabels[key] ? `${keyLabels[key]}: ${valueText(value)}` : valueText(value)))
    .join(', ');
}

/** One line of Vietnamese for the detail column. */
export function auditDetailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail !== 'object' || Array.isArray(detail)) return valueText(detail);
  return entriesText(detail as Record<string, unknown>);
}

const entityLabels: Record<string, string> = {
  channel: 'Kênh',
  conversation: 'Cuộc trò chuyện',
  hotline: 'Đường dây nóng',
  manual_outreach: 'Tin bài ghi nhận thủ công',
  plan: 'Kế hoạch đăng',
  post: 'Bài viết',
  procedure: 'Thủ tục',
  scheduled_post: 'Lượt đăng',
  unanswered: 'Câu hỏi chưa trả lời',
  user: 'Người dùng',
};

/** «Thủ tục 1.001193», «Kênh Zalo OA», «Bài viết số 12». */
export function auditEntityText(entity: string, entityId: string | null): string {
  const what = entityLabels[entity] ?? 'Mục';
  if (!entityId) return what;
  if (entity === 'channel') return `${what} ${valueLabels[entityId] ?? entityId}`;
  return /^\d+$/.test(entityId) ? `${what} số ${entityId}` : `${what} ${entityId}`;
}
