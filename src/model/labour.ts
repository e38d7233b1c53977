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
import { DEAD, Emp, EMPS, Flag, Skill, SKILLS } from '../world/agents.js';
import { SECTORS, type World } from '../world/world.js';
import type { TickContext } from './context.js';
import type { IncomeParams } from './params.js';

/** Age at which a young person of each skill level enters the labour market. */
export const ENTRY_AGE = [16, 19, 22];

// Scratch tables of the pass, reused from tick to tick.
let byEmp = new Int32Array(0);

/** Current annual wage multiplier from wage growth. */
const wageLevel = (ctx: TickContext) => Math.pow(1 + ctx.params.wageGrowth, ctx.years);

/** Annual income of a farmer in village place p now. */
export function farmIncome(w: World, ctx: TickContext, p: number): number {
  return farmIncomeAt(w, ctx.params, ctx.ruralLevel, p);
}

function farmIncomeAt(w: World, par: IncomeParams, ruralLevel: number, p: number): number {
  const crowd = w.farmersAtStart[p] > 0 ? Math.pow(w.farmersAtStart[p] / Math.max(1, w.farmers[p]), par.farmElasticity) : 1;
  return par.farmIncome2020 * ruralLevel * crowd;
}

/** Applies one tick of the labour market and sets the tick's income tables (`setIncomes`). */
export function labour(w: World, ctx: TickContext): void {
  const A = w.agents, P = w.places, par = ctx.params, f = ctx.flows, n = P.n;
  const tpy = par.tpy, birthday = ctx.tick % tpy, level = wageLevel(ctx);
  const hireP = new Float64Array(n);
  // The tick's incomes, from the farmers of the last labour step (before this pass recounts them).
  setIncomes(w, par, ctx.ruralLevel, level);
  for (let p = 0; p < n; p++) {
    if (P.urban[p]) {
      let vac = 0;
      for (let s = 0; s < SECTORS; s++) {
        w.jobs[p * SECTORS + s] *= par.jobGrowthTick[p];
        vac += Math.max(0, Math.floor(w.jobs[p * SECTORS + s]) - w.jobsFilled[p * SECTORS + s]);
      }
      hireP[p] = 1 - Math.exp((-par.matchingPerTick * vac) / Math.max(1, w.seekers[p]));
    }
  }
  const out = P.outside;
  const pOut = par.outsideJobProbability;
  hireP[out] = Math.min(1, (par.separationTick * pOut) / Math.max(1e-9, 1 - pOut));
  // Agents by (place, employment), counted as the pass goes: the job seekers and farmers of each
  // place are read from it after the pass.
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
  const place = A.place, ageCol = A.age, empCol = A.emp, urbanOf = P.urban, skillCol = A.skill, flagsCol = A.flags;
  const retirementAge = par.retirementAge, separationTick = par.separationTick, trainFrom = 1 - par.trainingTick, farmExitAge = par.farmExitAge;
  const jobs = w.jobs, jobsFilled = w.jobsFilled, hires = f.hires, attrition = f.attrition;
  // Constants in locals: an imported object's property read in the loop costs a load each time (measured ~1 ns per agent).
  const DEAD_ = DEAD, E_farming = Emp.farming, E_localNonFarm = Emp.localNonFarm, E_outOfLabourForce = Emp.outOfLabourForce, E_unemployed = Emp.unemployed, E_urbanJob = Emp.urbanJob, F_landRights = Flag.landRights, F_services = Flag.services, S_high = Skill.high, S_low = Skill.low, S_mid = Skill.mid;
  let phase = ((0 - birthday) % tpy + tpy) % tpy;
  let runCell = 0, run = 0;
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
      }
    } else if (emp !== E_outOfLabourForce && age >= farmExitAge) {
      if (emp === E_localNonFarm) w.ruralJobsFilled[p]--;
      emp = E_outOfLabourForce;
    }
    if (emp !== emp0) empCol[i] = emp;
    // Counted by runs of the same (place, employment), which the agents' order within a place
    // makes long: incrementing one counter agent after agent waits on the previous store each time.
    const key = p * EMPS + emp;
    if (key !== runCell) { byEmp[runCell] += run; runCell = key; run = 0; }
    run++;
  }
  byEmp[runCell] += run;
  const seekers = w.seekers, farmers = w.farmers;
  for (let p = 0; p < n; p++) { seekers[p] = byEmp[p * EMPS + Emp.unemployed]; farmers[p] = byEmp[p * EMPS + Emp.farming]; }
}

/**
 * Sets the world's income tables for the tick (World.wageNow and the rest): the urban wage
 * baseWage x L(t) x skill factor, the farm income per farmer of each village place (from its
 * farmers at the last count), the rural non-farm wage, and the pensions, which grow with wages.
 */
export function setIncomes(w: World, par: IncomeParams, ruralLevel: number, level: number): void {
  const P = w.places, n = P.n;
  for (let p = 0; p < n; p++) {
    for (let s = 0; s < SKILLS; s++) w.wageNow[p * SKILLS + s] = w.baseWage[p] * level * par.skillWage[s];
    w.farmNow[p] = P.urban[p] ? 0 : farmIncomeAt(w, par, ruralLevel, p);
  }
  w.nonFarmNow = par.ruralNonFarmWage2020 * ruralLevel;
  w.urbanPensionNow = par.urbanPension2020 * level;
  w.ruralPensionNow = par.ruralPension2020 * level;
}

/**
 * Annual income of agent i now, yuan, from its employment state and the tick's tables: the wage
 * by place and skill (urban job), the farm income of its place (farming) or the rural non-farm
 * wage; the unemployed earn nothing, people of 60 and over out of the labour force draw a
 * pension, children nothing. Computed when needed (migration, housing, observation), not stored.
 */
export function incomeOf(w: World, i: number): number {
  const A = w.agents;
  switch (A.emp[i]) {
    case Emp.urbanJob: return w.wageNow[A.place[i] * SKILLS + A.skill[i]];
    case Emp.farming: return w.farmNow[A.place[i]];
    case Emp.localNonFarm: return w.nonFarmNow;
    case Emp.unemployed: return 0;
    default:
      return A.age[i] >= 60 ? (A.flags[i] & Flag.urbanHukou ? w.urbanPensionNow : w.ruralPensionNow) : 0;
  }
}
