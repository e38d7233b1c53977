/**
 * The attributes of the initial agents that the census gives only as totals: education (skill),
 * employment and urban job sector, housing tenure and residence permits. Each is spread over the
 * agents with weights (estimates, docs/model.md "Initial population") scaled so that the totals
 * match the census, and drawn with the build's keyed draws.
 */
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import type { Scenario } from '../scenario/schema.js';
import { Emp, Flag, Sector, Skill, Tenure, forSlices, withSector } from './agents.js';
import { PlaceKind } from './places.js';
import type { World } from './world.js';

/** The values of f at every age a column can hold (0..255), to read in the per-agent loops instead of evaluating f per agent. */
function byAge(f: (a: number) => number): Float64Array {
  return Float64Array.from({ length: 256 }, (_, a) => f(a));
}

/**
 * Education: university (skill high) and senior high (mid) shares of the census, spread with
 * weights that favour the young and the urban (estimates), scaled so the totals match. `key`: the
 * build's world key (worldKey), whose channels the draws take.
 */
export function assignSkills(sc: Scenario, w: World, key: number): void {
  const A = w.agents,
    P = w.places,
    n = A.count;
  const place = A.place,
    age = A.age,
    skill = A.skill;
  // Tables of the same values as the weights ageW(a), placeW(p) and the mid weight (a < 55 ? 1 :
  // 0.5), products taken in the same order. Children (under 15) read 0 from highW and midW: the
  // sums add +0 for them, which leaves them as they are, instead of branching on age (ages are in
  // random order, the branch would be mispredicted).
  const highW = byAge((a) => (a < 15 ? 0 : a < 22 ? 0.5 : a < 35 ? 1.6 : a < 45 ? 1.2 : a < 55 ? 0.8 : a < 65 ? 0.5 : 0.25));
  const midW = byAge((a) => (a < 15 ? 0 : a < 55 ? 1 : 0.5));
  const placeW = Float64Array.from({ length: P.n }, (_, p) => (P.urban[p] || p === P.outside ? 1.6 : 0.4));
  const pv = sc.world.province;
  let sumHigh = 0,
    sumMid = 0;
  forSlices(n, (from, to) => {
    let high = sumHigh,
      mid = sumMid;
    for (let i = from; i < to; i++) {
      const a = age[i];
      high += highW[a] * placeW[place[i]];
      mid += midW[a];
    }
    sumHigh = high;
    sumMid = mid;
  });
  const kHigh = ((pv.university_per_100k.value / 1e5) * n) / sumHigh;
  const kMid = ((pv.senior_high_per_100k.value / 1e5) * n) / sumMid;
  const kh = tickKey(key, 0, Channel.init + 10);
  forSlices(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const a = age[i];
      if (a < 15) {
        skill[i] = Skill.low;
        continue;
      }
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
 * `key`: the build's world key.
 */
export function assignEmployment(sc: Scenario, w: World, key: number): void {
  const A = w.agents,
    P = w.places,
    pv = sc.world.province,
    lab = sc.behaviour.labour,
    s = sc.scale,
    n = A.count;
  const place = A.place,
    hukouPlace = A.hukouPlace,
    age = A.age,
    emp = A.emp,
    flags = A.flags;
  const urban = P.urban,
    kind = P.kind;
  const retirementAge = lab.retirement_age.value,
    farmExitAge = lab.farm_exit_age.value;
  // Tables of the same values as the weight functions urbanAgeW(a) and ruralAgeW(a).
  const urbanAgeW = byAge((a) => (a < 16 || a >= retirementAge ? 0 : a < 20 ? 0.4 : a < 25 ? 0.8 : a < 55 ? 1 : 0.6));
  const ruralAgeW = byAge((a) => (a < 16 || a >= farmExitAge ? 0 : a < 20 ? 0.4 : a < 60 ? 1 : 0.7));
  // The weight of a migrant (1.25) or not (1), read by Number(migrant) rather than a branch, which is unpredictable.
  const migrantW = Float64Array.of(1, 1.25);
  const u = pv.urban_unemployment_rate.value / 100;
  const lfTarget = pv.urban_employed.value / (1 - u) / s;
  const ruralTarget = (pv.employed.value - pv.urban_employed.value) / s;
  const farmShare = Math.min(1, ((pv.farm_share_of_employed.value / 100) * pv.employed.value) / (pv.employed.value - pv.urban_employed.value));
  const outsideJob = sc.behaviour.migration.outside_job_probability.value,
    services = lab.services_share_of_urban_jobs.value,
    publicShare = Math.min(services, lab.public_share_of_urban_jobs.value);
  let sumU = 0,
    sumR = 0;
  forSlices(n, (from, to) => {
    let su = sumU,
      sr = sumR;
    for (let i = from; i < to; i++) {
      const p = place[i];
      if (urban[p]) su += urbanAgeW[age[i]] * migrantW[Number(hukouPlace[i] !== p)];
      else if (kind[p] === PlaceKind.villages) sr += ruralAgeW[age[i]];
    }
    sumU = su;
    sumR = sr;
  });
  const kU = lfTarget / sumU,
    kR = ruralTarget / sumR;
  const kd = tickKey(key, 0, Channel.init + 20),
    ke = tickKey(key, 0, Channel.init + 21),
    ks = tickKey(key, 0, Channel.init + 22);
  // The draw of channel 21 (ke) is made only where it decides something (a keyed draw depends on nothing else).
  forSlices(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const p = place[i],
        a = age[i],
        d = drawKeyed(kd, i);
      let state: number = Emp.outOfLabourForce;
      if (urban[p]) {
        if (d < Math.min(1, kU * urbanAgeW[a] * migrantW[Number(hukouPlace[i] !== p)])) state = drawKeyed(ke, i) < u ? Emp.unemployed : Emp.urbanJob;
      } else if (kind[p] === PlaceKind.villages) {
        if (d < Math.min(1, kR * ruralAgeW[a])) state = drawKeyed(ke, i) < farmShare && flags[i] & Flag.landRights ? Emp.farming : Emp.localNonFarm;
      } else if (a >= 16 && a < retirementAge) {
        state = d < outsideJob ? Emp.urbanJob : Emp.unemployed;
      }
      emp[i] = state;
      // The sector: public with the public share, services with the rest of the services share, else industry.
      if (state === Emp.urbanJob) {
        const x = drawKeyed(ks, i);
        flags[i] = withSector(flags[i], x < publicShare ? Sector.public : x < services ? Sector.services : Sector.industry);
      }
    }
  });
}

/** Housing tenure and residence permits (shares from the scenario's settlement section, estimates); `key`: the build's world key. */
export function assignTenure(sc: Scenario, w: World, key: number): void {
  const A = w.agents,
    P = w.places,
    st = sc.world.settlement,
    pv = sc.world.province,
    n = A.count;
  const place = A.place,
    hukouPlace = A.hukouPlace,
    emp = A.emp,
    tenure = A.tenure,
    flags = A.flags;
  const urban = P.urban,
    outside = P.outside;
  const ownerLocal = st.urban_hukou_owner_share.value,
    ownerMigrant = st.migrant_owner_share.value;
  const dormitory = st.migrant_dormitory_share.value,
    permits = st.permit_coverage_2020.value;
  const pPublic = (pv.public_rental_units.value * pv.persons_per_unit.value) / pv.urban.value;
  const kt = tickKey(key, 0, Channel.init + 30),
    kp = tickKey(key, 0, Channel.init + 31);
  forSlices(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const p = place[i];
      if (!urban[p]) {
        tenure[i] = p === outside ? Tenure.marketRent : Tenure.ruralHome;
        continue;
      }
      const u = drawKeyed(kt, i),
        migrant = hukouPlace[i] !== p;
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
