import { describe, expect, it } from 'vitest';
import { grantLand } from '../src/model/land.js';
import { settlement } from '../src/model/step.js';
import { Emp, Tenure, TENURES } from '../src/world/agents.js';
import { SECTORS } from '../src/world/world.js';
import { addAgents, baselineScenario, ctxFor, miniWorld, runTicks, setHousing, setJobs, spots } from './helpers/mini-world.js';

/** Settlement of 4000 stable migrants in Taiyuan and in a county town for 12 ticks, with `m2` square metres per settler. */
function run(m2: number, exitRate = 0) {
  const sc = baselineScenario();
  sc.levers.land.m2_per_settler = m2;
  sc.levers.hukou.paid_land_exit_rate = exitRate;
  sc.levers.hukou.openness_taiyuan = 1;
  const w = miniWorld(sc);
  const S = spots(w.places);
  const places = [S.taiyuan, S.datongTown];
  for (const p of places) {
    addAgents(w, 4000, { place: p, hukouPlace: S.datongVillages, emp: Emp.urbanJob });
    setJobs(w, p, 1000, 3000);
    setHousing(w, p, Tenure.marketRent, 5000);
  }
  const before = { housing: w.housing.slice(), jobs: w.jobs.slice() };
  const ctx = ctxFor(w, sc, 0, 5);
  runTicks(w, ctx, [settlement], 12);
  return { sc, w, places, before, flows: ctx.flows };
}

describe('land rule', () => {
  it('each settlement brings m2_per_settler x scale of construction land to the place', () => {
    const { sc, places, flows } = run(50);
    for (const p of places) {
      expect(flows.settlements[p]).toBeGreaterThan(100);
      // 50 m2 x 100 persons = 0.5 ha per settling agent.
      expect(flows.landHa[p]).toBeCloseTo((flows.settlements[p] * 50 * sc.scale) / 10000, 9);
    }
    let other = 0;
    for (let p = 0; p < flows.landHa.length; p++) if (!places.includes(p)) other += flows.landHa[p];
    expect(other).toBe(0);
  });

  it('granted land raises housing and job capacity at the place', () => {
    const { sc, w, places, before, flows } = run(50);
    const b = sc.behaviour.land;
    for (const p of places) {
      const ha = flows.landHa[p];
      const dHousing = w.housing[p * TENURES + Tenure.marketRent] - before.housing[p * TENURES + Tenure.marketRent];
      const dIndustry = w.jobs[p * SECTORS] - before.jobs[p * SECTORS];
      const dServices = w.jobs[p * SECTORS + 1] - before.jobs[p * SECTORS + 1];
      expect(dHousing).toBeGreaterThan(10);
      expect(dHousing).toBeCloseTo((ha * b.housing_land_share.value * b.housing_persons_per_ha.value) / sc.scale, 6);
      expect(dIndustry + dServices).toBeCloseTo((ha * (1 - b.housing_land_share.value) * b.jobs_per_ha.value) / sc.scale, 6);
      // New job space follows the sectors' shares of capacity (1:3 here), roughly (each grant re-reads them).
      expect(dServices / (dIndustry + dServices)).toBeCloseTo(0.75, 3);
      // Other tenures are untouched.
      for (const t of [Tenure.owned, Tenure.affordableRental, Tenure.publicRental, Tenure.dormitory])
        expect(w.housing[p * TENURES + t]).toBe(before.housing[p * TENURES + t]);
    }
  });

  it('with m2_per_settler 0 settlement brings no land and no capacity', () => {
    const { w, places, before, flows } = run(0);
    for (const p of places) expect(flows.settlements[p]).toBeGreaterThan(100);
    expect(flows.landHa.every((x) => x === 0)).toBe(true);
    expect(Array.from(w.housing)).toEqual(Array.from(before.housing));
    expect(Array.from(w.jobs)).toEqual(Array.from(before.jobs));
  });

  it('paid exit of land rights releases homestead land as quota to the settling place', () => {
    const none = run(0, 0),
      all = run(0, 1);
    const exitHa = none.sc.behaviour.land.exit_m2_per_person.value / 10000;
    for (const p of all.places) {
      expect(none.flows.landHa[p]).toBe(0);
      // Every settler here has land rights: with exit rate 1 each one releases exit_m2_per_person.
      expect(all.flows.landHa[p]).toBeCloseTo(all.flows.settlements[p] * exitHa * all.sc.scale, 9);
      expect(all.flows.landHa[p]).toBeGreaterThan(0);
    }
  });

  it('land granted where there are no jobs yet is split evenly between the sectors', () => {
    const sc = baselineScenario();
    const w = miniWorld(sc);
    const S = spots(w.places);
    const ctx = ctxFor(w, sc);
    grantLand(w, ctx.params, S.datongTown, 0.5);
    expect(w.jobs[S.datongTown * SECTORS]).toBeGreaterThan(0);
    expect(w.jobs[S.datongTown * SECTORS]).toBeCloseTo(w.jobs[S.datongTown * SECTORS + 1], 12);
  });
});
