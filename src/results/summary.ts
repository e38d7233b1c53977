/**
 * Summaries across runs, on the main thread: per metric, region and year the mean, standard
 * deviation (n - 1), and the 5th, 50th and 95th percentiles (core/stats.ts), then the predictive
 * band that adds the model's discrepancy (probability.ts); per modelled target the probability of
 * meeting it with its Monte Carlo interval, the mean, the 90% intervals and the mean gap.
 */
import { mean, normalMixtureQuantile, quantiles, sampleSd } from '../core/stats.js';
import { METRICS, REGIONS, obsIndex, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import { gap } from './attainment.js';
import { attainment, discrepancySd, type ModelDiscrepancy } from './probability.js';
import type { Target } from './targets.js';

/** One row of indicators.csv (INDICATORS_CSV in format.ts). */
export interface IndicatorRow {
  metric: string;
  region: string;
  year: number;
  mean: number;
  sd: number;
  p05: number;
  p50: number;
  p95: number;
  /** The model discrepancy's sd in this year (blank when the discrepancy file gives none). */
  discrepancy_sd?: number;
  /** Quantiles of the predictive distribution: the mixture over runs of N(x_r, discrepancy_sd²) (the Monte Carlo ones without discrepancy). */
  pred_p05: number;
  pred_p50: number;
  pred_p95: number;
}

/** The 5%, 50% and 95% predictive quantiles of runs' values with discrepancy sd (none: the values' own). */
export function predictive(values: number[], sd: number | undefined): { pred_p05: number; pred_p50: number; pred_p95: number } {
  const [pred_p05, pred_p50, pred_p95] = [0.05, 0.5, 0.95].map((q) => normalMixtureQuantile(values, sd ?? 0, q));
  return { pred_p05, pred_p50, pred_p95 };
}

/** Distribution of a list of values across runs. */
export function describe(values: number[]): { mean: number; sd: number; p05: number; p50: number; p95: number } {
  const sd = values.length > 1 ? sampleSd(values) : 0;
  const [p05, p50, p95] = quantiles(values, [0.05, 0.5, 0.95]);
  return { mean: mean(values), sd, p05, p50, p95 };
}

/** Values of (metric m, region r, year index y) across runs, in run order. */
export function across(runs: RunResult[], shape: ObsShape, m: number, r: number, y: number): number[] {
  const k = obsIndex(shape, m, r, y);
  return runs.map((run) => run.values[k]);
}

/** indicators.csv rows: every metric, region and year (flows from the first simulated year), with discrepancy `d`. */
export function summarizeIndicators(runs: RunResult[], shape: ObsShape, d?: ModelDiscrepancy): IndicatorRow[] {
  const rows: IndicatorRow[] = [];
  METRICS.forEach((metric, m) => {
    REGIONS.forEach((region, r) => {
      shape.years.forEach((year, y) => {
        if (metric.flow && y === 0) return;
        const v = across(runs, shape, m, r, y),
          sd = discrepancySd(d, metric.id, region, year);
        rows.push({ metric: metric.id, region, year, ...describe(v), discrepancy_sd: sd, ...predictive(v, sd) });
      });
    });
  });
  return rows;
}

/**
 * Attainment of one target: modelled targets get the probability of meeting it (with the model
 * discrepancy where the discrepancy file gives one) and its 90% Monte Carlo interval, the share of
 * runs that meet it, the mean, the 90% interval across runs, the predictive 90% interval and the
 * mean gap.
 */
export interface TargetResult {
  target: Target;
  /** Whether the model computes it in this run (modelled and within the simulated years). */
  computed: boolean;
  p_met?: number;
  p_met_lo?: number;
  p_met_hi?: number;
  /** The share of runs that meet it: Monte Carlo only, no discrepancy. */
  p_met_mc_only?: number;
  /** Whether P(met) and the predictive interval include a model discrepancy (the file gives one for its metric and region). */
  with_discrepancy?: boolean;
  discrepancy_sd?: number;
  mean?: number;
  p05?: number;
  p95?: number;
  pred_p05?: number;
  pred_p95?: number;
  gap?: number;
}

/** Judges every target against the runs with discrepancy `d`; targets the model cannot compute are kept, marked. */
export function evaluateTargets(targets: Target[], runs: RunResult[], shape: ObsShape, d?: ModelDiscrepancy): TargetResult[] {
  return targets.map((t) => {
    const m = METRICS.findIndex((x) => x.id === t.metric);
    const r = (REGIONS as readonly string[]).indexOf(t.region);
    const y = shape.years.indexOf(t.year);
    if (!t.modelled || m < 0 || r < 0 || y < 0) return { target: t, computed: false };
    const v = across(runs, shape, m, r, y);
    const s = describe(v),
      sd = discrepancySd(d, t.metric, t.region, t.year),
      a = attainment(t, v, sd),
      band = predictive(v, sd);
    return {
      target: t,
      computed: true,
      p_met: a.p,
      p_met_lo: a.lo,
      p_met_hi: a.hi,
      p_met_mc_only: a.share,
      with_discrepancy: sd !== undefined,
      discrepancy_sd: sd,
      mean: s.mean,
      p05: s.p05,
      p95: s.p95,
      pred_p05: band.pred_p05,
      pred_p95: band.pred_p95,
      gap: mean(v.map((x) => gap(t, x))),
    };
  });
}
