/**
 * Sessions, CSRF and roles for the admin, as express middleware.
 * - The session cookie (`cchc_admin`) is httpOnly, SameSite=Lax, Secure when the service is served over https, and
 *   scoped to /admin. The database keeps only the token's SHA-256.
 * - CSRF: a synchronizer token stored with the session; every POST must echo it in `_csrf` (or `x-csrf-token`).
 *   The sign-in form, which has no session yet, uses a double-submit cookie instead.
 * - Roles: `allow(permission)` answers 403 with a Vietnamese page when the role lacks it.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../../db/client.js';
import { can, type Permission } from '../../domain/staff/roles.js';
import { findSession, randomToken, sameToken, sessionLifetimeMs } from '../../domain/staff/sessions.repo.js';
import type { StaffUserRow } from '../../domain/staff/users.repo.js';
import { HttpError } from '../errors.js';

export const sessionCookie = 'cchc_admin';
export const preLoginCookie = 'cchc_admin_pre';

export interface StaffContext {
  user: StaffUserRow;
  csrfToken: string;
  sessionToken: string;
}

export function staffOf(res: Response): StaffContext {
  const s = res.locals.staff as StaffContext | undefined;
  if (!s) throw new HttpError(401, 'Vui lòng đăng nhập.', 'no staff session on a protected route');
  return s;
}

export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export interface CookieOptions {
  secure: boolean;
}

export function setSessionCookie(res: Response, token: string, opts: CookieOptions): void {
  res.cookie(sessionCookie, token, { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/admin', maxAge: sessionLifetimeMs });
}

export function clearSessionCookie(res: Response, opts: CookieOptions): void {
  res.clearCookie(sessionCookie, { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/admin' });
}

/** The sign-in form's CSRF token: reuses the pre-login cookie or sets a new one. */
export function preLoginToken(req: Request, res: Response, opts: CookieOptions): string {
  const existing = readCookie(req, preLoginCookie);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomToken();
  res.cookie(preLoginCookie, token, { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/admin', maxAge: 3_600_000 });
  return token;
}

export function checkPreLoginToken(req: Request): boolean {
  const cookie = readCookie(req, preLoginCookie);
  const sent = formToken(req);
  return !!cookie && !!sent && sameToken(cookie, sent);
}

function formToken(req: Request): string | null {
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = typeof body?._csrf === 'string' ? body._csrf : null;
  const fromHeader = req.get('x-csrf-token') ?? null;
  return fromBody ?? fromHeader;
}

/** Loads the session; without one, pages redirect to sign-in and other requests get 401. */
export function requireSession(db: Db): RequestHandler {
  return async (req, res, next) => {
    const token = readCookie(req, sessionCookie);
    const session = token ? await findSession(db, token) : null;
    if (!session || !token) {
      if (req.method === 'GET') {
        res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      next(new HttpError(401, 'Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.', 'post without a valid session'));
      return;
    }
    res.locals.staff = { user: session.user, csrfToken: session.csrfToken, sessionToken: token } satisfies StaffContext;
    next();
  };
}

/**
 * Refuses staff of another commune: a session is valid installation-wide, but this admin serves one commune, open
 * to its own staff and to province users only.
 */
export function requireCommuneAccess(deps: { tenant?: { communeId: number } }): RequestHandler {
  return (_req, res, next) => {
    const { user } = staffOf(res);
    if (!deps.tenant || user.role === 'province' || user.communeId === deps.tenant.communeId) return next();
    next(new HttpError(403, 'Tài khoản của bạn thuộc xã, phường khác: không xem được dữ liệu của xã này.', `staff of commune ${user.communeId} refused in commune ${deps.tenant.communeId}`));
  };
}

/** Refuses any POST whose CSRF token does not match the session's. */
export function checkCsrf(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST') return next();
  const sent = formToken(req);
  if (!sent || !sameToken(sent, staffOf(res).csrfToken)) {
    next(new HttpError(403, 'Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.', 'CSRF token missing or wrong'));
    return;
  }
  next();
}

/** Users with a one-time password may only change it (or sign out) until they do. */
export function requirePasswordChanged(req: Request, res: Response, next: NextFunction): void {
  const { user } = staffOf(res);
  if (user.mustChangePassword && req.path !== '/account/password' && req.path !== '/logout') {
    if (req.method === 'GET') return res.redirect(303, '/admin/account/password');
    return next(new HttpError(403, 'Vui lòng đổi mật khẩu trước khi tiếp tục.', 'password change required'));
  }
  next();
}

export function allow(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    if (!can(staffOf(res).user.role, permission)) {
      next(new HttpError(403, 'Tài khoản của bạn không có quyền thực hiện việc này. Hãy liên hệ quản trị viên.', `role lacks ${permission}`));
      return;
    }
    next();
  };
}
