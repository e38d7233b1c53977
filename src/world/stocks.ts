/**
 * The place-level stocks of the initial world, counted from its agents or set from the scenario:
 * jobs, housing, population, the migrant network, wages and rents, old compounds.
 */
import type { Scenario } from '../scenario/schema.js';
import { Emp, Sector, sectorOf, Tenure, TENURES, forSlices } from './agents.js';
import { PlaceKind } from './places.js';
import { SECTORS, type World } from './world.js';

/** Counts the stocks around the agents: jobs, housing, population, networks, wages and rents. */
export function fillStocks(sc: Scenario, w: World): void {
  const A = w.agents,
    P = w.places,
    st = sc.world.settlement,
    n = A.count,
    nPlaces = P.n;
  const place = A.place,
    hukouPlace = A.hukouPlace,
    tenure = A.tenure,
    emp = A.emp,
    flags = A.flags;
  const urban = P.urban,
    county = P.county;
  const pop = w.pop,
    localHukou = w.localHukou,
    occupied = w.occupied,
    network = w.network,
    homePop = w.homePop;
  const jobsFilled = w.jobsFilled,
    ruralJobsFilled = w.ruralJobsFilled,
    farmersAtStart = w.farmersAtStart;
  forSlices(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const p = place[i],
        e = emp[i];
      pop[p]++;
      if (hukouPlace[i] === p) localHukou[p]++;
      occupied[p * TENURES + tenure[i]]++;
      const home = county[hukouPlace[i]];
      network[home * nPlaces + p]++;
      homePop[home]++;
      if (e === Emp.urbanJob && urban[p]) jobsFilled[p * SECTORS + sectorOf(flags[i])]++;
      if (e === Emp.localNonFarm) ruralJobsFilled[p]++;
      if (e === Emp.farming) farmersAtStart[p]++;
    }
  });
  for (let p = 0; p < P.n; p++) {
    for (let s = 0; s < SECTORS; s++) w.jobs[p * SECTORS + s] = w.jobsFilled[p * SECTORS + s] / (1 - st.job_vacancy.value);
    // Labour demand's trend starts at the market sectors' capacity; public jobs follow residents (labour.ts).
    w.jobTrend[p * SECTORS + Sector.industry] = w.jobs[p * SECTORS + Sector.industry];
    w.jobTrend[p * SECTORS + Sector.services] = w.jobs[p * SECTORS + Sector.services];
    w.publicPerResident[p] = w.pop[p] > 0 ? w.jobs[p * SECTORS + Sector.public] / w.pop[p] : 0;
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
  const P = w.places,
    pv = sc.world.province,
    lab = sc.behaviour.labour,
    m = sc.behaviour.migration;
  const wageScale = pv.wage_2020.value / pv.wage_2019.value;
  for (let p = 0; p < P.n; p++) {
    if (P.urban[p]) {
      const tierF =
        P.kind[p] === PlaceKind.central
          ? 1
          : P.kind[p] === PlaceKind.countyTown
            ? lab.tier_wage_factor_county_town.value
            : lab.tier_wage_factor_other_towns.value;
      w.baseWage[p] = sc.world.cities[P.city[p]].wage_2019.value * wageScale * tierF;
      w.baseRent[p] = sc.behaviour.housing.rent_share_of_wage.value * w.baseWage[p];
    } else if (p === P.outside) {
      w.baseWage[p] = pv.wage_2020.value * m.outside_wage_factor.value;
      w.baseRent[p] = m.outside_rent_share.value * w.baseWage[p];
    }
    w.rent[p] = w.baseRent[p];
  }
}
