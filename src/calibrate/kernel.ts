/**
 * The numbers of ABC-SMC that need no simulation: seeded streams, normal draws, weighted
 * covariance, Cholesky factors and the multivariate normal kernel. All on the unit cube of the
 * calibrated parameters' prior ranges, where every prior is uniform on [0, 1].
 */
import seedrandom from 'seedrandom';

/** A uniform stream on [0, 1) keyed by (master seed, label): the same numbers on every resume. */
export function stream(seed: number, label: string): () => number {
  const rng = seedrandom.xor4096(`urbanize:${seed}:calibrate:${label}`);
  return () => rng.double();
}

/** A standard normal draw (Box-Muller on two uniforms of `u`). */
export function normal(u: () => number): number {
  const a = 1 - u(),
    b = u();
  return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * b);
}

/** The weighted covariance matrix of points (rows) with weights w (any positive sum). */
export function weightedCov(points: number[][], w: number[]): number[][] {
  const k = points[0].length,
    W = w.reduce((a, b) => a + b, 0);
  const mean = new Array<number>(k).fill(0);
  points.forEach((p, i) => p.forEach((x, j) => (mean[j] += (w[i] * x) / W)));
  const cov = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  points.forEach((p, i) => {
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) cov[a][b] += (w[i] * (p[a] - mean[a]) * (p[b] - mean[b])) / W;
  });
  return cov;
}

/** Lower Cholesky factor of a symmetric positive-definite matrix (a tiny ridge keeps it definite). */
export function cholesky(a: number[][]): number[][] {
  const k = a.length;
  const L = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i][j] + (i === j ? 1e-9 : 0);
      for (let m = 0; m < j; m++) s -= L[i][m] * L[j][m];
      L[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j][j];
    }
  return L;
}

/** exp(-|L^-1 d|^2 / 2): the normal kernel at difference d, up to a constant common to all pairs. */
export function kernelAt(L: number[][], d: number[]): number {
  const k = d.length,
    y = new Array<number>(k);
  let q = 0;
  for (let i = 0; i < k; i++) {
    let s = d[i];
    for (let m = 0; m < i; m++) s -= L[i][m] * y[m];
    y[i] = s / L[i][i];
    q += y[i] * y[i];
  }
  return Math.exp(-q / 2);
}

/** Index drawn in proportion to `w` with uniform u in [0, 1). */
export function pick(w: number[], u: number): number {
  const W = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < w.length; i++) if ((acc += w[i] / W) > u) return i;
  return w.length - 1;
}

/** The q-quantile of values with weights (the smallest value whose cumulative weight reaches q). */
export function weightedQuantile(values: number[], w: number[], q: number): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const W = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (const i of order) if ((acc += w[i]) >= q * W - 1e-12) return values[i];
  return values[order.at(-1)!];
}
