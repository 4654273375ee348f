/**
 * Câu hỏi chưa trả lời: alike questions grouped. Staff find the procedure by its name, see before saving which
 * questions (of the development set and the other open ones) the bot would then answer with it, attach the group as
 * a situation of the procedure, and can undo it; or dismiss the group.
 */
import type { Router } from 'express';
import { previewAttachment, readDevelopmentSet, type AttachPreview, type PreviewChange } from '../../../domain/staff/attach-preview.js';
import { searchProcedures } from '../../../domain/staff/procedures-admin.repo.js';
import { can } from '../../../domain/staff/roles.js';
import { attachedTextMaxLength as situationMaxLength, attachQuestion, undoAttachQuestion } from '../../../domain/staff/attach-question.js';
import { dismissGroup, listUnansweredGroups } from '../../../domain/staff/unanswered.repo.js';
import { StaffError } from '../../../domain/staff/users.js';
import { formatVnDateTime } from '../../../domain/staff/vn-time.js';
import { allow, staffOf } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { field, query } from '../form.js';
import { html, type Html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { channelLabels, label } from './labels.js';

function attachUrl(params: Record<string, string>): string {
  return `/admin/unanswered/attach?${new URLSearchParams(params).toString()}`;
}

function searchForm(folded: string, q: string, id: string): Html {
  return html`<form method="get" action="/admin/unanswered/attach" class="row" role="search">
    <input type="hidden" name="folded" value="${folded}">
    <div class="f"><label for="q-${id}">Tìm thủ tục theo tên</label>
    <input id="q-${id}" name="q" list="procedure-names" required value="${q}" placeholder="ví dụ khai sinh, kết hôn, chứng thực"></div>
    <button type="submit">Tìm thủ tục</button>
  </form>`;
}

/** Recent attachments that can still be undone (their questions are still attached). */
async function recentAttachments(deps: AdminDeps) {
  const rows = await deps.db.auditLog.findMany({ where: { action: 'unanswered.attach' }, orderBy: { id: 'desc' }, take: 10 });
  const out: { folded: string; code: string; situation: string; at: Date; who: string }[] = [];
  for (const r of rows) {
    const d = r.detail as { folded?: unknown; text?: unknown };
    if (typeof d.folded !== 'string' || typeof d.text !== 'string' || !r.entityId) continue;
    if (out.some((o) => o.folded === d.folded && o.code === r.entityId)) continue;
    const still = await deps.db.unansweredQuestion.count({ where: { folded: d.folded, status: 'attached', procedureCode: r.entityId } });
    if (still > 0) out.push({ folded: d.folded, code: r.entityId, situation: d.text, at: r.at, who: r.who });
  }
  return out;
}

export function unansweredRoutes(router: Router, deps: AdminDeps): void {
  const names = new Map<string, string>();
  const procedureName = async (code: string | null): Promise<string> => {
    if (!code) return 'chưa trả lời được';
    if (!names.has(code)) {
      const p = await deps.db.procedure.findFirst({ where: { code }, select: { name: true } });
      names.set(code, p?.name ?? code);
    }
    return names.get(code)!;
  };

  router.get('/unanswered', async (_req, res) => {
    const staff = staffOf(res);
    const [groups, procedures, recent] = await Promise.all([
      listUnansweredGroups(deps.db),
      deps.db.procedure.findMany({ where: { active: true }, select: { name: true }, orderBy: { name: 'asc' } }),
      recentAttachments(deps),
    ]);
    const mayEdit = can(staff.user.role, 'content.edit');
    const recentNames = await Promise.all(recent.map((r) => procedureName(r.code)));
    renderPage(res, staff, {
      title: 'Câu hỏi chưa trả lời',
      active: 'unanswered',
      body: html`<p class="hint">Các câu hỏi giống nhau được gộp thành một nhóm. Tìm thủ tục theo tên, xem trước những câu hỏi nào sẽ được trả lời bằng thủ tục đó, rồi gắn nhóm vào thủ tục để trợ lý nhận ra cách hỏi này; hoặc bỏ qua nếu câu hỏi không liên quan.</p>
<datalist id="procedure-names">${procedures.map((p) => html`<option value="${p.name}"></option>`)}</datalist>
${groups.length === 0 ? html`<p class="empty">Không còn câu hỏi nào chưa xử lý.</p>` : html`<ul class="list">
${groups.map((g, i) => html`<li class="item">
  <p class="question">“${g.text}”</p>
  <p class="meta"><strong>${g.count}</strong> lần hỏi · ${g.channels.map((c) => label(channelLabels, c)).join(', ')} · gần nhất ${formatVnDateTime(g.lastAt)}</p>
  ${mayEdit ? html`<div class="actions">
  ${searchForm(g.folded, '', String(i))}
  <form method="post" action="/admin/unanswered/dismiss" class="dismiss" data-confirm="Bỏ qua nhóm câu hỏi này?">
    ${csrfField(staff)}<input type="hidden" name="folded" value="${g.folded}">
    <button type="submit">Bỏ qua</button>
  </form></div>` : ''}
</li>`)}
</ul>`}
${recent.length > 0 ? html`<section class="card" aria-labelledby="recent-title"><h2 id="recent-title">Vừa gắn vào thủ tục</h2>
<ul class="list">${recent.map((r, i) => html`<li class="item recent-attach">
  <p>“${r.situation}” → <strong>${recentNames[i]}</strong></p>
  <p class="meta">${r.who} · ${formatVnDateTime(r.at)}</p>
  ${mayEdit ? html`<form method="post" action="/admin/unanswered/undo" class="inline" data-confirm="Hoàn tác: gỡ cách hỏi này khỏi thủ tục và đưa các câu hỏi về danh sách chưa trả lời?">
    ${csrfField(staff)}<input type="hidden" name="folded" value="${r.folded}"><input type="hidden" name="procedureCode" value="${r.code}"><input type="hidden" name="situation" value="${r.situation}">
    <button type="submit">Hoàn tác</button></form>` : ''}
</li>`)}</ul></section>` : ''}`,
    });
  });

  router.get('/unanswered/attach', allow('content.edit'), async (req, res) => {
    const staff = staffOf(res);
    const folded = query(req, 'folded');
    const q = query(req, 'q').normalize('NFC').trim().slice(0, 200);
    const code = query(req, 'code');
    const groups = await listUnansweredGroups(deps.db);
    const group = groups.find((g) => g.folded === folded);
    if (!group) throw new StaffError('Nhóm câu hỏi này đã được xử lý hoặc không còn. Hãy quay lại danh sách câu hỏi chưa trả lời.');
    const situation = (query(req, 'situation').normalize('NFC').trim() || group.text).slice(0, situationMaxLength);
    const found = q ? (await searchProcedures(deps.db, q)).filter((p) => p.active).slice(0, 12) : [];
    const chosen = code ? await deps.db.procedure.findFirst({ where: { code }, select: { code: true, name: true, active: true } }) : null;
    let preview: AttachPreview | null = null;
    if (chosen && deps.knowledge) {
      const others = groups.filter((g) => g.folded !== folded).map((g) => ({ text: g.text, source: 'open' as const }));
      const devSet = deps.developmentSetFile ? readDevelopmentSet(deps.developmentSetFile) : [];
      preview = await previewAttachment(deps.knowledge(), { code: chosen.code, text: situation }, [{ text: group.text, source: 'open' }, ...others, ...devSet]);
    }
    const changeLine = async (c: PreviewChange) => html`<li>“${c.text}” <span class="meta">(${c.source === 'dev' ? 'bộ câu hỏi mẫu' : 'câu hỏi chưa trả lời'}; hiện nay: ${await procedureName(c.before)}${c.expected === false ? html`; <strong class="bad">khác đáp án mẫu</strong>` : c.expected === true ? '; đúng đáp án mẫu' : ''})</span></li>`;
    const gained = preview ? await Promise.all(preview.gained.map(changeLine)) : [];
    const lost = preview
      ? await Promise.all(preview.lost.map(async (c) => html`<li>“${c.text}” <span class="meta">(${c.source === 'dev' ? 'bộ câu hỏi mẫu' : 'câu hỏi chưa trả lời'}; sẽ thành: ${await procedureName(c.after)})</span></li>`))
      : [];
    renderPage(res, staff, {
      title: 'Gắn câu hỏi vào thủ tục',
      active: 'unanswered',
      body: html`<p class="question">“${group.text}” <span class="meta">(${group.count} lần hỏi)</span></p>
<datalist id="procedure-names">${(await deps.db.procedure.findMany({ where: { active: true }, select: { name: true }, orderBy: { name: 'asc' } })).map((p) => html`<option value="${p.name}"></option>`)}</datalist>
${searchForm(folded, q, 'attach')}
${q && found.length === 0 ? html`<p class="empty">Không tìm thấy thủ tục nào có tên chứa «${q}». Hãy thử từ ngắn hơn, ví dụ «khai sinh».</p>` : ''}
${found.length > 0 ? html`<ul class="list results" aria-label="Thủ tục tìm được">${found.map((p) => html`<li class="item${p.code === code ? ' chosen' : ''}"><a href="${attachUrl({ folded, q, code: p.code })}">${p.name}</a> <span class="meta">${p.field} · mã ${p.code}</span></li>`)}</ul>` : ''}
${chosen ? html`<section class="card" aria-labelledby="preview-title">
<h2 id="preview-title">Xem trước: gắn vào «${chosen.name}»</h2>
<form method="get" action="/admin/unanswered/attach" class="row">
  <input type="hidden" name="folded" value="${folded}"><input type="hidden" name="q" value="${q}"><input type="hidden" name="code" value="${chosen.code}">
  <div class="f"><label for="situation">Cách người dân hỏi (tình huống)</label><input id="situation" name="situation" maxlength="${situationMaxLength}" value="${situation}"></div>
  <button type="submit">Xem lại</button>
</form>
${preview ? html`<p class="meta">Đã thử ${preview.checked.dev} câu của bộ câu hỏi mẫu và ${preview.checked.open} câu hỏi chưa trả lời.</p>
<h3>Sẽ được trả lời bằng thủ tục này (${preview.gained.length})</h3>
${gained.length ? html`<ul class="preview-gained">${gained}</ul>` : html`<p class="empty">Không câu nào khác thay đổi.</p>`}
${lost.length ? html`<h3>Đang được trả lời bằng thủ tục này, sẽ đổi (${lost.length})</h3><ul class="preview-lost">${lost}</ul>` : ''}` : html`<p class="hint">Chưa xem trước được (trợ lý chưa sẵn sàng).</p>`}
<form method="post" action="/admin/unanswered/attach">
  ${csrfField(staff)}<input type="hidden" name="folded" value="${folded}"><input type="hidden" name="procedureCode" value="${chosen.code}"><input type="hidden" name="situation" value="${situation}">
  <button type="submit" class="primary">Gắn vào thủ tục này</button>
</form>
</section>` : ''}
<p><a href="/admin/unanswered">← Quay lại danh sách</a></p>`,
    });
  });

  router.post('/unanswered/attach', allow('content.edit'), async (req, res) => {
    await attachQuestion(deps.db, { folded: field(req, 'folded'), procedureCode: field(req, 'procedureCode'), text: field(req, 'situation'), who: staffOf(res).user.username });
    await deps.onCatalogChanged?.();
    res.redirect(303, '/admin/unanswered?ok=attached');
  });

  router.post('/unanswered/undo', allow('content.edit'), async (req, res) => {
    await undoAttachQuestion(deps.db, { folded: field(req, 'folded'), procedureCode: field(req, 'procedureCode'), text: field(req, 'situation'), who: staffOf(res).user.username });
    await deps.onCatalogChanged?.();
    res.redirect(303, '/admin/unanswered?ok=undone');
  });

  router.post('/unanswered/dismiss', allow('content.edit'), async (req, res) => {
    await dismissGroup(deps.db, { folded: field(req, 'folded'), who: staffOf(res).user.username });
    res.redirect(303, '/admin/unanswered?ok=dismissed');
  });
}
