/** Thủ tục hành chính: search, view, edit (aliases and situations included). Import and export arrive with the catalog module. */
import type { Request, Router } from 'express';
import { catalogIsShared, getEffectiveProcedure, getProcedure, procedureFields, searchProcedures, updateProcedure, type ProcedureEdit, type ProcedureView } from '../../../domain/staff/procedures-admin.repo.js';
import { can } from '../../../domain/staff/roles.js';
import { StaffError } from '../../../domain/staff/users.js';
import { formatVnDateTime } from '../../../domain/staff/vn-time.js';
import { allow, staffOf, type StaffContext } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { HttpError } from '../../errors.js';
import { checkbox, field, fieldError, query, refusalOf, refusalSummary, type FormRefusal } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { exportLinks } from './catalog-files.js';

function editInput(req: Request): ProcedureEdit {
  return {
    name: field(req, 'name'), field: field(req, 'field'), documents: field(req, 'documents'), processingTime: field(req, 'processingTime'),
    fees: field(req, 'fees'), submitAt: field(req, 'submitAt'), onlineUrl: field(req, 'onlineUrl'),
    onlineLevel: field(req, 'onlineLevel') as ProcedureEdit['onlineLevel'], legalBasis: field(req, 'legalBasis'), aliases: field(req, 'aliases'),
    situations: field(req, 'situations'), audience: field(req, 'audience'), active: checkbox(req, 'active'),
  };
}

interface FormValues {
  name: string; field: string; documents: string; processingTime: string; fees: string; submitAt: string;
  onlineUrl: string; onlineLevel: string; legalBasis: string; aliases: string; situations: string; audience: string; active: boolean;
}

function valuesOf(p: ProcedureView): FormValues {
  return {
    name: p.name, field: p.field, documents: p.documents.join('\n'), processingTime: p.processingTime, fees: p.fees, submitAt: p.submitAt,
    onlineUrl: p.onlineUrl ?? '', onlineLevel: p.onlineLevel ?? '', legalBasis: p.legalBasis.join('\n'), aliases: p.aliases.join('\n'),
    situations: p.situations.join('\n'), audience: p.audience ?? '', active: p.active,
  };
}

function editForm(staff: StaffContext, code: string, v: FormValues, refusal: FormRefusal | null = null) {
  const described = (name: string, hint: boolean) => {
    const ids = [...(refusal?.fields[name] ? [`e-${name}`] : []), ...(hint ? [`h-${name}`] : [])];
    return html`${ids.length ? html` aria-describedby="${ids.join(' ')}"` : ''}${refusal?.fields[name] ? html` aria-invalid="true"` : ''}`;
  };
  const text = (name: keyof FormValues, labelText: string, hint = '') => html`<label for="f-${name}">${labelText}</label>
<input id="f-${name}" name="${name}" value="${String(v[name])}"${described(name, hint !== '')}>${fieldError(refusal, name)}${hint ? html`<p class="hint" id="h-${name}">${hint}</p>` : ''}`;
  const area = (name: keyof FormValues, labelText: string, hint: string, rows = 5) => html`<label for="f-${name}">${labelText}</label>
<textarea id="f-${name}" name="${name}" rows="${rows}"${described(name, true)}>${String(v[name])}</textarea>${fieldError(refusal, name)}<p class="hint" id="h-${name}">${hint}</p>`;
  return html`<form method="post" action="/admin/procedures/${code}" class="card fields">
${csrfField(staff)}
${text('name', 'Tên thủ tục')}
${text('field', 'Lĩnh vực')}
${area('documents', 'Thành phần hồ sơ', 'Mỗi giấy tờ một dòng.', 6)}
${text('processingTime', 'Thời hạn giải quyết')}
${text('fees', 'Phí, lệ phí', 'Ghi “Không” nếu miễn phí.')}
${text('submitAt', 'Nơi nộp hồ sơ')}
${text('onlineUrl', 'Địa chỉ dịch vụ công trực tuyến', 'Để trống nếu chưa có.')}
<label for="f-onlineLevel">Mức độ trực tuyến</label>
<select id="f-onlineLevel" name="onlineLevel">${[['', v.onlineUrl ? 'Có nộp trực tuyến, chưa ghi mức độ' : 'Không trực tuyến'], ['toàn trình', 'Toàn trình'], ['một phần', 'Một phần']].map(([val, l]) => html`<option value="${val}"${v.onlineLevel === val ? html` selected` : ''}>${l}</option>`)}</select>
${area('legalBasis', 'Căn cứ pháp lý', 'Mỗi văn bản một dòng.', 3)}
${area('aliases', 'Tên gọi khác, từ khoá người dân hay dùng', 'Mỗi cách gọi một dòng, ví dụ “làm giấy khai sinh”. Trợ lý dùng các cách gọi này để tìm đúng thủ tục.', 4)}
${area('situations', 'Tình huống người dân hay kể', 'Mỗi tình huống một dòng, bằng lời của người dân, ví dụ “bố em vừa mất, cần làm giấy tờ gì”. Trợ lý nhận ra nhu cầu khi người dân kể chuyện mà không nói tên thủ tục.', 6)}
${text('audience', 'Đối tượng thực hiện', 'Ai làm thủ tục này, ví dụ “cha, mẹ hoặc người thân của trẻ mới sinh”.')}
<label class="check"><input type="checkbox" name="active"${v.active ? html` checked` : ''}> Đang áp dụng (trợ lý trả lời về thủ tục này)</label>
<button type="submit" class="primary">Lưu thủ tục</button>
</form>`;
}

export function procedureRoutes(router: Router, deps: AdminDeps): void {
  router.get('/procedures', async (req, res) => {
    const staff = staffOf(res);
    const q = query(req, 'q').slice(0, 200);
    const fieldFilter = query(req, 'field');
    const [rows, fields] = await Promise.all([searchProcedures(deps.db, q, fieldFilter || undefined), procedureFields(deps.db)]);
    renderPage(res, staff, {
      title: 'Thủ tục hành chính',
      active: 'procedures',
      body: html`<form method="get" action="/admin/procedures" class="row search" role="search">
  <div class="f"><label for="q">Tìm theo tên, mã hoặc cách gọi</label>
  <input id="q" name="q" type="search" value="${q}" placeholder="ví dụ: khai sinh, 1.001193"></div>
  <div class="f"><label for="field">Lĩnh vực</label>
  <select id="field" name="field"><option value="">Tất cả lĩnh vực</option>${fields.map((f) => html`<option value="${f}"${f === fieldFilter ? html` selected` : ''}>${f}</option>`)}</select></div>
  <button type="submit">Tìm</button>
</form>
<p class="meta">${rows.length} thủ tục</p>
<div class="toolbar">${can(staff.user.role, 'content.edit') ? html`<a class="button" href="/admin/import?kind=procedures">Nhập từ tệp Excel/CSV</a>` : ''}${exportLinks('procedures')}</div>
<ul class="list">
${rows.map((p) => html`<li class="item"><a href="/admin/procedures/${p.code}"><strong>${p.name}</strong></a>
  <p class="meta"><code>${p.code}</code> · ${p.field}${p.active ? '' : html` · <span class="pill off">Ngừng áp dụng</span>`}${p.onlineLevel ? ` · Trực tuyến ${p.onlineLevel}` : ''}</p></li>`)}
</ul>`,
    });
  });

  router.get('/procedures/:code', async (req, res) => {
    const staff = staffOf(res);
    const p = await getEffectiveProcedure(deps.db, String(req.params.code));
    if (!p) throw new HttpError(404, 'Không tìm thấy thủ tục này.', 'procedure not found');
    const mayEdit = can(staff.user.role, 'content.edit');
    const shared = staff.user.role !== 'province' && (await catalogIsShared(deps.db));
    renderPage(res, staff, {
      title: p.name,
      active: 'procedures',
      body: html`<p class="meta"><code>${p.code}</code> · ${p.field} · cập nhật ${formatVnDateTime(p.updatedAt)}${p.source ? html` · Nguồn: ${p.source}` : ''}</p>
${shared ? html`<p class="notice">Danh mục này dùng chung cho các xã, phường của tỉnh: thay đổi ở đây chỉ áp dụng cho xã mình (nơi nộp, thời hạn, phí, đường dẫn, đối tượng, tên gọi và tình huống thêm, ngừng thực hiện)${p.overridden ? ' — xã đã có thay đổi riêng cho thủ tục này' : ''}.</p>` : ''}
${mayEdit ? editForm(staff, p.code, valuesOf(p)) : html`<section class="card"><dl class="facts">
  <dt>Thành phần hồ sơ</dt><dd><ul>${p.documents.map((d) => html`<li>${d}</li>`)}</ul></dd>
  <dt>Thời hạn giải quyết</dt><dd>${p.processingTime}</dd>
  <dt>Phí, lệ phí</dt><dd>${p.fees}</dd>
  <dt>Nơi nộp</dt><dd>${p.submitAt}</dd>
  <dt>Trực tuyến</dt><dd>${p.onlineUrl ? html`<a href="${p.onlineUrl}" rel="noopener">${p.onlineLevel ?? 'có'}</a>` : 'Không'}</dd>
  <dt>Tên gọi khác</dt><dd>${p.aliases.join('; ') || '—'}</dd>
  <dt>Tình huống</dt><dd>${p.situations.join('; ') || '—'}</dd>
  <dt>Đối tượng thực hiện</dt><dd>${p.audience ?? '—'}</dd>
</dl></section>`}
<p><a href="/admin/procedures">← Danh sách thủ tục</a></p>`,
    });
  });

  router.post('/procedures/:code', allow('content.edit'), async (req, res) => {
    const staff = staffOf(res);
    const code = String(req.params.code);
    const input = editInput(req);
    try {
      await updateProcedure(deps.db, code, input, staff.user.username, { asProvince: staff.user.role === 'province' });
      await deps.onCatalogChanged?.();
    } catch (e) {
      const refusal = refusalOf(e);
      if (!refusal) throw e;
      const values: FormValues = { ...input, onlineLevel: String(input.onlineLevel), active: input.active };
      return renderPage(res, staff, { title: input.name || code, active: 'procedures', status: 400, error: refusalSummary(refusal), body: editForm(staff, code, values, refusal) });
    }
    res.redirect(303, `/admin/procedures/${encodeURIComponent(code)}?ok=saved`);
  });
}
