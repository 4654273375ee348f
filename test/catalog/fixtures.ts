/** Small procedure files as staff would make them: built here so no binary fixture is needed. */
import ExcelJS from 'exceljs';
import type { Procedure } from '../../src/domain/procedures/procedure.js';

export const sampleProcedures: Procedure[] = [
  {
    code: '1.001193',
    name: 'Thủ tục đăng ký khai sinh',
    field: 'Hộ tịch',
    documents: ['Tờ khai đăng ký khai sinh theo mẫu', 'Giấy chứng sinh; không có thì văn bản người làm chứng'],
    processingTime: 'Trong ngày',
    fees: 'Miễn phí',
    submitAt: 'Trung tâm Phục vụ hành chính công xã',
    onlineUrl: 'https://dichvucong.gov.vn/p/1',
    onlineLevel: 'toàn trình',
    legalBasis: ['Luật Hộ tịch 60/2014/QH13'],
    aliases: ['làm giấy khai sinh', 'khai sinh cho con'],
    situations: ['vợ em vừa sinh cháu, muốn làm giấy tờ cho cháu', 'bé nhà tôi được 2 tuần tuổi; chưa có giấy tờ gì'],
    audience: 'Cha, mẹ hoặc người thân của trẻ mới sinh',
    source: 'dichvucong.gov.vn',
    active: true,
  },
  {
    code: '1.000894',
    name: 'Thủ tục đăng ký kết hôn',
    field: 'Hộ tịch',
    // One item containing ";": the export must keep it as one item.
    documents: ['Tờ khai đăng ký kết hôn; hai bên có thể khai chung'],
    processingTime: 'Trong ngày',
    fees: 'Miễn lệ phí',
    submitAt: 'Trung tâm Phục vụ hành chính công xã',
    onlineUrl: null,
    onlineLevel: null,
    legalBasis: [],
    aliases: [],
    situations: [],
    audience: null,
    source: null,
    active: false,
  },
  {
    code: 'XA-001',
    name: 'Xét tặng danh hiệu Gia đình văn hóa',
    field: 'Văn hóa cơ sở',
    documents: ['Văn bản đề nghị', 'Biên bản họp bình xét'],
    processingTime: '10 ngày',
    fees: 'Không',
    submitAt: 'UBND xã',
    onlineUrl: null,
    onlineLevel: 'một phần',
    legalBasis: ['Nghị định 86/2023/NĐ-CP'],
    aliases: ['gia đình văn hóa'],
    situations: ['nhà tôi muốn được công nhận gia đình văn hóa'],
    audience: 'Hộ gia đình trên địa bàn xã',
    source: 'thuvienphapluat.vn',
    active: true,
  },
];

export const vietnameseHeader = [
  'Mã thủ tục',
  'Tên thủ tục',
  'Lĩnh vực',
  'Thành phần hồ sơ',
  'Thời hạn giải quyết',
  'Phí, lệ phí',
  'Nơi nộp',
  'Đường dẫn DVC trực tuyến',
  'Mức độ',
  'Căn cứ pháp lý',
  'Từ khóa',
  'Tình huống',
  'Đối tượng thực hiện',
  'Nguồn',
  'Đang áp dụng',
];

/** A row of cells in the header's order, lists written with ";" as staff often do. */
export function sheetRow(p: Procedure): (string | number)[] {
  return [
    p.code,
    p.name,
    p.field,
    p.documents.join('\n'),
    p.processingTime,
    p.fees,
    p.submitAt,
    p.onlineUrl ?? '',
    p.onlineLevel ?? '',
    p.legalBasis.join('; '),
    p.aliases.join('; '),
    p.situations.join('\n'),
    p.audience ?? '',
    p.source ?? '',
    p.active ? 'Có' : 'Không',
  ];
}

/** A workbook like a staff member's: a title row, an STT column, then the header and rows. */
export async function staffWorkbook(rows: (string | number | ExcelJS.CellValue)[][], options: { title?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Ghi chú').addRow(['Bảng này do cán bộ một cửa lập']);
  const sheet = wb.addWorksheet('Danh mục TTHC');
  if (options.title ?? true) {
    sheet.addRow(['DANH MỤC THỦ TỤC HÀNH CHÍNH CẤP XÃ']);
    sheet.addRow([]);
  }
  sheet.addRow(['STT', ...vietnameseHeader]);
  rows.forEach((r, i) => sheet.addRow([i + 1, ...r]));
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

function csvCell(v: string): string {
  return /[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text with the given delimiter (Excel in a Vietnamese locale saves with ";"). */
export function staffCsv(rows: (string | number)[][], delimiter = ','): string {
  return [vietnameseHeader, ...rows].map((r) => r.map((c) => csvCell(String(c))).join(delimiter)).join('\r\n');
}
