/**
 * `npm run export -- procedures|hotlines|commune --format json|csv|xlsx [--out FILE]`
 * Writes the catalog in the layout `npm run import` reads back. Without --out, JSON and CSV go to stdout and
 * XLSX to a dated file in the current folder.
 */
import { prepareForCommand } from './commune-flag.js';
import fs from 'node:fs';
import { exportCommuneProfile } from '../domain/commune/profile.import.js';
import { exportHotlines } from '../domain/hotlines/export.js';
import { exportProcedures } from '../domain/procedures/export.js';
import { fileFormats, type FileFormat } from '../domain/tabular/format.js';
import { cliLogger, loadCliConfig, parseCommandLine, usageError } from './support.js';

const usage = `Cách dùng: npm run export -- procedures|hotlines|commune --format json|csv|xlsx [--out TỆP]
  Không có --out: JSON và CSV in ra màn hình, XLSX ghi vào tệp có ngày trong thư mục hiện tại.
  Tệp xuất ra có thể sửa rồi nhập lại bằng npm run import.`;

const kinds = ['procedures', 'hotlines', 'commune'] as const;
type Kind = (typeof kinds)[number];

const { values, positionals } = parseCommandLine(
  { format: { type: 'string', default: 'json' }, out: { type: 'string' } },
  usage,
);
const kind = positionals[0] as Kind | undefined;
if (!kind || !kinds.includes(kind)) usageError(`Thiếu hoặc sai loại dữ liệu «${positionals[0] ?? ''}».`, usage);
const format = values.format as FileFormat;
if (!fileFormats.includes(format)) usageError(`Định dạng «${values.format}» không hỗ trợ.`, usage);
if (kind === 'commune' && format !== 'json') usageError('Thông tin xã chỉ xuất ra JSON.', usage);

const config = loadCliConfig();
const log = cliLogger(config);
const handle = await prepareForCommand(config);
let exitCode = 0;
try {
  const file =
    kind === 'procedures'
      ? await exportProcedures(handle.db, format)
      : kind === 'hotlines'
        ? await exportHotlines(handle.db, format)
        : await exportCommuneProfile(handle.db);
  if (!file) {
    console.error('Chưa có thông tin xã trong cơ sở dữ liệu.');
    exitCode = 1;
  } else {
    // Dated in Vietnam time: the file name is for people in Vietnam.
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const out = values.out ?? (format === 'xlsx' ? file.fileName.replace(/\.xlsx$/, `-${today}.xlsx`) : undefined);
    if (out) {
      fs.writeFileSync(out, file.body);
      console.error(`Đã xuất ra «${out}».`);
    } else {
      process.stdout.write(file.body);
    }
    log.info({ kind, format, out: out ?? 'stdout', bytes: file.body.length }, 'export written');
  }
} finally {
  await handle.close();
}
process.exit(exitCode);
