import { describe, expect, it } from 'vitest';
import { editDistance, Vocabulary } from './typo.js';

describe('typo tolerance', () => {
  it('measures one edit for insertion, omission, substitution and swap', () => {
    expect(editDistance('sinh', 'sinhh')).toBe(1);
    expect(editDistance('sinh', 'sin')).toBe(1);
    expect(editDistance('sinh', 'sinj')).toBe(1);
    expect(editDistance('sinh', 'sihn')).toBe(1);
    expect(editDistance('sinh', 'hons')).toBeGreaterThan(1);
  });

  const vocabulary = new Vocabulary(
    new Map([
      ['khai', 10],
      ['sinh', 9],
      ['thuong', 3],
      ['tru', 3],
      ['nuoi', 2],
    ]),
  );

  it('corrects a syllable of four or more letters one edit away', () => {
    expect(vocabulary.correct('sihn')).toBe('sinh');
    expect(vocabulary.correct('khia')).toBe('khai');
    expect(vocabulary.correct('thuongg')).toBe('thuong');
  });

  it('leaves short syllables, numbers and far words alone', () => {
    expect(vocabulary.correct('tru')).toBeNull();
    expect(vocabulary.correct('xyzw')).toBeNull();
    expect(vocabulary.correct('2024')).toBeNull();
  });

  it('splits two known syllables typed without a space', () => {
    expect(vocabulary.split('khaisinh')).toEqual(['khai', 'sinh']);
    expect(vocabulary.split('thuongtru')).toEqual(['thuong', 'tru']);
    expect(vocabulary.split('khaisinx')).toBeNull();
  });
});
