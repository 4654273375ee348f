/** Nhập / xuất dữ liệu: import a procedure or hotline file (every bad row named, nothing written) and export. */
import type { Router } from 'express';
import { catalogKinds, exportCatalogFile, importCatalogFile, isCatalogKind, type CatalogKind } from '../../../domain/staff/catalog-files.js';
import { fileFormats, type FileFormat, type ImportIssue } from '../../../domain/tabular/format.js';
import { allow, staffOf, type StaffContext } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { checkbox, field, query } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { HttpError } from '../../errors.js';
import { catalogIsShared } from '../../../domain/staff/procedures-admin.repo.js';

const kindLabels: Record<CatalogKind, string> = { procedures: 'Thủ tục hành chính', hotlines: 'Đường dây nóng' };
const nouns: Record<CatalogKind, string> = { procedures: 'thủ tục', hotlines: 'số đường dây nóng' };
const formatLabels: Record<FileFormat, string> = { xlsx: 'Excel (.xlsx)', csv: 'CSV', json: 'JSON' };

/** Download links for one kind, shown on its list page. */
export function exportLinks(kind: CatalogKind) {
  return html`<p class="downloads">Tải về: ${fileFormats.map((f, i) => html`${i ? ' · ' : ''}<a href="/admin/export?kind=${kind}&amp;format=${f}" download>${formatLabels[f]}</a>`)}</p>`;
}

function importForm(staff: StaffContext, kind: CatalogKind) {
  return html`<form method="post" action="/admin/import" class="card fields">
${csrfField(staff)}
<label for="kind">Loại dữ liệu</label>
<select id="kind" name="kind">${catalogKinds.map((k) => html`<option value="${k}"${k === kind ? html` selected` : ''}>${kindLabels[k]}</option>`)}</select>
<label for="import-file">Tệp dữ liệu (Excel .xlsx, .csv hoặc .json)</label>
<input id="import-file" type="file" accept=".xlsx,.csv,.json" data-into="file" required aria-describedby="import-file-status import-hint">
<p class="hint" id="import-file-status" role="status"></p>
<input type="hidden" name="file"><input type="hidden" name="fileName">
<p class="hint" id="import-hint">Dòng đầu là tên cột như trong tệp tải về. Mã đã có thì được cập nhật, mã mới được thêm; mục không có trong tệp giữ nguyên. Nếu có một dòng sai, không dòng nào được ghi và trang sẽ chỉ rõ dòng, cột cần sửa.</p>
<label class="check"><input type="checkbox" name="dryRun"> Chỉ kiểm tra tệp, chưa ghi vào hệ thống</label>
<button type="submit" class="primary">Nhập dữ liệu</button>
</form>`;
}

function issuesTable(errors: ImportIssue[]) {
  return html`<div class="table-wrap"><table class="errors-table">
<caption class="sr-only">Các lỗi cần sửa trong tệp</caption>
<thead><tr><th scope="col">Dòng</th><th scope="col">Cột</th><th scope="col">Cần sửa</th></tr></thead>
<tbody>${errors.map((e) => html`<tr><td class="num">${e.row ?? '—'}</td><td>${e.field ?? '—'}</td><td>${e.message.replace(/^(Dòng|Mục) \d+, (cột|trường) «[^»]*»: /, "")}</td></tr>`)}</tbody>
</table></div>`;
}

export function catalogFileRoutes(router: Router, deps: AdminDeps): void {
  router.get('/import', allow('content.edit'), (req, res) => {
    const staff = staffOf(res);
    const kind = isCatalogKind(query(req, 'kind')) ? (query(req, 'kind') as CatalogKind) : 'procedures';
    renderPage(res, staff, { title: 'Nhập dữ liệu từ tệp', active: kind, body: html`${importForm(staff, kind)}${exportLinks(kind)}` });
  });

  router.post('/import', allow('content.edit'), async (req, res) => {
    const staff = staffOf(res);
    const kindValue = field(req, 'kind');
    const kind: CatalogKind = isCatalogKind(kindValue) ? kindValue : 'procedures';
    const bytes = new Uint8Array(Buffer.from(field(req, 'file'), 'base64'));
    const dryRun = checkbox(req, 'dryRun');
    if (kind === 'procedures' && staff.user.role !== 'province' && (await catalogIsShared(deps.db))) {
      // The shared catalog is the province's: a commune's file would change every commune's answers.
      return renderPage(res, staff, {
        title: 'Nhập dữ liệu từ tệp',
        active: kind,
        status: 403,
        error: 'Danh mục thủ tục này dùng chung cho các xã, phường của tỉnh: chỉ tài khoản cấp tỉnh nhập được tệp thủ tục. Xã thay đổi thủ tục của mình ở trang từng thủ tục.',
        body: importForm(staff, kind),
      });
    }
    const result = await importCatalogFile(deps.db, { kind, fileName: field(req, 'fileName'), bytes, dryRun, who: staff.user.username });
    if (!result.ok) {
      return renderPage(res, staff, {
        title: 'Nhập dữ liệu từ tệp',
        active: kind,
        status: 400,
        error: `Tệp “${field(req, 'fileName')}” có ${result.errors.length} lỗi nên chưa ghi gì vào hệ thống. Hãy sửa các dòng dưới đây rồi nhập lại.`,
        body: html`${issuesTable(result.errors)}${importForm(staff, kind)}`,
      });
    }
    if (!result.dryRun) await deps.onCatalogChanged?.();
    const summary = `${result.count} ${nouns[kind]}: ${result.created} mới, ${result.updated} cập nhật`;
    renderPage(res, staff, {
      title: 'Nhập dữ liệu từ tệp',
      active: kind,
      notice: result.dryRun ? `Tệp hợp lệ. Nếu nhập sẽ có ${summary}. Chưa ghi gì.` : `Đã nhập ${summary}.`,
      body: html`${result.ignoredColumns.length ? html`<p class="hint">Các cột không dùng đến: ${result.ignoredColumns.join(', ')}.</p>` : ''}
${'draftedPost' in result && result.draftedPost ? html`<p class="flash ok" role="status">Đã soạn bài nháp «Cập nhật thủ tục hành chính mới ban hành, sửa đổi, bổ sung, bãi bỏ» trong <a href="/admin/posts?topic=cap-nhat-tthc">Thư viện nội dung</a>. Hãy đọc lại rồi đưa vào lịch đăng; bài chưa được đăng.</p>` : ''}
<p><a href="/admin/${kind}">← ${kindLabels[kind]}</a></p>
${importForm(staff, kind)}`,
    });
  });

  router.get('/export', allow('read'), async (req, res) => {
    const kind = query(req, 'kind');
    const format = query(req, 'format') as FileFormat;
    if (!isCatalogKind(kind) || !(fileFormats as readonly string[]).includes(format)) {
      throw new HttpError(400, 'Chọn loại dữ liệu và định dạng tệp hợp lệ.', 'bad export request');
    }
    const file = await exportCatalogFile(deps.db, kind, format);
    res.type(file.contentType).attachment(file.fileName).send(file.body);
  });
}
