/**
 * CSV, one way for the whole project: the writer of every CSV file of a results folder and the
 * parser that reads them back (the report, the tests). Comma-separated, '\n' after every line
 * (the header included), a field quoted when it holds a comma, a double quote or a line break
 * ("" for a quote inside it). A line break inside a quoted field is written but not read back:
 * no file of a results folder has one.
 *
 * A typed table (csvTable) names a file's columns, in order, with the kind of each: its writer
 * and its reader then agree by construction.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A parsed CSV row: column name to text. */
export type Cells = Record<string, string>;

/** A text field as CSV: quoted when it has to be. */
export const csvField = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Splits one CSV line, honouring double-quoted fields ("" is a quote inside one). */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let cur = '',
    quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Field `k` of a line, without splitting the whole line when no field is quoted. */
function fieldAt(line: string, k: number): string | undefined {
  if (line.includes('"')) return splitLine(line)[k];
  let start = 0;
  for (let i = 0; i < k; i++) {
    start = line.indexOf(',', start) + 1;
    if (start === 0) return undefined;
  }
  const end = line.indexOf(',', start);
  return line.slice(start, end < 0 ? undefined : end);
}

/** Rows whose field in column `column` is one of `values` (the others are skipped before they are split). */
export interface CsvFilter {
  column: string;
  values: ReadonlySet<string>;
}

/** Parses CSV text with a header line; `where` keeps only some rows. */
export function parseCsv(text: string, where?: CsvFilter): Cells[] {
  const lines = text.split('\n');
  const head = splitLine(lines[0] ?? '');
  const k = where ? head.indexOf(where.column) : -1;
  const rows: Cells[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '' || (where && !where.values.has(fieldAt(line, k) ?? ''))) continue;
    const cells = splitLine(line);
    const row: Cells = {};
    head.forEach((h, c) => (row[h] = cells[c] ?? ''));
    rows.push(row);
  }
  return rows;
}

/** Reads and parses a CSV file. */
export function readCsv(file: string, where?: CsvFilter): Cells[] {
  return parseCsv(readFileSync(file, 'utf8'), where);
}

/**
 * The kind of a column: `text` (quoted when needed); `number` (String(v), NaN and Infinity as
 * such, blank when there is none); `finite` (like number, but blank for NaN and Infinity);
 * `yesno` (a boolean as yes or no). A blank number reads back as undefined.
 */
export type CsvKind = 'text' | 'number' | 'finite' | 'yesno';
type KindOf<V> = [V] extends [string] ? 'text' : [V] extends [number] ? 'number' | 'finite' : [V] extends [boolean] ? 'yesno' : never;
/** Every field of row type R, in the file's column order, with its kind. */
export type CsvColumns<R> = { readonly [K in keyof R]-?: KindOf<Exclude<R[K], undefined>> };

/** A CSV file of a results folder: its name, columns, writer and reader. */
export interface CsvTable<R> {
  readonly file: string;
  /** The header line (without its line end). */
  readonly header: string;
  /** One row as a line (without its line end). */
  line(row: R): string;
  /** The whole file: the header and the rows, each line ended by '\n'. */
  text(rows: Iterable<R>): string;
  /** Parses a file's text; `where` keeps only some rows. */
  parse(text: string, where?: { column: keyof R & string; values: ReadonlySet<string> }): R[];
  /** Reads the file from folder `dir`. */
  read(dir: string, where?: { column: keyof R & string; values: ReadonlySet<string> }): R[];
}

const writeCell = (kind: CsvKind, v: unknown): string => {
  if (kind === 'text') return csvField(String(v ?? ''));
  if (kind === 'yesno') return v ? 'yes' : 'no';
  if (v === undefined || (kind === 'finite' && !Number.isFinite(v))) return '';
  return String(v);
};
const readCell = (kind: CsvKind, s: string): unknown => {
  if (kind === 'text') return s;
  if (kind === 'yesno') return s === 'yes';
  return s === '' ? undefined : Number(s);
};

/** The table of `file` with `columns` (their order is the file's). */
export function csvTable<R>(file: string, columns: CsvColumns<R>): CsvTable<R> {
  const cols = Object.entries(columns) as [string, CsvKind][];
  const header = cols.map(([name]) => name).join(',');
  const line = (row: R): string => cols.map(([name, kind]) => writeCell(kind, (row as Record<string, unknown>)[name])).join(',');
  const parse = (text: string, where?: CsvFilter): R[] =>
    parseCsv(text, where).map((cells) => {
      const row: Record<string, unknown> = {};
      for (const [name, kind] of cols) row[name] = readCell(kind, cells[name] ?? '');
      return row as R;
    });
  return {
    file,
    header,
    line,
    text(rows) {
      const lines = [header];
      for (const r of rows) lines.push(line(r));
      return lines.join('\n') + '\n';
    },
    parse,
    read: (dir, where) => parse(readFileSync(join(dir, file), 'utf8'), where),
  };
}
