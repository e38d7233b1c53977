/**
 * Which levers move which outcomes.
 *  - Standardized regression coefficients (for Latin-hypercube sweeps): the least-squares
 *    coefficients of the standardized outcome on the standardized factors (mathjs lusolve); with
 *    R^2, the share of the outcome's variance the linear model explains.
 *  - Sobol indices (for Saltelli designs): first order S_i = mean(f(B) (f(AB_i) - f(A))) / V
 *    (Saltelli 2010) and total ST_i = mean((f(A) - f(AB_i))^2) / (2 V) (Jansen 1999), V the
 *    variance of f over A and B, on outputs centred by their mean over A and B.
 * Uncertainty: 90% percentile intervals from 500 bootstrap resamples of the design rows (or of
 * the base rows j of A, B and AB_i together), seeded by the master seed.
 */
import { math } from './math.js';
import seedrandom from 'seedrandom';

/** An index with its 90% bootstrap interval. */
export interface Estimate {
  estimate: number;
  low: number;
  high: number;
}

const BOOT = 500;
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const sd = (x: number[]) => {
  const m = mean(x);
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, x.length - 1));
};
const pct = (x: number[], q: number) => {
  const s = [...x].sort((a, b) => a - b);
  const k = (s.length - 1) * q,
    i = Math.floor(k);
  return s[i] + (s[Math.min(i + 1, s.length - 1)] - s[i]) * (k - i);
};
const interval = (point: number, boots: number[]): Estimate => ({ estimate: point, low: pct(boots, 0.05), high: pct(boots, 0.95) });

/** Standardized regression coefficients of y on the columns of X, and R^2. */
function src(X: number[][], y: number[]): { beta: number[]; r2: number } {
  const k = X[0].length;
  const mx = Array.from({ length: k }, (_, f) => mean(X.map((r) => r[f]))),
    sx = Array.from({ length: k }, (_, f) => sd(X.map((r) => r[f])));
  const my = mean(y),
    sy = sd(y);
  if (sy === 0) return { beta: new Array(k).fill(0), r2: 0 };
  const Z = X.map((r) => r.map((v, f) => (sx[f] > 0 ? (v - mx[f]) / sx[f] : 0)));
  const zy = y.map((v) => (v - my) / sy);
  const XtX = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => Z.reduce((s, r) => s + r[a] * r[b], 0) + (a === b ? 1e-12 : 0)));
  const Xty = Array.from({ length: k }, (_, a) => Z.reduce((s, r, i) => s + r[a] * zy[i], 0));
  const beta = (math().lusolve(XtX, Xty) as number[][]).map((r) => r[0]);
  const fitted = Z.map((r) => r.reduce((s, v, f) => s + v * beta[f], 0));
  const ssr = zy.reduce((s, v, i) => s + (v - fitted[i]) ** 2, 0),
    sst = zy.reduce((s, v) => s + v * v, 0);
  return { beta, r2: sst > 0 ? 1 - ssr / sst : 0 };
}

/** SRCs with bootstrap intervals; `seed` makes the resampling reproducible. */
export function regressionIndices(X: number[][], y: number[], seed: number): { coefficients: Estimate[]; r2: number } {
  const point = src(X, y);
  const rng = seedrandom.xor4096(`urbanize:${seed}:bootstrap`);
  const boots: number[][] = X[0].map(() => []);
  for (let b = 0; b < BOOT; b++) {
    const idx = X.map(() => Math.floor(rng() * X.length));
    const r = src(
      idx.map((i) => X[i]),
      idx.map((i) => y[i]),
    );
    r.beta.forEach((v, f) => boots[f].push(v));
  }
  return { coefficients: point.beta.map((v, f) => interval(v, boots[f])), r2: point.r2 };
}

/** First-order and total Sobol indices from outcomes in Saltelli order (see batch/design.ts). */
export function sobolIndices(f: number[], n: number, k: number, seed: number): { first: Estimate[]; total: Estimate[] } {
  // Centre the outputs first: the estimators are unchanged in expectation, but without centring
  // the first-order one carries the square of the mean as noise (outcomes like 67% vary by 0.1).
  const centre = mean(f.slice(0, 2 * n));
  f = f.map((v) => v - centre);
  const A = f.slice(0, n),
    B = f.slice(n, 2 * n);
  const AB = Array.from({ length: k }, (_, i) => f.slice(2 * n + i * n, 2 * n + (i + 1) * n));
  const indices = (rows: number[]) => {
    const a = rows.map((j) => A[j]),
      b = rows.map((j) => B[j]);
    const all = [...a, ...b],
      m = mean(all);
    const V = all.reduce((s, v) => s + (v - m) ** 2, 0) / all.length;
    return AB.map((abi) => {
      const ab = rows.map((j) => abi[j]);
      if (V === 0) return [0, 0];
      const s1 = mean(b.map((bj, q) => bj * (ab[q] - a[q]))) / V;
      const st = mean(a.map((aj, q) => (aj - ab[q]) ** 2)) / (2 * V);
      return [s1, st];
    });
  };
  const all = Array.from({ length: n }, (_, j) => j);
  const point = indices(all);
  const rng = seedrandom.xor4096(`urbanize:${seed}:bootstrap`);
  const bootFirst: number[][] = AB.map(() => []),
    bootTotal: number[][] = AB.map(() => []);
  for (let b = 0; b < BOOT; b++) {
    const r = indices(all.map(() => Math.floor(rng() * n)));
    r.forEach(([s1, st], i) => {
      bootFirst[i].push(s1);
      bootTotal[i].push(st);
    });
  }
  return { first: point.map(([s1], i) => interval(s1, bootFirst[i])), total: point.map(([, st], i) => interval(st, bootTotal[i])) };
}
