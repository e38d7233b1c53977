/**
 * The two naive forecasts a backtest sets the model against, made only from the observed points
 * before the holdout year h:
 *  - the pace: the straight line through the first and last of the points used, continued;
 *  - the trend: a logistic curve with its ceiling at 100 (for a rate in %) or an exponential
 *    (any other series), fitted by least squares on logit(v / 100) or ln(v) against the year.
 * The points used are those of the five years of pace before the holdout, years h-6 .. h-1
 * (for h = 2021: 2015-2020); when fewer than two lie there, the latest two before h (a series
 * with gaps: for h = 2021 the residents' censuses 2010 and 2020). With fewer than two observed
 * points before h there is no naive forecast.
 */

/** An observed point of a series. */
export interface Point {
  year: number;
  value: number;
}

/** The form of a series' naive trend: logistic for rates in %, exponential otherwise. */
export type TrendForm = 'logistic' | 'exponential';

/** The points a naive forecast from holdout year `h` uses (see the module comment); sorted by year. */
export function naivePoints(points: readonly Point[], h: number): Point[] {
  const before = points.filter((p) => p.year < h).sort((a, b) => a.year - b.year);
  const window = before.filter((p) => p.year >= h - 6);
  return window.length >= 2 ? window : before.slice(-2);
}

/** The pace forecast for `year`: the line through the first and last points, continued; NaN without two points. */
export function paceForecast(used: readonly Point[], year: number): number {
  if (used.length < 2) return NaN;
  const a = used[0],
    b = used[used.length - 1];
  return b.value + ((b.value - a.value) / (b.year - a.year)) * (year - b.year);
}

/** Least-squares line y = a + b (x - x̄) of points (x, y); needs two distinct x. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number; xMean: number } {
  const n = xs.length;
  const xMean = xs.reduce((s, x) => s + x, 0) / n,
    yMean = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - xMean) * (ys[i] - yMean);
    sxx += (xs[i] - xMean) ** 2;
  }
  return { intercept: yMean, slope: sxy / sxx, xMean };
}

/** A logistic curve 100 / (1 + exp(-k (t - t0))): its rate k and midpoint t0, fitted to rates in %. */
export function fitLogistic(points: readonly Point[]): { k: number; t0: number } {
  const { intercept, slope, xMean } = leastSquares(
    points.map((p) => p.year),
    points.map((p) => Math.log(p.value / (100 - p.value))),
  );
  return { k: slope, t0: xMean - intercept / slope };
}

/** An exponential curve v0 exp(g (t - tRef)) fitted to positive values: its growth rate g, level at tRef. */
export function fitExponential(points: readonly Point[]): { g: number; tRef: number; level: number } {
  const { intercept, slope, xMean } = leastSquares(
    points.map((p) => p.year),
    points.map((p) => Math.log(p.value)),
  );
  return { g: slope, tRef: xMean, level: Math.exp(intercept) };
}

/** The trend forecast for `year` of the form's curve fitted to `used`; NaN without two points. */
export function trendForecast(used: readonly Point[], year: number, form: TrendForm): number {
  if (used.length < 2) return NaN;
  // The fitted line on the transformed scale, evaluated directly: no division by a zero slope.
  const xs = used.map((p) => p.year);
  if (form === 'logistic') {
    const { intercept, slope, xMean } = leastSquares(
      xs,
      used.map((p) => Math.log(p.value / (100 - p.value))),
    );
    return 100 / (1 + Math.exp(-(intercept + slope * (year - xMean))));
  }
  const { intercept, slope, xMean } = leastSquares(
    xs,
    used.map((p) => Math.log(p.value)),
  );
  return Math.exp(intercept + slope * (year - xMean));
}
