/**
 * The Page's Messenger profile: the Get Started button (its postback arrives as kind 'start', which the engine
 * answers with the welcome menu), a greeting, and a Vietnamese persistent menu whose postbacks carry the engine's
 * own payloads (menu, fields, hotline, hours, online, staff). Meta allows 10 profile calls per 10 minutes per Page.
 */
import type { Config } from '../../config.js';
import { GET_STARTED_PAYLOAD } from './inbound.js';
import { GraphClient } from './send.js';

/** The body POSTed to /me/messenger_profile. */
export function messengerProfile(communeName = 'UBND xã') {
  return {
    get_started: { payload: GET_STARTED_PAYLOAD },
    greeting: [
      {
        locale: 'default',
        text: `Xin chào {{user_first_name}}! Đây là trợ lý trả lời tự động của ${communeName} về thủ tục hành chính. Bấm "Bắt đầu" để xem các thủ tục.`.normalize('NFC'),
      },
    ],
    persistent_menu: [
      {
        locale: 'default',
        composer_input_disabled: false,
        call_to_actions: [
          { type: 'postback', title: 'Tra cứu thủ tục', payload: 'fields' },
          { type: 'postback', title: 'Dịch vụ công trực tuyến', payload: 'online' },
          { type: 'postback', title: 'Giờ làm việc và địa chỉ', payload: 'hours' },
          { type: 'postback', title: 'Đường dây nóng', payload: 'hotline' },
          { type: 'postback', title: 'Gặp cán bộ', payload: 'staff' },
          { type: 'postback', title: 'Gửi phản ánh, kiến nghị', payload: 'fb:start' },
        ].map((a) => ({ ...a, title: a.title.normalize('NFC') })),
      },
    ],
  };
}

/** Sets the profile on the Page of MESSENGER_PAGE_ACCESS_TOKEN; throws a DeliveryError when Graph refuses. */
export async function setMessengerProfile(config: Config, communeName?: string): Promise<void> {
  if (!config.MESSENGER_PAGE_ACCESS_TOKEN) throw new Error('MESSENGER_PAGE_ACCESS_TOKEN is not set');
  const graph = new GraphClient({
    baseUrl: config.GRAPH_API_BASE_URL,
    version: config.GRAPH_API_VERSION,
    pageAccessToken: config.MESSENGER_PAGE_ACCESS_TOKEN,
    pageId: 'me',
    timeoutMs: 15_000,
  });
  await graph.post('me/messenger_profile', messengerProfile(communeName), 'Messenger profile');
}
