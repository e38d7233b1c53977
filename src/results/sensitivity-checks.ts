/**
 * When a sweep's indices can be trusted: the smallest design that can estimate them (a sweep below
 * it is refused), and the warnings on a design that is large enough but still noisy.
 *
 * Minimum, Latin hypercube (standardized regression coefficients, SRC, of k factors, n samples):
 *  - the residual degrees of freedom n − k − 1 must make the coefficient's 90% interval narrower
 *    than its range [−1, 1]: for nearly orthogonal factors (a Latin hypercube) se(SRC) is about
 *    √((1 − R²)/(n − k − 1)) ≤ 1/√(n − k − 1), so Z90/√(n − k − 1) < 1, n ≥ k + 1 + ⌈Z90²⌉ = k + 4;
 *  - the bootstrap (500 resamples of the n rows) must fit a regression in nearly every resample:
 *    a resample with fewer than k + 2 distinct rows fits exactly (no residual) or not at all. The
 *    number of distinct rows in a resample of n from n has the occupancy distribution, computed
 *    exactly; n must give at least k + 2 distinct rows with probability 99%, so that fewer than 5
 *    of the 500 resamples (and so none of the 25 beyond each end of the 90% interval by itself)
 *    are degenerate. This term decides: 7 samples for 1 factor, 9 for 2, 13 for 4, 24 for 10.
 * Minimum, Sobol (Saltelli 2010 first-order and Jansen total estimators, N base rows): both are
 * means over the N rows. For a Gaussian additive output the variance of one term, divided by V²,
 * is 2S + S² for the first-order estimator (at most 3, at S = 1) and 2 ST² for the total one (at
 * most 2), so sd(Ŝ) ≤ √(3/N). The 90% interval 2 Z90 √(3/N) must be narrower than [0, 1]:
 * N ≥ 3 (2 Z90)² = 32.5, so N ≥ 33, whatever the number of factors. Simulation noise makes the
 * outputs rougher than this reference case, not smoother, so this is a floor, not a target
 * (Saltelli et al. recommend N in the hundreds or more).
 *
 * Warnings (on a design at or above its minimum):
 *  - wide: an index's 90% bootstrap interval is wider than 0.5, half the range [0, 1] of a
 *    variance share: the ranking of factors whose intervals overlap that much is not settled;
 *  - outside [0, 1]: a Sobol index further than 0.05 outside [0, 1], or a total index more than
 *    0.05 below the first-order one (true indices never are; smaller excursions around 0 are the
 *    usual noise of a factor with no effect and are left to the intervals);
 *  - R² below 0.7: the linear model explains too little of the outcome's variance for SRCs to
 *    rank the factors (the usual threshold, Saltelli et al. 2008, Global Sensitivity Analysis: The
 *    Primer, §1.2.5); a Sobol design does not need linearity.
 */
import { formatNumber, INDEX } from '../core/format.js';
import type { Estimate } from './sensitivity.js';

/** Φ⁻¹(0.95), the z of a two-sided 90% interval. */
const Z90 = 1.6448536269514722;
/** Share of bootstrap resamples that must be able to fit the regression. */
const BOOT_FIT = 0.99;
/** Width of a 90% interval above which it is "wide". */
export const WIDE_INTERVAL = 0.5;
/** How far outside [0, 1] (or below the first-order index) a Sobol index may be before it is flagged. */
export const RANGE_SLACK = 0.05;
/** R² below which SRCs do not rank the factors. */
export const R2_MIN = 0.7;

/** P(a bootstrap resample of n rows out of n has at least m distinct rows): the occupancy distribution. */
export function distinctAtLeast(n: number, m: number): number {
  let p = new Float64Array(n + 1);
  p[0] = 1;
  for (let draw = 0; draw < n; draw++) {
    const q = new Float64Array(n + 1);
    for (let d = 0; d <= draw; d++) {
      q[d] += (p[d] * d) / n;
      q[d + 1] += (p[d] * (n - d)) / n;
    }
    p = q;
  }
  let s = 0;
  for (let d = m; d <= n; d++) s += p[d];
  return s;
}

/** The smallest design that can estimate a sweep's indices, and why (see the module comment). */
export function minimumSamples(design: 'lhs' | 'sobol', k: number): { samples: number; why: string } {
  if (design === 'sobol') {
    const samples = Math.ceil(3 * (2 * Z90) ** 2);
    return {
      samples,
      why: `the first-order estimator's 90% interval, ±${Z90.toFixed(3)}·√(3/N) for a Gaussian output, is narrower than [0, 1] only from N = ${samples} base points`,
    };
  }
  const df = k + 1 + Math.ceil(Z90 * Z90);
  let n = k + 2;
  while (distinctAtLeast(n, k + 2) < BOOT_FIT) n++;
  return {
    samples: Math.max(df, n),
    why: `the regression of ${k} factor${k === 1 ? '' : 's'} needs ${df} samples for its 90% interval to be narrower than [-1, 1], and ${n} for ${BOOT_FIT * 100}% of bootstrap resamples to hold ${k + 2} distinct rows`,
  };
}

/** A warning on one outcome's indices (factor '' for the outcome as a whole). */
export interface SweepWarning {
  outcome: string;
  factor: string;
  kind: 'wide_interval' | 'outside_range' | 'total_below_first' | 'low_r2';
  message: string;
}

/** One outcome's indices as sweep.json holds them. */
export interface OutcomeIndices {
  outcome: string;
  method: 'src' | 'sobol';
  r2?: number;
  factors: readonly { factor: string; index: Estimate; total?: Estimate }[];
}

const f3 = (v: number) => formatNumber(v, INDEX);

/** The warnings on a sweep's indices, outcome by outcome, factor by factor (deterministic order). */
export function sensitivityWarnings(outcomes: readonly OutcomeIndices[]): SweepWarning[] {
  const out: SweepWarning[] = [];
  for (const o of outcomes) {
    const warn = (factor: string, kind: SweepWarning['kind'], message: string) => out.push({ outcome: o.outcome, factor, kind, message });
    if (o.method === 'src' && o.r2 !== undefined && o.r2 < R2_MIN)
      warn('', 'low_r2', `R² = ${f3(o.r2)} is below ${R2_MIN}: the linear model explains too little of the variance for the SRCs to rank the factors`);
    for (const f of o.factors) {
      const named: [string, Estimate][] =
        o.method === 'src' ? [['SRC', f.index]] : [['first-order S', f.index], ...(f.total ? [['total ST', f.total] as [string, Estimate]] : [])];
      for (const [name, e] of named) {
        if (e.high - e.low > WIDE_INTERVAL)
          warn(f.factor, 'wide_interval', `${name} ${f3(e.estimate)}: its 90% interval ${f3(e.low)} .. ${f3(e.high)} is wider than ${WIDE_INTERVAL}`);
        if (o.method === 'sobol' && (e.estimate < -RANGE_SLACK || e.estimate > 1 + RANGE_SLACK))
          warn(f.factor, 'outside_range', `${name} ${f3(e.estimate)} is outside [0, 1], which no true index is: the estimate is noise at this design size`);
      }
      if (f.total && f.total.estimate < f.index.estimate - RANGE_SLACK)
        warn(
          f.factor,
          'total_below_first',
          `total ST ${f3(f.total.estimate)} is below first-order S ${f3(f.index.estimate)}, which no true pair of indices is: the estimates are noise at this design size`,
        );
    }
  }
  return out;
}

/** What to do about warnings, said once after them. */
export const WARNINGS_ADVICE = 'more design points (--samples) or runs per point (--runs, averaging out simulation noise) narrow the intervals';
