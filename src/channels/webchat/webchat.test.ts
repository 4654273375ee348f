/**
 * The web chat's HTTP API against the real service (real express app, real database, real inbox and ledger):
 * input validation, idempotent message ids, long polls on the ledger, and sessions that cannot read each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Responder } from '../../domain/inbox/processor.js';
import { enqueueOutbound } from '../../domain/ledger/outbox.repo.js';
import { testDbKind } from '../../../test/support/db.js';
import { startTestService, type TestService } from '../../../test/support/service.js';
import { createWebchatChannel } from './index.js';
import { TokenBuckets } from './rate-limit.js';

/** A small engine: answers text with an echo, offers choices for "menu", answers a pressed payload. */
const respond: Responder = ({ message, context }) => {
  const out = (replies: import('../../domain/messages.js').Reply[], outcome = 'answered') => ({ replies, context, outcome, handover: false });
  if (message.kind === 'start') return out([{ kind: 'text', text: 'Xin chào! Tôi có thể giúp gì?' }], 'greeting');
  if (message.kind === 'choice') return out([{ kind: 'text', text: `Bạn chọn: ${message.payload}` }]);
  if (message.text === 'menu') {
    return out([{ kind: 'choices', text: 'Bạn muốn hỏi về:', choices: [{ title: 'Khai sinh', payload: 'P:1' }, { title: 'Kết hôn', payload: 'P:2' }] }], 'menu');
  }
  if (message.text === 'hai') return out([{ kind: 'text', text: 'một' }, { kind: 'text', text: 'hai' }]);
  return out([{ kind: 'text', text: `Trả lời: ${message.text}` }]);
};

interface Json {
  [key: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe(`web chat API (${testDbKind})`, () => {
  let service: TestService;
  const gate = { closed: false, held: 0, opened: Promise.resolve(), open: () => {} };
  const closeGate = () => {
    gate.closed = true;
    gate.opened = new Promise<void>((resolve) => (gate.open = () => ((gate.closed = false), resolve())));
  };
  let seq = 0;
  const post = async (path: string, body: unknown, raw = false): Promise<{ status: number; body: Json; headers: Headers }> => {
    const res = await fetch(`${service.url}/chat/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ? (body as string) : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  };
  const newSession = async (): Promise<string> => {
    const r = await post('session', {});
    expect(r.status).toBe(200);
    return r.body.session as string;
  };
  const messageId = () => `msg-${process.pid}-${++seq}-abcdef`;

  beforeAll(async () => {
    service = await startTestService({
      respond,
      channels: (deps) => {
        const channel = createWebchatChannel(deps, {
          // Tight enough to test, loose enough for the other tests of this file (each uses its own session).
          limits: { messages: new TokenBuckets({ capacity: 5, refillPerSecond: 0.01 }) },
          // The slow recheck is off: a reply reaching a waiting poll proves the outlet's wake-up signal works.
          recheckMs: 60_000,
        });
        const send = channel.send.bind(channel);
        // A test can hold the dispatcher after the outlet's send, before it writes `sent` (a slow batch).
        channel.send = async (address, reply, context) => {
          const result = await send(address, reply, context);
          if (gate.closed) {
            gate.held++;
            await gate.opened;
            gate.held--;
          }
          return result;
        };
        return [channel];
      },
    });
  });
  afterAll(async () => {
    await service?.destroy();
  });

  it('serves the page and the static files with CSP that keeps scripts external and allows embedding', async () => {
    await service.db.db.communeProfile.create({
      data: { communeId: service.db.tenant.communeId, name: 'Xã Hòa <b>Bình</b>', address: 'x', workingHours: 'Sáng thứ 2 – thứ 6' },
    });
    const res = await fetch(`${service.url}/chat`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Xã Hòa &lt;b&gt;Bình&lt;/b&gt;');
    expect(html).not.toContain('<b>Bình');
    expect(html).toContain('<script src="/chat/chat.js" defer></script>');
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('frame-ancestors *');
    expect(res.headers.get('x-frame-options')).toBeNull();

    for (const [file, type] of [['chat.js', 'text/javascript'], ['chat.css', 'text/css'], ['widget.js', 'text/javascript']] as const) {
      const asset = await fetch(`${service.url}/chat/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get('content-type'), file).toContain(type);
    }
    const widget = await fetch(`${service.url}/chat/widget.js`);
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    // Everything else keeps helmet's defaults.
    const health = await fetch(`${service.url}/healthz`);
    expect(health.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(((await health.json()) as Json).channels).toEqual(['webchat']);
  });

  it('answers a message through the ledger: stored, answered once, read by a long poll', async () => {
    const session = await newSession();
    const poll = post('replies', { session, after: 0, wait: 20 });
    const sent = await post('messages', { session, id: messageId(), text: 'làm giấy khai sinh' });
    expect(sent.status).toBe(202);
    const got = await poll;
    expect(got.status).toBe(200);
    expect(got.body.replies).toHaveLength(1);
    expect(got.body.replies[0].reply).toEqual({ kind: 'text', text: 'Trả lời: làm giấy khai sinh' });
    expect(got.body.cursor).toBe(got.body.replies[0].id);

    await service.inbox.idle();
    const row = await service.db.db.outboundMessage.findUniqueOrThrow({ where: { id: got.body.cursor } });
    expect(row.status).toBe('sent');
    expect(row.platformMessageId).toBe(`web-${row.id}`);
    expect(row.channel).toBe('webchat');

    // After the cursor there is nothing new; the poll returns empty when its wait ends.
    const empty = await post('replies', { session, after: got.body.cursor, wait: 0 });
    expect(empty.body).toEqual({ replies: [], cursor: got.body.cursor, withStaff: false });
  });

  it('shows a reply as soon as the outlet hands it over, before the dispatcher has written it as sent', async () => {
    const session = await newSession();
    const other = await newSession();
    closeGate();
    try {
      const poll = post('replies', { session, after: 0, wait: 20 });
      expect((await post('messages', { session, id: messageId(), text: 'nhanh lên' })).status).toBe(202);
      const got = await poll;
      expect(got.body.replies.map((r: Json) => r.reply.text)).toEqual(['Trả lời: nhanh lên']);
      expect(gate.held).toBe(1);
      const row = await service.db.db.outboundMessage.findUniqueOrThrow({ where: { id: got.body.cursor } });
      expect(row.status).toBe('sending');
      expect((await post('history', { session })).body.items).toHaveLength(2);
      // Only to its own session.
      expect((await post('replies', { session: other, after: 0 })).body.replies).toEqual([]);
    } finally {
      gate.open();
    }
    await service.inbox.idle();
    const rows = await service.db.db.outboundMessage.findMany({ where: { address: session } });
    expect(rows.map((r) => r.status)).toEqual(['sent']);
  });

  it('gives a message sent twice with the same id (double click, retry) one answer', async () => {
    const session = await newSession();
    const id = messageId();
    const [a, b] = await Promise.all([
      post('messages', { session, id, text: 'hai lần' }),
      post('messages', { session, id, text: 'hai lần' }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect((await post('messages', { session, id, text: 'hai lần' })).status).toBe(202);
    await service.inbox.idle();
    const conversation = await service.db.db.conversation.findFirstOrThrow({ where: { channel: 'webchat', address: session } });
    expect(await service.db.db.inboundMessage.count({ where: { conversationId: conversation.id } })).toBe(1);
    expect(await service.db.db.outboundMessage.count({ where: { conversationId: conversation.id } })).toBe(1);
    const replies = await post('replies', { session, after: 0 });
    expect(replies.body.replies.map((r: Json) => r.reply.text)).toEqual(['Trả lời: hai lần']);
  });

  it('offers choices and answers the pressed one; the start event greets once per session', async () => {
    const session = await newSession();
    expect((await post('messages', { session, event: 'start' })).status).toBe(202);
    expect((await post('messages', { session, event: 'start' })).status).toBe(202);
    expect((await post('messages', { session, id: messageId(), text: 'menu' })).status).toBe(202);
    await service.inbox.idle();
    const first = await post('replies', { session, after: 0 });
    expect(first.body.replies.map((r: Json) => r.reply.kind)).toEqual(['text', 'choices']);
    expect(first.body.replies[0].reply.text).toBe('Xin chào! Tôi có thể giúp gì?');
    const choice = first.body.replies[1].reply.choices[1];
    expect(choice).toEqual({ title: 'Kết hôn', payload: 'P:2' });

    expect((await post('messages', { session, id: messageId(), payload: choice.payload, title: choice.title })).status).toBe(202);
    const answer = await post('replies', { session, after: first.body.cursor, wait: 20 });
    expect(answer.body.replies.map((r: Json) => r.reply.text)).toEqual(['Bạn chọn: P:2']);

    const pressed = await service.db.db.inboundMessage.findFirstOrThrow({ where: { kind: 'choice', payload: 'P:2' } });
    expect(pressed.text).toBe('Kết hôn');

    const history = await post('history', { session });
    expect(history.body.items.map((i: Json) => (i.from === 'citizen' ? `> ${i.text}` : i.reply.text))).toEqual([
      'Xin chào! Tôi có thể giúp gì?',
      '> menu',
      'Bạn muốn hỏi về:',
      '> Kết hôn',
      'Bạn chọn: P:2',
    ]);
    expect(history.body.cursor).toBe(answer.body.cursor);
  });

  it('never shows one session the replies or history of another', async () => {
    const alice = await newSession();
    const mallory = await newSession();
    await post('messages', { session: alice, id: messageId(), text: 'số căn cước của tôi là 001' });
    await post('messages', { session: mallory, id: messageId(), text: 'xin chào' });
    await service.inbox.idle();
    const aliceReplies = await post('replies', { session: alice, after: 0 });
    expect(aliceReplies.body.replies.map((r: Json) => r.reply.text)).toEqual(['Trả lời: số căn cước của tôi là 001']);
    const malloryReplies = await post('replies', { session: mallory, after: 0 });
    expect(malloryReplies.body.replies.map((r: Json) => r.reply.text)).toEqual(['Trả lời: xin chào']);
    const malloryHistory = await post('history', { session: mallory });
    expect(JSON.stringify(malloryHistory.body)).not.toContain('căn cước');

    // A session id the service did not sign is refused, even one that differs from Alice's by one character.
    const forged = alice.slice(0, -1) + (alice.endsWith('A') ? 'B' : 'A');
    for (const [path, body] of [['replies', { session: forged, after: 0 }], ['history', { session: forged }]] as const) {
      const r = await post(path, body);
      expect(r.status, path).toBe(401);
      expect(r.body.error).toContain('Phiên trò chuyện không hợp lệ');
    }
    expect((await post('messages', { session: forged, id: messageId(), text: 'x' })).status).toBe(401);
  });

  it('refuses bad input with 400, a Vietnamese message and an English log line, and stores nothing', async () => {
    const session = await newSession();
    const before = await service.db.db.inboundMessage.count();
    const cases: [string, unknown, boolean?][] = [
      ['no session', { id: messageId(), text: 'x' }],
      ['bad session format', { session: 'abc', id: messageId(), text: 'x' }],
      ['no id', { session, text: 'x' }],
      ['short id', { session, id: 'a1', text: 'x' }],
      ['id with odd characters', { session, id: 'abc def ghi', text: 'x' }],
      ['text not a string', { session, id: messageId(), text: 42 }],
      ['unknown field', { session, id: messageId(), text: 'x', admin: true }],
      ['payload over 64 bytes', { session, id: messageId(), payload: 'đ'.repeat(33), title: 'x' }],
      ['unknown event', { session, event: 'follow' }],
      ['array body', [1, 2]],
      ['malformed JSON', '{"session": ', true],
    ];
    for (const [name, body, raw] of cases) {
      const r = await post('messages', body, raw);
      expect(r.status, name).toBe(400);
      expect(r.body.error, name).toBe('Yêu cầu không hợp lệ. Xin vui lòng tải lại trang và thử lại.');
    }
    const empty = await post('messages', { session, id: messageId(), text: '  \n ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe('Xin vui lòng nhập câu hỏi trước khi gửi.');

    const tooLong = await post('messages', { session, id: messageId(), text: 'ệ'.repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toBe('Tin nhắn dài quá (tối đa 1000 ký tự). Xin vui lòng rút gọn câu hỏi và gửi lại.');
    const huge = await post('messages', { session, id: messageId(), text: 'a'.repeat(40_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toContain('Tin nhắn dài quá');
    expect((await post('replies', { session, after: -1 })).status).toBe(400);
    expect((await post('replies', { session, after: 0, wait: 600 })).status).toBe(400);

    expect(await service.db.db.inboundMessage.count()).toBe(before);
    const refused = service.logs.filter((l) => l.msg === 'web chat request refused' || l.msg === 'web chat request unreadable');
    expect(refused.length).toBeGreaterThanOrEqual(cases.length);
    const causes = refused.map((l) => String(l.cause));
    expect(causes.some((c) => c.startsWith('invalid web chat message: session '))).toBe(true);
    expect(causes.some((c) => c.startsWith('invalid web chat message: id '))).toBe(true);
    expect(causes.some((c) => c.startsWith('invalid web chat message: payload '))).toBe(true);
    expect(causes.some((c) => c.startsWith('invalid web chat message: admin ') || c.includes('Unrecognized key'))).toBe(true);

    // Exactly the limit is fine; decomposed Vietnamese input is stored NFC.
    const decomposed = 'Ủy ban'.normalize('NFD') + 'ệ'.repeat(994);
    expect([...decomposed.normalize('NFC')]).toHaveLength(1000);
    expect((await post('messages', { session, id: messageId(), text: decomposed })).status).toBe(202);
    await service.inbox.idle();
    const stored = await service.db.db.inboundMessage.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(stored.text).toBe(decomposed.normalize('NFC'));
  });

  it('slows down a session that sends too fast, politely, without touching other sessions', async () => {
    const session = await newSession();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post('messages', { session, id: messageId(), text: `câu ${i}` })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
    const refused = await post('messages', { session, id: messageId(), text: 'nữa' });
    expect(refused.body.error).toBe('Bạn gửi hơi nhanh. Xin vui lòng chờ vài giây rồi gửi tiếp.');
    const other = await newSession();
    expect((await post('messages', { session: other, id: messageId(), text: 'xin chào' })).status).toBe(202);
    await service.inbox.idle();
  });

  it('limits how often one session reads its history (the default: a burst of 10), politely', async () => {
    const session = await newSession();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post('history', { session })).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    const refused = await post('history', { session });
    expect(refused.body.error).toBe('Cuộc trò chuyện được tải lại quá nhiều lần. Xin vui lòng chờ vài giây rồi thử lại.');
    expect((await post('history', { session: await newSession() })).status).toBe(200);
  });

  it('delivers replies that arrive later (a staff answer after a handover) to a waiting poll', async () => {
    const session = await newSession();
    await post('messages', { session, id: messageId(), text: 'cho tôi gặp cán bộ' });
    await service.inbox.idle();
    const first = await post('replies', { session, after: 0 });
    const conversation = await service.db.db.conversation.findFirstOrThrow({ where: { channel: 'webchat', address: session } });
    const waiting = post('replies', { session, after: first.body.cursor, wait: 20 });
    await new Promise((r) => setTimeout(r, 100));
    await service.db.db.$transaction((tx) =>
      enqueueOutbound(tx, [
        {
          channel: 'webchat',
          kind: 'staff',
          recipientRef: conversation.citizenRef,
          address: session,
          conversationId: conversation.id,
          reply: { kind: 'text', text: 'Cán bộ một cửa: chào anh/chị, tôi xin trả lời…' },
        },
      ]),
    );
    await service.tick();
    const later = await waiting;
    expect(later.body.replies.map((r: Json) => r.reply.text)).toEqual(['Cán bộ một cửa: chào anh/chị, tôi xin trả lời…']);
  });

  it('a 404 under the API is JSON; unknown pages are the app 404', async () => {
    expect(gate.held).toBe(0);
    const r = await post('nope', {});
    expect(r.status).toBe(404);
    expect(r.body.error).toBeTypeOf('string');
    expect((await fetch(`${service.url}/chat/nope.js`)).status).toBe(404);
  });
});

describe(`web chat shutdown (${testDbKind})`, () => {
  it('answers open long polls at once when the service stops, so shutdown does not hang', async () => {
    const service = await startTestService({ respond });
    const session = ((await (await fetch(`${service.url}/chat/api/session`, { method: 'POST' })).json()) as Json).session as string;
    const poll = fetch(`${service.url}/chat/api/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session, after: 0, wait: 25 }),
    }).then(
      (r) => r.status,
      () => 'closed',
    );
    await new Promise((r) => setTimeout(r, 150));
    const closing = service.destroy().then(() => 'closed');
    // Without the channel's stop() the poll would hold the server open for its full 25 s wait.
    const hung = new Promise((r) => setTimeout(() => r('still waiting'), 10_000));
    expect(await Promise.race([poll, hung])).toBe(200);
    expect(await Promise.race([closing, hung])).toBe('closed');
  });
});
