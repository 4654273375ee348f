/** Người dùng (administrators only): list, add with a one-time password, change role or lock, reset password. */
import type { Response, Router } from 'express';
import type { Db } from '../../../db/client.js';
import { communeRoles, roleLabels, type Role } from '../../../domain/staff/roles.js';
import { listUsers } from '../../../domain/staff/users.repo.js';
import { createUser, resetPassword, updateUserAccess } from '../../../domain/staff/users.js';
import { formatVnDateTime } from '../../../domain/staff/vn-time.js';
import { allow, staffOf, type StaffContext } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { HttpError } from '../../errors.js';
import { checkbox, field, fieldError, idParam, invalidAttrs, refusalOf, refusalSummary, type FormRefusal } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';

function roleSelect(id: string, current: string, refusal?: FormRefusal | null) {
  return html`<select id="${id}" name="role"${invalidAttrs(refusal, 'role')}>${communeRoles.map((r) => html`<option value="${r}"${r === current ? html` selected` : ''}>${roleLabels[r]}</option>`)}</select>${fieldError(refusal, 'role')}`;
}

interface NewUserValues {
  username: string;
  displayName: string;
  role: string;
}

function oneTimePasswordPage(staff: StaffContext, username: string, password: string) {
  return html`<section class="card">
<p>Mật khẩu dùng một lần của <strong>${username}</strong> (chỉ hiện một lần, hãy chép lại và trao tận tay):</p>
<p class="secret"><code>${password}</code></p>
<p class="hint">Khi đăng nhập lần đầu, người dùng sẽ phải đặt mật khẩu mới.</p>
<p><a href="/admin/users">← Quay lại danh sách người dùng</a></p>
</section>`;
}

/** The user list with the add form; a refused add comes back with what was typed and the message beside its field. */
async function renderUsers(res: Response, db: Db, values: NewUserValues, refusal: FormRefusal | null): Promise<void> {
  const staff = staffOf(res);
  const users = await listUsers(db);
  renderPage(res, staff, {
    title: 'Người dùng',
    active: 'users',
    ...(refusal ? { status: 400, error: refusalSummary(refusal) } : {}),
    body: html`<p class="hint">Quản trị viên: mọi chức năng. Biên tập viên: quản lý nội dung và trả lời người dân. Người xem: xem và xuất báo cáo.</p>
<ul class="list">
${users.map((u) => html`<li class="item">
  <p><strong>${u.username}</strong>${u.displayName ? ` (${u.displayName})` : ''} · ${roleLabels[u.role as Role] ?? u.role}${u.disabled ? html` <span class="pill bad">Đã khoá</span>` : ''}${u.mustChangePassword ? html` <span class="pill off">Chưa đổi mật khẩu</span>` : ''}</p>
  <p class="meta">Đăng nhập gần nhất: ${formatVnDateTime(u.lastLoginAt)}</p>
  <details><summary>Quyền và khoá tài khoản</summary>
  <form method="post" action="/admin/users/${u.id}/access" class="fields">
  ${csrfField(staff)}
  <label for="role-${u.id}">Vai trò</label>${roleSelect(`role-${u.id}`, u.role)}
  <label class="check"><input type="checkbox" name="disabled"${u.disabled ? html` checked` : ''}> Khoá tài khoản</label>
  <button type="submit" class="primary">Lưu</button>
  </form>
  <form method="post" action="/admin/users/${u.id}/reset" data-confirm="Đặt lại mật khẩu cho ${u.username}? Các phiên đăng nhập của người này sẽ kết thúc.">
  ${csrfField(staff)}<button type="submit">Đặt lại mật khẩu</button>
  </form></details>
</li>`)}
</ul>
<section class="card"><h2>Thêm người dùng</h2>
<form method="post" action="/admin/users" class="fields">
  ${csrfField(staff)}
  <label for="new-username">Tên đăng nhập</label>
  <input id="new-username" name="username" required pattern="[a-z0-9._\\-]{3,32}" autocapitalize="none" spellcheck="false" value="${values.username}"${refusal?.fields.username ? html` aria-invalid="true" aria-describedby="e-username new-username-hint"` : html` aria-describedby="new-username-hint"`}>${fieldError(refusal, 'username')}
  <p class="hint" id="new-username-hint">3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang.</p>
  <label for="new-name">Họ và tên</label><input id="new-name" name="displayName" maxlength="100" value="${values.displayName}">
  <label for="new-role">Vai trò</label>${roleSelect('new-role', values.role, refusal)}
  <button type="submit" class="primary">Tạo người dùng</button>
</form></section>`,
  });
}

export function userRoutes(router: Router, deps: AdminDeps): void {
  router.use('/users', allow('users.manage'));

  router.get('/users', async (_req, res) => {
    await renderUsers(res, deps.db, { username: '', displayName: '', role: 'editor' }, null);
  });

  router.post('/users', async (req, res) => {
    const staff = staffOf(res);
    const values: NewUserValues = { username: field(req, 'username'), role: field(req, 'role'), displayName: field(req, 'displayName') };
    let created;
    try {
      created = await createUser(deps.db, values, staff.user.username);
    } catch (e) {
      const refusal = refusalOf(e);
      if (!refusal) throw e;
      return renderUsers(res, deps.db, values, refusal);
    }
    renderPage(res, staff, { title: 'Đã tạo người dùng', active: 'users', body: oneTimePasswordPage(staff, created.user.username, created.oneTimePassword) });
  });

  router.post('/users/:id/access', async (req, res) => {
    const staff = staffOf(res);
    await updateUserAccess(deps.db, idParam(req), { role: field(req, 'role'), disabled: checkbox(req, 'disabled') }, staff.user.username);
    res.redirect(303, '/admin/users?ok=saved');
  });

  router.post('/users/:id/reset', async (req, res) => {
    const staff = staffOf(res);
    const user = await deps.db.staffUser.findUnique({ where: { id: idParam(req) } });
    if (!user) throw new HttpError(404, 'Không tìm thấy người dùng.', 'user not found');
    const password = await resetPassword(deps.db, user.username, staff.user.username);
    renderPage(res, staff, { title: 'Đã đặt lại mật khẩu', active: 'users', body: oneTimePasswordPage(staff, user.username, password) });
  });
}
