import { describe, expect, it } from 'vitest';
import { maxMessageLength, postMessageSchema, toInboundMessage } from './inbound.js';
import { SessionIds } from './session.js';

const sessions = new SessionIds('unit-test-secret');
const at = new Date('2026-11-24T01:00:00Z');

describe('web chat inbound', () => {
  it('turns a typed text into an NFC, trimmed text message keyed by session and client id', () => {
    const session = sessions.issue();
    const body = postMessageSchema.parse({ session, id: 'abcdef12', text: '  Đăng ký kết hôn  '.normalize('NFD') });
    const m = toInboundMessage(body, at);
    expect(m).toMatchObject({ channel: 'webchat', address: session, kind: 'text', text: 'Đăng ký kết hôn', receivedAt: at });
    expect(typeof m === 'object' && m.platformMessageId.endsWith(':abcdef12')).toBe(true);
    // The session id is a credential: it is not copied into the message id.
    expect(typeof m === 'object' && m.platformMessageId.includes(session)).toBe(false);
  });

  it('keys the same client id differently in two sessions, so one session cannot swallow another message', () => {
    const a = toInboundMessage(postMessageSchema.parse({ session: sessions.issue(), id: 'same-id-1', text: 'x' }), at);
    const b = toInboundMessage(postMessageSchema.parse({ session: sessions.issue(), id: 'same-id-1', text: 'x' }), at);
    expect(typeof a === 'object' && typeof b === 'object' && a.platformMessageId !== b.platformMessageId).toBe(true);
  });

  it('keeps a pressed choice payload and title; one start event per session', () => {
    const session = sessions.issue();
    const choice = toInboundMessage(postMessageSchema.parse({ session, id: 'choice-01', payload: 'P:1.001193', title: 'Khai sinh' }), at);
    expect(choice).toMatchObject({ kind: 'choice', payload: 'P:1.001193', text: 'Khai sinh' });
    const start1 = toInboundMessage(postMessageSchema.parse({ session, event: 'start' }), at);
    const start2 = toInboundMessage(postMessageSchema.parse({ session, event: 'start' }), new Date());
    expect(start1).toMatchObject({ kind: 'start', text: '' });
    expect(typeof start1 === 'object' && typeof start2 === 'object' && start1.platformMessageId === start2.platformMessageId).toBe(true);
  });

  it('names empty and too long texts; counts characters, not UTF-16 units or bytes', () => {
    const session = sessions.issue();
    const parse = (text: string) => toInboundMessage(postMessageSchema.parse({ session, id: 'abcdef12', text }), at);
    expect(parse(' \n\t ')).toBe('empty');
    expect(parse('ệ'.repeat(maxMessageLength))).toMatchObject({ kind: 'text' });
    expect(parse('ệ'.repeat(maxMessageLength + 1))).toBe('too_long');
    expect(parse('😀'.repeat(maxMessageLength))).toMatchObject({ kind: 'text' });
  });
});

describe('web chat session ids', () => {
  it('accepts only ids this service signed with its secret', () => {
    const id = sessions.issue();
    expect(sessions.verify(id)).toBe(true);
    expect(sessions.issue()).not.toBe(id);
    expect(new SessionIds('another-secret').verify(id)).toBe(false);
    const [random, signature] = id.split('.') as [string, string];
    expect(sessions.verify(`${random}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(sessions.verify(`${random}.`)).toBe(false);
    expect(sessions.verify('')).toBe(false);
  });
});
