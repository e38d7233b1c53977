/**
 * From a validated scenario to a world ready to run: places, the initial population, resolved
 * parameters, initial incomes and the two income calibrations. Done once per batch; every run
 * clones the result.
 */
import { setIncomes, unemploymentAt } from '../model/labour.js';
import { leverParams, resolveParams, type ModelParams } from '../model/params.js';
import { leverTables, type LeverTables } from '../scenario/schedule.js';
import type { Scenario } from '../scenario/schema.js';
import { Emp, Sector, Tenure, TENURES, forSlices } from '../world/agents.js';
import { buildPlaces } from '../world/places.js';
import { buildPopulation } from '../world/population.js';
import { SECTORS, type World } from '../world/world.js';
import { calendarOf, type Calendar } from '../core/calendar.js';
import { ruralEarnings, sumPlaces } from './observe.js';

/** Everything a run needs, shared read-only by all runs of a batch. */
export interface Prepared {
  scenario: Scenario;
  world: World;
  params: ModelParams;
  /** Per-tick lever values; `varying` when any lever has a schedule. */
  levers: LeverTables;
  varying: boolean;
  calendar: Calendar;
  /** Free agent slots each run's clone reserves for births. */
  headroom: number;
}

/**
 * Builds the initial world and parameters of a scenario. `levers`: the lever tables the scenario
 * layer resolved (workers get them from the main thread, so they never evaluate expressions);
 * tests may leave them out.
 */
export function prepare(sc: Scenario, levers?: LeverTables): Prepared {
  const calendar = calendarOf(sc);
  levers ??= leverTables(sc);
  const varying = varies(levers);
  const places = buildPlaces(sc.world);
  // The columns are allocated with room for the horizon's births, so that a run on this world
  // itself (runOne in place) never reallocates them.
  const world = buildPopulation(sc, places, (agents) => birthHeadroom(sc, agents));
  world.personsPerUnit = sc.world.province.persons_per_unit.value;
  const params = resolveParams(sc, world, levers);
  setInitialIncomes(world, params, sc);
  setLabourAndLand(world, params);
  const headroom = birthHeadroom(sc, world.agents.count);
  return { scenario: sc, world, params, levers, varying, calendar, headroom };
}

/** Agent slots to reserve for the births of the horizon, with a wide margin (the fertility trend may be set positive). */
export function birthHeadroom(sc: Scenario, agents: number): number {
  const years = sc.time.end_year - calendarOf(sc).startYear + 1;
  return Math.ceil(agents * (sc.behaviour.demography.birth_rate_2020.value / 1000) * years * 1.6) + 1024;
}

/**
 * The labour market's and the land's references at the census date: each urban place's
 * unemployment rate (the wage curve's u0) and its construction-land reserve, `land_reserve_years`
 * of the land its job capacity and market housing would take in a year at their trend growth of
 * 2020 (docs/model.md 5.7).
 */
function setLabourAndLand(w: World, par: ModelParams): void {
  const P = w.places;
  for (let p = 0; p < P.n; p++) {
    if (!P.urban[p]) continue;
    w.unemp0[p] = unemploymentAt(w, p);
    const k = p * SECTORS;
    const jobsYear =
      w.jobs[k + Sector.industry] * Math.max(0, (par.jobGrowthTick[p] * par.industryGapTick) ** par.tpy - 1) +
      w.jobs[k + Sector.services] * Math.max(0, par.jobGrowthTick[p] ** par.tpy - 1);
    const market = w.housing[p * TENURES + Tenure.marketRent] + w.housing[p * TENURES + Tenure.owned];
    const housingYear = market * Math.max(0, par.marketSupplyTick ** par.tpy - 1);
    w.landAvail[p] = par.landReserveYears * ((jobsYear * w.scale) / par.jobsPerHa + (housingYear * w.scale) / par.housingPersonsPerHa);
  }
}

/**
 * Counts farmers and job seekers, sets the income tables of the census date (setIncomes), and
 * calibrates the factors that turn mean agent income into per-capita disposable income: urban to
 * the scenario's 2020 level, rural to that level over the 2020 urban:rural ratio.
 */
function setInitialIncomes(w: World, par: ModelParams, sc: Scenario): void {
  const A = w.agents,
    P = w.places,
    n = A.count,
    place = A.place,
    emp = A.emp;
  const farmers = w.farmers,
    seekers = w.seekers;
  forSlices(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const e = emp[i];
      if (e === Emp.farming) farmers[place[i]]++;
      else if (e === Emp.unemployed) seekers[place[i]]++;
    }
  });
  setIncomes(w, par, 1, 1, 0);
  // The observation's own sums (observe.ts), so that the calibration and the indicators add the same things.
  const sums = sumPlaces(w);
  w.remittanceShare = par.remittanceShare;
  let urbanSum = 0,
    urbanN = 0,
    ruralSum = 0,
    ruralN = 0;
  for (let p = 0; p < P.n; p++) {
    if (p === P.outside) continue;
    if (P.urban[p]) {
      urbanSum += sums.income[p];
      urbanN += w.pop[p];
    } else {
      ruralSum += ruralEarnings(w, sums, p);
      ruralN += w.pop[p];
    }
  }
  const pv = sc.world.province;
  w.disposableUrban = pv.urban_disposable_income_2020.value / (urbanSum / urbanN);
  const rural2020 = pv.urban_disposable_income_2020.value / pv.urban_rural_income_ratio_2020.value;
  // Earnings (with remittances) scaled to the 2020 rural income less transfers (scenario.ts checks
  // that the transfer is the smaller); transfers are added on top (observe.ts).
  w.disposableRural = (rural2020 - par.ruralTransfer2020) / (ruralSum / ruralN);
}

/** A prepared scenario with other lever tables: same world, parameters re-resolved for the levers. */
export function withLevers(prep: Prepared, levers: LeverTables): Prepared {
  const params = { ...prep.params, ...leverParams(prep.params, prep.world, (path) => levers[path][0]) };
  const varying = varies(levers);
  return { ...prep, params, levers, varying };
}

/** Whether any lever changes value during the run (then the engine re-applies levers each tick). */
function varies(levers: LeverTables): boolean {
  return Object.values(levers).some((t) => t.some((v) => v !== t[0]));
}
