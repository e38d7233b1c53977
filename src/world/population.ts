/**
 * The initial population of 2020-11-01, built from the census figures of the scenario. City
 * residents and urban residents are exact (to the agent scale's rounding); the splits below city
 * level and every attribute the census does not give are estimates, each described in
 * docs/model.md ("Initial population") and named in the scenario.
 */
import { Channel, drawKeyed, tickKey, worldKey } from '../core/random.js';
import { userError } from '../core/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { Emp, Flag, Skill, Tenure, TENURES, forSlices } from './agents.js';
import { CdfSampler, MIGRANT_BANDS, ageCdf, nativeBands, type Bands } from './age.js';
import { PlaceKind, largestRemainder, type Places } from './places.js';
import { groupAgents } from './group.js';
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

/** A sampler of places proportional to weights (the inverse of the cumulative weights). */
function sampler(idx: number[], weights: number[]): (u: number) => number {
  const cum = new Float64Array(idx.length);
  let t = 0;
  weights.forEach((w, i) => (cum[i] = t += w));
  const inverse = new CdfSampler(cum, t);
  return (u) => idx[inverse.index(u)];
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

  const migrantAges = new CdfSampler(ageCdf(MIGRANT_BANDS));
  // Agents are appended in id order straight into the columns, held in locals: emptyWorld made
  // room for n0 + headroom(n0) agents (headroom >= 0) and exactly n0 are added, so the columns
  // never grow here.
  const place = A.place, hukouPlace = A.hukouPlace, age = A.age, flags = A.flags, months = A.months;
  let id = 0;
  /**
   * Appends n agents living at `at` with the hukou flags `hukouFlags` (urban hukou, or land rights
   * for a rural hukou in Shanxi) and their hukou at `hukou`; with hukou -1 the caller writes each
   * agent's hukou place afterwards. Migrants take the migrant age distribution (else `ages`) and up
   * to ten years in the place (else 50). None for n <= 0.
   */
  const addAgents = (n: number, at: number, hukou: number, hukouFlags: number, migrant: boolean, ages: CdfSampler) => {
    const ageSampler = migrant ? migrantAges : ages, end = Math.max(id, id + n);
    for (let i = id; i < end; i++) {
      place[i] = at;
      if (hukou >= 0) hukouPlace[i] = hukou;
      age[i] = ageSampler.index(drawKeyed(kAge, i));
      // Number(a < b) compiles without a branch, which the unpredictable draw would mispredict half the time.
      flags[i] = hukouFlags | (Number(drawKeyed(kSex, i) < femaleShare) * Flag.female);
      months[i] = migrant ? Math.floor(drawKeyed(kMonths, i) * 120) : 600;
    }
    id = end;
  };

  const out = places.outside;
  const sameCounty = st.migrant_origin_same_county.value, sameCity = st.migrant_origin_same_city.value;
  /** Writes the hukou places of the Shanxi migrants [from, to): villages of their own county (`home`), their city's or any. */
  const migrantOrigins = (from: number, to: number, home: number, cityVillages: (u: number) => number) => {
    for (let i = from; i < to; i++) {
      const u = drawKeyed(kOrigin, i);
      hukouPlace[i] = u < sameCounty ? home
        : u < sameCounty + sameCity ? cityVillages(drawKeyed(kOriginCity, i))
        : anyVillage(drawKeyed(kOriginCity, i));
    }
  };
  for (let c = 0; c < places.nCities; c++) {
    let cityTotal = 0, cityMigr = 0;
    for (let p = 0; p < places.n; p++) if (places.city[p] === c) { cityTotal += counts.total[p]; cityMigr += counts.migrants[p] + counts.nonShanxi[p]; }
    const ages = new CdfSampler(ageCdf(nativeBands(cityBands(sc, c), cityTotal, cityMigr)));
    for (let p = 0; p < places.n; p++) {
      if (places.city[p] !== c) continue;
      const n = counts.total[p];
      if (places.urban[p]) {
        const ns = counts.nonShanxi[p], mg = counts.migrants[p];
        const home = places.countyVillages[places.county[p]];
        addAgents(ns, p, out, 0, true, ages);
        // Shanxi migrants, from villages (so with land rights).
        const firstMigrant = id;
        addAgents(mg, p, -1, Flag.landRights, true, ages);
        migrantOrigins(firstMigrant, id, home, cityVillage[c]);
        addAgents(n - ns - mg, p, p, Flag.urbanHukou, false, ages);
      } else {
        const uh = counts.villageUrbanHukou[p], town = places.countyTown[places.county[p]];
        addAgents(uh, p, town, Flag.urbanHukou, false, ages);
        addAgents(n - uh, p, p, Flag.landRights, false, ages);
      }
    }
  }
  // Shanxi hukou holders outside the province (urban hukou from an urban place, rural from a village), then the pool.
  const firstUrbanHukou = id;
  addAgents(counts.outsideUrbanHukou, out, -1, Flag.urbanHukou, true, migrantAges);
  for (let i = firstUrbanHukou; i < id; i++) hukouPlace[i] = anyUrban(drawKeyed(kOrigin, i));
  const firstRuralHukou = id;
  addAgents(counts.outsideRuralHukou, out, -1, Flag.landRights, true, migrantAges);
  for (let i = firstRuralHukou; i < id; i++) hukouPlace[i] = anyVillage(drawKeyed(kOrigin, i));
  addAgents(counts.pool, out, out, 0, true, migrantAges);
  A.count = id;

  assignSkills(sc, world, key);
  assignEmployment(sc, world, key);
  assignTenure(sc, world, key);
  groupAgents(world);
  fillStocks(sc, world);
  return world;
}

/** The values of f at every age a column can hold (0..255), to read in the per-agent loops instead of evaluating f per agent. */
function byAge(f: (a: number) => number): Float64Array {
  return Float64Array.from({ length: 256 }, (_, a) => f(a));
}

/**
 * Education: university (skill high) and senior high (mid) shares of the census, spread with
 * weights that favour the young and the urban (estimates), scaled so the totals match.
 */
function assignSkills(sc: Scenario, w: World, key: number): void {
  const A = w.agents, P = w.places, n = A.count;
  const place = A.place, age = A.age, skill = A.skill;
  // Tables of the same values as the weights ageW(a), placeW(p) and the mid weight (a < 55 ? 1 :
  // 0.5), products taken in the same order. Children (under 15) read 0 from highW and midW: the
  // sums add +0 for them, which leaves them as they are, instead of branching on age (ages are in
  // random order, the branch would be mispredicted).
  const highW = byAge((a) => (a < 15 ? 0 : a < 22 ? 0.5 : a < 35 ? 1.6 : a < 45 ? 1.2 : a < 55 ? 0.8 : a < 65 ? 0.5 : 0.25));
  const midW = byAge((a) => (a < 15 ? 0 : a < 55 ? 1 : 0.5));
  const placeW = Float64Array.from({ length: P.n }, (_, p) => (P.urban[p] || p === P.outside ? 1.6 : 0.4));
  const pv = sc.world.province;
  let sumHigh = 0, sumMid = 0;
  forSlices(n, (from, to) => {
    let high = sumHigh, mid = sumMid;
    for (let i = from; i < to; i++) {
      const a = age[i];
      high += highW[a] * placeW[place[i]];
      mid += midW[a];
    }
    sumHigh = high; sumMid = mid;
  });
  const kHigh = ((pv.university_per_100k.value / 1e5) * n) / sumHigh;
  const kMid = ((pv.senior_high_per_100k.value / 1e5) * n) / sumMid;
  const kh = tickKey(key, 0, Channel.init + 10);
  forSlices(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const a = age[i];
      if (a < 15) { skill[i] = Skill.low; continue; }
      const u = drawKeyed(kh, i);
      const pH = Math.min(1, kHigh * highW[a] * placeW[place[i]]);
      const pM = Math.min(1 - pH, kMid * midW[a]);
      // high if u < pH, else mid if u < pH + pM, else low, without branches: pM >= 0 (kMid >= 0 as
      // the census counts are, pH <= 1), so u < pH implies u < pH + pM, and the sum counts 2
      // (Skill.high), 1 (mid) or 0 (low).
      skill[i] = Number(u < pH) + Number(u < pH + pM);
    }
  });
}

/**
 * Employment: the urban labour force is sized from the urban employed and the unemployment rate,
 * the rural employed from the province total less the urban, split farm / local non-farm by the
 * primary-sector share. Weights by age and migrant status (estimates) decide who is in work.
 */
function assignEmployment(sc: Scenario, w: World, key: number): void {
  const A = w.agents, P = w.places, pv = sc.world.province, lab = sc.behaviour.labour, s = sc.scale, n = A.count;
  const place = A.place, hukouPlace = A.hukouPlace, age = A.age, emp = A.emp, flags = A.flags;
  const urban = P.urban, kind = P.kind;
  const retirementAge = lab.retirement_age.value, farmExitAge = lab.farm_exit_age.value;
  // Tables of the same values as the weight functions urbanAgeW(a) and ruralAgeW(a).
  const urbanAgeW = byAge((a) => (a < 16 || a >= retirementAge ? 0 : a < 20 ? 0.4 : a < 25 ? 0.8 : a < 55 ? 1 : 0.6));
  const ruralAgeW = byAge((a) => (a < 16 || a >= farmExitAge ? 0 : a < 20 ? 0.4 : a < 60 ? 1 : 0.7));
  // The weight of a migrant (1.25) or not (1), read by Number(migrant) rather than a branch, which is unpredictable.
  const migrantW = Float64Array.of(1, 1.25);
  const u = pv.urban_unemployment_rate.value / 100;
  const lfTarget = pv.urban_employed.value / (1 - u) / s;
  const ruralTarget = (pv.employed.value - pv.urban_employed.value) / s;
  const farmShare = Math.min(1, ((pv.farm_share_of_employed.value / 100) * pv.employed.value) / (pv.employed.value - pv.urban_employed.value));
  const outsideJob = sc.behaviour.migration.outside_job_probability.value, services = lab.services_share_of_urban_jobs.value;
  let sumU = 0, sumR = 0;
  forSlices(n, (from, to) => {
    let su = sumU, sr = sumR;
    for (let i = from; i < to; i++) {
      const p = place[i];
      if (urban[p]) su += urbanAgeW[age[i]] * migrantW[Number(hukouPlace[i] !== p)];
      else if (kind[p] === PlaceKind.villages) sr += ruralAgeW[age[i]];
    }
    sumU = su; sumR = sr;
  });
  const kU = lfTarget / sumU, kR = ruralTarget / sumR;
  const kd = tickKey(key, 0, Channel.init + 20), ke = tickKey(key, 0, Channel.init + 21), ks = tickKey(key, 0, Channel.init + 22);
  // The draw of channel 21 (ke) is made only where it decides something (a keyed draw depends on nothing else).
  forSlices(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const p = place[i], a = age[i], d = drawKeyed(kd, i);
      let state: number = Emp.outOfLabourForce;
      if (urban[p]) {
        if (d < Math.min(1, kU * urbanAgeW[a] * migrantW[Number(hukouPlace[i] !== p)])) state = drawKeyed(ke, i) < u ? Emp.unemployed : Emp.urbanJob;
      } else if (kind[p] === PlaceKind.villages) {
        if (d < Math.min(1, kR * ruralAgeW[a])) state = drawKeyed(ke, i) < farmShare && flags[i] & Flag.landRights ? Emp.farming : Emp.localNonFarm;
      } else if (a >= 16 && a < retirementAge) {
        state = d < outsideJob ? Emp.urbanJob : Emp.unemployed;
      }
      emp[i] = state;
      if (state === Emp.urbanJob) flags[i] |= Number(drawKeyed(ks, i) < services) * Flag.services;
    }
  });
}

/** Housing tenure and residence permits (shares from the scenario's settlement section, estimates). */
function assignTenure(sc: Scenario, w: World, key: number): void {
  const A = w.agents, P = w.places, st = sc.world.settlement, pv = sc.world.province, n = A.count;
  const place = A.place, hukouPlace = A.hukouPlace, emp = A.emp, tenure = A.tenure, flags = A.flags;
  const urban = P.urban, outside = P.outside;
  const ownerLocal = st.urban_hukou_owner_share.value, ownerMigrant = st.migrant_owner_share.value;
  const dormitory = st.migrant_dormitory_share.value, permits = st.permit_coverage_2020.value;
  const pPublic = (pv.public_rental_units.value * pv.persons_per_unit.value) / pv.urban.value;
  const kt = tickKey(key, 0, Channel.init + 30), kp = tickKey(key, 0, Channel.init + 31);
  forSlices(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const p = place[i];
      if (!urban[p]) { tenure[i] = p === outside ? Tenure.marketRent : Tenure.ruralHome; continue; }
      const u = drawKeyed(kt, i), migrant = hukouPlace[i] !== p;
      let t: number;
      if (u < pPublic) t = Tenure.publicRental;
      else {
        const v = (u - pPublic) / (1 - pPublic);
        if (!migrant) t = v < ownerLocal ? Tenure.owned : Tenure.marketRent;
        else if (v < ownerMigrant) t = Tenure.owned;
        else if (emp[i] === Emp.urbanJob && v < ownerMigrant + dormitory) t = Tenure.dormitory;
        else t = Tenure.marketRent;
      }
      tenure[i] = t;
      if (migrant) flags[i] |= Number(drawKeyed(kp, i) < permits) * Flag.permit;
    }
  });
}

/** Counts the stocks around the agents: jobs, housing, population, networks, wages and rents. */
function fillStocks(sc: Scenario, w: World): void {
  const A = w.agents, P = w.places, st = sc.world.settlement, n = A.count, nPlaces = P.n;
  const place = A.place, hukouPlace = A.hukouPlace, tenure = A.tenure, emp = A.emp, flags = A.flags;
  const urban = P.urban, county = P.county;
  const pop = w.pop, localHukou = w.localHukou, occupied = w.occupied, network = w.network, homePop = w.homePop;
  const jobsFilled = w.jobsFilled, ruralJobsFilled = w.ruralJobsFilled, farmersAtStart = w.farmersAtStart;
  forSlices(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const p = place[i], e = emp[i];
      pop[p]++;
      if (hukouPlace[i] === p) localHukou[p]++;
      occupied[p * TENURES + tenure[i]]++;
      const home = county[hukouPlace[i]];
      network[home * nPlaces + p]++;
      homePop[home]++;
      if (e === Emp.urbanJob && urban[p]) jobsFilled[p * SECTORS + (flags[i] & Flag.services ? 1 : 0)]++;
      if (e === Emp.localNonFarm) ruralJobsFilled[p]++;
      if (e === Emp.farming) farmersAtStart[p]++;
    }
  });
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
