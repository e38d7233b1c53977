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
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import { DEAD, Emp, Flag, Tenure, TENURES } from '../world/agents.js';
import type { World } from '../world/world.js';
import type { TickContext } from './context.js';
import { incomeOf } from './labour.js';
import { BLOCK, changeTenure, vacancy } from './occupancy.js';

/** Adds new supply and sets this tick's rents. */
export function housingMarket(w: World, ctx: TickContext): void {
  const P = w.places, par = ctx.params;
  let urbanPop = 0, urbanJobs = 0;
  for (let p = 0; p < P.n; p++) if (P.urban[p]) { urbanPop += w.pop[p]; urbanJobs += w.jobs[2 * p] + w.jobs[2 * p + 1]; }
  const level = Math.pow(1 + par.wageGrowth, ctx.years);
  const fundKeep = Math.pow(1 - 1 / Math.max(1, par.fundSpendYears), 1 / par.tpy);
  for (let p = 0; p < P.n; p++) {
    if (!P.urban[p]) { w.rent[p] = w.baseRent[p] * level; continue; }
    const k = p * TENURES, share = w.pop[p] / Math.max(1, urbanPop);
    w.housing[k + Tenure.marketRent] *= par.marketSupplyTick;
    w.housing[k + Tenure.owned] *= par.marketSupplyTick;
    w.housing[k + Tenure.affordableRental] += (par.affordablePersonsPerTick / par.scale) * share;
    w.housing[k + Tenure.publicRental] += (par.publicPersonsPerTick / par.scale) * share;
    w.housing[k + Tenure.sharedOwnership] += (par.sharedPersonsPerTick / par.scale) * share;
    w.housing[k + Tenure.dormitory] += ((par.dormitoryPersonsPerTick / par.scale) * (w.jobs[2 * p] + w.jobs[2 * p + 1])) / Math.max(1, urbanJobs);
    w.compounds[p] += par.compoundsPerTick * share;
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
 * Where the shared-ownership band of the tenure draw starts: purchases take [0, rate), allocation
 * of affordable or public rental [1 - rate, 1), shared ownership [0.5, 0.5 + rate). Fixed bands:
 * a lever that changes one rate leaves the other decisions of every renter as they were.
 */
const SHARED_FROM = 0.5;

/** The agents of one block of the pass whose tenure may change this tick. */
const candidates = new Int32Array(BLOCK);

/**
 * Tenure changes of urban residents: purchases and allocation of affordable and public rental.
 * The pass runs in blocks (occupancy.ts, BLOCK): the loop over a block finds the renters whose
 * draw falls in a band (the others cannot change tenure); then each of them, in id order, goes
 * through the rule (`tenureChange`, drawing the same keyed number again). The loop reads no stock
 * that a change alters, so the results are those of acting at once.
 */
export function housingTenure(w: World, ctx: TickContext): void {
  const A = w.agents, P = w.places, par = ctx.params;
  const level = Math.pow(1 + par.wageGrowth, ctx.years);
  const kDraw = tickKey(ctx.runKey, ctx.tick, Channel.tenure);
  const place = A.place, tenure = A.tenure, urban = P.urban;
  const buy = par.purchaseTick, shared = par.sharedOwnershipTick, alloc = par.affordableAllocTick;
  // Constants in locals: an imported object's property read in the loop costs a load each time (measured ~1 ns per agent).
  const DEAD_ = DEAD, T_dormitory = Tenure.dormitory, T_marketRent = Tenure.marketRent;
  const count = A.count;
  for (let start = 0; start < count; start += BLOCK) {
    const end = Math.min(count, start + BLOCK);
    let n = 0;
    for (let i = start; i < end; i++) {
      const p = place[i];
      if (p === DEAD_ || !urban[p]) continue;
      const t = tenure[i];
      if (t !== T_marketRent && t !== T_dormitory) continue;
      // One draw per renter decides every change, in its band (a purchase: under rate x
      // affordability <= rate); tenureChange draws the same number again.
      const u = drawKeyed(kDraw, i);
      if (u < buy || (u >= SHARED_FROM && u < SHARED_FROM + shared) || u >= 1 - alloc) candidates[n++] = i;
    }
    for (let k = 0; k < n; k++) tenureChange(w, par, candidates[k], level, kDraw);
  }
}

/** The tenure change of renter i at its urban place, housing permitting: a purchase, shared ownership, or affordable / public rental. */
function tenureChange(w: World, par: TickContext['params'], i: number, level: number, kDraw: number): void {
  const A = w.agents, p = A.place[i], t = A.tenure[i];
  const u = drawKeyed(kDraw, i);
  if (t === Tenure.marketRent && A.emp[i] === Emp.urbanJob && A.months[i] >= 12) {
    const afford = Math.min(1, incomeOf(w, i) / (w.baseWage[p] * level));
    if (u < par.purchaseTick * afford && vacancy(w, p, Tenure.owned) >= 1) { changeTenure(w, i, Tenure.owned); return; }
  }
  const local = A.hukouPlace[i] === p;
  const eligible = local || (par.permitOpensAffordable && (A.flags[i] & Flag.permit) !== 0);
  if (eligible && t === Tenure.marketRent && A.emp[i] === Emp.urbanJob && u >= SHARED_FROM && u < SHARED_FROM + par.sharedOwnershipTick && vacancy(w, p, Tenure.sharedOwnership) >= 1) {
    changeTenure(w, i, Tenure.sharedOwnership);
    return;
  }
  if (eligible && u >= 1 - par.affordableAllocTick) {
    if (vacancy(w, p, Tenure.affordableRental) >= 1) changeTenure(w, i, Tenure.affordableRental);
    else if (vacancy(w, p, Tenure.publicRental) >= 1) changeTenure(w, i, Tenure.publicRental);
  }
}

/** Annual housing cost of agent i where it lives now, yuan. */
export function housingCost(w: World, i: number, tenureRentFactor: readonly number[]): number {
  return w.rent[w.agents.place[i]] * tenureRentFactor[w.agents.tenure[i]];
}
