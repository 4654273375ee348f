import crypto from 'node:crypto';
import { createMessengerChannel } from '../../src/channels/messenger/index.js';
import { loadFixture } from '../fixtures/load.js';
import { startMockServer } from '../support/mock-server.js';
import { channelContract } from './contract.js';

const appSecret = 'contract-app-secret';
const psid = '6543210987654321';

const sign = (body: string) => ({
  'content-type': 'application/json',
  'x-hub-signature-256': 'sha256=' + crypto.createHmac('sha256', appSecret).update(body).digest('hex'),
});

channelContract('messenger', {
  // The Graph API as documented: Send API answers recipient_id + message_id; page posts answer an id.
  startMock: () =>
    startMockServer((r) => {
      if (r.path.endsWith('/messages')) return { json: { recipient_id: psid, message_id: `m_sent_${r.at}_${Math.random().toString(36).slice(2)}` } };
      if (r.path.endsWith('/feed') || r.path.endsWith('/photos')) return { json: { id: `1122334455_${r.at}` } };
      return { json: { success: true } };
    }),
  env: (mockUrl) => ({
    MESSENGER_APP_SECRET: appSecret,
    MESSENGER_PAGE_ACCESS_TOKEN: 'contract-page-token',
    MESSENGER_VERIFY_TOKEN: 'contract-verify',
    MESSENGER_PAGE_ID: '1122334455',
    GRAPH_API_BASE_URL: mockUrl,
  }),
  channels: (deps) => [createMessengerChannel(deps)!],
  citizenMessage: (n, text) => {
    const body = loadFixture('messenger', 'text-message');
    const event = body.entry[0].messaging[0];
    event.message.mid = `m_contract_${n}`;
    event.message.text = text;
    // Sent now, so the reply falls inside Messenger's 24-hour messaging window.
    body.entry[0].time = Date.now();
    event.timestamp = Date.now();
    return { body: JSON.stringify(body), address: psid };
  },
  sign,
  forge: (body) => ({ ...sign(body), 'x-hub-signature-256': 'sha256=' + crypto.createHmac('sha256', 'not-the-secret').update(body).digest('hex') }),
  unknownEvents: () => ['message-echo', 'message-reads', 'message-deliveries', 'message-reactions'].map((f) => JSON.stringify(loadFixture('messenger', f))),
  // Typing indicators and mark_seen (sender_action) are not replies.
  isReply: (r, address) => {
    const b = r.body as { recipient?: { id?: string }; sender_action?: string } | null;
    return r.method === 'POST' && r.path.endsWith('/messages') && b?.recipient?.id === address && !b.sender_action;
  },
});
