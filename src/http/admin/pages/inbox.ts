/** Hộp thư: conversations (waiting for staff first), one thread, a staff reply through the ledger, hand back. */
import type { Router } from 'express';
import { conversationThread, listConversations } from '../../../domain/staff/inbox.repo.js';
import { handBackToBot, maxStaffReplyLength, sendStaffReply } from '../../../domain/staff/staff-reply.js';
import { formatVnDateTime } from '../../../domain/staff/vn-time.js';
import { can } from '../../../domain/staff/roles.js';
import { allow, staffOf } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { HttpError } from '../../errors.js';
import { field, idParam, query } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { channelLabels, conversationStateLabels, deliveryStatusLabels, label } from './labels.js';

export function inboxRoutes(router: Router, deps: AdminDeps): void {
  router.get('/inbox', async (req, res) => {
    const staff = staffOf(res);
    const state = ['waiting_staff', 'staff', 'bot'].includes(query(req, 'state')) ? query(req, 'state') : undefined;
    const rows = await listConversations(deps.db, { state });
    const filters = [
      ['', 'Tất cả'],
      ['waiting_staff', 'Đang chờ cán bộ'],
      ['staff', 'Cán bộ đang trả lời'],
      ['bot', 'Trợ lý tự động'],
    ] as const;
    renderPage(res, staff, {
      title: 'Hộp thư',
      active: 'inbox',
      body: html`<p class="filters">${filters.map(([v, l]) => html`<a href="/admin/inbox${v ? `?state=${v}` : ''}" class="chip"${(state ?? '') === v ? html` aria-current="true"` : ''}>${l}</a>`)}</p>
${rows.length === 0 ? html`<p class="empty">Chưa có cuộc hội thoại nào.</p>` : html`<ul class="list">
${rows.map((c) => html`<li class="item ${c.state === 'waiting_staff' ? 'urgent' : ''}">
  <a href="/admin/inbox/${c.id}"><strong>${label(channelLabels, c.channel)}</strong> · <span class="state state-${c.state}">${label(conversationStateLabels, c.state)}</span></a>
  <p class="excerpt">${c.lastText ?? '(chưa có tin nhắn)'}</p>
  <p class="meta">Tin cuối: ${formatVnDateTime(c.lastInboundAt)}${c.handedOverAt ? html` · Chuyển cán bộ lúc ${formatVnDateTime(c.handedOverAt)}` : ''}</p>
</li>`)}
</ul>`}`,
    });
  });

  router.get('/inbox/:id', async (req, res) => {
    const staff = staffOf(res);
    const thread = await conversationThread(deps.db, idParam(req));
    if (!thread) throw new HttpError(404, 'Không tìm thấy cuộc hội thoại.', 'conversation not found');
    const mayReply = can(staff.user.role, 'inbox.reply');
    renderPage(res, staff, {
      title: `Hội thoại #${thread.id}`,
      active: 'inbox',
      body: html`<p class="meta">${label(channelLabels, thread.channel)} · <span class="state state-${thread.state}">${label(conversationStateLabels, thread.state)}</span> · Mã người dân (ẩn danh): <code>${thread.citizenRef.slice(0, 8)}</code></p>
<ol class="thread" aria-label="Tin nhắn">
${thread.items.map((m) => html`<li class="msg ${m.direction} kind-${m.kind}">
  <div class="bubble">${m.text || '(không có nội dung chữ)'}</div>
  <div class="meta">${m.direction === 'in' ? 'Người dân' : m.kind === 'staff' ? 'Cán bộ' : m.kind === 'post' ? 'Bài đăng' : 'Trợ lý'} · ${formatVnDateTime(m.at)}${
    m.status && m.status !== 'sent' ? html` · <span class="status status-${m.status}">${label(deliveryStatusLabels, m.status)}${m.error ? html`: ${m.error}` : ''}</span>` : ''
  }</div>
</li>`)}
</ol>
${mayReply ? html`<form method="post" action="/admin/inbox/${thread.id}/reply" class="card">
${csrfField(staff)}
<label for="reply">Trả lời người dân</label>
<textarea id="reply" name="text" rows="4" maxlength="${maxStaffReplyLength}" required></textarea>
<p class="hint">Tin trả lời được gửi qua ${label(channelLabels, thread.channel)} và ghi vào sổ theo dõi tin nhắn.</p>
<button type="submit" class="primary">Gửi trả lời</button>
</form>
${thread.state !== 'bot' ? html`<form method="post" action="/admin/inbox/${thread.id}/hand-back" class="card">
${csrfField(staff)}
<p>Khi đã giải đáp xong, hãy chuyển lại cho trợ lý tự động trả lời các câu hỏi tiếp theo.</p>
<button type="submit">Chuyển lại cho trợ lý tự động</button>
</form>` : ''}` : html`<p class="hint">Tài khoản Người xem chỉ xem được hội thoại, không gửi trả lời.</p>`}
<p><a href="/admin/inbox">← Quay lại hộp thư</a></p>`,
    });
  });

  router.post('/inbox/:id/reply', allow('inbox.reply'), async (req, res) => {
    const staff = staffOf(res);
    const id = idParam(req);
    const result = await sendStaffReply(deps, { conversationId: id, text: field(req, 'text'), who: staff.user.username });
    const flash = result.status === 'sent' ? '?ok=sent' : result.status === 'pending' ? '?ok=queued' : '';
    res.redirect(303, `/admin/inbox/${id}${flash}`);
  });

  router.post('/inbox/:id/hand-back', allow('inbox.reply'), async (req, res) => {
    const id = idParam(req);
    const prompt = await handBackToBot(deps.db, id, staffOf(res).user.username);
    if (prompt !== null) await deps.dispatcher.dispatch([prompt]);
    res.redirect(303, `/admin/inbox/${id}?ok=handed_back`);
  });
}
