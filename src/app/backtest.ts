/**
 * A backtest: runs a scenario into a results folder (like `urbanize run`, its posterior included),
 * then scores every observed figure of data/observed/ from the holdout year to the scenario's end
 * against the runs (backtest-series.ts lists the series), beside two naive forecasts made from the
 * figures before the holdout (results/naive.ts). Writes backtest.csv into the folder (atomically),
 * prints the coverage and skill per series and pooled, and writes the report, whose fan charts then
 * show the held-out points and the share inside the 90% band.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { calendarOf, startYearOf } from '../core/calendar.js';
import { userError } from '../core/errors.js';
import { FIT, fixed, formatNumber } from '../core/format.js';
import { M, METRICS, REGIONS, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import { levelSimulator, readHistoryGroups, type HistoryGroup } from '../calibrate/history.js';
import { readObserved, type ObservedTable } from '../calibrate/observed.js';
import { writeFileAtomic } from '../results/atomic.js';
import {
  BACKTEST_CSV,
  bySeries,
  errorGrowth,
  scoreObservation,
  scoreRows,
  seriesKey,
  type BacktestRow,
  type BacktestScore,
  type ErrorGrowth,
} from '../results/backtest.js';
import { loadRuns } from '../results/finalize.js';
import { naivePoints, paceForecast, trendForecast, type Point } from '../results/naive.js';
import { quantiles } from '../core/stats.js';
import { BACKTEST_SERIES, type BacktestSeries } from './backtest-series.js';
import { interruptedMessage, interruptible } from './batch.js';
import type { Log } from './log.js';
import { runToFolder, setupScenario, type RunOptions } from './run.js';
import { storedRuns } from '../results/format.js';
import { readManifest } from '../results/documents.js';

/** Options of a backtest: those of a run, the first held-out year and the targets file of the band's sds. */
export interface BacktestOptions extends Pick<RunOptions, 'runs' | 'seed' | 'scale' | 'workers' | 'out' | 'force' | 'quiet'> {
  holdoutFrom: number;
  targets?: string;
  /** Another backtest's folder, whose error growth with the horizon widens the bands (errorGrowth). */
  growthFrom?: string;
}

/** The default targets file, whose groups state the observation errors and discrepancies. */
export const DEFAULT_TARGETS = 'scenarios/targets/history.yaml';

/** A series' observed points in `region`, by year, with the source of each. */
function pointsOf(table: ObservedTable, series: string, region: string): (Point & { source: string })[] {
  const out: (Point & { source: string })[] = [];
  for (const [key, f] of table) {
    const [s, r, y] = key.split('|');
    if (s === series && r === region) out.push({ year: Number(y), value: f.value, source: f.source });
  }
  return out.sort((a, b) => a.year - b.year);
}

/** The band's sd of series `s` for an observation of `year` (backtest-series.ts says how). */
function bandSd(s: BacktestSeries, groups: Map<string, HistoryGroup>, year: number, startYear: number, median: (metric: number) => number): number {
  const sdOf = (id: string) => {
    const g = groups.get(id)!;
    const sd = Math.hypot(g.obs_error.value, g.discrepancy.value);
    return g.measure === 'change_per_year' ? sd * (year - startYear) : sd;
  };
  if (s.sd !== 'urban_delta') return sdOf(s.sd);
  return Math.hypot((median(M.resident_population) * sdOf('urbanization')) / 100, (median(M.urbanization_rate) / 100) * sdOf('residents'));
}

/**
 * Every held-out observation of the series against the runs, in series, region and year order.
 * With `growth` (another backtest's error growth per series and region), an observation h years
 * after the start has the band sd sqrt(sd² + sd1²·h); a series the other backtest did not score
 * keeps its sd.
 */
export function backtestRows(
  runs: readonly RunResult[],
  shape: ObsShape,
  h: number,
  groups: Map<string, HistoryGroup>,
  growth?: ReadonlyMap<string, ErrorGrowth>,
): BacktestRow[] {
  const tables = new Map<string, ObservedTable>();
  const rows: BacktestRow[] = [];
  const [startYear, endYear] = [shape.years[0], shape.years[shape.years.length - 1]];
  for (const s of BACKTEST_SERIES) {
    if (!tables.has(s.file)) tables.set(s.file, readObserved(s.file));
    const table = tables.get(s.file)!;
    const m = METRICS.findIndex((x) => x.id === s.metric);
    const regions = s.regions === 'shanxi' ? ['shanxi'] : REGIONS.filter((r) => r !== 'shanxi' && pointsOf(table, s.observed, r).length);
    for (const region of regions) {
      const r = (REGIONS as readonly string[]).indexOf(region);
      const points = pointsOf(table, s.observed, region);
      const used = naivePoints(points, h);
      for (const p of points.filter((x) => x.year >= h && x.year <= endYear)) {
        const values = runs.map((run) => levelSimulator(s.measure, m, r, p.year)(run.values, shape));
        const median = (metric: number) =>
          quantiles(
            runs.map((run) => levelSimulator('level', metric, r, p.year)(run.values, shape)),
            [0.5],
          )[0];
        const pace = paceForecast(used, p.year),
          trend = trendForecast(used, p.year, s.trend);
        const sd1 = growth?.get(seriesKey(s.id, region))?.sd1;
        const sd = bandSd(s, groups, p.year, startYear, median);
        rows.push({
          series: s.id,
          region,
          year: p.year,
          unit: s.measure === 'per_mille' ? 'per mille' : METRICS[m].unit,
          observed: p.value,
          ...scoreObservation(values, sd1 === undefined ? sd : Math.hypot(sd, sd1 * Math.sqrt(p.year - startYear)), p.value),
          growth_sd1: sd1,
          naive_years: used.map((u) => u.year).join(';'),
          naive_pace: pace,
          naive_trend: trend,
          error_pace: pace - p.value,
          error_trend: trend - p.value,
          source: `${s.file}: ${p.source}`,
        });
      }
    }
  }
  return rows;
}

const pct = (x: number) => `${formatNumber(100 * x, fixed(0))}%`;
const sk = (x: number | undefined) => (x === undefined ? 'n/a' : formatNumber(x, fixed(2)));

/** The console table: per series and pooled coverage, MAE and skill. */
export function backtestTable(rows: readonly BacktestRow[]): string {
  const line = (name: string, s: BacktestScore, mae: string) =>
    `| ${name} | ${s.n} | ${pct(s.in50)} | ${pct(s.in90)} | ${pct(s.runsIn50)} | ${pct(s.runsIn90)} | ${mae} | ${sk(s.skillPace)} | ${sk(s.skillTrend)} |`;
  const L = [
    '| series | n | in 50% | in 90% | runs-only in 50% | runs-only in 90% | MAE of the median | skill vs pace | skill vs trend |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [key, rs] of bySeries(rows)) {
    const s = scoreRows(rs);
    L.push(line(key.replace('|', ', '), s, formatNumber(s.mae, FIT)));
  }
  // Errors and skill are not pooled: the series' units differ.
  L.push(line('**pooled**', { ...scoreRows(rows), skillPace: undefined, skillTrend: undefined }, ''));
  return L.join('\n');
}

/** The console table of every held-out observation: observed, model and naive forecasts. */
export function observationTable(rows: readonly BacktestRow[]): string {
  const f = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : formatNumber(v, FIT));
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const L = [
    '| series | region | year | observed | median (runs-only 90%) | 90% predictive interval | in 50% | in 90% | pace | trend | naive from |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows)
    L.push(
      `| ${r.series} | ${r.region} | ${r.year} | ${f(r.observed)} | ${f(r.p50)} (${f(r.p05)} .. ${f(r.p95)}) | ${f(r.pred_p05)} .. ${f(r.pred_p95)} | ${yes(r.in50)} | ${yes(r.in90)} | ${f(r.naive_pace)} | ${f(r.naive_trend)} | ${r.naive_years.replaceAll(';', ', ') || 'n/a'} |`,
    );
  return L.join('\n');
}

/** Another backtest's folder (`--growth-from`), the year it started and its error growth per series. */
interface GrowthSource {
  dir: string;
  start: number;
  growth: Map<string, ErrorGrowth>;
}

/** Reads another backtest's error growth from its folder. */
function readGrowth(dir: string): GrowthSource {
  if (!existsSync(join(dir, BACKTEST_CSV.file)))
    throw userError({
      code: 'invalid_flag',
      path: '--growth-from',
      expected: `a folder written by urbanize backtest (with ${BACKTEST_CSV.file})`,
      found: existsSync(dir) ? `${dir} without ${BACKTEST_CSV.file}` : `${dir}, which does not exist`,
    });
  const start = startYearOf(readManifest(dir).scenario.resolved);
  return { dir, start, growth: errorGrowth(BACKTEST_CSV.read(dir), start) };
}

/** What the other backtest's growth added: per series, sd1 and the years it was measured on. */
function growthLines(g: GrowthSource, rows: readonly BacktestRow[]): string {
  const L = [`error growth from ${g.dir} (started ${g.start}): band sd² = sd² + sd1²·h, h = years since this backtest's start`];
  for (const key of bySeries(rows).keys()) {
    const x = g.growth.get(key);
    L.push(
      `  ${key.replace('|', ', ')}: ${
        x
          ? `sd1 ${formatNumber(x.sd1, FIT)} from ${x.years.map((y) => `${y.year} (h ${y.h}) ${formatNumber(y.error, FIT)}`).join(', ')}`
          : 'none (not scored there)'
      }`,
    );
  }
  return L.join('\n');
}

/** Runs the backtest; returns the exit code (0; 1 if a run failed; 130/143 if interrupted). */
export async function backtestScenario(file: string | undefined, opts: BacktestOptions, log: Log): Promise<number> {
  return interruptible(async (stop) => {
    if (file === undefined) throw userError({ code: 'invalid_flag', path: 'backtest', expected: 'a scenario file', found: 'none' });
    const setup = setupScenario(file, opts);
    const shape = { years: calendarOf(setup.sc).years };
    const [first, last] = [shape.years[0] + 1, shape.years[shape.years.length - 1]];
    if (!(opts.holdoutFrom >= first && opts.holdoutFrom <= last))
      throw userError({
        code: 'invalid_flag',
        path: '--holdout-from',
        expected: `a year from ${first} to ${last} (after the start of ${file}, up to its end)`,
        found: String(opts.holdoutFrom),
      });
    const targetsFile = opts.targets ?? DEFAULT_TARGETS;
    const groups = new Map(readHistoryGroups(targetsFile).map((g) => [g.id, g]));
    const missing = [...new Set(BACKTEST_SERIES.flatMap((s) => (s.sd === 'urban_delta' ? ['urbanization', 'residents'] : [s.sd])))].filter(
      (id) => !groups.has(id),
    );
    if (missing.length)
      throw userError({
        code: 'invalid_target',
        file: targetsFile,
        path: 'targets',
        expected: `the groups ${missing.join(', ')} (the backtest's band sds)`,
        found: 'none',
      });
    const growth = opts.growthFrom === undefined ? undefined : readGrowth(opts.growthFrom);
    const out = opts.out ?? join('results', `backtest-${setup.sc.name}`);
    const r = await runToFolder(setup, out, null, { ...opts, brief: true }, log, stop);
    if (r.outcome === 'interrupted') log(interruptedMessage('run', r.dir, storedRuns(r.dir).length, r.manifest.run_ids.length));
    if (r.outcome !== 0) return r.outcome;
    const rows = backtestRows(loadRuns(out, r.manifest), shape, opts.holdoutFrom, groups, growth?.growth);
    writeFileAtomic(join(out, BACKTEST_CSV.file), BACKTEST_CSV.text(rows));
    log(`backtest of ${file}, held out from ${opts.holdoutFrom} to ${last}: ${rows.length} observations; bands from ${targetsFile}`);
    if (growth) log(growthLines(growth, rows));
    if (rows.length) log(`${observationTable(rows)}\n\n${backtestTable(rows)}`);
    log(`report: ${await (await import('../report/index.js')).writeReport(out)}`);
    log(`results: ${out}  backtest ${join(out, BACKTEST_CSV.file)}  digest ${r.manifest.digest ?? '(partial)'}`);
    return 0;
  });
}
