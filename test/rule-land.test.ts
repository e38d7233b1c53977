import { describe, expect, it } from 'vitest';
import { labourMarket } from '../src/model/labour.js';
import { grantLand, useLand } from '../src/model/land.js';
import { settlement } from '../src/model/step.js';
import { Emp, Tenure } from '../src/world/agents.js';
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

  it('granted land adds to the construction land available at the place and creates no capacity by itself', () => {
    const { w, places, before, flows } = run(50);
    for (const p of places) {
      expect(flows.landHa[p]).toBeGreaterThan(10);
      // setJobs gave each place a stock of land; settlement only added to it.
      expect(w.landAvail[p]).toBeCloseTo(1e12 + flows.landHa[p], 0);
    }
    expect(Array.from(w.housing)).toEqual(Array.from(before.housing));
    expect(Array.from(w.jobs)).toEqual(Array.from(before.jobs));
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

  it('job capacity grows to labour demand only as far as the land available allows', () => {
    // Demand about 20% above capacity in services; land for none, 50 or all of the new jobs.
    const grow = (landShare: number) => {
      const sc = baselineScenario();
      const w = miniWorld(sc);
      const S = spots(w.places);
      const p = S.datongTown;
      const ctx = ctxFor(w, sc);
      const haPerJob = sc.scale / sc.behaviour.land.jobs_per_ha.value;
      setJobs(w, p, 0, 1000, landShare * 100 * haPerJob);
      w.jobTrend[p * SECTORS + 1] = 1300;
      // No workers or seekers: the wage curve sits at its floor, so demand is the trend times (0.01 / 0.05)^(phi x epsilon).
      const demand = 1300 * Math.pow(0.01 / 0.05, sc.behaviour.labour.wage_curve_elasticity.value * sc.behaviour.labour.labour_demand_elasticity.value);
      const before = w.landAvail[p];
      labourMarket(w, ctx);
      return { added: w.jobs[p * SECTORS + 1] - 1000, wanted: demand * ctx.params.jobGrowthTick[p] - 1000, usedHa: before - w.landAvail[p], haPerJob };
    };
    const none = grow(0),
      half = grow(0.5),
      all = grow(100);
    expect(none.added).toBe(0);
    expect(half.added).toBeCloseTo(50, 6);
    expect(half.usedHa).toBeCloseTo(50 * half.haPerJob, 9);
    expect(all.wanted).toBeGreaterThan(50);
    expect(all.added).toBeCloseTo(all.wanted, 6);
    expect(all.usedHa).toBeCloseTo(all.wanted * all.haPerJob, 9);
  });

  it('useLand grants what the land allows and takes its hectares', () => {
    const sc = baselineScenario();
    const w = miniWorld(sc);
    const p = spots(w.places).taiyuan;
    w.landAvail[p] = 3;
    expect(useLand(w, p, 10, 0.2)).toBe(10);
    expect(w.landAvail[p]).toBeCloseTo(1, 12);
    expect(useLand(w, p, 10, 0.2)).toBeCloseTo(5, 12);
    expect(w.landAvail[p]).toBe(0);
    expect(useLand(w, p, 10, 0.2)).toBe(0);
    grantLand(w, p, 2);
    expect(w.landAvail[p]).toBe(2);
  });
});
