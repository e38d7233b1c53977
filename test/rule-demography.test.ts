import { describe, expect, it } from 'vitest';
import { demography } from '../src/model/step.js';
import { DEAD, Emp, Flag, Tenure } from '../src/world/agents.js';
import { addAgents, baselineScenario, countWhere, ctxFor, miniWorld, runTicks, spots } from './helpers/mini-world.js';

describe('demography rule', () => {
  it('old agents die more often than young ones', () => {
    const sc = baselineScenario();
    const w = miniWorld(sc);
    const S = spots(w.places);
    const young = addAgents(w, 3000, { place: S.taiyuan, age: 30 });
    const old = addAgents(w, 3000, { place: S.taiyuan, age: 80 });
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [demography], 12);
    const dead = (ids: number[]) => ids.filter((i) => w.agents.place[i] === DEAD).length;
    // Gompertz slope 0.09: an 80-year-old's hazard is e^4.5 = 90 times a 30-year-old's.
    expect(dead(old)).toBeGreaterThan(50);
    expect(dead(old)).toBeGreaterThan(10 * dead(young) + 50);
    expect(ctx.flows.deaths[S.taiyuan]).toBe(dead(old) + dead(young));
  });

  it('only women aged 15-49 give birth', () => {
    const sc = baselineScenario();
    const w = miniWorld(sc);
    const P = w.places;
    // One group per place, so that births (counted at the mother's place) tell the groups apart.
    const women28 = P.cityCentral[0],
      men28 = P.cityCentral[1],
      girls10 = P.cityCentral[2],
      women52 = P.cityCentral[3];
    addAgents(w, 2000, { place: women28, age: 28, flags: Flag.urbanHukou | Flag.female });
    addAgents(w, 2000, { place: men28, age: 28, flags: Flag.urbanHukou });
    addAgents(w, 2000, { place: girls10, age: 10, flags: Flag.urbanHukou | Flag.female });
    addAgents(w, 2000, { place: women52, age: 52, flags: Flag.urbanHukou | Flag.female });
    const n0 = w.agents.count;
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [demography], 12);
    const b = ctx.flows.births;
    expect(b[women28]).toBeGreaterThan(50);
    expect(b[men28]).toBe(0);
    expect(b[girls10]).toBe(0);
    expect(b[women52]).toBe(0);
    expect(w.agents.count - n0).toBe(b[women28]);
    // The fertility schedule is zero outside 15-49 and positive at its ends.
    const f = ctx.params.fertTick;
    expect(f[14]).toBe(0);
    expect(f[50]).toBe(0);
    expect(f[15]).toBeGreaterThan(0);
    expect(f[49]).toBeGreaterThan(0);
  });

  it("a newborn takes its mother's place, hukou place and hukou type, and land rights only with rural Shanxi hukou", () => {
    const sc = baselineScenario();
    // No child left at the hukou village at birth (test/rule-family.test.ts covers that).
    sc.behaviour.family.born_left_behind.value = 0;
    const w = miniWorld(sc);
    const S = spots(w.places);
    const F = Flag.female;
    // (a) local urban-hukou owners in Taiyuan; (b) rural Shanxi migrants in Datong's centre, in dormitories;
    // (c) non-Shanxi migrants in a county town; (d) urban-hukou residents of a village (hukou in the county town).
    addAgents(w, 1500, { place: S.taiyuan, age: 28, flags: Flag.urbanHukou | F, tenure: Tenure.owned });
    addAgents(w, 1500, { place: S.datong, hukouPlace: S.datongVillages, age: 28, flags: Flag.landRights | F, tenure: Tenure.dormitory });
    addAgents(w, 1500, { place: S.datongTown, hukouPlace: S.outside, age: 28, flags: F });
    addAgents(w, 1500, {
      place: S.changzhiVillages,
      hukouPlace: w.places.countyTown[w.places.county[S.changzhiVillages]],
      age: 28,
      flags: Flag.urbanHukou | F,
    });
    const n0 = w.agents.count;
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [demography], 12);
    const A = w.agents;
    const expected = new Map([
      [S.taiyuan, { hukou: S.taiyuan, urban: true, land: false, tenure: Tenure.owned }],
      [S.datong, { hukou: S.datongVillages, urban: false, land: true, tenure: Tenure.marketRent }],
      [S.datongTown, { hukou: S.outside, urban: false, land: false, tenure: Tenure.marketRent }],
      [S.changzhiVillages, { hukou: w.places.countyTown[w.places.county[S.changzhiVillages]], urban: true, land: false, tenure: Tenure.ruralHome }],
    ]);
    const seen = new Map<number, number>();
    for (let c = n0; c < A.count; c++) {
      if (A.place[c] === DEAD) continue;
      const e = expected.get(A.place[c]);
      expect(e, `newborn ${c} at an unexpected place ${A.place[c]}`).toBeDefined();
      expect(A.hukouPlace[c]).toBe(e!.hukou);
      expect((A.flags[c] & Flag.urbanHukou) !== 0).toBe(e!.urban);
      expect((A.flags[c] & Flag.landRights) !== 0).toBe(e!.land);
      expect(A.flags[c] & Flag.permit).toBe(0);
      expect(A.tenure[c]).toBe(e!.tenure);
      expect(A.emp[c]).toBe(Emp.outOfLabourForce);
      seen.set(A.place[c], (seen.get(A.place[c]) ?? 0) + 1);
    }
    for (const p of expected.keys()) expect(seen.get(p) ?? 0, `births at place ${p}`).toBeGreaterThan(30);
    // Both sexes are born, about 100 girls to 107 boys.
    const girls = countWhere(
      w,
      Array.from({ length: A.count - n0 }, (_, k) => n0 + k),
      (i) => (A.flags[i] & Flag.female) !== 0,
    );
    expect(girls).toBeGreaterThan(0.35 * (A.count - n0));
    expect(girls).toBeLessThan(0.6 * (A.count - n0));
  });

  it('every agent ages exactly once a year, on its own birthday tick', () => {
    const sc = baselineScenario();
    const w = miniWorld(sc);
    const S = spots(w.places);
    const ids = addAgents(w, 1200, { place: S.taiyuan, age: 20 });
    const ctx = ctxFor(w, sc);
    const A = w.agents;
    runTicks(w, ctx, [demography], 1);
    // After tick 0 only the agents whose id is 0 mod 12 have had their birthday.
    expect(countWhere(w, ids, (i) => A.age[i] === 21)).toBe(countWhere(w, ids, (i) => i % 12 === 0));
    expect(countWhere(w, ids, (i) => A.age[i] === 20)).toBe(countWhere(w, ids, (i) => i % 12 !== 0));
    runTicks(w, ctx, [demography], 11);
    const alive = countWhere(w, ids, () => true);
    expect(alive).toBeGreaterThan(1150);
    expect(countWhere(w, ids, (i) => A.age[i] === 21)).toBe(alive);
    runTicks(w, ctx, [demography], 12);
    expect(countWhere(w, ids, (i) => A.age[i] === 22)).toBe(countWhere(w, ids, () => true));
  });
});
