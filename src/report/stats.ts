/**
 * Small helpers for the report: reading the results folder's CSV files and the percentiles of a
 * list of values across runs (core/stats.ts, as indicators.csv).
 */
import { readFileSync } from 'node:fs';
import { quantileSorted, sortedCopy } from '../core/stats.js';

/** A parsed CSV row: column name to text. */
export type Row = Record<string, string>;

/** Splits one CSV line, honouring double-quoted fields ("" is a quote inside one). */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parses CSV text with a header line; `keep` filters rows on the first field before splitting the rest. */
export function parseCsv(text: string, keep?: (line: string) => boolean): Row[] {
  const lines = text.split('\n');
  const head = splitLine(lines[0] ?? '');
  const rows: Row[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '' || (keep && !keep(line))) continue;
    const cells = splitLine(line);
    const row: Row = {};
    head.forEach((h, c) => (row[h] = cells[c] ?? ''));
    rows.push(row);
  }
  return rows;
}

/** Reads and parses a CSV file. */
export function readCsv(file: string, keep?: (line: string) => boolean): Row[] {
  return parseCsv(readFileSync(file, 'utf8'), keep);
}

/** A number from a CSV cell; empty cells are undefined. */
export function num(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** The five quantiles a fan chart draws: 90% band, 50% band and the median. */
export interface Fan { p05: number; p25: number; p50: number; p75: number; p95: number; mean: number; n: number }

/** Fan quantiles of values across runs. */
export function fan(values: readonly number[]): Fan {
  const s = sortedCopy(values);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { p05: quantileSorted(s, 0.05), p25: quantileSorted(s, 0.25), p50: quantileSorted(s, 0.5), p75: quantileSorted(s, 0.75), p95: quantileSorted(s, 0.95), mean, n: s.length };
}
