import crypto from 'node:crypto';
import { createZaloChannel } from '../../src/channels/zalo/index.js';
import { loadFixture } from '../fixtures/load.js';
import { startMockServer } from '../support/mock-server.js';
import { channelContract } from './contract.js';

const appId = '3141592653589793';
const oaSecretKey = 'contract-oa-secret';
const userId = '8421000000000042';
/** msg_ids of the citizen messages sent, since a consultation reply may address the user's message instead. */
const mids: string[] = [];

// X-ZEvent-Signature: mac= + sha256(app_id + raw body + timestamp + OA secret key); a body without one signs ''.
const signWith = (secret: string) => (body: string) => {
  let ts = '';
  try {
    ts = String(JSON.parse(body).timestamp ?? '');
  } catch {
    /* malformed on purpose */
  }
  return { 'content-type': 'application/json', 'x-zevent-signature': 'mac=' + crypto.createHash('sha256').update(appId + body + ts + secret).digest('hex') };
};

channelContract('zalo', {
  // Zalo OpenAPI envelopes: error 0 with data; the OAuth endpoint hands out tokens.
  startMock: () =>
    startMockServer((r) => {
      if (r.path.includes('/oa/access_token')) return { json: { access_token: `zat-${r.at}`, refresh_token: `zrt-${r.at}`, expires_in: '90000' } };
      if (r.path.includes('/oa/message') || r.path.includes('/article/')) {
        return { json: { error: 0, message: 'Success', data: { message_id: `zmid-${r.at}-${Math.random().toString(36).slice(2)}`, user_id: userId } } };
      }
      return { json: { error: 0, message: 'Success', data: {} } };
    }),
  env: (mockUrl) => ({
    ZALO_APP_ID: appId,
    ZALO_OA_ID: appId,
    ZALO_OA_SECRET_KEY: oaSecretKey,
    ZALO_APP_SECRET: 'contract-app-secret',
    ZALO_ACCESS_TOKEN: 'contract-access',
    ZALO_REFRESH_TOKEN: 'contract-refresh',
    ZALO_OPENAPI_BASE_URL: mockUrl,
    ZALO_OAUTH_BASE_URL: mockUrl,
  }),
  channels: (deps) => [createZaloChannel(deps)!],
  citizenMessage: (n, text) => {
    const body = loadFixture('zalo', 'user-send-text');
    body.message.msg_id = `zcontract${String(n).padStart(8, '0')}`;
    body.message.text = text;
    // Sent now, so the consultation reply falls inside Zalo's reply window.
    body.timestamp = String(Date.now());
    mids.push(body.message.msg_id);
    return { body: JSON.stringify(body), address: userId };
  },
  sign: signWith(oaSecretKey),
  forge: signWith('not-the-secret'),
  unknownEvents: () => ['user-seen-message', 'user-received-message', 'oa-send-text', 'user-reacted-message'].map((f) => JSON.stringify(loadFixture('zalo', f))),
  isReply: (r, address) => {
    const b = r.body as { recipient?: { user_id?: string | number; message_id?: string } } | null;
    return r.method === 'POST' && r.path.includes('/oa/message') && (String(b?.recipient?.user_id) === address || mids.includes(String(b?.recipient?.message_id)));
  },
});
