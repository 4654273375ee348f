/** Reading urlencoded form fields without trusting their shape. */
import type { Request } from 'express';
import { HttpError } from '../errors.js';

export function field(req: Request, name: string): string {
  const body = req.body as Record<string, unknown> | undefined;
  const v = body?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

export function checkbox(req: Request, name: string): boolean {
  const v = field(req, name);
  return v === 'on' || v === 'true' || v === '1';
}

export function query(req: Request, name: string): string {
  const v = req.query[name];
  return typeof v === 'string' ? v : '';
}

export function idParam(req: Request, name = 'id'): number {
  const n = Number(req.params[name]);
  if (!Number.isSafeInteger(n) || n <= 0) throw new HttpError(404, 'Không tìm thấy mục này.', `bad id ${String(req.params[name])}`);
  return n;
}

/** A same-site path to go back to after sign-in; anything else becomes /admin. */
export function safeNext(value: string): string {
  return /^\/admin(\/[A-Za-z0-9/_\-.?=&%]*)?$/.test(value) && !value.startsWith('//') ? value : '/admin';
}
