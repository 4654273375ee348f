/** Nhật ký thay đổi: who changed what, newest first (administrators). */
import type { Router } from 'express';
import { listAudit } from '../../../domain/staff/audit.repo.js';
import { formatVnDateTime } from '../../../domain/staff/vn-time.js';
import { auditDetailText, auditEntityText } from '../audit-detail.js';
import { allow, staffOf } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { html } from '../html.js';
import { renderPage } from '../layout.js';

const actionLabels: Record<string, string> = {
  'user.create': 'Tạo người dùng',
  'user.change_password': 'Đổi mật khẩu',
  'user.reset_password': 'Đặt lại mật khẩu',
  'user.update_access': 'Đổi quyền / khoá tài khoản',
  'conversation.reply': 'Trả lời người dân',
  'conversation.hand_back': 'Chuyển lại cho trợ lý',
  'unanswered.attach': 'Gắn câu hỏi vào thủ tục',
  'unanswered.dismiss': 'Bỏ qua câu hỏi',
  'channel.test_send': 'Gửi thử qua kênh',
  'channel.restore': 'Cho kênh hoạt động lại',
  'hotline.create': 'Thêm đường dây nóng',
  'hotline.update': 'Sửa đường dây nóng',
  'hotline.delete': 'Xoá đường dây nóng',
  'procedure.update': 'Sửa thủ tục',
  'procedure.import': 'Nhập thủ tục từ tệp',
  'hotline.import': 'Nhập đường dây nóng từ tệp',
  'post.save': 'Lưu bài viết',
  'post.take_over': 'Sửa bài lấy từ tệp thư viện (tệp không còn ghi đè)',
  'post.queue': 'Đưa bài vào lịch đăng',
  'schedule.cancel': 'Hủy lượt đăng',
  'schedule.retry': 'Đăng lại',
  'schedule.confirm': 'Xác nhận bài đã lên kênh',
  'plan.create': 'Tạo kế hoạch đăng',
  'plan.update': 'Sửa kế hoạch đăng',
  'plan.pause': 'Tạm dừng kế hoạch',
  'plan.resume': 'Chạy lại kế hoạch',
  'report.manual_add': 'Ghi nhận tin bài ngoài hệ thống',
  'report.manual_delete': 'Xoá ghi nhận tin bài',
};

export function auditRoutes(router: Router, deps: AdminDeps): void {
  router.get('/audit', allow('users.manage'), async (_req, res) => {
    const staff = staffOf(res);
    const rows = await listAudit(deps.db, { take: 200 });
    renderPage(res, staff, {
      title: 'Nhật ký thay đổi',
      active: 'audit',
      body: html`<div class="table-wrap"><table>
<thead><tr><th scope="col">Thời gian</th><th scope="col">Người thực hiện</th><th scope="col">Việc</th><th scope="col">Đối tượng</th><th scope="col">Chi tiết</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${formatVnDateTime(r.at)}</td><td>${r.who}</td><td>${actionLabels[r.action] ?? 'Thay đổi khác'}</td><td>${auditEntityText(r.entity, r.entityId)}</td><td class="detail">${auditDetailText(r.detail)}</td></tr>`)}</tbody>
</table></div>`,
    });
  });
}
