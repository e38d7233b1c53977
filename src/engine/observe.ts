/**
 * Observation: once a year, one pass over the agents sums per-place counts, which are then added
 * up by region into the run's preallocated observation array (metrics.ts gives the layout).
 */
import { FLOWS, type Flows, type MetricFlow } from '../model/context.js';
import { incomeFrom } from '../model/labour.js';
import { vacantJobs } from '../model/occupancy.js';
import { DEAD, Emp, Flag, Skill, Tenure, TENURES } from '../world/agents.js';
import { CHILD_AGE } from '../world/family.js';
import { PlaceKind } from '../world/places.js';
import { SECTORS, type World } from '../world/world.js';
import { CLUSTER_REGION, FLOW_CLASSES, M, REGIONS, obsIndex, odIndex, type ObsShape } from './metrics.js';

/** Per-place sums of one observation. */
interface PlaceSums {
  holders: Float64Array;
  urbanHolders: Float64Array;
  employedUrban: Float64Array;
  unemployedUrban: Float64Array;
  income: Float64Array;
  employed: Float64Array;
  skilled: Float64Array;
  nonLocal: Float64Array;
  permits: Float64Array;
  /** Wages of urban jobs held away from home by rural-hukou people of each village place (by hukou place). */
  awayWages: Float64Array;
  /** Children under 16 living in a village whose mother lives elsewhere, by the child's place. */
  leftBehind: Float64Array;
  /** Children under 16 living in an urban place with their mother, their hukou elsewhere, by place. */
  withMigrantMother: Float64Array;
  /** Agents 60 and over living at their hukou village, by village. */
  elderlyAtHome: Float64Array;
  /** Hukou holders aged 16-59, and those of them living away from their hukou place, by hukou place. */
  workingAge: Float64Array;
  workingAgeAway: Float64Array;
}

/** Per-place sums of the agents now (one pass): the observation's, and the income calibration's at build (setup.ts). */
export function sumPlaces(w: World): PlaceSums {
  const A = w.agents,
    P = w.places,
    n = P.n;
  const z = () => new Float64Array(n);
  const s: PlaceSums = {
    holders: z(),
    urbanHolders: z(),
    employedUrban: z(),
    unemployedUrban: z(),
    income: z(),
    employed: z(),
    skilled: z(),
    nonLocal: z(),
    permits: z(),
    awayWages: z(),
    leftBehind: z(),
    withMigrantMother: z(),
    elderlyAtHome: z(),
    workingAge: z(),
    workingAgeAway: z(),
  };
  // Columns, sums and constants in locals (see step.ts): the loop then reads typed arrays directly.
  const place = A.place,
    hukou = A.hukouPlace,
    empCol = A.emp,
    flagsCol = A.flags,
    skillCol = A.skill,
    ageCol = A.age,
    parent = A.parent,
    urban = P.urban,
    outside = P.outside;
  const { holders, urbanHolders, employedUrban, unemployedUrban, income, employed, skilled, nonLocal, permits, awayWages } = s;
  const { leftBehind, withMigrantMother, elderlyAtHome, workingAge, workingAgeAway } = s;
  const kind = P.kind,
    VILLAGES = PlaceKind.villages;
  const DEAD_ = DEAD,
    E_urbanJob = Emp.urbanJob,
    E_farming = Emp.farming,
    E_localNonFarm = Emp.localNonFarm,
    E_unemployed = Emp.unemployed;
  const F_urbanHukou = Flag.urbanHukou,
    F_permit = Flag.permit,
    S_high = Skill.high;
  for (let i = 0; i < A.count; i++) {
    const p = place[i];
    if (p === DEAD_) continue;
    const hp = hukou[i],
      emp = empCol[i],
      flags = flagsCol[i],
      age = ageCol[i];
    holders[hp]++;
    // Households (model/family.ts): children and their mothers, and the elderly's villages.
    if (age < CHILD_AGE) {
      // The mother's place is read only for the children it can count (a village child may be
      // left behind; an urban child with its hukou elsewhere may live with a migrant mother): each
      // read is a cache miss, she lives elsewhere in the columns.
      const m = parent[i];
      if (m >= 0 && (urban[p] ? hp !== p : p !== outside)) {
        const d = place[m];
        if (d !== DEAD_) {
          if (d !== p && !urban[p]) leftBehind[p]++;
          else if (d === p && urban[p]) withMigrantMother[p]++;
        }
      }
    } else if (age < 60) {
      workingAge[hp]++;
      if (hp !== p) workingAgeAway[hp]++;
    } else if (hp === p && !urban[p] && p !== outside) elderlyAtHome[p]++;
    if (flags & F_urbanHukou) urbanHolders[hp]++;
    // The one income formula (labour.ts), on the columns read already; V8 inlines it. Measured
    // side by side with the formula written out here (the loop until issue 17), on a run's world at
    // the default scale: 10.9 against 10.4 ns per agent (the tables are read from w in the loop),
    // about 1 ms of a 480 ms run; the call as incomeOf(w, i) took 12.4.
    const inc = incomeFrom(w, emp, p, skillCol[i], age, flags);
    income[p] += inc;
    // A rural-hukou worker with an urban job away from its home village sends part of it home.
    if (emp === E_urbanJob && hp !== p && !(flags & F_urbanHukou) && kind[hp] === VILLAGES) awayWages[hp] += inc;
    if (emp === E_urbanJob || emp === E_farming || emp === E_localNonFarm) {
      employed[p]++;
      if (skillCol[i] === S_high) skilled[p]++;
    }
    if (urban[p]) {
      if (emp === E_urbanJob) employedUrban[p]++;
      else if (emp === E_unemployed) unemployedUrban[p]++;
      if (hp !== p) {
        nonLocal[p]++;
        if (flags & F_permit) permits[p]++;
      }
    }
  }
  return s;
}

/** A village place's earnings for rural income: its residents' incomes and the remitted share of the wages of its people working away. */
export const ruralEarnings = (w: World, s: PlaceSums, p: number): number => s.income[p] + w.remittanceShare * s.awayWages[p];

/** Which regions each city belongs to: the province, itself, and the cluster if it is a member. */
export function cityRegions(clusterCities: readonly number[], nCities: number): number[][] {
  const out: number[][] = [];
  for (let c = 0; c < nCities; c++) out.push(clusterCities.includes(c) ? [0, 1 + c, CLUSTER_REGION] : [0, 1 + c]);
  return out;
}

/** The declared flow counters that feed an indicator (FLOWS, model/context.ts), with their metric's index. */
const METRIC_FLOWS = FLOWS.filter((d): d is MetricFlow => 'metric' in d).map((d) => ({ d, m: M[d.metric.id] }));

/**
 * Writes every declared flow's metric for year index y: its counter summed over each region's
 * places (or urban places), times persons per agent if scaled.
 */
function observeDeclaredFlows(w: World, flows: Flows, regionsOfCity: number[][], shape: ObsShape, y: number, obs: Float64Array): void {
  const P = w.places,
    R = REGIONS.length;
  for (const { d, m } of METRIC_FLOWS) {
    const counts = flows[d.id],
      urbanOnly = d.metric.over === 'urban',
      sum = new Float64Array(R);
    for (let p = 0; p < P.n; p++) {
      const c = P.city[p];
      if (c >= P.nCities || (urbanOnly && !P.urban[p])) continue;
      for (const r of regionsOfCity[c]) sum[r] += counts[p];
    }
    const k = d.metric.scaled ? w.scale : 1;
    for (let r = 0; r < R; r++) obs[obsIndex(shape, m, r, y)] = sum[r] * k;
  }
}

/** Writes year index y's origin-destination matrix of moves between flow classes, in persons (after the observations, metrics.ts `odIndex`). */
function observeMoves(w: World, flows: Flows, shape: ObsShape, y: number, obs: Float64Array): void {
  const start = odIndex(shape, y, 0, 0),
    od = flows.odMoves;
  for (let k = 0; k < FLOW_CLASSES * FLOW_CLASSES; k++) obs[start + k] = od[k] * w.scale;
}

/** Records year index y of `shape` into `obs`: stocks from the world, flows from `flows` (skipped for y = 0). */
export function observe(w: World, flows: Flows, regionsOfCity: number[][], shape: ObsShape, y: number, obs: Float64Array): void {
  const P = w.places,
    R = REGIONS.length,
    sc = w.scale;
  const s = sumPlaces(w);
  const regionAcc: Record<string, Float64Array> = {};
  const acc = (k: string) => (regionAcc[k] ??= new Float64Array(R));
  const add = (k: string, regions: number[], v: number) => {
    const a = acc(k);
    for (const r of regions) a[r] += v;
  };
  for (let p = 0; p < P.n; p++) {
    const c = P.city[p];
    if (c >= P.nCities) continue;
    const reg = regionsOfCity[c];
    const pop = w.pop[p];
    add('pop', reg, pop);
    add('holders', reg, s.holders[p]);
    add('urbanHolders', reg, s.urbanHolders[p]);
    add('employed', reg, s.employed[p]);
    add('skilled', reg, s.skilled[p]);
    add('newJobs', reg, flows.hires[p] - flows.attrition[p]);
    if (P.urban[p]) {
      add('urban', reg, pop);
      add('urbanIncome', reg, s.income[p]);
      add('emp', reg, s.employedUrban[p]);
      add('unemp', reg, s.unemployedUrban[p]);
      add('nonLocal', reg, s.nonLocal[p]);
      add('permits', reg, s.permits[p]);
      add(
        'affordable',
        reg,
        w.housing[p * TENURES + Tenure.affordableRental] + w.housing[p * TENURES + Tenure.publicRental] + w.housing[p * TENURES + Tenure.sharedOwnership],
      );
      add('landAvail', reg, w.landAvail[p]);
      add('wageCurve', reg, w.wageCurve[p] * pop);
      for (let k = 0; k < SECTORS; k++) {
        add('jobCap', reg, Math.floor(w.jobs[p * SECTORS + k]));
        add('vacancies', reg, vacantJobs(w, p, k));
      }
      add('urbanNatural', reg, flows.births[p] - flows.deaths[p]);
      if (P.kind[p] === PlaceKind.central) add('central', reg, pop);
      add('withMigrantMother', reg, s.withMigrantMother[p]);
    } else {
      add('rural', reg, pop);
      add('ruralIncome', reg, ruralEarnings(w, s, p));
      add('ruralAway', reg, w.remittanceShare * s.awayWages[p]);
      add('leftBehind', reg, s.leftBehind[p]);
      // Expected left-behind elderly: each elderly villager's adult child taken as one of the
      // village's working-age hukou holders at random (docs/model.md, section 7).
      if (s.workingAge[p] > 0) add('leftBehindElderly', reg, (s.elderlyAtHome[p] * s.workingAgeAway[p]) / s.workingAge[p]);
    }
  }
  // Migration across region borders, from the city-to-city move matrix.
  const nc1 = P.nCities + 1;
  const inMig = new Float64Array(R),
    outMig = new Float64Array(R);
  for (let o = 0; o < nc1; o++) {
    for (let d = 0; d < nc1; d++) {
      const m = flows.moves[o * nc1 + d];
      if (m === 0 || o === d) continue;
      const ro = o < P.nCities ? regionsOfCity[o] : [],
        rd = d < P.nCities ? regionsOfCity[d] : [];
      for (const r of rd) if (!ro.includes(r)) inMig[r] += m;
      for (const r of ro) if (!rd.includes(r)) outMig[r] += m;
    }
  }
  if (y > 0) {
    observeDeclaredFlows(w, flows, regionsOfCity, shape, y, obs);
    observeMoves(w, flows, shape, y, obs);
  }
  const g = (k: string, r: number) => regionAcc[k]?.[r] ?? 0;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  const personsPerUnit = w.personsPerUnit;
  for (let r = 0; r < R; r++) {
    const set = (m: number, v: number) => (obs[obsIndex(shape, m, r, y)] = v);
    set(M.resident_population, g('pop', r) * sc);
    set(M.urban_population, g('urban', r) * sc);
    set(M.urbanization_rate, 100 * ratio(g('urban', r), g('pop', r)));
    set(M.hukou_urbanization_rate, 100 * ratio(g('urbanHolders', r), g('holders', r)));
    set(M.urban_unemployment_rate, 100 * ratio(g('unemp', r), g('emp', r) + g('unemp', r)));
    const ui = w.disposableUrban * ratio(g('urbanIncome', r), g('urban', r));
    const ri = w.disposableRural * ratio(g('ruralIncome', r), g('rural', r)) + w.ruralTransferNow;
    set(M.urban_income, ui);
    set(M.rural_income, ri);
    set(M.urban_rural_income_ratio, ratio(ui, ri));
    set(M.residence_permit_coverage, 100 * ratio(g('permits', r), g('nonLocal', r)));
    set(M.affordable_housing_units, (g('affordable', r) * sc) / personsPerUnit);
    set(M.skilled_share, 100 * ratio(g('skilled', r), g('employed', r)));
    set(M.central_city_population, g('central', r) * sc);
    set(M.urban_job_vacancy_rate, 100 * ratio(g('vacancies', r), g('jobCap', r)));
    set(M.urban_wage_index, ratio(g('wageCurve', r), g('urban', r)));
    set(M.construction_land_available_ha, g('landAvail', r));
    set(M.rural_income_from_away, w.disposableRural * ratio(g('ruralAway', r), g('rural', r)));
    set(M.rural_transfer_income, g('rural', r) > 0 ? w.ruralTransferNow : 0);
    set(M.left_behind_children, g('leftBehind', r) * sc);
    set(M.children_with_migrant_parents, g('withMigrantMother', r) * sc);
    set(M.left_behind_elderly, g('leftBehindElderly', r) * sc);
    if (y === 0) continue;
    set(M.urban_new_jobs, g('newJobs', r) * sc);
    set(M.in_migration, inMig[r] * sc);
    set(M.out_migration, outMig[r] * sc);
    set(M.net_out_migration, (outMig[r] - inMig[r]) * sc);
    set(M.urban_gain_natural, g('urbanNatural', r) * sc);
  }
}
