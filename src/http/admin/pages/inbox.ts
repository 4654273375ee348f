/**
 * Hộp thư: conversations (waiting for staff first, "của tôi" for one's own), one thread, a staff reply signed with the
 * officer's name, assignment, private notes, hand back. The parts marked data-live are refreshed by admin.js when
 * the live stream says rows changed; the forms stay outside them so typing is never interrupted.
 */
import type { Router } from 'express';
import { addNote, assignConversation, listNotes, listOfficers, maxNoteLength } from '../../../domain/staff/assignment.repo.js';
import { conversationThread, listConversations } from '../../../domain/staff/inbox.repo.js';
import { officerSignature } from '../../../domain/staff/officer.js';
import { handBackToBot, maxStaffReplyLength, sendStaffReply } from '../../../domain/staff/staff-reply.js';
import { formatVnDateTime } from '../../../domain/staff/vn-time.js';
import { can } from '../../../domain/staff/roles.js';
import { StaffError } from '../../../domain/staff/users.js';
import { allow, staffOf } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { HttpError } from '../../errors.js';
import { field, idParam, query } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { channelLabels, conversationStateLabels, deliveryStatusLabels, label } from './labels.js';

const states = ['waiting_staff', 'staff', 'bot'] as const;

export function inboxRoutes(router: Router, deps: AdminDeps): void {
  router.get('/inbox', async (req, res) => {
    const staff = staffOf(res);
    const state = (states as readonly string[]).includes(query(req, 'state')) ? query(req, 'state') : undefined;
    const mine = query(req, 'mine') === '1';
    const rows = await listConversations(deps.db, { state, ...(mine ? { assignedToId: staff.user.id } : {}) });
    const filters = [
      ['', 'Tất cả'],
      ['waiting_staff', 'Đang chờ cán bộ'],
      ['staff', 'Cán bộ đang trả lời'],
      ['bot', 'Trợ lý tự động'],
    ] as const;
    const href = (s: string, m: boolean) => {
      const params = new URLSearchParams();
      if (s) params.set('state', s);
      if (m) params.set('mine', '1');
      const q = params.toString();
      return `/admin/inbox${q ? `?${q}` : ''}`;
    };
    renderPage(res, staff, {
      title: 'Hộp thư',
      active: 'inbox',
      body: html`<p class="filters">${filters.map(([v, l]) => html`<a href="${href(v, mine)}" class="chip"${(state ?? '') === v ? html` aria-current="true"` : ''}>${l}</a>`)}
<a href="${href(state ?? '', !mine)}" class="chip"${mine ? html` aria-current="true"` : ''}>Của tôi</a></p>
<div id="inbox-list" data-live>
${rows.length === 0 ? html`<p class="empty">${mine ? 'Chưa có cuộc hội thoại nào giao cho bạn.' : 'Chưa có cuộc hội thoại nào.'}</p>` : html`<ul class="list">
${rows.map((c) => html`<li class="item ${c.state === 'waiting_staff' ? 'urgent' : ''}">
  <a href="/admin/inbox/${c.id}"><strong>${label(channelLabels, c.channel)}</strong> · <span class="state state-${c.state}">${label(conversationStateLabels, c.state)}</span></a>
  <p class="excerpt">${c.lastText ?? '(chưa có tin nhắn)'}</p>
  <p class="meta">Tin cuối: ${formatVnDateTime(c.lastInboundAt)}${c.handedOverAt ? html` · Chuyển cán bộ lúc ${formatVnDateTime(c.handedOverAt)}` : ''} · ${c.assignee ? html`Giao cho: <strong class="assignee">${c.assignee}</strong>` : 'Chưa giao cho ai'}</p>
</li>`)}
</ul>`}
</div>`,
    });
  });

  router.get('/inbox/:id', async (req, res) => {
    const staff = staffOf(res);
    const id = idParam(req);
    const [thread, notes, officers] = await Promise.all([conversationThread(deps.db, id), listNotes(deps.db, id), listOfficers(deps.db)]);
    if (!thread) throw new HttpError(404, 'Không tìm thấy cuộc hội thoại.', 'conversation not found');
    const mayReply = can(staff.user.role, 'inbox.reply');
    const assignee = officers.find((o) => o.id === thread.assignedToId);
    renderPage(res, staff, {
      title: `Hội thoại #${thread.id}`,
      active: 'inbox',
      body: html`<div id="thread-head" data-live><p class="meta">${label(channelLabels, thread.channel)} · <span class="state state-${thread.state}">${label(conversationStateLabels, thread.state)}</span> · Mã người dân (ẩn danh): <code>${thread.citizenRef.slice(0, 8)}</code> · ${assignee ? html`Giao cho: <strong class="assignee">${assignee.name}</strong>` : 'Chưa giao cho ai'}</p></div>
<ol class="thread" id="thread" data-live aria-label="Tin nhắn">
${thread.items.map((m) => html`<li class="msg ${m.direction} kind-${m.kind}">
  <div class="bubble">${m.text || '(không có nội dung chữ)'}</div>
  <div class="meta">${m.direction === 'in' ? 'Người dân' : m.kind === 'staff' ? (m.author ?? 'Cán bộ') : m.kind === 'post' ? 'Bài đăng' : 'Trợ lý'} · ${formatVnDateTime(m.at)}${
    m.status && m.status !== 'sent' ? html` · <span class="status status-${m.status}">${label(deliveryStatusLabels, m.status)}${m.error ? html`: ${m.error}` : ''}</span>` : ''
  }</div>
</li>`)}
</ol>
${mayReply ? html`<form method="post" action="/admin/inbox/${thread.id}/reply" class="card">
${csrfField(staff)}
<label for="reply">Trả lời người dân</label>
<textarea id="reply" name="text" rows="4" maxlength="${maxStaffReplyLength}" required></textarea>
<p class="hint">Người dân thấy tin này gửi từ «${officerSignature(staff.user)}» (sửa tên và chức danh ở <a href="/admin/account/profile">Hồ sơ cán bộ</a>). Tin được gửi qua ${label(channelLabels, thread.channel)} và ghi vào sổ theo dõi tin nhắn.</p>
<button type="submit" class="primary">Gửi trả lời</button>
</form>
<section class="card" aria-labelledby="assign-title">
<h2 id="assign-title">Cán bộ phụ trách</h2>
<div class="actions">
${thread.assignedToId !== staff.user.id ? html`<form method="post" action="/admin/inbox/${thread.id}/assign" class="inline">${csrfField(staff)}<input type="hidden" name="assignee" value="${staff.user.id}"><button type="submit">Nhận xử lý</button></form>` : ''}
<form method="post" action="/admin/inbox/${thread.id}/assign" class="row">
${csrfField(staff)}
<div class="f"><label for="assignee">Giao cho</label>
<select id="assignee" name="assignee">
<option value="">— Chưa giao cho ai —</option>
${officers.map((o) => html`<option value="${o.id}"${o.id === thread.assignedToId ? html` selected` : ''}>${o.name}</option>`)}
</select></div>
<button type="submit">Giao</button>
</form>
</div>
</section>` : html`<p class="hint">Tài khoản Người xem chỉ xem được hội thoại, không gửi trả lời.</p>`}
<section class="card notes" aria-labelledby="notes-title">
<h2 id="notes-title">Ghi chú nội bộ</h2>
<p class="hint">Chỉ cán bộ xem được; không bao giờ gửi cho người dân.</p>
<div id="notes" data-live>
${notes.length === 0 ? html`<p class="empty">Chưa có ghi chú.</p>` : html`<ul class="note-list">${notes.map((n) => html`<li class="note"><p>${n.text}</p><p class="meta">${n.author} · ${formatVnDateTime(n.at)}</p></li>`)}</ul>`}
</div>
${mayReply ? html`<form method="post" action="/admin/inbox/${thread.id}/notes">
${csrfField(staff)}
<label for="note">Thêm ghi chú</label>
<textarea id="note" name="text" rows="2" maxlength="${maxNoteLength}" required></textarea>
<button type="submit">Lưu ghi chú</button>
</form>` : ''}
</section>
${mayReply && thread.state !== 'bot' ? html`<form method="post" action="/admin/inbox/${thread.id}/hand-back" class="card">
${csrfField(staff)}
<p>Khi đã giải đáp xong, hãy chuyển lại cho trợ lý tự động trả lời các câu hỏi tiếp theo. Người dân sẽ được báo trợ lý tự động đã trở lại.</p>
<button type="submit">Chuyển lại cho trợ lý tự động</button>
</form>` : ''}
<p><a href="/admin/inbox">← Quay lại hộp thư</a></p>`,
    });
  });

  router.post('/inbox/:id/reply', allow('inbox.reply'), async (req, res) => {
    const staff = staffOf(res);
    const id = idParam(req);
    const result = await sendStaffReply(deps, {
      conversationId: id,
      text: field(req, 'text'),
      who: staff.user.username,
      staffId: staff.user.id,
      author: officerSignature(staff.user),
    });
    const flash = result.status === 'sent' ? '?ok=sent' : result.status === 'pending' ? '?ok=queued' : '';
    res.redirect(303, `/admin/inbox/${id}${flash}`);
  });

  router.post('/inbox/:id/assign', allow('inbox.reply'), async (req, res) => {
    const id = idParam(req);
    const raw = field(req, 'assignee').trim();
    const assigneeId = raw === '' ? null : Number(raw);
    if (assigneeId !== null && !Number.isSafeInteger(assigneeId)) throw new StaffError('Hãy chọn cán bộ trong danh sách.');
    await assignConversation(deps.db, { conversationId: id, assigneeId, who: staffOf(res).user.username });
    res.redirect(303, `/admin/inbox/${id}?ok=assigned`);
  });

  router.post('/inbox/:id/notes', allow('inbox.reply'), async (req, res) => {
    const staff = staffOf(res);
    const id = idParam(req);
    await addNote(deps.db, { conversationId: id, authorId: staff.user.id, text: field(req, 'text'), who: staff.user.username });
    res.redirect(303, `/admin/inbox/${id}?ok=noted`);
  });

  router.post('/inbox/:id/hand-back', allow('inbox.reply'), async (req, res) => {
    const id = idParam(req);
    await handBackToBot(deps, id, staffOf(res).user.username);
    res.redirect(303, `/admin/inbox/${id}?ok=handed_back`);
  });
}
