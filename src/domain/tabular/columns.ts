/**
 * How one table (procedures, hotlines) maps to files: each column has a Vietnamese label (written on export,
 * shown in error messages), the header names accepted on import, and a kind that says how a cell's text becomes
 * a value. The same description drives CSV, XLSX and JSON so an export re-imports unchanged.
 */
import { foldKey, normalizeText } from './text.js';

export type ColumnKind = 'text' | 'optionalText' | 'list' | 'boolean' | 'integer';

export interface ColumnSpec<K extends string = string> {
  /** Property name in JSON and in the domain type. */
  key: K;
  /** Vietnamese header written on export and named in error messages. */
  label: string;
  /** Other header names accepted on import (compared without diacritics, case or punctuation). */
  headers?: string[];
  kind: ColumnKind;
  /** A file without this column is refused. */
  required?: boolean;
  /** Spreadsheet width in characters. */
  width?: number;
  /** Repairs a number cell's text, e.g. a code typed as 1.00119 that Excel stored without its trailing zero. */
  fromNumber?: (text: string) => string;
  /** The column holds a link: a spreadsheet cell showing text over a hyperlink gives the link's target. */
  link?: boolean;
}

const headerIndexes = new WeakMap<readonly ColumnSpec[], Map<string, ColumnSpec>>();

/** Folded header name → column, built once per layout (every JSON property of every row is looked up). */
function headerIndex(columns: readonly ColumnSpec[]): Map<string, ColumnSpec> {
  let index = headerIndexes.get(columns);
  if (!index) {
    index = new Map();
    for (const c of columns) for (const h of [c.key, c.label, ...(c.headers ?? [])]) if (!index.has(foldKey(h))) index.set(foldKey(h), c);
    headerIndexes.set(columns, index);
  }
  return index;
}

/** Finds the column a header (or a JSON property) names, or undefined. */
export function columnForHeader<C extends ColumnSpec>(columns: readonly C[], header: string): C | undefined {
  const key = foldKey(header);
  if (key === '') return undefined;
  return headerIndex(columns).get(key) as C | undefined;
}

const bullet = /^\s*[•\-–+*]\s+/;

/**
 * Splits a list cell: one item per line when the cell has line breaks, otherwise items separated by ";".
 * Leading bullets ("- ", "• ") and empty items are dropped.
 */
export function splitList(text: string): string[] {
  const unified = text.replace(/\r\n?/g, '\n');
  const parts = unified.includes('\n') ? unified.split('\n') : unified.split(';');
  return parts.map((p) => normalizeText(p.replace(bullet, ''))).filter((p) => p !== '');
}

/**
 * Joins a list into one cell, one item per line. A single item containing ";" gets a trailing line break so that
 * {@link splitList} reads it back as one item rather than splitting it at the ";".
 */
export function joinList(items: readonly string[]): string {
  if (items.length === 1 && items[0]!.includes(';')) return `${items[0]}\n`;
  return items.join('\n');
}

const truthy = new Set(['co', 'x', 'true', '1', 'yes', 'y', 'dung', 'c']);
const falsy = new Set(['khong', 'false', '0', 'no', 'n', 'sai', 'k']);

/** "Có"/"Không" (and x, true/false, 1/0, yes/no); undefined for an empty cell; the text itself when unrecognised. */
export function parseBooleanText(text: string): boolean | string | undefined {
  const key = foldKey(text);
  if (key === '') return undefined;
  if (truthy.has(key)) return true;
  if (falsy.has(key)) return false;
  return normalizeText(text);
}

/** The value a cell's text stands for, before validation; undefined means "not given". */
export function cellValue(kind: ColumnKind, text: string): unknown {
  switch (kind) {
    case 'text':
      return normalizeText(text);
    case 'optionalText': {
      const t = normalizeText(text);
      return t === '' ? null : t;
    }
    case 'list':
      return splitList(text);
    case 'boolean':
      return parseBooleanText(text);
    case 'integer': {
      const t = normalizeText(text);
      if (t === '') return undefined;
      return /^[+-]?\d+$/.test(t) ? Number(t) : t;
    }
  }
}

/** The value a JSON property stands for, before validation: strings normalised, list text split. */
export function jsonValue(kind: ColumnKind, value: unknown): unknown {
  if (typeof value === 'string') {
    if (kind === 'list' || kind === 'boolean' || kind === 'integer' || kind === 'optionalText') return cellValue(kind, value);
    return normalizeText(value);
  }
  if (kind === 'list') {
    if (value === null) return [];
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? normalizeText(v) : v)).filter((v) => v !== '');
  }
  return value;
}

/** The text a value is written as in a CSV or XLSX cell (inverse of {@link cellValue}). */
export function cellTextOf(kind: ColumnKind, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'list':
      return joinList(value as string[]);
    case 'boolean':
      return value ? 'Có' : 'Không';
    default:
      return String(value);
  }
}
