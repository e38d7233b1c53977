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
  w.seekers.fill(0);
  w.farmers.fill(0);
  const kLoss = tickKey(ctx.runKey, ctx.tick, Channel.jobLoss), kHire = tickKey(ctx.runKey, ctx.tick, Channel.hiring);
  const kEntry = tickKey(ctx.runKey, ctx.tick, Channel.labourEntry), kTrain = tickKey(ctx.runKey, ctx.tick, Channel.training);
  const kJoin = tickKey(ctx.runKey, ctx.tick, Channel.participation), kFarm = tickKey(ctx.runKey, ctx.tick, Channel.farmEntry);
  // Columns in locals (see demography.ts); the birthday test as a running phase instead of i % T.
  const place = A.place, ageCol = A.age, empCol = A.emp, urbanOf = P.urban, skillCol = A.skill, flagsCol = A.flags, incomeCol = A.income;
  const retirementAge = par.retirementAge, separationTick = par.separationTick, trainingTick = par.trainingTick, farmExitAge = par.farmExitAge;
  const skillWage = par.skillWage, urbanPension = par.urbanPension2020 * level, ruralPension = par.ruralPension2020 * level;
  const seekers = w.seekers, farmers = w.farmers;
  let phase = ((0 - birthday) % tpy + tpy) % tpy;
  for (let i = 0; i < A.count; i++, phase = phase === tpy - 1 ? 0 : phase + 1) {
    const p = place[i];
    if (p === DEAD) continue;
    const age = ageCol[i], urban = urbanOf[p] === 1 || p === out;
    let emp = empCol[i];
    if (phase === 0) {
      if (age === 16) {
        const u = drawKeyed(kEntry, i);
        A.skill[i] = u < par.youthHigh ? Skill.high : u < par.youthHigh + par.youthMid ? Skill.mid : Skill.low;
      }
      if (emp === Emp.outOfLabourForce && age === ENTRY_AGE[A.skill[i]] && drawKeyed(kJoin, i) < par.youthParticipation) {
        if (urban) emp = Emp.unemployed;
        else if (A.flags[i] & Flag.landRights && A.hukouPlace[i] === p && drawKeyed(kFarm, i) < par.farmShareOfRuralEntry) emp = Emp.farming;
        else if (w.ruralJobsFilled[p] < Math.floor(w.ruralJobs[p])) { emp = Emp.localNonFarm; w.ruralJobsFilled[p]++; }
      }
    }
    if (emp === Emp.urbanJob || emp === Emp.unemployed) {
      if (age >= retirementAge) {
        if (emp === Emp.urbanJob) {
          if (P.urban[p]) { w.jobsFilled[p * SECTORS + (A.flags[i] & Flag.services ? 1 : 0)]--; f.attrition[p]++; }
        }
        emp = Emp.outOfLabourForce;
      } else if (emp === Emp.urbanJob) {
        if (drawKeyed(kLoss, i) < separationTick) {
          if (P.urban[p]) w.jobsFilled[p * SECTORS + (A.flags[i] & Flag.services ? 1 : 0)]--;
          emp = Emp.unemployed;
        }
      } else {
        const u = drawKeyed(kHire, i), h = hireP[p];
        if (u < h) {
          if (p === out) emp = Emp.urbanJob;
          else if (hire(w, i, p, u / h)) { emp = Emp.urbanJob; f.hires[p]++; }
        }
      }
      if (skillCol[i] < Skill.high && urban && drawKeyed(kTrain, i) < trainingTick) skillCol[i]++;
    } else if ((emp === Emp.farming || emp === Emp.localNonFarm) && age >= farmExitAge) {
      if (emp === Emp.localNonFarm) w.ruralJobsFilled[p]--;
      emp = Emp.outOfLabourForce;
    }
    empCol[i] = emp;
    // Income (the same as incomeOf, inlined: this loop runs for every agent every tick).
    let income = 0;
    if (emp === Emp.urbanJob) income = wage[p] * skillWage[skillCol[i]];
    else if (emp === Emp.farming) { income = farm[p]; farmers[p]++; }
    else if (emp === Emp.localNonFarm) income = nonFarm;
    else if (emp === Emp.unemployed) seekers[p]++;
    else if (age >= 60) income = flagsCol[i] & Flag.urbanHukou ? urbanPension : ruralPension;
    incomeCol[i] = income;
  }
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

/** Fills a vacancy for agent i at urban place p if there is one; the sector is drawn by vacancies. */
function hire(w: World, i: number, p: number, u: number): boolean {
  const base = p * SECTORS;
  const v0 = Math.max(0, Math.floor(w.jobs[base]) - w.jobsFilled[base]);
  const v1 = Math.max(0, Math.floor(w.jobs[base + 1]) - w.jobsFilled[base + 1]);
  if (v0 + v1 === 0) return false;
  const services = u < v1 / (v0 + v1);
  w.jobsFilled[base + (services ? 1 : 0)]++;
  if (services) w.agents.flags[i] |= Flag.services;
  else w.agents.flags[i] &= ~Flag.services;
  return true;
}
