/**
 * Statistics across runs: the mean and sample standard deviation of indicators.csv and
 * summary.json (below), the normal CDF and the quantiles of a normal mixture (P(met) and the
 * predictive bands, at the end), and quantiles, computed one way everywhere (results files, compare, validation, the
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

/**
 * The standard normal CDF Φ(x), to about 1e-15 absolute error: the rational approximation of Hart
 * (1968) as given by West, "Better approximations to cumulative normal functions" (Wilmott, 2005),
 * with a continued fraction beyond |x| = 5√2. Arithmetic and `Math.exp` only, so the same bytes
 * on every run and machine (no random pivots, no library).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  let c = 0;
  if (a <= 37) {
    const e = Math.exp((-a * a) / 2);
    if (a < 7.07106781186547) {
      let n = 3.52624965998911e-2 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 8.83883476483184e-2 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = a + 0.65;
      b = a + 4 / b;
      b = a + 3 / b;
      b = a + 2 / b;
      b = a + 1 / b;
      c = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

/** The error function, erf(x) = 2Φ(x√2) − 1 (normalCdf). */
export const erf = (x: number): number => (x >= 0 ? 1 - 2 * normalCdf(-x * Math.SQRT2) : 2 * normalCdf(x * Math.SQRT2) - 1);

/**
 * The q-quantile (0 < q < 1) of the equal-weight mixture of N(c, sd²) over the centres c: the x
 * where the mixture's CDF, mean of Φ((x − c)/sd), reaches q, found by bisection until the bracket
 * cannot shrink in floating point (deterministic: no random start, no tolerance that depends on
 * the order of the centres). With sd = 0 the mixture is the centres themselves, and their
 * quantile is the one of `quantiles` (type 7), so the columns built on it agree with the Monte
 * Carlo ones when there is no spread to add.
 */
export function normalMixtureQuantile(centres: ArrayLike<number>, sd: number, q: number): number {
  const n = centres.length;
  if (n === 0) return NaN;
  if (!(sd > 0)) return quantileSorted(sortedCopy(centres), q);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, centres[i]);
    hi = Math.max(hi, centres[i]);
  }
  // Beyond 40 sd from every centre the mixture's CDF is 0 or 1 to double precision.
  lo -= 40 * sd;
  hi += 40 * sd;
  const cdf = (x: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += normalCdf((x - centres[i]) / sd);
    return s / n;
  };
  for (let k = 0; k < 200; k++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}
