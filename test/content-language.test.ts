/** Data checks on content/: the catalog's aliases and the language tables work together. */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { analyze } from '../src/domain/text/analyze.js';
import { loadLanguage } from '../src/domain/text/language.load.js';

const language = loadLanguage('content');
const procedures = JSON.parse(fs.readFileSync('content/procedures.json', 'utf8')) as { code: string; name: string; aliases: string[] }[];

it('gives every procedure aliases citizens use', () => {
  for (const p of procedures) expect(p.aliases.length, p.code).toBeGreaterThan(0);
});

it('has no alias that reads the same as another procedure’s name or alias', () => {
  const owner = new Map<string, string>();
  const collisions: string[] = [];
  for (const p of procedures) {
    for (const text of [p.name, ...p.aliases]) {
      const key = analyze(text, language).content.map((t) => t.fold).join(' ');
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
