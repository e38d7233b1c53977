/**
 * `urbanize flows DIR`: where people went in one year of a finished run folder, from its
 * flows.csv (results/flows.ts). Prints the mean yearly movers across runs from each place type
 * (or city) to each, with each origin's total, and the province's urban gain that year split
 * into migration, reclassification and natural change (runs.csv's urban_gain_* metrics). It
 * writes nothing: flows.csv and flows.parquet are written with the folder and checked by verify.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { calendarOf } from '../core/calendar.js';
import { userError } from '../core/errors.js';
import { readManifest } from '../results/documents.js';
import { flowMatrix, FLOWS_CSV, type FlowMatrix, type FlowsBy } from '../results/flows.js';
import { FILES, RUNS_CSV } from '../results/format.js';
import type { Log } from './log.js';

/** The flags of `urbanize flows`. */
export interface FlowsOptions {
  year?: string;
  by?: string;
}

/** The components of the urban gain, as metrics of runs.csv. */
export const URBAN_GAIN = ['urban_gain_migration', 'urban_gain_reclassification', 'urban_gain_natural'] as const;

/** The flags, checked: the year (default the last simulated) among the folder's flow years, and the grouping. */
function checkFlags(years: number[], opts: FlowsOptions): { year: number; by: FlowsBy } {
  const flowYears = years.slice(1);
  const by = opts.by ?? 'type';
  if (by !== 'type' && by !== 'city') throw userError({ code: 'invalid_value', path: '--by', expected: '"type" or "city"', found: `"${by}"` });
  const year = opts.year === undefined ? flowYears[flowYears.length - 1] : Number(opts.year);
  if (!/^\d+$/.test(opts.year ?? String(year)) || !flowYears.includes(year))
    throw userError({
      code: 'invalid_value',
      path: '--year',
      expected: `a year with flows in this folder, ${flowYears[0]} to ${flowYears[flowYears.length - 1]}`,
      found: `"${opts.year}"`,
    });
  return { year, by };
}

/** The table of a mean origin-destination matrix: one line per origin with movers, its total, and the destinations' totals. */
export function matrixLines(m: FlowMatrix): string[] {
  const n = m.groups.length,
    w = Math.max(16, ...m.groups.map((g) => g.length)) + 1;
  const c = Math.max(11, ...m.groups.map((g) => g.length + 2));
  const cell = (v: number) => Math.round(v).toLocaleString('en-US').padStart(c);
  const lines = [`${'from \\ to'.padEnd(w)}${m.groups.map((g) => g.padStart(c)).join('')}${'total'.padStart(c)}`];
  const colTotals = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    const row = m.mean.subarray(o * n, o * n + n);
    const total = row.reduce((a, v) => a + v, 0);
    row.forEach((v, d) => (colTotals[d] += v));
    if (total > 0) lines.push(`${m.groups[o].padEnd(w)}${[...row].map(cell).join('')}${cell(total)}`);
  }
  lines.push(`${'total'.padEnd(w)}${[...colTotals].map(cell).join('')}${cell(colTotals.reduce((a, v) => a + v, 0))}`);
  return lines;
}

/** Prints the flows of folder `dir` for the flags' year and grouping; returns the exit code (0). */
export function printFlows(dir: string, opts: FlowsOptions, log: Log): number {
  const m = readManifest(dir);
  const years = calendarOf(m.scenario.resolved).years;
  const { year, by } = checkFlags(years, opts);
  const file = join(dir, FILES.flows);
  if (m.status !== 'complete' || !existsSync(file))
    throw userError({
      code: 'file',
      file,
      message: m.status !== 'complete' ? `the folder is not complete (finish it with: urbanize run --resume ${dir})` : 'the folder has no flows.csv',
      expected: 'a complete run folder of this engine',
      found: m.status !== 'complete' ? `status "${m.status}"` : 'no flows.csv (written by an older engine: run the scenario again)',
    });
  const runs = m.run_ids.length - m.failed.length;
  const rows = FLOWS_CSV.read(dir).filter((r) => r.year === year);
  const matrix = flowMatrix(rows, runs, year, by);
  log(`${m.scenario.name}: movers in ${year}, mean of ${runs} runs, persons (flows.csv; by ${by === 'type' ? 'place type' : 'city'})`);
  for (const l of matrixLines(matrix)) log(l);
  const gain = RUNS_CSV.read(dir, { column: 'metric', values: new Set(URBAN_GAIN) }).filter((r) => r.region === 'shanxi' && r.year === year);
  const mean = (metric: string) => gain.filter((r) => r.metric === metric).reduce((a, r) => a + r.value, 0) / Math.max(1, runs);
  const parts = URBAN_GAIN.map((g) => [g.replace('urban_gain_', ''), mean(g)] as const);
  log(
    `Shanxi's urban gain in ${year} (mean, persons): ${parts.map(([k, v]) => `${k} ${Math.round(v).toLocaleString('en-US')}`).join(', ')}; total ${Math.round(parts.reduce((a, [, v]) => a + v, 0)).toLocaleString('en-US')}`,
  );
  return 0;
}
