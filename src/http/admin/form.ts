/** Reading urlencoded form fields without trusting their shape. */
import type { Request } from 'express';
import { ManualEntryError } from '../../domain/reports/manual.js';
import { StaffInputError } from '../../domain/scheduler/staff.repo.js';
import { StaffError } from '../../domain/staff/users.js';
import { HttpError } from '../errors.js';
import { html, type Html } from './html.js';

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

/**
 * A refused form: the message for the top of the page and the messages to show beside their fields. Every admin
 * form re-renders itself with the submitted values and these, instead of a bare error page.
 */
export interface FormRefusal {
  message: string;
  fields: Readonly<Record<string, string>>;
}

/** The refusal carried by a staff-input error, or null for any other error (which the error handler renders). */
export function refusalOf(e: unknown): FormRefusal | null {
  if (e instanceof StaffError) return { message: e.message, fields: e.fields };
  if (e instanceof StaffInputError) return { message: e.staffMessage, fields: e.field ? { [e.field]: e.staffMessage } : {} };
  if (e instanceof ManualEntryError) return { message: e.message, fields: e.field ? { [e.field]: e.message } : {} };
  return null;
}

/** The page's top message for a refused form: what is wrong, and that the values were kept. */
export function refusalSummary(refusal: FormRefusal): string {
  return Object.keys(refusal.fields).length > 0
    ? `Chưa lưu được: ${refusal.message} Mục cần sửa được đánh dấu bên dưới; những gì bạn đã nhập vẫn được giữ.`
    : refusal.message;
}

/** The message beside one field (`<p class="field-error" id="e-NAME">`), or nothing. */
export function fieldError(refusal: FormRefusal | null | undefined, name: string): Html {
  const message = refusal?.fields[name];
  return message ? html`<p class="field-error" id="e-${name}">${message}</p>` : html``;
}

/** aria-invalid and aria-describedby for a field that was refused. */
export function invalidAttrs(refusal: FormRefusal | null | undefined, name: string): Html {
  return refusal?.fields[name] ? html` aria-invalid="true" aria-describedby="e-${name}"` : html``;
}
