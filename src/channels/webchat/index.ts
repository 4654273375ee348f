/**
 * The web chat: the commune website's chat, served by this service at /chat and embeddable with one script tag
 * (/chat/widget.js). It needs no platform credentials, so it is always enabled.
 *
 * @example
 * <script src="https://hoidap.xa.gov.vn/chat/widget.js"></script>
 */
import type { Channel } from '../channel.js';
import { registerChannelFactory, type ChannelDeps } from '../registry.js';
import { createWebchatRouter, type WebchatRouterDeps } from './routes.js';
import { createWebchatSend, webchatCapabilities } from './send.js';
import { SessionIds } from './session.js';
import { ReplySignal } from './signal.js';

export interface WebchatOptions {
  limits?: WebchatRouterDeps['limits'];
  recheckMs?: number;
}

export function createWebchatChannel(deps: ChannelDeps, options: WebchatOptions = {}): Channel {
  const signal = new ReplySignal();
  const sessions = new SessionIds(deps.config.CITIZEN_ID_SECRET);
  return {
    name: 'webchat',
    capabilities: webchatCapabilities,
    send: createWebchatSend(signal),
    pages(sink) {
      const router = createWebchatRouter({
        db: deps.db,
        log: deps.log,
        sink,
        sessions,
        signal,
        embedOrigins: deps.config.WEBCHAT_EMBED_ORIGINS,
        limits: options.limits,
        recheckMs: options.recheckMs,
      });
      return [{ path: '/chat', router }];
    },
    async stop() {
      // Answers the open long polls now, so shutdown does not wait for them.
      signal.close();
    },
  };
}

registerChannelFactory((deps) => createWebchatChannel(deps));
