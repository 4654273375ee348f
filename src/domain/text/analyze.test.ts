import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { loadLanguage } from './language.load.js';
import { compileLanguage } from './language.js';

const language = loadLanguage('content');
const words = (text: string) => analyze(text, language).content.map((t) => t.text);

describe('analysis with the content/language tables', () => {
  it('expands abbreviations and teencode typed without accents', () => {
    expect(words('dk ks')).toEqual(['đăng', 'ký', 'khai', 'sinh']);
    expect(words('đk kh')).toEqual(['đăng', 'ký', 'kết', 'hôn']);
    expect(analyze('sdt mot cua', language).intents.has('hotline')).toBe(true);
  });

  it('does not take an accented word for an abbreviation (sổ hồng is not "không")', () => {
    expect(words('sổ hồng')).toEqual(words('sổ đỏ'));
  });

  it('rewrites common names to the catalog wording', () => {
    expect(words('làm sổ đỏ')).toEqual(['giấy', 'chứng', 'nhận', 'quyền', 'sử', 'dụng', 'đất']);
    expect(words('giấy khai sinh')).toEqual(['khai', 'sinh']);
    expect(words('nhập hộ khẩu')).toEqual(['đăng', 'ký', 'thường', 'trú']);
  });

  it('drops polite filler', () => {
    expect(words('cho em hỏi với ạ, đăng ký kết hôn nhé')).toEqual(['đăng', 'ký', 'kết', 'hôn']);
  });

  it('recognises facets and takes their words out of the search', () => {
    const a = analyze('khai sinh mất bao nhiêu tiền', language);
    expect(a.intents.has('facet:fees')).toBe(true);
    expect(a.content.map((t) => t.text)).toEqual(['khai', 'sinh']);
    expect(analyze('kết hôn mất mấy ngày', language).intents.has('facet:processingTime')).toBe(true);
    expect(analyze('nộp ở đâu', language).intents.has('facet:submitAt')).toBe(true);
    expect(analyze('cần giấy tờ gì', language).intents.has('facet:documents')).toBe(true);
  });

  it('keeps an unaccented word that is also filler as optional (dang: đang or đăng)', () => {
    const a = analyze('dang ky khai sinh', language);
    expect(a.content[0]).toMatchObject({ text: 'dang', optional: true });
    expect(a.content.slice(1).map((t) => t.text)).toEqual(['ky', 'khai', 'sinh']);
  });

  it('flags emergencies accent-aware: cháy nhà is, chạy nhà is not', () => {
    expect(analyze('nhà tôi bị cháy', language).flags.has('emergency:fire')).toBe(true);
    expect(analyze('nha toi bi chay', language).flags.has('emergency:fire')).toBe(true);
    expect(analyze('tôi bị chạy', language).flags.has('emergency:fire')).toBe(false);
    expect(analyze('có người đánh nhau', language).flags.has('emergency:police')).toBe(true);
  });

  it('finds national procedure codes', () => {
    expect(analyze('thủ tục 1.001193 là gì', language).codes).toEqual(['1.001193']);
  });

  it('rejects an invalid table naming the problem', () => {
    expect(() => compileLanguage({ abbreviations: { entries: {} } })).toThrow(/synonyms/);
  });
});
