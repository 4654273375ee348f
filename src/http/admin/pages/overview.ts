/** Tổng quan: what needs attention now and messages and posts per week (server-rendered SVG). */
import type { Router } from 'express';
import { parsePeriod } from '../../../domain/reports/period.js';
import { computeTallies } from '../../../domain/reports/tallies.js';
import { overview } from '../../../domain/staff/dashboard.repo.js';
import { suggestedPeriods } from '../../../domain/staff/reports-admin.js';
import { staffOf } from '../auth.js';
import { barChart } from '../chart.js';
import type { AdminDeps } from '../deps.js';
import { html } from '../html.js';
import { renderPage } from '../layout.js';

const dayMonth = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit' });

export function overviewRoutes(router: Router, deps: AdminDeps): void {
  router.get('/', async (_req, res) => {
    const staff = staffOf(res);
    const quarter = parsePeriod(suggestedPeriods(new Date())[1]!.key);
    const [o, t] = await Promise.all([overview(deps.db), computeTallies(deps.db, quarter)]);
    const sum = (k: 'inbound' | 'replies' | 'posts') => o.weeks.reduce((n, w) => n + w[k], 0);
    const thisWeek = o.weeks[o.weeks.length - 1];
    renderPage(res, staff, {
      title: 'Tổng quan',
      active: 'overview',
      body: html`<div class="tiles">
  <a class="tile ${o.waitingStaff > 0 ? 'attention' : ''}" href="/admin/inbox?state=waiting_staff"><span class="num">${o.waitingStaff}</span><span>hội thoại chờ cán bộ</span></a>
  <a class="tile ${o.openUnanswered > 0 ? 'attention' : ''}" href="/admin/unanswered"><span class="num">${o.openUnanswered}</span><span>câu hỏi chưa trả lời</span></a>
  <a class="tile ${o.failedLast7Days > 0 ? 'attention' : ''}" href="/admin/channels"><span class="num">${o.failedLast7Days}</span><span>tin gửi lỗi trong 7 ngày</span></a>
  <a class="tile" href="/admin/procedures"><span class="num">${o.procedures}</span><span>thủ tục đang áp dụng</span></a>
</div>
<section class="card">
<h2>${quarter.label.replace(/^./, (c) => c.toUpperCase())}</h2>
<dl class="facts">
  <dt>Tin bài tuyên truyền CCHC</dt><dd>${t.posts.total}${t.posts.manual ? ` (trong đó ${t.posts.manual} ghi nhận thủ công)` : ''}</dd>
  <dt>Tin nhắn người dân gửi</dt><dd>${t.inbound.messages} (từ ${t.inbound.citizens} người)</dd>
  <dt>Câu hỏi được trả lời</dt><dd>${t.questions.answered} · chưa trả lời được: ${t.questions.unanswered}</dd>
  <dt>Cán bộ trả lời trực tiếp</dt><dd>${t.staff.replies} tin, ${t.staff.handovers} lượt chuyển cán bộ</dd>
</dl>
<p><a href="/admin/reports?period=${quarter.key}">Xem và tải báo cáo ${quarter.label} →</a></p>
</section>
<section class="card">
<h2>Tin nhắn và bài đăng theo tuần</h2>
<p class="meta">Tuần này: ${thisWeek?.inbound ?? 0} tin người dân gửi, ${thisWeek?.replies ?? 0} tin trả lời, ${thisWeek?.posts ?? 0} bài đăng. 12 tuần qua: ${sum('inbound')} / ${sum('replies')} / ${sum('posts')}.</p>
${barChart(
  o.weeks.map((w) => dayMonth.format(w.weekStart)),
  [
    { label: 'Tin người dân gửi', className: 's1', values: o.weeks.map((w) => w.inbound) },
    { label: 'Tin trả lời', className: 's2', values: o.weeks.map((w) => w.replies) },
    { label: 'Bài đăng', className: 's3', values: o.weeks.map((w) => w.posts) },
  ],
  'Số tin nhắn và bài đăng mỗi tuần trong 12 tuần qua',
)}
<p class="hint">Mỗi cột là một tuần, tính từ thứ Hai (giờ Việt Nam). Chỉ tính tin đã gửi thành công.</p>
</section>`,
    });
  });
}
