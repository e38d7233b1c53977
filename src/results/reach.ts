/**
 * What it takes to reach a target: the lever value x at which P(met)(x) reaches a level (50%, 80%).
 * P(met)(x) = mean over runs r of p_r(x), p_r the probability that run r meets the target with the
 * model's discrepancy (probability.ts). Every value x is evaluated on the same runs (common random
 * numbers: run r has the same seed, agent draws and posterior parameter set at every x), so the
 * differences between values are the lever's, not noise.
 *
 * The root finder (findCrossings):
 * 1. a grid of `grid` values evenly over [lo, hi], plus `extra` values (the scenario's own setting);
 * 2. the direction: +1 when P(met) at hi is at least P(met) at lo (the lever helps as it rises),
 *    else −1. "Effort" orders the values from the end where P(met) is low to where it is high;
 * 3. for each level L, the bracket: walking the evaluated values in effort order, the first value
 *    with P(met) ≥ L and the one before it; none: not reached in the range; the first value: met
 *    throughout (already at the range's low-effort end);
 * 4. `steps` bisections: each evaluates the midpoint of every open bracket (one batch for all
 *    levels), and the brackets are found again over all values evaluated so far;
 * 5. the crossing: linear interpolation of P(met) between the bracket's two values.
 * The interval of a crossing: the same walk and interpolation on B = 1000 bootstrap resamples of
 * the runs (a resample keeps a run's values at every x together, as CRN pairs them), 5% and 95%
 * order statistics in effort order; a resample that does not cross in the range puts that end of
 * the interval open (beyond the range). It is the uncertainty from the finite runs (Monte Carlo and
 * the posterior's sets they drew), given the values evaluated.
 */
import seedrandom from 'seedrandom';
import { mean } from '../core/stats.js';
import { mcInterval } from './probability.js';

/** How the root finder searches: the range, the grid, the bisection steps and the levels. */
export interface ReachSearch {
  lo: number;
  hi: number;
  /** Values of the first grid, evenly from lo to hi (at least 2). */
  grid: number;
  /** Values added to the first grid (the scenario's own setting), when within [lo, hi]. */
  extra: number[];
  /** Bisection steps after the grid. */
  steps: number;
  /** P(met) levels to reach, each in (0, 1). */
  levels: number[];
  /** Seeds the bootstrap. */
  seed: number;
}

/** One evaluated lever value: the step that asked for it (0 = the grid) and each run's p_r. */
export interface ReachPoint {
  point: number;
  step: number;
  x: number;
  perRun: number[];
}

/** P(met) at a point, with its 90% Monte Carlo interval. */
export interface PointSummary {
  point: number;
  step: number;
  x: number;
  p: number;
  lo: number;
  hi: number;
}

/** Where P(met) reaches a level, with its interval (null: open, beyond that end of the range). */
export interface Crossing {
  level: number;
  /** crossed: within the range; met_throughout: at the low-effort end already; not_reached: nowhere in the range. */
  status: 'crossed' | 'met_throughout' | 'not_reached';
  /** The crossing; for met_throughout the range's low-effort end, for not_reached null. */
  value: number | null;
  /** The 90% interval of the crossing, low and high in lever units; null: open, beyond that end of the range. */
  low: number | null;
  high: number | null;
  /** The evaluated values either side of the crossing, ascending (null: no bracket). */
  bracket: [number, number] | null;
  /** Share of bootstrap resamples that cross within the range. */
  crossedShare: number;
}

/** What the search found. */
export interface ReachResult {
  direction: 1 | -1;
  points: ReachPoint[];
  summaries: PointSummary[];
  crossings: Crossing[];
}

/** Evaluates lever values: each one's per-run probabilities p_r, on the same runs for every value. */
export type Evaluate = (xs: number[], step: number) => Promise<number[][]>;

/** Bootstrap resamples of the runs. */
export const BOOTSTRAP = 1000;

/** The crossing of `level` over values sorted in effort order with their P(met): a value (interpolated), or where it is not. */
function walk(xs: readonly number[], ps: readonly number[], level: number): { k: number; value: number } {
  const k = ps.findIndex((p) => p >= level);
  if (k <= 0) return { k, value: k === 0 ? xs[0] : NaN };
  const [x0, x1, p0, p1] = [xs[k - 1], xs[k], ps[k - 1], ps[k]];
  return { k, value: x0 + ((level - p0) * (x1 - x0)) / (p1 - p0) };
}

/** The evaluated points in effort order: ascending x for direction +1, descending for −1. */
function inEffortOrder(points: readonly ReachPoint[], direction: 1 | -1): ReachPoint[] {
  return [...points].sort((a, b) => direction * (a.x - b.x));
}

/** The direction: +1 when P(met) at the range's high end is at least that at its low end. */
function directionOf(points: readonly ReachPoint[], lo: number, hi: number): 1 | -1 {
  const at = (x: number) => mean(points.find((p) => p.x === x)!.perRun);
  return at(hi) >= at(lo) ? 1 : -1;
}

/** Runs the search with `evaluate`; deterministic for the same evaluations and seed. */
export async function findCrossings(s: ReachSearch, evaluate: Evaluate): Promise<ReachResult> {
  const points: ReachPoint[] = [];
  const add = async (xs: number[], step: number) => {
    const fresh = xs.filter((x, i) => xs.indexOf(x) === i && !points.some((p) => p.x === x));
    if (!fresh.length) return;
    const values = await evaluate(fresh, step);
    fresh.forEach((x, i) => points.push({ point: points.length, step, x, perRun: values[i] }));
  };
  const grid = Array.from({ length: s.grid }, (_, i) => (i === s.grid - 1 ? s.hi : s.lo + ((s.hi - s.lo) * i) / (s.grid - 1)));
  await add([...grid, ...s.extra.filter((x) => x >= s.lo && x <= s.hi)], 0);
  const direction = directionOf(points, s.lo, s.hi);
  for (let step = 1; step <= s.steps; step++) {
    const order = inEffortOrder(points, direction);
    const ps = order.map((p) => mean(p.perRun));
    const mids = s.levels.flatMap((level) => {
      const { k } = walk(
        order.map((p) => p.x),
        ps,
        level,
      );
      return k > 0 ? [(order[k - 1].x + order[k].x) / 2] : [];
    });
    if (!mids.length) break;
    await add(mids, step);
  }
  const summaries = points.map((p) => {
    const [lo, hi] = mcInterval(p.perRun);
    return { point: p.point, step: p.step, x: p.x, p: mean(p.perRun), lo, hi };
  });
  return { direction, points, summaries, crossings: crossingsOf(points, direction, s.levels, s.seed) };
}

/** Each level's crossing over the evaluated points, with its bootstrap interval. */
export function crossingsOf(points: readonly ReachPoint[], direction: 1 | -1, levels: readonly number[], seed: number): Crossing[] {
  const order = inEffortOrder(points, direction);
  const xs = order.map((p) => p.x);
  const n = order[0].perRun.length;
  const rng = seedrandom.xor4096(`urbanize:${seed}:reach`);
  // Resample the runs once for all levels: counts[b][r], how often resample b took run r.
  const resampled: number[][] = Array.from({ length: BOOTSTRAP }, () => {
    const count = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) count[Math.floor(rng() * n)]++;
    return order.map((p) => p.perRun.reduce((a, v, r) => a + count[r] * v, 0) / n);
  });
  const ps = order.map((p) => mean(p.perRun));
  return levels.map((level) => {
    const { k, value } = walk(xs, ps, level);
    // Effort of a resample's crossing: −∞ when met at the low-effort end, +∞ when not reached.
    const efforts = resampled
      .map((b) => {
        const w = walk(xs, b, level);
        return w.k < 0 ? Infinity : w.k === 0 ? -Infinity : direction * w.value;
      })
      .sort((a, b) => a - b);
    const at = (q: number) => efforts[Math.min(BOOTSTRAP - 1, Math.max(0, Math.ceil(q * BOOTSTRAP) - 1))];
    // A bound a resample puts beyond the range (met at its low-effort end, or not reached) is open.
    const bound = (e: number) => (Number.isFinite(e) ? direction * e : null);
    const [least, most] = [bound(at(0.05)), bound(at(0.95))];
    const status = k < 0 ? 'not_reached' : k === 0 ? 'met_throughout' : 'crossed';
    return {
      level,
      status,
      value: k < 0 ? null : value,
      low: direction === 1 ? least : most,
      high: direction === 1 ? most : least,
      bracket: k > 0 ? [Math.min(xs[k - 1], xs[k]), Math.max(xs[k - 1], xs[k])] : null,
      crossedShare: efforts.filter((e) => Number.isFinite(e)).length / BOOTSTRAP,
    };
  });
}
