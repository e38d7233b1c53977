/**
 * The model's parameters in per-tick form. The scenario states every rate per year; here each
 * becomes a per-tick probability p = 1 - (1 - r)^(1/ticksPerYear) and each growth rate a per-tick
 * factor (1 + g)^(1/ticksPerYear). Two demographic scales are calibrated on the initial world (the
 * Gompertz level A and the fertility level F) so that the expected crude rates of the starting
 * population equal the census year's: docs/model.md, 5.1 and 8.
 */
import { calendarOf } from '../core/calendar.js';
import type { LeverPath } from '../scenario/levers.js';
import type { LeverTables } from '../scenario/schedule.js';
import type { Scenario } from '../scenario/schema.js';
import { Emp, Flag, forSlices } from '../world/agents.js';
import { Tier, PlaceKind } from '../world/places.js';
import type { World } from '../world/world.js';

/** Per-tick probability of an annual rate. */
export const perTick = (annual: number, tpy: number): number => 1 - Math.pow(1 - Math.min(1, Math.max(0, annual)), 1 / tpy);
/** Per-tick factor of an annual growth rate. */
export const growthPerTick = (annual: number, tpy: number): number => Math.pow(1 + annual, 1 / tpy);

/** The ages of the fertility curves: births to women of 15..49 only. */
export const FERTILE_MIN = 15,
  FERTILE_MAX = 49;

/**
 * A fertility age curve that sums to 1 over 15..49: a normal curve of mean `mean` and standard
 * deviation `sd`, cut to 15..49 and normalized, so that `level` × the curve sums to `level`
 * (a total fertility). Indexed by age 0..255.
 */
export function fertilityCurve(mean: number, sd: number): Float64Array {
  const f = new Float64Array(256);
  let sum = 0;
  for (let a = FERTILE_MIN; a <= FERTILE_MAX; a++) {
    const z = (a - mean) / sd;
    f[a] = Math.exp(-0.5 * z * z);
    sum += f[a];
  }
  for (let a = FERTILE_MIN; a <= FERTILE_MAX; a++) f[a] /= sum;
  return f;
}

/**
 * A level path by calendar year from a scenario's `{ 2021: {value}, ... }` (consecutive years from
 * the one after the census, the scenario's checks make sure): index 0 is the census year
 * `startYear` (1, the census year's level), index k the year startYear + k.
 */
export function yearPath(byYear: Record<string, { value: number }>, startYear: number): Float64Array {
  const years = Object.keys(byYear)
    .map(Number)
    .sort((a, b) => a - b);
  const path = new Float64Array(years.length + 1);
  path[0] = 1;
  for (const y of years) path[y - startYear] = byYear[String(y)].value;
  return path;
}

/**
 * The value of a level path in calendar year `year` of a scenario that starts at the census of
 * `startYear`: 1 in the census year, the path's value for its years, and after its last year L the
 * value of L times (1 + trend)^(year − L).
 */
export function levelInYear(path: Float64Array, trend: number, year: number, startYear: number): number {
  const k = year - startYear;
  if (k <= 0) return 1;
  const last = path.length - 1;
  return k <= last ? path[k] : path[last] * Math.pow(1 + trend, k - last);
}

/**
 * Where the demography tables are indexed: `(residence << 9) | (female flag << 7) | age`, residence 1
 * for the urban fertility curve. The death tables use the low 9 bits, `(female flag << 7) | age`.
 */
export const URBAN_FERTILITY = 1 << 9;

/** Resolved parameters (see docs/model.md for each). */
export type ModelParams = ReturnType<typeof resolveParams>;

/** The parameters of the income equations (labour.ts, setIncomes), straight from the scenario. */
export function incomeParams(sc: Scenario) {
  const lab = sc.behaviour.labour;
  return {
    skillWage: [lab.skill_wage.low.value, lab.skill_wage.mid.value, lab.skill_wage.high.value],
    farmElasticity: lab.farm_income_elasticity.value,
    farmIncome2020: lab.farm_income_2020.value,
    ruralNonFarmWage2020: lab.rural_nonfarm_wage_2020.value,
    urbanPension2020: lab.urban_pension_2020.value,
    ruralPension2020: lab.rural_pension_2020.value,
    ruralTransfer2020: lab.rural_transfer_2020.value,
    ruralTransferGrowth: lab.rural_transfer_growth.value,
    outsideWageFactor: sc.behaviour.migration.outside_wage_factor.value,
    outsideWageTrend: sc.behaviour.migration.outside_wage_gap_trend.value,
  };
}
export type IncomeParams = ReturnType<typeof incomeParams>;

/** Resolves the scenario's behaviour and levers into per-tick parameters for `world`. */
export function resolveParams(sc: Scenario, world: World, levers: LeverTables) {
  const tpy = sc.time.ticks_per_year;
  const b = sc.behaviour,
    P = world.places,
    A = world.agents;
  const d = b.demography,
    lab = b.labour,
    h = b.housing,
    m = b.migration,
    s = b.settlement;

  // Calibrate mortality and fertility levels on the residents of Shanxi at the start, and take
  // the farm share of young villagers entering work from the start's rural employment.
  // The sums add per agent, in id order, values read from tables by (residence, sex, age), index
  // (residence << 9) | (female flag << 7) | age (URBAN_FERTILITY): the functions are evaluated
  // once per index, not per agent, and the tables replace branches on sex and residence, which are
  // unpredictable. Men read 0 from the fertility table; adding +0 leaves the sum (never -0) as it is.
  const slope = d.gompertz_slope.value,
    maleRatio = d.male_mortality_ratio.value,
    place = A.place,
    emp = A.emp,
    age = A.age,
    flags = A.flags,
    outside = P.outside;
  // Relative hazard by (female flag << 7) | age: r_s exp(B a), r = the male ratio for men, 1 for women.
  const gompBySexAge = new Float64Array(512);
  for (let a = 0; a < 256; a++) {
    gompBySexAge[a] = maleRatio * Math.exp(slope * a);
    gompBySexAge[(Flag.female << 7) | a] = Math.exp(slope * a);
  }
  // Relative fertility by residence, sex and age: the urban curve, and the rural curve times the
  // rural/urban total fertility ratio; 0 for men.
  const urbanCurve = fertilityCurve(d.fertility_mean_age_urban.value, d.fertility_sd.value);
  const ruralCurve = fertilityCurve(d.fertility_mean_age_rural.value, d.fertility_sd.value);
  const ruralRatio = d.rural_fertility_ratio.value;
  const fertShape = new Float64Array(1024);
  for (let a = 0; a < 256; a++) {
    fertShape[(Flag.female << 7) | a] = ruralRatio * ruralCurve[a];
    fertShape[URBAN_FERTILITY | (Flag.female << 7) | a] = urbanCurve[a];
  }
  // The residence part of the index by place: urban fertility in urban places and outside Shanxi.
  const fertResidence = Uint16Array.from({ length: P.n }, (_, p) => (P.urban[p] || p === outside ? URBAN_FERTILITY : 0));
  let residents = 0,
    gomp = 0,
    fert = 0,
    farmers = 0,
    ruralWorkers = 0;
  forSlices(A.count, (from, to) => {
    let g = gomp,
      f = fert;
    for (let i = from; i < to; i++) {
      const p = place[i];
      if (p === outside) continue;
      const e = emp[i],
        sa = ((flags[i] & Flag.female) << 7) | age[i];
      if (e === Emp.farming) farmers++;
      if (e === Emp.farming || e === Emp.localNonFarm) ruralWorkers++;
      residents++;
      g += gompBySexAge[sa];
      f += fertShape[fertResidence[p] | sa];
    }
    gomp = g;
    fert = f;
  });
  const deathLevel = ((d.death_rate_2020.value / 1000) * residents) / gomp;
  const fertLevel = ((d.birth_rate_2020.value / 1000) * residents) / fert;
  // Annual rates at the census year's level: the death hazard by (female flag << 7) | age, and the
  // birth rate by (residence << 9) | (female flag << 7) | age. The agent pass makes the tick's
  // probabilities of them with the year's levels (demography.ts, demographyWidths).
  const deathYear = gompBySexAge.map((g) => deathLevel * g);
  const fertYear = fertShape.map((f) => fertLevel * f);

  const startYear = calendarOf(sc).startYear;
  const staticParams = {
    tpy,
    /** The census year the run starts in (2010 or 2020): calendar years are counted from it. */
    startYear,
    scale: sc.scale,
    // demography
    fertLevel,
    deathYear,
    fertYear,
    fertResidence,
    mortalityPath: yearPath(d.mortality_index_by_year, startYear),
    fertilityPath: yearPath(d.fertility_index_by_year, startYear),
    fertilityTrend: d.fertility_trend.value,
    femaleBirthShare: 100 / (100 + d.sex_ratio_at_birth.value),
    // labour
    separationTick: perTick(lab.separation_rate.value, tpy),
    industryGapTick: growthPerTick(lab.industry_job_growth_gap.value, tpy),
    wageCurveElasticity: lab.wage_curve_elasticity.value,
    demandElasticity: lab.labour_demand_elasticity.value,
    remittanceShare: lab.remittance_share.value,
    wageGrowth: lab.wage_growth.value,
    ...incomeParams(sc),
    retirementAge: lab.retirement_age.value,
    farmExitAge: lab.farm_exit_age.value,
    youthHigh: lab.youth_skill_high.value,
    youthMid: lab.youth_skill_mid.value,
    youthParticipation: lab.youth_participation.value,
    farmShareOfRuralEntry: ruralWorkers > 0 ? farmers / ruralWorkers : 0,
    outsideJobProbability: m.outside_job_probability.value,
    // housing
    rentElasticity: h.rent_elasticity.value,
    marketVacancyTarget: sc.world.settlement.market_vacancy.value,
    marketSupplyTick: growthPerTick(h.market_supply_growth.value, tpy),
    purchaseTick: perTick(h.purchase_rate.value, tpy),
    tenureRentFactor: [
      0,
      1,
      0,
      h.affordable_rent_factor.value,
      h.public_rent_factor.value,
      h.dormitory_rent_factor.value,
      h.shared_ownership_cost_factor.value,
    ],
    affordableAllocTick: perTick(h.affordable_allocation_rate.value, tpy),
    personsPerUnit: sc.world.province.persons_per_unit.value,
    // migration
    reviewTick: perTick(m.review_rate.value, tpy),
    reviewUnemployedTick: perTick(m.review_rate_unemployed.value, tpy),
    reviewVillageTick: perTick(m.review_rate_village.value, tpy),
    reviewOutsideTick: perTick(m.review_rate_outside.value, tpy),
    reviewPoolTick: perTick(m.review_rate_pool.value, tpy),
    betaIncome: m.beta_income.value,
    betaHousing: m.beta_housing.value,
    betaServices: m.beta_services.value,
    betaNetwork: m.beta_network.value,
    moveCost: [m.move_cost_county.value, m.move_cost_city.value, m.move_cost_province.value, m.move_cost_outside.value],
    homeAttachment: m.home_attachment.value,
    returnAgeSlope: m.home_attachment_outside_age_slope.value,
    returnAgeFrom: m.home_attachment_outside_age_from.value,
    taiyuanBonus: m.taiyuan_bonus.value,
    outsideServices: m.outside_services.value,
    servicesLocal: m.services_local_hukou.value,
    servicesNone: m.services_none.value,
    servicesVillage: m.services_village.value,
    minAge: m.min_age.value,
    maxAge: m.max_age.value,
    // hukou settlement and permits
    settleTick: perTick(s.base_rate.value, tpy),
    stableJobBoost: s.stable_job_boost.value,
    ownedHomeBoost: s.owned_home_boost.value,
    landAversion: s.land_aversion.value,
    permitMinMonths: s.permit_min_months.value,
    // land
    haExitPerPerson: b.land.exit_m2_per_person.value / 10000,
    housingPersonsPerHa: b.land.housing_persons_per_ha.value,
    jobsPerHa: b.land.jobs_per_ha.value,
    landReserveYears: b.land.land_reserve_years.value,
    matchingEfficiency: lab.matching_efficiency.value,
    servicesPermitBase: m.services_permit.value,
    permitSchoolingGain: m.permit_schooling_gain.value,
    permitMedicalGain: m.permit_medical_gain.value,
    permitRate: s.permit_rate.value,
    cityJobGrowth: sc.world.cities.map((c) => (lab.job_growth_by_city?.[c.id] ?? lab.job_growth).value),
    sharedOwnershipTick: perTick(h.shared_ownership_take_up.value, tpy),
    serviceCostPerPerson: b.fiscal.service_cost_per_person_year.value,
    fundSpendYears: b.fiscal.spend_years.value,
    betaRenovation: m.beta_renovation.value,
    oldCompounds2020: h.old_compounds_2020.value,
    // reclassification (reclassify.ts)
    reclassVillageRate: b.reclassification.village_rate.value,
    districtAreaFactor: b.reclassification.district_area_factor.value,
    countyToDistrict: countyToDistrictEvents(sc, world),
    // households (family.ts)
    joinTick: perTick(b.family.join_rate.value, tpy),
    joinSchoolTick: perTick(Math.min(1, b.family.join_rate.value * b.family.schooling_join_factor.value), tpy),
    moveWithParent: b.family.move_with_parent.value,
    bornLeftBehind: b.family.born_left_behind.value,
  };
  return { ...staticParams, ...leverParams(staticParams, world, (path) => levers[path][0]) };
}

/** A county-to-district event (撤县设区) resolved on the world: the county's index, its tick, the share of its villagers reclassified. */
export interface CountyToDistrict {
  county: number;
  tick: number;
  villageShare: number;
}

/**
 * The scenario's county-to-district events on `world`'s counties, each at the first tick of its
 * year (the calendar's stub, then T ticks a year). The county is named by its town; the scenario's
 * cross-checks (scenario.ts) have made sure that it exists.
 */
function countyToDistrictEvents(sc: Scenario, world: World): CountyToDistrict[] {
  const P = world.places,
    tpy = sc.time.ticks_per_year,
    { stubTicks: stub, startYear } = calendarOf(sc);
  return sc.events.county_to_district.map((e) => {
    const city = sc.world.cities.find((c) => c.county_towns.some((t) => t.name === e.county));
    const name = `${city?.id}:${e.county}`;
    let county = -1;
    for (let k = 0; k < P.nCounties; k++) if (P.names[P.countyTown[k]] === name) county = k;
    if (county < 0) throw new Error(`events.county_to_district: no county town "${e.county}" in the world`);
    return { county, tick: stub + tpy * (e.year - startYear - 1), villageShare: e.village_share };
  });
}

/**
 * The parameters that follow the levers at tick t, from the lever values `lv` of that tick: the
 * tables the agent pass reads per agent (a place-level rule reads its levers itself, `ctx.lever`).
 * The engine calls it every tick when a lever has a schedule.
 */
export function leverParams(
  base: {
    tpy: number;
    matchingEfficiency: number;
    servicesLocal: number;
    servicesPermitBase: number;
    permitSchoolingGain: number;
    permitMedicalGain: number;
    permitRate: number;
    cityJobGrowth: number[];
  },
  world: World,
  lv: (path: LeverPath) => number,
) {
  const tpy = base.tpy,
    P = world.places;
  const jobGrowthTick = new Float64Array(P.n);
  for (let p = 0; p < P.n; p++) {
    if (!P.urban[p]) {
      jobGrowthTick[p] = 1;
      continue;
    }
    const g = base.cityJobGrowth[P.city[p]] + lv('jobs.extra_job_growth') + (P.kind[p] === PlaceKind.countyTown ? lv('jobs.county_town_job_growth') : 0);
    jobGrowthTick[p] = growthPerTick(g, tpy);
  }
  const openness = new Float64Array(4),
    requiredMonths = new Float64Array(4);
  openness[Tier.taiyuan] = lv('hukou.openness_taiyuan');
  openness[Tier.prefecture] = lv('hukou.openness_prefecture');
  openness[Tier.county] = lv('hukou.openness_county');
  requiredMonths[Tier.taiyuan] = 12 * lv('hukou.required_years_taiyuan');
  requiredMonths[Tier.prefecture] = 12 * lv('hukou.required_years_prefecture');
  requiredMonths[Tier.county] = 12 * lv('hukou.required_years_county');
  requiredMonths[Tier.none] = Infinity;
  const permitGain = Math.min(
    1,
    lv('residence_permit.opens_schooling') * base.permitSchoolingGain + lv('residence_permit.opens_medical') * base.permitMedicalGain,
  );
  return {
    jobGrowthTick,
    matchingPerTick: (base.matchingEfficiency * (1 + lv('jobs.employment_services'))) / tpy,
    trainingTick: perTick(lv('jobs.training_rate'), tpy),
    ruralIncomeGrowth: lv('rural.rural_income_growth'),
    permitOpensAffordable: lv('residence_permit.opens_affordable_housing') > 0.5,
    permitOpensSchooling: lv('residence_permit.opens_schooling') > 0.5,
    servicesPermit: base.servicesPermitBase + permitGain * (base.servicesLocal - base.servicesPermitBase),
    openness,
    requiredMonths,
    landCondition: lv('hukou.land_rights_condition') > 0.5,
    paidLandExit: lv('hukou.paid_land_exit_rate'),
    permitTick: perTick(Math.min(1, base.permitRate * lv('residence_permit.issue_multiplier')), tpy),
    permitYearChance: Math.min(1, base.permitRate * lv('residence_permit.issue_multiplier')),
    haPerSettler: lv('land.m2_per_settler') / 10000,
    transferPerSettler: lv('fiscal.transfer_per_settler'),
  };
}
