/**
 * `npm run communes -- list [--json] | add SLUG --name "Xã …" [--catalog SLUG] | import FILE [--dry-run] |
 * export [--format json|csv] [--out FILE]`: the communes of an installation (province level: no --commune).
 * `npm run communes -- channel …`: each commune's platform accounts (src/cli/channel-accounts.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openInstallation } from '../app/prepare.js';
import { applyCommuneRows, parseCommuneFile, renderCommuneFile } from '../domain/commune/communes.file.js';
import { createCommune, findCommuneBySlug, isCommuneSlug, listCommunes } from '../domain/commune/communes.repo.js';
import { cliLogger, loadCliConfig, parseCommandLine, usageError } from './support.js';

// `communes -- channel …` is the channel accounts' command (its own options); it runs instead of this one.
// `communes -- override …` is the procedure overrides' command.
if (process.argv[2] === 'channel' || process.argv[2] === 'override') {
  await import(process.argv[2] === 'channel' ? './channel-accounts.js' : './procedure-overrides.js');
  await new Promise(() => {}); // the command ends the process itself
}

const usage = `Cách dùng: npm run communes -- list [--json]
       npm run communes -- add MÃ-XÃ --name "Xã Minh Tiến" [--catalog MÃ-DANH-MỤC]
       npm run communes -- import TỆP.json|TỆP.csv [--dry-run]     (cột: slug, name, catalog)
       npm run communes -- export [--format json|csv] [--out TỆP]
       npm run communes -- channel list|set|enable|disable|remove …   (tài khoản kênh của từng xã, xem -- channel --help)
       npm run communes -- override list|set|clear …   (thay đổi riêng của xã trên danh mục chung, xem -- override --help)
  MÃ-XÃ (slug): chữ thường không dấu, số, dấu gạch ngang, ví dụ xa-minh-tien; dùng trong --commune của các lệnh khác.`;

const { values, positionals } = parseCommandLine(
  {
    name: { type: 'string' },
    catalog: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
  },
  usage,
);
const [command, arg] = positionals;
if (!command || !['list', 'add', 'import', 'export'].includes(command)) usageError(`Thiếu hoặc sai lệnh «${command ?? ''}».`, usage);

const config = loadCliConfig();
const log = cliLogger(config);
const installation = await openInstallation(config);
const root = installation.db;
let exitCode = 0;
try {
  if (command === 'list') {
    const communes = await listCommunes(root);
    if (values.json) console.log(JSON.stringify(communes.map((c) => ({ slug: c.slug, name: c.name, catalog: c.catalogSlug }))));
    else if (communes.length === 0) console.log('Chưa có xã nào.');
    else for (const c of communes) console.log(`${c.slug}\t${c.name}\t(danh mục: ${c.catalogSlug})`);
  } else if (command === 'add') {
    const slug = (arg ?? '').trim();
    const name = (values.name ?? '').normalize('NFC').trim();
    if (!isCommuneSlug(slug)) usageError(`Mã xã «${slug}» không hợp lệ: chỉ gồm chữ thường không dấu, số và dấu gạch ngang.`, usage);
    if (!name) usageError('Thiếu tên xã: thêm --name "Xã …".', usage);
    if (values.catalog !== undefined && !isCommuneSlug(values.catalog)) usageError(`Mã danh mục «${values.catalog}» không hợp lệ.`, usage);
    if (await findCommuneBySlug(root, slug)) {
      console.error(`Đã có xã mã «${slug}». / Commune "${slug}" already exists.`);
      exitCode = 1;
    } else {
      const row = await createCommune(root, { slug, name, catalogSlug: values.catalog });
      log.info({ slug, catalog: row.catalogSlug }, 'commune added');
      console.log(`Đã thêm xã «${row.name}» (mã ${row.slug}, danh mục ${row.catalogSlug}).`);
    }
  } else if (command === 'import') {
    if (!arg) usageError('Thiếu đường dẫn tệp cần nhập.', usage);
    const format = path.extname(arg).toLowerCase() === '.csv' ? 'csv' : 'json';
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(arg);
    } catch (e) {
      usageError(`Không đọc được tệp «${arg}»: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, usage);
    }
    const parsed = parseCommuneFile(bytes, format);
    if (!parsed.ok) {
      console.error(`Tệp «${path.basename(arg)}» chưa nhập được, không có gì thay đổi:`);
      for (const issue of parsed.errors) console.error(`  - ${issue.message}`);
      log.warn({ file: arg, problems: parsed.errors.length }, 'communes import refused');
      exitCode = 1;
    } else if (values['dry-run']) {
      console.log(`Tệp hợp lệ: ${parsed.rows.length} xã (chưa ghi vì --dry-run).`);
    } else {
      const r = await applyCommuneRows(root, parsed.rows);
      log.info({ file: arg, ...r }, 'communes imported');
      console.log(`Đã nhập ${parsed.rows.length} xã: ${r.created} xã mới, ${r.updated} xã đổi tên.`);
    }
  } else {
    const format = values.format ?? (values.out && path.extname(values.out).toLowerCase() === '.csv' ? 'csv' : 'json');
    if (format !== 'json' && format !== 'csv') usageError(`Định dạng «${format}» không hỗ trợ: dùng json hoặc csv.`, usage);
    const body = renderCommuneFile(await listCommunes(root), format);
    if (values.out) {
      fs.writeFileSync(values.out, body);
      console.error(`Đã ghi ${values.out}.`);
    } else process.stdout.write(body);
  }
} finally {
  await installation.close();
}
process.exit(exitCode);
