/**
 * The world: places, agents and the stocks that live on places (jobs, housing, land). Built once
 * from a resolved scenario; each run works on its own clone so that runs never share state.
 */
import { Agents, SKILLS, TENURES } from './agents.js';
import type { Places } from './places.js';

/** Number of urban job sectors (industry, services, public: `Sector` in agents.ts). */
export const SECTORS = 3;

/** A world's state. Stocks are in agent units (one agent = `scale` persons). */
export interface World {
  places: Places;
  agents: Agents;
  /** Persons per agent. */
  scale: number;
  /** Job capacity per place and sector (place * SECTORS + sector); fractional while growing. */
  jobs: Float64Array;
  /**
   * Labour demand's trend per place and sector (place * SECTORS + sector), in jobs: the 2020
   * capacity grown at the sector's rate, before the wage curve and the land constraint
   * (labour.ts). Public jobs follow residents instead (0 here).
   */
  jobTrend: Float64Array;
  /** Construction land available for new workplaces and housing per urban place, hectares (land.ts). */
  landAvail: Float64Array;
  /** Urban unemployment rate of each place at the census date, the wage curve's reference (labour.ts). */
  unemp0: Float64Array;
  /** Public jobs per resident of each urban place at the census date (labour.ts). */
  publicPerResident: Float64Array;
  /** The wage-curve factor of each place in the tick, (u / u0)^-elasticity (labour.ts). */
  wageCurve: Float64Array;
  /** Filled jobs per place and sector. */
  jobsFilled: Int32Array;
  /** Local non-farm job capacity per village place. */
  ruralJobs: Float64Array;
  ruralJobsFilled: Int32Array;
  /** Housing capacity per place and tenure (place * TENURES + tenure), in persons/scale. */
  housing: Float64Array;
  /** Residents per place and tenure. */
  occupied: Int32Array;
  /** Living agents per place. */
  pop: Int32Array;
  /** Living agents by home county and place ((county) * places.n + place); the migrant network. */
  network: Int32Array;
  /** Living hukou holders per home county (index nCounties: non-Shanxi hukou). */
  homePop: Int32Array;
  /** Annual mid-skill wage of 2020 per place, yuan. */
  baseWage: Float64Array;
  /** Annual market rent per person of 2020 per place, yuan. */
  baseRent: Float64Array;
  /** Farmers per village place at the start: farm income per farmer scales with this over the current count. */
  farmersAtStart: Float64Array;
  /** Current annual market rent per person per place (set by the housing rule). */
  rent: Float64Array;
  /** Living agents whose hukou is at the place they live in (local hukou), by place. */
  localHukou: Int32Array;
  /** Fiscal transfers for settled migrants received by a place and not yet spent, yuan (市民化奖励). */
  fund: Float64Array;
  /** Share of a place's non-local residents that its transfer-funded services reach (0-1), set each tick. */
  coverage: Float64Array;
  /** Old residential compounds renovated at the place since the census (cumulative). */
  compounds: Float64Array;
  /** Old residential compounds in need of renovation at the place in 2020 (the province's stock split by urban residents). */
  compoundStock: Float64Array;
  /** Job seekers per place, kept by occupancy.ts (sets the hiring odds of the tick). */
  seekers: Int32Array;
  /** Farmers per place, kept by occupancy.ts (sets the farm income of the tick). */
  farmers: Int32Array;
  /**
   * Annual incomes of this tick, yuan, from which an agent's income is computed when it is needed
   * (`incomeOf` in labour.ts): the urban wage by place and skill (place * SKILLS + skill), the farm
   * income per farmer by place, the rural non-farm wage, and the urban and rural pensions. Set by
   * the labour rule every tick, and at build for the census date.
   */
  wageNow: Float64Array;
  farmNow: Float64Array;
  nonFarmNow: number;
  urbanPensionNow: number;
  ruralPensionNow: number;
  /** Persons per housing unit, to report housing stocks in units. */
  personsPerUnit: number;
  /** Converts mean agent income of urban / rural residents into per-capita disposable income (calibrated at build). */
  disposableUrban: number;
  disposableRural: number;
  /** Share of the urban wages of rural-hukou people working away that counts in their home village's income (remittances). */
  remittanceShare: number;
  /** Transfer income per rural resident now, yuan a year (set with the income tables, labour.ts). */
  ruralTransferNow: number;
}

/** A deep copy of the world's mutable state; places are shared (they never change). */
export function cloneWorld(w: World, agentHeadroom: number): World {
  return {
    ...w,
    agents: w.agents.clone(agentHeadroom),
    jobs: w.jobs.slice(),
    jobTrend: w.jobTrend.slice(),
    landAvail: w.landAvail.slice(),
    wageCurve: w.wageCurve.slice(),
    jobsFilled: w.jobsFilled.slice(),
    ruralJobs: w.ruralJobs.slice(),
    ruralJobsFilled: w.ruralJobsFilled.slice(),
    housing: w.housing.slice(),
    occupied: w.occupied.slice(),
    pop: w.pop.slice(),
    network: w.network.slice(),
    homePop: w.homePop.slice(),
    seekers: w.seekers.slice(),
    localHukou: w.localHukou.slice(),
    fund: w.fund.slice(),
    coverage: w.coverage.slice(),
    compounds: w.compounds.slice(),
    rent: w.rent.slice(),
    farmers: w.farmers.slice(),
    wageNow: w.wageNow.slice(),
    farmNow: w.farmNow.slice(),
  };
}

/** Allocates the place-level stocks of an empty world. */
export function emptyWorld(places: Places, scale: number, agentCapacity: number): World {
  const n = places.n;
  return {
    places,
    agents: new Agents(agentCapacity),
    scale,
    jobs: new Float64Array(n * SECTORS),
    jobTrend: new Float64Array(n * SECTORS),
    landAvail: new Float64Array(n),
    unemp0: new Float64Array(n),
    publicPerResident: new Float64Array(n),
    wageCurve: new Float64Array(n).fill(1),
    jobsFilled: new Int32Array(n * SECTORS),
    ruralJobs: new Float64Array(n),
    ruralJobsFilled: new Int32Array(n),
    housing: new Float64Array(n * TENURES),
    occupied: new Int32Array(n * TENURES),
    pop: new Int32Array(n),
    network: new Int32Array((places.nCounties + 1) * n),
    homePop: new Int32Array(places.nCounties + 1),
    baseWage: new Float64Array(n),
    baseRent: new Float64Array(n),
    farmersAtStart: new Float64Array(n),
    seekers: new Int32Array(n),
    localHukou: new Int32Array(n),
    fund: new Float64Array(n),
    coverage: new Float64Array(n),
    compounds: new Float64Array(n),
    compoundStock: new Float64Array(n),
    rent: new Float64Array(n),
    farmers: new Int32Array(n),
    wageNow: new Float64Array(n * SKILLS),
    farmNow: new Float64Array(n),
    nonFarmNow: 0,
    urbanPensionNow: 0,
    ruralPensionNow: 0,
    personsPerUnit: 1,
    disposableUrban: 1,
    disposableRural: 1,
    remittanceShare: 0,
    ruralTransferNow: 0,
  };
}
