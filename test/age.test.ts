import { describe, expect, it } from 'vitest';
import { CdfSampler, MIGRANT_BANDS, ageCdf, sampleAge } from '../src/world/age.js';

/** Every u that can change the answer: each bin start of the guide table, each cdf value and its neighbouring doubles, and a grid. */
function probes(cum: Float64Array, total: number): number[] {
  const us: number[] = [];
  for (let j = 0; j < 1024; j++) us.push(j / 1024);
  for (const c of cum) {
    const u = c / total;
    for (const v of [u, u * (1 - 2 ** -52), u * (1 + 2 ** -52)]) if (v >= 0 && v < 1) us.push(v);
  }
  for (let k = 0; k < 20_000; k++) us.push(k / 20_000);
  return us;
}

describe('the world build samples ages and places by inverting cumulative weights', () => {
  it('the guide-table sampler gives what the binary search gives, for ages and for places with empty and tied weights', () => {
    const weights = [3, 0, 0, 5, 5, 0, 1e-12, 7, 0];
    const cum = new Float64Array(weights.length);
    let t = 0;
    weights.forEach((w, i) => (cum[i] = t += w));
    for (const [c, total] of [
      [ageCdf(MIGRANT_BANDS), 1],
      [ageCdf([0.2, 0.6, 0.1, 0.1]), 1],
      [cum, t],
    ] as [Float64Array, number][]) {
      const s = new CdfSampler(c, total);
      for (const u of probes(c, total)) expect(s.index(u)).toBe(sampleAge(c, u * total));
    }
  });
});
