import { describe, expect, it } from 'vitest';
import { newContext } from '../src/model/context.js';
import { calendarYear, demographyWidths, fertilityLevel, mortalityLevel } from '../src/model/demography.js';
import { levelInYear, perTick, resolveParams, URBAN_FERTILITY } from '../src/model/params.js';
import { demography } from '../src/model/step.js';
import { leverTables } from '../src/scenario/schedule.js';
import type { Scenario } from '../src/scenario/schema.js';
import { DEAD, Emp, Flag, Tenure } from '../src/world/agents.js';
import { addAgent, addAgents, baselineScenario, countWhere, ctxFor, miniWorld, referenceParams, runTicks, spots } from './helpers/mini-world.js';

/** The baseline with the census year's demographic levels in every year (no index path, no trend): closed forms then need no calendar. */
function flatLevels(): Scenario {
  const sc = baselineScenario();
  const d = sc.behaviour.demography;
  d.mortality_index_by_year = {};
  d.fertility_index_by_year = {};
  d.fertility_trend = { value: 0, estimate: 'test' };
  return sc;
}

/**
 * Expected events of agent i over the first 12 ticks at a constant per-tick probability by age,
 * p(a) before and p(a + 1) from its birthday tick (tick i mod 12) on: for deaths, one minus the
 * survival; for births, the sum of the probabilities (a birth does not end the exposure; deaths
 * at fertile ages are neglected).
 */
function expectedDeath(i: number, p0: number, p1: number): number {
  const k = i % 12;
  return 1 - Math.pow(1 - p0, k) * Math.pow(1 - p1, 12 - k);
}
const expectedBirths = (i: number, p0: number, p1: number): number => (i % 12) * p0 + (12 - (i % 12)) * p1;

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
    // The fertility schedules of both residences are zero outside 15-49 and positive at their ends.
    const f = ctx.params.fertYear;
    for (const res of [0, URBAN_FERTILITY]) {
      const wf = res | (Flag.female << 7);
      expect(f[wf | 14]).toBe(0);
      expect(f[wf | 50]).toBe(0);
      expect(f[wf | 15]).toBeGreaterThan(0);
      expect(f[wf | 49]).toBeGreaterThan(0);
      for (let a = 0; a < 128; a++) expect(f[res | a], `a man of ${a}`).toBe(0);
    }
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

  it('men die at male_mortality_ratio times the rate of women of the same age', () => {
    const sc = flatLevels();
    const r = sc.behaviour.demography.male_mortality_ratio.value;
    const par = referenceParams(sc);
    // The tables: the annual hazard of a man is r times a woman's at every age.
    for (const a of [0, 30, 60, 85, 100]) expect(par.deathYear[a] / par.deathYear[(Flag.female << 7) | a]).toBeCloseTo(r, 12);
    // The rule: 30,000 men and 30,000 women of 88 in Taiyuan for a year, against the closed form.
    const w = miniWorld(sc, 70000);
    const S = spots(w.places);
    const men = addAgents(w, 30000, { place: S.taiyuan, age: 88, flags: Flag.urbanHukou });
    const women = addAgents(w, 30000, { place: S.taiyuan, age: 88, flags: Flag.urbanHukou | Flag.female });
    const ctx = ctxFor(w, sc, 0, 7, par);
    runTicks(w, ctx, [demography], 12);
    const p = (sex: number, a: number) => perTick(par.deathYear[sex | a], par.tpy);
    const dead = (ids: number[]) => ids.filter((i) => w.agents.place[i] === DEAD).length;
    const expected = (ids: number[], sex: number) => ids.reduce((e, i) => e + expectedDeath(i, p(sex, 88), p(sex, 89)), 0);
    const eMen = expected(men, 0),
      eWomen = expected(women, Flag.female << 7);
    expect(eWomen).toBeGreaterThan(1000);
    expect(Math.abs(dead(men) - eMen)).toBeLessThan(4 * Math.sqrt(eMen));
    expect(Math.abs(dead(women) - eWomen)).toBeLessThan(4 * Math.sqrt(eWomen));
    // The annual rate is the year's probability (perTick keeps it), so a man's probability of dying
    // within the year is r times a woman's, but for the birthday in the year.
    expect(Math.abs(eMen / eWomen - r)).toBeLessThan(0.01);
    expect(dead(men) / dead(women)).toBeGreaterThan(r - 0.25);
    expect(dead(men) / dead(women)).toBeLessThan(r + 0.25);
  });

  it('village women have rural_fertility_ratio times the births of urban women, at younger ages', () => {
    const sc = flatLevels();
    const d = sc.behaviour.demography;
    const ratio = d.rural_fertility_ratio.value;
    const par = referenceParams(sc);
    const F = Flag.female << 7;
    // The tables: total fertility of the rural curve over the urban one is the ratio, and the rural curve's mean age is lower.
    const sum = (res: number, weight: (a: number) => number) => {
      let t = 0;
      for (let a = 0; a < 128; a++) t += par.fertYear[res | F | a] * weight(a);
      return t;
    };
    const tfrRural = sum(0, () => 1),
      tfrUrban = sum(URBAN_FERTILITY, () => 1);
    expect(tfrRural / tfrUrban).toBeCloseTo(ratio, 12);
    expect(tfrUrban).toBeCloseTo(par.fertLevel, 12);
    const meanAge = (res: number, tfr: number) => sum(res, (a) => a) / tfr;
    expect(meanAge(URBAN_FERTILITY, tfrUrban) - meanAge(0, tfrRural)).toBeGreaterThan(1.5);
    // Urban places and outside Shanxi have urban fertility, villages rural.
    const w = miniWorld(sc, 80000);
    const S = spots(w.places);
    expect(par.fertResidence[S.taiyuan]).toBe(URBAN_FERTILITY);
    expect(par.fertResidence[S.datongTown]).toBe(URBAN_FERTILITY);
    expect(par.fertResidence[S.outside]).toBe(URBAN_FERTILITY);
    expect(par.fertResidence[S.datongVillages]).toBe(0);
    // The rule: 1,000 women of each age 15-49 in a village and as many in Taiyuan, for a year.
    const p = (res: number, a: number) => perTick(par.fertYear[res | F | a], par.tpy);
    let eRural = 0,
      eUrban = 0;
    for (let a = 15; a <= 49; a++) {
      for (const i of addAgents(w, 1000, { place: S.datongVillages, age: a, flags: Flag.landRights | Flag.female }))
        eRural += expectedBirths(i, p(0, a), p(0, a + 1));
      for (const i of addAgents(w, 1000, { place: S.taiyuan, age: a, flags: Flag.urbanHukou | Flag.female }))
        eUrban += expectedBirths(i, p(URBAN_FERTILITY, a), p(URBAN_FERTILITY, a + 1));
    }
    const ctx = ctxFor(w, sc, 0, 3, par);
    runTicks(w, ctx, [demography], 12);
    const b = ctx.flows.births;
    expect(eUrban).toBeGreaterThan(800);
    expect(Math.abs(b[S.datongVillages] - eRural)).toBeLessThan(4 * Math.sqrt(eRural) + 0.01 * eRural);
    expect(Math.abs(b[S.taiyuan] - eUrban)).toBeLessThan(4 * Math.sqrt(eUrban) + 0.01 * eUrban);
    // With every age 15-49 equally present, births are in the ratio of the total fertilities (ageing aside).
    expect(eRural / eUrban).toBeGreaterThan(ratio - 0.05);
    expect(eRural / eUrban).toBeLessThan(ratio + 0.05);
    expect(b[S.datongVillages] / b[S.taiyuan]).toBeGreaterThan(ratio - 0.15);
    expect(b[S.datongVillages] / b[S.taiyuan]).toBeLessThan(ratio + 0.15);
  });

  it("the levels calibrated at build reproduce the census year's crude rates on the residents, whatever the ratios", () => {
    for (const [maleRatio, ruralRatio] of [
      [1.5, 1.35],
      [1, 1],
      [2, 2.5],
    ]) {
      const sc = baselineScenario();
      const d = sc.behaviour.demography;
      d.male_mortality_ratio = { value: maleRatio, estimate: 'test' };
      d.rural_fertility_ratio = { value: ruralRatio, estimate: 'test' };
      // A toy world: men and women of every age in a village, a county town and Taiyuan, in
      // different numbers, and people outside Shanxi, who do not count.
      const w = miniWorld(sc, 40000);
      const S = spots(w.places);
      const places = [S.datongVillages, S.datongTown, S.taiyuan];
      for (let a = 0; a < 95; a++)
        for (let k = 0; k < 6; k++) {
          const q = places[k % 3];
          const n = 1 + ((a * 7 + k * 3) % 5);
          for (let j = 0; j < n; j++) addAgent(w, { place: q, age: a, flags: k < 3 ? Flag.female : 0 });
        }
      const residents = w.agents.count;
      addAgents(w, 3000, { place: S.outside, age: 28, flags: Flag.female });
      addAgents(w, 3000, { place: S.outside, age: 90 });
      const par = resolveParams(sc, w, leverTables(sc));
      const A = w.agents;
      let deaths = 0,
        births = 0;
      for (let i = 0; i < residents; i++) {
        const sa = ((A.flags[i] & Flag.female) << 7) | A.age[i];
        deaths += par.deathYear[sa];
        births += par.fertYear[par.fertResidence[A.place[i]] | sa];
      }
      expect(deaths / residents).toBeCloseTo(d.death_rate_2020.value / 1000, 12);
      expect(births / residents).toBeCloseTo(d.birth_rate_2020.value / 1000, 12);
      // And the tick's probabilities of the census year are those rates per tick.
      const ctx = newContext(w, par, leverTables(sc), 1, 0);
      const death = new Float64Array(512),
        birth = new Float64Array(1024),
        demo = new Float64Array(1024);
      demographyWidths(ctx, death, birth, demo);
      const sa = (Flag.female << 7) | 30;
      expect(death[sa]).toBe(perTick(par.deathYear[sa], par.tpy));
      expect(birth[sa]).toBe(perTick(par.fertYear[sa], par.tpy));
      expect(demo[URBAN_FERTILITY | sa]).toBe(death[sa] + birth[URBAN_FERTILITY | sa]);
    }
  });

  it('the levels follow the yearly paths, then hold (mortality) or trend (fertility)', () => {
    const sc = baselineScenario();
    const d = sc.behaviour.demography;
    const par = referenceParams(sc);
    const w = miniWorld(sc, 10);
    const at = (tick: number) => newContext(w, par, leverTables(sc), 1, tick);
    const tpy = par.tpy,
      stub = Math.round((tpy * 2) / 12);
    // The stub (Nov-Dec 2020) is 2020: level 1.
    expect(calendarYear(at(stub - 1))).toBe(2020);
    expect(mortalityLevel(at(0))).toBe(1);
    expect(fertilityLevel(at(stub - 1))).toBe(1);
    for (const y of [2021, 2022, 2023, 2024]) {
      for (const t of [stub + (y - 2021) * tpy, stub + (y - 2020) * tpy - 1]) {
        expect(calendarYear(at(t))).toBe(y);
        expect(mortalityLevel(at(t))).toBe(d.mortality_index_by_year[String(y)].value);
        expect(fertilityLevel(at(t))).toBe(d.fertility_index_by_year[String(y)].value);
      }
    }
    const t2027 = stub + 6 * tpy;
    expect(mortalityLevel(at(t2027))).toBe(d.mortality_index_by_year['2024'].value);
    expect(fertilityLevel(at(t2027))).toBeCloseTo(d.fertility_index_by_year['2024'].value * Math.pow(1 + d.fertility_trend.value, 3), 14);
    // An empty path: the trend from 2020.
    expect(levelInYear(new Float64Array([1]), -0.1, 2022, 2020)).toBeCloseTo(0.81, 14);
    // The same from a 2010 start: two years after the census.
    expect(levelInYear(new Float64Array([1]), -0.1, 2012, 2010)).toBeCloseTo(0.81, 14);
    // The tick's death and birth probabilities carry the year's levels.
    const death = new Float64Array(512),
      birth = new Float64Array(1024),
      demo = new Float64Array(1024);
    const t2023 = stub + 2 * tpy;
    demographyWidths(at(t2023), death, birth, demo);
    const sa = (Flag.female << 7) | 70,
      sb = URBAN_FERTILITY | (Flag.female << 7) | 30;
    expect(death[sa]).toBe(perTick(par.deathYear[sa] * d.mortality_index_by_year['2023'].value, tpy));
    expect(birth[sb]).toBe(perTick(par.fertYear[sb] * d.fertility_index_by_year['2023'].value, tpy));
  });
});
