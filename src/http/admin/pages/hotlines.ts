/** Đường dây nóng: the hotline directory, edited in place; new numbers added at the end. */
import type { Request, Response, Router } from 'express';
import { deleteHotline, listHotlines, saveHotline, type HotlineInput, type HotlineRow } from '../../../domain/staff/hotlines.repo.js';
import { can } from '../../../domain/staff/roles.js';
import { allow, staffOf, type StaffContext } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { checkbox, field, fieldError, idParam, invalidAttrs, refusalOf, refusalSummary, type FormRefusal } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { exportLinks } from './catalog-files.js';

function input(req: Request): HotlineInput {
  return {
    name: field(req, 'name'), number: field(req, 'number'), purpose: field(req, 'purpose'), hours: field(req, 'hours'),
    isExample: checkbox(req, 'isExample'), sortOrder: field(req, 'sortOrder') || '0',
  };
}

type HotlineValues = Partial<Omit<HotlineRow, 'sortOrder'>> & { id?: number; sortOrder?: number | string };

function hotlineForm(staff: StaffContext, h: HotlineValues, suffix: string, refusal?: FormRefusal | null) {
  const err = (name: string) => fieldError(refusal, name);
  const bad = (name: string) => invalidAttrs(refusal, name);
  const action = h.id ? `/admin/hotlines/${h.id}` : '/admin/hotlines';
  return html`<form method="post" action="${action}" class="fields">
  ${csrfField(staff)}
  <label for="name-${suffix}">Tên đơn vị</label><input id="name-${suffix}" name="name" required maxlength="200" value="${h.name ?? ''}"${bad('name')}>${err('name')}
  <label for="number-${suffix}">Số điện thoại</label><input id="number-${suffix}" name="number" required inputmode="tel" value="${h.number ?? ''}"${bad('number')}>${err('number')}
  <label for="purpose-${suffix}">Tiếp nhận</label><input id="purpose-${suffix}" name="purpose" required maxlength="500" value="${h.purpose ?? ''}"${bad('purpose')}>${err('purpose')}
  <label for="hours-${suffix}">Giờ tiếp nhận</label><input id="hours-${suffix}" name="hours" value="${h.hours ?? ''}"${bad('hours')}>${err('hours')}
  <label for="order-${suffix}">Thứ tự hiển thị</label><input id="order-${suffix}" name="sortOrder" type="number" min="0" max="9999" value="${h.sortOrder ?? 0}"${bad('sortOrder')}>${err('sortOrder')}
  <label class="check"><input type="checkbox" name="isExample"${h.isExample ? html` checked` : ''}> Số minh hoạ (chưa phải số thật)</label>
  <button type="submit" class="primary">${h.id ? 'Lưu' : 'Thêm số mới'}</button>
</form>`;
}

/** Try to save; a refused form comes back with what was typed and each message beside its field. */
async function saveOrRefuse(res: Response, deps: AdminDeps, id: number | null, values: HotlineInput): Promise<boolean> {
  const staff = staffOf(res);
  try {
    await saveHotline(deps.db, id, values, staff.user.username);
    return true;
  } catch (e) {
    const refusal = refusalOf(e);
    if (!refusal) throw e;
    const shown: HotlineValues = { ...values, hours: values.hours ?? '', sortOrder: String(values.sortOrder ?? ''), ...(id ? { id } : {}) };
    renderPage(res, staff, {
      title: 'Đường dây nóng',
      active: 'hotlines',
      status: 400,
      error: refusalSummary(refusal),
      body: html`<section class="card"><h2>${id ? 'Sửa số đường dây nóng' : 'Thêm số mới'}</h2>${hotlineForm(staff, shown, id ? String(id) : 'new', refusal)}</section>
<p><a href="/admin/hotlines">← Danh sách đường dây nóng</a></p>`,
    });
    return false;
  }
}

export function hotlineRoutes(router: Router, deps: AdminDeps): void {
  router.get('/hotlines', async (_req, res) => {
    const staff = staffOf(res);
    const rows = await listHotlines(deps.db);
    const mayEdit = can(staff.user.role, 'content.edit');
    renderPage(res, staff, {
      title: 'Đường dây nóng',
      active: 'hotlines',
      body: html`<p class="hint">Trợ lý gửi các số này khi người dân muốn phản ánh, kiến nghị. Số minh hoạ được ghi rõ là ví dụ.</p>
<div class="toolbar">${mayEdit ? html`<a class="button" href="/admin/import?kind=hotlines">Nhập từ tệp Excel/CSV</a>` : ''}${exportLinks('hotlines')}</div>
${rows.length === 0 ? html`<p class="empty">Chưa có số nào.</p>` : ''}
<ul class="list">
${rows.map((h) => html`<li class="item">
  <p><strong>${h.name}</strong>: <a href="tel:${h.number.replace(/[^+0-9]/g, '')}">${h.number}</a>${h.isExample ? html` <span class="pill off">Ví dụ</span>` : ''}</p>
  <p class="meta">${h.purpose}${h.hours ? ` · ${h.hours}` : ''}</p>
  ${mayEdit ? html`<details><summary>Sửa</summary>${hotlineForm(staff, h, String(h.id))}
  <form method="post" action="/admin/hotlines/${h.id}/delete" data-confirm="Xoá số ${h.number}?">${csrfField(staff)}<button type="submit" class="danger">Xoá số này</button></form></details>` : ''}
</li>`)}
</ul>
${mayEdit ? html`<section class="card"><h2>Thêm số mới</h2>${hotlineForm(staff, {}, 'new')}</section>` : ''}`,
    });
  });

  router.post('/hotlines', allow('content.edit'), async (req, res) => {
    if (!(await saveOrRefuse(res, deps, null, input(req)))) return;
    await deps.onCatalogChanged?.();
    res.redirect(303, '/admin/hotlines?ok=created');
  });

  router.post('/hotlines/:id', allow('content.edit'), async (req, res) => {
    if (!(await saveOrRefuse(res, deps, idParam(req), input(req)))) return;
    await deps.onCatalogChanged?.();
    res.redirect(303, '/admin/hotlines?ok=saved');
  });

  router.post('/hotlines/:id/delete', allow('content.edit'), async (req, res) => {
    await deleteHotline(deps.db, idParam(req), staffOf(res).user.username);
    await deps.onCatalogChanged?.();
    res.redirect(303, '/admin/hotlines?ok=deleted');
  });
}
