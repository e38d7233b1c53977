import { describe, expect, it } from 'vitest';
import { SCHEDULE } from '../src/engine/run.js';
import { DEAD, Emp, Flag, Tenure } from '../src/world/agents.js';
import { addAgent, baselineScenario, ctxFor, miniWorld, recount, runTicks, setHousing, setJobs, spots } from './helpers/mini-world.js';

/** Index of the first element where a and b differ (or the longer one's extra element), -1 when equal. */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('bookkeeping of the full schedule', () => {
  it('after three years of every rule, the place stocks equal a recount of the agents', () => {
    const sc = baselineScenario();
    // Levers that switch on the less common paths: affordable housing for permit holders, dormitories, land.
    sc.levers.housing.affordable_rental_units_per_year = 40000;
    sc.levers.housing.dormitory_places_per_year = 20000;
    sc.levers.residence_permit.opens_affordable_housing = true;
    sc.levers.jobs.training_rate = 0.2;
    const w = miniWorld(sc, 8000);
    const S = spots(w.places),
      P = w.places;
    const F = (k: number) => (k % 2 ? Flag.female : 0);
    const cityVillages = P.countyVillages[P.county[S.datong]];

    // Taiyuan: locals of every age and state, and migrants from a Datong county.
    setJobs(w, S.taiyuan, 1000, 2000);
    setHousing(w, S.taiyuan, Tenure.marketRent, 2600);
    setHousing(w, S.taiyuan, Tenure.owned, 1200);
    setHousing(w, S.taiyuan, Tenure.publicRental, 150);
    setHousing(w, S.taiyuan, Tenure.dormitory, 250);
    for (let k = 0; k < 1800; k++) {
      const age = k % 90;
      const emp = age < 16 || age >= 60 ? Emp.outOfLabourForce : k % 10 === 0 ? Emp.unemployed : Emp.urbanJob;
      addAgent(w, {
        place: S.taiyuan,
        age,
        emp,
        flags: Flag.urbanHukou | F(k) | (k % 3 ? Flag.services : 0),
        tenure: k % 4 ? Tenure.owned : k % 8 ? Tenure.marketRent : Tenure.publicRental,
      });
    }
    for (let k = 0; k < 1400; k++) {
      const age = 16 + (k % 44);
      const emp = k % 7 === 0 ? Emp.unemployed : Emp.urbanJob;
      const tenure = emp === Emp.urbanJob && k % 5 === 0 ? Tenure.dormitory : Tenure.marketRent;
      addAgent(w, {
        place: S.taiyuan,
        hukouPlace: k % 2 ? S.datongVillages : cityVillages,
        age,
        emp,
        tenure,
        flags: Flag.landRights | F(k) | (k % 3 === 0 ? Flag.permit : 0) | (k % 2 ? Flag.services : 0),
        months: k % 40,
      });
    }
    // A Datong county town and its villages.
    setJobs(w, S.datongTown, 300, 400);
    setHousing(w, S.datongTown, Tenure.marketRent, 900);
    setHousing(w, S.datongTown, Tenure.owned, 200);
    for (let k = 0; k < 700; k++) {
      const age = (k * 7) % 85;
      const emp = age < 16 || age >= 60 ? Emp.outOfLabourForce : k % 6 === 0 ? Emp.unemployed : Emp.urbanJob;
      addAgent(w, { place: S.datongTown, age, emp, flags: Flag.urbanHukou | F(k), tenure: k % 3 ? Tenure.marketRent : Tenure.owned });
    }
    // Datong's central districts have vacancies but no housing: moves there are blocked.
    setJobs(w, S.datong, 0, 300);
    w.ruralJobs[S.datongVillages] = 500;
    for (let k = 0; k < 2000; k++) {
      const age = (k * 11) % 88;
      const emp = age < 16 || age >= 70 ? Emp.outOfLabourForce : k % 3 === 0 ? Emp.localNonFarm : Emp.farming;
      addAgent(w, { place: S.datongVillages, age, emp, flags: Flag.landRights | F(k) });
    }
    // Shanxi people outside the province, and the pool of people from other provinces.
    for (let k = 0; k < 500; k++)
      addAgent(w, { place: S.outside, hukouPlace: S.datongVillages, age: 18 + (k % 40), emp: Emp.urbanJob, flags: Flag.landRights | F(k) });
    for (let k = 0; k < 300; k++) addAgent(w, { place: S.outside, age: 18 + (k % 40), emp: Emp.urbanJob, flags: F(k) });

    const n0 = w.agents.count;
    const ctx = ctxFor(w, sc, 0, 3);
    const rules = SCHEDULE.map(([, rule]) => rule);
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);
    let births = 0,
      deaths = 0,
      moves = 0,
      settlements = 0,
      hires = 0,
      blocked = 0;
    for (let t = 0; t < 36; t++) {
      runTicks(w, ctx, rules, 1);
      const r = recount(w);
      // Checked every tick, so that a failure names the first tick and place where the counts drift.
      for (const k of ['pop', 'occupied', 'jobsFilled', 'ruralJobsFilled', 'network', 'homePop', 'localHukou', 'seekers', 'farmers'] as const) {
        expect(firstDiff(w[k], r[k]), `${k} after tick ${t}: first index where kept and recounted differ`).toBe(-1);
      }
      births += sum(ctx.flows.births);
      deaths += sum(ctx.flows.deaths);
      moves += sum(ctx.flows.moves);
      settlements += sum(ctx.flows.settlements);
      hires += sum(ctx.flows.hires);
      blocked += sum(ctx.flows.blockedMoves);
      for (const f of Object.values(ctx.flows)) f.fill(0);
    }
    // Every path that touches the counts was taken.
    expect(births).toBeGreaterThan(10);
    expect(deaths).toBeGreaterThan(10);
    expect(moves).toBeGreaterThan(100);
    expect(settlements).toBeGreaterThan(10);
    expect(hires).toBeGreaterThan(100);
    expect(blocked).toBeGreaterThan(0);
    expect(w.agents.count).toBeGreaterThan(n0);
    const A = w.agents;
    let affordable = 0,
      dorms = 0;
    for (let i = 0; i < A.count; i++) {
      if (A.place[i] === DEAD) continue;
      if (A.tenure[i] === Tenure.affordableRental) affordable++;
      if (A.tenure[i] === Tenure.dormitory) dorms++;
    }
    expect(affordable).toBeGreaterThan(0);
    expect(dorms).toBeGreaterThan(0);
    // No stock has gone negative.
    for (const a of [w.pop, w.occupied, w.jobsFilled, w.ruralJobsFilled, w.network, w.homePop]) expect(Math.min(...a)).toBeGreaterThan(-1);
  });
});
