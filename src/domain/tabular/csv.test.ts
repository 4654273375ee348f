import { describe, expect, it } from 'vitest';
import { joinList, splitList } from './columns.js';
import { decodeCsv, parseCsv, writeCsv } from './csv.js';

describe('CSV', () => {
  it('reads quoted cells with delimiters, doubled quotes and line breaks; rows are numbered as a spreadsheet shows them', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n\r\n"line 1\nline 2",z\n';
    expect(parseCsv(text, ',')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['line 1\nline 2', 'z'] },
    ]);
  });

  it('writes what it reads back', () => {
    const rows = [
      ['Mã', 'Phí, lệ phí'],
      ['1.001193', 'a "quoted" ; text\nsecond line'],
      [' padded ', ''],
    ];
    expect(parseCsv(writeCsv(rows), ',').map((r) => r.cells)).toEqual(rows);
    expect(parseCsv(writeCsv(rows, ';'), ';').map((r) => r.cells)).toEqual(rows);
  });

  it('decodes UTF-8 and UTF-16 with a BOM and rejects other encodings', () => {
    expect(decodeCsv(Buffer.from('Mã thủ tục', 'utf8'))).toBe('Mã thủ tục');
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Mã', 'utf16le')]))).toBe('Mã');
    expect(decodeCsv(Buffer.from([0x4d, 0xe3, 0x20]))).toBeNull();
  });
});

describe('list cells', () => {
  it('split at line breaks when there are any, otherwise at ";", dropping bullets and empty items', () => {
    expect(splitList('- Tờ khai\r\n• Giấy chứng sinh; bản sao\n\n')).toEqual(['Tờ khai', 'Giấy chứng sinh; bản sao']);
    expect(splitList('Luật A; Nghị định B ;')).toEqual(['Luật A', 'Nghị định B']);
    expect(splitList('')).toEqual([]);
  });

  it('join so that splitting gives the same list, even for one item containing ";"', () => {
    for (const list of [['a; b'], ['a', 'b; c'], ['một'], []]) expect(splitList(joinList(list))).toEqual(list);
  });
});
