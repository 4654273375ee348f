/**
 * Báo cáo toàn tỉnh (province role only): every commune's tallies of a period side by side with the totals, a
 * comparison chart, and the table as JSON, CSV, XLSX or DOCX. Mounted at /admin/province by the province admin.
 */
import express, { type Router } from 'express';
import type { Db } from '../../../db/client.js';
import { scopeToCommune } from '../../../db/tenant.js';
import { listCommunes, toTenant } from '../../../domain/commune/communes.repo.js';
import { CONTENT_TYPES, isExportFormat } from '../../../domain/reports/export/index.js';
import { parsePeriod, PeriodError, type Period } from '../../../domain/reports/period.js';
import { exportProvinceReport, provinceFileName, provinceSummary } from '../../../domain/reports/province/export.js';
import { computeProvinceReport, PROVINCE_COLUMNS, type ProvinceReport } from '../../../domain/reports/province/tallies.js';
import { suggestedPeriods } from '../../../domain/staff/reports-admin.js';
import { HttpError } from '../../errors.js';
import { allow, requirePasswordChanged, requireSession } from '../auth.js';
import { barChart } from '../chart.js';
import { query } from '../form.js';
import { html } from '../html.js';
import { renderPage } from '../layout.js';
import { adminErrors } from '../router.js';
import type { Logger } from '../../../domain/logger.js';

const formatLabels: Record<string, string> = { csv: 'CSV', xlsx: 'Excel (.xlsx)', docx: 'Word (.docx)', json: 'JSON' };

function periodOf(text: string): Period {
  try {
    return parsePeriod(text);
  } catch (e) {
    if (e instanceof PeriodError) throw new HttpError(400, e.message, 'bad province report period');
    throw e;
  }
}

async function report(root: Db, period: Period): Promise<ProvinceReport> {
  const communes = await listCommunes(root);
  return computeProvinceReport(communes.map((c) => ({ slug: c.slug, name: c.name, db: scopeToCommune(root, toTenant(c)) })), period);
}

function table(r: ProvinceReport) {
  return html`<div class="table-wrap"><table class="province"><caption>Kết quả theo xã, phường — ${r.period.label}</caption>
<thead><tr><th scope="col">Xã, phường</th>${PROVINCE_COLUMNS.map((c) => html`<th scope="col" class="num">${c.label}</th>`)}</tr></thead>
<tbody>${r.communes.map((c) => html`<tr><th scope="row">${c.name}</th>${PROVINCE_COLUMNS.map((col) => html`<td class="num">${c[col.key]}</td>`)}</tr>`)}
<tr class="total"><th scope="row">Toàn tỉnh</th>${PROVINCE_COLUMNS.map((col) => html`<td class="num">${r.totals[col.key]}</td>`)}</tr></tbody>
</table></div>`;
}

export function provinceRoutes(root: Db, log: Logger): Router {
  const router = express.Router();
  router.use(requireSession(root), requirePasswordChanged, allow('province.view'));

  router.get('/', async (req, res, next) => {
    try {
      const periods = suggestedPeriods(new Date());
      const period = periodOf(query(req, 'period') || periods[1]!.key);
      const r = await report(root, period);
      const names = r.communes.map((c) => c.name.replace(/^(UBND\s+)?(xã|phường)\s+/iu, ''));
      renderPage(res, res.locals.staff, {
        title: 'Báo cáo toàn tỉnh',
        active: 'province',
        body: html`<form method="get" action="/admin/province" class="card inline-form">
<label for="period">Kỳ báo cáo</label>
<input id="period" name="period" value="${period.key}" list="periods">
<datalist id="periods">${periods.map((p) => html`<option value="${p.key}">${p.label}</option>`)}</datalist>
<button type="submit">Xem</button></form>
<p class="lead-text">${provinceSummary(r)}</p>
<section class="card"><h2>So sánh các xã, phường</h2>
${barChart(names, [
  { label: 'Tin bài', className: 's3', values: r.communes.map((c) => c.posts) },
  { label: 'Tin nhắn người dân', className: 's1', values: r.communes.map((c) => c.inbound) },
  { label: 'Câu hỏi được trả lời', className: 's2', values: r.communes.map((c) => c.answered) },
], `Tin bài, tin nhắn và câu hỏi được trả lời của từng xã, phường — ${r.period.label}`)}
</section>
${table(r)}
<p class="downloads">Tải về: ${(['xlsx', 'docx', 'csv', 'json'] as const).map((f, i) => html`${i ? ' · ' : ''}<a href="/admin/province/export?period=${encodeURIComponent(period.key)}&amp;format=${f}" download>${formatLabels[f]}</a>`)}</p>`,
      });
    } catch (e) {
      next(e);
    }
  });

  router.get('/export', async (req, res, next) => {
    try {
      const format = query(req, 'format');
      if (!isExportFormat(format)) throw new HttpError(400, 'Định dạng tệp không hợp lệ: chọn CSV, Excel, Word hoặc JSON.', 'bad province report format');
      const r = await report(root, periodOf(query(req, 'period')));
      res.type(CONTENT_TYPES[format]).attachment(provinceFileName(r, format));
      await exportProvinceReport(r, format, res);
    } catch (e) {
      next(e);
    }
  });
  router.use(adminErrors({ log }));
  return router;
}
