import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHorizontalScroll, launchBrowser, phoneViewport, screenshot, type TestBrowser } from './browser.js';

describe('browser support (real chromium)', () => {
  let browser: TestBrowser;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (req.url === '/wide') res.end('<!doctype html><meta name="viewport" content="width=device-width"><div style="width:2000px">rộng</div>');
      else res.end('<!doctype html><meta name="viewport" content="width=device-width"><h1>Xin chào Việt Nam</h1>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server.close(r));
  });

  it('opens a page, reads Vietnamese text, takes a screenshot, detects sideways scrolling', async () => {
    const page = await browser.open(url, phoneViewport);
    await expect(page.locator('h1').textContent()).resolves.toBe('Xin chào Việt Nam');
    expect(await hasHorizontalScroll(page)).toBe(false);
    const file = await screenshot(page, 'support-smoke');
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    const wide = await browser.open(`${url}/wide`, phoneViewport);
    expect(await hasHorizontalScroll(wide)).toBe(true);
    expect(page.problems).toEqual([]);
  });
});
