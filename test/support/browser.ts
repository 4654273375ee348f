/**
 * Real-browser tests: Debian's chromium driven by playwright-core (no downloaded browser builds). One browser per
 * test file, a fresh empty profile each launch, pages opened on a service started with `startService`.
 *
 * @example
 * const browser = await launchBrowser();
 * const page = await browser.open(`${service.url}/chat`, phoneViewport);
 * await page.getByRole('textbox').fill('làm giấy khai sinh');
 * await screenshot(page, 'chat-phone');
 * await browser.close();
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** Flags for a quiet, sandbox-free headless chromium that talks to nothing but the pages it is sent to. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export const phoneViewport = { width: 390, height: 844 } as const;
export const desktopViewport = { width: 1280, height: 800 } as const;

/** Where screenshots land (gitignored via test-results/). */
export const screenshotDir = path.resolve('test-results', 'screenshots');

export interface PageOptions extends BrowserContextOptions {
  width?: number;
  height?: number;
}

export interface OpenedPage extends Page {
  /** Console errors, page errors and CSP violations seen on this page so far (assert it stays empty). */
  problems: string[];
}

export interface TestBrowser {
  browser: Browser;
  /** A new isolated context (own storage) and page, navigated to `url`, waiting for the load event. */
  open(url: string, options?: PageOptions): Promise<OpenedPage>;
  /** A new isolated context, for tests that open several pages sharing one storage. */
  context(options?: PageOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Is chromium installed? Browser tests fail loudly without it rather than skip. */
export function hasChromium(): boolean {
  return fs.existsSync(chromiumPath);
}

/**
 * Launches chromium with a new empty user-data dir (playwright creates a fresh temporary profile per launch and
 * removes it on close) and returns helpers bound to it.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!hasChromium()) throw new Error(`chromium not found at ${chromiumPath}: apt-get install chromium`);
  // playwright refuses --user-data-dir with launch() (it passes its own fresh one); downloads and traces go to a
  // folder of this launch so nothing is shared between runs.
  const artifactsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-chromium-'));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumArgs],
    downloadsPath: artifactsDir,
    tracesDir: artifactsDir,
    timeout: 30_000,
  });
  const contexts: BrowserContext[] = [];

  const context = async (options: PageOptions = {}): Promise<BrowserContext> => {
    const { width, height, ...rest } = options;
    const ctx = await browser.newContext({
      viewport: { width: width ?? desktopViewport.width, height: height ?? desktopViewport.height },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      ...rest,
    });
    ctx.setDefaultTimeout(10_000);
    contexts.push(ctx);
    return ctx;
  };

  return {
    browser,
    context,
    async open(url, options = {}) {
      const ctx = await context(options);
      const page = watchProblems(await ctx.newPage());
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      fs.rmSync(artifactsDir, { recursive: true, force: true });
    },
  };
}

/** Records console errors (CSP violations show up there), uncaught page errors, failed requests and 4xx/5xx. */
export function watchProblems(page: Page): OpenedPage {
  const opened = page as OpenedPage;
  opened.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') opened.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => opened.problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) opened.problems.push(`http ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    // Long polls cut by navigation or close are expected; anything else is a problem.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    opened.problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  return opened;
}

/** Saves a full-page PNG under test-results/screenshots/<name>.png and returns its path (look at it). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** True when the page scrolls sideways (content wider than the viewport): a phone-layout bug. */
export async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
