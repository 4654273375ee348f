/**
 * Báo cáo: pick a period, preview the tallies, download CSV/XLSX/DOCX, and record outreach published outside the
 * service (loudspeaker radio, website by hand, banners, meetings).
 */
import type { Request, Response, Router } from 'express';
import { EXPORT_FORMATS, CONTENT_TYPES, exportFileName, exportReport, isExportFormat } from '../../../domain/reports/export/index.js';
import { MANUAL_CHANNELS, MANUAL_CHANNEL_LABELS } from '../../../domain/reports/manual.js';
import { listManualEntries } from '../../../domain/reports/manual.repo.js';
import { parsePeriod, PeriodError, vietnameseDate, type Period } from '../../../domain/reports/period.js';
import { computeTallies, type CountRow, type PostRow, type Tallies } from '../../../domain/reports/tallies.js';
import { addManualEntry, removeManualEntry, suggestedPeriods } from '../../../domain/staff/reports-admin.js';
import { can } from '../../../domain/staff/roles.js';
import { toVnInputValue } from '../../../domain/staff/vn-time.js';
import { allow, staffOf, type StaffContext } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { HttpError } from '../../errors.js';
import { field, fieldError, idParam, invalidAttrs, query, refusalOf, refusalSummary, type FormRefusal } from '../form.js';
import { html, type Html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';

const formatLabels: Record<string, string> = { csv: 'CSV', xlsx: 'Excel (.xlsx)', docx: 'Word (.docx)', json: 'JSON' };

function postTable(caption: string, rows: PostRow[], totals: { service: number; manual: number; total: number }): Html {
  return html`<div class="table-wrap"><table><caption>${caption}</caption>
<thead><tr><th scope="col"></th><th scope="col" class="num">Hệ thống đăng</th><th scope="col" class="num">Ghi nhận thủ công</th><th scope="col" class="num">Tổng</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td class="num">${r.service}</td><td class="num">${r.manual}</td><td class="num">${r.total}</td></tr>`)}
<tr class="total"><th scope="row">Tổng cộng</th><td class="num">${totals.service}</td><td class="num">${totals.manual}</td><td class="num">${totals.total}</td></tr></tbody>
</table></div>`;
}

function countTable(caption: string, head: string, rows: CountRow[], total?: number): Html {
  return html`<div class="table-wrap"><table><caption>${caption}</caption>
<thead><tr><th scope="col"></th><th scope="col" class="num">${head}</th></tr></thead>
<tbody>${rows.length ? rows.map((r) => html`<tr><th scope="row">${r.label}</th><td class="num">${r.count}</td></tr>`) : html`<tr><td colspan="2" class="empty-cell">Không có</td></tr>`}
${total !== undefined ? html`<tr class="total"><th scope="row">Tổng cộng</th><td class="num">${total}</td></tr>` : ''}</tbody>
</table></div>`;
}

function preview(t: Tallies): Html {
  return html`<p class="lead-text">${t.period.phrase}, ${t.authority} đã đăng <strong>${t.posts.total}</strong> tin bài tuyên truyền CCHC, tiếp nhận <strong>${t.inbound.messages}</strong> tin nhắn của <strong>${t.inbound.citizens}</strong> người dân, gửi <strong>${t.replies.total}</strong> tin trả lời tự động và <strong>${t.staff.replies}</strong> tin trả lời của cán bộ.</p>
<div class="tables">
${postTable('Tin bài theo kênh', t.posts.byOutlet, t.posts)}
${postTable('Tin bài theo chủ đề', t.posts.byTopic, t.posts)}
<div class="table-wrap"><table><caption>Tin nhắn người dân gửi</caption>
<thead><tr><th scope="col">Kênh</th><th scope="col" class="num">Tin nhắn</th><th scope="col" class="num">Người dân</th></tr></thead>
<tbody>${t.inbound.byChannel.map((r) => html`<tr><th scope="row">${r.label}</th><td class="num">${r.messages}</td><td class="num">${r.citizens}</td></tr>`)}
<tr class="total"><th scope="row">Tổng cộng</th><td class="num">${t.inbound.messages}</td><td class="num">${t.inbound.citizens}</td></tr></tbody></table></div>
${countTable('Kết quả trả lời câu hỏi', 'Số câu hỏi', t.questions.byOutcome)}
${countTable('Thủ tục được hỏi nhiều nhất', 'Số lần hỏi', t.topProcedures.map((p) => ({ key: p.code, label: `${p.name} (${p.code})`, count: p.count })))}
${countTable('Lĩnh vực được hỏi nhiều nhất', 'Số lần hỏi', t.topFields)}
${countTable('Tin trả lời tự động theo kênh', 'Số tin', t.replies.byChannel, t.replies.total)}
${countTable('Cán bộ trả lời trực tiếp', 'Số tin', t.staff.repliesByChannel, t.staff.replies)}
${countTable('Tin gửi không thành công (không tính vào số đã gửi)', 'Số tin', t.failed.byChannel, t.failed.total)}
</div>
<p class="meta">Chuyển cho cán bộ: ${t.staff.handovers} lượt.</p>`;
}

/** What staff typed into the manual entry form, and why it was refused (kept when the form comes back). */
interface ManualDraft {
  values: { date: string; channel: string; count: string; topic: string; note: string };
  refusal: FormRefusal;
}

function manualSection(staff: StaffContext, period: Period, entries: Awaited<ReturnType<typeof listManualEntries>>, draft: ManualDraft | null = null): Html {
  const mayEdit = can(staff.user.role, 'content.edit');
  const today = toVnInputValue(new Date()).slice(0, 10);
  const v = draft?.values ?? { date: today, channel: MANUAL_CHANNELS[0] as string, count: '1', topic: '', note: '' };
  const err = (name: string) => fieldError(draft?.refusal, name);
  const bad = (name: string) => invalidAttrs(draft?.refusal, name);
  return html`<section class="card"><h2>Tin bài đăng ngoài hệ thống (${entries.length})</h2>
<p class="hint">Ghi nhận các tin bài phát trên Đài truyền thanh, đăng tay lên Trang thông tin điện tử, pano, hội nghị… để cộng vào báo cáo.</p>
${entries.length ? html`<ul class="list">${entries.map((e) => html`<li class="item"><p><strong>${vietnameseDate(e.date)}</strong> · ${MANUAL_CHANNEL_LABELS[e.channel]} · ${e.count} tin bài${e.topic ? ` · ${e.topic}` : ''}</p>
  ${e.note ? html`<p class="meta">${e.note}</p>` : ''}<p class="meta">Người nhập: ${e.createdBy}</p>
  ${mayEdit ? html`<form method="post" action="/admin/reports/manual/${e.id}/delete?period=${period.key}" data-confirm="Xoá mục ghi nhận này?">${csrfField(staff)}<button type="submit" class="danger">Xoá</button></form>` : ''}</li>`)}</ul>` : ''}
${mayEdit ? html`<form method="post" action="/admin/reports/manual?period=${period.key}" class="fields">
${csrfField(staff)}
<div class="row"><div class="f"><label for="m-date">Ngày</label><input id="m-date" name="date" type="date" required value="${v.date}"${bad('date')}>${err('date')}</div>
<div class="f"><label for="m-channel">Hình thức</label><select id="m-channel" name="channel"${bad('channel')}>${MANUAL_CHANNELS.map((c) => html`<option value="${c}"${c === v.channel ? html` selected` : ''}>${MANUAL_CHANNEL_LABELS[c]}</option>`)}</select>${err('channel')}</div>
<div class="f"><label for="m-count">Số tin bài</label><input id="m-count" name="count" type="number" min="1" max="100000" required value="${v.count}"${bad('count')}>${err('count')}</div></div>
<label for="m-topic">Chủ đề</label><input id="m-topic" name="topic" maxlength="200" value="${v.topic}"${bad('topic')}>${err('topic')}
<label for="m-note">Ghi chú</label><input id="m-note" name="note" maxlength="1000" value="${v.note}"${bad('note')}>${err('note')}
<button type="submit" class="primary">Ghi nhận</button>
</form>` : ''}
</section>`;
}

/** The report page for a period; with a draft, the manual entry form comes back with what was typed and why. */
async function renderReports(res: Response, deps: AdminDeps, rawPeriod: string, draft: ManualDraft | null): Promise<void> {
  const staff = staffOf(res);
  const suggestions = suggestedPeriods(new Date());
  const raw = rawPeriod.trim() || suggestions[1]!.key;
  let period: Period;
  try {
    period = parsePeriod(raw);
  } catch (e) {
    if (!(e instanceof PeriodError)) throw e;
    return renderPage(res, staff, { title: 'Báo cáo', active: 'reports', status: 400, error: e.message, body: periodPicker(raw, suggestions) });
  }
  const [tallies, entries] = await Promise.all([computeTallies(deps.db, period), listManualEntries(deps.db, period.firstDay, period.lastDay)]);
  renderPage(res, staff, {
    title: `Báo cáo ${period.label}`,
    active: 'reports',
    ...(draft ? { status: 400, error: refusalSummary(draft.refusal) } : {}),
    body: html`${periodPicker(period.key, suggestions)}
<div class="toolbar"><span>Tải báo cáo:</span>${EXPORT_FORMATS.filter((f) => f !== 'json').map((f) => html`<a class="button" href="/admin/reports/export?period=${encodeURIComponent(period.key)}&amp;format=${f}" download>${formatLabels[f]}</a>`)}</div>
${preview(tallies)}
${manualSection(staff, period, entries, draft)}`,
  });
}

function manualValues(req: Request): ManualDraft['values'] {
  return { date: field(req, 'date'), channel: field(req, 'channel'), count: field(req, 'count'), topic: field(req, 'topic'), note: field(req, 'note') };
}

export function reportRoutes(router: Router, deps: AdminDeps): void {
  router.get('/reports', async (req, res) => {
    await renderReports(res, deps, query(req, 'period'), null);
  });

  router.get('/reports/export', allow('reports.export'), async (req, res) => {
    const format = query(req, 'format');
    if (!isExportFormat(format)) throw new HttpError(400, 'Định dạng tệp không hợp lệ: chọn CSV, Excel hoặc Word.', 'bad report format');
    let period: Period;
    try {
      period = parsePeriod(query(req, 'period'));
    } catch (e) {
      if (e instanceof PeriodError) throw new HttpError(400, e.message, 'bad report period');
      throw e;
    }
    const tallies = await computeTallies(deps.db, period);
    res.type(CONTENT_TYPES[format]).attachment(exportFileName(tallies, format));
    await exportReport(tallies, format, res);
  });

  router.post('/reports/manual', allow('content.edit'), async (req, res) => {
    const staff = staffOf(res);
    const values = manualValues(req);
    try {
      await addManualEntry(deps.db, { ...values, createdBy: staff.user.displayName ?? staff.user.username }, staff.user.username);
    } catch (e) {
      const refusal = refusalOf(e);
      if (!refusal) throw e;
      return renderReports(res, deps, query(req, 'period'), { values, refusal });
    }
    res.redirect(303, `/admin/reports?period=${encodeURIComponent(query(req, 'period'))}&ok=recorded`);
  });

  router.post('/reports/manual/:id/delete', allow('content.edit'), async (req, res) => {
    await removeManualEntry(deps.db, idParam(req), staffOf(res).user.username);
    res.redirect(303, `/admin/reports?period=${encodeURIComponent(query(req, 'period'))}&ok=deleted`);
  });
}

function periodPicker(current: string, suggestions: { key: string; label: string }[]): Html {
  return html`<form method="get" action="/admin/reports" class="row search">
  <div class="f"><label for="period">Kỳ báo cáo</label>
  <input id="period" name="period" value="${current}" required aria-describedby="period-hint" autocapitalize="characters" spellcheck="false">
  <p class="hint" id="period-hint">Ví dụ: 2024-H1 (6 tháng đầu năm), 2024-Q3 (quý III), 2024 (cả năm), 2024-9M, 2024-05, 2024-01-15..2024-03-31.</p></div>
  <button type="submit">Xem</button>
</form>
<p class="filters">${suggestions.map((s) => html`<a class="chip" href="/admin/reports?period=${s.key}"${s.key === current ? html` aria-current="true"` : ''}>${s.label}</a>`)}</p>`;
}
