/**
 * Staff passwords: Argon2id (OWASP's first choice) via @node-rs/argon2, a prebuilt binary, so nothing compiles at
 * install. One-time passwords are random and readable (no 0/O, 1/l).
 */
import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** OWASP 2024 minimum for Argon2id: 19 MiB, 2 iterations, 1 lane. */
const options = { algorithm: 2 /* Argon2id; the package exports a const enum */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const minPasswordLength = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), options);
}

/** False for a wrong password or a malformed hash; never throws for bad input. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFC'));
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the user name is unknown so timing does not reveal it. */
let decoyHash: Promise<string> | null = null;
export function decoy(): Promise<string> {
  decoyHash ??= hashPassword(generateOneTimePassword());
  return decoyHash;
}

const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 16 characters from a 56-letter alphabet: about 93 bits. */
export function generateOneTimePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Vietnamese reason a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < minPasswordLength) return `Mật khẩu phải có ít nhất ${minPasswordLength} ký tự.`;
  if (password.length > 200) return 'Mật khẩu quá dài (tối đa 200 ký tự).';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'Mật khẩu không được chứa tên đăng nhập.';
  if (/^(.)\1+$/.test(password)) return 'Mật khẩu không được chỉ gồm một ký tự lặp lại.';
  return null;
}
