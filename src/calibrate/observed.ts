/**
 * The observed series of data/observed/*.csv as the calibration reads them: rows of a tidy CSV
 * (`series,year,value,unit,source,...`, with a `city` column in the per-city files and an `area`
 * column for county-level units), looked up by series, region and year, with the value converted
 * to the model's unit.
 */
import { readFileSync } from 'node:fs';

/** One observed figure, in the model's unit, with its source and the CSV line it was read from. */
export interface ObservedFigure {
  value: number;
  source: string;
  line: number;
}

/** Persons per unit of a CSV `unit` (the model counts persons; rates and ratios stay as they are). */
const UNIT_FACTOR: Record<string, number> = { persons: 1, '10k persons': 1e4, '%': 1, 'per mille': 1, ratio: 1 };

/** Splits one CSV line (RFC 4180 quotes, no line breaks inside a field). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '',
    quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(field), (field = '');
    else field += c;
  }
  out.push(field);
  return out;
}

/** The figures of an observed CSV, keyed `series|region|year` (region `shanxi` in the province file). */
export type ObservedTable = Map<string, ObservedFigure>;

/** Reads an observed CSV; throws an Error naming the file and line of a row it cannot read. */
export function readObserved(file: string): ObservedTable {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const head = splitCsvLine(lines[0]);
  const col = (name: string) => head.indexOf(name);
  const [iSeries, iYear, iValue, iUnit, iSource, iCity, iArea] = ['series', 'year', 'value', 'unit', 'source', 'city', 'area'].map(col);
  if (iSeries < 0 || iYear < 0 || iValue < 0 || iUnit < 0 || iSource < 0) throw new Error(`${file}:1: expected the columns series, year, value, unit, source`);
  const table: ObservedTable = new Map();
  lines.forEach((text, k) => {
    if (k === 0 || text.trim() === '') return;
    const f = splitCsvLine(text);
    if (iArea >= 0 && f[iArea]) return; // a county-level unit, not the whole city
    const factor = UNIT_FACTOR[f[iUnit]];
    const value = Number(f[iValue]);
    if (factor === undefined || !Number.isFinite(value)) return; // a figure the calibration has no use for
    const region = iCity >= 0 ? f[iCity] : 'shanxi';
    table.set(`${f[iSeries]}|${region}|${f[iYear]}`, { value: value * factor, source: f[iSource], line: k + 1 });
  });
  return table;
}
