/**
 * Webhook plumbing shared by the signed platforms: the raw request bytes (signatures are computed over them, never
 * over re-serialised JSON) and a constant-time comparison.
 */
import { timingSafeEqual } from 'node:crypto';
import express from 'express';

/** Buffers the raw body of any content type up to `limit` (larger: 413 through the app's error handler). */
export function rawBody(limit = '1mb') {
  return express.raw({ type: () => true, limit });
}

/** Constant-time equality of two strings (false, without leaking timing, when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}
