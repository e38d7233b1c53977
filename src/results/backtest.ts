/**
 * A backtest's scores (backtest.csv of a results folder, written by `urbanize backtest`): per
 * held-out observation, the runs' quantiles, the predictive band (the mixture over runs of
 * N(run value, band_sd²), band_sd from the targets file's observation error and model discrepancy),
 * whether the observation lies inside the central 50% and 90% intervals of each, and the naive
 * forecasts (naive.ts) with their errors; per series and pooled, the coverage and the skill.
 *
 * Skill of the model against a naive forecast, per series: 1 − MAE(model) / MAE(naive), both mean
 * absolute errors over the series' held-out observations that have a naive forecast, the model's
 * error being its runs' median minus the observation. 1 is perfect, 0 no better than the naive
 * forecast, below 0 worse. Skill is not pooled across series (their units differ); coverage is.
 */
import { normalMixtureQuantile, quantiles } from '../core/stats.js';
import { csvTable } from './csv.js';
import { FILES } from './format.js';

/** The probabilities of the quantile columns: the bounds of the central 90% and 50% intervals and the median. */
export const BAND_PROBS = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** One held-out observation against the model and the naive forecasts. */
export interface BacktestRow {
  series: string;
  region: string;
  year: number;
  unit: string;
  observed: number;
  /** Quantiles of the runs' values (Monte Carlo and posterior only). */
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  /**
   * The sd added to each run: sqrt(obs_error² + discrepancy²) (times the years since the start for
   * a pace), with the error growth of another backtest when one is given: sqrt(that² + growth_sd1²·h).
   */
  band_sd: number;
  /** The error growth per year^½ taken from another backtest (`--growth-from`); blank: none. */
  growth_sd1?: number;
  pred_p05: number;
  pred_p25: number;
  pred_p50: number;
  pred_p75: number;
  pred_p95: number;
  in50: boolean;
  in90: boolean;
  runs_in50: boolean;
  runs_in90: boolean;
  /** The observed years the naive forecasts were made from, separated by ';' (blank: none). */
  naive_years: string;
  naive_pace?: number;
  naive_trend?: number;
  /** The model's error: the runs' median minus the observation. */
  error: number;
  error_pace?: number;
  error_trend?: number;
  source: string;
}

/** backtest.csv. */
export const BACKTEST_CSV = csvTable<BacktestRow>(FILES.backtest, {
  series: 'text',
  region: 'text',
  year: 'number',
  unit: 'text',
  observed: 'number',
  p05: 'number',
  p25: 'number',
  p50: 'number',
  p75: 'number',
  p95: 'number',
  band_sd: 'number',
  growth_sd1: 'finite',
  pred_p05: 'number',
  pred_p25: 'number',
  pred_p50: 'number',
  pred_p75: 'number',
  pred_p95: 'number',
  in50: 'yesno',
  in90: 'yesno',
  runs_in50: 'yesno',
  runs_in90: 'yesno',
  naive_years: 'text',
  naive_pace: 'finite',
  naive_trend: 'finite',
  error: 'number',
  error_pace: 'finite',
  error_trend: 'finite',
  source: 'text',
});

const inside = (x: number, lo: number, hi: number) => x >= lo && x <= hi;

/** The model's columns of one observation: the runs' values, the band's sd and the observed value. */
export function scoreObservation(
  values: readonly number[],
  bandSd: number,
  observed: number,
): Pick<
  BacktestRow,
  | 'p05'
  | 'p25'
  | 'p50'
  | 'p75'
  | 'p95'
  | 'band_sd'
  | 'pred_p05'
  | 'pred_p25'
  | 'pred_p50'
  | 'pred_p75'
  | 'pred_p95'
  | 'in50'
  | 'in90'
  | 'runs_in50'
  | 'runs_in90'
  | 'error'
> {
  const [p05, p25, p50, p75, p95] = quantiles(values, BAND_PROBS);
  const [pred_p05, pred_p25, pred_p50, pred_p75, pred_p95] = BAND_PROBS.map((q) => normalMixtureQuantile(values, bandSd, q));
  return {
    p05,
    p25,
    p50,
    p75,
    p95,
    band_sd: bandSd,
    pred_p05,
    pred_p25,
    pred_p50,
    pred_p75,
    pred_p95,
    in50: inside(observed, pred_p25, pred_p75),
    in90: inside(observed, pred_p05, pred_p95),
    runs_in50: inside(observed, p25, p75),
    runs_in90: inside(observed, p05, p95),
    error: p50 - observed,
  };
}

/** Coverage and skill of a set of rows (a series, or all of them pooled). */
export interface BacktestScore {
  n: number;
  /** Shares of the observations inside the predictive 50% and 90% intervals, and inside the runs' own. */
  in50: number;
  in90: number;
  runsIn50: number;
  runsIn90: number;
  /** Mean absolute error of the model's median. */
  mae: number;
  /** 1 − MAE(model) / MAE(naive) over the rows with that naive forecast; undefined when there is none. */
  skillPace?: number;
  skillTrend?: number;
}

/** Skill against one naive forecast's errors (see the module comment). */
export function skill(rows: readonly BacktestRow[], naiveError: (r: BacktestRow) => number | undefined): number | undefined {
  const scored = rows.filter((r) => Number.isFinite(naiveError(r)));
  if (!scored.length) return undefined;
  const maeModel = scored.reduce((s, r) => s + Math.abs(r.error), 0) / scored.length;
  const maeNaive = scored.reduce((s, r) => s + Math.abs(naiveError(r)!), 0) / scored.length;
  return 1 - maeModel / maeNaive;
}

/** The coverage and skill of `rows`. */
export function scoreRows(rows: readonly BacktestRow[]): BacktestScore {
  const n = rows.length;
  const share = (f: (r: BacktestRow) => boolean) => rows.filter(f).length / n;
  return {
    n,
    in50: share((r) => r.in50),
    in90: share((r) => r.in90),
    runsIn50: share((r) => r.runs_in50),
    runsIn90: share((r) => r.runs_in90),
    mae: rows.reduce((s, r) => s + Math.abs(r.error), 0) / n,
    skillPace: skill(rows, (r) => r.error_pace),
    skillTrend: skill(rows, (r) => r.error_trend),
  };
}

/** The growth of one series' error with the horizon, measured on a backtest's rows. */
export interface ErrorGrowth {
  /** sqrt(mean over the rows of error² / h), per year^½. */
  sd1: number;
  /** The held-out years it was measured on, with their horizons. */
  years: { year: number; h: number; error: number }[];
}

/**
 * How fast each series' error grew with the horizon in a backtest that started in `startYear`:
 * per series and region (seriesKey), sd1 = sqrt(mean over its rows of error² / h), h = year −
 * startYear, the error being the runs' median minus the observation. It is the maximum-likelihood
 * sd of a random walk of yearly errors (e_h ~ N(0, sd1²·h)); a bias is part of it, as in
 * scripts/discrepancy.mjs. Rows at h < 1 are left out.
 */
export function errorGrowth(rows: readonly BacktestRow[], startYear: number): Map<string, ErrorGrowth> {
  const out = new Map<string, ErrorGrowth>();
  for (const [key, rs] of bySeries(rows)) {
    const years = rs.filter((r) => r.year - startYear >= 1).map((r) => ({ year: r.year, h: r.year - startYear, error: r.error }));
    if (years.length) out.set(key, { sd1: Math.sqrt(years.reduce((s, y) => s + (y.error * y.error) / y.h, 0) / years.length), years });
  }
  return out;
}

/** The key of a series in a region, `series|region`: bySeries's and errorGrowth's keys. */
export const seriesKey = (series: string, region: string): string => `${series}|${region}`;

/** The rows grouped by series and region (seriesKey), in the order they come. */
export function bySeries(rows: readonly BacktestRow[]): Map<string, BacktestRow[]> {
  const out = new Map<string, BacktestRow[]>();
  for (const r of rows) {
    const k = seriesKey(r.series, r.region);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}
