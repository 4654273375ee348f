/**
 * A test double of the Outlet port for the scheduler's own tests: records every publish call and can be told to
 * fail in each way a real channel classifies its errors. The real adapters have their own tests.
 */
import { DeliveryError, type DeliveryErrorKind, type Outlet, type PublishablePost } from '../../src/domain/delivery.js';
import type { ChannelName } from '../../src/domain/messages.js';

export type Behaviour = 'ok' | DeliveryErrorKind | 'throw';

export interface RecordingOutlet extends Outlet {
  calls: PublishablePost[];
  /** What the next publish calls do, in order; then `fallback`. */
  script: Behaviour[];
  fallback: Behaviour;
  /** Runs inside publish before the outcome (e.g. to inspect the ledger at call time). */
  onPublish?: (post: PublishablePost) => Promise<void> | void;
}

let counter = 0;

export function recordingOutlet(name: ChannelName, fallback: Behaviour = 'ok', calls: PublishablePost[] = []): RecordingOutlet {
  const outlet: RecordingOutlet = {
    name,
    capabilities: { maxTextLength: 5000, maxChoices: 0, choiceTitleMax: 0, maxLinkButtons: 0, sendsPerSecond: 0, messagingWindowHours: null },
    calls,
    script: [],
    fallback,
    async send() {
      throw new Error('not used by the scheduler');
    },
    async publish(post) {
      outlet.calls.push(post);
      await outlet.onPublish?.(post);
      // Yield so concurrent instances interleave as they would on a real network.
      await new Promise((r) => setImmediate(r));
      const behaviour = outlet.script.shift() ?? outlet.fallback;
      switch (behaviour) {
        case 'ok':
          return { platformPostId: `${name}-post-${post.id}-${++counter}` };
        case 'throw':
          throw new Error('socket hang up');
        case 'retry':
          throw new DeliveryError('retry', 'HTTP 503 Service Unavailable', { retryAfterMs: 0 });
        case 'auth':
          throw new DeliveryError('auth', 'OAuthException code 190: token expired');
        case 'rejected':
          throw new DeliveryError('rejected', '(#100) Invalid parameter', { staffMessage: 'nội dung chứa liên kết không hợp lệ' });
        case 'gone':
          throw new DeliveryError('gone', 'page removed');
        case 'unknown':
          throw new DeliveryError('unknown', 'timeout after 30000 ms');
      }
    },
  };
  return outlet;
}
