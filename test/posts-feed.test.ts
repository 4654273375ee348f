/**
 * The public website feed over real HTTP: posts published on the website channel by the real tick, served by
 * feedRouter mounted on a plain express app.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWebsitePublishing } from '../src/domain/content/website.js';
import { silentLogger } from '../src/domain/logger.js';
import { tick } from '../src/domain/scheduler/run.js';
import { queuePost } from '../src/domain/scheduler/staff.repo.js';
import { parseVietnamDateTime } from '../src/domain/scheduler/vn-time.js';
import { feedRouter } from '../src/http/feed.js';
import { createTestDb, type TestDb } from './support/db.js';
import { communeIdOf } from '../src/db/tenant.js';

const vn = (t: string) => parseVietnamDateTime(t)!;

describe('website feed /tin-bai', () => {
  let test: TestDb;
  let server: Server;
  let base: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    test = await createTestDb();
    const db = test.db;
    const make = (slug: string, title: string, body: string, channels: string[], extra: object = {}) =>
      db.post.create({ data: { communeId: communeIdOf(db), slug, title, topic: 'chinh-phu-so', tags: [], body, channels, contentHash: slug, ...extra } });
    ids.old = (await make('cu', 'Bài cũ về VNeID', 'Nội dung **cũ**.', ['webchat'])).id;
    ids.xss = (await make('xss', 'Tiêu đề <script>alert(1)</script> & "dấu"', 'Xem [Cổng DVC](https://dichvucong.gov.vn) <img src=x onerror=alert(1)>\n\n- Mục một\n- Mục hai', ['webchat'], { link: 'https://dichvucong.gov.vn', imageUrl: 'https://example.org/anh.jpg' })).id;
    ids.zaloOnly = (await make('zalo-only', 'Chỉ đăng Zalo', 'Nội dung', ['zalo'])).id;
    ids.queued = (await make('chua-dang', 'Chưa đăng', 'Nội dung', ['webchat'])).id;
    const deps = { db, outlets: withWebsitePublishing([]), instanceId: 'feed-test', graceMinutes: 60, log: silentLogger };
    await queuePost(db, { post: 'cu', at: vn('2026-03-02 08:00'), now: vn('2026-03-02 08:00') });
    await tick(deps, vn('2026-03-02 08:00'));
    await queuePost(db, { post: 'xss', at: vn('2026-03-05 08:00'), now: vn('2026-03-05 08:00') });
    await tick(deps, vn('2026-03-05 08:00'));
    await queuePost(db, { post: 'zalo-only', at: vn('2026-03-05 08:00'), now: vn('2026-03-05 08:00') });
    await queuePost(db, { post: 'chua-dang', at: vn('2030-01-01 08:00'), now: vn('2026-03-05 08:00') });

    const app = express();
    app.use('/', feedRouter({ db, siteName: 'UBND xã Thử Nghiệm' }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await test.destroy();
  });

  it('lists website posts newest first, escaped, in Vietnamese, mobile-friendly', async () => {
    const res = await fetch(`${base}/tin-bai`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(html).toContain('Tin bài tuyên truyền cải cách hành chính');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Tiêu đề &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;dấu&quot;');
    expect(html.indexOf(`/tin-bai/${ids.xss}`)).toBeLessThan(html.indexOf(`/tin-bai/${ids.old}`));
    expect(html).not.toContain('Chỉ đăng Zalo');
    expect(html).not.toContain('Chưa đăng');
    expect(html).toContain('05/03/2026 08:00');
  });

  it('shows one published post with its Markdown rendered safely', async () => {
    const res = await fetch(`${base}/tin-bai/${ids.xss}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<a href="https://dichvucong.gov.vn" rel="noopener">Cổng DVC</a>');
    expect(html).toContain('<ul><li>Mục một</li><li>Mục hai</li></ul>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<img src=x/);
    expect(html).toContain('<img src="https://example.org/anh.jpg" alt="">');
  });

  it('answers 404 in Vietnamese for posts not published on the website', async () => {
    for (const path of [`/tin-bai/${ids.zaloOnly}`, `/tin-bai/${ids.queued}`, '/tin-bai/999999', '/tin-bai/abc']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('Không tìm thấy tin bài');
    }
  });

  it('serves RSS 2.0 with absolute links, newest first', async () => {
    const res = await fetch(`${base}/tin-bai/rss.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/rss+xml');
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    const items = [...xml.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0]);
    expect(items).toHaveLength(2);
    expect(items[0]).toContain(`<link>${base}/tin-bai/${ids.xss}</link>`);
    expect(items[0]).toContain('<pubDate>Thu, 05 Mar 2026 01:00:00 GMT</pubDate>');
    expect(items[0]).toContain('Tiêu đề &lt;script&gt;');
    expect(items[1]).toContain('Bài cũ về VNeID');
    expect(xml).not.toMatch(/<script|<img src=x/);
  });

  it('serves Atom with entries, ids and times', async () => {
    const res = await fetch(`${base}/tin-bai/atom.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await res.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">');
    expect(xml).toContain('<updated>2026-03-05T01:00:00.000Z</updated>');
    const entries = [...xml.matchAll(/<entry>[\s\S]*?<\/entry>/g)];
    expect(entries).toHaveLength(2);
    expect(entries[1]![0]).toContain(`<id>${base}/tin-bai/${ids.old}</id>`);
    expect(xml).toContain('<content type="html">&lt;p&gt;Nội dung &lt;strong&gt;cũ&lt;/strong&gt;.&lt;/p&gt;</content>');
  });
});
