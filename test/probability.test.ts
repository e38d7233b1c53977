/**
 * P(met) with the model discrepancy (src/results/probability.ts) and the normal functions under it
 * (src/core/stats.ts): Φ against tabulated values, the closed forms of each comparator, the Monte
 * Carlo interval's coverage, the mixture quantiles of the predictive bands, and compare's change
 * in P(met).
 */
import { describe, expect, it } from 'vitest';
import { drawKeyed } from '../src/core/random.js';
import { erf, normalCdf, normalMixtureQuantile, quantiles } from '../src/core/stats.js';
import { M, obsIndex, obsLength, REGIONS } from '../src/engine/metrics.js';
import type { RunResult } from '../src/engine/run.js';
import { meets } from '../src/results/attainment.js';
import { compareTargets } from '../src/results/compare.js';
import { attainment, discrepancySd, mcInterval, pairedInterval, pMeets, Z90, type ModelDiscrepancy } from '../src/results/probability.js';
import type { Target } from '../src/results/targets.js';

describe('normalCdf and erf', () => {
  it('match tabulated values of Φ and erf to 1e-14', () => {
    // Φ(x) from Abramowitz and Stegun table 26.1 / R pnorm to 16 digits.
    const table: [number, number][] = [
      [0, 0.5],
      [1, 0.8413447460685429],
      [-1, 0.15865525393145705],
      [1.6448536269514722, 0.95],
      [1.959963984540054, 0.975],
      [-2.5758293035489004, 0.005],
      [3, 0.9986501019683699],
      [-5, 2.866515718791939e-7],
      [-8, 6.22096057427178e-16],
    ];
    for (const [x, p] of table) expect(Math.abs(normalCdf(x) - p), `Φ(${x})`).toBeLessThan(Math.max(1e-14, p * 1e-12));
    expect(Math.abs(erf(0.5) - 0.5204998778130465)).toBeLessThan(1e-14);
    expect(Math.abs(erf(-1) + 0.8427007929497149)).toBeLessThan(1e-14);
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
  });
});

const t = (comparator: Target['comparator'], value: number, tolerance?: number) => ({ comparator, value, tolerance });

describe('P(met) of one run', () => {
  it('is 0.5 for a run exactly at a >= or <= threshold when sd > 0', () => {
    expect(pMeets(t('>=', 68), 68, 0.9)).toBe(0.5);
    expect(pMeets(t('<=', 2.3), 2.3, 0.1)).toBe(0.5);
  });

  it('is 1 or 0 as the run meets the target when sd is 0 or there is none', () => {
    for (const [x, c] of [
      [67.9, '>='],
      [68, '>='],
      [68, '>'],
      [5.4, '<'],
    ] as const) {
      expect(pMeets(t(c, 68), x, 0)).toBe(meets(t(c, 68), x) ? 1 : 0);
      expect(pMeets(t(c, 68), x, undefined)).toBe(meets(t(c, 68), x) ? 1 : 0);
    }
  });

  it('has the closed form of "about": Φ((v + w − x)/sd) − Φ((v − w − x)/sd), w = tolerance·|v|', () => {
    const about = t('about', 100, 0.1);
    expect(pMeets(about, 100, 10)).toBeCloseTo(normalCdf(1) - normalCdf(-1), 14);
    expect(pMeets(about, 130, 10)).toBeCloseTo(normalCdf(-2) - normalCdf(-4), 14);
    // Far from the band, nothing cancels: a tiny positive probability, not 0 from 1 − 1.
    expect(pMeets(about, 200, 10)).toBeGreaterThan(0);
    expect(pMeets(about, 200, 10)).toBeLessThan(1e-15);
    expect(pMeets(about, 105, 0)).toBe(1);
    expect(pMeets(about, 111, 0)).toBe(0);
  });
});

describe('P(met) over runs and its Monte Carlo interval', () => {
  it('with sd = 0 is the share of runs that meet the target, with a Wilson interval', () => {
    const values = [67.5, 68.2, 68.0, 67.9, 68.4];
    const a = attainment(t('>=', 68), values, undefined);
    expect(a.p).toBe(3 / 5);
    expect(a.share).toBe(3 / 5);
    expect(a.lo).toBeLessThan(0.6);
    expect(a.hi).toBeGreaterThan(0.6);
    // 0 of 10: not an interval of zero width at 0.
    const [lo, hi] = mcInterval(new Array(10).fill(0));
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo((Z90 * Z90) / (10 + Z90 * Z90), 12);
  });

  it('covers the true mean about 90% of the time and shrinks as 1/√n', () => {
    // p_r = Φ((x_r − 68)/0.8) with x_r ~ uniform(67, 69): the true P(met) by quadrature.
    const p = (u: number) => normalCdf((67 + 2 * u - 68) / 0.8);
    let truth = 0;
    for (let i = 0; i < 100000; i++) truth += p((i + 0.5) / 100000) / 100000;
    const widths: number[] = [];
    for (const n of [10, 40, 160]) {
      let covered = 0,
        width = 0;
      const reps = 2000;
      for (let k = 0; k < reps; k++) {
        const ps = Array.from({ length: n }, (_, i) => p(drawKeyed(12345 + n * 7919 + k, i)));
        const [lo, hi] = mcInterval(ps);
        if (lo <= truth && truth <= hi) covered++;
        width += (hi - lo) / reps;
      }
      expect(covered / reps, `coverage at n = ${n}`).toBeGreaterThan(0.86);
      expect(covered / reps, `coverage at n = ${n}`).toBeLessThan(0.94);
      widths.push(width);
    }
    expect(widths[1] / widths[0]).toBeCloseTo(0.5, 1);
    expect(widths[2] / widths[1]).toBeCloseTo(0.5, 1);
  });
});

describe('the discrepancy sd by year', () => {
  const d: ModelDiscrepancy = {
    file: 'discrepancy.yaml',
    horizon_from: 2020,
    series: [{ metric: 'urbanization_rate', region: 'shanxi', unit: '%', sd0: { value: 0.3, estimate: 'test' }, sd1: { value: 0.4, estimate: 'test' } }],
    no_history: [],
  };
  it('is sqrt(sd0² + sd1²·h), h = year − horizon_from, and none for a series the file does not give', () => {
    expect(discrepancySd(d, 'urbanization_rate', 'shanxi', 2020)).toBeCloseTo(0.3, 15);
    expect(discrepancySd(d, 'urbanization_rate', 'shanxi', 2024)).toBeCloseTo(Math.sqrt(0.09 + 0.16 * 4), 15);
    expect(discrepancySd(d, 'urbanization_rate', 'taiyuan', 2024)).toBeUndefined();
    expect(discrepancySd(undefined, 'urbanization_rate', 'shanxi', 2024)).toBeUndefined();
  });
});

describe('predictive quantiles: the mixture of N(x_r, sd²) over runs', () => {
  it('of one run are x ± 1.645 sd and x at the median', () => {
    expect(normalMixtureQuantile([67.5], 0.8, 0.05)).toBeCloseTo(67.5 - Z90 * 0.8, 10);
    expect(normalMixtureQuantile([67.5], 0.8, 0.95)).toBeCloseTo(67.5 + Z90 * 0.8, 10);
    expect(normalMixtureQuantile([67.5], 0.8, 0.5)).toBeCloseTo(67.5, 10);
  });

  it('with sd = 0 are the runs’ own quantiles; with sd > 0 wider than them, and the same for any order of runs', () => {
    const xs = [3, 1, 4, 1, 5, 9, 2, 6];
    expect([0.05, 0.5, 0.95].map((q) => normalMixtureQuantile(xs, 0, q))).toEqual(quantiles(xs, [0.05, 0.5, 0.95]));
    const lo = normalMixtureQuantile(xs, 1, 0.05),
      hi = normalMixtureQuantile(xs, 1, 0.95);
    const [q05, q95] = quantiles(xs, [0.05, 0.95]);
    expect(lo).toBeLessThan(q05);
    expect(hi).toBeGreaterThan(q95);
    expect(normalMixtureQuantile([...xs].reverse(), 1, 0.95)).toBe(hi);
  });
});

describe("compare's change in P(met)", () => {
  const shape = { years: [2020, 2021, 2022, 2023, 2024, 2025] };
  const run = (r: number, urbanization: number): RunResult => {
    const values = new Float64Array(obsLength(shape));
    values[obsIndex(shape, M.urbanization_rate, REGIONS.indexOf('shanxi'), 5)] = urbanization;
    return { run: r, seed: r, values };
  };
  const target: Target = {
    id: 'u',
    section: 's',
    label: 'l',
    metric: 'urbanization_rate',
    region: 'shanxi',
    year: 2025,
    comparator: '>=',
    value: 68,
    unit: '%',
    modelled: true,
  };
  const d: ModelDiscrepancy = {
    file: 'd.yaml',
    horizon_from: 2020,
    series: [{ metric: 'urbanization_rate', region: 'shanxi', unit: '%', sd0: { value: 0, estimate: 'test' }, sd1: { value: 0.4, estimate: 'test' } }],
    no_history: [],
  };
  const base = [67.2, 67.9, 68.1, 68.4, 67.6].map((x, r) => run(r, x));

  it('is exactly 0 with a zero-width interval for a variant identical to the base', () => {
    const [c] = compareTargets(
      [target],
      base,
      base.map((r) => ({ ...r })),
      shape,
      d,
    );
    expect(c.diffMet).toBe(0);
    expect(c.diffMetLo).toBe(0);
    expect(c.diffMetHi).toBe(0);
    expect(c.withDiscrepancy).toBe(true);
  });

  it('is the mean of paired per-run differences, with the paired interval around it', () => {
    const variant = [67.5, 68.1, 68.4, 68.6, 67.8].map((x, r) => run(r, x));
    const [c] = compareTargets([target], base, variant, shape, d);
    const sd = discrepancySd(d, 'urbanization_rate', 'shanxi', 2025)!;
    const diffs = variant.map(
      (v, i) =>
        pMeets(target, v.values[obsIndex(shape, M.urbanization_rate, 0, 5)], sd) -
        pMeets(target, base[i].values[obsIndex(shape, M.urbanization_rate, 0, 5)], sd),
    );
    expect(c.diffMet).toBeCloseTo(diffs.reduce((a, b) => a + b, 0) / diffs.length, 15);
    expect(c.diffMet).toBeGreaterThan(0);
    expect([c.diffMetLo, c.diffMetHi]).toEqual(pairedInterval(diffs));
    expect(c.diffMetLo).toBeLessThan(c.diffMet);
    expect(c.diffMetHi).toBeGreaterThan(c.diffMet);
    // The CRN standard-error ratio is still there.
    expect(c.seCrn).toBeLessThan(c.seIndependent);
  });
});
