/**
 * Paired comparison of policy variants with their base. Every scenario runs on the same run seeds,
 * so run r of a variant and run r of the base share each agent's random draws (common random
 * numbers); the difference of run r measures policy, not noise. For each indicator and target:
 * the mean paired difference and its 90% interval across runs, the probability that the variant
 * beats the base (share of runs where it does), and the standard error of the mean difference
 * two ways: with common random numbers, sd(d)/sqrt(n), and with independent seeds for the same
 * number of runs, sqrt((var(base) + var(variant))/n) (the variance of a difference of independent
 * means; each arm's variance is the same whatever the pairing, so it is estimated from these runs).
 * For a target also the change in P(met): the mean of the paired differences of the per-run
 * probabilities p_r(variant) − p_r(base) (probability.ts, with the base's model discrepancy), and
 * its 90% interval from their spread (pairedInterval).
 */
import { quantiles } from '../core/stats.js';
import { METRICS, REGIONS, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import { across } from './summary.js';
import { meets } from './attainment.js';
import { discrepancySd, pairedInterval, pMeets, type ModelDiscrepancy } from './probability.js';
import type { Target } from './targets.js';

/** Paired statistics of a variant against its base. */
export interface Paired {
  baseMean: number;
  variantMean: number;
  diffMean: number;
  diffP05: number;
  diffP95: number;
  /** Share of runs where the variant's value is higher (indicators) or better (targets). */
  pBeats: number;
  seCrn: number;
  seIndependent: number;
}

const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const variance = (x: number[]) => {
  if (x.length < 2) return 0;
  const m = mean(x);
  return x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
};

/** Paired statistics of two equal-length lists (same run order); `better(v, b)` judges a pair. */
export function paired(base: number[], variant: number[], better: (v: number, b: number) => boolean): Paired {
  const n = base.length;
  const d = variant.map((v, i) => v - base[i]);
  const [p05, p95] = quantiles(d, [0.05, 0.95]);
  return {
    baseMean: mean(base),
    variantMean: mean(variant),
    diffMean: mean(d),
    diffP05: p05,
    diffP95: p95,
    pBeats: variant.filter((v, i) => better(v, base[i])).length / n,
    seCrn: Math.sqrt(variance(d) / n),
    seIndependent: Math.sqrt((variance(base) + variance(variant)) / n),
  };
}

/** The runs two result sets share, as two lists in run order. */
export function pairRuns(base: RunResult[], variant: RunResult[]): [RunResult[], RunResult[]] {
  const v = new Map(variant.map((r) => [r.run, r]));
  const b = base.filter((r) => v.has(r.run)).sort((x, y) => x.run - y.run);
  return [b, b.map((r) => v.get(r.run)!)];
}

/** One row of compare.csv. */
export interface IndicatorComparison extends Paired {
  metric: string;
  region: string;
  year: number;
}

/** Paired statistics for every metric, region and year (flows from the first simulated year). */
export function compareIndicators(base: RunResult[], variant: RunResult[], shape: ObsShape): IndicatorComparison[] {
  const rows: IndicatorComparison[] = [];
  METRICS.forEach((metric, m) =>
    REGIONS.forEach((region, r) =>
      shape.years.forEach((year, y) => {
        if (metric.flow && y === 0) return;
        rows.push({ metric: metric.id, region, year, ...paired(across(base, shape, m, r, y), across(variant, shape, m, r, y), (a, b) => a > b) });
      }),
    ),
  );
  return rows;
}

/** Whether value v is better than b for a target: closer to meeting it, or met where b is not. */
export function betterFor(t: Pick<Target, 'comparator' | 'value' | 'tolerance'>): (v: number, b: number) => boolean {
  switch (t.comparator) {
    case '>=':
    case '>':
      return (v, b) => v > b;
    case '<=':
    case '<':
      return (v, b) => v < b;
    case 'about':
      return (v, b) => (meets(t, v) && !meets(t, b)) || Math.abs(v - t.value) < Math.abs(b - t.value);
  }
}

/** One row of compare_targets.csv. */
export interface TargetComparison extends Paired {
  target: Target;
  /** P(met) of base and variant, with the model discrepancy where there is one. */
  baseMet: number;
  variantMet: number;
  /** The change in P(met), variant − base: the mean paired difference of per-run probabilities, and its 90% interval. */
  diffMet: number;
  diffMetLo: number;
  diffMetHi: number;
  /** Whether P(met) includes a model discrepancy for the target's metric and region. */
  withDiscrepancy: boolean;
}

/** Paired statistics for every modelled target within the simulated years; `d`: the base's model discrepancy. */
export function compareTargets(targets: Target[], base: RunResult[], variant: RunResult[], shape: ObsShape, d?: ModelDiscrepancy): TargetComparison[] {
  const out: TargetComparison[] = [];
  for (const t of targets) {
    const m = METRICS.findIndex((x) => x.id === t.metric),
      r = (REGIONS as readonly string[]).indexOf(t.region),
      y = shape.years.indexOf(t.year);
    if (!t.modelled || m < 0 || r < 0 || y < 0) continue;
    const b = across(base, shape, m, r, y),
      v = across(variant, shape, m, r, y);
    const sd = discrepancySd(d, t.metric, t.region, t.year);
    const pb = b.map((x) => pMeets(t, x, sd)),
      pv = v.map((x) => pMeets(t, x, sd));
    const diff = pv.map((p, i) => p - pb[i]);
    const [diffMetLo, diffMetHi] = pairedInterval(diff);
    out.push({
      target: t,
      ...paired(b, v, betterFor(t)),
      baseMet: mean(pb),
      variantMet: mean(pv),
      diffMet: mean(diff),
      diffMetLo,
      diffMetHi,
      withDiscrepancy: sd !== undefined,
    });
  }
  return out;
}
