/**
 * Quantiles across runs, computed one way everywhere (results files, compare, validation, the
 * report). Deterministic by construction: a numeric sort of a copy, then linear interpolation
 * between order statistics (type 7 of Hyndman and Fan, the default of R and of mathjs). mathjs's
 * `quantileSeq` is not used: its selection picks pivots with `Math.random()` and compares with a
 * tolerance, so the same values could give 165.3 in one call and 165.29999999999998 in the next,
 * and derived files must be the same bytes for the same runs.
 */

/** The q-quantile (0 <= q <= 1) of values sorted ascending; NaN for no values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const k = (sorted.length - 1) * q, i = Math.floor(k);
  const lo = sorted[i], hi = sorted[Math.min(i + 1, sorted.length - 1)];
  return lo + (hi - lo) * (k - i);
}

/** The values sorted ascending, in a new array (the input is left as it is). */
export const sortedCopy = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort();

/** The qs-quantiles of values in any order. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const s = sortedCopy(values);
  return qs.map((q) => quantileSorted(s, q));
}
