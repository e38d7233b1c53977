/**
 * The probability that a target is met, and how sure we are of it. Each run r gives a value x_r;
 * the model's own error (its discrepancy from the world, a normal e ~ N(0, sd²) in the metric's
 * unit, sd from the discrepancy file for the target's year) is added to it:
 *   p_r = P(x_r + e meets the target), in closed form with Φ (core/stats.ts);
 *   P(met) = mean of p_r over the runs (the runs carry the parameter sets when a posterior is used).
 * With no discrepancy for a metric (sd = 0) p_r is 1 or 0 and P(met) is the share of runs that meet
 * the target, as before. The Monte Carlo interval of P(met) says how far the mean of these runs
 * may be from the mean over infinitely many: see mcInterval. No zod, no randomness.
 */
import { mean, normalCdf, sampleSd } from '../core/stats.js';
import { meets, type Threshold } from './attainment.js';

/** A figure made by the project, with how it was made. */
export interface Estimated {
  value: number;
  estimate: string;
}

/** The discrepancy of one metric in one region: sd(h)² = sd0² + sd1²·h, h = year − horizon_from (h ≥ 0). */
export interface DiscrepancySeries {
  metric: string;
  region: string;
  unit: string;
  sd0: Estimated;
  sd1: Estimated;
}

/** The model-discrepancy file, as loaded (discrepancy.ts) and kept in the manifest with the targets. */
export interface ModelDiscrepancy {
  /** The file as the targets file names it. */
  file: string;
  /** The last year the model was tied to observations: the horizon h of a year counts from it. */
  horizon_from: number;
  series: DiscrepancySeries[];
  /** Metrics with no usable history, and why: their P(met) is without discrepancy. */
  no_history: { metric: string; region: string; why: string }[];
}

/** The discrepancy's standard deviation of a metric, region and year; undefined when the file gives none. */
export function discrepancySd(d: ModelDiscrepancy | undefined, metric: string, region: string, year: number): number | undefined {
  const s = d?.series.find((x) => x.metric === metric && x.region === region);
  if (!d || !s) return undefined;
  const h = Math.max(0, year - d.horizon_from);
  return Math.sqrt(s.sd0.value * s.sd0.value + s.sd1.value * s.sd1.value * h);
}

/** P(x + e meets t), e ~ N(0, sd²); with sd = 0 (or none) 1 when x meets t, else 0. */
export function pMeets(t: Threshold, x: number, sd: number | undefined): number {
  if (!(sd !== undefined && sd > 0)) return meets(t, x) ? 1 : 0;
  switch (t.comparator) {
    case '>=':
    case '>':
      return normalCdf((x - t.value) / sd);
    case '<=':
    case '<':
      return normalCdf((t.value - x) / sd);
    case 'about': {
      // P(v − w ≤ x + e ≤ v + w) = Φ((v + w − x)/sd) − Φ((v − w − x)/sd), taken on the side of the
      // mean where both Φ are small, so that nothing cancels when x is far from the band.
      const w = (t.tolerance ?? 0) * Math.abs(t.value);
      const a = (t.value - w - x) / sd,
        b = (t.value + w - x) / sd;
      return a > 0 ? normalCdf(-a) - normalCdf(-b) : normalCdf(b) - normalCdf(a);
    }
  }
}

/** The z of a two-sided 90% interval, Φ⁻¹(0.95). */
export const Z90 = 1.6448536269514722;

/**
 * The 90% Monte Carlo interval of the mean of per-run probabilities p (each in [0, 1]):
 * - when every p_r is 0 or 1 (no discrepancy, or every run far from the threshold), the Wilson
 *   score interval of k = Σ p_r successes in n: it stays inside [0, 1], and is not empty at 0 of n
 *   or n of n, where a normal interval would have zero width;
 * - otherwise mean ± Φ⁻¹(0.95) · sd(p)/√n (sd with divisor n − 1), clipped to [0, 1].
 * One run: [0, 1] (nothing is known of the spread).
 */
export function mcInterval(p: readonly number[]): [number, number] {
  const n = p.length;
  if (n === 0) return [NaN, NaN];
  const m = mean(p);
  if (p.every((x) => x === 0 || x === 1)) {
    const z2 = Z90 * Z90,
      centre = (m + z2 / (2 * n)) / (1 + z2 / n),
      half = (Z90 / (1 + z2 / n)) * Math.sqrt((m * (1 - m)) / n + z2 / (4 * n * n));
    return [Math.max(0, centre - half), Math.min(1, centre + half)];
  }
  if (n === 1) return [0, 1];
  const half = (Z90 * sampleSd(p)) / Math.sqrt(n);
  return [Math.max(0, m - half), Math.min(1, m + half)];
}

/**
 * The 90% interval of a mean of paired differences d_r = p_r(variant) − p_r(base): mean ±
 * Φ⁻¹(0.95) · sd(d)/√n, clipped to [−1, 1]. Identical arms give d = 0 and a zero-width interval.
 */
export function pairedInterval(d: readonly number[]): [number, number] {
  const n = d.length;
  if (n === 0) return [NaN, NaN];
  const m = mean(d);
  const half = n > 1 ? (Z90 * sampleSd(d)) / Math.sqrt(n) : 0;
  return [Math.max(-1, m - half), Math.min(1, m + half)];
}

/** P(met) of a target over runs' values, with its interval, the share of runs that meet it, and p_r. */
export interface Attainment {
  p: number;
  lo: number;
  hi: number;
  /** The share of runs that meet the target (Monte Carlo only, no discrepancy). */
  share: number;
  perRun: number[];
}

/** P(met) of target t over the runs' values, with discrepancy sd (undefined: none). */
export function attainment(t: Threshold, values: readonly number[], sd: number | undefined): Attainment {
  const perRun = values.map((x) => pMeets(t, x, sd));
  const [lo, hi] = mcInterval(perRun);
  return {
    p: mean(perRun),
    lo,
    hi,
    share: values.filter((x) => meets(t, x)).length / values.length,
    perRun,
  };
}
