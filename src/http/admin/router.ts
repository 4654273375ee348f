/**
 * The staff web admin, mounted at /admin: server-rendered pages (no front-end build: small, fast on phones, nothing
 * to compile) with one CSS file and one small script. Routes stay thin: parse → one domain call → render.
 *
 * @example
 * app.use('/admin', adminRouter({ db, dispatcher, channels: ['telegram'], log, secureCookies: false }));
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { ManualEntryError } from '../../domain/reports/manual.js';
import { StaffInputError } from '../../domain/scheduler/staff.repo.js';
import { attentionCounts } from '../../domain/staff/dashboard.repo.js';
import { StaffError } from '../../domain/staff/users.js';
import { HttpError } from '../errors.js';
import { checkCsrf, requireCommuneAccess, requirePasswordChanged, requireSession, type StaffContext } from './auth.js';
import type { AdminDeps } from './deps.js';
import { safeNext } from './form.js';
import { html } from './html.js';
import { renderBarePage, renderPage } from './layout.js';
import { accountRoutes, publicAccountRoutes } from './pages/account.js';
import { auditRoutes } from './pages/audit.js';
import { catalogFileRoutes } from './pages/catalog-files.js';
import { channelRoutes } from './pages/channels.js';
import { feedbackRoutes } from './pages/feedback.js';
import { hotlineRoutes } from './pages/hotlines.js';
import { inboxRoutes } from './pages/inbox.js';
import { overviewRoutes } from './pages/overview.js';
import { postRoutes } from './pages/posts.js';
import { reportRoutes } from './pages/reports.js';
import { scheduleRoutes } from './pages/schedule.js';
import { procedureRoutes } from './pages/procedures.js';
import { unansweredRoutes } from './pages/unanswered.js';
import { userRoutes } from './pages/users.js';

export type { AdminDeps } from './deps.js';

const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

export function adminRouter(deps: AdminDeps): Router {
  const router = express.Router();
  router.use('/assets', express.static(assets, { maxAge: '1h', fallthrough: false }));
  router.use((_req, res, next) => {
    // Pages show citizens' messages and one-time passwords: never cache them, never frame them.
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Imports send the file inside the form (base64), hence the larger limit.
  router.use(express.urlencoded({ extended: false, limit: '15mb', parameterLimit: 2000 }));

  publicAccountRoutes(router, deps);
  router.use(requireSession(deps.auth ?? deps.db), requireCommuneAccess(deps), checkCsrf, requirePasswordChanged);
  if (deps.live) router.get('/live', deps.live.handle);
  router.use(async (req, res, next) => {
    // What waits for staff, on every page's menu.
    if (req.method === 'GET') res.locals.badges = await attentionCounts(deps.db);
    next();
  });
  accountRoutes(router, deps);
  overviewRoutes(router, deps);
  inboxRoutes(router, deps);
  unansweredRoutes(router, deps);
  feedbackRoutes(router, deps);
  catalogFileRoutes(router, deps);
  procedureRoutes(router, deps);
  postRoutes(router, deps);
  scheduleRoutes(router, deps);
  reportRoutes(router, deps);
  hotlineRoutes(router, deps);
  channelRoutes(router, deps);
  userRoutes(router, deps);
  auditRoutes(router, deps);

  router.use((_req, _res, next) => next(new HttpError(404, 'Không tìm thấy trang này.', 'admin page not found')));
  router.use(adminErrors(deps));
  return router;
}

/** The page the staff member came from (same site, under /admin), else the overview. */
function backLink(referer: string | undefined): string {
  try {
    const u = new URL(referer ?? '');
    return safeNext(u.pathname + u.search);
  } catch {
    return '/admin';
  }
}

/** Errors as Vietnamese pages inside the layout; a StaffError is a 400 saying what to fix. */
export function adminErrors(deps: Pick<AdminDeps, 'log'>): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let status: number;
    let message: string;
    if (err instanceof StaffError || err instanceof StaffInputError || err instanceof ManualEntryError) {
      status = 400;
      message = err instanceof StaffInputError ? err.staffMessage : err.message;
      deps.log.info({ path: req.path, cause: err.message }, 'admin action refused');
    } else if (err instanceof HttpError) {
      status = err.status;
      message = err.publicMessage;
      deps.log.warn({ path: req.path, status, cause: err.message }, 'admin request refused');
    } else {
      const s = (err as { status?: number }).status;
      if (typeof s === 'number' && s >= 400 && s < 500) {
        status = s;
        message = s === 413 ? 'Tệp hoặc nội dung gửi lên quá lớn.' : 'Yêu cầu không hợp lệ.';
        deps.log.warn({ path: req.path, status, cause: String((err as Error).message) }, 'bad admin request');
      } else {
        status = 500;
        message = 'Đã có lỗi xảy ra. Xin vui lòng thử lại sau hoặc báo cho quản trị viên.';
        deps.log.error({ path: req.path, err }, 'admin page failed');
      }
    }
    const staff = res.locals.staff as StaffContext | undefined;
    const body = html`<p><a href="${backLink(req.get('referer'))}">← Quay lại</a></p>`;
    if (staff) renderPage(res, staff, { title: status === 400 ? 'Chưa lưu được' : 'Không thực hiện được', status, error: message, body });
    else renderBarePage(res, { title: 'Không thực hiện được', status, error: message, body: html`<p><a href="/admin/login">Đăng nhập</a></p>` });
  };
}
