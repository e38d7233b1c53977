/**
 * The census split of the initial population: each city's residents over its places (central
 * districts, county towns, town seats, villages) and the province's people over kinds of resident
 * (local, Shanxi migrants, other provinces', Shanxi people outside, the in-migrant pool), in
 * agents. City residents and urban residents are exact (to the agent scale's rounding); the splits
 * below city level are estimates (docs/model.md, "Residents per place").
 */
import { userError } from '../core/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { PlaceKind, largestRemainder, type Places } from './places.js';

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
  const s = sc.scale,
    w = sc.world,
    st = w.settlement,
    pv = w.province;
  const total = new Int32Array(places.n);
  w.cities.forEach((city, c) => {
    const nRes = Math.round(city.residents.value / s),
      nUrb = Math.round(city.urban.value / s);
    const urbanPlaces: number[] = [],
      urbanWeights: number[] = [],
      villages: number[] = [];
    let fixed = 0;
    for (let p = 0; p < places.n; p++) {
      if (places.city[p] !== c) continue;
      if (places.kind[p] === PlaceKind.villages) villages.push(p);
      else if (places.kind[p] === PlaceKind.countyTown) {
        const persons = places.classOf[p] === 'small_1' ? st.county_town_persons_small_1.value : st.county_town_persons_small_2.value;
        urbanPlaces.push(p);
        urbanWeights.push(persons);
        fixed += persons;
      }
    }
    const towns = st.other_towns_share_of_urban.value * city.urban.value;
    const central = city.urban.value - fixed - towns;
    if (central < 0.05 * city.urban.value) {
      throw userError({
        code: 'inconsistent',
        path: `world.cities[${c}].urban`,
        expected: 'urban residents above the county-town and town-seat estimates',
        found: `${city.urban.value}, leaving ${Math.round(central)} for the central districts`,
      });
    }
    urbanPlaces.push(places.cityCentral[c], places.cityOtherTowns[c]);
    urbanWeights.push(central, towns);
    largestRemainder(nUrb, urbanWeights).forEach((k, i) => (total[urbanPlaces[i]] = k));
    // Rural residents: an equal share per county (district area included), for lack of county data.
    largestRemainder(
      nRes - nUrb,
      villages.map(() => 1),
    ).forEach((k, i) => (total[villages[i]] = k));
  });
  const urban: number[] = [],
    urbanW: number[] = [],
    vil: number[] = [],
    vilW: number[] = [];
  for (let p = 0; p < places.n; p++) {
    if (places.urban[p]) {
      urban.push(p);
      urbanW.push(total[p]);
    } else if (places.kind[p] === PlaceKind.villages) {
      vil.push(p);
      vilW.push(total[p]);
    }
  }
  const rural = pv.residents.value - pv.urban.value;
  const hukouHolders = pv.residents.value - pv.from_other_provinces.value + pv.outside_stock.value;
  const urbanHukou = (pv.hukou_urbanization_rate.value / 100) * hukouHolders;
  const outUrban = pv.outside_urban_hukou_share.value * pv.outside_stock.value;
  const vilUrban = pv.village_urban_hukou_share.value * rural;
  const localUrban = urbanHukou - outUrban - vilUrban;
  const migrantsPersons = pv.urban.value - localUrban - pv.from_other_provinces.value;
  if (migrantsPersons < 0) {
    throw userError({
      code: 'inconsistent',
      path: 'world.province.hukou_urbanization_rate',
      expected: 'urban hukou holders fewer than urban residents',
      found: `${pv.hukou_urbanization_rate.value}% implies ${Math.round(localUrban)} urban-hukou urban residents`,
    });
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
    total,
    migrants,
    nonShanxi,
    villageUrbanHukou: spread(vilUrban, vil, vilW),
    outsideUrbanHukou: Math.round(outUrban / s),
    outsideRuralHukou: Math.round((pv.outside_stock.value - outUrban) / s),
    pool: Math.round(pv.in_migrant_pool.value / s),
  };
}
