import { describe, expect, it } from 'vitest';
import { housingMarket } from '../src/model/housing.js';
import { labourMarket, MIN_OUTSIDE_WAGE_FACTOR, outsideWageRatio } from '../src/model/labour.js';
import { returnPull } from '../src/model/migration.js';
import { migration } from '../src/model/step.js';
import type { Rule } from '../src/model/context.js';
import type { Scenario } from '../src/scenario/schema.js';
import { Emp, Flag, Tenure, TENURES } from '../src/world/agents.js';
import type { World } from '../src/world/world.js';
import {
  addAgents,
  baselineScenario,
  countWhere,
  ctxFor,
  miniWorld,
  referenceParams,
  runTicks,
  setHousing,
  setJobs,
  spots,
  type Spots,
} from './helpers/mini-world.js';

const DATONG = 1,
  TAIYUAN = 0;

/**
 * Villagers of a Datong county choosing where to go. Every villager reviews every tick
 * (review_rate_village = 1) so that each tick is 4000 independent choices; Taiyuan has ample
 * market housing, the other towns none. `vary` changes one thing in the world before the run.
 * Returns the moves Datong -> Taiyuan over two ticks.
 */
function villagersToTaiyuan(vary: (w: World, S: Spots) => void, rules: Rule[] = [labourMarket, migration]): number {
  const sc = baselineScenario();
  sc.behaviour.migration.review_rate_village.value = 1;
  const w = miniWorld(sc);
  const S = spots(w.places);
  addAgents(w, 4000, { place: S.datongVillages, emp: Emp.farming });
  setHousing(w, S.taiyuan, Tenure.marketRent, 100000);
  // Vacancies to draw newcomers (a destination's chance of a job follows its vacancies per seeker).
  setJobs(w, S.taiyuan, 0, 2000);
  vary(w, S);
  const ctx = ctxFor(w, sc, 0, 11, referenceParamsOf(sc));
  runTicks(w, ctx, rules, 2);
  return ctx.flows.moves[DATONG * (w.places.nCities + 1) + TAIYUAN];
}

const paramsCache = new Map<string, ReturnType<typeof referenceParams>>();
function referenceParamsOf(sc: Scenario) {
  const key = JSON.stringify(sc.behaviour) + JSON.stringify(sc.levers);
  if (!paramsCache.has(key)) paramsCache.set(key, referenceParams(sc));
  return paramsCache.get(key)!;
}

/**
 * Adds a Taiyuan labour market of `employed` job holders, `seekers` job seekers (past migration
 * age so they stay put) and `capacity` jobs.
 */
function taiyuanMarket(w: World, S: Spots, employed: number, seekers: number, capacity: number) {
  addAgents(w, employed, { place: S.taiyuan, age: 65, emp: Emp.urbanJob });
  addAgents(w, seekers, { place: S.taiyuan, age: 65, emp: Emp.unemployed });
  // The job holders fill the industry jobs (their sector bits are 0); the vacancies are in services.
  setJobs(w, S.taiyuan, employed, capacity - employed);
}

describe('migration rule', () => {
  it('moving costs by distance class: within the county, the city, Shanxi, or to and from the rest of China', () => {
    const P = miniWorld(baselineScenario()).places,
      S = spots(P),
      n = P.n;
    const dist = (p: number, d: number) => P.distance[p * n + d];
    expect(dist(S.datongVillages, S.datongTown)).toBe(0);
    expect(dist(S.datongVillages, S.datong)).toBe(1);
    expect(dist(S.datongVillages, S.taiyuan)).toBe(2);
    expect(dist(S.datongVillages, P.outside)).toBe(3);
    expect(dist(P.outside, S.taiyuan)).toBe(3);
    for (let p = 0; p < n; p++) {
      expect(dist(p, p)).toBe(0);
      for (let d = 0; d < n; d++) expect(dist(p, d)).toBe(dist(d, p));
    }
  });

  it('a destination with more vacancies per job seeker draws more migrants', () => {
    // The same 1000 job holders and 1000 seekers; no vacancy or 2000 vacancies.
    const slack = villagersToTaiyuan((w, S) => taiyuanMarket(w, S, 1000, 1000, 1000));
    const tight = villagersToTaiyuan((w, S) => taiyuanMarket(w, S, 1000, 1000, 3000));
    expect(slack).toBeGreaterThan(30);
    expect(tight).toBeGreaterThan(1.3 * slack + 10);
  });

  it('a higher wage at a destination draws more migrants', () => {
    const base = villagersToTaiyuan(() => {});
    const higher = villagersToTaiyuan((w, S) => {
      w.baseWage[S.taiyuan] *= 1.5;
    });
    expect(base).toBeGreaterThan(30);
    expect(higher).toBeGreaterThan(1.3 * base + 10);
  });

  it('dearer housing at a destination draws fewer migrants', () => {
    const rules = [labourMarket, housingMarket, migration];
    const base = villagersToTaiyuan(() => {}, rules);
    const dear = villagersToTaiyuan((w, S) => {
      w.baseRent[S.taiyuan] *= 8;
    }, rules);
    expect(dear).toBeGreaterThan(10);
    expect(base).toBeGreaterThan(1.2 * dear + 10);
  });

  it('a network of people from the same home county at a destination draws more migrants', () => {
    // The same 2000 fellow villagers (past migration age) live either in Taiyuan or in a Changzhi
    // village, which is not among a Datong villager's alternatives: the home county's size is equal.
    const away = villagersToTaiyuan((w, S) => {
      addAgents(w, 2000, { place: S.changzhiVillages, hukouPlace: S.datongVillages, age: 65 });
    });
    const there = villagersToTaiyuan((w, S) => {
      addAgents(w, 2000, { place: S.taiyuan, hukouPlace: S.datongVillages, age: 65 });
    });
    expect(away).toBeGreaterThan(30);
    expect(there).toBeGreaterThan(1.5 * away + 10);
  });

  it('the unemployed review their situation more often than the employed', () => {
    // Make home so attractive that every review ends in a return home: moves then count reviews.
    const run = (emp: number) => {
      const sc = baselineScenario();
      sc.behaviour.migration.home_attachment.value = 50;
      const w = miniWorld(sc);
      const S = spots(w.places);
      const ids = addAgents(w, 3000, { place: S.taiyuan, hukouPlace: S.datongVillages, emp });
      setJobs(w, S.taiyuan, 0, 3000);
      const ctx = ctxFor(w, sc, 0, 11, referenceParamsOf(sc));
      runTicks(w, ctx, [migration], 12);
      const home = countWhere(w, ids, (i) => w.agents.place[i] === S.datongVillages);
      expect(ctx.flows.moves[TAIYUAN * (w.places.nCities + 1) + DATONG]).toBe(home);
      return home;
    };
    const employed = run(Emp.urbanJob),
      unemployed = run(Emp.unemployed);
    // Annual review rates 0.15 and 0.60.
    expect(employed).toBeGreaterThan(300);
    expect(employed).toBeLessThan(600);
    expect(unemployed).toBeGreaterThan(1600);
    expect(unemployed).toBeGreaterThan(2.5 * employed);
  });

  it('moves to a town without free market or dormitory housing fail and are counted as blocked', () => {
    const run = (tenure: number | undefined) => {
      const sc = baselineScenario();
      sc.behaviour.migration.review_rate_village.value = 1;
      const w = miniWorld(sc);
      const S = spots(w.places);
      const ids = addAgents(w, 4000, { place: S.datongVillages, emp: Emp.farming });
      if (tenure !== undefined) setHousing(w, S.taiyuan, tenure, 100000);
      setJobs(w, S.taiyuan, 0, 2000);
      const ctx = ctxFor(w, sc, 0, 11, referenceParamsOf(sc));
      runTicks(w, ctx, [labourMarket, migration], 2);
      const A = w.agents;
      return {
        blocked: ctx.flows.blockedMoves[S.taiyuan],
        inTaiyuan: w.pop[S.taiyuan],
        inDorms: w.occupied[S.taiyuan * TENURES + Tenure.dormitory],
        inMarket: w.occupied[S.taiyuan * TENURES + Tenure.marketRent],
        // Blocked movers stay where they were, as they were.
        stillFarming: countWhere(w, ids, (i) => A.place[i] === S.datongVillages && A.emp[i] === Emp.farming),
        inVillage: countWhere(w, ids, (i) => A.place[i] === S.datongVillages),
      };
    };
    const none = run(undefined),
      dorms = run(Tenure.dormitory),
      market = run(Tenure.marketRent);
    expect(none.blocked).toBeGreaterThan(30);
    expect(none.inTaiyuan).toBe(0);
    expect(none.stillFarming).toBe(none.inVillage);
    expect(dorms.blocked).toBe(0);
    expect(dorms.inDorms).toBeGreaterThan(30);
    expect(dorms.inMarket).toBe(0);
    expect(market.blocked).toBe(0);
    expect(market.inMarket).toBeGreaterThan(30);
    expect(market.inDorms).toBe(0);
  });

  it('a mover loses its residence permit, restarts its months and seeks work at an urban destination', () => {
    const sc = baselineScenario();
    // Going home is ruled out, so movers go to towns or out of the province, where they seek work.
    sc.behaviour.migration.home_attachment.value = -50;
    const w = miniWorld(sc);
    const S = spots(w.places);
    // Permit holders of a Datong county living in Taiyuan, no jobs: they review often and leave.
    const ids = addAgents(w, 2000, { place: S.taiyuan, hukouPlace: S.datongVillages, emp: Emp.unemployed, flags: Flag.landRights | Flag.permit, months: 100 });
    for (let p = 0; p < w.places.n; p++) if (w.places.urban[p]) setHousing(w, p, Tenure.marketRent, 100000);
    const ctx = ctxFor(w, sc, 0, 11, referenceParamsOf(sc));
    runTicks(w, ctx, [migration], 1);
    const A = w.agents;
    const movers = ids.filter((i) => A.place[i] !== S.taiyuan);
    expect(movers.length).toBeGreaterThan(30);
    for (const i of movers) {
      expect(A.flags[i] & Flag.permit).toBe(0);
      expect(A.months[i]).toBe(0);
      if (w.places.urban[A.place[i]] || A.place[i] === S.outside) expect(A.emp[i]).toBe(Emp.unemployed);
    }
    // Stayers keep their permit and count one more month.
    expect(countWhere(w, ids, (i) => A.place[i] === S.taiyuan && (A.flags[i] & Flag.permit) !== 0 && A.months[i] === 101)).toBe(ids.length - movers.length);
  });

  it("the rest of China's wage and rent follow the wage gap's path: outside_wage_factor plus a yearly trend", () => {
    const sc = baselineScenario();
    sc.behaviour.migration.outside_wage_factor.value = 1.3;
    sc.behaviour.migration.outside_wage_gap_trend.value = 0.05;
    const par = referenceParamsOf(sc);
    // 60 ticks of 12 a year: 5 years after the census, factor 1.3 + 0.25 = 1.55.
    const w = miniWorld(sc);
    const S = spots(w.places);
    const ctx = ctxFor(w, sc, 60, 11, par);
    migration(w, ctx);
    housingMarket(w, ctx);
    const level = Math.pow(1 + par.wageGrowth, 5);
    expect(w.wageNow[S.outside * 3 + 1] / (w.baseWage[S.outside] * level * par.skillWage[1])).toBeCloseTo(1.55 / 1.3, 12);
    expect(w.rent[S.outside] / (w.baseRent[S.outside] * level)).toBeCloseTo(1.55 / 1.3, 12);
    // Shanxi's wages do not move with the gap.
    expect(w.wageNow[S.taiyuan * 3 + 1]).toBeCloseTo(w.baseWage[S.taiyuan] * level * par.skillWage[1], 6);
    // A falling gap stops at the floor.
    expect(outsideWageRatio({ ...par, outsideWageTrend: -1 }, 10)).toBeCloseTo(MIN_OUTSIDE_WAGE_FACTOR / 1.3, 12);
    expect(outsideWageRatio(par, 0)).toBe(1);
  });

  it('with a wider wage gap more villagers leave for the rest of China: the same draws, and everyone who left still leaves', () => {
    // Datong villagers who all review, five years after the census; one tick, so both runs start
    // from the same state and draw the same numbers (common random numbers).
    const leavers = (trend: number) => {
      const sc = baselineScenario();
      sc.behaviour.migration.review_rate_village.value = 1;
      sc.behaviour.migration.outside_wage_gap_trend.value = trend;
      const w = miniWorld(sc);
      const S = spots(w.places);
      const ids = addAgents(w, 4000, { place: S.datongVillages, emp: Emp.farming });
      const ctx = ctxFor(w, sc, 60, 11, referenceParamsOf(sc));
      runTicks(w, ctx, [migration], 1);
      expect(ctx.flows.moves[DATONG * (w.places.nCities + 1) + w.places.nCities]).toBe(countWhere(w, ids, (i) => w.agents.place[i] === S.outside));
      return new Set(ids.filter((i) => w.agents.place[i] === S.outside));
    };
    const base = leavers(0),
      wider = leavers(0.1);
    expect(base.size).toBeGreaterThan(30);
    // Factor 1.8 against 1.3 five years on: beta_income x ln(1.8 / 1.3) = 0.49 more utility.
    expect(wider.size).toBeGreaterThan(1.3 * base.size + 10);
    for (const i of base) expect(wider.has(i)).toBe(true);
  });

  it('a Shanxi person living in the rest of China goes home more often the older it is past home_attachment_outside_age_from', () => {
    // Workers of a Datong county in the rest of China, all of one age, who all review; home is
    // made dearer to them (home_attachment 3) so that enough go home in one tick.
    const returners = (age: number, slope: number) => {
      const sc = baselineScenario();
      sc.behaviour.migration.review_rate_outside.value = 1;
      sc.behaviour.migration.home_attachment.value = 3;
      sc.behaviour.migration.home_attachment_outside_age_slope.value = slope;
      sc.behaviour.migration.home_attachment_outside_age_from.value = 40;
      const w = miniWorld(sc);
      const S = spots(w.places);
      const ids = addAgents(w, 4000, { place: S.outside, hukouPlace: S.datongVillages, age, emp: Emp.urbanJob });
      const ctx = ctxFor(w, sc, 0, 11, referenceParamsOf(sc));
      runTicks(w, ctx, [migration], 1);
      return new Set(ids.filter((i) => w.agents.place[i] === S.datongVillages));
    };
    const young = returners(40, 0.05),
      old = returners(55, 0.05);
    expect(young.size).toBeGreaterThan(30);
    // The pull at 55 is 0.05 x 15 = 0.75: the odds of home against the rest rise by e^0.75 = 2.1.
    expect(old.size).toBeGreaterThan(1.5 * young.size + 10);
    for (const i of young) expect(old.has(i)).toBe(true);
    // Without the slope age makes no difference; at the pivot age the slope makes none.
    expect(returners(55, 0).size).toBe(young.size);
    expect(returners(30, 0.05).size).toBe(young.size);
    expect(returnPull(referenceParamsOf(baselineScenario()), 30)).toBe(0);
  });
});
