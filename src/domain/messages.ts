/**
 * The channel-neutral vocabulary of conversations: what comes in from a citizen and what goes back.
 * Adapters parse platform bodies into {@link InboundMessage} at the edge and render {@link Reply} within their limits.
 */

/** Every channel the service knows. Adding one means adding an adapter folder, never an `if` in the domain. */
export const channelNames = ['messenger', 'zalo', 'telegram', 'webchat'] as const;
export type ChannelName = (typeof channelNames)[number];

/**
 * A message from a citizen, normalized at the edge.
 *
 * @example
 * { channel: 'messenger', platformMessageId: 'm_abc', address: '24011234', kind: 'text',
 *   text: 'làm giấy khai sinh cần gì', receivedAt: new Date() }
 */
export interface InboundMessage {
  channel: ChannelName;
  /** The platform's own id of this message or event: the idempotency key. */
  platformMessageId: string;
  /** Where replies go on this channel (PSID, Zalo user id, Telegram chat id, web chat session). */
  address: string;
  /** text: typed; choice: a button pressed (payload set); start: Get Started / first open; follow: followed the OA. */
  kind: 'text' | 'choice' | 'start' | 'follow' | 'unsupported';
  /** NFC-normalized text (a pressed button's title for choices; empty for events). */
  text: string;
  /** The payload of the pressed button, as the engine wrote it in a {@link Choice}. */
  payload?: string;
  receivedAt: Date;
  /** Platform context some adapters need to answer (Zalo msg_id for a free CS reply, Telegram callback query id). */
  replyContext?: Record<string, string>;
}

/** A button or quick reply. `payload` is at most 64 bytes (Telegram's callback_data limit). */
export interface Choice {
  title: string;
  payload: string;
}

/** A link button (online service, portal). */
export interface LinkButton {
  title: string;
  url: string;
}

export interface CardSection {
  /** e.g. "Thành phần hồ sơ" */
  title: string;
  lines: string[];
}

/**
 * One message the service says, independent of any platform. The engine returns a list of these; each becomes
 * one ledger row; each adapter renders it into the richest form its platform allows (and splits long text).
 */
export type Reply =
  | {
      kind: 'text';
      text: string;
      links?: LinkButton[];
      /** A named officer wrote it (staff replies): «Cán bộ Nguyễn Thị A – Văn phòng UBND xã». Absent: the assistant. */
      author?: string;
    }
  | { kind: 'choices'; text: string; choices: Choice[] }
  | { kind: 'card'; title: string; sections: CardSection[]; links?: LinkButton[]; choices?: Choice[] };

/** What a platform allows, as data: adapters read it when rendering, the outbox when pacing sends. */
export interface Capabilities {
  /** Longest text in one message; longer text is split on paragraph, line, then word boundaries. */
  maxTextLength: number;
  /** Most choice buttons shown with one message (quick replies or inline buttons). */
  maxChoices: number;
  /** Longest choice title; longer titles are shortened with an ellipsis. */
  choiceTitleMax: number;
  /** Most link buttons on one message (0: links go into the text). */
  maxLinkButtons: number;
  /** Sends per second this service allows itself on this channel. */
  sendsPerSecond: number;
  /** Hours after the citizen's last message within which replies may be sent; null: no window. */
  messagingWindowHours: number | null;
  /**
   * The channel shows a reply's `author` itself (the web chat draws an officer's bubble). Otherwise the author is
   * written as the first line of the text, so a citizen on Zalo or Messenger still sees who answered.
   */
  showsAuthor?: boolean;
}

/** Plain text of a reply, as stored in the ledger and shown to staff (an officer's name first, as citizens read it). */
export function replyText(reply: Reply): string {
  if (reply.kind === 'card') {
    return [reply.title, ...reply.sections.map((s) => `${s.title}:\n${s.lines.map((l) => `- ${l}`).join('\n')}`)].join('\n\n');
  }
  return withAuthorLine(reply).text;
}

/** The reply as a channel that cannot show an author renders it: «Cán bộ … :» as the text's first line. */
export function withAuthorLine<R extends Reply>(reply: R): R {
  if (reply.kind !== 'text' || !reply.author) return reply;
  const { author, ...rest } = reply;
  return { ...rest, text: `${author}:\n${reply.text}` } as R;
}
