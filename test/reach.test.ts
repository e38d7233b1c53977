/**
 * The root finder of `urbanize reach` on a toy model whose answer is known in closed form: run r
 * has a fixed noise z_r ~ N(0, 1) (its common random number) and gives the outcome y_r(x) = a·x +
 * z_r at lever value x. With the target y ≥ 0 and a discrepancy sd s, p_r(x) = Φ((a·x + z_r)/s),
 * so P(met)(x) = Φ(a·x / √(1 + s²)) over infinitely many runs, and P(met) reaches level L at
 * x_L = √(1 + s²) · Φ⁻¹(L) / a.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { normalCdf } from '../src/core/stats.js';
import { findCrossings, type Evaluate, type ReachSearch } from '../src/results/reach.js';

/** Φ⁻¹ by bisection on normalCdf (precise enough for the test's tolerances). */
function probit(p: number): number {
  let [a, b] = [-10, 10];
  for (let i = 0; i < 100; i++) {
    const m = (a + b) / 2;
    if (normalCdf(m) < p) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

/** The toy model over `runs` runs; counts the values it was asked for. */
function toy(runs: number, slope: number, sd: number, seed = 1) {
  const rng = seedrandom.xor4096(`toy:${seed}`);
  const z = Array.from({ length: runs }, () => {
    const [u, v] = [rng() || 1e-12, rng()];
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
  const asked: number[] = [];
  const evaluate: Evaluate = async (xs) => {
    asked.push(...xs);
    return xs.map((x) => z.map((zr) => (sd > 0 ? normalCdf((slope * x + zr) / sd) : Number(slope * x + zr >= 0))));
  };
  return { evaluate, asked };
}

const search = (over: Partial<ReachSearch> = {}): ReachSearch => ({ lo: -3, hi: 3, grid: 5, extra: [], steps: 8, levels: [0.5, 0.8], seed: 7, ...over });

describe('the root finder of urbanize reach, on a toy model with a closed-form answer', () => {
  it('finds the 50% and 80% crossings of a rising P(met), each inside its interval', async () => {
    const sd = 0.5,
      truth = (L: number) => Math.sqrt(1 + sd * sd) * probit(L);
    const { evaluate } = toy(4000, 1, sd);
    const r = await findCrossings(search(), evaluate);
    expect(r.direction).toBe(1);
    for (const c of r.crossings) {
      expect(c.status).toBe('crossed');
      expect(c.value!).toBeCloseTo(truth(c.level), 1);
      expect(Math.abs(c.value! - truth(c.level))).toBeLessThan(0.06);
      expect(c.low!).toBeLessThan(truth(c.level));
      expect(c.high!).toBeGreaterThan(truth(c.level));
      expect(c.high! - c.low!).toBeLessThan(0.2);
      expect(c.bracket![0]).toBeLessThanOrEqual(c.value!);
      expect(c.bracket![1]).toBeGreaterThanOrEqual(c.value!);
    }
    expect(r.crossings[1].value!).toBeGreaterThan(r.crossings[0].value!);
  });

  it('walks a falling P(met) from the other end: the crossing is the highest value that reaches the level', async () => {
    const { evaluate } = toy(4000, -2, 0);
    const r = await findCrossings(search({ lo: -2, hi: 2 }), evaluate);
    expect(r.direction).toBe(-1);
    const [c50, c80] = r.crossings;
    expect(Math.abs(c50.value! - 0)).toBeLessThan(0.03);
    expect(Math.abs(c80.value! - -probit(0.8) / 2)).toBeLessThan(0.03);
    expect(c80.low!).toBeLessThan(c80.high!);
    expect(c80.value!).toBeLessThan(c50.value!);
  });

  it('says when a level is not reached in the range, or met at its low-effort end already', async () => {
    const { evaluate } = toy(2000, 1, 0);
    const short = await findCrossings(search({ lo: -3, hi: 0.5, levels: [0.5, 0.8] }), evaluate);
    expect(short.crossings[1]).toMatchObject({ status: 'not_reached', value: null, high: null, bracket: null });
    expect(short.crossings[0].status).toBe('crossed');
    const easy = await findCrossings(search({ lo: 1.5, hi: 3, levels: [0.8] }), evaluate);
    expect(easy.crossings[0]).toMatchObject({ status: 'met_throughout', value: 1.5, low: null, bracket: null });
  });

  it('evaluates the grid, the extra value, then one midpoint per open level per step, and nothing twice', async () => {
    const { evaluate, asked } = toy(500, 1, 0.3);
    const r = await findCrossings(search({ grid: 3, extra: [0.7, 9], steps: 4 }), evaluate);
    expect(asked.slice(0, 4)).toEqual([-3, 0, 3, 0.7]);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.length).toBeLessThanOrEqual(4 + 2 * 4);
    expect(r.points.map((p) => p.point)).toEqual(r.points.map((_, i) => i));
    expect(r.summaries.every((s) => s.lo <= s.p && s.p <= s.hi)).toBe(true);
  });

  it('gives the same crossings and intervals for the same evaluations and seed, and other intervals for another seed', async () => {
    const a = await findCrossings(search(), toy(800, 1, 0.5).evaluate);
    const b = await findCrossings(search(), toy(800, 1, 0.5).evaluate);
    const c = await findCrossings(search({ seed: 8 }), toy(800, 1, 0.5).evaluate);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(c.crossings.map((x) => x.value)).toEqual(a.crossings.map((x) => x.value));
    expect(c.crossings.map((x) => x.low)).not.toEqual(a.crossings.map((x) => x.low));
  });
});
