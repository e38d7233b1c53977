/**
 * PRIM (src/results/prim.ts) on toy data whose answer is known in closed form: uniform points, the
 * case of interest inside a known box; the box found must be that box, an irrelevant dimension
 * must stay unrestricted, and the same data must give the same boxes.
 */
import { describe, expect, it } from 'vitest';
import { latinHypercube } from '../src/batch/design.js';
import { binomialUpperTail, prim, type PrimData, type PrimOptions } from '../src/results/prim.js';

const OPTIONS: PrimOptions = { alpha: 0.05, minMass: 0.05, threshold: 0.8, paste: false, boxes: 1 };

/** n uniform points on the unit cube of `k` dimensions, the case of interest where `f` says. */
function toy(n: number, k: number, f: (x: number[]) => boolean, seed = 7): PrimData {
  const X = latinHypercube(n, k, seed);
  return {
    names: Array.from({ length: k }, (_, j) => `x${j + 1}`),
    columns: Array.from({ length: k }, (_, j) => Float64Array.from(X, (x) => x[j])),
    interest: Uint8Array.from(X, (x) => Number(f(x))),
  };
}

describe('PRIM', () => {
  it('finds the box x1 >= 0.7, x2 <= 0.4 of a toy model, density 1, leaving the irrelevant x3 alone', () => {
    const d = toy(1000, 3, ([a, b]) => a > 0.7 && b < 0.4);
    const r = prim(d, { ...OPTIONS, threshold: 1 });
    expect(r.nInterest).toBe(d.interest.reduce((a, v) => a + v, 0));
    const { box } = r.boxes[0];
    expect(box.restricted).toEqual([true, true, false]);
    expect(box.lo[0]).toBeGreaterThan(0.69);
    expect(box.lo[0]).toBeLessThan(0.72);
    expect(box.hi[0]).toBe(r.ranges.hi[0]);
    expect(box.lo[1]).toBe(r.ranges.lo[1]);
    expect(box.hi[1]).toBeGreaterThan(0.38);
    expect(box.hi[1]).toBeLessThan(0.4);
    expect(box.density).toBeGreaterThanOrEqual(0.8);
    expect(box.coverage).toBeGreaterThan(0.9);
    // The trajectory starts at all points and coverage never rises along it.
    const t = r.boxes[0].trajectory;
    expect(t[0]).toMatchObject({ n: 1000, coverage: 1, density: r.nInterest / 1000, mass: 1 });
    expect(t[0].density).toBeCloseTo(0.3 * 0.4, 1);
    for (let s = 1; s < t.length; s++) expect(t[s].coverage).toBeLessThanOrEqual(t[s - 1].coverage);
    expect(t.at(-1)!.density).toBe(1);
    expect(t.at(-1)!.coverage).toBeGreaterThan(0.9);
    expect(r.boxes[0].quasiP[0]).toBeLessThan(1e-6);
    expect(r.boxes[0].quasiP[2]).toBeUndefined();
    // At the default threshold, the first box of the trajectory with density >= 0.8 is selected.
    const at = prim(d, OPTIONS).boxes[0];
    expect(at.selection).toBe('threshold');
    expect(at.box.density).toBeGreaterThanOrEqual(0.8);
    expect(t[at.selected - 1].density).toBeLessThan(0.8);
    expect(at.box).toEqual(t[at.selected]);
  });

  it('is deterministic: the same points give the same boxes', () => {
    const d = toy(400, 4, ([a, , c]) => a < 0.3 || c > 0.8, 3);
    const o = { ...OPTIONS, boxes: 3, paste: true };
    expect(JSON.stringify(prim(d, o))).toBe(JSON.stringify(prim(d, o)));
  });

  it('covers two disjoint boxes one after the other, their coverages adding up', () => {
    // A slab x1 > 0.8 and a corner x1 < 0.5, x2 < 0.15: the slab first (it holds more), then the corner.
    const d = toy(2000, 3, ([a, b]) => a > 0.8 || (a < 0.5 && b < 0.15), 11);
    const r = prim(d, { ...OPTIONS, boxes: 2 });
    expect(r.boxes).toHaveLength(2);
    const [b1, b2] = r.boxes.map((b) => b.box);
    expect(b1.restricted).toEqual([true, false, false]);
    expect(b1.lo[0]).toBeCloseTo(0.8, 1);
    expect(b2.restricted).toEqual([true, true, false]);
    expect(b2.hi[0]).toBeCloseTo(0.5, 1);
    expect(b2.hi[1]).toBeCloseTo(0.15, 1);
    for (const b of [b1, b2]) expect(b.density).toBeGreaterThanOrEqual(0.8);
    expect(b1.coverage + b2.coverage).toBeGreaterThan(0.9);
    expect(b1.coverage + b2.coverage).toBeLessThanOrEqual(1);
  });

  it('peels no further than the least mass, and --box picks a step of the trajectory', () => {
    const d = toy(500, 2, ([a]) => a > 0.99);
    const r = prim(d, { ...OPTIONS, minMass: 0.1 });
    for (const s of r.boxes[0].trajectory) expect(s.mass).toBeGreaterThanOrEqual(0.1);
    expect(r.boxes[0].selection).toBe('max_density');
    const picked = prim(d, { ...OPTIONS, step: 3 });
    expect(picked.boxes[0]).toMatchObject({ selected: 3, selection: 'user' });
    expect(picked.boxes[0].box).toEqual(picked.boxes[0].trajectory[3]);
  });

  it('pasting widens a box only while its density rises', () => {
    const d = toy(1000, 2, ([a, b]) => a > 0.5 && b > 0.5, 5);
    const r = prim(d, { ...OPTIONS, paste: true, step: 20 });
    const b = r.boxes[0];
    expect(b.box.density).toBeGreaterThanOrEqual(b.trajectory[20].density);
    expect(b.box.n).toBeGreaterThanOrEqual(b.trajectory[20].n);
  });

  it('binomial upper tail: P(X >= 1) = 1 - (1-p)^n, P(X >= n) = p^n', () => {
    expect(binomialUpperTail(1, 20, 0.1)).toBeCloseTo(1 - 0.9 ** 20, 12);
    expect(binomialUpperTail(20, 20, 0.3)).toBeCloseTo(0.3 ** 20, 20);
    expect(binomialUpperTail(0, 5, 0.5)).toBe(1);
    expect(binomialUpperTail(3, 6, 0.5)).toBeCloseTo(42 / 64, 12);
  });
});
