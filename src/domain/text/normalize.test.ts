import { describe, expect, it } from 'vitest';
import { accentKey, foldDiacritics, foldText, foldToken, hasDiacritics, tokenize, tokenMatchQuality, makeToken } from './normalize.js';

describe('normalization', () => {
  it('folds every diacritic and đ to d', () => {
    expect(foldDiacritics('Đăng ký khai sinh ở Ủy ban')).toBe('Dang ky khai sinh o Uy ban');
    expect(foldToken('Đường')).toBe('duong');
  });

  it('turns decomposed input into the same tokens as composed input (NFC)', () => {
    const decomposed = 'đăng ký'.normalize('NFD');
    expect(tokenize(decomposed).map((t) => t.text)).toEqual(['đăng', 'ký']);
    expect(tokenize(decomposed)[1]!.text).toBe('ký'.normalize('NFC'));
  });

  it('lowercases and strips punctuation into syllable tokens', () => {
    expect(tokenize('Làm giấy KHAI SINH, cần gì???').map((t) => t.text)).toEqual(['làm', 'giấy', 'khai', 'sinh', 'cần', 'gì']);
    expect(foldText('  Sổ đỏ: bao nhiêu tiền?! ')).toBe('so do bao nhieu tien');
  });

  it('gives old and new tone placement the same accent key', () => {
    expect(accentKey('hoà')).toBe(accentKey('hòa'));
    expect(accentKey('thuỷ')).toBe(accentKey('thủy'));
    expect(accentKey('hòa')).not.toBe(accentKey('hoa'));
  });

  it('treats final y and i after a consonant alike (kí/ký, lí/lý, qui/quy)', () => {
    expect(foldToken('ký')).toBe(foldToken('kí'));
    expect(accentKey('ký')).toBe(accentKey('kí'));
    expect(foldToken('quy')).toBe('qui');
    expect(foldToken('yêu')).toBe('yeu');
  });

  it('knows when a syllable carries diacritics', () => {
    expect(hasDiacritics('dang')).toBe(false);
    expect(hasDiacritics('đang')).toBe(true);
    expect(hasDiacritics('ký')).toBe(true);
  });

  it('ranks an exact-accent match above an unaccented one above a wrongly accented one', () => {
    const catalog = makeToken('đăng');
    const exact = tokenMatchQuality(makeToken('đăng'), catalog.key, catalog.fold);
    const plain = tokenMatchQuality(makeToken('dang'), catalog.key, catalog.fold);
    const wrong = tokenMatchQuality(makeToken('đang'), catalog.key, catalog.fold);
    expect(exact).toBe(1);
    expect(plain).toBeLessThan(exact);
    expect(wrong).toBeLessThan(plain);
    expect(tokenMatchQuality(makeToken('sinh'), catalog.key, catalog.fold)).toBe(0);
  });
});
