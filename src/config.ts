/**
 * The service's configuration: one zod schema over the environment, read once at start and passed in.
 * This is the only module that reads process.env. Every variable is documented in .env.example.
 */
import { isIP } from 'node:net';

/** An address, a CIDR range, or one of express's names for ranges. */
function isProxyAddress(v: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return true;
  const [address, prefix, extra] = v.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import cron from 'node-cron';
import { z } from 'zod';

/** The CITIZEN_ID_SECRET default, fine on a laptop, refused in production (it is public in this repository). */
export const exampleCitizenSecret = 'change-me-citizen-secret';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), `${what} must be an http(s) URL`)
    .transform((v) => v.replace(/\/+$/, ''));
const optionalUrl = (what: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), `${what} must be an http(s) URL`)
    .transform((v) => v?.replace(/\/+$/, ''));
const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .default('file:./data/cchc.db')
    .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), 'DATABASE_URL must start with file: or postgres(ql)://'),
  /** Used only by `npm run db:migration` to diff the PostgreSQL schema. */
  PG_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/postgres'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder of the content library (procedures, hotlines, profile, posts). */
  CONTENT_DIR: z.string().default('content'),
  /**
   * Slug of the commune this process (or command) works for. Empty: the only commune of the installation; the
   * first start creates it. Commands take `--commune SLUG` instead.
   */
  COMMUNE: optionalText,
  /** Load content/ into an empty catalog at start. */
  SEED_DEMO: boolean.default(true),
  /** Secret that keys the pseudonymous citizen ids in the ledger. Change it once, before going live. */
  CITIZEN_ID_SECRET: z.string().min(8, 'CITIZEN_ID_SECRET must have at least 8 characters').default(exampleCitizenSecret),
  /** Public https address of the service: registers webhooks and links in posts. Empty on a laptop. */
  PUBLIC_BASE_URL: optionalUrl('PUBLIC_BASE_URL'),
  /**
   * Which reverse proxies may tell the client's address (X-Forwarded-For), as express's `trust proxy` takes them:
   * false (only loopback proxies), a hop count (1 = the one proxy in front), or addresses / CIDR ranges / the
   * names loopback, linklocal, uniquelocal. `true` means 1 hop. Set: session cookies are Secure.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((v, ctx): false | number | string[] => {
      const lower = v.toLowerCase();
      if (['', 'false', 'no', '0'].includes(lower)) return false;
      if (['true', 'yes'].includes(lower)) return 1;
      if (/^\d+$/.test(v)) return Math.min(Number(v), 10);
      const list = v.split(/[\s,]+/).filter((x) => x !== '');
      const bad = list.filter((x) => !isProxyAddress(x));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `TRUST_PROXY: not an address, CIDR range, hop count or loopback/linklocal/uniquelocal: ${bad.join(', ')}` });
        return z.NEVER;
      }
      return list;
    }),

  MESSENGER_APP_SECRET: optionalText,
  MESSENGER_PAGE_ACCESS_TOKEN: optionalText,
  MESSENGER_VERIFY_TOKEN: optionalText,
  MESSENGER_PAGE_ID: optionalText,
  GRAPH_API_BASE_URL: url('GRAPH_API_BASE_URL').default('https://graph.facebook.com'),
  /** Send API calls per second this service allows itself (Meta allows about 300/s per Page); 0 = unpaced. */
  MESSENGER_SENDS_PER_SECOND: z.coerce.number().min(0).max(10_000).default(250),
  GRAPH_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'GRAPH_API_VERSION looks like v25.0')
    .default('v25.0'),

  ZALO_APP_ID: optionalText,
  ZALO_APP_SECRET: optionalText,
  ZALO_OA_ID: optionalText,
  ZALO_OA_SECRET_KEY: optionalText,
  ZALO_ACCESS_TOKEN: optionalText,
  ZALO_REFRESH_TOKEN: optionalText,
  ZALO_OPENAPI_BASE_URL: url('ZALO_OPENAPI_BASE_URL').default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE_URL: url('ZALO_OAUTH_BASE_URL').default('https://oauth.zaloapp.com'),
  /** Broadcast published articles to OA followers (uses the OA's broadcast quota). */
  ZALO_BROADCAST: boolean.default(false),

  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), 'TELEGRAM_WEBHOOK_SECRET: 1–256 of A–Z a–z 0–9 _ -'),
  TELEGRAM_API_ROOT: url('TELEGRAM_API_ROOT').default('https://api.telegram.org'),
  TELEGRAM_CHANNEL_ID: optionalText,
  /** A staff Telegram group (chat id like -1001234567890) told when a citizen asks for a person; needs TELEGRAM_BOT_TOKEN. */
  STAFF_TELEGRAM_CHAT_ID: z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .refine((v) => v === undefined || /^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/.test(v), 'STAFF_TELEGRAM_CHAT_ID: a Telegram chat id such as -1001234567890 or @groupname'),

  /** Origins allowed to embed the web chat (space-separated, e.g. https://xa.gov.vn); empty: any website. */
  WEBCHAT_EMBED_ORIGINS: z
    .string()
    .trim()
    .default('')
    .transform((v) => v.split(/[\s,]+/).filter((o) => o !== '').map((o) => o.replace(/\/+$/, '')))
    .refine((list) => list.every((o) => /^https?:\/\/[^\s/]+$/.test(o)), 'WEBCHAT_EMBED_ORIGINS: space-separated origins like https://xa.gov.vn'),

  /** Scheduler: how late a missed post may still go out after downtime, in minutes. */
  SCHEDULER_GRACE_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
  /** Working days (Mon–Fri, Vietnam time) staff have to answer phản ánh, kiến nghị; sets each item's due date. */
  FEEDBACK_PROCESSING_DAYS: z.coerce.number().int().min(1).max(90).default(10),
  /** Days after which the personal data of a closed feedback item is removed (Nghị định 13/2023). */
  FEEDBACK_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(730),
  /** Cron expression of the scheduler and outbox tick. */
  SCHEDULER_TICK: z
    .string()
    .trim()
    .default('*/30 * * * * *')
    .refine((v) => cron.validate(v), 'SCHEDULER_TICK must be a cron expression with seconds, e.g. */30 * * * * *'),
  /** Name of this instance in claims (defaults to host:pid). */
  INSTANCE_ID: optionalText,

  /** GET /metrics (Prometheus text) on the main port, for a scraper that sends `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional()
    .refine((v) => v === undefined || v.length >= 16, 'METRICS_TOKEN must have at least 16 characters'),
  /** GET /metrics without a token on a separate listener at METRICS_HOST:METRICS_PORT (loopback by default). */
  METRICS_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** Seconds a reply may wait in a channel's queue before staff are warned (Kênh page) and the log says so once. */
  QUEUE_ALERT_AGE: z.coerce.number().int().min(1).max(7 * 86_400).default(300),

  /**
   * Where the first administrator's one-time password is written (mode 0600: only the service's user reads it) when
   * the service is not started from a terminal; from a terminal it is shown there instead.
   */
  FIRST_ADMIN_PASSWORD_FILE: z.string().trim().min(1).default('data/first-admin-password.txt'),
  /** First administrator's user name, created at first start with a one-time password printed once. */
  ADMIN_USERNAME: z.string().regex(/^[a-z0-9._-]{3,32}$/, 'ADMIN_USERNAME: 3–32 of a–z 0–9 . _ -').default('admin'),
}).superRefine((c, ctx) => {
  if (c.STAFF_TELEGRAM_CHAT_ID && !c.TELEGRAM_BOT_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['STAFF_TELEGRAM_CHAT_ID'], message: 'STAFF_TELEGRAM_CHAT_ID needs TELEGRAM_BOT_TOKEN: the alert is sent by the bot' });
  }
  if (c.NODE_ENV !== 'production') return;
  for (const name of secretVariables) {
    const value = c[name];
    if (typeof value === 'string' && isExampleSecret(value)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `${name} is still the example value from .env.example; set a secret of your own before running with NODE_ENV=production` });
    }
  }
});

/** Variables that hold secrets; in production none may keep a documented example value. */
const secretVariables = [
  'CITIZEN_ID_SECRET',
  'MESSENGER_APP_SECRET',
  'MESSENGER_VERIFY_TOKEN',
  'ZALO_APP_SECRET',
  'ZALO_OA_SECRET_KEY',
  'TELEGRAM_WEBHOOK_SECRET',
] as const;

/** The example values the documentation shows: the default citizen secret and any `change-me…` placeholder. */
function isExampleSecret(value: string): boolean {
  return value === exampleCitizenSecret || /^change[-_]?me/i.test(value);
}

export type Config = Readonly<z.infer<typeof schema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the given variables; throws ConfigError naming every bad variable. Without an argument it reads the
 * process's environment over the env file (see `readEnvironment`).
 */
export function loadConfig(env?: Record<string, string | undefined>): Config {
  return env === undefined ? loadConfigWithSource().config : parse(env);
}

function parse(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(problems);
  }
  return Object.freeze(result.data);
}

/** The configuration and the env file it was read over (null: none found, environment only). */
export function loadConfigWithSource(): { config: Config; envFile: string | null } {
  const { env, envFile } = readEnvironment();
  try {
    return { config: parse(env), envFile };
  } catch (e) {
    if (e instanceof ConfigError && envFile) throw new ConfigError(e.problems.map((p) => `${p} (environment and ${envFile})`));
    throw e;
  }
}

/**
 * The variables the service runs with: the env file (ENV_FILE, default `.env` in the working directory) under
 * the process's environment, so a variable set in the environment wins over the file. A missing `.env` is fine;
 * a missing ENV_FILE that was named explicitly is a ConfigError. process.env itself is never changed.
 */
export function readEnvironment(
  environment: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): { env: Record<string, string | undefined>; envFile: string | null } {
  const named = environment.ENV_FILE?.trim();
  const file = path.resolve(cwd, named || '.env');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (named && (e as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigError([`ENV_FILE: ${file} does not exist`]);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { env: { ...environment }, envFile: null };
    throw new ConfigError([`${named ? 'ENV_FILE' : '.env'}: cannot read ${file} (${(e as Error).message})`]);
  }
  const fromFile = parseEnv(text) as Record<string, string>;
  return { env: { ...fromFile, ...environment }, envFile: file };
}
