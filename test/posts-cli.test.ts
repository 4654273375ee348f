/**
 * `npm run posts` as staff run it: a real process on a fresh SQLite file (the default install). The commands'
 * domain calls run on PostgreSQL in the other suites; spawning five processes against PostgreSQL again would only
 * add minutes.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

describe('posts CLI', () => {
  let dir: string;
  let url: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-cli-'));
    url = `file:${path.join(dir, 'cchc.db')}`;
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const posts = async (...args: string[]) => postsWith({}, ...args);
  const postsWith = async (extraEnv: Record<string, string>, ...args: string[]) => {
    const env = { ...process.env, DATABASE_URL: url, CONTENT_DIR: path.join(root, 'content'), LOG_LEVEL: 'silent', TZ: 'UTC', ...extraEnv };
    try {
      const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/posts.ts', ...args], { cwd: root, env });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };

  it('syncs, queues in Vietnam time, publishes now to the website, adds a plan and lists it all', async () => {
    const sync = await posts('sync');
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/Đồng bộ thư viện: \d{2} bài mới/);

    // Messenger and Zalo are not configured here: queueing to them is refused with the reason, nothing is queued.
    const refused = await posts('queue', 'vneid-kich-hoat-tai-khoan', '--at', '2030-05-06 08:00', '--channels', 'messenger,zalo');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('Fanpage Facebook, Zalo OA chưa được cấu hình trên máy chủ này');
    const messenger = { MESSENGER_APP_SECRET: 'app-secret-for-test', MESSENGER_PAGE_ACCESS_TOKEN: 'page-token-for-test', MESSENGER_VERIFY_TOKEN: 'verify-token', MESSENGER_PAGE_ID: '1234567890' };
    const queued = await postsWith(messenger, 'queue', 'vneid-kich-hoat-tai-khoan', '--at', '2030-05-06 08:00', '--channels', 'messenger');
    expect(queued.code).toBe(0);
    expect(queued.out).toContain('Fanpage Facebook lúc 06/05/2030 08:00');
    const planRefused = await posts('plan', 'add', '--name', 'Zalo hằng tuần', '--days', '1', '--times', '08:00', '--channels', 'zalo');
    expect(planRefused.code).toBe(2);
    expect(planRefused.err).toContain('Zalo OA chưa được cấu hình');

    const now = await posts('now', 'dvc-quoc-gia-nop-ho-so-truc-tuyen', '--channels', 'website');
    expect(now.code).toBe(0);
    expect(now.out).toMatch(/Trang thông tin điện tử: đã đăng \(mã bài: web-\d+\)/);

    const plan = await posts('plan', 'add', '--name', 'Thứ Hai hằng tuần', '--days', '1', '--times', '08:00', '--channels', 'website', '--topics', 'mot-cua,tthc', '--target', '4');
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('Đã thêm kế hoạch #1 "Thứ Hai hằng tuần"');

    const list = await posts('list', '--all');
    expect(list.out).toContain('[chờ đăng]  Tài khoản định danh điện tử VNeID');
    expect(list.out).toContain('[đã đăng]  Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia');
    expect(list.out).toMatch(/Tháng \d{4}-\d{2}: 0\/4 bài/);
    expect(list.out).toContain('Chủ đề: Bộ phận một cửa, Trung tâm Phục vụ hành chính công; Cải cách thủ tục hành chính');
  }, 120_000);

  it('explains bad input to staff in Vietnamese with a non-zero exit', async () => {
    const badTime = await posts('queue', 'vneid-kich-hoat-tai-khoan', '--at', '06/05/2030 8h');
    expect(badTime.code).toBe(2);
    expect(badTime.err).toContain('không đúng dạng "YYYY-MM-DD HH:MM"');
    const badChannel = await posts('now', 'vneid-kich-hoat-tai-khoan', '--channels', 'tiktok');
    expect(badChannel.code).toBe(2);
    expect(badChannel.err).toContain('Kênh "tiktok" không có');
  }, 120_000);

  it('publishes now through the real Messenger adapter (to a recording Graph API on loopback), once', async () => {
    const requests: { path: string; body: string }[] = [];
    const graph = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: '1234567890_98765' }));
      });
    });
    await new Promise<void>((r) => graph.listen(0, '127.0.0.1', () => r()));
    try {
      const env = {
        MESSENGER_APP_SECRET: 'app-secret-for-test',
        MESSENGER_PAGE_ACCESS_TOKEN: 'page-token-for-test',
        MESSENGER_VERIFY_TOKEN: 'verify-token',
        MESSENGER_PAGE_ID: '1234567890',
        GRAPH_API_BASE_URL: `http://127.0.0.1:${(graph.address() as AddressInfo).port}`,
      };
      const first = await postsWith(env, 'now', 'mot-cua-buu-chinh-cong-ich', '--channels', 'messenger');
      expect(first.code).toBe(0);
      expect(first.out).toContain('Fanpage Facebook: đã đăng (mã bài: 1234567890_98765)');
      expect(requests).toHaveLength(1);
      expect(requests[0]!.path).toMatch(/\/1234567890\/(feed|photos)/);
      expect(decodeURIComponent(requests[0]!.body.replace(/\+/g, ' '))).toContain('bưu chính công ích');
      const again = await postsWith(env, 'tick');
      expect(again.out).toContain('Đã đăng 0');
      expect(requests).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => graph.close(() => r()));
    }
  }, 120_000);
});
