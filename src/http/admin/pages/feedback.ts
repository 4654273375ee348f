/**
 * Phản ánh, kiến nghị: items by state with their due dates (overdue first), one item with its audit trail, taking
 * it in hand, the answer or the transfer sent to the citizen through their channel and the ledger, the Q&A draft
 * for the website (with the citizen's consent), deletion of personal data on request, and the CSV export.
 */
import type { Router } from 'express';
import { feedbackStateLabels, feedbackStates, feedbackSubjectLabels, isFeedbackState, isFeedbackSubject, isOpen } from '../../../domain/feedback/feedback.js';
import { closeFeedback, getFeedback, listFeedback, maxAnswerLength, redactFeedback, startProcessing } from '../../../domain/feedback/feedback.repo.js';
import { feedbackExportHeader, feedbackExportRows } from '../../../domain/feedback/export.js';
import { draftQaPost, publishRefusal } from '../../../domain/feedback/publish.js';
import { can } from '../../../domain/staff/roles.js';
import { formatVnDate, formatVnDateTime } from '../../../domain/staff/vn-time.js';
import { encodeCsv, writeCsv } from '../../../domain/tabular/csv.js';
import { HttpError } from '../../errors.js';
import { allow, staffOf } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { field, idParam, query } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { channelLabels, label } from './labels.js';

const eventLabels: Record<string, string> = {
  filed: 'Người dân gửi phản ánh',
  state: 'Chuyển trạng thái',
  answered: 'Trả lời người dân',
  transferred: 'Chuyển cơ quan khác',
  published: 'Tạo bài hỏi đáp (nháp)',
  redacted: 'Xoá dữ liệu cá nhân',
};

const stateLabel = (s: string) => (isFeedbackState(s) ? feedbackStateLabels[s] : s);
const subjectLabel = (s: string) => (isFeedbackSubject(s) ? feedbackSubjectLabels[s] : s);
/** The last day to answer (the due instant is the midnight after it). */
const dueDay = (d: Date) => formatVnDate(new Date(d.getTime() - 1));

export function feedbackRoutes(router: Router, deps: AdminDeps): void {
  router.get('/feedback', async (req, res) => {
    const staff = staffOf(res);
    const now = new Date();
    const raw = query(req, 'state');
    const overdue = raw === 'overdue';
    const state = isFeedbackState(raw) ? raw : undefined;
    const rows = await listFeedback(deps.db, now, { state, overdue });
    const filters: [string, string][] = [['', 'Tất cả'], ['overdue', 'Quá hạn'], ...feedbackStates.map((s): [string, string] => [s, feedbackStateLabels[s]])];
    renderPage(res, staff, {
      title: 'Phản ánh, kiến nghị',
      active: 'feedback',
      body: html`<p class="hint">Người dân gửi phản ánh qua trợ lý trên mọi kênh và nhận mã tra cứu (PA-năm-số). Hạn trả lời: ${deps.feedbackProcessingDays ?? 10} ngày làm việc kể từ ngày tiếp nhận.</p>
<p class="filters">${filters.map(([v, l]) => html`<a href="/admin/feedback${v ? `?state=${v}` : ''}" class="chip"${(raw ?? '') === v ? html` aria-current="true"` : ''}>${l}</a>`)}
<a href="/admin/feedback/export.csv" class="chip">Tải CSV</a></p>
${rows.length === 0 ? html`<p class="empty">Không có phản ánh nào.</p>` : html`<div class="table-wrap"><table aria-label="Danh sách phản ánh">
<thead><tr><th>Mã</th><th>Nội dung về</th><th>Trạng thái</th><th>Hạn trả lời</th><th>Kênh</th><th>Tiếp nhận</th></tr></thead>
<tbody>
${rows.map((r) => html`<tr class="${r.overdue ? 'urgent' : ''}">
  <td><a href="/admin/feedback/${r.id}">${r.code}</a></td>
  <td>${subjectLabel(r.subject)}${r.procedureName ? html`: ${r.procedureName}` : ''}<br><small>${r.content.slice(0, 120)}</small></td>
  <td><span class="state state-${r.state}">${stateLabel(r.state)}</span></td>
  <td>${dueDay(r.dueAt)}${r.overdue ? html` <strong class="status status-failed">Quá hạn</strong>` : ''}</td>
  <td>${label(channelLabels, r.channel)}</td>
  <td>${formatVnDateTime(r.receivedAt)}</td>
</tr>`)}
</tbody></table></div>`}`,
    });
  });

  router.get('/feedback/export.csv', allow('reports.export'), async (_req, res) => {
    const staff = staffOf(res);
    const includePersonal = can(staff.user.role, 'personal.data');
    const rows = await feedbackExportRows(deps.db, { includePersonal });
    res.set('Content-Disposition', 'attachment; filename="phan-anh-kien-nghi.csv"');
    res.type('text/csv; charset=utf-8').send(encodeCsv(writeCsv([feedbackExportHeader(includePersonal), ...rows])));
  });

  router.get('/feedback/:id', async (req, res) => {
    const staff = staffOf(res);
    const item = await getFeedback(deps.db, idParam(req));
    if (!item) throw new HttpError(404, 'Không tìm thấy phản ánh, kiến nghị này.', 'feedback item not found');
    const now = new Date();
    const mayHandle = can(staff.user.role, 'inbox.reply');
    const open = isOpen(item.state);
    const refusal = publishRefusal(item);
    const outbound = item.answerOutboundId ? await deps.db.outboundMessage.findUnique({ where: { id: item.answerOutboundId }, select: { status: true, lastError: true } }) : null;
    renderPage(res, staff, {
      title: `Phản ánh ${item.code}`,
      active: 'feedback',
      body: html`<dl class="facts">
<dt>Trạng thái</dt><dd><span class="state state-${item.state}">${stateLabel(item.state)}</span>${open && item.dueAt < now ? html` <strong class="status status-failed">Quá hạn</strong>` : ''}</dd>
<dt>Nội dung về</dt><dd>${subjectLabel(item.subject)}${item.procedureName ? html`: ${item.procedureName} (${item.procedureCode ?? ''})` : ''}</dd>
<dt>Kênh</dt><dd>${label(channelLabels, item.channel)}</dd>
<dt>Tiếp nhận</dt><dd>${formatVnDateTime(item.receivedAt)}</dd>
<dt>Hạn trả lời</dt><dd>${dueDay(item.dueAt)}</dd>
<dt>Số điện thoại</dt><dd>${item.phone && item.phoneConsent ? (mayHandle ? item.phone : 'Đã ẩn (tài khoản Người xem)') : 'Người dân không để lại'}</dd>
<dt>Đồng ý công khai</dt><dd>${item.publishConsent ? 'Có (đã lược bỏ thông tin cá nhân khi đăng)' : 'Không'}</dd>
${item.transferredTo ? html`<dt>Chuyển đến</dt><dd>${item.transferredTo}</dd>` : ''}
</dl>
<h2>Nội dung phản ánh</h2>
<blockquote class="bubble">${item.content}</blockquote>
${item.answer ? html`<h2>${item.state === 'transferred' ? 'Thông báo chuyển' : 'Trả lời'}</h2><blockquote class="bubble">${item.answer}</blockquote>
<p class="meta">${item.answeredBy ?? ''} · ${formatVnDateTime(item.answeredAt ?? item.transferredAt)}${outbound ? html` · Gửi cho người dân: ${outbound.status === 'sent' ? 'đã gửi' : outbound.status}${outbound.lastError ? html` (${outbound.lastError})` : ''}` : item.conversationId === null ? ' · Không còn kênh để gửi cho người dân' : ''}</p>` : ''}
${mayHandle && open ? html`${item.state === 'new' ? html`<form method="post" action="/admin/feedback/${item.id}/start" class="card">${csrfField(staff)}<button type="submit">Nhận xử lý</button></form>` : ''}
<form method="post" action="/admin/feedback/${item.id}/answer" class="card">
${csrfField(staff)}
<label for="answer">Trả lời người dân</label>
<textarea id="answer" name="text" rows="5" maxlength="${maxAnswerLength}" required></textarea>
<p class="hint">Câu trả lời được gửi qua ${label(channelLabels, item.channel)} của người dân và ghi vào sổ theo dõi tin nhắn.</p>
<button type="submit" class="primary">Gửi trả lời</button>
</form>
<form method="post" action="/admin/feedback/${item.id}/transfer" class="card">
${csrfField(staff)}
<label for="body">Chuyển đến cơ quan</label>
<input id="body" name="body" maxlength="200" required placeholder="Ví dụ: Công an xã, Sở Nông nghiệp và Môi trường">
<label for="note">Thông báo cho người dân</label>
<textarea id="note" name="text" rows="3" maxlength="${maxAnswerLength}" required></textarea>
<button type="submit">Chuyển cơ quan khác</button>
</form>` : ''}
${can(staff.user.role, 'content.edit') && item.state === 'answered' ? html`<form method="post" action="/admin/feedback/${item.id}/publish" class="card">
${csrfField(staff)}
${refusal ? html`<p class="hint">${refusal}</p>` : html`<p class="hint">Tạo bài hỏi đáp (nháp) trong Thư viện nội dung, chủ đề «Đường dây nóng, cách gửi phản ánh, kiến nghị»; số điện thoại, thư điện tử, số giấy tờ được lược bỏ. Hãy đọc lại bài rồi đưa vào lịch đăng lên Trang thông tin điện tử.</p>
<button type="submit">${item.postSlug ? 'Cập nhật bài hỏi đáp' : 'Tạo bài hỏi đáp'}</button>`}
${item.postSlug ? html`<p class="meta">Bài: <code>${item.postSlug}</code></p>` : ''}
</form>` : ''}
${can(staff.user.role, 'personal.data') && !item.redactedAt ? html`<form method="post" action="/admin/feedback/${item.id}/redact" class="card">
${csrfField(staff)}
<p>Người dân yêu cầu xoá dữ liệu cá nhân (Nghị định 13/2023): nội dung và số điện thoại bị xoá; mã, ngày và trạng thái được giữ cho báo cáo.</p>
<button type="submit" class="danger">Xoá dữ liệu cá nhân</button>
</form>` : ''}
<h2>Lịch sử xử lý</h2>
<ol class="list" aria-label="Lịch sử xử lý">
${item.events.map((e) => html`<li>${formatVnDateTime(e.at)} · ${eventLabels[e.action] ?? e.action}${e.toState && e.action === 'state' ? html` → ${stateLabel(e.toState)}` : ''}${e.note ? html` (${e.note})` : ''} · <strong>${e.who === 'citizen' ? 'Người dân' : e.who}</strong></li>`)}
</ol>
<p><a href="/admin/feedback">← Quay lại danh sách</a></p>`,
    });
  });

  router.post('/feedback/:id/start', allow('inbox.reply'), async (req, res) => {
    const id = idParam(req);
    await startProcessing(deps.db, id, staffOf(res).user.username, new Date());
    res.redirect(303, `/admin/feedback/${id}?ok=processing`);
  });

  router.post('/feedback/:id/answer', allow('inbox.reply'), async (req, res) => {
    const id = idParam(req);
    const outboundId = await closeFeedback(deps.db, { id, to: 'answered', text: field(req, 'text'), who: staffOf(res).user.username }, new Date());
    if (outboundId !== null) await deps.dispatcher.dispatch([outboundId]);
    res.redirect(303, `/admin/feedback/${id}?ok=answered`);
  });

  router.post('/feedback/:id/transfer', allow('inbox.reply'), async (req, res) => {
    const id = idParam(req);
    const outboundId = await closeFeedback(
      deps.db,
      { id, to: 'transferred', text: field(req, 'text'), transferredTo: field(req, 'body'), who: staffOf(res).user.username },
      new Date(),
    );
    if (outboundId !== null) await deps.dispatcher.dispatch([outboundId]);
    res.redirect(303, `/admin/feedback/${id}?ok=transferred`);
  });

  router.post('/feedback/:id/publish', allow('content.edit'), async (req, res) => {
    const id = idParam(req);
    await draftQaPost(deps.db, id, staffOf(res).user.username, new Date());
    res.redirect(303, `/admin/feedback/${id}?ok=drafted`);
  });

  router.post('/feedback/:id/redact', allow('personal.data'), async (req, res) => {
    const id = idParam(req);
    await redactFeedback(deps.db, id, staffOf(res).user.username, 'request', new Date());
    res.redirect(303, `/admin/feedback/${id}?ok=redacted`);
  });
}
