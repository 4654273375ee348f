/**
 * `npm run import -- procedures|hotlines|commune FILE [--dry-run] [--format json|csv|xlsx]`
 * Imports a staff member's file into the database, all or nothing. Exit code 1 when the file is refused.
 */
import { prepareForCommand } from './commune-flag.js';
import fs from 'node:fs';
import path from 'node:path';
import { importCommuneProfile } from '../domain/commune/profile.import.js';
import { importHotlines } from '../domain/hotlines/import.js';
import { trackCatalogChanges } from '../domain/content/catalog-update-post.js';
import { importProcedures } from '../domain/procedures/import.js';
import { fileFormats, formatFromFileName, type FileFormat, type ImportIssue } from '../domain/tabular/format.js';
import { cliLogger, loadCliConfig, parseCommandLine, usageError } from './support.js';

const usage = `Cách dùng: npm run import -- procedures|hotlines|commune TỆP [--dry-run] [--format json|csv|xlsx]
  procedures  danh mục thủ tục hành chính (JSON, CSV hoặc Excel .xlsx)
  hotlines    danh bạ số điện thoại, đường dây nóng (JSON, CSV hoặc .xlsx)
  commune     thông tin xã (JSON, cùng dạng content/commune.json)
  --dry-run   chỉ kiểm tra tệp, không ghi vào cơ sở dữ liệu`;

const nouns = { procedures: 'thủ tục', hotlines: 'số điện thoại', commune: 'thông tin xã' } as const;
type Kind = keyof typeof nouns;

const { values, positionals } = parseCommandLine({ 'dry-run': { type: 'boolean', default: false }, format: { type: 'string' } }, usage);
const [kindArg, file] = positionals;
if (!kindArg || !(kindArg in nouns)) usageError(`Thiếu hoặc sai loại dữ liệu «${kindArg ?? ''}».`, usage);
const kind = kindArg as Kind;
if (!file) usageError('Thiếu đường dẫn tệp cần nhập.', usage);
const format = (values.format ?? formatFromFileName(file)) as FileFormat | null;
if (!format || !fileFormats.includes(format)) {
  usageError(`Không biết định dạng của tệp «${path.basename(file)}»: hãy dùng tệp .json, .csv, .xlsx hoặc thêm --format.`, usage);
}
if (kind === 'commune' && format !== 'json') usageError('Thông tin xã chỉ nhập từ tệp JSON.', usage);
let bytes: Buffer;
try {
  bytes = fs.readFileSync(file);
} catch (e) {
  console.error(`Không đọc được tệp «${file}»: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  process.exit(2);
}

const config = loadCliConfig();
const log = cliLogger(config);
const dryRun = values['dry-run'] ?? false;
const handle = await prepareForCommand(config);
let exitCode = 0;
try {
  let drafted: string | null = null;
  const result =
    kind === 'procedures'
      ? dryRun
        ? await importProcedures(handle.db, bytes, format, { dryRun })
        : await trackCatalogChanges(handle.db, { source: 'import', who: 'cli' }, () => importProcedures(handle.db, bytes, format)).then((t) => ((drafted = t.postSlug), t.result))
      : kind === 'hotlines'
        ? await importHotlines(handle.db, bytes, format, { dryRun })
        : await importCommuneProfile(handle.db, bytes, { dryRun });
  if (result.ok) {
    console.log(
      dryRun
        ? `Tệp hợp lệ: ${result.count} ${nouns[kind]} (sẽ thêm mới ${result.created}, sẽ cập nhật ${result.updated}). Chưa ghi gì vào cơ sở dữ liệu (--dry-run).`
        : `Đã nhập ${result.count} ${nouns[kind]} từ «${path.basename(file)}» (thêm mới ${result.created}, cập nhật ${result.updated}).`,
    );
    if (drafted) console.log(`Đã soạn bài nháp «Cập nhật thủ tục hành chính mới ban hành, sửa đổi, bổ sung, bãi bỏ» (${drafted}); bài chỉ được đăng khi cán bộ đưa vào lịch đăng.`);
    if (result.ignoredColumns.length > 0) {
      console.log(`Các cột không dùng đến nên đã bỏ qua: ${result.ignoredColumns.map((c) => `«${c}»`).join(', ')}.`);
    }
    log.info({ kind, file, format, dryRun, count: result.count }, 'import accepted');
  } else {
    printRefusal(file, result.errors);
    log.warn({ kind, file, format, errors: result.errors.length }, 'import refused; database unchanged');
    exitCode = 1;
  }
} finally {
  await handle.close();
}
process.exit(exitCode);

function printRefusal(name: string, errors: ImportIssue[]) {
  console.error(`Tệp «${path.basename(name)}» bị từ chối, cơ sở dữ liệu không thay đổi. Cần sửa ${errors.length} lỗi:`);
  for (const e of errors) console.error(`  - ${e.message}`);
}
