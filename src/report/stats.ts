/**
 * The quantiles the report's fans draw, across runs (core/stats.ts, as indicators.csv). The
 * folder's files are read through src/results (format.ts, documents.ts).
 */
import { quantileSorted, sortedCopy } from '../core/stats.js';

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

/** Fan quantiles of values across runs. */
export function fan(values: readonly number[]): Fan {
  const s = sortedCopy(values);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    p05: quantileSorted(s, 0.05),
    p25: quantileSorted(s, 0.25),
    p50: quantileSorted(s, 0.5),
    p75: quantileSorted(s, 0.75),
    p95: quantileSorted(s, 0.95),
    mean,
    n: s.length,
  };
}
