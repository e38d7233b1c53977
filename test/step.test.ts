import { describe, expect, it } from 'vitest';
import { SCHEDULE } from '../src/engine/run.js';
import type { Scenario } from '../src/scenario/schema.js';
import { DEAD, Emp, Flag, Tenure } from '../src/world/agents.js';
import type { World } from '../src/world/world.js';
import { addAgent, baselineScenario, ctxFor, miniWorld, runTicks, setHousing, setJobs, spots } from './helpers/mini-world.js';

/**
 * A mixed world: Taiyuan with locals and migrants from a Datong county (renters, owners, job
 * holders and seekers, with and without permits), a Datong county town, its villages, and Shanxi
 * people outside.
 */
function build(sc: Scenario): World {
  const w = miniWorld(sc, 30000);
  const S = spots(w.places);
  const F = (k: number) => (k % 2 ? Flag.female : 0);
  setJobs(w, S.taiyuan, 3000, 6000);
  setHousing(w, S.taiyuan, Tenure.marketRent, 9000);
  setHousing(w, S.taiyuan, Tenure.owned, 4000);
  setHousing(w, S.taiyuan, Tenure.affordableRental, 300);
  setHousing(w, S.taiyuan, Tenure.sharedOwnership, 300);
  setJobs(w, S.datongTown, 800, 1200);
  setHousing(w, S.datongTown, Tenure.marketRent, 3000);
  for (let k = 0; k < 6000; k++) {
    const age = k % 90;
    const emp = age < 16 || age >= 60 ? Emp.outOfLabourForce : k % 9 === 0 ? Emp.unemployed : Emp.urbanJob;
    addAgent(w, { place: S.taiyuan, age, emp, flags: Flag.urbanHukou | F(k) | (k % 3 ? Flag.services : 0), tenure: k % 3 ? Tenure.owned : Tenure.marketRent });
  }
  for (let k = 0; k < 6000; k++) {
    const emp = k % 8 === 0 ? Emp.unemployed : Emp.urbanJob;
    addAgent(w, {
      place: S.taiyuan,
      hukouPlace: S.datongVillages,
      age: 18 + (k % 42),
      emp,
      tenure: k % 5 === 0 ? Tenure.owned : Tenure.marketRent,
      flags: Flag.landRights | F(k) | (k % 4 === 0 ? Flag.permit : 0) | (k % 2 ? Flag.services : 0),
      months: 6 + (k % 60),
    });
  }
  for (let k = 0; k < 2000; k++)
    addAgent(w, { place: S.datongTown, age: 20 + (k % 40), emp: k % 6 === 0 ? Emp.unemployed : Emp.urbanJob, flags: Flag.urbanHukou | F(k) });
  for (let k = 0; k < 6000; k++)
    addAgent(w, { place: S.datongVillages, age: (k * 11) % 88, emp: (k * 11) % 88 < 16 ? Emp.outOfLabourForce : Emp.farming, flags: Flag.landRights | F(k) });
  for (let k = 0; k < 1000; k++)
    addAgent(w, { place: S.outside, hukouPlace: S.datongVillages, age: 18 + (k % 40), emp: Emp.urbanJob, flags: Flag.landRights | F(k) });
  return w;
}

/** Runs the engine's full tick (SCHEDULE) once on the mixed world and returns the agents' columns after it. */
function oneTick(sc: Scenario) {
  const w = build(sc);
  const ctx = ctxFor(w, sc, 0, 11);
  runTicks(
    w,
    ctx,
    SCHEDULE.map(([, rule]) => rule),
    1,
  );
  const A = w.agents,
    n = A.count;
  return {
    w,
    ctx,
    place: A.place.slice(0, n),
    hukou: A.hukouPlace.slice(0, n),
    emp: A.emp.slice(0, n),
    tenure: A.tenure.slice(0, n),
    skill: A.skill.slice(0, n),
    flags: A.flags.slice(0, n),
  };
}

type Tick = ReturnType<typeof oneTick>;
/** Ids where column `col` differs between two ticks of the same world. */
const differ = (a: Tick, b: Tick, col: 'place' | 'hukou' | 'emp' | 'tenure' | 'skill' | 'flags', mask = 0xffff) => {
  const out: number[] = [];
  for (let i = 0; i < a[col].length; i++) if ((a[col][i] & mask) !== (b[col][i] & mask)) out.push(i);
  return out;
};
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);
const alive = (t: Tick) => t.place.filter((p) => p !== DEAD).length;

describe('the agent pass: one draw per agent and tick, events in bands', () => {
  it('the hukou openness lever changes settlements in the tick, and no other event of any agent', () => {
    const closed = baselineScenario();
    closed.levers.hukou.openness_taiyuan = 0.1;
    const open = baselineScenario();
    open.levers.hukou.openness_taiyuan = 1;
    // Villagers review often, so that the tick has many moves to compare.
    for (const sc of [closed, open]) sc.behaviour.migration.review_rate_village.value = 0.6;
    const a = oneTick(closed),
      b = oneTick(open);
    // The lever acted: more settlements.
    expect(sum(b.ctx.flows.settlements)).toBeGreaterThan(sum(a.ctx.flows.settlements) + 20);
    // Every other event is where it was: deaths, births, moves, jobs, tenure, training, permits.
    const settlers = new Set(differ(a, b, 'hukou'));
    expect(differ(a, b, 'flags', Flag.permit).filter((i) => !settlers.has(i))).toEqual([]);
    expect(alive(b)).toBe(alive(a));
    expect(b.place.length).toBe(a.place.length);
    expect(differ(a, b, 'place')).toEqual([]);
    expect(differ(a, b, 'emp')).toEqual([]);
    expect(differ(a, b, 'tenure')).toEqual([]);
    expect(differ(a, b, 'skill')).toEqual([]);
    expect(sum(b.ctx.flows.moves)).toBe(sum(a.ctx.flows.moves));
    expect(sum(a.ctx.flows.moves)).toBeGreaterThan(50);
    expect(sum(b.ctx.flows.hires)).toBe(sum(a.ctx.flows.hires));
    // Settlers are exactly the agents whose hukou changed.
    expect(settlers.size).toBe(sum(b.ctx.flows.settlements) - sum(a.ctx.flows.settlements));
  });

  it('the training lever changes skills in the tick, and no other event of any agent', () => {
    const none = baselineScenario();
    none.levers.jobs.training_rate = 0;
    const much = baselineScenario();
    much.levers.jobs.training_rate = 0.6;
    const a = oneTick(none),
      b = oneTick(much);
    expect(differ(a, b, 'skill').length).toBeGreaterThan(100);
    for (const col of ['place', 'hukou', 'emp', 'tenure', 'flags'] as const) expect(differ(a, b, col), col).toEqual([]);
    expect(sum(b.ctx.flows.settlements)).toBe(sum(a.ctx.flows.settlements));
  });

  it('an agent has at most one band event per tick: with every review rate at 1, no reviewer loses a job, changes tenure or is trained', () => {
    const sc = baselineScenario();
    for (const k of ['review_rate', 'review_rate_unemployed', 'review_rate_village', 'review_rate_outside', 'review_rate_pool'] as const)
      sc.behaviour.migration[k].value = 1;
    const start = build(sc).agents;
    const t = oneTick(sc);
    // The review band covers all of [d + b + settlement, 1): every draw above death, birth and
    // settlement is a review, so the later bands (job loss, tenure, training; the permit's at the top) get none.
    // Those out of the labour force in towns do not review: their draws keep the other bands.
    expect(sum(t.ctx.flows.moves)).toBeGreaterThan(1000);
    const P = build(sc).places;
    const reviews = (i: number) => !(P.urban[start.place[i]] && start.emp[i] === Emp.outOfLabourForce);
    let stayed = 0,
      tenureChanged = 0,
      jobLost = 0,
      trained = 0;
    for (let i = 0; i < start.count; i++) {
      if (t.place[i] !== start.place[i] || !reviews(i)) continue;
      stayed++;
      if (t.tenure[i] !== start.tenure[i]) tenureChanged++;
      if (start.emp[i] === Emp.urbanJob && t.emp[i] === Emp.unemployed) jobLost++; // (retiring on one's birthday is not a band event)
      if (t.skill[i] !== start.skill[i]) trained++;
    }
    expect(stayed).toBeGreaterThan(10000);
    expect(tenureChanged).toBe(0);
    expect(trained).toBe(0);
    expect(jobLost).toBe(0);
    // Settlement comes before the review band: settlements still happen.
    expect(sum(t.ctx.flows.settlements)).toBeGreaterThan(10);
  });
});
