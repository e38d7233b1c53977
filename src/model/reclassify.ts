/**
 * In-situ urbanization by reclassification (docs/model.md, "Reclassification"): people who become
 * urban residents without moving, because the place they live in is reclassified.
 *
 *  - 村改居: once a year, in the tick where tick mod T = id mod T, each resident of a village
 *    place of county c is reclassified with probability r x f_c, r =
 *    `behaviour.reclassification.village_rate` (a share a year), f_c = `district_area_factor` where
 *    c's town is its city's central districts (the district area, or a county made a district),
 *    else 1. The resident becomes a resident of c's town in an owned home (the village's houses
 *    become the town's: the town's owned capacity grows by one), keeps its months in place, and
 *    its village hukou becomes the town's residents' hukou (urban). A worker (farming, rural
 *    non-farm) takes a vacant urban job of the town if there is one, else seeks one; past the
 *    retirement age it leaves the labour force; children and the old stay out of it.
 *  - 撤县设区: at the first tick of an event's year, the county town's residents become residents
 *    of the city's central districts with their state (tenure, job, months); every hukou registered
 *    at the county town moves there too; the town's housing, jobs, compounds and fund go to the
 *    central districts, so the county town place stays empty from then on; and `village_share` of
 *    the county's village residents are reclassified as above into the central districts. From then
 *    on the county's town, for the yearly reclassification, is the central districts.
 *
 * Each decision is a keyed draw per agent (Channel.reclassify, Channel.countyToDistrict), never
 * dependent on the order of the agents; vacant jobs are taken in id order, as in the agent pass.
 * A tick visits one agent in T (a stride over the ids); an event's tick also makes one pass over
 * every agent.
 */
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import { DEAD, Emp, Flag, markChanged, sectorOf, Tenure, TENURES, withSector } from '../world/agents.js';
import { PlaceKind } from '../world/places.js';
import { SECTORS, type World } from '../world/world.js';
import type { Rule, TickContext } from './context.js';
import type { CountyToDistrict } from './params.js';
import { enterPlace, leavePlace, vacantSector } from './occupancy.js';

/**
 * The town of each county at tick t: its county town, or its city's central districts if the
 * county became a district at or before t (or is the district area itself).
 */
export function countyTowns(w: World, par: TickContext['params'], t: number): Uint16Array {
  const P = w.places,
    towns = P.countyTown.slice();
  for (const e of par.countyToDistrict) if (e.tick <= t) towns[e.county] = P.cityCentral[P.countyCity[e.county]];
  return towns;
}

/** Agent i's hukou moves to place h where it lives (not at h): its network and home counts follow. */
function moveHukou(w: World, i: number, h: number): void {
  const A = w.agents,
    P = w.places,
    p = A.place[i],
    old = A.hukouPlace[i],
    oc = P.county[old],
    nc = P.county[h];
  if (oc !== nc) {
    w.network[oc * P.n + p]--;
    w.network[nc * P.n + p]++;
    w.homePop[oc]--;
    w.homePop[nc]++;
  }
  if (old === p) w.localHukou[p]--;
  if (h === p) {
    w.localHukou[p]++;
    A.flags[i] &= ~Flag.permit;
  }
  A.hukouPlace[i] = h;
  markChanged(A, i);
}

/**
 * Village resident i becomes a resident of town d without moving (v: a uniform draw for the
 * sector of a job). Its counts leave the village and enter d (occupancy.ts); a village hukou
 * becomes d's urban hukou; it lives in an owned home added to d's capacity; a worker takes a
 * vacant job of d if there is one (a hire), else seeks one.
 */
export function reclassifyAgent(w: World, ctx: TickContext, i: number, d: number, v: number): void {
  const A = w.agents,
    P = w.places,
    par = ctx.params,
    p = A.place[i],
    hp = A.hukouPlace[i];
  leavePlace(w, i);
  if (hp === p) {
    const oc = P.county[hp],
      nc = P.county[d];
    w.homePop[oc]--;
    w.homePop[nc]++;
    A.hukouPlace[i] = d;
    A.flags[i] = (A.flags[i] | Flag.urbanHukou) & ~Flag.permit;
  }
  const emp = A.emp[i];
  let sector = -1;
  if (emp !== Emp.outOfLabourForce) {
    if (A.age[i] >= par.retirementAge) A.emp[i] = Emp.outOfLabourForce;
    else {
      // A vacancy's sector as at a hire (occupancy.ts), before the agent enters d.
      sector = vacantSector(w, d, v);
      A.emp[i] = sector >= 0 ? Emp.urbanJob : Emp.unemployed;
    }
  }
  // The villager's home becomes one of the town's owned homes (at least the homes occupied: newborns
  // may have filled the town's beyond its capacity, 5.1).
  const k = d * TENURES + Tenure.owned;
  w.housing[k] = Math.max(w.housing[k], w.occupied[k]) + 1;
  enterPlace(w, i, d, Tenure.owned);
  if (sector >= 0) {
    w.jobsFilled[d * SECTORS + sector]++;
    A.flags[i] = withSector(A.flags[i], sector);
    ctx.flows.hires[d]++;
  }
  ctx.flows.reclassified[d]++;
}

/** Resident i of merged county town t becomes a resident of central place c with its state (its hukou too, if it was t). */
function mergeResident(w: World, i: number, t: number, c: number): void {
  const A = w.agents,
    P = w.places;
  const tenure = A.tenure[i],
    job = A.emp[i] === Emp.urbanJob;
  leavePlace(w, i);
  if (A.hukouPlace[i] === t) {
    w.homePop[P.county[t]]--;
    w.homePop[P.county[c]]++;
    A.hukouPlace[i] = c;
  }
  enterPlace(w, i, c, tenure);
  if (job) w.jobsFilled[c * SECTORS + sectorOf(A.flags[i])]++;
}

/** The place-level stocks of county town t go to central place c (the town's residents follow in the pass). */
function mergeStocks(w: World, t: number, c: number): void {
  // Each place's stock counts at least the homes its residents occupy (newborns may have filled
  // one beyond its capacity, 5.1): the town's residents bring their homes with them.
  for (let k = 0; k < TENURES; k++) {
    const kc = c * TENURES + k,
      kt = t * TENURES + k;
    w.housing[kc] = Math.max(w.housing[kc], w.occupied[kc]) + Math.max(w.housing[kt], w.occupied[kt]);
    w.housing[kt] = 0;
  }
  for (let s = 0; s < SECTORS; s++) {
    w.jobs[c * SECTORS + s] += w.jobs[t * SECTORS + s];
    w.jobs[t * SECTORS + s] = 0;
    w.jobTrend[c * SECTORS + s] += w.jobTrend[t * SECTORS + s];
    w.jobTrend[t * SECTORS + s] = 0;
  }
  w.landAvail[c] += w.landAvail[t];
  w.landAvail[t] = 0;
  w.compounds[c] += w.compounds[t];
  w.compoundStock[c] += w.compoundStock[t];
  w.fund[c] += w.fund[t];
  w.compounds[t] = 0;
  w.compoundStock[t] = 0;
  w.fund[t] = 0;
}

/**
 * The county-to-district events of the tick (at least one): each merged county town's stocks go
 * to its city's central districts; then one pass over every agent moves the town's residents and
 * every hukou registered there, and reclassifies the event's share of the county's villagers.
 */
function countyToDistrict(w: World, ctx: TickContext, events: readonly CountyToDistrict[], towns: Uint16Array): void {
  const P = w.places,
    A = w.agents,
    n = P.n;
  const share = new Float64Array(n),
    mergeInto = new Int32Array(n).fill(-1);
  for (const e of events) {
    const c = P.cityCentral[P.countyCity[e.county]],
      town = P.countyTown[e.county];
    mergeInto[town] = c;
    share[P.countyVillages[e.county]] = e.villageShare;
    mergeStocks(w, town, c);
  }
  const kEvent = tickKey(ctx.runKey, ctx.tick, Channel.countyToDistrict),
    place = A.place,
    hukou = A.hukouPlace,
    county = P.county;
  for (let i = 0; i < A.count; i++) {
    const p = place[i];
    if (p === DEAD) continue;
    const into = mergeInto[p];
    if (into >= 0) {
      mergeResident(w, i, p, into);
      continue;
    }
    const h = mergeInto[hukou[i]];
    if (h >= 0) moveHukou(w, i, h);
    const s = share[p];
    if (s > 0) {
      const u = drawKeyed(kEvent, i);
      if (u < s) reclassifyAgent(w, ctx, i, towns[county[p]], u / s);
    }
  }
}

/**
 * The rule, each tick: the county-to-district events of the tick (at the first tick of their
 * year), then the reclassification of villagers (村改居) whose turn it is. Each agent has its turn
 * once a year, in the tick where tick mod T = id mod T (the tick of its birthday, 5.1), so the
 * tick's pass visits one agent in T, by a stride over the ids, and draws for those in villages:
 * reclassified with the annual probability min(1, r x f) of its county. (A pass over every agent
 * once a year instead measured 15-30 ms for its first call, run as on-stack-replacement code, and
 * 2 ms for the later ones.)
 */
export const reclassify: Rule = (w, ctx) => {
  const par = ctx.params,
    t = ctx.tick,
    P = w.places,
    A = w.agents;
  const events = par.countyToDistrict.filter((e) => e.tick === t);
  if (!(par.reclassVillageRate > 0) && events.length === 0) return;
  const towns = countyTowns(w, par, t);
  if (events.length > 0) countyToDistrict(w, ctx, events, towns);
  if (!(par.reclassVillageRate > 0)) return;
  // By place: the annual probability of a village's residents (0 elsewhere).
  const prob = new Float64Array(P.n);
  for (let k = 0; k < P.nCounties; k++) {
    const f = P.kind[towns[k]] === PlaceKind.central ? par.districtAreaFactor : 1;
    prob[P.countyVillages[k]] = Math.min(1, par.reclassVillageRate * f);
  }
  const tpy = par.tpy,
    kYear = tickKey(ctx.runKey, t, Channel.reclassify),
    place = A.place,
    county = P.county,
    count = A.count;
  for (let i = t % tpy; i < count; i += tpy) {
    const p = place[i];
    if (p === DEAD) continue;
    const q = prob[p];
    if (q > 0) {
      const u = drawKeyed(kYear, i);
      if (u < q) reclassifyAgent(w, ctx, i, towns[county[p]], u / q);
    }
  }
};
