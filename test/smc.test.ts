/**
 * ABC-SMC on a toy simulator with a known answer: one parameter theta, uniform on [0, 1], whose
 * simulated target is theta plus normal noise of sd 0.05 (seeded by the simulation id), observed
 * at 0.5. The posterior as the tolerance shrinks is theta ~ N(0.5, 0.05²) (flat prior, normal
 * likelihood). The population of each generation keeps the closest of the last population and
 * the new particles, so the tolerance never rises, and the population contracts to that answer.
 */
import { describe, expect, it } from 'vitest';
import { stream, normal } from '../src/calibrate/kernel.js';
import type { Prior } from '../src/calibrate/priors.js';
import type { Scored } from '../src/calibrate/screen.js';
import { calibrateSmc, type SmcResult } from '../src/calibrate/smc.js';

const priors: Prior[] = [{ path: 'theta', lo: 0, hi: 1, value: 0.2, reason: 'toy' }];
const targets: Scored[] = [{ observed: 0.5, obsError: 0.001, discrepancy: 0.001 } as Scored];

async function toy(budget: number): Promise<SmcResult> {
  const r = await calibrateSmc(
    priors,
    targets,
    { seed: 7, budget, particles: 60, keep: 30, replicates: 8, maxFree: 1, threshold: 0.5 },
    async (_stage, requests) => requests.map((q) => [q.values[0] + 0.05 * normal(stream(7, `toy:${q.id}`))]),
  );
  if (r === 'interrupted') throw new Error('interrupted');
  return r;
}

const moments = (r: SmcResult) => {
  const W = r.particles.reduce((a, p) => a + p.weight, 0);
  const mean = r.particles.reduce((a, p) => a + (p.weight * p.values[0]) / W, 0);
  const sd = Math.sqrt(r.particles.reduce((a, p) => a + (p.weight * (p.values[0] - mean) ** 2) / W, 0));
  return { mean, sd };
};

describe('ABC-SMC on a toy with a known posterior', () => {
  it('never raises the tolerance from one generation to the next', async () => {
    const r = await toy(8 + 2 + 60 * 15);
    expect(r.generations).toHaveLength(15);
    for (let g = 1; g < r.generations.length; g++) expect(r.generations[g].epsilon).toBeLessThanOrEqual(r.generations[g - 1].epsilon);
  });

  it('contracts to theta ~ N(0.5, 0.05²), and more generations bring it closer', async () => {
    const short = moments(await toy(8 + 2 + 60 * 2));
    const long = moments(await toy(8 + 2 + 60 * 15));
    expect(Math.abs(long.mean - 0.5)).toBeLessThan(0.03);
    expect(long.sd).toBeGreaterThan(0.035);
    expect(long.sd).toBeLessThan(0.07);
    expect(long.sd).toBeLessThan(short.sd);
  });
});
