/**
 * The model's parameters in per-tick form. The scenario states every rate per year; here each
 * becomes a per-tick probability p = 1 - (1 - r)^(1/ticksPerYear) and each growth rate a per-tick
 * factor (1 + g)^(1/ticksPerYear). Two demographic scales are calibrated on the initial world (the
 * Gompertz level and the fertility level) so that the expected crude rates of the starting
 * population equal the census year's: docs/model.md, "Demography".
 */
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

/** Relative fertility by single year of age 15..49: a normal curve around 28 (estimate). */
export function fertilityShape(age: number): number {
  if (age < 15 || age > 49) return 0;
  const z = (age - 28) / 5.5;
  return Math.exp(-0.5 * z * z);
}

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
  // The sums add per agent, in id order, values read from tables holding the same values as
  // Math.exp(slope * age) and, for women, fertilityShape(age): the functions are evaluated once per
  // age, not per agent. Men read 0 by (sex, age), index (female flag << 7) | age, instead of a
  // branch on sex, which is unpredictable; adding +0 leaves the sum (never -0) as it is.
  const slope = d.gompertz_slope.value,
    place = A.place,
    emp = A.emp,
    age = A.age,
    flags = A.flags,
    outside = P.outside;
  const gompByAge = Float64Array.from({ length: 256 }, (_, a) => Math.exp(slope * a));
  const fertShapeBySexAge = new Float64Array(512);
  for (let a = 0; a < 256; a++) fertShapeBySexAge[(Flag.female << 7) | a] = fertilityShape(a);
  let residents = 0,
    gomp = 0,
    fert = 0,
    farmers = 0,
    ruralWorkers = 0;
  forSlices(A.count, (from, to) => {
    let g = gomp,
      f = fert;
    for (let i = from; i < to; i++) {
      if (place[i] === outside) continue;
      const e = emp[i],
        a = age[i];
      if (e === Emp.farming) farmers++;
      if (e === Emp.farming || e === Emp.localNonFarm) ruralWorkers++;
      residents++;
      g += gompByAge[a];
      f += fertShapeBySexAge[((flags[i] & Flag.female) << 7) | a];
    }
    gomp = g;
    fert = f;
  });
  const deathLevel = ((d.death_rate_2020.value / 1000) * residents) / gomp;
  const fertLevel = ((d.birth_rate_2020.value / 1000) * residents) / fert;
  const deathTick = new Float64Array(256);
  const fertTick = new Float64Array(256);
  // The same by (sex, age), index (female flag << 7) | age: men read zeros (the agent pass adds it to the death band instead of branching on sex).
  const fertBySexAge = new Float64Array(512);
  for (let a = 0; a < 256; a++) {
    deathTick[a] = perTick(deathLevel * gompByAge[a], tpy);
    fertTick[a] = perTick(fertLevel * fertilityShape(a), tpy);
    fertBySexAge[(Flag.female << 7) | a] = fertTick[a];
  }

  const staticParams = {
    tpy,
    scale: sc.scale,
    // demography
    deathTick,
    fertTick,
    fertBySexAge,
    fertilityTrend: d.fertility_trend.value,
    femaleBirthShare: 100 / (100 + d.sex_ratio_at_birth.value),
    // labour
    separationTick: perTick(lab.separation_rate.value, tpy),
    servicesShare: lab.services_share_of_urban_jobs.value,
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
    housingLandShare: b.land.housing_land_share.value,
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
    // households (family.ts)
    joinTick: perTick(b.family.join_rate.value, tpy),
    joinSchoolTick: perTick(Math.min(1, b.family.join_rate.value * b.family.schooling_join_factor.value), tpy),
    moveWithParent: b.family.move_with_parent.value,
    bornLeftBehind: b.family.born_left_behind.value,
  };
  return { ...staticParams, ...leverParams(staticParams, world, (path) => levers[path][0]) };
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
