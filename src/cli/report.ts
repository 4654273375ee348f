/**
 * The periodic report from the command line, and the outreach recorded by hand.
 *
 *   npm run --silent report -- --period 2024-H1 --format json|csv|xlsx|docx [--out FILE]
 *   npm run --silent report -- add --date 2024-03-05 --channel radio --count 4 [--topic "…"] [--note "…"] [--by NAME]
 *   npm run --silent report -- list --period 2024-H1
 *   npm run --silent report -- delete ID
 *   npm run --silent report -- rebuild [--from 2024-01-01] [--to 2024-12-31]
 */
import { prepareForCommand } from './commune-flag.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { exportFileName, exportReport, EXPORT_FORMATS, isExportFormat, isTextFormat } from '../domain/reports/export/index.js';
import { MANUAL_CHANNEL_LABELS, ManualEntryError, validateManualEntry, type StoredManualEntry } from '../domain/reports/manual.js';
import { deleteManualEntry, insertManualEntry, listManualEntries } from '../domain/reports/manual.repo.js';
import { parsePeriod, PeriodError, vietnameseDate } from '../domain/reports/period.js';
import { rebuildTallies } from '../domain/reports/rollups.repo.js';
import { computeTallies } from '../domain/reports/tallies.js';

const USAGE = `Cách dùng:
  npm run --silent report -- --period 2024-H1 --format json|csv|xlsx|docx [--out TỆP]
      Kỳ báo cáo: 2024, 2024-H1, 2024-H2, 2024-Q1…Q4, 2024-9M, 2024-05, 2024-01-15..2024-03-31.
      json và csv in ra màn hình khi không có --out; xlsx và docx ghi vào tệp.
  npm run --silent report -- add --date 2024-03-05 --channel radio --count 4 [--topic "…"] [--note "…"] [--by TÊN]
      Ghi nhận tin, bài tuyên truyền ngoài hệ thống. Kênh: ${Object.entries(MANUAL_CHANNEL_LABELS).map(([k, v]) => `${k} (${v})`).join(', ')}.
  npm run --silent report -- list --period 2024-H1
  npm run --silent report -- delete ID
  npm run --silent report -- rebuild [--from 2024-01-01] [--to 2024-12-31]
      Tính lại số liệu tổng hợp theo ngày từ nhật ký tin nhắn.`;

/** A mistake in the command line: shown to staff in Vietnamese with the usage. */
class UsageError extends Error {}

function describe(e: StoredManualEntry): string {
  const parts = [`#${e.id}`, vietnameseDate(e.date), MANUAL_CHANNEL_LABELS[e.channel], `${e.count} tin, bài`];
  if (e.topic) parts.push(`chủ đề: ${e.topic}`);
  if (e.note) parts.push(`ghi chú: ${e.note}`);
  parts.push(`người nhập: ${e.createdBy}`);
  return parts.join(' | ');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      period: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      date: { type: 'string' },
      channel: { type: 'string' },
      count: { type: 'string' },
      topic: { type: 'string' },
      note: { type: 'string' },
      by: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = positionals[0] ?? 'export';
  if (!['export', 'add', 'list', 'delete', 'rebuild'].includes(command)) throw new UsageError(`Không có lệnh "${command}".`);

  // Checked before the database opens, so a typo costs nothing.
  const period = command === 'export' || command === 'list' ? parsePeriod(values.period ?? missing('--period')) : null;
  const format = values.format ?? 'json';
  if (command === 'export' && !isExportFormat(format)) throw new UsageError(`Định dạng "${format}" không hỗ trợ: chọn ${EXPORT_FORMATS.join(', ')}.`);
  const entry =
    command === 'add'
      ? validateManualEntry({
          date: values.date ?? missing('--date'),
          channel: values.channel ?? missing('--channel'),
          count: values.count ?? missing('--count'),
          topic: values.topic,
          note: values.note,
          createdBy: values.by ?? `cli:${os.userInfo().username}`,
        })
      : null;
  const id = command === 'delete' ? Number(positionals[1]) : NaN;
  if (command === 'delete' && !(Number.isInteger(id) && id > 0)) throw new UsageError('Nhập số thứ tự (ID) của mục cần xoá, ví dụ: report -- delete 12.');
  const from = values.from ? parsePeriod(values.from).firstDay : undefined;
  const to = values.to ? parsePeriod(values.to).lastDay : undefined;

  const db = await prepareForCommand(loadConfig());
  try {
    switch (command) {
      case 'export': {
        const tallies = await computeTallies(db.db, period!);
        const fmt = format as (typeof EXPORT_FORMATS)[number];
        if (!values.out && isTextFormat(fmt)) {
          // stdout must stay open after the export ends its stream.
          const pass = new PassThrough();
          const drained = new Promise((resolve) => pass.once('end', resolve));
          pass.pipe(process.stdout, { end: false });
          await exportReport(tallies, fmt, pass);
          await drained;
          return 0;
        }
        const file = path.resolve(values.out ?? exportFileName(tallies, fmt));
        await exportReport(tallies, fmt, fs.createWriteStream(file));
        process.stderr.write(`Đã ghi báo cáo ${tallies.period.label} vào ${file}\n`);
        return 0;
      }
      case 'add': {
        const stored = await insertManualEntry(db.db, entry!);
        process.stdout.write(`Đã ghi nhận: ${describe(stored)}\n`);
        return 0;
      }
      case 'list': {
        const rows = await listManualEntries(db.db, period!.firstDay, period!.lastDay);
        if (rows.length === 0) process.stdout.write(`Không có tin, bài nào ghi nhận thủ công trong ${period!.label}.\n`);
        for (const r of rows) process.stdout.write(`${describe(r)}\n`);
        return 0;
      }
      case 'delete': {
        const removed = await deleteManualEntry(db.db, id);
        if (!removed) {
          process.stderr.write(`Không có mục ghi nhận thủ công nào có ID ${id}.\n`);
          return 1;
        }
        process.stdout.write(`Đã xoá: ${describe(removed)}\n`);
        return 0;
      }
      default: {
        const written = await rebuildTallies(db.db, from, to);
        process.stdout.write(`Đã tính lại số liệu tổng hợp (${written} dòng).\n`);
        return 0;
      }
    }
  } finally {
    await db.close();
  }
}

function missing(option: string): never {
  throw new UsageError(`Thiếu ${option}.`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof PeriodError || e instanceof ManualEntryError || e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
    } else if (e instanceof UsageError || (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${e.message}\n\n${USAGE}\n`);
    } else {
      process.stderr.write(`report failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    process.exit(2);
  },
);
