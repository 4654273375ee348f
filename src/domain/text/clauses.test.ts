import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { analyzeMessage, splitClauses } from './clauses.js';
import { loadLanguage } from './language.load.js';

const language = loadLanguage('content');
const words = (text: string) => analyze(text, language).content.map((t) => t.text).join(' ');

describe('long messages', () => {
  it('splits into clauses and keeps the need at full weight, the story as context, without opener or thanks', () => {
    expect(splitClauses('Kính gửi anh chị. Nhà em ở xóm 3, em muốn hỏi… Cảm ơn!')).toEqual(['Kính gửi anh chị', 'Nhà em ở xóm 3', 'em muốn hỏi', 'Cảm ơn']);
    const a = analyzeMessage('Kính gửi cán bộ xã. Em quê ở thôn Đông, lấy chồng về xã được hai năm nay, tháng trước em sinh cháu ở bệnh viện huyện. Em muốn hỏi làm giấy khai sinh cho cháu cần gì. Em cảm ơn.', language);
    expect(a.long).toBe(true);
    expect(a.needText).toContain('khai sinh');
    expect(a.intents.has('greeting')).toBe(false);
    expect(a.intents.has('thanks')).toBe(false);
    const need = a.content.filter((t) => (t.salience ?? 1) === 1).map((t) => t.text);
    expect(need).toEqual(['khai', 'sinh']);
    expect(a.content.some((t) => t.text === 'bệnh' && t.salience! < 1)).toBe(true);
  });

  it('does not turn a question ending in "liên hệ cơ quan nào" into a hotline question, and a greeting stays one', () => {
    expect(analyzeMessage('làm giấy báo tử cho bố thì liên hệ cơ quan nào', language).intents.has('hotline')).toBe(false);
    expect(analyzeMessage('chao ban', language).intents.has('greeting')).toBe(true);
    expect(analyzeMessage('số điện thoại một cửa', language).intents.has('hotline')).toBe(true);
  });
});

describe('papers to bring', () => {
  it('reads a paper named as something to bring as support, not as the need', () => {
    const a = analyzeMessage('đăng ký kết hôn có cần mang giấy xác nhận tình trạng hôn nhân không', language);
    const need = a.content.filter((t) => (t.salience ?? 1) === 1).map((t) => t.text).join(' ');
    expect(need).toContain('kết hôn');
    expect(need).not.toContain('tình trạng');
    expect(a.content.some((t) => t.text === 'tình' && t.salience! < 1)).toBe(true);
    // The facet still counts: the citizen asks what to bring.
    expect(analyzeMessage('làm khai sinh cho con cần mang những gì', language).intents.has('facet:documents')).toBe(true);
  });

  it('drops a short address clause even when it seems to hold a need word ("chao can bo": cán bộ, not cần)', () => {
    const a = analyzeMessage('chao can bo, em lay chong nguoi Dai Loan tu nam 2018, be duoc 1 thang tuoi. Em muon lam khai sinh cho be o xa thi lam the nao a', language);
    expect(a.needText).not.toMatch(/^can bo/);
  });
});

describe('senses', () => {
  it('reads "mất" as died after a person, as lost before a paper, and leaves "mất bao lâu" to the facets', () => {
    expect(words('bố em mới mất')).toContain('khai tử');
    expect(words('mất giấy khai sinh')).not.toContain('khai tử');
    expect(analyze('đăng ký kết hôn mất bao lâu', language).intents.has('facet:processingTime')).toBe(true);
    expect(words('vợ em mới đẻ')).toContain('sinh');
    expect(words('giấy khai sinh của em bị mất')).not.toContain('khai tử');
    expect(words('muốn để lại nhà cho con sau khi mẹ mất')).not.toContain('khai tử');
  });
});
