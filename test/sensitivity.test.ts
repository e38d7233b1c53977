import { describe, expect, it } from 'vitest';
import { latinHypercube, saltelli } from '../src/batch/design.js';
import { regressionIndices, sobolIndices } from '../src/results/sensitivity.js';

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
