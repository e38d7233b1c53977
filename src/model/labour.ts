/**
 * Labour: job capacity by place and sector, growing at the place's rate (its city's, plus the
 * county-town lever in county towns; both sectors alike), job loss, hiring, labour-market entry and
 * exit, skills training, and incomes (docs/model.md, "Labour").
 *  - Hiring: a job seeker in urban place p is hired with probability 1 - exp(-m V_p / U_p / T),
 *    V_p vacancies, U_p seekers at the tick's start, m the matching efficiency (x (1 + public
 *    employment services lever)), T ticks a year; the sector is drawn in proportion to vacancies.
 *  - Incomes: urban wage = city wage x tier factor x skill factor x (1 + g_w)^years; farm income per
 *    farmer = base x R_t x (farmers at start / farmers now)^elasticity, R_t the product of
 *    (1 + g_r)^(1/T) over past ticks (g_r the rural income growth lever of each tick).
 */
import { drawKeyed } from '../core/random.js';
import { Emp, Flag, Sector, Skill, SKILLS, withSector } from '../world/agents.js';
import { SECTORS, type World } from '../world/world.js';
import type { TickContext } from './context.js';
import { useLand } from './land.js';
import { releaseJob, setEmp, vacantJobs, vacantSector } from './occupancy.js';
import type { IncomeParams } from './params.js';

/** Age at which a young person of each skill level enters the labour market. */
export const ENTRY_AGE = [16, 19, 22];

/** The wage level of the tick, (1 + wage growth)^years. */
export const wageLevel = (ctx: TickContext): number => Math.pow(1 + ctx.params.wageGrowth, ctx.years);

/** The lowest the rest of China's wage factor can fall to, whatever its trend (a guard, docs/model.md 5.5). */
export const MIN_OUTSIDE_WAGE_FACTOR = 0.1;

/**
 * The rest of China's wage and rent `years` after the census relative to the census's: the wage
 * factor F(t) = max(0.1, outside_wage_factor + outside_wage_gap_trend x t) over F(0).
 */
export function outsideWageRatio(par: IncomeParams, years: number): number {
  const f0 = par.outsideWageFactor;
  return f0 > 0 ? Math.max(MIN_OUTSIDE_WAGE_FACTOR, f0 + par.outsideWageTrend * years) / f0 : 1;
}

/** Annual income of a farmer in village place p, from its farmers now and the rural income level. */
function farmIncomeAt(w: World, par: IncomeParams, ruralLevel: number, p: number): number {
  const crowd = w.farmersAtStart[p] > 0 ? Math.pow(w.farmersAtStart[p] / Math.max(1, w.farmers[p]), par.farmElasticity) : 1;
  return par.farmIncome2020 * ruralLevel * crowd;
}

/**
 * The labour market's place-level step of the tick: job capacity grows, the tick's income tables
 * are set (`tickIncomes`, from the farmers now), and the hiring probability of each place's job
 * seekers is computed from its vacancies and seekers now (occupancy.ts keeps both counts) into
 * the run's scratch (`ctx.scratch.hiring`), for the agent pass and `hire`.
 */
export function labourMarket(w: World, ctx: TickContext): void {
  const P = w.places,
    par = ctx.params,
    n = P.n,
    { hiring: hireP, vacAvg, seekAvg, hiringAvg } = ctx.scratch,
    a = 1 / par.tpy;
  for (let p = 0; p < n; p++) {
    if (P.urban[p]) {
      labourDemand(w, par, p);
      let vac = 0;
      for (let s = 0; s < SECTORS; s++) vac += vacantJobs(w, p, s);
      const seek = w.seekers[p];
      hireP[p] = 1 - Math.exp((-par.matchingPerTick * vac) / Math.max(1, seek));
      if (Number.isNaN(vacAvg[p])) (vacAvg[p] = vac), (seekAvg[p] = seek);
      else (vacAvg[p] += (vac - vacAvg[p]) * a), (seekAvg[p] += (seek - seekAvg[p]) * a);
      hiringAvg[p] = 1 - Math.exp((-par.matchingPerTick * vacAvg[p]) / Math.max(1, seekAvg[p]));
    } else hireP[p] = hiringAvg[p] = 0;
  }
  tickIncomes(w, ctx);
  const pOut = par.outsideJobProbability;
  hireP[P.outside] = hiringAvg[P.outside] = Math.min(1, (par.separationTick * pOut) / Math.max(1e-9, 1 - pOut));
}

/** Bounds of a place's unemployment rate in the wage curve, so that an empty or full labour market stays finite. */
const U_MIN = 0.01,
  U_MAX = 0.5;

/** Place p's urban unemployment rate now (seekers over seekers and filled jobs), within [U_MIN, U_MAX]. */
export function unemploymentAt(w: World, p: number): number {
  let filled = 0;
  for (let s = 0; s < SECTORS; s++) filled += w.jobsFilled[p * SECTORS + s];
  const lf = filled + w.seekers[p];
  return Math.min(U_MAX, Math.max(U_MIN, lf > 0 ? w.seekers[p] / lf : U_MIN));
}

/**
 * Labour demand of urban place p for the tick (docs/model.md 5.2): the market sectors' trend
 * grows at the place's rate (industry at that rate times the industry gap), the wage curve sets
 * the local wage factor (u / u0)^-phi from unemployment now, and demand answers the wage with
 * elasticity epsilon: target = trend x factor^-epsilon. Public jobs follow residents (jobs per
 * resident of 2020). Capacity moves to the target: down at once (no land is given back), up as
 * far as the place's construction land allows (`useLand`), public jobs first, then services and
 * industry.
 */
function labourDemand(w: World, par: TickContext['params'], p: number): void {
  const b = p * SECTORS;
  w.jobTrend[b + Sector.industry] *= par.jobGrowthTick[p] * par.industryGapTick;
  w.jobTrend[b + Sector.services] *= par.jobGrowthTick[p];
  const u0 = Math.min(U_MAX, Math.max(U_MIN, w.unemp0[p]));
  const wc = Math.pow(unemploymentAt(w, p) / u0, -par.wageCurveElasticity);
  w.wageCurve[p] = wc;
  const demand = Math.pow(wc, -par.demandElasticity);
  moveCapacity(w, par, b + Sector.public, w.publicPerResident[p] * w.pop[p], p);
  moveCapacity(w, par, b + Sector.services, w.jobTrend[b + Sector.services] * demand, p);
  moveCapacity(w, par, b + Sector.industry, w.jobTrend[b + Sector.industry] * demand, p);
}

/** Job capacity at index k (place p) moves to `target`: down at once, up as far as land allows. */
function moveCapacity(w: World, par: TickContext['params'], k: number, target: number, p: number): void {
  const jobs = w.jobs[k];
  if (target <= jobs) w.jobs[k] = target;
  else w.jobs[k] = jobs + useLand(w, p, target - jobs, par.scale / par.jobsPerHa);
}

/** Sets the world's income tables for tick `ctx` (setIncomes at the tick's wage and rural income levels). */
export const tickIncomes = (w: World, ctx: TickContext): void => setIncomes(w, ctx.params, ctx.ruralLevel, wageLevel(ctx), ctx.years);

/** Employment states by the birthday events they can have: farm exit (4), retirement (2), entry (1). */
export const EMP_BIRTHDAY = [4, 4, 2, 2, 1];

/**
 * The birthday events an agent of each age can have, as the bits of EMP_BIRTHDAY (an event
 * happens where the age's bits and the employment's bits meet): entry at each entry age (16 for
 * everyone: the skill is drawn then), retirement at and above the retirement age, farm exit at
 * and above the farm exit age. Filled into `out` (256 ages).
 */
export function birthdayAges(par: TickContext['params'], out: Uint8Array): void {
  for (let a = 0; a < 256; a++)
    out[a] = (a >= par.retirementAge ? 2 : 0) | (a >= par.farmExitAge ? 4 : 0) | (ENTRY_AGE.includes(a) ? 1 : 0) | (a === 16 ? 7 : 0);
}

/**
 * Agent i's labour events of its birthday: at 16 its skill is drawn; at the entry age of its
 * skill, out of the labour force, it joins (a seeker in a town; a farmer or a local non-farm
 * worker in a village, while rural jobs last); at the retirement age an urban worker or seeker
 * leaves the labour force (its job is freed: natural attrition); at the farm exit age a farmer or
 * rural worker stops.
 */
export function birthday(w: World, ctx: TickContext, i: number, kEntry: number, kJoin: number, kFarm: number): void {
  const A = w.agents,
    P = w.places,
    par = ctx.params,
    p = A.place[i],
    age = A.age[i];
  const out = P.outside;
  let emp = A.emp[i];
  const emp0 = emp;
  if (age === 16) {
    const u = drawKeyed(kEntry, i);
    A.skill[i] = u < par.youthHigh ? Skill.high : u < par.youthHigh + par.youthMid ? Skill.mid : Skill.low;
  }
  if (emp === Emp.outOfLabourForce && age === ENTRY_AGE[A.skill[i]] && drawKeyed(kJoin, i) < par.youthParticipation) {
    if (P.urban[p] || p === out) emp = Emp.unemployed;
    else if (A.flags[i] & Flag.landRights && A.hukouPlace[i] === p && drawKeyed(kFarm, i) < par.farmShareOfRuralEntry) emp = Emp.farming;
    else if (w.ruralJobsFilled[p] < Math.round(w.ruralJobs[p])) {
      emp = Emp.localNonFarm;
      w.ruralJobsFilled[p]++;
    }
  }
  if ((emp === Emp.urbanJob || emp === Emp.unemployed) && age >= par.retirementAge) {
    // An urban job is freed (natural attrition). No entry event makes a job holder, so A.emp[i] is still emp here.
    if (emp === Emp.urbanJob && P.urban[p]) ctx.flows.attrition[p]++;
    releaseJob(w, i);
    emp = Emp.outOfLabourForce;
  } else if ((emp === Emp.farming || emp === Emp.localNonFarm) && age >= par.farmExitAge) {
    if (emp === Emp.localNonFarm) w.ruralJobsFilled[p]--;
    emp = Emp.outOfLabourForce;
  }
  if (emp !== emp0) setEmp(w, i, emp);
}

/** Agent i loses its urban job (the job is freed where jobs are counted). */
export function loseJob(w: World, i: number): void {
  releaseJob(w, i);
  setEmp(w, i, Emp.unemployed);
}

/**
 * Job seeker i is hired if its draw v is under its place's hiring probability h of the tick
 * (`labourMarket`): in the rest of China at once, in a town into a vacancy of either sector, the
 * sector drawn in proportion to vacancies (v / h is uniform on [0, 1)).
 */
export function hire(w: World, ctx: TickContext, i: number, v: number): void {
  const A = w.agents,
    p = A.place[i],
    h = ctx.scratch.hiring[p];
  if (!(v < h)) return;
  if (p === w.places.outside) {
    setEmp(w, i, Emp.urbanJob);
    return;
  }
  // v / h is uniform on [0, 1): the sector in proportion to vacancies (industry, services, public).
  const sector = vacantSector(w, p, v / h);
  if (sector < 0) return;
  w.jobsFilled[p * SECTORS + sector]++;
  const flags = A.flags[i];
  A.flags[i] = withSector(flags, sector) & ~Flag.jobMover;
  setEmp(w, i, Emp.urbanJob);
  // A change of job after a move is not new employment (城镇新增就业 counts people newly employed).
  if (!(flags & Flag.jobMover)) ctx.flows.hires[p]++;
}

/** Agent i, an urban worker or seeker, is trained: one skill level up (the top level stays). */
export function train(w: World, i: number): void {
  const A = w.agents;
  if (A.skill[i] < Skill.high) A.skill[i]++;
}

/**
 * Sets the world's income tables for the tick (World.wageNow and the rest), `years` after the
 * census: the urban wage baseWage x L(t) x skill factor, times the wage gap's change since the
 * census in the rest of China (`outsideWageRatio`), the farm income per farmer of each village
 * place (from its farmers now), the rural non-farm wage, and the pensions, which grow with wages.
 */
export function setIncomes(w: World, par: IncomeParams, ruralLevel: number, level: number, years: number): void {
  const P = w.places,
    n = P.n;
  for (let p = 0; p < n; p++) {
    const l = p === P.outside ? level * outsideWageRatio(par, years) : level * w.wageCurve[p];
    for (let s = 0; s < SKILLS; s++) w.wageNow[p * SKILLS + s] = w.baseWage[p] * l * par.skillWage[s];
    w.farmNow[p] = P.urban[p] ? 0 : farmIncomeAt(w, par, ruralLevel, p);
  }
  w.nonFarmNow = par.ruralNonFarmWage2020 * ruralLevel;
  w.urbanPensionNow = par.urbanPension2020 * level;
  w.ruralPensionNow = par.ruralPension2020 * level;
  w.ruralTransferNow = par.ruralTransfer2020 * Math.pow(1 + par.ruralTransferGrowth, years);
}

// The constants of incomeFrom as this module's own: V8 folds a module's const into the code that
// inlines the function, but loads an imported binding's property (Emp.urbanJob) on every call:
// 11.9 against 10.9 ns per agent in the observation's loop (engine/observe.ts), side by side.
const URBAN_JOB = Emp.urbanJob,
  FARMING = Emp.farming,
  LOCAL_NON_FARM = Emp.localNonFarm,
  UNEMPLOYED = Emp.unemployed;
const URBAN_HUKOU = Flag.urbanHukou,
  N_SKILLS = SKILLS;

/**
 * Annual income now, yuan, of an agent in employment state `emp` at place p, with skill `skill`,
 * age `age` and flags `flags`, from the tick's income tables: the wage by place and skill (urban
 * job), the farm income of its place (farming) or the rural non-farm wage; the unemployed earn
 * nothing, people of 60 and over out of the labour force draw a pension, children nothing. The one
 * definition of an agent's income: `incomeOf` applies it to an agent, and the observation's pass
 * over all agents (engine/observe.ts) to the columns it has read, with V8 inlining it there.
 */
export function incomeFrom(w: World, emp: number, p: number, skill: number, age: number, flags: number): number {
  switch (emp) {
    case URBAN_JOB:
      return w.wageNow[p * N_SKILLS + skill];
    case FARMING:
      return w.farmNow[p];
    case LOCAL_NON_FARM:
      return w.nonFarmNow;
    case UNEMPLOYED:
      return 0;
    default:
      return age >= 60 ? (flags & URBAN_HUKOU ? w.urbanPensionNow : w.ruralPensionNow) : 0;
  }
}

/** Annual income of agent i now, yuan (`incomeFrom`). Computed when needed (migration, housing, observation), not stored. */
export function incomeOf(w: World, i: number): number {
  const A = w.agents;
  return incomeFrom(w, A.emp[i], A.place[i], A.skill[i], A.age[i], A.flags[i]);
}
