/** `npm run ask` on a database that was never started: migrates, seeds content/, answers one JSON line per message. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabaseUrl } from './support/db.js';

const run = promisify(execFile);
let database: Awaited<ReturnType<typeof freshDatabaseUrl>>;

beforeAll(async () => {
  database = await freshDatabaseUrl();
});
afterAll(async () => {
  await database.drop();
});

function ask(args: string[], input: string): Promise<{ stdout: string }> {
  const child = run('node', ['--import', 'tsx', 'src/cli/ask.ts', ...args], {
    env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
    timeout: 60_000,
  });
  child.child.stdin!.end(input);
  return child;
}

it('answers each line as JSON from a fresh database', async () => {
  const { stdout } = await ask(['--json'], 'con tôi mới sinh 2 tuần, làm giấy khai sinh cần mang gì ạ\nxin chào\nsđt đường dây nóng xã\n');
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { q: string; intent: string; procedures: { code: string }[]; reply: string });
  expect(lines).toHaveLength(3);
  expect(lines[0]!.procedures[0]!.code).toBe('1.001193');
  expect(lines[0]!.reply).toContain('khai sinh');
  expect(lines[1]).toMatchObject({ q: 'xin chào', intent: 'greeting', procedures: [] });
  expect(lines[2]).toMatchObject({ intent: 'hotline', procedures: [] });
});

it('keeps context between lines with --session, as a citizen would see it', async () => {
  const { stdout } = await ask(['--session'], 'đăng ký kết hôn\nlệ phí bao nhiêu\n');
  expect(stdout).toContain('> đăng ký kết hôn');
  expect(stdout).toContain('Thành phần hồ sơ');
  expect(stdout.split('> lệ phí bao nhiêu')[1]).toContain('«Đăng ký kết hôn»');
});
