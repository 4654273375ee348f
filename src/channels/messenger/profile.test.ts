import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { startPlatformMock, type PlatformMock } from '../../../test/support/platform-mock.js';
import { setMessengerProfile } from './profile.js';

describe('setMessengerProfile', () => {
  let graph: PlatformMock;
  beforeAll(async () => {
    graph = await startPlatformMock();
  });
  afterAll(async () => {
    await graph.close();
  });
  const config = () => loadConfig({ MESSENGER_PAGE_ACCESS_TOKEN: 'page-token', GRAPH_API_BASE_URL: graph.url, GRAPH_API_VERSION: 'v25.0' });

  it('sets Get Started and a Vietnamese persistent menu within Meta limits', async () => {
    await setMessengerProfile(config(), 'UBND xã Tân Hòa');
    const [call] = graph.calls('/messenger_profile');
    expect(call!.path).toBe('/v25.0/me/messenger_profile');
    expect(call!.headers.authorization).toBe('Bearer page-token');
    const body = call!.body as { get_started: { payload: string }; greeting: { text: string }[]; persistent_menu: { locale: string; call_to_actions: { title: string; payload: string }[] }[] };
    expect(body.get_started).toEqual({ payload: 'GET_STARTED' });
    expect(body.greeting[0]!.text).toContain('UBND xã Tân Hòa');
    const menu = body.persistent_menu[0]!;
    expect(menu.locale).toBe('default');
    expect(menu.call_to_actions.length).toBeLessThanOrEqual(20);
    for (const a of menu.call_to_actions) {
      expect([...a.title].length).toBeLessThanOrEqual(30);
      expect(a.title).toBe(a.title.normalize('NFC'));
    }
    expect(menu.call_to_actions.map((a) => a.payload)).toEqual(['fields', 'online', 'hours', 'hotline', 'staff', 'fb:start']);
  });

  it('reports a refused token as an auth error', async () => {
    graph.handle(() => ({ status: 400, json: { error: { code: 190, message: 'Invalid OAuth access token.' } } }));
    await expect(setMessengerProfile(config())).rejects.toMatchObject({ kind: 'auth' });
  });
});
