/** Data checks on content/: the catalog's aliases and the language tables work together. */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { analyze } from '../src/domain/text/analyze.js';
import { loadLanguage } from '../src/domain/text/language.load.js';

const language = loadLanguage('content');
const procedures = JSON.parse(fs.readFileSync('content/procedures.json', 'utf8')) as {
  code: string;
  name: string;
  aliases: string[];
  situations: string[];
  audience: string | null;
}[];
const referrals = JSON.parse(fs.readFileSync('content/language/referrals.json', 'utf8')) as {
  key: string;
  matter: string;
  words: string[];
  where: string;
  how: string;
  url: string | null;
}[];
/** How the engine reads a phrase once filler is dropped: two phrases with the same key are the same to it. */
const readAs = (text: string) => analyze(text, language).content.map((t) => t.fold).join(' ');

it('gives every procedure aliases citizens use', () => {
  for (const p of procedures) expect(p.aliases.length, p.code).toBeGreaterThan(0);
});

it('has no alias that reads the same as another procedure’s name or alias', () => {
  const owner = new Map<string, string>();
  const collisions: string[] = [];
  for (const p of procedures) {
    for (const text of [p.name, ...p.aliases]) {
      const key = readAs(text);
      const other = owner.get(key);
      if (other && other !== p.code) collisions.push(`"${text}" (${p.code}) reads like ${other}`);
      owner.set(key, p.code);
    }
  }
  expect(collisions).toEqual([]);
});

it('keeps the language tables in NFC', () => {
  for (const file of fs.readdirSync('content/language')) {
    const text = fs.readFileSync(`content/language/${file}`, 'utf8');
    expect(text, file).toBe(text.normalize('NFC'));
  }
});

it('gives every procedure 8–14 short situations in citizens’ words and who it is for', () => {
  for (const p of procedures) {
    expect(p.situations.length, p.code).toBeGreaterThanOrEqual(8);
    expect(p.situations.length, p.code).toBeLessThanOrEqual(14);
    for (const situation of p.situations) {
      const words = situation.trim().split(/\s+/).length;
      expect(words, `${p.code}: ${situation}`).toBeGreaterThanOrEqual(4);
      expect(words, `${p.code}: ${situation}`).toBeLessThanOrEqual(15);
    }
    expect(p.audience?.trim(), p.code).toBeTruthy();
  }
});

it('has no situation that reads the same as another procedure’s name, alias or situation', () => {
  const owner = new Map<string, string>();
  for (const p of procedures) for (const text of [p.name, ...p.aliases]) owner.set(readAs(text), p.code);
  const collisions: string[] = [];
  for (const p of procedures) {
    for (const situation of p.situations) {
      const key = readAs(situation);
      const other = owner.get(key);
      if (other && other !== p.code) collisions.push(`"${situation}" (${p.code}) reads like ${other}`);
      owner.set(key, p.code);
    }
  }
  expect(collisions).toEqual([]);
});

it('lists out-of-remit matters with the body to go to, a sentence on how, and an https link or none', () => {
  expect(referrals.length).toBeGreaterThanOrEqual(15);
  expect(new Set(referrals.map((r) => r.key)).size).toBe(referrals.length);
  for (const r of referrals) {
    expect(r.key, r.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const text of [r.matter, r.where, r.how]) expect(text.trim(), r.key).not.toBe('');
    expect(r.words.length, r.key).toBeGreaterThan(2);
    if (r.url !== null) expect(r.url, r.key).toMatch(/^https:\/\/[a-z0-9.-]+\.gov\.vn|^https:\/\/www\.evn\.com\.vn/);
  }
});

it('never gives a referral a phrase the catalog uses whole for a procedure', () => {
  const owner = new Map<string, string>();
  for (const p of procedures) for (const text of [p.name, ...p.aliases, ...p.situations]) owner.set(readAs(text), p.code);
  const claimed: string[] = [];
  const seen = new Map<string, string>();
  for (const r of referrals) {
    for (const word of r.words) {
      const key = readAs(word);
      if (owner.has(key)) claimed.push(`"${word}" (${r.key}) reads like ${owner.get(key)}`);
      const other = seen.get(word.toLowerCase());
      if (other) claimed.push(`"${word}" is listed by both ${other} and ${r.key}`);
      seen.set(word.toLowerCase(), r.key);
    }
  }
  expect(claimed).toEqual([]);
});
