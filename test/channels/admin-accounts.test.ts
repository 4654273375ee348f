/**
 * The admin's Kênh page shows the commune's own accounts (its Page, OA, bot, its web chat address), never another
 * commune's, over real HTTP with a signed-in administrator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertChannelAccount } from '../../src/channels/accounts.js';
import { createCommune } from '../../src/domain/commune/communes.repo.js';
import { AdminClient } from '../support/admin-client.js';
import { startAdminService, type AdminService } from '../support/admin-service.js';
import { testDbKind } from '../support/db.js';

describe(`Kênh page: the commune's own accounts (${testDbKind})`, () => {
  let s: AdminService;
  let admin: AdminClient;

  beforeAll(async () => {
    // The environment's Page becomes the account of the installation's commune.
    s = await startAdminService({
      MESSENGER_APP_SECRET: 'admin-app-secret',
      MESSENGER_VERIFY_TOKEN: 'admin-verify',
      MESSENGER_PAGE_ACCESS_TOKEN: 'admin-page-token',
      MESSENGER_PAGE_ID: '100000000000777',
    });
    admin = new AdminClient(s.service.url);
    await admin.signIn(s.adminUsername, s.adminOneTimePassword, 'mật khẩu mới dài của quản trị');
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('lists the Page from the environment and the web chat address; another commune\'s Page stays out', async () => {
    const root = s.service.db.root;
    const other = await createCommune(root, { slug: 'xa-khac', name: 'Xã Khác' });
    await upsertChannelAccount(root, { communeId: other.id, channel: 'messenger', externalId: '100000000000888', settings: { pageAccessToken: 'other-token' } });
    await upsertChannelAccount(root, { communeId: s.service.db.tenant.communeId, channel: 'zalo', externalId: '2000000000000777', settings: { accessToken: 'zat' }, active: false });

    const page = await admin.get('/admin/channels');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Trang Facebook (Page ID)</dt><dd>100000000000777');
    expect(page.body).toContain('2000000000000777 (đã tắt)');
    expect(page.body).toContain(`/c/${s.service.db.tenant.slug}/chat`);
    expect(page.body).not.toContain('100000000000888');
    expect(page.body).not.toContain('admin-page-token');
  });
});
