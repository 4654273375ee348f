/** Câu hỏi chưa trả lời: alike questions grouped; attach a group to a procedure as an alias, or dismiss it. */
import type { Router } from 'express';
import { can } from '../../../domain/staff/roles.js';
import { attachGroup, dismissGroup, listUnansweredGroups } from '../../../domain/staff/unanswered.repo.js';
import { formatVnDateTime } from '../../../domain/staff/vn-time.js';
import { allow, staffOf } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { field } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { channelLabels, label } from './labels.js';

export function unansweredRoutes(router: Router, deps: AdminDeps): void {
  router.get('/unanswered', async (_req, res) => {
    const staff = staffOf(res);
    const [groups, procedures] = await Promise.all([
      listUnansweredGroups(deps.db),
      deps.db.procedure.findMany({ where: { active: true }, select: { code: true, name: true }, orderBy: { name: 'asc' } }),
    ]);
    const mayEdit = can(staff.user.role, 'content.edit');
    renderPage(res, staff, {
      title: 'Câu hỏi chưa trả lời',
      active: 'unanswered',
      body: html`<p class="hint">Các câu hỏi giống nhau được gộp thành một nhóm. Gắn nhóm vào đúng thủ tục để trợ lý nhận ra cách hỏi này lần sau, hoặc bỏ qua nếu câu hỏi không liên quan.</p>
<datalist id="procedure-codes">${procedures.map((p) => html`<option value="${p.code}">${p.name}</option>`)}</datalist>
${groups.length === 0 ? html`<p class="empty">Không còn câu hỏi nào chưa xử lý.</p>` : html`<ul class="list">
${groups.map((g, i) => html`<li class="item">
  <p class="question">“${g.text}”</p>
  <p class="meta"><strong>${g.count}</strong> lần hỏi · ${g.channels.map((c) => label(channelLabels, c)).join(', ')} · gần nhất ${formatVnDateTime(g.lastAt)}</p>
  ${mayEdit ? html`<div class="actions">
  <form method="post" action="/admin/unanswered/attach" class="row">
    ${csrfField(staff)}<input type="hidden" name="folded" value="${g.folded}">
    <div class="f"><label for="code-${i}">Mã thủ tục</label>
    <input id="code-${i}" name="procedureCode" list="procedure-codes" required placeholder="ví dụ 1.001193"></div>
    <div class="f"><label for="alias-${i}">Tên gọi khác (để trống: dùng nguyên câu hỏi)</label>
    <input id="alias-${i}" name="alias" maxlength="200" value=""></div>
    <button type="submit" class="primary">Gắn vào thủ tục</button>
  </form>
  <form method="post" action="/admin/unanswered/dismiss" class="dismiss" data-confirm="Bỏ qua nhóm câu hỏi này?">
    ${csrfField(staff)}<input type="hidden" name="folded" value="${g.folded}">
    <button type="submit">Bỏ qua</button>
  </form></div>` : ''}
</li>`)}
</ul>`}`,
    });
  });

  router.post('/unanswered/attach', allow('content.edit'), async (req, res) => {
    await attachGroup(deps.db, { folded: field(req, 'folded'), procedureCode: field(req, 'procedureCode'), alias: field(req, 'alias'), who: staffOf(res).user.username });
    await deps.onCatalogChanged?.();
    res.redirect(303, '/admin/unanswered?ok=attached');
  });

  router.post('/unanswered/dismiss', allow('content.edit'), async (req, res) => {
    await dismissGroup(deps.db, { folded: field(req, 'folded'), who: staffOf(res).user.username });
    res.redirect(303, '/admin/unanswered?ok=dismissed');
  });
}
