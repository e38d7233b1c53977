/**
 * The initial population of 2020-11-01, built from the census figures of the scenario. City
 * residents and urban residents are exact (to the agent scale's rounding); the splits below city
 * level and every attribute the census does not give are estimates, each described in
 * docs/model.md ("Initial population") and named in the scenario.
 */
import { Channel, drawKeyed, tickKey, worldKey } from '../core/random.js';
import { userError } from '../core/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { Emp, EMPS, Flag, Skill, Tenure, TENURES } from './agents.js';
import { MIGRANT_BANDS, ageCdf, nativeBands, sampleAge, type Bands } from './age.js';
import { PlaceKind, largestRemainder, type Places } from './places.js';
import { SECTORS, emptyWorld, type World } from './world.js';

/** Agents per place at the start, by kind of resident. */
export interface PlaceCounts {
  total: Int32Array;
  /** Rural-hukou Shanxi migrants living in an urban place. */
  migrants: Int32Array;
  /** Non-Shanxi hukou residents (all in urban places). */
  nonShanxi: Int32Array;
  /** Urban-hukou residents living in a village. */
  villageUrbanHukou: Int32Array;
  outsideUrbanHukou: number;
  outsideRuralHukou: number;
  pool: number;
}

/** Splits each city's residents over its places and its people over kinds of resident. */
export function placeCounts(sc: Scenario, places: Places): PlaceCounts {
  const s = sc.scale, w = sc.world, st = w.settlement, pv = w.province;
  const total = new Int32Array(places.n);
  w.cities.forEach((city, c) => {
    const nRes = Math.round(city.residents.value / s), nUrb = Math.round(city.urban.value / s);
    const urbanPlaces: number[] = [], urbanWeights: number[] = [], villages: number[] = [];
    let fixed = 0;
    for (let p = 0; p < places.n; p++) {
      if (places.city[p] !== c) continue;
      if (places.kind[p] === PlaceKind.villages) villages.push(p);
      else if (places.kind[p] === PlaceKind.countyTown) {
        const persons = places.classOf[p] === 'small_1' ? st.county_town_persons_small_1.value : st.county_town_persons_small_2.value;
        urbanPlaces.push(p); urbanWeights.push(persons); fixed += persons;
      }
    }
    const towns = st.other_towns_share_of_urban.value * city.urban.value;
    const central = city.urban.value - fixed - towns;
    if (central < 0.05 * city.urban.value) {
      throw userError({ code: 'inconsistent', path: `world.cities[${c}].urban`, expected: 'urban residents above the county-town and town-seat estimates', found: `${city.urban.value}, leaving ${Math.round(central)} for the central districts` });
    }
    urbanPlaces.push(places.cityCentral[c], places.cityOtherTowns[c]);
    urbanWeights.push(central, towns);
    largestRemainder(nUrb, urbanWeights).forEach((k, i) => (total[urbanPlaces[i]] = k));
    // Rural residents: an equal share per county (district area included), for lack of county data.
    largestRemainder(nRes - nUrb, villages.map(() => 1)).forEach((k, i) => (total[villages[i]] = k));
  });
  const urban: number[] = [], urbanW: number[] = [], vil: number[] = [], vilW: number[] = [];
  for (let p = 0; p < places.n; p++) {
    if (places.urban[p]) { urban.push(p); urbanW.push(total[p]); }
    else if (places.kind[p] === PlaceKind.villages) { vil.push(p); vilW.push(total[p]); }
  }
  const rural = pv.residents.value - pv.urban.value;
  const hukouHolders = pv.residents.value - pv.from_other_provinces.value + pv.outside_stock.value;
  const urbanHukou = (pv.hukou_urbanization_rate.value / 100) * hukouHolders;
  const outUrban = pv.outside_urban_hukou_share.value * pv.outside_stock.value;
  const vilUrban = pv.village_urban_hukou_share.value * rural;
  const localUrban = urbanHukou - outUrban - vilUrban;
  const migrantsPersons = pv.urban.value - localUrban - pv.from_other_provinces.value;
  if (migrantsPersons < 0) {
    throw userError({ code: 'inconsistent', path: 'world.province.hukou_urbanization_rate', expected: 'urban hukou holders fewer than urban residents', found: `${pv.hukou_urbanization_rate.value}% implies ${Math.round(localUrban)} urban-hukou urban residents` });
  }
  const spread = (persons: number, idx: number[], weights: number[]) => {
    const out = new Int32Array(places.n);
    largestRemainder(Math.round(persons / s), weights).forEach((k, i) => (out[idx[i]] = Math.min(k, total[idx[i]])));
    return out;
  };
  const nonShanxi = spread(pv.from_other_provinces.value, urban, urbanW);
  const migrants = spread(migrantsPersons, urban, urbanW);
  for (const p of urban) migrants[p] = Math.min(migrants[p], total[p] - nonShanxi[p]);
  return {
    total, migrants, nonShanxi,
    villageUrbanHukou: spread(vilUrban, vil, vilW),
    outsideUrbanHukou: Math.round(outUrban / s),
    outsideRuralHukou: Math.round((pv.outside_stock.value - outUrban) / s),
    pool: Math.round(pv.in_migrant_pool.value / s),
  };
}

/** A sampler of places proportional to weights (binary search on the cumulative weights). */
function sampler(idx: number[], weights: number[]): (u: number) => number {
  const cum = new Float64Array(idx.length);
  let t = 0;
  weights.forEach((w, i) => (cum[i] = t += w));
  return (u) => {
    const x = u * t;
    let lo = 0, hi = idx.length - 1;
    while (lo < hi) { const m = (lo + hi) >> 1; if (cum[m] > x) hi = m; else lo = m + 1; }
    return idx[lo];
  };
}

function cityBands(sc: Scenario, c: number): Bands {
  const a = sc.world.cities[c].age ?? sc.world.province.age;
  let b: Bands = [a.age_0_14.value, a.age_15_59.value, a.age_60_plus.value - a.age_65_plus.value, a.age_65_plus.value];
  const s65 = sc.world.cities[c].share_65_plus;
  if (!sc.world.cities[c].age && s65) b = [b[0], b[1] - (s65.value - b[3]), b[2], s65.value];
  return b;
}

/** Builds the world of 2020-11-01: places, agents with every attribute, and the stocks around them. */
export function buildPopulation(sc: Scenario, places: Places, headroom: (agents: number) => number): World {
  const counts = placeCounts(sc, places);
  const n0 = counts.total.reduce((a, b) => a + b, 0) + counts.outsideUrbanHukou + counts.outsideRuralHukou + counts.pool;
  const world = emptyWorld(places, sc.scale, n0 + headroom(n0));
  const A = world.agents;
  const key = worldKey(sc.seed);
  const k = (ch: number) => tickKey(key, 0, Channel.init + ch);
  const kAge = k(1), kSex = k(2), kOrigin = k(3), kOriginCity = k(4), kMonths = k(5);
  const pv = sc.world.province, st = sc.world.settlement;
  const femaleShare = pv.female.value / (pv.female.value + pv.male.value);

  const villagesOf = (pred: (p: number) => boolean) => {
    const idx: number[] = [], w: number[] = [];
    for (let p = 0; p < places.n; p++) if (places.kind[p] === PlaceKind.villages && pred(p)) { idx.push(p); w.push(counts.total[p]); }
    return sampler(idx, w);
  };
  const anyVillage = villagesOf(() => true);
  const cityVillage = Array.from(places.cityCentral, (_, c) => villagesOf((p) => places.city[p] === c));
  const urbanIdx: number[] = [], urbanW: number[] = [];
  for (let p = 0; p < places.n; p++) if (places.urban[p]) { urbanIdx.push(p); urbanW.push(counts.total[p]); }
  const anyUrban = sampler(urbanIdx, urbanW);

  const migrantCdf = ageCdf(MIGRANT_BANDS);
  const add = (place: number, hukou: number, urbanHukou: boolean, migrant: boolean, cdf: Float64Array) => {
    const id = A.add();
    A.place[id] = place; A.hukouPlace[id] = hukou;
    A.age[id] = sampleAge(migrant ? migrantCdf : cdf, drawKeyed(kAge, id));
    let f = 0;
    if (urbanHukou) f |= Flag.urbanHukou;
    else if (hukou !== places.outside) f |= Flag.landRights;
    if (drawKeyed(kSex, id) < femaleShare) f |= Flag.female;
    A.flags[id] = f;
    A.months[id] = migrant ? Math.floor(drawKeyed(kMonths, id) * 120) : 600;
  };

  for (let c = 0; c < places.nCities; c++) {
    let cityTotal = 0, cityMigr = 0;
    for (let p = 0; p < places.n; p++) if (places.city[p] === c) { cityTotal += counts.total[p]; cityMigr += counts.migrants[p] + counts.nonShanxi[p]; }
    const cdf = ageCdf(nativeBands(cityBands(sc, c), cityTotal, cityMigr));
    for (let p = 0; p < places.n; p++) {
      if (places.city[p] !== c) continue;
      const n = counts.total[p];
      if (places.urban[p]) {
        const ns = counts.nonShanxi[p], mg = counts.migrants[p];
        const home = places.countyVillages[places.county[p]];
        for (let i = 0; i < ns; i++) add(p, places.outside, false, true, cdf);
        for (let i = 0; i < mg; i++) {
          const id = A.count, u = drawKeyed(kOrigin, id);
          const origin = u < st.migrant_origin_same_county.value ? home
            : u < st.migrant_origin_same_county.value + st.migrant_origin_same_city.value ? cityVillage[c](drawKeyed(kOriginCity, id))
            : anyVillage(drawKeyed(kOriginCity, id));
          add(p, origin, false, true, cdf);
        }
        for (let i = ns + mg; i < n; i++) add(p, p, true, false, cdf);
      } else {
        const uh = counts.villageUrbanHukou[p], town = places.countyTown[places.county[p]];
        for (let i = 0; i < uh; i++) add(p, town, true, false, cdf);
        for (let i = uh; i < n; i++) add(p, p, false, false, cdf);
      }
    }
  }
  const out = places.outside;
  for (let i = 0; i < counts.outsideUrbanHukou; i++) add(out, anyUrban(drawKeyed(kOrigin, A.count)), true, true, migrantCdf);
  for (let i = 0; i < counts.outsideRuralHukou; i++) add(out, anyVillage(drawKeyed(kOrigin, A.count)), false, true, migrantCdf);
  for (let i = 0; i < counts.pool; i++) add(out, out, false, true, migrantCdf);

  assignSkills(sc, world, key);
  assignEmployment(sc, world, key);
  assignTenure(sc, world, key);
  groupAgents(world);
  fillStocks(sc, world);
  return world;
}

/** Groups of agents within a place: employment (5) x tenure (7) x local hukou (2) x age band (3). */
const GROUPS = EMPS * TENURES * 2 * 3;

/**
 * Orders the agents of each place (already contiguous: they are built place by place) by
 * employment, tenure, local hukou and age band (under 16, 16-59, 60 and over), a stable counting
 * sort: within a group the build's order stays, in which sex and age are random. Neighbouring
 * agents then take the same branches in the rules' loops, which the processor predicts: one run
 * of the baseline measured 15.6 M agent-ticks/s without this order, 19.6 with it (medians of 7
 * runs). Sex and age are left out of the key on purpose: where a stock runs short (vacant jobs,
 * vacant homes), agents with lower ids are served first, so ordering by sex or age would serve
 * men or the young first (a finer key with sex and age was no faster). A relabelling of the same population: ids, and so
 * every keyed draw of a run, follow the new order. It works one place at a time, so it needs
 * scratch memory for the largest place only.
 */
function groupAgents(w: World): void {
  const A = w.agents, n = A.count;
  const counts = new Int32Array(GROUPS + 1);
  let perm = new Int32Array(0), scratch = new Uint8Array(0);
  const groupOf = (i: number) => ((A.emp[i] * TENURES + A.tenure[i]) * 2 + (A.hukouPlace[i] === A.place[i] ? 1 : 0)) * 3 + (A.age[i] < 16 ? 0 : A.age[i] < 60 ? 1 : 2);
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && A.place[end] === A.place[start]) end++;
    const len = end - start;
    counts.fill(0);
    for (let i = start; i < end; i++) counts[groupOf(i) + 1]++;
    for (let g = 0; g < GROUPS; g++) counts[g + 1] += counts[g];
    if (perm.length < len) { perm = new Int32Array(len); scratch = new Uint8Array(len * 2); }
    // perm[j] = the agent that goes to position start + j.
    for (let i = start; i < end; i++) perm[counts[groupOf(i)]++] = i;
    const permute = <T extends Uint8Array | Uint16Array>(col: T, Make: new (b: ArrayBuffer, o: number, l: number) => T) => {
      const tmp = new Make(scratch.buffer as ArrayBuffer, 0, len);
      for (let j = 0; j < len; j++) tmp[j] = col[perm[j]];
      col.set(tmp, start);
    };
    permute(A.place, Uint16Array); permute(A.hukouPlace, Uint16Array); permute(A.age, Uint8Array); permute(A.skill, Uint8Array);
    permute(A.emp, Uint8Array); permute(A.tenure, Uint8Array); permute(A.flags, Uint8Array); permute(A.months, Uint16Array);
    start = end;
  }
}

/** Whether agent i lives away from its hukou place (a migrant in the census sense). */
const isMigrant = (w: World, i: number) => w.agents.hukouPlace[i] !== w.agents.place[i];

/**
 * Education: university (skill high) and senior high (mid) shares of the census, spread with
 * weights that favour the young and the urban (estimates), scaled so the totals match.
 */
function assignSkills(sc: Scenario, w: World, key: number): void {
  const A = w.agents, P = w.places;
  const ageW = (a: number) => (a < 22 ? 0.5 : a < 35 ? 1.6 : a < 45 ? 1.2 : a < 55 ? 0.8 : a < 65 ? 0.5 : 0.25);
  const placeW = (p: number) => (P.urban[p] || p === P.outside ? 1.6 : 0.4);
  const pv = sc.world.province;
  const adults = (i: number) => A.age[i] >= 15;
  let sumHigh = 0, sumMid = 0;
  for (let i = 0; i < A.count; i++) if (adults(i)) { sumHigh += ageW(A.age[i]) * placeW(A.place[i]); sumMid += A.age[i] < 55 ? 1 : 0.5; }
  const nAll = A.count;
  const kHigh = ((pv.university_per_100k.value / 1e5) * nAll) / sumHigh;
  const kMid = ((pv.senior_high_per_100k.value / 1e5) * nAll) / sumMid;
  const kh = tickKey(key, 0, Channel.init + 10);
  for (let i = 0; i < A.count; i++) {
    if (!adults(i)) { A.skill[i] = Skill.low; continue; }
    const u = drawKeyed(kh, i);
    const pH = Math.min(1, kHigh * ageW(A.age[i]) * placeW(A.place[i]));
    const pM = Math.min(1 - pH, kMid * (A.age[i] < 55 ? 1 : 0.5));
    A.skill[i] = u < pH ? Skill.high : u < pH + pM ? Skill.mid : Skill.low;
  }
}

/**
 * Employment: the urban labour force is sized from the urban employed and the unemployment rate,
 * the rural employed from the province total less the urban, split farm / local non-farm by the
 * primary-sector share. Weights by age and migrant status (estimates) decide who is in work.
 */
function assignEmployment(sc: Scenario, w: World, key: number): void {
  const A = w.agents, P = w.places, pv = sc.world.province, lab = sc.behaviour.labour, s = sc.scale;
  const urbanAgeW = (a: number) => (a < 16 || a >= lab.retirement_age.value ? 0 : a < 20 ? 0.4 : a < 25 ? 0.8 : a < 55 ? 1 : 0.6);
  const ruralAgeW = (a: number) => (a < 16 || a >= lab.farm_exit_age.value ? 0 : a < 20 ? 0.4 : a < 60 ? 1 : 0.7);
  const u = pv.urban_unemployment_rate.value / 100;
  const lfTarget = pv.urban_employed.value / (1 - u) / s;
  const ruralTarget = (pv.employed.value - pv.urban_employed.value) / s;
  const farmShare = Math.min(1, ((pv.farm_share_of_employed.value / 100) * pv.employed.value) / (pv.employed.value - pv.urban_employed.value));
  let sumU = 0, sumR = 0;
  for (let i = 0; i < A.count; i++) {
    const p = A.place[i];
    if (P.urban[p]) sumU += urbanAgeW(A.age[i]) * (isMigrant(w, i) ? 1.25 : 1);
    else if (P.kind[p] === PlaceKind.villages) sumR += ruralAgeW(A.age[i]);
  }
  const kU = lfTarget / sumU, kR = ruralTarget / sumR;
  const kd = tickKey(key, 0, Channel.init + 20), ke = tickKey(key, 0, Channel.init + 21), ks = tickKey(key, 0, Channel.init + 22);
  for (let i = 0; i < A.count; i++) {
    const p = A.place[i], age = A.age[i], d = drawKeyed(kd, i), e = drawKeyed(ke, i);
    let emp: number = Emp.outOfLabourForce;
    if (P.urban[p]) {
      if (d < Math.min(1, kU * urbanAgeW(age) * (isMigrant(w, i) ? 1.25 : 1))) emp = e < u ? Emp.unemployed : Emp.urbanJob;
    } else if (P.kind[p] === PlaceKind.villages) {
      if (d < Math.min(1, kR * ruralAgeW(age))) emp = e < farmShare && A.flags[i] & Flag.landRights ? Emp.farming : Emp.localNonFarm;
    } else if (age >= 16 && age < lab.retirement_age.value) {
      emp = d < sc.behaviour.migration.outside_job_probability.value ? Emp.urbanJob : Emp.unemployed;
    }
    A.emp[i] = emp;
    if (emp === Emp.urbanJob && drawKeyed(ks, i) < lab.services_share_of_urban_jobs.value) A.flags[i] |= Flag.services;
  }
}

/** Housing tenure and residence permits (shares from the scenario's settlement section, estimates). */
function assignTenure(sc: Scenario, w: World, key: number): void {
  const A = w.agents, P = w.places, st = sc.world.settlement, pv = sc.world.province;
  const pPublic = (pv.public_rental_units.value * pv.persons_per_unit.value) / pv.urban.value;
  const kt = tickKey(key, 0, Channel.init + 30), kp = tickKey(key, 0, Channel.init + 31);
  for (let i = 0; i < A.count; i++) {
    const p = A.place[i];
    if (!P.urban[p]) { A.tenure[i] = p === P.outside ? Tenure.marketRent : Tenure.ruralHome; continue; }
    const u = drawKeyed(kt, i);
    let t: number;
    if (u < pPublic) t = Tenure.publicRental;
    else {
      const v = (u - pPublic) / (1 - pPublic);
      if (!isMigrant(w, i)) t = v < st.urban_hukou_owner_share.value ? Tenure.owned : Tenure.marketRent;
      else if (v < st.migrant_owner_share.value) t = Tenure.owned;
      else if (A.emp[i] === Emp.urbanJob && v < st.migrant_owner_share.value + st.migrant_dormitory_share.value) t = Tenure.dormitory;
      else t = Tenure.marketRent;
    }
    A.tenure[i] = t;
    if (isMigrant(w, i) && drawKeyed(kp, i) < st.permit_coverage_2020.value) A.flags[i] |= Flag.permit;
  }
}

/** Counts the stocks around the agents: jobs, housing, population, networks, wages and rents. */
function fillStocks(sc: Scenario, w: World): void {
  const A = w.agents, P = w.places, st = sc.world.settlement;
  for (let i = 0; i < A.count; i++) {
    const p = A.place[i];
    w.pop[p]++;
    if (A.hukouPlace[i] === p) w.localHukou[p]++;
    w.occupied[p * TENURES + A.tenure[i]]++;
    const home = P.county[A.hukouPlace[i]];
    w.network[home * P.n + p]++;
    w.homePop[home]++;
    if (A.emp[i] === Emp.urbanJob && P.urban[p]) w.jobsFilled[p * SECTORS + (A.flags[i] & Flag.services ? 1 : 0)]++;
    if (A.emp[i] === Emp.localNonFarm) w.ruralJobsFilled[p]++;
    if (A.emp[i] === Emp.farming) w.farmersAtStart[p]++;
  }
  for (let p = 0; p < P.n; p++) {
    for (let s = 0; s < SECTORS; s++) w.jobs[p * SECTORS + s] = w.jobsFilled[p * SECTORS + s] / (1 - st.job_vacancy.value);
    w.ruralJobs[p] = w.ruralJobsFilled[p];
    const o = (t: number) => w.occupied[p * TENURES + t];
    const h = (t: number, v: number) => (w.housing[p * TENURES + t] = v);
    if (P.urban[p]) {
      h(Tenure.marketRent, o(Tenure.marketRent) / (1 - st.market_vacancy.value));
      h(Tenure.owned, o(Tenure.owned) / (1 - st.owned_vacancy.value));
      h(Tenure.publicRental, o(Tenure.publicRental));
      h(Tenure.dormitory, o(Tenure.dormitory) / (1 - st.market_vacancy.value));
      h(Tenure.affordableRental, 0);
    }
  }
  setUnlimitedHousing(w);
  setPrices(sc, w);
  let urbanPop = 0;
  for (let p = 0; p < P.n; p++) if (P.urban[p]) urbanPop += w.pop[p];
  for (let p = 0; p < P.n; p++) if (P.urban[p]) w.compoundStock[p] = (sc.behaviour.housing.old_compounds_2020.value * w.pop[p]) / urbanPop;
}

/** Everyone has a rural home to go back to; the outside world is not capacity-limited. */
export function setUnlimitedHousing(w: World): void {
  const P = w.places;
  for (let p = 0; p < P.n; p++) {
    if (P.urban[p]) continue;
    w.housing[p * TENURES + Tenure.ruralHome] = Number.MAX_SAFE_INTEGER;
    w.housing[p * TENURES + Tenure.marketRent] = p === P.outside ? Number.MAX_SAFE_INTEGER : 0;
  }
}

/**
 * 2020 wages and rents: a city's 2019 wage scaled to 2020 by the province's wage change, times the
 * tier factor (county towns, other towns); rent a share of the local wage; outside Shanxi, the
 * province's wage times the outside wage factor. Current rent starts at the base rent.
 */
export function setPrices(sc: Scenario, w: World): void {
  const P = w.places, pv = sc.world.province, lab = sc.behaviour.labour, m = sc.behaviour.migration;
  const wageScale = pv.wage_2020.value / pv.wage_2019.value;
  for (let p = 0; p < P.n; p++) {
    if (P.urban[p]) {
      const tierF = P.kind[p] === PlaceKind.central ? 1 : P.kind[p] === PlaceKind.countyTown ? lab.tier_wage_factor_county_town.value : lab.tier_wage_factor_other_towns.value;
      w.baseWage[p] = sc.world.cities[P.city[p]].wage_2019.value * wageScale * tierF;
      w.baseRent[p] = sc.behaviour.housing.rent_share_of_wage.value * w.baseWage[p];
    } else if (p === P.outside) {
      w.baseWage[p] = pv.wage_2020.value * m.outside_wage_factor.value;
      w.baseRent[p] = m.outside_rent_share.value * w.baseWage[p];
    }
    w.rent[p] = w.baseRent[p];
  }
}
