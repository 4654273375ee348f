import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../text/analyze.js';
import { loadLanguage } from '../text/language.load.js';
import type { Procedure } from './procedure.js';
import { ProcedureIndex } from './search.js';

const language = loadLanguage('content');

function procedure(code: string, name: string, aliases: string[] = []): Procedure {
  return {
    code,
    name,
    field: 'Hộ tịch',
    documents: ['Tờ khai'],
    processingTime: '1 ngày',
    fees: 'Miễn phí',
    submitAt: 'UBND xã',
    onlineUrl: null,
    onlineLevel: null,
    legalBasis: [],
    aliases,
    situations: [],
    audience: null,
    source: null,
    active: true,
  };
}

const catalog = [
  procedure('1.001193', 'Thủ tục đăng ký khai sinh', ['giấy khai sinh']),
  procedure('1.003583', 'Thủ tục đăng ký khai sinh lưu động'),
  procedure('2.000528', 'Thủ tục đăng ký khai sinh có yếu tố nước ngoài'),
  procedure('1.004884', 'Thủ tục đăng ký lại khai sinh'),
  procedure('1.000894', 'Thủ tục đăng ký kết hôn'),
  procedure('1.000656', 'Thủ tục đăng ký khai tử'),
  procedure('9.000001', 'Xác nhận dạng hồ sơ'),
  procedure('9.000002', 'Xác nhận đăng hồ sơ'),
  { ...procedure('9.000003', 'Thủ tục đã bãi bỏ về khai sinh'), active: false },
];
const index = ProcedureIndex.build(catalog, language);
const codes = (q: string, n = 3) => index.search(q, n).map((h) => h.procedure.code);

describe('ProcedureIndex', () => {
  it('ranks the plain procedure above its variants for a plain question', () => {
    expect(codes('đăng ký khai sinh')[0]).toBe('1.001193');
    expect(codes('đăng ký kết hôn')[0]).toBe('1.000894');
  });

  it('ranks the variant the question names', () => {
    expect(codes('khai sinh lưu động')[0]).toBe('1.003583');
    expect(codes('khai sinh cho con có mẹ là người nước ngoài')[0]).toBe('2.000528');
    expect(codes('đăng ký lại khai sinh')[0]).toBe('1.004884');
  });

  it('finds the same procedure without diacritics, with abbreviations and with a typo', () => {
    expect(codes('dang ky ket hon')[0]).toBe('1.000894');
    expect(codes('dk kh')[0]).toBe('1.000894');
    expect(codes('khai sihn')[0]).toBe('1.001193');
    expect(codes('khaisinh')[0]).toBe('1.001193');
  });

  it('scores an exact name or alias 1 and keeps every score within 0–1', () => {
    expect(index.search('giấy khai sinh', 1)[0]).toMatchObject({ score: 1 });
    for (const q of ['khai sinh', 'dang ky', 'kết hôn lưu động nước ngoài', 'xyz']) {
      for (const hit of index.search(q, 5)) {
        expect(hit.score).toBeGreaterThan(0);
        expect(hit.score).toBeLessThanOrEqual(1);
      }
    }
  });

  it('prefers the exact-diacritic match over a folded one', () => {
    const [first, second] = index.search('xác nhận đăng hồ sơ', 2);
    expect(first!.procedure.code).toBe('9.000002');
    expect(second!.procedure.code).toBe('9.000001');
    expect(first!.score).toBeGreaterThan(second!.score);
    // Typed without accents, both are equally plausible.
    const plain = index.search('xac nhan dang ho so', 2);
    expect(plain[0]!.score).toBe(plain[1]!.score);
  });

  it('scores an unaccented question slightly lower than the accented one, not differently ranked', () => {
    const accented = index.search('đăng ký kết hôn', 1)[0]!;
    const plain = index.search('dang ky ket hon', 1)[0]!;
    expect(plain.procedure.code).toBe(accented.procedure.code);
    expect(plain.score).toBeLessThan(accented.score);
    expect(plain.score).toBeGreaterThan(0.9);
  });

  it('finds a procedure by its national code', () => {
    expect(index.search('mã 1.000656', 1)[0]).toMatchObject({ score: 1, procedure: { code: '1.000656' } });
  });

  it('does not index inactive procedures', () => {
    expect(index.byCode('9.000003')).toBeUndefined();
    expect(codes('bãi bỏ')).not.toContain('9.000003');
  });

  it('gives a question about something else no good score', () => {
    for (const q of ['thời tiết hôm nay', 'giá vàng', 'mua xe máy']) {
      expect(index.search(q, 1)[0]?.score ?? 0).toBeLessThan(0.45);
    }
  });

  it('recognises a question that names only a field', () => {
    expect(index.matchField(analyze('các thủ tục hộ tịch', language))).toBe('Hộ tịch');
    expect(index.matchField(analyze('ho tich', language))).toBe('Hộ tịch');
    expect(index.matchField(analyze('hộ tịch khai sinh', language))).toBeNull();
    expect(index.fields()).toEqual(['Hộ tịch']);
  });
});

describe('ProcedureIndex over the whole record', () => {
  const records = [
    { ...procedure('1.000656', 'Thủ tục đăng ký khai tử'), situations: ['gia đình có người vừa qua đời'], audience: 'Người thân của người đã mất' },
    { ...procedure('1.001776', 'Thực hiện trợ cấp xã hội hàng tháng'), situations: ['ông bị mù hai mắt, muốn xin trợ cấp'] },
    procedure('1.014027', 'Thực hiện trợ cấp hưu trí xã hội'),
    { ...procedure('9.000010', 'Cấp sổ bảo hiểm xã hội tự nguyện'), field: 'Bảo hiểm' },
  ];
  const whole = ProcedureIndex.build(records, language);
  const top = (q: string) => whole.search(q, 3)[0];

  it('finds a procedure by a situation in the citizen words, a name match still weighing more', () => {
    expect(top('ông tôi bị mù hai mắt từ nhỏ muốn xin trợ cấp')!.procedure.code).toBe('1.001776');
    const byName = top('đăng ký khai tử')!;
    const bySituation = top('gia đình có người vừa qua đời')!;
    expect(byName.procedure.code).toBe('1.000656');
    expect(bySituation.procedure.code).toBe('1.000656');
    expect(byName.score).toBeGreaterThan(bySituation.score);
  });

  it("expands initialisms of the catalog's own compounds (bhxh → bảo hiểm xã hội)", () => {
    expect(top('cấp sổ bhxh tự nguyện')!.procedure.code).toBe('9.000010');
  });

  it('lets context words only support: a long story does not sink the need', () => {
    const analysis = analyze('đăng ký khai tử', language);
    const story = analyze('nhà tôi ở xóm trên gần chợ cũ bên kia sông', language).content.map((t) => ({ ...t, salience: 0.3 }));
    const plain = whole.searchAnalysis(analysis, 1)[0]!;
    const withStory = whole.searchAnalysis({ ...analysis, content: [...story, ...analysis.content] }, 1)[0]!;
    expect(withStory.procedure.code).toBe('1.000656');
    expect(withStory.score).toBeCloseTo(plain.score, 2);
  });
});

describe('situations shared by several procedures', () => {
  it('scores a situation said the same way by two procedures for both of them, as if each had its own', () => {
    const situation = 'nhà bị cháy mất hết giấy tờ';
    const shared = ProcedureIndex.build(
      [
        { ...procedure('1.004884', 'Thủ tục đăng ký lại khai sinh'), situations: [situation] },
        { ...procedure('1.004746', 'Thủ tục đăng ký lại kết hôn'), situations: [situation] },
        procedure('1.000894', 'Thủ tục đăng ký kết hôn'),
      ],
      language,
    );
    const alone = ProcedureIndex.build([{ ...procedure('1.004884', 'Thủ tục đăng ký lại khai sinh'), situations: [situation] }, procedure('1.000894', 'Thủ tục đăng ký kết hôn')], language);
    const hits = shared.search('nhà tôi bị cháy mất hết giấy tờ');
    expect(hits.slice(0, 2).map((h) => h.procedure.code).sort()).toEqual(['1.004746', '1.004884']);
    expect(hits[0]!.score).toBe(hits[1]!.score);
    expect(hits[0]!.score).toBeGreaterThan(0.5);
    expect(alone.search('nhà tôi bị cháy mất hết giấy tờ')[0]!.procedure.code).toBe('1.004884');
  });
});

describe('ProcedureIndex pruning', () => {
  // A search skips the phrases that cannot reach its k best documents; with a limit above the catalog's size nothing
  // is skipped. The first k hits must be the same either way, scores, recall and precision included.
  const real = JSON.parse(fs.readFileSync('content/procedures.json', 'utf8')) as Procedure[];
  const grown = [...real];
  for (let i = real.length; i < 1200; i++) {
    const base = real[i % real.length]!;
    grown.push({ ...base, code: `9.${String(i).padStart(6, '0')}`, name: `${base.name} ${['cho cá nhân', 'cho tổ chức', 'theo yêu cầu'][i % 3]}` });
  }
  const big = ProcedureIndex.build(grown, language);
  const questions = [
    'đăng ký khai sinh cho con',
    'dang ky ket hon can giay to gi',
    'làm lại căn cước bị mất',
    'xin giấy xác nhận tình trạng hôn nhân để đi xuất khẩu lao động',
    'bố em năm nay 82 tuổi bị tai biến, sáng nay ông đã mất tại nhà, gia đình muốn báo tử thì cần mang giấy tờ gì',
    'nhà tôi có mảnh vườn sử dụng từ năm 1990, chưa có sổ đỏ, muốn làm giấy chứng nhận quyền sử dụng đất lần đầu',
    'chung thuc ban sao bang tot nghiep',
    'tro cap cho nguoi khuyet tat nang',
  ];

  it('returns the same first hits as a search that scores every phrase', () => {
    for (const q of questions) {
      for (const k of [1, 3, 8]) {
        const pruned = big.search(q, k);
        expect(pruned.length, q).toBe(k);
        expect(pruned, `${q} (limit ${k})`).toEqual(big.search(q, grown.length + 10).slice(0, k));
      }
    }
  });
});
