import { describe, expect, it } from 'vitest';
import { hire, incomeOf, labourMarket } from '../src/model/labour.js';
import { sumPlaces } from '../src/engine/observe.js';
import { vacantJobs } from '../src/model/occupancy.js';
import { labour } from '../src/model/step.js';
import { Emp, Flag, Skill, Tenure } from '../src/world/agents.js';
import { SECTORS, type World } from '../src/world/world.js';
import { addAgents, baselineScenario, countWhere, ctxFor, miniWorld, moveAgent, referenceParams, runTicks, setJobs, spots } from './helpers/mini-world.js';

const filled = (w: World, p: number) => w.jobsFilled[p * SECTORS] + w.jobsFilled[p * SECTORS + 1] + w.jobsFilled[p * SECTORS + 2];

describe('labour market', () => {
  /** Taiyuan with 1000 job holders and `seekers` job seekers, then one labour-market step. */
  const market = (seekers: number) => {
    const sc = baselineScenario();
    const w = miniWorld(sc);
    const S = spots(w.places);
    addAgents(w, 1000, { place: S.taiyuan, emp: Emp.urbanJob });
    addAgents(w, seekers, { place: S.taiyuan, emp: Emp.unemployed });
    setJobs(w, S.taiyuan, 1000, 0);
    const ctx = ctxFor(w, sc, 0, 3);
    labourMarket(w, ctx);
    return { sc, w, p: S.taiyuan, ctx };
  };

  it('the wage curve: wages fall as local unemployment rises, by (u / u0)^-elasticity', () => {
    const low = market(53),
      high = market(111);
    const phi = low.sc.behaviour.labour.wage_curve_elasticity.value;
    // u = 53/1053 and 111/1111 against the reference 0.05.
    expect(low.w.wageCurve[low.p]).toBeCloseTo(Math.pow(53 / 1053 / 0.05, -phi), 12);
    expect(high.w.wageCurve[high.p]).toBeCloseTo(Math.pow(111 / 1111 / 0.05, -phi), 12);
    expect(high.w.wageNow[high.p * 3 + Skill.mid] / low.w.wageNow[low.p * 3 + Skill.mid]).toBeCloseTo(high.w.wageCurve[high.p] / low.w.wageCurve[low.p], 12);
    expect(high.w.wageCurve[high.p]).toBeLessThan(0.95);
  });

  it('labour demand answers the lower wage: more capacity where unemployment is higher', () => {
    const low = market(53),
      high = market(111);
    const jobs = (m: ReturnType<typeof market>) => m.w.jobs[m.p * SECTORS];
    const eps = low.sc.behaviour.labour.labour_demand_elasticity.value;
    expect(jobs(high) / jobs(low)).toBeCloseTo(Math.pow(high.w.wageCurve[high.p] / low.w.wageCurve[low.p], -eps), 9);
    expect(jobs(high)).toBeGreaterThan(jobs(low) * 1.01);
  });

  it('public jobs follow residents', () => {
    const { w, p, ctx } = market(0);
    w.publicPerResident[p] = 0.1;
    labourMarket(w, ctx);
    expect(w.jobs[p * SECTORS + 2]).toBeCloseTo(100, 9);
    addAgents(w, 1000, { place: p, age: 70 });
    labourMarket(w, ctx);
    expect(w.jobs[p * SECTORS + 2]).toBeCloseTo(200, 9);
  });

  it('destination choice sees the vacancies and seekers of about the past year; hiring sees this tick', () => {
    const { w, p, ctx } = market(50);
    const T = ctx.params.tpy;
    // Started at the first tick's counts: the averaged odds are the tick's odds.
    expect(ctx.scratch.hiringAvg[p]).toBeCloseTo(ctx.scratch.hiring[p], 15);
    const before = ctx.scratch.vacAvg[p];
    setJobs(w, p, 1200, 0); // 200 more vacancies this tick
    labourMarket(w, ctx);
    const now = ctx.scratch.hiring[p],
      avg = ctx.scratch.hiringAvg[p];
    // The average moves 1/T of the way to the new count: the odds movers weigh rise, less than the tick's.
    let vac = 0;
    for (let s = 0; s < SECTORS; s++) vac += vacantJobs(w, p, s);
    expect(vac).toBeGreaterThan(before + 100);
    expect(ctx.scratch.vacAvg[p]).toBeCloseTo(before + (vac - before) / T, 9);
    expect(avg).toBeGreaterThan(0);
    expect(avg).toBeLessThan(now);
  });

  it('a worker who moved from an urban job in Shanxi is not counted again as new employment when hired', () => {
    const { w, p, ctx } = market(0);
    const [mover] = addAgents(w, 1, { place: p, emp: Emp.unemployed, flags: Flag.jobMover });
    const [fresh] = addAgents(w, 1, { place: p, emp: Emp.unemployed });
    setJobs(w, p, 1000, 10);
    labourMarket(w, ctx);
    hire(w, ctx, mover, 0);
    hire(w, ctx, fresh, 0);
    expect(w.agents.emp[mover]).toBe(Emp.urbanJob);
    expect(w.agents.emp[fresh]).toBe(Emp.urbanJob);
    expect(w.agents.flags[mover] & Flag.jobMover).toBe(0);
    expect(ctx.flows.hires[p]).toBe(1);
  });
});

describe('rural income from members working away', () => {
  it('the urban wages of rural-hukou workers away from their home village count for that village, not those of urban hukou or the jobless', () => {
    const sc = baselineScenario();
    const w = miniWorld(sc);
    const S = spots(w.places);
    addAgents(w, 3, { place: S.taiyuan, hukouPlace: S.datongVillages, emp: Emp.urbanJob, skill: Skill.mid });
    addAgents(w, 2, { place: S.taiyuan, hukouPlace: S.datongVillages, emp: Emp.urbanJob, flags: Flag.urbanHukou });
    addAgents(w, 4, { place: S.taiyuan, hukouPlace: S.datongVillages, emp: Emp.unemployed });
    addAgents(w, 5, { place: S.datongVillages, emp: Emp.farming });
    const s = sumPlaces(w);
    expect(s.awayWages[S.datongVillages]).toBeCloseTo(3 * w.wageNow[S.taiyuan * 3 + Skill.mid], 9);
    let others = 0;
    for (let p = 0; p < w.places.n; p++) if (p !== S.datongVillages) others += s.awayWages[p];
    expect(others).toBe(0);
  });
});

describe('labour rule', () => {
  it('more vacancies in a place means more hires of its unemployed', () => {
    const sc = baselineScenario();
    const params = referenceParams(sc);
    const build = (vacancies: number) => {
      const w = miniWorld(sc);
      const S = spots(w.places);
      const ids = addAgents(w, 2000, { place: S.taiyuan, hukouPlace: S.taiyuan, emp: Emp.unemployed });
      setJobs(w, S.taiyuan, vacancies / 3, (2 * vacancies) / 3);
      const ctx = ctxFor(w, sc, 0, 7, params);
      runTicks(w, ctx, [labour], 3);
      return { hires: ctx.flows.hires[S.taiyuan], employed: countWhere(w, ids, (i) => w.agents.emp[i] === Emp.urbanJob), filled: filled(w, S.taiyuan) };
    };
    const few = build(300),
      many = build(1500);
    expect(few.hires).toBeGreaterThan(20);
    expect(many.hires).toBeGreaterThan(2 * few.hires);
    // Each hire fills one job (a few of the hired lose their job again within the three ticks).
    expect(many.filled).toBe(many.employed);
    expect(many.employed).toBeLessThanOrEqual(many.hires);
    expect(many.employed).toBeGreaterThan(0.97 * many.hires);
  });

  it('the training lever changes who is trained, not who loses or finds a job (one draw, fixed bands)', () => {
    const run = (training: number) => {
      const sc = baselineScenario();
      sc.levers.jobs.training_rate = training;
      const w = miniWorld(sc);
      const S = spots(w.places);
      const ids = addAgents(w, 3000, { place: S.taiyuan, emp: Emp.urbanJob, skill: Skill.low, flags: Flag.urbanHukou | Flag.services });
      setJobs(w, S.taiyuan, 0, 3000 / 0.97);
      const ctx = ctxFor(w, sc, 0, 7);
      runTicks(w, ctx, [labour], 12);
      const A = w.agents;
      return {
        unemployed: ids.filter((i) => A.emp[i] === Emp.unemployed),
        hires: ctx.flows.hires[S.taiyuan],
        trained: countWhere(w, ids, (i) => A.skill[i] > Skill.low),
      };
    };
    const none = run(0),
      much = run(0.5);
    expect(none.trained).toBe(0);
    expect(much.trained).toBeGreaterThan(600);
    expect(much.unemployed.length).toBeGreaterThan(5);
    expect(much.unemployed).toEqual(none.unemployed);
    expect(much.hires).toBe(none.hires);
  });

  it('a higher separation rate leaves more agents unemployed', () => {
    const sc = baselineScenario();
    sc.behaviour.labour.separation_rate.value = 0.06;
    const high = baselineScenario();
    high.behaviour.labour.separation_rate.value = 0.4;
    const run = (s: typeof sc) => {
      const w = miniWorld(s);
      const S = spots(w.places);
      const ids = addAgents(w, 3000, { place: S.taiyuan, emp: Emp.urbanJob, flags: Flag.urbanHukou | Flag.services });
      setJobs(w, S.taiyuan, 0, 3000 / 0.97);
      const ctx = ctxFor(w, s, 0, 7);
      runTicks(w, ctx, [labour], 12);
      return countWhere(w, ids, (i) => w.agents.emp[i] === Emp.unemployed);
    };
    const base = run(sc),
      more = run(high);
    expect(base).toBeGreaterThan(10);
    expect(more).toBeGreaterThan(2 * base + 50);
  });

  it('agents at retirement age leave urban jobs on their birthday and free them', () => {
    const sc = baselineScenario();
    const params = referenceParams(sc);
    const run = (age: number, ticks: number) => {
      const w = miniWorld(sc);
      const S = spots(w.places);
      const ids = addAgents(w, 2000, { place: S.taiyuan, age, emp: Emp.urbanJob, flags: Flag.urbanHukou });
      setJobs(w, S.taiyuan, 2000, 0);
      const ctx = ctxFor(w, sc, 0, 7, params);
      runTicks(w, ctx, [labour], ticks);
      const A = w.agents;
      return {
        filled: filled(w, S.taiyuan),
        attrition: ctx.flows.attrition[S.taiyuan],
        retired: ids.filter((i) => A.emp[i] === Emp.outOfLabourForce),
        birthdays: ids.filter((i) => i % params.tpy === 0),
        pensioners: countWhere(w, ids, (i) => incomeOf(w, i) === w.urbanPensionNow && w.urbanPensionNow > 0),
      };
    };
    // In one tick (tick 0), exactly the agents whose birthday falls in it (id mod 12 = 0) retire.
    const one = run(60, 1);
    expect(one.birthdays.length).toBeGreaterThan(150);
    expect(one.retired).toEqual(one.birthdays);
    expect(one.attrition).toBe(one.birthdays.length);
    // (a few others lose their job in the tick)
    expect(one.filled).toBeLessThanOrEqual(2000 - one.birthdays.length);
    expect(one.filled).toBeGreaterThan(1970 - one.birthdays.length);
    // In a year, everyone of 60 has retired and freed its job; nobody of 59 has (this rule alone does not age).
    const working = run(59, 12),
      retiring = run(60, 12);
    expect(working.retired.length).toBe(0);
    expect(working.filled).toBeGreaterThan(1900);
    expect(retiring.filled).toBe(0);
    expect(retiring.retired.length).toBe(2000);
    expect(retiring.pensioners).toBe(2000);
    // Those who lost their job before their birthday retire from unemployment: no attrition for them.
    expect(retiring.attrition).toBeGreaterThan(1900);
    expect(retiring.attrition).toBeLessThanOrEqual(2000);
  });

  it('the training lever raises skills of urban workers', () => {
    const none = baselineScenario();
    none.levers.jobs.training_rate = 0;
    const much = baselineScenario();
    much.levers.jobs.training_rate = 0.5;
    const run = (s: typeof none) => {
      const w = miniWorld(s);
      const S = spots(w.places);
      const urban = addAgents(w, 2000, { place: S.taiyuan, skill: Skill.low, emp: Emp.unemployed });
      const rural = addAgents(w, 1000, { place: S.datongVillages, skill: Skill.low, emp: Emp.farming });
      const ctx = ctxFor(w, s, 0, 7);
      runTicks(w, ctx, [labour], 12);
      const total = (ids: number[]) => ids.reduce((a, i) => a + w.agents.skill[i], 0);
      return { urban: total(urban), rural: total(rural) };
    };
    const a = run(none),
      b = run(much);
    expect(a.urban).toBe(0);
    expect(b.urban).toBeGreaterThan(600);
    // Training reaches urban workers and job seekers, not farmers.
    expect(b.rural).toBe(0);
  });

  // labour.ts draws a 16-year-old's skill and, in the same tick, a low-skill entrant's farm-or-not
  // choice from the same keyed draw (Channel.labourEntry): skill low means u >= 0.8, above the farm
  // share (about 0.58), so low-skill village youths never start farming. Enable once fixed.
  it('low-skill village youths entering work at 16 start farming in about the farm share of rural entry', () => {
    const sc = baselineScenario();
    sc.behaviour.labour.youth_skill_high.value = 0;
    sc.behaviour.labour.youth_skill_mid.value = 0;
    sc.behaviour.labour.youth_participation.value = 1;
    const w = miniWorld(sc);
    const S = spots(w.places);
    const ids = addAgents(w, 6000, { place: S.datongVillages, age: 16, emp: Emp.outOfLabourForce });
    w.ruralJobs[S.datongVillages] = 6000;
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [labour], 12);
    const farming = countWhere(w, ids, (i) => w.agents.emp[i] === Emp.farming);
    const share = ctx.params.farmShareOfRuralEntry;
    expect(share).toBeGreaterThan(0.3);
    expect(farming / ids.length).toBeGreaterThan(share - 0.05);
    expect(farming / ids.length).toBeLessThan(share + 0.05);
  });

  it('farm income per farmer rises when farmers leave the village', () => {
    const sc = baselineScenario();
    const params = referenceParams(sc);
    const run = (leavers: number) => {
      const w = miniWorld(sc);
      const S = spots(w.places);
      const ids = addAgents(w, 2000, { place: S.datongVillages, emp: Emp.farming });
      for (let k = 0; k < leavers; k++) moveAgent(w, ids[k], S.outside, Tenure.marketRent, Emp.urbanJob);
      const ctx = ctxFor(w, sc, 0, 7, params);
      // The first tick counts the farmers; the second pays them by that count.
      runTicks(w, ctx, [labour], 2);
      return { income: incomeOf(w, ids[ids.length - 1]), farmers: w.farmers[S.datongVillages] };
    };
    const stay = run(0),
      half = run(1000);
    expect(stay.farmers).toBe(2000);
    expect(half.farmers).toBe(1000);
    expect(half.income).toBeGreaterThan(stay.income * 1.15);
    // (2000 / 1000)^elasticity with elasticity 0.3.
    expect(half.income / stay.income).toBeCloseTo(Math.pow(2, params.farmElasticity), 6);
  });
});
