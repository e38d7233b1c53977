/**
 * Labour: job capacity by place and sector, growing at the place's rate (its city's, plus the
 * county-town lever in county towns; both sectors alike), job loss, hiring, labour-market entry and
 * exit, skills training, and incomes (docs/model.md, "Labour").
 *  - Hiring: a job seeker in urban place p is hired with probability 1 - exp(-m V_p / U_p / T),
 *    V_p vacancies, U_p seekers at the last count, m the matching efficiency (x (1 + public
 *    employment services lever)), T ticks a year; the sector is drawn in proportion to vacancies.
 *  - Incomes: urban wage = city wage x tier factor x skill factor x (1 + g_w)^years; farm income per
 *    farmer = base x R_t x (farmers at start / farmers now)^elasticity, R_t the product of
 *    (1 + g_r)^(1/T) over past ticks (g_r the rural income growth lever of each tick).
 */
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import { DEAD, Emp, Flag, Skill } from '../world/agents.js';
import { SECTORS, type World } from '../world/world.js';
import type { TickContext } from './context.js';

/** Age at which a young person of each skill level enters the labour market. */
export const ENTRY_AGE = [16, 19, 22];

/** Employment states, for tables by (place, employment). */
const EMPS = 5;
// Scratch tables of the pass, reused from tick to tick.
let byEmp = new Int32Array(0), incomeBy = new Float64Array(0);

/** Current annual wage multiplier from wage growth. */
const wageLevel = (ctx: TickContext) => Math.pow(1 + ctx.params.wageGrowth, ctx.years);

/** Annual income of a farmer in village place p now. */
export function farmIncome(w: World, ctx: TickContext, p: number): number {
  const par = ctx.params;
  const crowd = w.farmersAtStart[p] > 0 ? Math.pow(w.farmersAtStart[p] / Math.max(1, w.farmers[p]), par.farmElasticity) : 1;
  return par.farmIncome2020 * ctx.ruralLevel * crowd;
}

/** Applies one tick of the labour market and sets every agent's income. */
export function labour(w: World, ctx: TickContext): void {
  const A = w.agents, P = w.places, par = ctx.params, f = ctx.flows, n = P.n;
  const tpy = par.tpy, birthday = ctx.tick % tpy, level = wageLevel(ctx);
  const hireP = new Float64Array(n), wage = new Float64Array(n), farm = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    wage[p] = w.baseWage[p] * level;
    if (P.urban[p]) {
      let vac = 0;
      for (let s = 0; s < SECTORS; s++) {
        w.jobs[p * SECTORS + s] *= par.jobGrowthTick[p];
        vac += Math.max(0, Math.floor(w.jobs[p * SECTORS + s]) - w.jobsFilled[p * SECTORS + s]);
      }
      hireP[p] = 1 - Math.exp((-par.matchingPerTick * vac) / Math.max(1, w.seekers[p]));
    } else farm[p] = farmIncome(w, ctx, p);
  }
  const out = P.outside;
  const pOut = par.outsideJobProbability;
  hireP[out] = Math.min(1, (par.separationTick * pOut) / Math.max(1e-9, 1 - pOut));
  const nonFarm = par.ruralNonFarmWage2020 * ctx.ruralLevel;
  // Agents by (place, employment), counted as the pass goes (one increment per agent, no branch):
  // the job seekers and farmers of each place are read from it after the pass.
  if (byEmp.length !== n * EMPS) byEmp = new Int32Array(n * EMPS);
  byEmp.fill(0);
  // One draw per agent in the labour force decides both its job event and its training: job loss
  // (employed) or hiring (seeking) below the event's rate, training at or above 1 - the training
  // rate. The bands sit at fixed ends of [0, 1), so a lever that changes one rate leaves the
  // other decision of every agent as it was (common random numbers).
  const kDraw = tickKey(ctx.runKey, ctx.tick, Channel.labour);
  const kEntry = tickKey(ctx.runKey, ctx.tick, Channel.labourEntry);
  const kJoin = tickKey(ctx.runKey, ctx.tick, Channel.participation), kFarm = tickKey(ctx.runKey, ctx.tick, Channel.farmEntry);
  // Columns in locals (see demography.ts); the birthday test as a running phase instead of i % T.
  const place = A.place, ageCol = A.age, empCol = A.emp, urbanOf = P.urban, skillCol = A.skill, flagsCol = A.flags, incomeCol = A.income;
  const retirementAge = par.retirementAge, separationTick = par.separationTick, trainFrom = 1 - par.trainingTick, farmExitAge = par.farmExitAge;
  const skillWage = par.skillWage, urbanPension = par.urbanPension2020 * level, ruralPension = par.ruralPension2020 * level;
  const jobs = w.jobs, jobsFilled = w.jobsFilled, hires = f.hires, attrition = f.attrition;
  // Income by (place, employment) for all but urban jobs (wage x skill factor) and pensions.
  if (incomeBy.length !== n * EMPS) incomeBy = new Float64Array(n * EMPS);
  for (let p = 0; p < n; p++) { incomeBy[p * EMPS + Emp.farming] = farm[p]; incomeBy[p * EMPS + Emp.localNonFarm] = nonFarm; }
  // Constants in locals: an imported object's property read in the loop costs a load each time (measured ~1 ns per agent).
  const DEAD_ = DEAD, E_farming = Emp.farming, E_localNonFarm = Emp.localNonFarm, E_outOfLabourForce = Emp.outOfLabourForce, E_unemployed = Emp.unemployed, E_urbanJob = Emp.urbanJob, F_landRights = Flag.landRights, F_services = Flag.services, F_urbanHukou = Flag.urbanHukou, S_high = Skill.high, S_low = Skill.low, S_mid = Skill.mid;
  let phase = ((0 - birthday) % tpy + tpy) % tpy;
  let runKey = 0, run = 0;
  for (let i = 0; i < A.count; i++, phase = phase === tpy - 1 ? 0 : phase + 1) {
    const p = place[i];
    if (p === DEAD_) continue;
    const age = ageCol[i], emp0 = empCol[i];
    let emp = emp0;
    if (phase === 0) {
      const urban = urbanOf[p] === 1 || p === out;
      if (age === 16) {
        const u = drawKeyed(kEntry, i);
        skillCol[i] = u < par.youthHigh ? S_high : u < par.youthHigh + par.youthMid ? S_mid : S_low;
      }
      if (emp === E_outOfLabourForce && age === ENTRY_AGE[skillCol[i]] && drawKeyed(kJoin, i) < par.youthParticipation) {
        if (urban) emp = E_unemployed;
        else if (flagsCol[i] & F_landRights && A.hukouPlace[i] === p && drawKeyed(kFarm, i) < par.farmShareOfRuralEntry) emp = E_farming;
        else if (w.ruralJobsFilled[p] < Math.floor(w.ruralJobs[p])) { emp = E_localNonFarm; w.ruralJobsFilled[p]++; }
      }
    }
    let income = 0;
    if (emp === E_urbanJob || emp === E_unemployed) {
      if (age >= retirementAge) {
        if (emp === E_urbanJob && urbanOf[p]) { jobsFilled[p * SECTORS + (flagsCol[i] & F_services ? 1 : 0)]--; attrition[p]++; }
        emp = E_outOfLabourForce;
      } else {
        const u = drawKeyed(kDraw, i);
        if (emp === E_urbanJob) {
          if (u < separationTick) {
            if (urbanOf[p]) jobsFilled[p * SECTORS + (flagsCol[i] & F_services ? 1 : 0)]--;
            emp = E_unemployed;
          }
        } else {
          const h = hireP[p];
          if (u < h) {
            if (p === out) emp = E_urbanJob;
            else {
              // A vacancy of either sector, the sector drawn in proportion to vacancies (u / h is uniform on [0, 1)).
              const base = p * SECTORS;
              const v0 = Math.max(0, Math.floor(jobs[base]) - jobsFilled[base]), v1 = Math.max(0, Math.floor(jobs[base + 1]) - jobsFilled[base + 1]);
              if (v0 + v1 > 0) {
                const services = u / h < v1 / (v0 + v1);
                jobsFilled[base + (services ? 1 : 0)]++;
                flagsCol[i] = services ? flagsCol[i] | F_services : flagsCol[i] & ~F_services;
                emp = E_urbanJob;
                hires[p]++;
              }
            }
          }
        }
        if (u >= trainFrom && skillCol[i] < S_high && (urbanOf[p] === 1 || p === out)) skillCol[i]++;
        if (emp === E_urbanJob) income = wage[p] * skillWage[skillCol[i]];
      }
    } else if (emp !== E_outOfLabourForce) {
      if (age >= farmExitAge) {
        if (emp === E_localNonFarm) w.ruralJobsFilled[p]--;
        emp = E_outOfLabourForce;
      } else income = incomeBy[p * EMPS + emp];
    }
    if (emp === E_outOfLabourForce && age >= 60) income = flagsCol[i] & F_urbanHukou ? urbanPension : ruralPension;
    if (emp !== emp0) empCol[i] = emp;
    incomeCol[i] = income;
    // Counted by runs of the same (place, employment), which the agents' order within a place
    // makes long: incrementing one counter agent after agent waits on the previous store each time.
    const key = p * EMPS + emp;
    if (key !== runKey) { byEmp[runKey] += run; runKey = key; run = 0; }
    run++;
  }
  byEmp[runKey] += run;
  const seekers = w.seekers, farmers = w.farmers;
  for (let p = 0; p < n; p++) { seekers[p] = byEmp[p * EMPS + Emp.unemployed]; farmers[p] = byEmp[p * EMPS + Emp.farming]; }
}

/**
 * Annual income of agent i in employment state A.emp[i]: `earning` is the wage (urban job), the
 * farm income (farming) or the rural non-farm wage; the unemployed earn nothing, people of 60 and
 * over out of the labour force draw a pension that grows with wages, children nothing.
 */
export function incomeOf(A: World['agents'], i: number, earning: number, level: number, par: TickContext['params']): number {
  switch (A.emp[i]) {
    case Emp.urbanJob: return earning * par.skillWage[A.skill[i]];
    case Emp.farming:
    case Emp.localNonFarm: return earning;
    case Emp.unemployed: return 0;
    default:
      return A.age[i] >= 60 ? (A.flags[i] & Flag.urbanHukou ? par.urbanPension2020 : par.ruralPension2020) * level : 0;
  }
}
