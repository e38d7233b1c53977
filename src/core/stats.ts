/**
 * Statistics across runs: the mean and sample standard deviation of indicators.csv and
 * summary.json (below), and quantiles, computed one way everywhere (results files, compare, validation, the
 * report). Deterministic by construction: a numeric sort of a copy, then linear interpolation
 * between order statistics (type 7 of Hyndman and Fan, the default of R and of mathjs). mathjs's
 * `quantileSeq` is not used: its selection picks pivots with `Math.random()` and compares with a
 * tolerance, so the same values could give 165.3 in one call and 165.29999999999998 in the next,
 * and derived files must be the same bytes for the same runs.
 */

/** The q-quantile (0 <= q <= 1) of values sorted ascending; NaN for no values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const k = (sorted.length - 1) * q,
    i = Math.floor(k);
  const lo = sorted[i],
    hi = sorted[Math.min(i + 1, sorted.length - 1)];
  return lo + (hi - lo) * (k - i);
}

/** The values sorted ascending, in a new array (the input is left as it is). */
export const sortedCopy = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort();

/** The qs-quantiles of values in any order. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const s = sortedCopy(values);
  return qs.map((q) => quantileSorted(s, q));
}

/**
 * The mean of values in any order: summed left to right from the first value, then divided by
 * their count (what mathjs's `mean` computes for numbers, so indicators.csv kept its bytes when
 * mathjs left the summaries); NaN for no values.
 */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let sum = values[0];
  for (let i = 1; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * The sample standard deviation (divisor n - 1; 0 for one value), in the order of operations of
 * mathjs's `std` for numbers: the mean as `mean`, then the squared deviations summed left to
 * right from the first. NaN when any value is NaN or the deviations are not finite.
 */
export function sampleSd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const m = mean(values);
  let sum = (values[0] - m) * (values[0] - m);
  for (let i = 1; i < n; i++) sum += (values[i] - m) * (values[i] - m);
  if (Number.isNaN(sum)) return sum;
  return n === 1 ? 0 : Math.sqrt(sum / (n - 1));
}
