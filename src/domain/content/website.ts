/**
 * The commune website (Trang thông tin điện tử) as a publishing target. Its channel name is `webchat` (the web
 * chat and the public feed live on the same site). Publishing needs no platform call: the scheduler marks the
 * row published, and the public feed (/tin-bai) lists posts published on this channel.
 */
import { DeliveryError, type Outlet, type PublishablePost } from '../delivery.js';
import type { Capabilities } from '../messages.js';

const websiteCapabilities: Capabilities = {
  maxTextLength: 100_000,
  maxChoices: 0,
  choiceTitleMax: 0,
  maxLinkButtons: 0,
  sendsPerSecond: 0,
  messagingWindowHours: null,
};

/** The website's post id of a library post: stable, so a repeated publish points at the same page. */
export function websitePostId(post: Pick<PublishablePost, 'id'>): string {
  return `web-${post.id}`;
}

/** An Outlet that only publishes to the website feed (replies go through the web chat channel). */
export function websiteOutlet(): Outlet {
  return {
    name: 'webchat',
    capabilities: websiteCapabilities,
    async send() {
      throw new DeliveryError('rejected', 'the website outlet only publishes posts');
    },
    async publish(post) {
      return { platformPostId: websitePostId(post) };
    },
  };
}

/**
 * The outlets to publish through: `webchat` gains website publishing when the web chat channel has no
 * `publish` of its own, or is added when absent.
 */
export function withWebsitePublishing(outlets: readonly Outlet[]): Outlet[] {
  const website = websiteOutlet();
  const existing = outlets.find((o) => o.name === 'webchat');
  if (!existing) return [...outlets, website];
  if (existing.publish) return [...outlets];
  return outlets.map((o) =>
    o === existing
      ? { name: o.name, capabilities: o.capabilities, send: o.send.bind(o), publish: website.publish! }
      : o,
  );
}
