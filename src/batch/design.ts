/**
 * Sampling designs for sweeps over levers and uncertain parameters, on the unit hypercube:
 *  - Latin hypercube: each factor's range cut into N equal strata, one point in each, strata
 *    matched across factors by random permutations (xor4096 seeded by the master seed);
 *  - Sobol: the low-discrepancy sequence of Sobol with the direction numbers of Joe and Kuo
 *    (new-joe-kuo-6.21201, first 21 dimensions), arranged as Saltelli's A, B and AB_i matrices
 *    so that first-order and total Sobol indices can be estimated from N (k + 2) runs.
 */
import seedrandom from 'seedrandom';

/** (s, a, m_1..m_s) of dimensions 2..21 (Joe & Kuo, new-joe-kuo-6.21201); dimension 1 is van der Corput. */
const JOE_KUO: [number, number, number[]][] = [
  [1, 0, [1]],
  [2, 1, [1, 3]],
  [3, 1, [1, 3, 1]],
  [3, 2, [1, 1, 1]],
  [4, 1, [1, 1, 3, 3]],
  [4, 4, [1, 3, 5, 13]],
  [5, 2, [1, 1, 5, 5, 17]],
  [5, 4, [1, 1, 5, 5, 5]],
  [5, 7, [1, 1, 7, 11, 19]],
  [5, 11, [1, 1, 5, 1, 1]],
  [5, 13, [1, 1, 1, 3, 11]],
  [5, 14, [1, 3, 5, 5, 31]],
  [6, 1, [1, 3, 3, 9, 7, 49]],
  [6, 13, [1, 1, 1, 15, 21, 21]],
  [6, 16, [1, 3, 1, 13, 27, 49]],
  [6, 19, [1, 1, 1, 15, 7, 5]],
  [6, 22, [1, 3, 1, 15, 13, 25]],
  [6, 25, [1, 1, 5, 5, 19, 61]],
  [7, 1, [1, 3, 7, 11, 23, 15, 103]],
  [7, 4, [1, 3, 7, 13, 13, 15, 69]],
];

/** Most dimensions the Sobol generator supports. */
export const SOBOL_MAX_DIM = JOE_KUO.length + 1;

/** Points 1..n of the d-dimensional Sobol sequence (the all-zero first point is skipped). */
export function sobolPoints(n: number, d: number): number[][] {
  if (d > SOBOL_MAX_DIM) throw new Error(`the Sobol design supports at most ${SOBOL_MAX_DIM} dimensions`);
  const BITS = 32;
  const V: Uint32Array[] = [];
  for (let j = 0; j < d; j++) {
    const v = new Uint32Array(BITS);
    if (j === 0) for (let k = 0; k < BITS; k++) v[k] = (1 << (31 - k)) >>> 0;
    else {
      const [s, a, m] = JOE_KUO[j - 1];
      for (let k = 0; k < Math.min(s, BITS); k++) v[k] = (m[k] << (31 - k)) >>> 0;
      for (let k = s; k < BITS; k++) {
        let x = (v[k - s] ^ (v[k - s] >>> s)) >>> 0;
        for (let l = 1; l < s; l++) if ((a >>> (s - 1 - l)) & 1) x = (x ^ v[k - l]) >>> 0;
        v[k] = x;
      }
    }
    V.push(v);
  }
  const x = new Uint32Array(d);
  const out: number[][] = [];
  for (let i = 1; i <= n; i++) {
    // Gray-code order: point i differs from point i-1 in the direction of the lowest zero bit of i-1.
    let c = 0,
      m = i - 1;
    while (m & 1) {
      m >>>= 1;
      c++;
    }
    for (let j = 0; j < d; j++) x[j] = (x[j] ^ V[j][c]) >>> 0;
    out.push(Array.from(x, (v) => v / 4294967296));
  }
  return out;
}

/** A Latin-hypercube sample of n points in k dimensions, seeded. */
export function latinHypercube(n: number, k: number, seed: number): number[][] {
  const rng = seedrandom.xor4096(`urbanize:${seed}:lhs`);
  const pts = Array.from({ length: n }, () => new Array<number>(k).fill(0));
  for (let j = 0; j < k; j++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const r = Math.floor(rng() * (i + 1));
      [perm[i], perm[r]] = [perm[r], perm[i]];
    }
    for (let i = 0; i < n; i++) pts[i][j] = (perm[i] + rng()) / n;
  }
  return pts;
}

/**
 * Saltelli's arrangement of a 2k-dimensional Sobol sample: rows 0..N-1 are A, N..2N-1 are B, and
 * 2N + i N + j is A_j with factor i taken from B_j (AB_i). N (k + 2) points in all.
 */
export function saltelli(n: number, k: number): number[][] {
  const base = sobolPoints(n, 2 * k);
  const A = base.map((p) => p.slice(0, k)),
    B = base.map((p) => p.slice(k));
  const rows = [...A, ...B];
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) rows.push(A[j].map((v, f) => (f === i ? B[j][i] : v)));
  return rows;
}
