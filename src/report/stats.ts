/**
 * The quantiles the report's fans draw, across runs (core/stats.ts, as indicators.csv), with the
 * model discrepancy added where there is one (the predictive quantiles of indicators.csv). The
 * folder's files are read through src/results (format.ts, documents.ts).
 */
import { normalMixtureQuantile, quantileSorted, sortedCopy } from '../core/stats.js';

/** The five quantiles a fan chart draws: 90% band, 50% band and the median. */
export interface Fan {
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  mean: number;
  n: number;
}

/**
 * Fan quantiles of values across runs; with a discrepancy sd > 0, the quantiles of the predictive
 * mixture of N(value, sd²) over the runs (normalMixtureQuantile), as indicators.csv's pred_ columns.
 */
export function fan(values: readonly number[], sd = 0): Fan {
  const s = sortedCopy(values);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  const q = (p: number) => (sd > 0 ? normalMixtureQuantile(s, sd, p) : quantileSorted(s, p));
  return { p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95), mean, n: s.length };
}
