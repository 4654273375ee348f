/** Sign-in, sign-out and the own-password change (forced after a one-time password). */
import type { Router } from 'express';
import { LoginLimiter } from '../../../domain/staff/login-limiter.js';
import { minPasswordLength } from '../../../domain/staff/passwords.js';
import { closeSession, openSession } from '../../../domain/staff/sessions.repo.js';
import { maxOfficerTitleLength, officerSignature, updateOfficerProfile } from '../../../domain/staff/officer.js';
import { changeOwnPassword, normaliseUsername, signIn } from '../../../domain/staff/users.js';
import { checkPreLoginToken, clearSessionCookie, preLoginToken, setSessionCookie, staffOf, type StaffContext } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { field, fieldError, invalidAttrs, query, refusalOf, refusalSummary, safeNext, type FormRefusal } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderBarePage, renderPage } from '../layout.js';

function loginForm(token: string, next: string, username = '') {
  return html`<form method="post" action="/admin/login" class="card narrow">
<input type="hidden" name="_csrf" value="${token}">
<input type="hidden" name="next" value="${next}">
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${username}" ${username ? '' : html`autofocus`}>
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" required ${username ? html`autofocus` : ''}>
<button type="submit" class="primary">Đăng nhập</button>
</form>
<p class="hint">Quên mật khẩu? Hãy nhờ quản trị viên đặt lại mật khẩu cho bạn.</p>`;
}

/** Public routes: mounted before the session check. */
export function publicAccountRoutes(router: Router, deps: AdminDeps): void {
  const limiter = deps.limiter ?? new LoginLimiter();
  const cookieOpts = { secure: deps.secureCookies };

  router.get('/login', (req, res) => {
    const token = preLoginToken(req, res, cookieOpts);
    renderBarePage(res, { title: 'Đăng nhập quản trị', body: loginForm(token, safeNext(query(req, 'next'))) });
  });

  router.post('/login', async (req, res) => {
    const username = normaliseUsername(field(req, 'username')).slice(0, 64);
    const next = safeNext(field(req, 'next'));
    const token = preLoginToken(req, res, cookieOpts);
    const fail = (status: number, error: string) =>
      renderBarePage(res, { title: 'Đăng nhập quản trị', status, error, body: loginForm(token, next, username) });
    if (!checkPreLoginToken(req)) return fail(403, 'Biểu mẫu đã hết hạn. Vui lòng đăng nhập lại.');
    const ip = req.ip ?? 'unknown';
    // Counted before the password is checked, so simultaneous tries cannot slip past the limit.
    const decision = await limiter.begin(deps.auth ?? deps.db, ip, username);
    if (!decision.allowed) {
      deps.log.warn({ ip, username }, 'sign-in refused: too many failures');
      res.set('Retry-After', String(Math.ceil(decision.retryAfterMs / 1000)));
      return fail(429, `Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.max(1, Math.ceil(decision.retryAfterMs / 60_000))} phút.`);
    }
    const result = await signIn(deps.auth ?? deps.db, username, field(req, 'password'));
    if (!result.ok) {
      await limiter.failed(deps.auth ?? deps.db, decision.attemptId, username);
      deps.log.info({ ip, username, reason: result.reason }, 'sign-in failed');
      return fail(401, result.reason === 'disabled' ? 'Tài khoản này đã bị khoá. Hãy liên hệ quản trị viên.' : 'Tên đăng nhập hoặc mật khẩu không đúng.');
    }
    await limiter.succeeded(deps.auth ?? deps.db, decision.attemptId, ip, username);
    const session = await openSession(deps.auth ?? deps.db, result.user.id);
    setSessionCookie(res, session.token, cookieOpts);
    deps.log.info({ username }, 'staff signed in');
    res.redirect(303, result.user.mustChangePassword ? '/admin/account/password' : next);
  });
}

/** Passwords are never written back into the page; the message still goes beside the field to fix. */
function passwordForm(staff: StaffContext, refusal: FormRefusal | null = null) {
  return html`<form method="post" action="/admin/account/password" class="card narrow">
${csrfField(staff)}
<input type="hidden" name="username" value="${staff.user.username}" autocomplete="username">
<label for="current">Mật khẩu hiện tại${staff.user.mustChangePassword ? ' (mật khẩu dùng một lần bạn được cấp)' : ''}</label>
<input id="current" name="current" type="password" autocomplete="current-password" required${invalidAttrs(refusal, 'current')}>${fieldError(refusal, 'current')}
<label for="next">Mật khẩu mới</label>
<input id="next" name="next" type="password" autocomplete="new-password" required minlength="${minPasswordLength}"${refusal?.fields.next ? html` aria-invalid="true" aria-describedby="e-next next-hint"` : html` aria-describedby="next-hint"`}>${fieldError(refusal, 'next')}
<p class="hint" id="next-hint">Ít nhất ${minPasswordLength} ký tự; nên dùng một câu dễ nhớ với bạn nhưng khó đoán với người khác.</p>
<label for="confirm">Nhập lại mật khẩu mới</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength="${minPasswordLength}"${invalidAttrs(refusal, 'confirm')}>${fieldError(refusal, 'confirm')}
<button type="submit" class="primary">Đổi mật khẩu</button>
</form>`;
}

function profileForm(staff: StaffContext, displayName: string, title: string, refusal: FormRefusal | null = null) {
  return html`<form method="post" action="/admin/account/profile" class="card narrow">
${csrfField(staff)}
<label for="displayName">Họ và tên</label>
<input id="displayName" name="displayName" maxlength="100" required value="${displayName}" autocomplete="name"${invalidAttrs(refusal, 'displayName')}>${fieldError(refusal, 'displayName')}
<label for="title">Chức danh, đơn vị</label>
<input id="title" name="title" maxlength="${maxOfficerTitleLength}" value="${title}" placeholder="ví dụ Văn phòng UBND xã"${refusal?.fields.title ? html` aria-invalid="true" aria-describedby="e-title title-hint"` : html` aria-describedby="title-hint"`}>${fieldError(refusal, 'title')}
<p class="hint" id="title-hint">Khi bạn trả lời, người dân thấy: «${officerSignature({ username: staff.user.username, displayName: displayName || null, title })}».</p>
<button type="submit" class="primary">Lưu hồ sơ</button>
</form>`;
}

/** Routes behind the session check. */
export function accountRoutes(router: Router, deps: AdminDeps): void {
  router.post('/logout', async (_req, res) => {
    const staff = staffOf(res);
    await closeSession(deps.auth ?? deps.db, staff.sessionToken);
    clearSessionCookie(res, { secure: deps.secureCookies });
    res.redirect(303, '/admin/login');
  });

  router.get('/account/profile', (_req, res) => {
    const staff = staffOf(res);
    renderPage(res, staff, { title: 'Hồ sơ cán bộ', body: profileForm(staff, staff.user.displayName ?? '', staff.user.title ?? '') });
  });

  router.post('/account/profile', async (req, res) => {
    const staff = staffOf(res);
    const displayName = field(req, 'displayName');
    const title = field(req, 'title');
    try {
      await updateOfficerProfile(deps.db, staff.user.id, { displayName, title }, staff.user.username);
    } catch (e) {
      const refusal = refusalOf(e);
      if (!refusal) throw e;
      return renderPage(res, staff, { title: 'Hồ sơ cán bộ', status: 400, error: refusalSummary(refusal), body: profileForm(staff, displayName, title, refusal) });
    }
    res.redirect(303, '/admin/account/profile?ok=saved');
  });

  router.get('/account/password', (_req, res) => {
    const staff = staffOf(res);
    renderPage(res, staff, {
      title: 'Đổi mật khẩu',
      notice: staff.user.mustChangePassword ? 'Bạn đang dùng mật khẩu một lần. Hãy đặt mật khẩu mới của riêng bạn để tiếp tục.' : null,
      body: passwordForm(staff),
    });
  });

  router.post('/account/password', async (req, res) => {
    const staff = staffOf(res);
    try {
      await changeOwnPassword(deps.auth ?? deps.db, staff.user.id, field(req, 'current'), field(req, 'next'), field(req, 'confirm'), deps.tenant?.communeId);
    } catch (e) {
      const refusal = refusalOf(e);
      if (!refusal) throw e;
      return renderPage(res, staff, { title: 'Đổi mật khẩu', status: 400, error: refusalSummary(refusal), body: passwordForm(staff, refusal) });
    }
    res.redirect(303, '/admin?ok=password_changed');
  });
}
