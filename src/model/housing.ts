/**
 * Housing: stock per urban place by tenure, rents that rise as market vacancies fall, new supply
 * (market growth, the affordable-rental, public-rental and dormitory levers, and land granted for
 * settled migrants, see land.ts), and tenure changes of residents (docs/model.md, "Housing").
 *  - Rent: r_p = r0_p (1 + g_w)^years (v* / max(v_p, 0.01))^eta, v_p the market vacancy share.
 *  - Purchase: a market renter with an urban job and a year in place buys with probability
 *    q min(1, income / local wage) per tick, if an owned home is free.
 *  - Shared-ownership homes (共有产权房) go to eligible working renters (probability per tick from
 *    `shared_ownership_take_up`), affordable and public rental to eligible renters (local hukou,
 *    or a residence permit where the lever lets permits open affordable housing), while units
 *    are free. The levers add units each tick, spread over urban places by residents.
 *  - Old-compound renovation and the fiscal transfers' service coverage are place stocks updated
 *    here each tick (used by migration).
 */
import { Emp, Flag, Tenure, TENURES } from '../world/agents.js';
import { SECTORS, type World } from '../world/world.js';
import type { TickContext } from './context.js';
import { incomeOf, outsideWageRatio } from './labour.js';
import { useLand } from './land.js';
import { changeTenure, vacancy } from './occupancy.js';

/** Job capacity of place p, all sectors. */
function jobsAt(w: World, p: number): number {
  let j = 0;
  for (let s = 0; s < SECTORS; s++) j += w.jobs[p * SECTORS + s];
  return j;
}

/** Adds new supply and sets this tick's rents. */
export function housingMarket(w: World, ctx: TickContext): void {
  const P = w.places,
    par = ctx.params;
  let urbanPop = 0,
    urbanJobs = 0;
  for (let p = 0; p < P.n; p++)
    if (P.urban[p]) {
      urbanPop += w.pop[p];
      urbanJobs += jobsAt(w, p);
    }
  const level = Math.pow(1 + par.wageGrowth, ctx.years);
  const fundKeep = Math.pow(1 - 1 / Math.max(1, par.fundSpendYears), 1 / par.tpy);
  // The tick's building programmes (levers), in persons (units times persons per unit) per tick.
  const tpy = par.tpy,
    ppu = par.personsPerUnit;
  const affordablePersonsPerTick = (ctx.lever('housing.affordable_rental_units_per_year') * ppu) / tpy,
    publicPersonsPerTick = (ctx.lever('housing.public_rental_units_per_year') * ppu) / tpy,
    sharedPersonsPerTick = (ctx.lever('housing.shared_ownership_units_per_year') * ppu) / tpy,
    dormitoryPersonsPerTick = ctx.lever('housing.dormitory_places_per_year') / tpy,
    compoundsPerTick = ctx.lever('housing.old_compounds_renovated_per_year') / tpy;
  for (let p = 0; p < P.n; p++) {
    if (!P.urban[p]) {
      // Outside Shanxi, rent stays the same share of the wage there (outside_rent_share).
      w.rent[p] = w.baseRent[p] * (p === P.outside ? level * outsideWageRatio(par, ctx.years) : level);
      continue;
    }
    const k = p * TENURES,
      share = w.pop[p] / Math.max(1, urbanPop);
    // Market housing grows towards its trend as far as construction land allows (land.ts).
    const market = w.housing[k + Tenure.marketRent] + w.housing[k + Tenure.owned];
    if (market > 0) {
      const built = useLand(w, p, market * (par.marketSupplyTick - 1), par.scale / par.housingPersonsPerHa);
      w.housing[k + Tenure.marketRent] *= 1 + built / market;
      w.housing[k + Tenure.owned] *= 1 + built / market;
    }
    w.housing[k + Tenure.affordableRental] += (affordablePersonsPerTick / par.scale) * share;
    w.housing[k + Tenure.publicRental] += (publicPersonsPerTick / par.scale) * share;
    w.housing[k + Tenure.sharedOwnership] += (sharedPersonsPerTick / par.scale) * share;
    w.housing[k + Tenure.dormitory] += ((dormitoryPersonsPerTick / par.scale) * jobsAt(w, p)) / Math.max(1, urbanJobs);
    w.compounds[p] += compoundsPerTick * share;
    // Transfers are spent over spend_years; a year's spending serves that many non-local residents.
    w.fund[p] *= fundKeep;
    const nonLocal = w.pop[p] - w.localHukou[p];
    w.coverage[p] = nonLocal > 0 ? Math.min(1, w.fund[p] / par.fundSpendYears / (par.serviceCostPerPerson * nonLocal * par.scale)) : 0;
    const cap = w.housing[k + Tenure.marketRent];
    const v = cap > 0 ? Math.max(0.01, (cap - w.occupied[k + Tenure.marketRent]) / cap) : 0.01;
    w.rent[p] = w.baseRent[p] * level * Math.pow(par.marketVacancyTarget / v, par.rentElasticity);
  }
}

/**
 * Renter i's tenure change, housing permitting, when its draw falls in the tenure bands of the
 * agent pass (step.ts): `band` 0 purchase (width: the purchase rate; a purchase needs x < rate x
 * affordability), 1 shared ownership, 2 affordable or public rental, x the draw's offset in the
 * band. The bands are reserved for every urban resident (their widths do not depend on the
 * agent's tenure or eligibility, so that no lever shifts another rule's band); only renters
 * (market or dormitory) that are eligible change.
 */
export function tenureChange(w: World, par: TickContext['params'], i: number, band: number, x: number, level: number): void {
  const A = w.agents,
    p = A.place[i],
    t = A.tenure[i];
  if (t !== Tenure.marketRent && t !== Tenure.dormitory) return;
  if (band === 0) {
    if (t === Tenure.marketRent && A.emp[i] === Emp.urbanJob && A.months[i] >= 12) {
      const afford = Math.min(1, incomeOf(w, i) / (w.baseWage[p] * level));
      if (x < par.purchaseTick * afford && vacancy(w, p, Tenure.owned) >= 1) changeTenure(w, i, Tenure.owned);
    }
    return;
  }
  const eligible = A.hukouPlace[i] === p || (par.permitOpensAffordable && (A.flags[i] & Flag.permit) !== 0);
  if (!eligible) return;
  if (band === 1) {
    if (t === Tenure.marketRent && A.emp[i] === Emp.urbanJob && vacancy(w, p, Tenure.sharedOwnership) >= 1) changeTenure(w, i, Tenure.sharedOwnership);
  } else if (vacancy(w, p, Tenure.affordableRental) >= 1) changeTenure(w, i, Tenure.affordableRental);
  else if (vacancy(w, p, Tenure.publicRental) >= 1) changeTenure(w, i, Tenure.publicRental);
}

/** Annual housing cost of agent i where it lives now, yuan. */
export function housingCost(w: World, i: number, tenureRentFactor: readonly number[]): number {
  return w.rent[w.agents.place[i]] * tenureRentFactor[w.agents.tenure[i]];
}
