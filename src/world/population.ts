/**
 * The initial population of 2020-11-01, built from the census figures of the scenario: the agents
 * of each place (counts.ts), with their ages, sexes, hukou places and months in place drawn here,
 * then their other attributes (attributes.ts) and the stocks around them (stocks.ts). Every
 * attribute the census does not give is an estimate, described in docs/model.md ("Initial
 * population") and named in the scenario.
 */
import { Channel, drawKeyed, tickKey, worldKey } from '../core/random.js';
import type { Scenario } from '../scenario/schema.js';
import { Flag } from './agents.js';
import { CdfSampler, MIGRANT_BANDS, ageCdf, nativeBands, type Bands } from './age.js';
import { assignEmployment, assignSkills, assignTenure } from './attributes.js';
import { placeCounts } from './counts.js';
import { assignMothers } from './family.js';
import { groupAgents } from './group.js';
import { PlaceKind, type Places } from './places.js';
import { fillStocks } from './stocks.js';
import { emptyWorld, type World } from './world.js';

/** A sampler of places proportional to weights (the inverse of the cumulative weights). */
function sampler(idx: number[], weights: number[]): (u: number) => number {
  const cum = new Float64Array(idx.length);
  let t = 0;
  weights.forEach((w, i) => (cum[i] = t += w));
  const inverse = new CdfSampler(cum, t);
  return (u) => idx[inverse.index(u)];
}

/** The census age bands of city c (its own, else the province's, with its 65+ share where given). */
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
  const kAge = k(1),
    kSex = k(2),
    kOrigin = k(3),
    kOriginCity = k(4),
    kMonths = k(5);
  const pv = sc.world.province,
    st = sc.world.settlement;
  const femaleShare = pv.female.value / (pv.female.value + pv.male.value);

  const villagesOf = (pred: (p: number) => boolean) => {
    const idx: number[] = [],
      w: number[] = [];
    for (let p = 0; p < places.n; p++)
      if (places.kind[p] === PlaceKind.villages && pred(p)) {
        idx.push(p);
        w.push(counts.total[p]);
      }
    return sampler(idx, w);
  };
  const anyVillage = villagesOf(() => true);
  const cityVillage = Array.from(places.cityCentral, (_, c) => villagesOf((p) => places.city[p] === c));
  const urbanIdx: number[] = [],
    urbanW: number[] = [];
  for (let p = 0; p < places.n; p++)
    if (places.urban[p]) {
      urbanIdx.push(p);
      urbanW.push(counts.total[p]);
    }
  const anyUrban = sampler(urbanIdx, urbanW);

  const migrantAges = new CdfSampler(ageCdf(MIGRANT_BANDS));
  // Agents are appended in id order straight into the columns, held in locals: emptyWorld made
  // room for n0 + headroom(n0) agents (headroom >= 0) and exactly n0 are added, so the columns
  // never grow here.
  const place = A.place,
    hukouPlace = A.hukouPlace,
    age = A.age,
    flags = A.flags,
    months = A.months;
  let id = 0;
  /**
   * Appends n agents living at `at` with the hukou flags `hukouFlags` (urban hukou, or land rights
   * for a rural hukou in Shanxi) and their hukou at `hukou`; with hukou -1 the caller writes each
   * agent's hukou place afterwards. Migrants take the migrant age distribution (else `ages`) and up
   * to ten years in the place (else 50). None for n <= 0.
   */
  const addAgents = (n: number, at: number, hukou: number, hukouFlags: number, migrant: boolean, ages: CdfSampler) => {
    const ageSampler = migrant ? migrantAges : ages,
      end = Math.max(id, id + n);
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
  const sameCounty = st.migrant_origin_same_county.value,
    sameCity = st.migrant_origin_same_city.value;
  /** Writes the hukou places of the Shanxi migrants [from, to): villages of their own county (`home`), their city's or any. */
  const migrantOrigins = (from: number, to: number, home: number, cityVillages: (u: number) => number) => {
    for (let i = from; i < to; i++) {
      const u = drawKeyed(kOrigin, i);
      hukouPlace[i] = u < sameCounty ? home : u < sameCounty + sameCity ? cityVillages(drawKeyed(kOriginCity, i)) : anyVillage(drawKeyed(kOriginCity, i));
    }
  };
  for (let c = 0; c < places.nCities; c++) {
    let cityTotal = 0,
      cityMigr = 0;
    for (let p = 0; p < places.n; p++)
      if (places.city[p] === c) {
        cityTotal += counts.total[p];
        cityMigr += counts.migrants[p] + counts.nonShanxi[p];
      }
    const ages = new CdfSampler(ageCdf(nativeBands(cityBands(sc, c), cityTotal, cityMigr)));
    for (let p = 0; p < places.n; p++) {
      if (places.city[p] !== c) continue;
      const n = counts.total[p];
      if (places.urban[p]) {
        const ns = counts.nonShanxi[p],
          mg = counts.migrants[p];
        const home = places.countyVillages[places.county[p]];
        addAgents(ns, p, out, 0, true, ages);
        // Shanxi migrants, from villages (so with land rights).
        const firstMigrant = id;
        addAgents(mg, p, -1, Flag.landRights, true, ages);
        migrantOrigins(firstMigrant, id, home, cityVillage[c]);
        addAgents(n - ns - mg, p, p, Flag.urbanHukou, false, ages);
      } else {
        const uh = counts.villageUrbanHukou[p],
          town = places.countyTown[places.county[p]];
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
  // After the grouping: the links are agent ids.
  assignMothers(sc, world, key);
  fillStocks(sc, world);
  return world;
}
