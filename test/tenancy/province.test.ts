/**
 * The province report: every commune's tallies side by side with totals (JSON, CSV, XLSX, DOCX), and the province
 * admin page in Chromium (table, chart, downloads, switching commune).
 */
import { fileFeedback } from '../../src/domain/feedback/feedback.repo.js';
import { recordRating } from '../../src/domain/satisfaction/rating.repo.js';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { scopeToCommune } from '../../src/db/tenant.js';
import { createCommune, toTenant } from '../../src/domain/commune/communes.repo.js';
import { insertManualEntry } from '../../src/domain/reports/manual.repo.js';
import { validateManualEntry } from '../../src/domain/reports/manual.js';
import { parsePeriod } from '../../src/domain/reports/period.js';
import { exportProvinceReport, provinceSummary } from '../../src/domain/reports/province/export.js';
import { computeProvinceReport } from '../../src/domain/reports/province/tallies.js';
import { createUser } from '../../src/domain/staff/users.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';
import { launchBrowser, watchProblems, type TestBrowser } from '../support/browser.js';
import { receive } from '../reports/ledger-fixture.js';

async function render(r: Parameters<typeof exportProvinceReport>[0], format: 'json' | 'csv' | 'xlsx' | 'docx'): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await exportProvinceReport(r, format, out);
  return Buffer.concat(chunks);
}

describe('province report', () => {
  let s: AdminService;
  let root: Db;
  let communes: { slug: string; name: string; db: Db }[];
  let browser: TestBrowser | undefined;

  beforeAll(async () => {
    s = await startAdminService();
    root = s.service.db.root;
    const a = { slug: s.service.db.tenant.slug, name: 'Xã Minh Tiến', db: s.service.db.db };
    await root.commune.update({ where: { id: s.service.db.tenant.communeId }, data: { name: 'Xã Minh Tiến' } });
    const bRow = await createCommune(root, { slug: 'phuong-hoa-binh', name: 'Phường Hòa Bình' });
    const b = { slug: bRow.slug, name: bRow.name, db: scopeToCommune(root, toTenant(bRow)) };
    communes = [a, b].sort((x, y) => x.slug.localeCompare(y.slug));
    const at = new Date('2026-02-10T03:00:00Z');
    await insertManualEntry(a.db, validateManualEntry({ date: '2026-02-10', channel: 'radio', count: 3, createdBy: 'cb' }));
    await insertManualEntry(b.db, validateManualEntry({ date: '2026-02-11', channel: 'banner', count: 5, createdBy: 'cb' }));
    for (let i = 0; i < 4; i++) await receive(a.db, { channel: 'telegram', address: `a${i % 2}`, platformMessageId: `a-${i}`, at, outcome: 'answered' });
    await receive(b.db, { channel: 'zalo', address: 'b0', platformMessageId: 'b-0', at, outcome: 'unanswered' });
    // Phản ánh and ratings: two items and a satisfied rating in A, one item (long overdue) and an unsatisfied one in B.
    const draft = (id: string) => ({ channel: 'zalo', conversationId: null, citizenRef: 'r', platformMessageId: id, subject: 'procedure' as const, content: 'Hồ sơ chậm', phoneConsent: false, publishConsent: false });
    await fileFeedback(a.db, draft('fa-1'), at, 10);
    await fileFeedback(a.db, draft('fa-2'), at, 10);
    await fileFeedback(b.db, draft('fb-1'), at, 10);
    await recordRating(a.db, { channel: 'zalo', platformMessageId: 'ra-1', about: 'procedure', score: 'satisfied' }, at);
    await recordRating(b.db, { channel: 'zalo', platformMessageId: 'rb-1', about: 'procedure', score: 'unsatisfied' }, at);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('puts every commune side by side with the province totals', async () => {
    const r = await computeProvinceReport(communes, parsePeriod('2026-Q1'));
    const byName = Object.fromEntries(r.communes.map((c) => [c.name, c]));
    expect(byName['Xã Minh Tiến']).toMatchObject({ posts: 3, postsManual: 3, inbound: 4, citizens: 2, answered: 4, unanswered: 0 });
    expect(byName['Phường Hòa Bình']).toMatchObject({ posts: 5, postsManual: 5, inbound: 1, citizens: 1, answered: 0, unanswered: 1 });
    expect(r.totals).toMatchObject({ posts: 8, inbound: 5, citizens: 3, answered: 4, unanswered: 1 });
    expect(byName['Xã Minh Tiến']).toMatchObject({ feedbackReceived: 2, feedbackOverdue: 2, ratings: 1, ratingsSatisfied: 1 });
    expect(byName['Phường Hòa Bình']).toMatchObject({ feedbackReceived: 1, feedbackOverdue: 1, ratings: 1, ratingsSatisfied: 0 });
    expect(r.totals).toMatchObject({ feedbackReceived: 3, feedbackAnsweredOnTime: 0, ratings: 2, ratingsSatisfied: 1 });
    expect(provinceSummary(r)).toContain('2 xã, phường đã đăng 8 tin bài');
    const other = await computeProvinceReport(communes, parsePeriod('2025'));
    expect(other.totals.posts).toBe(0);
  });

  it('exports JSON, CSV, XLSX with one row per commune and DOCX with the summary and the table', async () => {
    const r = await computeProvinceReport(communes, parsePeriod('2026-Q1'));
    expect(JSON.parse((await render(r, 'json')).toString('utf8')).totals.posts).toBe(8);
    const csv = (await render(r, 'csv')).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(4); // header, two communes, totals
    expect(lines[3]).toContain('Toàn tỉnh');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await render(r, 'xlsx')) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Toàn tỉnh')!;
    const names: string[] = [];
    sheet.eachRow((row) => names.push(String(row.getCell(2).value ?? '')));
    expect(names).toEqual(expect.arrayContaining(['Xã, phường', 'Xã Minh Tiến', 'Phường Hòa Bình', 'Toàn tỉnh']));
    const totalRow = sheet.getRow(sheet.rowCount);
    expect(totalRow.getCell(2).value).toBe('Toàn tỉnh');
    expect(totalRow.getCell(3).value).toBe(8);
    const docx = await render(r, 'docx');
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    const JSZip = (await import('jszip')).default;
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    expect(xml).toContain('Toàn tỉnh');
    expect(xml).toContain('Phường Hòa Bình');
    expect(xml).toContain('đã đăng 8 tin bài');
  });

  it('serves the province page to a province user in Chromium, with the chart, the table and the downloads', { timeout: 120_000 }, async () => {
    const province = await createUser(s.service.db.db, { username: 'so-noi-vu', role: 'province' }, 'test', { province: true });
    expect(province.user.communeId).toBeNull();
    browser = await launchBrowser();
    const ctx = await browser.context({ width: 1280, height: 800 });
    const page = watchProblems(await ctx.newPage());
    await page.goto(`${s.service.url}/admin/login`);
    await page.getByLabel('Tên đăng nhập').fill('so-noi-vu');
    await page.getByLabel('Mật khẩu').fill(province.oneTimePassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByLabel(/^Mật khẩu hiện tại/).fill(province.oneTimePassword);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('Bao-cao-toan-tinh-2026!');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('Bao-cao-toan-tinh-2026!');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.waitForURL(/\/admin\?ok=password_changed$/);
    await page.getByRole('link', { name: 'Báo cáo toàn tỉnh' }).click();
    await page.waitForURL(/\/admin\/province$/);
    await page.getByLabel('Kỳ báo cáo').fill('2026-Q1');
    await page.getByRole('button', { name: 'Xem' }).click();
    const table = page.locator('table.province');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    expect(await table.locator('tr.total').innerText()).toMatch(/Toàn tỉnh\s+8/);
    expect(await page.locator('svg rect').count()).toBeGreaterThan(3);
    const download = await fetch(`${s.service.url}/admin/province/export?period=2026-Q1&format=csv`, {
      headers: { cookie: (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(download.status).toBe(200);
    expect(await download.text()).toContain('Phường Hòa Bình');
    // Switch the commune the admin shows.
    await page.goto(`${s.service.url}/admin`);
    await page.getByLabel('Xã, phường').selectOption('phuong-hoa-binh');
    await page.getByRole('button', { name: 'Chuyển' }).click();
    await expect.poll(() => page.locator('header .commune select').inputValue()).toBe('phuong-hoa-binh');
    expect(page.problems).toEqual([]);
  });

  it('refuses the province page to commune staff', async () => {
    const res = await fetch(`${s.service.url}/admin/province`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const { AdminClient } = await import('../support/admin-client.js');
    const a = new AdminClient(s.service.url);
    await a.signIn(s.adminUsername, s.adminOneTimePassword, 'Quan-tri-xa-2026!');
    expect((await a.get('/admin/province')).status).toBe(403);
    expect((await a.get('/admin/province/export?period=2026&format=csv')).status).toBe(403);
  });
});
