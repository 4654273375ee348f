/**
 * The website feed in a real browser on a phone-sized screen, mounted in the service's own express app (helmet's
 * security headers included): readable, styled, no sideways scrolling, links work.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWebsitePublishing } from '../src/domain/content/website.js';
import { silentLogger } from '../src/domain/logger.js';
import { tick } from '../src/domain/scheduler/run.js';
import { queuePost } from '../src/domain/scheduler/staff.repo.js';
import { createApp } from '../src/http/app.js';
import { feedRouter } from '../src/http/feed.js';
import { createLogger } from '../src/http/logger.js';
import { createTestDb, type TestDb } from './support/db.js';

describe('website feed in a browser', () => {
  let test: TestDb;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    test = await createTestDb();
    const long = `Xem chi tiết tại https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=${'1'.repeat(120)}`;
    await test.db.post.create({
      data: { communeId: test.tenant.communeId, slug: 'dai', title: 'Hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia bằng tài khoản VNeID', topic: 'chinh-phu-so', tags: [], body: `${long}\n\n- Bước một\n- Bước hai`, channels: ['webchat'], contentHash: 'dai' },
    });
    const now = new Date('2026-03-02T01:00:00Z');
    await queuePost(test.db, { post: 'dai', at: now, now });
    await tick({ db: test.db, outlets: withWebsitePublishing([]), instanceId: 'browser', graceMinutes: 60, log: silentLogger }, now);
    const app = createApp({
      channelNames: [],
      webhooks: [],
      log: createLogger({ LOG_LEVEL: 'silent' }),
      mounts: [{ path: '/', router: feedRouter({ db: test.db }) }],
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      // launch() gives every run a new empty profile (Playwright refuses --user-data-dir here).
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => server.close(() => r()));
    await test.destroy();
  });

  it('fits a 360 px phone screen and opens a post from the list', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
    await page.goto(`${base}/tin-bai`);
    expect(await page.title()).toBe('Tin bài tuyên truyền cải cách hành chính');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByRole('link', { name: /Hướng dẫn nộp hồ sơ trực tuyến/ }).click();
    await page.waitForURL(/\/tin-bai\/\d+$/);
    expect(await page.locator('h1').textContent()).toBe('Hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia bằng tài khoản VNeID');
    expect(await page.locator('article li').allTextContents()).toEqual(['Bước một', 'Bước hai']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const fontSize = await page.locator('article p:not(.meta)').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(16);
    // The inline stylesheet is allowed by the app's Content-Security-Policy.
    expect(await page.locator('header').evaluate((el) => getComputedStyle(el).borderBottomWidth)).toBe('3px');
    await page.close();
  }, 60_000);
});
