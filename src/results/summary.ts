/**
 * Summaries across runs, on the main thread: per metric, region and year the mean, standard
 * deviation (n - 1), and the 5th, 50th and 95th percentiles (core/stats.ts); per modelled target
 * the probability of meeting it, the mean, the 90% interval and the mean gap.
 */
import { mean, quantiles, sampleSd } from '../core/stats.js';
import { METRICS, REGIONS, obsIndex, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import { gap, meets } from './attainment.js';
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

/** indicators.csv rows: every metric, region and year (flows from the first simulated year). */
export function summarizeIndicators(runs: RunResult[], shape: ObsShape): IndicatorRow[] {
  const rows: IndicatorRow[] = [];
  METRICS.forEach((metric, m) => {
    REGIONS.forEach((region, r) => {
      shape.years.forEach((year, y) => {
        if (metric.flow && y === 0) return;
        rows.push({ metric: metric.id, region, year, ...describe(across(runs, shape, m, r, y)) });
      });
    });
  });
  return rows;
}

/** Attainment of one target: modelled targets get the probability, mean, 90% interval and mean gap. */
export interface TargetResult {
  target: Target;
  /** Whether the model computes it in this run (modelled and within the simulated years). */
  computed: boolean;
  p_met?: number;
  mean?: number;
  p05?: number;
  p95?: number;
  gap?: number;
}

/** Judges every target against the runs; targets the model cannot compute are kept, marked. */
export function evaluateTargets(targets: Target[], runs: RunResult[], shape: ObsShape): TargetResult[] {
  return targets.map((t) => {
    const m = METRICS.findIndex((x) => x.id === t.metric);
    const r = (REGIONS as readonly string[]).indexOf(t.region);
    const y = shape.years.indexOf(t.year);
    if (!t.modelled || m < 0 || r < 0 || y < 0) return { target: t, computed: false };
    const v = across(runs, shape, m, r, y);
    const d = describe(v);
    return {
      target: t,
      computed: true,
      p_met: v.filter((x) => meets(t, x)).length / v.length,
      mean: d.mean,
      p05: d.p05,
      p95: d.p95,
      gap: mean(v.map((x) => gap(t, x))),
    };
  });
}
