/**
 * Tiny hand-built worlds for rule tests. A mini world has the baseline's full place table (216
 * places) but no agents and empty stocks; tests add agents, jobs and housing by hand, then run one
 * or more rules for a few ticks.
 *
 * Parameters come from `referenceParams`: the scenario's behaviour and levers resolved on a fixed
 * reference population (ages 0-89 evenly, half women, half in villages), so that the two
 * calibrated levels (mortality, fertility) and the farm share of rural labour entry do not depend
 * on the composition of the world under test. Two worlds compared in a test thus share their
 * parameters exactly; only the one thing the test varies differs.
 */
import { fileURLToPath } from 'node:url';
import { newContext, type Rule, type TickContext } from '../../src/model/context.js';
import { enterPlace, leavePlace } from '../../src/model/occupancy.js';
import { setIncomes } from '../../src/model/labour.js';
import { growthPerTick, incomeParams, resolveParams, type ModelParams } from '../../src/model/params.js';
import { leverTables } from '../../src/scenario/schedule.js';
import { loadScenario } from '../../src/scenario/scenario.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { DEAD, Emp, Flag, sectorOf, Skill, Tenure, TENURES } from '../../src/world/agents.js';
import { PlaceKind, buildPlaces, type Places } from '../../src/world/places.js';
import { setPrices, setUnlimitedHousing } from '../../src/world/stocks.js';
import { SECTORS, emptyWorld, type World } from '../../src/world/world.js';

// The uncalibrated scenario: rule and lever tests check directions with the prior parameters, so
// that a new calibration (scenarios/calibrated.yaml) does not move their thresholds.
const BASELINE = fileURLToPath(new URL('../../scenarios/shanxi-2020.yaml', import.meta.url));
let cached: Scenario | undefined;

/** The baseline scenario, loaded once per test file and deep-cloned on every call (tests may mutate it). */
export function baselineScenario(): Scenario {
  cached ??= loadScenario(BASELINE).scenario;
  return structuredClone(cached);
}

/** Place ids that tests use often. */
export interface Spots {
  /** Taiyuan's central districts (tier taiyuan). */
  taiyuan: number;
  /** Datong's central districts (tier prefecture). */
  datong: number;
  /** Datong's first county town (tier county), its villages and its county index. */
  datongTown: number;
  datongVillages: number;
  datongCounty: number;
  /** Changzhi's first county town's villages (a place outside a Datong villager's choice set). */
  changzhiVillages: number;
  outside: number;
}

/** Looks up the places of `spots` in a place table. */
export function spots(P: Places): Spots {
  const countyOfTown = (city: number) => {
    for (let k = 0; k < P.nCounties; k++) if (P.countyCity[k] === city && P.kind[P.countyTown[k]] === PlaceKind.countyTown) return k;
    throw new Error(`city ${city} has no county town`);
  };
  const dc = countyOfTown(1),
    cc = countyOfTown(3);
  return {
    taiyuan: P.cityCentral[0],
    datong: P.cityCentral[1],
    datongTown: P.countyTown[dc],
    datongVillages: P.countyVillages[dc],
    datongCounty: dc,
    changzhiVillages: P.countyVillages[cc],
    outside: P.outside,
  };
}

/**
 * An empty world on the scenario's place table. Agent-dependent stocks (jobs, housing, counts) are
 * zero; what the world build sets independently of agents is set as it does (stocks.ts,
 * fillStocks): 2020 wages and rents of urban places and of the outside, current rent = base rent,
 * unlimited rural homes in villages and unlimited market housing outside; and the income tables of
 * the census date (setup.ts: labour.ts setIncomes at t = 0; farm incomes at the 2020 level until
 * the labour rule counts the farmers).
 */
export function miniWorld(sc: Scenario, capacity = 10000): World {
  const P = buildPlaces(sc.world);
  const w = emptyWorld(P, sc.scale, capacity);
  w.personsPerUnit = sc.world.province.persons_per_unit.value;
  setUnlimitedHousing(w);
  setPrices(sc, w);
  // The wage curve's reference unemployment rate (setup.ts takes each place's rate at the census).
  w.unemp0.fill(0.05);
  setIncomes(w, incomeParams(sc), 1, 1, 0);
  return w;
}

/** Attributes of a hand-made agent; every field has a default. */
export interface AgentSpec {
  place: number;
  /** Default: `place`. */
  hukouPlace?: number;
  /** Default 30. */
  age?: number;
  /** Default mid. */
  skill?: number;
  /** Default out of the labour force. */
  emp?: number;
  /** Default: rural home in villages, market rent in towns and outside. */
  tenure?: number;
  /**
   * Default: urban hukou when the hukou place is urban, land rights when it is a Shanxi village,
   * neither for non-Shanxi hukou (hukou place = outside). Female / permit / services bits must be
   * given explicitly.
   */
  flags?: number;
  /** Default 600 (fifty years in place). */
  months?: number;
}

/** The default flags of a hukou place: see AgentSpec.flags. */
export function hukouFlags(P: Places, hukouPlace: number): number {
  if (hukouPlace === P.outside) return 0;
  return P.urban[hukouPlace] ? Flag.urbanHukou : Flag.landRights;
}

/**
 * Appends one agent and counts it the way the world build does: population, housing occupancy and
 * the migrant network (via enterPlace), hukou holders, filled urban jobs (sector by the services
 * flag) and rural non-farm jobs; farmers at the start as setup counts them (enterPlace counts the
 * job seekers and farmers now).
 */
export function addAgent(w: World, a: AgentSpec): number {
  const A = w.agents,
    P = w.places;
  const i = A.add();
  const hukou = a.hukouPlace ?? a.place;
  A.hukouPlace[i] = hukou;
  A.age[i] = a.age ?? 30;
  A.skill[i] = a.skill ?? Skill.mid;
  A.emp[i] = a.emp ?? Emp.outOfLabourForce;
  A.flags[i] = a.flags ?? hukouFlags(P, hukou);
  A.months[i] = a.months ?? 600;
  const tenure = a.tenure ?? (P.urban[a.place] || a.place === P.outside ? Tenure.marketRent : Tenure.ruralHome);
  enterPlace(w, i, a.place, tenure);
  w.homePop[P.county[hukou]]++;
  const emp = A.emp[i],
    p = a.place;
  if (emp === Emp.urbanJob && P.urban[p]) w.jobsFilled[p * SECTORS + sectorOf(A.flags[i])]++;
  if (emp === Emp.localNonFarm) w.ruralJobsFilled[p]++;
  if (emp === Emp.farming) w.farmersAtStart[p]++;
  return i;
}

/** Appends `count` identical agents; returns their ids. */
export function addAgents(w: World, count: number, a: AgentSpec): number[] {
  const ids: number[] = [];
  for (let k = 0; k < count; k++) ids.push(addAgent(w, a));
  return ids;
}

/** Moves agent i to `place` with `tenure` through the rules' own bookkeeping (its job, if any, is released). */
export function moveAgent(w: World, i: number, place: number, tenure: number, emp: number = Emp.outOfLabourForce): void {
  leavePlace(w, i);
  w.agents.emp[i] = emp;
  enterPlace(w, i, place, tenure);
}

/** Sets the urban job capacity of a place, in agents. */
export function setJobs(w: World, place: number, industry: number, services: number, landHa = 1e12): void {
  w.jobs[place * SECTORS] = industry;
  w.jobs[place * SECTORS + 1] = services;
  // Labour demand's trend at the capacity (labour.ts moves capacity to it), and land to grow on.
  w.jobTrend[place * SECTORS] = industry;
  w.jobTrend[place * SECTORS + 1] = services;
  w.landAvail[place] = landHa;
}

/** Sets the housing capacity of one tenure at a place, in agents. */
export function setHousing(w: World, place: number, tenure: number, capacity: number): void {
  w.housing[place * TENURES + tenure] = capacity;
}

/**
 * The parameters of `sc` resolved on a reference population: 100 agents of each age 0-89, half
 * women, half living in Taiyuan's centre with its hukou and half in a Datong village with land
 * rights, where of working age (16-69) 58% farm and the rest work locally off the farm.
 */
export function referenceParams(sc: Scenario): ModelParams {
  const w = miniWorld(sc, 9000);
  const S = spots(w.places);
  for (let age = 0; age < 90; age++) {
    for (let k = 0; k < 100; k++) {
      const female = k % 2 === 0 ? Flag.female : 0;
      if (k < 50) addAgent(w, { place: S.taiyuan, age, flags: Flag.urbanHukou | female });
      else {
        const emp = age < 16 || age >= 70 ? Emp.outOfLabourForce : k < 79 ? Emp.farming : Emp.localNonFarm;
        addAgent(w, { place: S.datongVillages, age, emp, flags: Flag.landRights | female });
      }
    }
  }
  return resolveParams(sc, w, leverTables(sc));
}

/** A tick context for `w`: fresh flow counters and scratch, parameters from `referenceParams(sc)` unless given. */
export function ctxFor(w: World, sc: Scenario, tick = 0, runKey = 1, params: ModelParams = referenceParams(sc)): TickContext {
  return newContext(w, params, leverTables(sc), runKey, tick);
}

/** Runs `rules` in order for `ticks` ticks from ctx.tick, advancing the clock as the engine does. Flows accumulate. */
export function runTicks(w: World, ctx: TickContext, rules: readonly Rule[], ticks: number): void {
  for (let k = 0; k < ticks; k++) {
    for (const rule of rules) rule(w, ctx);
    ctx.ruralLevel *= growthPerTick(ctx.params.ruralIncomeGrowth, ctx.params.tpy);
    ctx.tick++;
    ctx.years = ctx.tick / ctx.params.tpy;
  }
}

/** The agent-counting stocks of a world recounted from the agent columns. */
export interface Recount {
  pop: Int32Array;
  occupied: Int32Array;
  jobsFilled: Int32Array;
  ruralJobsFilled: Int32Array;
  network: Int32Array;
  homePop: Int32Array;
  localHukou: Int32Array;
  seekers: Int32Array;
  farmers: Int32Array;
}

/** Recounts every stock that the rules keep incrementally (occupancy.ts) from the agent columns. */
export function recount(w: World): Recount {
  const A = w.agents,
    P = w.places,
    n = P.n;
  const r: Recount = {
    pop: new Int32Array(n),
    occupied: new Int32Array(n * TENURES),
    jobsFilled: new Int32Array(n * SECTORS),
    ruralJobsFilled: new Int32Array(n),
    network: new Int32Array((P.nCounties + 1) * n),
    homePop: new Int32Array(P.nCounties + 1),
    localHukou: new Int32Array(n),
    seekers: new Int32Array(n),
    farmers: new Int32Array(n),
  };
  for (let i = 0; i < A.count; i++) {
    const p = A.place[i];
    if (p === DEAD) continue;
    const h = P.county[A.hukouPlace[i]];
    r.pop[p]++;
    r.occupied[p * TENURES + A.tenure[i]]++;
    r.network[h * n + p]++;
    r.homePop[h]++;
    if (A.hukouPlace[i] === p) r.localHukou[p]++;
    if (A.emp[i] === Emp.urbanJob && P.urban[p]) r.jobsFilled[p * SECTORS + sectorOf(A.flags[i])]++;
    if (A.emp[i] === Emp.localNonFarm) r.ruralJobsFilled[p]++;
    if (A.emp[i] === Emp.unemployed) r.seekers[p]++;
    if (A.emp[i] === Emp.farming) r.farmers[p]++;
  }
  return r;
}

/** Number of living agents among `ids` that satisfy `pred`. */
export function countWhere(w: World, ids: readonly number[], pred: (i: number) => boolean): number {
  let k = 0;
  for (const i of ids) if (w.agents.place[i] !== DEAD && pred(i)) k++;
  return k;
}
