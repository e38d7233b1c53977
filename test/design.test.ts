import { describe, expect, it } from 'vitest';
import { SOBOL_MAX_DIM, latinHypercube, saltelli, sobolPoints } from '../src/batch/design.js';

describe('sampling designs', () => {
  it('Sobol points stratify every dimension: the first 2^m points put one in each interval of width 2^-m', () => {
    const pts = sobolPoints(63, SOBOL_MAX_DIM); // points 1..63 plus the skipped 0 make 64
    for (let d = 0; d < SOBOL_MAX_DIM; d++) {
      const bins = new Array(64).fill(0);
      bins[0]++; // the skipped all-zero point
      for (const p of pts) bins[Math.floor(p[d] * 64)]++;
      expect(
        bins.every((b) => b === 1),
        `dimension ${d}`,
      ).toBe(true);
    }
  });

  it('Sobol points are equidistributed in pairs of dimensions (each 1/4 x 1/4 cell of 256 points holds 16)', () => {
    const pts = sobolPoints(255, 8);
    for (const [a, b] of [
      [0, 1],
      [2, 5],
      [6, 7],
    ]) {
      const cells = new Array(16).fill(0);
      cells[0]++;
      for (const p of pts) cells[Math.floor(p[a] * 4) * 4 + Math.floor(p[b] * 4)]++;
      expect(
        cells.every((c) => c === 16),
        `dims ${a},${b}`,
      ).toBe(true);
    }
  });

  it('a Latin hypercube has one point in each stratum of each factor and depends on the seed only', () => {
    const pts = latinHypercube(20, 3, 7);
    for (let f = 0; f < 3; f++) expect(new Set(pts.map((p) => Math.floor(p[f] * 20))).size).toBe(20);
    expect(latinHypercube(20, 3, 7)).toEqual(pts);
    expect(latinHypercube(20, 3, 8)).not.toEqual(pts);
  });

  it('Saltelli rows: A, B, then A with one column from B', () => {
    const rows = saltelli(4, 2);
    expect(rows).toHaveLength(4 * (2 + 2));
    expect(rows[8]).toEqual([rows[4][0], rows[0][1]]);
    expect(rows[12 + 3]).toEqual([rows[3][0], rows[7][1]]);
  });
});
