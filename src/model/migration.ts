/**
 * Migration by random utility (docs/model.md, "Migration"). A working-age agent reviews its
 * situation with a per-tick probability (higher when unemployed) and chooses among staying, its
 * hukou home (return migration), its county town, its prefecture's town seats, the central
 * districts of every prefecture city (Taiyuan among them) and the rest of China, by multinomial
 * logit on
 *
 *   V_d = b_I ln(E_d) - b_H C_d / E_d + b_S S_d + b_N ln(1 + 100 n_hd / N_h) - c(o,d) + bonus_d
 *
 * E_d expected income (wage x probability of a job, Harris-Todaro; own income when staying in a
 * job), C_d housing cost, S_d access to public services (hukou, permit), n_hd people of the agent's
 * home county living at d out of N_h, c(o,d) the moving cost by distance class. Going home costs
 * no housing (C = 0: one's own rural home or hukou-place home). The parts that do
 * not depend on the agent are computed once per tick per (place, skill); an agent costs O(1).
 */
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import { Emp, Flag, SKILLS, Tenure } from '../world/agents.js';
import { flowClass, flowClasses, PlaceKind } from '../world/places.js';
import type { World } from '../world/world.js';
import type { TickContext } from './context.js';
import { housingCost } from './housing.js';
import { incomeOf } from './labour.js';
import { enterPlace, leavePlace, vacancy } from './occupancy.js';
import type { ChoiceScratch } from './scratch.js';

// The tick's tables and the buffers of the choice (nothing is allocated per agent) are the run's
// (ctx.scratch.choice, scratch.ts: ChoiceScratch).
//
// The newcomer alternatives of a group (home county h, skill s): every reviewer of the group
// weighs the same places, in the same order, apart from staying and going home, with the same
// weights exp(V - ref) before the moving cost, which depends on the origin. They are computed when
// a reviewer of the group first needs them in the tick and kept in a pool that each tick's
// `choiceTables` empties.

/** The least chance of a job within a year that a destination's expected income assumes. */
const JOB_PROB_FLOOR = 0.05;

/** Adds newcomer destination d to the group being built unless it is there already. */
function addNewcomer(C: ChoiceScratch, h: number, sk: number, d: number): void {
  if (C.mark[d] === C.serial) return;
  C.mark[d] = C.serial;
  if (C.poolN === C.poolD.length) {
    const nd = new Int32Array(C.poolN * 2),
      nw = new Float64Array(C.poolN * 2);
    nd.set(C.poolD);
    nw.set(C.poolW);
    C.poolD = nd;
    C.poolW = nw;
  }
  C.poolD[C.poolN] = d;
  C.poolW[C.poolN++] = C.arriveW[d * SKILLS + sk] * C.netW[network(C, h, d)];
}

/**
 * The group index of the newcomer alternatives of group (h, sk), built at the group's first use
 * in the tick: the home county's town, its city's centre and other towns, the rest of China and
 * each city's centre, without repeats.
 */
function newcomers(w: World, C: ChoiceScratch, h: number, sk: number): number {
  const P = w.places,
    g = h * SKILLS + sk;
  if (C.groupStamp[g] === C.stamp) return g;
  C.groupStamp[g] = C.stamp;
  C.groupStart[g] = C.poolN;
  ++C.serial;
  const homeCity = h < P.nCounties ? P.countyCity[h] : -1;
  if (homeCity >= 0) {
    addNewcomer(C, h, sk, P.countyTown[h]);
    addNewcomer(C, h, sk, P.cityCentral[homeCity]);
    addNewcomer(C, h, sk, P.cityOtherTowns[homeCity]);
  }
  addNewcomer(C, h, sk, P.outside);
  for (let c = 0; c < P.nCities; c++) addNewcomer(C, h, sk, P.cityCentral[c]);
  C.groupLen[g] = C.poolN - C.groupStart[g];
  return g;
}

/**
 * The choice tables of the tick, into the run's scratch (`ctx.scratch.choice`): the keys of each
 * destination's draws, a newcomer's job probability, expected income and utility of arriving by
 * (place, skill), their weights, and the network at the tick's start; the network terms and the
 * newcomer groups of the previous tick are let go. Built once per tick before the agent pass,
 * which calls `review` for the agents whose draw falls in their review band.
 */
export function choiceTables(w: World, ctx: TickContext): void {
  const P = w.places,
    par = ctx.params,
    n = P.n,
    C = ctx.scratch.choice;
  for (let d = 0; d < n; d++) C.placeKey[d] = tickKey(ctx.runKey, ctx.tick, (Channel.choice << 16) | d);
  const { jobProb, arrive, expIncome, arriveW, moveW, inv } = C;
  const taiyuan = P.cityCentral[0];
  for (let d = 0; d < n; d++) {
    if (P.kind[d] === PlaceKind.villages) continue;
    // A newcomer's chance of a job within a year at the tick's hiring odds (labour.ts), which
    // follow the place's vacancies per seeker; floored so that its logarithm stays finite.
    jobProb[d] = d === P.outside ? par.outsideJobProbability : Math.max(JOB_PROB_FLOOR, 1 - Math.pow(1 - ctx.scratch.hiringAvg[d], par.tpy));
    // A newcomer has no permit yet; it values the services it can expect: none, raised by the
    // yearly chance of a permit towards what permits open (so the permit levers attract too).
    const serv =
      d === P.outside ? par.outsideServices : servicesFor(w, par, d, par.servicesNone + par.permitYearChance * (par.servicesPermit - par.servicesNone));
    const amenity = P.urban[d] ? renovationAmenity(w, par, d) : 0;
    for (let s = 0; s < SKILLS; s++) {
      // The tick's wage table (labour.ts, setIncomes).
      const e = w.wageNow[d * SKILLS + s] * jobProb[d];
      expIncome[d * SKILLS + s] = e;
      arrive[d * SKILLS + s] =
        par.betaIncome * Math.log(e) - (par.betaHousing * w.rent[d]) / e + par.betaServices * serv + amenity + (d === taiyuan ? par.taiyuanBonus : 0);
    }
  }
  C.netSnapshot.set(w.network);
  for (let h = 0; h < inv.length; h++) inv[h] = 100 / Math.max(1, w.homePop[h]);
  let ref = -Infinity;
  for (let k = 0; k < arrive.length; k++) if (P.kind[Math.floor(k / SKILLS)] !== PlaceKind.villages && arrive[k] > ref) ref = arrive[k];
  for (let k = 0; k < arrive.length; k++) arriveW[k] = Math.exp(arrive[k] - ref);
  for (let c = 0; c < moveW.length; c++) moveW[c] = Math.exp(-par.moveCost[c]);
  C.ref = ref;
  C.betaNetwork = par.betaNetwork;
  C.stamp++;
  C.poolN = 0;
}

/** The index of (home county h, place d) in C.net and C.netW, computing the pair's terms if it is the tick's first use. */
function network(C: ChoiceScratch, h: number, d: number): number {
  const k = h * C.places + d;
  if (C.netStamp[k] !== C.stamp) {
    C.netStamp[k] = C.stamp;
    C.net[k] = C.betaNetwork * Math.log(1 + C.netSnapshot[k] * C.inv[h]);
    C.netW[k] = Math.exp(C.net[k]);
  }
  return k;
}

/**
 * The per-tick review rate of an agent at place p in employment state `emp`, `local` if its
 * hukou is at p: in the rest of China the rate of Shanxi people there, or of other provinces'
 * people (local there) who might come; in villages the villagers' rate; in towns by employment,
 * 0 for those out of the labour force, who do not review. Only ages min_age..max_age review.
 */
export function reviewRate(w: World, par: TickContext['params'], p: number, emp: number, local: boolean): number {
  const P = w.places;
  if (p === P.outside) return local ? par.reviewPoolTick : par.reviewOutsideTick;
  if (P.kind[p] === PlaceKind.villages) return par.reviewVillageTick;
  return emp === Emp.outOfLabourForce ? 0 : emp === Emp.unemployed ? par.reviewUnemployedTick : par.reviewTick;
}

/** Agent i reviews its situation: it weighs staying against its alternatives and moves to the best (the tick's `choiceTables` are built). */
export function review(w: World, ctx: TickContext, i: number): void {
  const A = w.agents,
    P = w.places,
    par = ctx.params,
    out = P.outside,
    C = ctx.scratch.choice;
  const alt = C.alt,
    weight = C.weight,
    draws = C.draws,
    placeKey = C.placeKey,
    ref = C.ref;
  const p = A.place[i],
    emp = A.emp[i],
    village = P.kind[p] === PlaceKind.villages;
  const hp = A.hukouPlace[i],
    h = P.county[hp];
  const taiyuan = P.cityCentral[0];
  const sk = A.skill[i];
  // Staying.
  let e: number;
  if (emp === Emp.unemployed || (emp === Emp.outOfLabourForce && !village)) e = C.expIncome[p * SKILLS + sk];
  else e = incomeOf(w, i);
  if (village && e <= 0) e = 0.3 * w.nonFarmNow;
  const serv =
    p === out
      ? par.outsideServices
      : village
        ? par.servicesVillage
        : hp === p
          ? par.servicesLocal
          : servicesFor(w, par, p, A.flags[i] & Flag.permit ? par.servicesPermit : par.servicesNone);
  let nAlts = 0;
  alt[nAlts] = p;
  weight[nAlts++] = Math.exp(
    par.betaIncome * Math.log(Math.max(1, e)) -
      (par.betaHousing * housingCost(w, i, par.tenureRentFactor)) / Math.max(1, e) +
      par.betaServices * serv +
      C.net[network(C, h, p)] +
      (hp === p ? par.homeAttachment : 0) +
      (p === taiyuan ? par.taiyuanBonus : 0) +
      (P.urban[p] ? renovationAmenity(w, par, p) : 0) -
      ref,
  );
  // Going home (no housing cost; homeUtility), then the group's newcomer alternatives but home.
  // A Shanxi person living in the rest of China values going home more with age (returnPull).
  if (hp !== p) {
    alt[nAlts] = hp;
    weight[nAlts++] = Math.exp(
      homeUtility(w, i, hp, C, par) + C.net[network(C, h, hp)] - par.moveCost[P.distance[p * P.n + hp]] + (p === out ? returnPull(par, A.age[i]) : 0) - ref,
    );
  }
  const g = newcomers(w, C, h, sk),
    moveW = C.moveW,
    dist = P.distance,
    row = p * P.n,
    poolD = C.poolD,
    poolW = C.poolW;
  for (let k = C.groupStart[g], end = k + C.groupLen[g]; k < end; k++) {
    const d = poolD[k];
    if (d === hp || d === p) continue;
    alt[nAlts] = d;
    weight[nAlts++] = poolW[k] * moveW[dist[row + d]];
  }
  // Multinomial logit as the maximum of utility plus a Gumbel draw per alternative: the largest
  // V_j - ln(-ln u_j), that is the largest exp(V_j) / (-ln u_j), one logarithm per alternative
  // with the weights exp(V_j) from the tick's tables. Each alternative's draw is keyed by the
  // place (not its position in the list), so a policy that changes one destination's utility
  // changes the choice only of the agents for whom that destination wins or loses the maximum:
  // common random numbers survive the choice.
  //
  // The logarithms are taken only where they can matter: 1 - u <= -ln u <= (1 - u) / u bounds each
  // alternative's r between w u / (1 - u) and w / (1 - u); an alternative whose upper bound is under
  // the largest lower bound cannot be the maximum, and is skipped. The others are compared in the
  // same order with the same r as without the bounds, so the choice is exactly the same.
  let floor = 0;
  for (let j = 0; j < nAlts; j++) {
    const u = drawKeyed(placeKey[alt[j]], i);
    draws[j] = u;
    const low = (weight[j] * u) / (1 - u);
    if (low > floor) floor = low;
  }
  floor *= 1 - 1e-9; // a margin far above rounding
  let d = p,
    best = -1;
  for (let j = 0; j < nAlts; j++) {
    const u = draws[j];
    if (weight[j] / (1 - u) < floor) continue;
    const r = weight[j] / -Math.log(u);
    if (r > best) {
      best = r;
      d = alt[j];
    }
  }
  if (d === p) return;
  move(w, ctx, i, d);
}

/**
 * Services of a resident without local hukou at urban place d: the base level (with or without
 * a permit) raised towards the local-hukou level by the share of non-local residents that the
 * place's transfer-funded services reach (fiscal lever, housing.ts sets the coverage).
 */
export function servicesFor(w: World, par: TickContext['params'], d: number, base: number): number {
  return base + w.coverage[d] * (par.servicesLocal - base);
}

/** Amenity of renovated old compounds at urban place d: beta x the share of its 2020 stock renovated. */
export function renovationAmenity(w: World, par: TickContext['params'], d: number): number {
  return w.compoundStock[d] > 0 ? par.betaRenovation * Math.min(1, w.compounds[d] / w.compoundStock[d]) : 0;
}

/**
 * The extra utility of going home for a Shanxi person living in the rest of China at age `age`:
 * home_attachment_outside_age_slope per year of age above home_attachment_outside_age_from (0
 * below it). Migrants go home in their forties and fifties, to care for parents or children or to
 * retire; a term of the choice, not a review rate by age, so the review band stays a class property.
 */
export function returnPull(par: TickContext['params'], age: number): number {
  return age > par.returnAgeFrom ? par.returnAgeSlope * (age - par.returnAgeFrom) : 0;
}

/** Utility of going back to the hukou place: farm income (with land rights) or local wage, local services. */
function homeUtility(w: World, i: number, d: number, C: ChoiceScratch, par: TickContext['params']): number {
  const P = w.places,
    A = w.agents;
  if (P.kind[d] === PlaceKind.villages) {
    const e = A.flags[i] & Flag.landRights ? w.farmNow[d] : 0.5 * w.nonFarmNow;
    return par.betaIncome * Math.log(e) + par.betaServices * par.servicesVillage + par.homeAttachment;
  }
  const s = A.skill[i];
  const e = C.expIncome[d * SKILLS + s];
  const local = d === P.outside ? par.outsideServices : par.servicesLocal;
  return par.betaIncome * Math.log(e) + par.betaServices * local + par.homeAttachment;
}

/** Moves agent i to d if d has housing for it; a newcomer to a town seeks work. */
function move(w: World, ctx: TickContext, i: number, d: number): void {
  const A = w.agents,
    P = w.places,
    out = P.outside,
    f = ctx.flows;
  let tenure: number = Tenure.ruralHome;
  if (P.urban[d]) {
    if (vacancy(w, d, Tenure.marketRent) >= 1) tenure = Tenure.marketRent;
    else if (vacancy(w, d, Tenure.dormitory) >= 1) tenure = Tenure.dormitory;
    else {
      f.blockedMoves[d]++;
      return;
    }
  } else if (d === out) tenure = Tenure.marketRent;
  const p = A.place[i];
  // A worker who leaves an urban job in Shanxi for a town of Shanxi changes jobs: its next hire is
  // not new employment (labour.ts, hire).
  const changesJob = A.emp[i] === Emp.urbanJob && P.urban[p] && P.urban[d];
  leavePlace(w, i);
  // A newcomer to a town or to the rest of China seeks work; a returner with land rights farms;
  // past the retirement (farm exit) age, out of the labour force (the labour rule retires people
  // only on their birthdays).
  const age = A.age[i],
    par = ctx.params;
  if (P.urban[d] || d === out) A.emp[i] = age >= par.retirementAge ? Emp.outOfLabourForce : Emp.unemployed;
  else A.emp[i] = A.flags[i] & Flag.landRights && A.hukouPlace[i] === d && age < par.farmExitAge ? Emp.farming : Emp.outOfLabourForce;
  A.flags[i] = (A.flags[i] & ~(Flag.permit | Flag.jobMover)) | (changesJob ? Flag.jobMover : 0);
  A.months[i] = 0;
  enterPlace(w, i, d, tenure);
  const nc1 = P.nCities + 1;
  f.moves[P.city[p] * nc1 + P.city[d]]++;
  f.odMoves[flowClass(P, p) * flowClasses(P.nCities) + flowClass(P, d)]++;
  if (P.urban[p]) f.urbanMoves[p]--;
  if (P.urban[d]) f.urbanMoves[d]++;
  if (P.kind[p] === PlaceKind.villages && P.kind[d] !== PlaceKind.villages && A.age[i] >= 16 && A.age[i] < 60) f.ruralTransfers[p]++;
}
