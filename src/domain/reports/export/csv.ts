import type { Writable } from 'node:stream';
import type { Tallies } from '../tallies.js';
import { csvCell } from '../../tabular/csv.js';
import { writeAll } from './stream.js';
import { reportLines, TABLE_HEADERS } from './table.js';

const BOM = '\uFEFF';

/**
 * The statistics table as CSV: UTF-8 with a byte-order mark so Excel shows Vietnamese correctly, CRLF line ends,
 * one line per table line after a header line. The first column repeats the period so pasted rows stay labelled.
 */
export async function writeCsv(t: Tallies, out: Writable): Promise<void> {
  await writeAll(out, `${BOM}${['Kỳ báo cáo', ...TABLE_HEADERS].map((v) => csvCell(v)).join(',')}\r\n`);
  for (const l of reportLines(t)) {
    await writeAll(out, `${[t.period.label, l.no, l.item, l.service, l.manual, l.total].map((v) => csvCell(v)).join(',')}\r\n`);
  }
}
