import { describe, expect, it } from 'vitest';
import { latinHypercube, saltelli } from '../src/batch/design.js';
import { regressionIndices, sobolIndices } from '../src/results/sensitivity.js';
import { distinctAtLeast, minimumSamples, sensitivityWarnings } from '../src/results/sensitivity-checks.js';

describe('sensitivity indices', () => {
  it('standardized regression coefficients rank factors of a linear function by their weight', () => {
    const X = latinHypercube(200, 3, 1);
    const y = X.map(([a, b, c]) => 3 * a + 1 * b + 0 * c);
    const { coefficients, r2 } = regressionIndices(X, y, 1);
    expect(r2).toBeCloseTo(1, 6);
    expect(coefficients[0].estimate).toBeCloseTo(3 / Math.sqrt(10), 1);
    expect(coefficients[1].estimate).toBeCloseTo(1 / Math.sqrt(10), 1);
    expect(Math.abs(coefficients[2].estimate)).toBeLessThan(0.02);
    expect(coefficients[0].low).toBeLessThanOrEqual(coefficients[0].estimate);
    expect(coefficients[0].high).toBeGreaterThanOrEqual(coefficients[0].estimate);
  });

  it('Sobol indices of an additive function match the analytic values (S1 = ST = a_i^2 / sum a^2)', () => {
    const n = 512,
      k = 3,
      a = [2, 1, 0];
    const rows = saltelli(n, k);
    const f = rows.map((x) => x.reduce((s, v, i) => s + a[i] * v, 0));
    const { first, total } = sobolIndices(f, n, k, 3);
    const expected = a.map((v) => (v * v) / 5);
    first.forEach((s, i) => expect(s.estimate).toBeCloseTo(expected[i], 1));
    total.forEach((s, i) => expect(s.estimate).toBeCloseTo(expected[i], 1));
  });

  it('Sobol total indices exceed first-order ones for an interaction', () => {
    const n = 1024,
      k = 2;
    const f = saltelli(n, k).map(([x, y]) => (x - 0.5) * (y - 0.5));
    const { first, total } = sobolIndices(f, n, k, 5);
    for (let i = 0; i < k; i++) {
      expect(first[i].estimate).toBeLessThan(0.1);
      expect(total[i].estimate).toBeGreaterThan(0.8);
    }
  });
});

describe('when sensitivity indices can be trusted', () => {
  it('counts distinct rows of a bootstrap resample exactly (the occupancy distribution)', () => {
    expect(distinctAtLeast(3, 3)).toBeCloseTo(6 / 27, 12); // all three rows drawn once: 3!/3^3
    expect(distinctAtLeast(3, 1)).toBeCloseTo(1, 12);
    expect(distinctAtLeast(2, 2)).toBeCloseTo(0.5, 12);
  });

  it('needs more Latin-hypercube samples than factors + 1, enough for the bootstrap, and 33 Sobol base points', () => {
    expect(minimumSamples('lhs', 1).samples).toBe(7);
    expect(minimumSamples('lhs', 2).samples).toBe(9);
    expect(minimumSamples('lhs', 10).samples).toBe(24);
    for (const k of [1, 2, 5]) expect(minimumSamples('lhs', k).samples).toBeGreaterThan(k + 1);
    expect(minimumSamples('sobol', 1).samples).toBe(33);
    expect(minimumSamples('sobol', 7).samples).toBe(33);
    expect(minimumSamples('sobol', 2).why).toContain('N = 33');
  });

  it('warns on wide intervals, indices outside [0, 1], a total below the first-order index and a low R²', () => {
    const e = (estimate: number, low: number, high: number) => ({ estimate, low, high });
    const w = sensitivityWarnings([
      { outcome: 'u', method: 'src', r2: 0.5, factors: [{ factor: 'a', index: e(0.4, 0.0, 0.7) }] },
      { outcome: 'v', method: 'src', r2: 0.95, factors: [{ factor: 'a', index: e(0.9, 0.8, 1.0) }] },
      {
        outcome: 'h',
        method: 'sobol',
        factors: [
          { factor: 'a', index: e(2.17, 2.0, 2.3), total: e(1.8, 1.7, 1.9) },
          { factor: 'b', index: e(-0.01, -0.02, 0.0), total: e(0.0, 0.0, 0.01) },
        ],
      },
    ]);
    expect(w.map((x) => `${x.outcome}|${x.factor}|${x.kind}`)).toEqual([
      'u||low_r2',
      'u|a|wide_interval',
      'h|a|outside_range',
      'h|a|outside_range',
      'h|a|total_below_first',
    ]);
    expect(w[2].message).toContain('2.170 is outside [0, 1]');
    expect(w[4].message).toContain('total ST 1.800 is below first-order S 2.170');
  });
});
