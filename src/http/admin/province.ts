/**
 * The admin of an installation with several communes, mounted at /admin. Every request is handed to the admin of ONE
 * commune, built with a client scoped to it (db/tenant.ts), so a page can only ever read or change that commune:
 * - commune staff always get their own commune's admin, whatever they send;
 * - a province user (role `province`) gets the commune chosen with POST /admin/commune (a cookie holding its slug),
 *   by default the first one, plus the province report at /admin/province;
 * - without a session, the first commune's admin answers (its sign-in page signs in any user).
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Db } from '../../db/client.js';
import type { Tenant } from '../../db/tenant.js';
import { listCommunes, toTenant, type CommuneRow } from '../../domain/commune/communes.repo.js';
import { findSession } from '../../domain/staff/sessions.repo.js';
import { HttpError } from '../errors.js';
import { readCookie, sessionCookie } from './auth.js';

export const communeCookie = 'cchc_commune';

export interface ProvinceAdminOptions {
  root: Db;
  /** Builds (once per commune) the admin router of one commune. */
  communeAdmin(tenant: Tenant, commune: CommuneRow): Router;
  /** Routes only the province role reaches (the province report), mounted before the commune admins. */
  provinceRoutes?: Router;
  secureCookies: boolean;
}

/** The commune (of `communes`) a signed-in user works in, or null when the user may not use any. */
export function communeForUser(user: { communeId: number | null; role: string }, communes: readonly CommuneRow[], chosenSlug: string | null): CommuneRow | null {
  if (user.role === 'province') return communes.find((c) => c.slug === chosenSlug) ?? communes[0] ?? null;
  return communes.find((c) => c.id === user.communeId) ?? null;
}

export function provinceAdmin(options: ProvinceAdminOptions): Router {
  const routers = new Map<number, Router>();
  const routerOf = (commune: CommuneRow) => {
    let r = routers.get(commune.id);
    if (!r) {
      r = options.communeAdmin(toTenant(commune), commune);
      routers.set(commune.id, r);
    }
    return r;
  };
  const outer = express.Router();
  const chooseCommune: RequestHandler = async (req, res, next) => {
    try {
      const communes = await listCommunes(options.root);
      const token = readCookie(req, sessionCookie);
      const session = token ? await findSession(options.root, token) : null;
      let commune: CommuneRow | null;
      if (!session) commune = communes[0] ?? null;
      else commune = communeForUser(session.user, communes, readCookie(req, communeCookie));
      if (!commune) {
        next(new HttpError(403, 'Tài khoản của bạn không thuộc xã, phường nào của hệ thống. Hãy liên hệ quản trị viên.', 'staff user has no commune here'));
        return;
      }
      res.locals.commune = commune;
      res.locals.communes = session?.user.role === 'province' ? communes : [commune];
      routerOf(commune)(req, res, next);
    } catch (e) {
      next(e);
    }
  };
  outer.post('/commune', express.urlencoded({ extended: false, limit: '10kb' }), switchCommune(options));
  if (options.provinceRoutes) outer.use('/province', options.provinceRoutes);
  outer.use(chooseCommune);
  return outer;
}

/** POST /admin/commune (slug, _csrf): a province user switches the commune the admin shows. */
function switchCommune(options: ProvinceAdminOptions): RequestHandler {
  return async (req: Request, res: Response, next) => {
    try {
      const token = readCookie(req, sessionCookie);
      const session = token ? await findSession(options.root, token) : null;
      if (!session) throw new HttpError(401, 'Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.', 'commune switch without a session');
      const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof sent !== 'string' || sent !== session.csrfToken) {
        throw new HttpError(403, 'Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.', 'CSRF token missing or wrong on commune switch');
      }
      if (session.user.role !== 'province') {
        throw new HttpError(403, 'Chỉ tài khoản cấp tỉnh mới chuyển được giữa các xã, phường.', 'commune switch by a commune user');
      }
      const slug = String((req.body as Record<string, unknown>).slug ?? '');
      const communes = await listCommunes(options.root);
      if (!communes.some((c) => c.slug === slug)) throw new HttpError(400, `Không có xã, phường mã «${slug}».`, `commune switch to unknown ${slug}`);
      res.cookie(communeCookie, slug, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/admin' });
      res.redirect(303, '/admin');
    } catch (e) {
      next(e);
    }
  };
}
