/**
 * Places: per city its central urban districts, its county towns (专栏3), its other town seats
 * (镇区, aggregated), villages aggregated per county (plus one for the rural parts of the city's
 * districts), and one place for the rest of China. A "county" here is the unit a rural hukou
 * belongs to: each county-town county, plus the city's district area (whose town is the central
 * city). Place tables are plain typed arrays indexed by place id.
 */
import type { WorldSpec } from '../scenario/schema.js';

/** Kinds of place. The first three are urban in the census sense. */
export const PlaceKind = { central: 0, countyTown: 1, otherTowns: 2, villages: 3, outside: 4 } as const;

/** Settlement-policy tier of an urban place (the hukou openness levers are set per tier). */
export const Tier = { taiyuan: 0, prefecture: 1, county: 2, none: 3 } as const;

/** The place table of a world. Indices: place ids 0..n-1; `outside` is the last. */
export interface Places {
  n: number;
  names: string[];
  kind: Uint8Array;
  /** City index 0..10; 11 for outside. */
  city: Uint8Array;
  /** Home-county index (see module doc); `nCounties` for outside. */
  county: Uint16Array;
  tier: Uint8Array;
  /** 1 for urban places (central, county town, other towns). */
  urban: Uint8Array;
  outside: number;
  nCities: number;
  nCounties: number;
  /** Per county: its town (county town, or the central city for the district area), its villages, its city. */
  countyTown: Uint16Array;
  countyVillages: Uint16Array;
  countyCity: Uint8Array;
  /** Per city: central place, other-towns place. */
  cityCentral: Uint16Array;
  cityOtherTowns: Uint16Array;
  /**
   * Distance class of a move from p to d, at p * n + d (the classes of the moving cost): 0 within
   * the county, 1 within the city, 2 within Shanxi, 3 to or from the rest of China.
   */
  distance: Uint8Array;
  /** Per place: its 专栏3 size class (county towns and their villages), or its kind; sizes county towns. */
  classOf: string[];
}

/** Builds the place table from the world spec (city order as in the spec). */
export function buildPlaces(world: WorldSpec): Places {
  const names: string[] = [];
  const kind: number[] = [],
    city: number[] = [],
    county: number[] = [],
    tier: number[] = [],
    classOf: string[] = [];
  const countyTown: number[] = [],
    countyVillages: number[] = [],
    countyCity: number[] = [];
  const cityCentral: number[] = [],
    cityOtherTowns: number[] = [];
  const add = (name: string, k: number, c: number, co: number, t: number, cls: string): number => {
    names.push(name);
    kind.push(k);
    city.push(c);
    county.push(co);
    tier.push(t);
    classOf.push(cls);
    return names.length - 1;
  };
  world.cities.forEach((spec, c) => {
    const isTaiyuan = spec.id === 'taiyuan';
    const districtCounty = countyTown.length;
    const central = add(`${spec.id}:central`, PlaceKind.central, c, districtCounty, isTaiyuan ? Tier.taiyuan : Tier.prefecture, 'central');
    const towns = add(`${spec.id}:other_towns`, PlaceKind.otherTowns, c, districtCounty, Tier.county, 'other_towns');
    const districtVillages = add(`${spec.id}:district_villages`, PlaceKind.villages, c, districtCounty, Tier.none, 'district');
    countyTown.push(central);
    countyVillages.push(districtVillages);
    countyCity.push(c);
    cityCentral.push(central);
    cityOtherTowns.push(towns);
    for (const ct of spec.county_towns) {
      const co = countyTown.length;
      const town = add(`${spec.id}:${ct.name}`, PlaceKind.countyTown, c, co, Tier.county, ct.class);
      const vil = add(`${spec.id}:${ct.name}:villages`, PlaceKind.villages, c, co, Tier.none, ct.class);
      countyTown.push(town);
      countyVillages.push(vil);
      countyCity.push(c);
    }
  });
  const nCounties = countyTown.length;
  const nCities = world.cities.length;
  const outside = add('outside', PlaceKind.outside, nCities, nCounties, Tier.none, 'outside');
  const n = names.length;
  const distance = new Uint8Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let d = 0; d < n; d++) {
      distance[p * n + d] = county[p] === county[d] ? 0 : city[p] === city[d] ? 1 : p === outside || d === outside ? 3 : 2;
    }
  }
  return {
    n,
    names,
    outside,
    nCities,
    nCounties,
    classOf,
    distance,
    kind: Uint8Array.from(kind),
    city: Uint8Array.from(city),
    county: Uint16Array.from(county),
    tier: Uint8Array.from(tier),
    urban: Uint8Array.from(kind.map((k) => (k <= PlaceKind.otherTowns ? 1 : 0))),
    countyTown: Uint16Array.from(countyTown),
    countyVillages: Uint16Array.from(countyVillages),
    countyCity: Uint8Array.from(countyCity),
    cityCentral: Uint16Array.from(cityCentral),
    cityOtherTowns: Uint16Array.from(cityOtherTowns),
  };
}

/**
 * Splits `total` agents over weights by the largest-remainder method: the parts are integers that
 * sum exactly to `total`, each within 1 of its exact share. Ties go to the lower index.
 */
export function largestRemainder(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (w / sum) * total);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k][1]] += 1;
  return parts;
}

/**
 * Place types of the origin-destination flows, by PlaceKind code: city districts (central), county
 * towns, other town seats, villages (of counties and of city districts); the rest of China is a
 * type of its own, `other_provinces`, the last.
 */
export const FLOW_TYPES = ['city_districts', 'county_town', 'other_towns', 'village', 'other_provinces'] as const;
/** Place types of Shanxi (the first four of FLOW_TYPES): a Shanxi place's flow class is city × this + kind. */
const SHANXI_TYPES = 4;

/** Flow classes of a world of `nCities` cities: (city, type) for every Shanxi city and type, then the rest of China. */
export const flowClasses = (nCities: number): number => nCities * SHANXI_TYPES + 1;

/** The flow class of place p: city × 4 + its kind in Shanxi, the last class for the rest of China. */
export function flowClass(P: Places, p: number): number {
  return p === P.outside ? P.nCities * SHANXI_TYPES : P.city[p] * SHANXI_TYPES + P.kind[p];
}

/** The city index (nCities for the rest of China) and FLOW_TYPES index of flow class k. */
export function classOfFlow(k: number, nCities: number): { city: number; type: number } {
  return k === nCities * SHANXI_TYPES ? { city: nCities, type: FLOW_TYPES.length - 1 } : { city: Math.floor(k / SHANXI_TYPES), type: k % SHANXI_TYPES };
}
