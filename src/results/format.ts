/**
 * The files of a results folder, in one place: their names, the run files, and every CSV file's
 * columns and kinds with its writer and reader (csvTable). The JSON files (manifest.json,
 * summary.json, plan.json, compare.json, sweep.json) are in documents.ts. results/ writes through
 * these definitions, report/ and app/ read through them.
 *
 * A run folder (urbanize run and merge, and each scenario's folder in a compare):
 *   manifest.json     what the folder is: scenario, seed, run ids, status, digest (Manifest)
 *   runs/NNNNNN.f64   one finished run's values, little-endian float64: its observations (obsIndex
 *                     order), then its yearly origin-destination moves (odIndex)
 *   runs.csv          RUNS_CSV: one row per run, metric, region and year
 *   flows.csv         FLOWS_CSV (flows.ts): one row per run, year, origin and destination with movers
 *   indicators.csv    INDICATORS_CSV: the distribution of each indicator across runs
 *   targets.csv       TARGETS_CSV: every target of the plan, with its attainment when computed
 *   summary.json      the digest and the target attainment (Summary)
 *   runs.parquet      runs.csv's rows, for 100 runs or more or with --parquet (parquet.ts)
 *   flows.parquet     flows.csv's rows, whenever runs.parquet is written
 *   report.html       the report (src/report)
 *   backtest.csv      BACKTEST_CSV (backtest.ts), when `urbanize backtest` wrote the folder
 * A compare folder: plan.json (ComparePlan), one run folder per scenario, compare.csv
 * (COMPARE_CSV), compare_targets.csv (COMPARE_TARGETS_CSV), compare_robustness.csv,
 * compare_regret.csv, compare_ranking.csv (ROBUSTNESS_CSV, REGRET_CSV, RANKING_CSV), compare.json,
 * report.html.
 * A sweep folder: plan.json (SweepPlan), runs/NNNNNN.f64 (one run's outcomes, in the plan's order),
 * samples.csv (samplesCsv), sensitivity.csv (SENSITIVITY_CSV), sweep.json, report.html.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS, REGIONS, obsIndex, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import { writeFileAtomic } from './atomic.js';
import { csvField, csvTable, parseCsv } from './csv.js';
import type { IndicatorRow, TargetResult } from './summary.js';

/** The names of a results folder's files. */
export const FILES = {
  manifest: 'manifest.json',
  runs: 'runs',
  runsCsv: 'runs.csv',
  indicators: 'indicators.csv',
  targets: 'targets.csv',
  summary: 'summary.json',
  parquet: 'runs.parquet',
  flows: 'flows.csv',
  flowsParquet: 'flows.parquet',
  report: 'report.html',
  plan: 'plan.json',
  compare: 'compare.csv',
  compareTargets: 'compare_targets.csv',
  compareJson: 'compare.json',
  compareRobustness: 'compare_robustness.csv',
  compareRegret: 'compare_regret.csv',
  compareRanking: 'compare_ranking.csv',
  samples: 'samples.csv',
  sensitivity: 'sensitivity.csv',
  sweepJson: 'sweep.json',
  backtest: 'backtest.csv',
} as const;

/** The files every finished run folder holds besides the run files. */
export const RUN_FOLDER_FILES = [FILES.manifest, FILES.runsCsv, FILES.indicators, FILES.targets, FILES.summary, FILES.flows] as const;

/** A run file's path inside its folder: runs/NNNNNN.f64. */
export const runFileName = (run: number): string => `${FILES.runs}/${String(run).padStart(6, '0')}.f64`;

/** Stores one finished run's values (atomically). */
export function writeRunValues(dir: string, run: number, values: Float64Array): void {
  const bytes = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) bytes.writeDoubleLE(values[i], i * 8);
  writeFileAtomic(join(dir, runFileName(run)), bytes);
}

/** Reads one stored run's values. */
export function readRunValues(dir: string, run: number): Float64Array {
  const b = readFileSync(join(dir, runFileName(run)));
  const out = new Float64Array(b.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
  return out;
}

/** Run ids with a stored result, ascending (temporary files of an interrupted write are ignored). */
export function storedRuns(dir: string): number[] {
  const d = join(dir, FILES.runs);
  if (!existsSync(d)) return [];
  return readdirSync(d)
    .filter((f) => /^\d{6}\.f64$/.test(f))
    .map((f) => Number(f.slice(0, 6)))
    .sort((a, b) => a - b);
}

/** A row of runs.csv: one observed value of one run. */
export interface RunsRow {
  run: number;
  metric: string;
  region: string;
  year: number;
  value: number;
}
/** runs.csv. */
export const RUNS_CSV = csvTable<RunsRow>(FILES.runsCsv, { run: 'number', metric: 'text', region: 'text', year: 'number', value: 'number' });
/** runs.csv of runs that drew their parameters from a posterior: `param_set`, the set of the run, after `run`. */
export const RUNS_SET_CSV = csvTable<RunsRow & { param_set: number }>(FILES.runsCsv, {
  run: 'number',
  param_set: 'number',
  metric: 'text',
  region: 'text',
  year: 'number',
  value: 'number',
});

/**
 * runs.csv of a batch: one row per run, metric, region and year (flows from the first simulated
 * year), runs in run order; with a posterior, each row also names the run's parameter set
 * (RUNS_SET_CSV). Written line by line rather than through RUNS_CSV.line (the same text): a large
 * batch has millions of rows.
 */
export function runsCsv(runs: readonly RunResult[], shape: ObsShape): string {
  const sets = runs.some((r) => r.set !== undefined);
  const lines = [sets ? RUNS_SET_CSV.header : RUNS_CSV.header];
  for (const r of [...runs].sort((a, b) => a.run - b.run)) {
    const id = sets ? `${r.run},${r.set ?? ''}` : String(r.run);
    METRICS.forEach((metric, m) =>
      REGIONS.forEach((region, g) =>
        shape.years.forEach((year, y) => {
          if (metric.flow && y === 0) return;
          const v = r.values[obsIndex(shape, m, g, y)];
          lines.push(`${id},${metric.id},${region},${year},${v === undefined ? '' : String(v)}`);
        }),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * indicators.csv: per metric, region and year the mean, sd (n - 1) and percentiles across runs,
 * then the model discrepancy's sd (blank where the discrepancy file gives none) and the quantiles
 * of the predictive distribution that adds it (equal to p05, p50, p95 where there is none). New
 * columns are added at the end, so that readers of the older columns keep working.
 */
export const INDICATORS_CSV = csvTable<IndicatorRow>(FILES.indicators, {
  metric: 'text',
  region: 'text',
  year: 'number',
  mean: 'number',
  sd: 'number',
  p05: 'number',
  p50: 'number',
  p95: 'number',
  discrepancy_sd: 'number',
  pred_p05: 'number',
  pred_p50: 'number',
  pred_p95: 'number',
});

/** A row of targets.csv. `modelled` says whether the folder computes the target (modelled and within the simulated years). */
export interface TargetsRow {
  target: string;
  section: string;
  metric: string;
  region: string;
  year: number;
  comparator: string;
  value: number;
  modelled: boolean;
  p_met?: number;
  mean?: number;
  p05?: number;
  p95?: number;
  /** An "about" target's relative tolerance. */
  tolerance?: number;
  p_met_lo?: number;
  p_met_hi?: number;
  p_met_mc_only?: number;
  /** "included", or "without discrepancy" when the discrepancy file gives none for the target (blank when not computed). */
  discrepancy: string;
  discrepancy_sd?: number;
  pred_p05?: number;
  pred_p95?: number;
}
/**
 * targets.csv: every target of the plan, computed or not. p_met includes the model discrepancy
 * where the column `discrepancy` says "included"; p_met_lo and p_met_hi are its 90% Monte Carlo
 * interval; p_met_mc_only is the share of runs that meet the target; p05 and p95 are the runs'
 * percentiles, pred_p05 and pred_p95 the predictive ones (with discrepancy). Columns after p95
 * were added later, at the end, so that readers of the older columns keep working.
 */
export const TARGETS_CSV = csvTable<TargetsRow>(FILES.targets, {
  target: 'text',
  section: 'text',
  metric: 'text',
  region: 'text',
  year: 'number',
  comparator: 'text',
  value: 'number',
  modelled: 'yesno',
  p_met: 'number',
  mean: 'number',
  p05: 'number',
  p95: 'number',
  tolerance: 'number',
  p_met_lo: 'number',
  p_met_hi: 'number',
  p_met_mc_only: 'number',
  discrepancy: 'text',
  discrepancy_sd: 'number',
  pred_p05: 'number',
  pred_p95: 'number',
});

/** The targets.csv row of a target's result. */
export function targetsRow(r: TargetResult): TargetsRow {
  const { target: t, computed, p_met, mean, p05, p95 } = r;
  return {
    target: t.id,
    section: t.section,
    metric: t.metric,
    region: t.region,
    year: t.year,
    comparator: t.comparator,
    value: t.value,
    modelled: computed,
    p_met,
    mean,
    p05,
    p95,
    tolerance: t.comparator === 'about' ? t.tolerance : undefined,
    p_met_lo: r.p_met_lo,
    p_met_hi: r.p_met_hi,
    p_met_mc_only: r.p_met_mc_only,
    discrepancy: computed ? (r.with_discrepancy ? 'included' : 'without discrepancy') : '',
    discrepancy_sd: r.discrepancy_sd,
    pred_p05: r.pred_p05,
    pred_p95: r.pred_p95,
  };
}

/** Paired statistics of a row of compare.csv or compare_targets.csv (blank when not finite). */
interface PairedColumns {
  diff_mean?: number;
  diff_p05?: number;
  diff_p95?: number;
  se_crn?: number;
  se_independent?: number;
}

/** A row of compare.csv: one variant against the base for one metric, region and year. */
export interface CompareRow extends PairedColumns {
  variant: string;
  metric: string;
  region: string;
  year: number;
  base_mean?: number;
  variant_mean?: number;
  p_higher?: number;
}
/** compare.csv. */
export const COMPARE_CSV = csvTable<CompareRow>(FILES.compare, {
  variant: 'text',
  metric: 'text',
  region: 'text',
  year: 'finite',
  base_mean: 'finite',
  variant_mean: 'finite',
  diff_mean: 'finite',
  diff_p05: 'finite',
  diff_p95: 'finite',
  p_higher: 'finite',
  se_crn: 'finite',
  se_independent: 'finite',
});

/** A row of compare_targets.csv: one variant against the base for one target. */
export interface CompareTargetsRow extends PairedColumns {
  variant: string;
  target: string;
  metric: string;
  region: string;
  year: number;
  comparator: string;
  value: number;
  base_p_met?: number;
  variant_p_met?: number;
  p_better?: number;
  /** The change in P(met), variant − base (mean of paired per-run probabilities), and its 90% interval. */
  diff_p_met?: number;
  diff_p_met_lo?: number;
  diff_p_met_hi?: number;
  /** "included", or "without discrepancy" when P(met) has no model discrepancy in it. */
  discrepancy: string;
}
/**
 * compare_targets.csv. base_p_met and variant_p_met include the model discrepancy where the
 * column `discrepancy` says so; diff_* and se_* are the paired statistics of the target's metric;
 * diff_p_met* the change in P(met). Columns after se_independent were added later, at the end.
 */
export const COMPARE_TARGETS_CSV = csvTable<CompareTargetsRow>(FILES.compareTargets, {
  variant: 'text',
  target: 'text',
  metric: 'text',
  region: 'text',
  year: 'finite',
  comparator: 'text',
  value: 'finite',
  base_p_met: 'finite',
  variant_p_met: 'finite',
  diff_mean: 'finite',
  diff_p05: 'finite',
  diff_p95: 'finite',
  p_better: 'finite',
  se_crn: 'finite',
  se_independent: 'finite',
  diff_p_met: 'finite',
  diff_p_met_lo: 'finite',
  diff_p_met_hi: 'finite',
  discrepancy: 'text',
});

/** A row of compare_robustness.csv: a scenario's share of runs that meet a target, and its P(met) (results/robustness.ts). */
export interface RobustnessRow {
  variant: string;
  target: string;
  metric: string;
  region: string;
  year: number;
  share_met: number;
  p_met: number;
  discrepancy: string;
}
/** compare_robustness.csv: every scenario of the compare (the base too), over the runs they all have. */
export const ROBUSTNESS_CSV = csvTable<RobustnessRow>(FILES.compareRobustness, {
  variant: 'text',
  target: 'text',
  metric: 'text',
  region: 'text',
  year: 'finite',
  share_met: 'finite',
  p_met: 'finite',
  discrepancy: 'text',
});
/** A row of compare_regret.csv: a scenario's value of a measure in one run, the best scenario's and the regret. */
export interface RegretCsvRow {
  run: number;
  variant: string;
  measure: string;
  unit: string;
  value: number;
  best: number;
  regret: number;
}
/** compare_regret.csv: run by run (run-id order), measure by measure (targets' p_r, targets_met, the urbanization rate). */
export const REGRET_CSV = csvTable<RegretCsvRow>(FILES.compareRegret, {
  run: 'finite',
  variant: 'text',
  measure: 'text',
  unit: 'text',
  value: 'finite',
  best: 'finite',
  regret: 'finite',
});
/** A row of compare_ranking.csv: a scenario's value of a robustness measure and its rank (1 = best). */
export interface RankingCsvRow {
  variant: string;
  measure: string;
  value: number;
  rank: number;
  better: string;
}
/** compare_ranking.csv. */
export const RANKING_CSV = csvTable<RankingCsvRow>(FILES.compareRanking, { variant: 'text', measure: 'text', value: 'finite', rank: 'finite', better: 'text' });

/** A row of sensitivity.csv: an index of a factor for an outcome, or (method r2, no factor) an outcome's R². */
export interface SensitivityRow {
  outcome: string;
  factor: string;
  method: string;
  estimate: number;
  low?: number;
  high?: number;
}
/** sensitivity.csv. */
export const SENSITIVITY_CSV = csvTable<SensitivityRow>(FILES.sensitivity, {
  outcome: 'text',
  factor: 'text',
  method: 'text',
  estimate: 'number',
  low: 'number',
  high: 'number',
});

/** samples.csv: per sample and run, the factors' values then the outcomes' (`columns` names both, in that order; with a posterior, the run's param_set first). */
export function samplesCsv(columns: readonly string[], rows: readonly { sample: number; run: number; values: readonly number[] }[]): string {
  const lines = [['sample', 'run', ...columns].map(csvField).join(',')];
  for (const r of rows) lines.push([r.sample, r.run, ...r.values].join(','));
  return lines.join('\n') + '\n';
}

/** Reads samples.csv: each row's columns as numbers. */
export function readSamples(dir: string): Record<string, number>[] {
  return parseCsv(readFileSync(join(dir, FILES.samples), 'utf8')).map((cells) => Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, Number(v)])));
}
