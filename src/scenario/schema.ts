/**
 * The scenario schema (zod, strict: an unknown key is an error, never a silent default).
 *
 * Every number that comes from data or is an estimate is a `Datum`: `{ value, source }` or
 * `{ value, estimate }`, so the provenance of each figure travels with it. Policy levers are plain
 * numbers with documented units and ranges (docs/scenarios.md), all required: the baseline file
 * holds the values that reproduce policy as of 2020. All rates are annual; the engine converts them to per-tick probabilities.
 */
import { z } from 'zod';
import { LEVERS, type LeverDef, type LeverGroup } from './levers.js';
import type { LeverValue } from './schedule.js';
import { CITY_IDS, MAX_RUNS, MAX_SCALE, type CityId } from './constants.js';
import { CENSUS_DATES } from '../core/calendar.js';

/** A figure with its provenance: exactly one of `source` (where it was read) or `estimate` (how it was made). */
const datum = (inner: z.ZodNumber) =>
  z
    .strictObject({
      value: inner,
      source: z.string().min(3).optional(),
      estimate: z.string().min(3).optional(),
    })
    .refine((d) => (d.source === undefined) !== (d.estimate === undefined), {
      message: 'a figure needs exactly one of "source" (where it comes from) or "estimate" (how it was made)',
      params: { code: 'provenance' },
    });

const num = () => z.number();
const nonNeg = () => z.number().min(0);
const share = () => z.number().min(0).max(1);
/** A figure >= 0 with provenance. */
export const Count = datum(nonNeg());
/** A share in [0,1] with provenance. */
export const Share = datum(share());
/** Any finite figure with provenance. */
export const Figure = datum(num());
/** A percentage in [0,100] with provenance. */
export const Percent = datum(z.number().min(0).max(100));
/** An annual rate (probability per year) in [0,1] with provenance. */
export const Rate = Share;
/** A rate of change per year, -1..1 (e.g. 0.06 = +6% a year). */
export const Growth = datum(z.number().min(-1).max(1));
/** A number of persons (or dwellings): at least 0 and at most China's population, 1.5 billion. */
export const Persons = datum(z.number().min(0).max(1.5e9));
/** Yuan a year per person (a wage, an income, a pension, a cost): 0 to 10 million. */
export const Yuan = datum(z.number().min(0).max(1e7));
/** Yuan a year per person that the engine divides by: above 0, at most 10 million. */
export const PositiveYuan = datum(z.number().positive().max(1e7));
/** A multiplier of a wage or an income (a tier or skill factor, the outside wage factor): 0 to 100. */
export const Factor = datum(z.number().min(0).max(100));
/** An age in years, 0 to 120. */
export const Age = datum(z.number().min(0).max(120));
/** A rate per thousand persons a year, 0 to 1000. */
export const PerMille = datum(z.number().min(0).max(1000));
/** A count per 100,000 persons, 0 to 100,000. */
export const Per100k = datum(z.number().min(0).max(1e5));
/** A figure within [lo, hi]: where a larger magnitude could only be a typo and would overflow the engine. */
const Bounded = (lo: number, hi: number) => datum(z.number().min(lo).max(hi));
/** A figure above 0 and at most hi: the engine divides by it. */
const Positive = (hi: number) => datum(z.number().positive().max(hi));

export { CITY_IDS, type CityId };

const CountyTown = z.strictObject({
  name: z.string().min(1),
  /** 专栏3 size class in 2025: I-type small city (20-50万) or II-type small city (<20万). */
  class: z.enum(['small_1', 'small_2']),
});

const AgeShares = z.strictObject({
  age_0_14: Percent,
  age_15_59: Percent,
  age_60_plus: Percent,
  age_65_plus: Percent,
});

const City = z.strictObject({
  id: z.enum(CITY_IDS),
  name: z.string().min(1),
  residents: Persons,
  urban: Persons,
  /** 2019 average wage in urban non-private units, yuan. */
  wage_2019: Yuan,
  /** Share of residents aged 65+, where the census bulletin gives it for the city. */
  share_65_plus: Percent.optional(),
  /** Full census age shares, where the bulletin gives them for the city. */
  age: AgeShares.optional(),
  county_towns: z.array(CountyTown).min(1),
});

const World = z.strictObject({
  province: z.strictObject({
    residents: Persons,
    urban: Persons,
    hukou_urbanization_rate: Percent,
    from_other_provinces: Persons,
    floating_within_province: Persons,
    outside_stock: Persons,
    outside_urban_hukou_share: Share,
    in_migrant_pool: Persons,
    village_urban_hukou_share: Share,
    age: AgeShares,
    male: Persons,
    female: Persons,
    university_per_100k: Per100k,
    senior_high_per_100k: Per100k,
    employed: Persons,
    urban_employed: Persons,
    farm_share_of_employed: Percent,
    urban_unemployment_rate: Percent,
    wage_2020: Yuan,
    wage_2019: PositiveYuan,
    urban_disposable_income_2020: Yuan,
    urban_rural_income_ratio_2020: Positive(100),
    public_rental_units: Persons,
    persons_per_unit: Positive(100),
  }),
  /** Where the urban residents of a city live: county towns by 专栏3 class, and town seats (镇区). */
  settlement: z.strictObject({
    county_town_persons_small_1: Persons,
    county_town_persons_small_2: Persons,
    other_towns_share_of_urban: Share,
    migrant_origin_same_county: Share,
    migrant_origin_same_city: Share,
    urban_hukou_owner_share: Share,
    migrant_owner_share: Share,
    migrant_dormitory_share: Share,
    market_vacancy: Share,
    owned_vacancy: Share,
    job_vacancy: Share,
    permit_coverage_2020: Share,
    left_behind_share_2020: Share,
  }),
  cities: z.array(City).length(11),
  central_cluster: z.array(z.enum(CITY_IDS)).min(1),
});

/**
 * A level by calendar year relative to the census year's (1 = the level of the start year, 2020 or
 * 2010), for the consecutive years from the one after the census on: `{ 2021: { value, estimate },
 * 2022: ... }` (docs/model.md 5.1). That the first year follows the census is checked against
 * `time.start` (start.ts).
 */
const YearIndex = z.record(z.string().regex(/^20[1-9][0-9]$/), Bounded(0, 10)).superRefine((r, ctx) => {
  const years = Object.keys(r)
    .map(Number)
    .sort((a, b) => a - b);
  if (!years.every((y, k) => y === years[0] + k))
    ctx.addIssue({
      code: 'custom',
      message: `the years must follow one another (2021, 2022, ...), found ${years.join(', ')}`,
      params: { code: 'years' },
    });
});

const Demography = z.strictObject({
  birth_rate_2020: PerMille,
  death_rate_2020: PerMille,
  gompertz_slope: Bounded(0, 1),
  /** Men's death hazard over women's at the same age. */
  male_mortality_ratio: Positive(10),
  /** The death hazard's level by calendar year relative to 2020's; the last year's is held after it. */
  mortality_index_by_year: YearIndex,
  /** Mean age of the fertility curve of women living in urban places (and outside Shanxi), and in villages. */
  fertility_mean_age_urban: Bounded(15, 49),
  fertility_mean_age_rural: Bounded(15, 49),
  /** Standard deviation of the fertility curves, years. */
  fertility_sd: Positive(30),
  /** Total fertility of village residents over that of urban residents. */
  rural_fertility_ratio: Positive(10),
  /** The fertility level by calendar year relative to 2020's. */
  fertility_index_by_year: YearIndex,
  /** Yearly relative change of fertility after the last year of fertility_index_by_year. */
  fertility_trend: Growth,
  sex_ratio_at_birth: Bounded(0, 1000),
});

const Labour = z.strictObject({
  separation_rate: Rate,
  matching_efficiency: Figure,
  job_growth: Growth,
  job_growth_by_city: z.partialRecord(z.enum(CITY_IDS), Growth).optional(),
  industry_job_growth_gap: Growth,
  services_share_of_urban_jobs: Share,
  public_share_of_urban_jobs: Share,
  wage_curve_elasticity: Bounded(0, 1),
  labour_demand_elasticity: Bounded(0, 5),
  wage_growth: Growth,
  tier_wage_factor_county_town: Factor,
  tier_wage_factor_other_towns: Factor,
  skill_wage: z.strictObject({ low: Factor, mid: Factor, high: Factor }),
  retirement_age: Age,
  farm_exit_age: Age,
  farm_income_2020: Yuan,
  rural_nonfarm_wage_2020: Yuan,
  youth_participation: Share,
  farm_income_elasticity: Bounded(0, 2),
  urban_pension_2020: Yuan,
  rural_pension_2020: Yuan,
  youth_skill_high: Share,
  youth_skill_mid: Share,
  remittance_share: Share,
  rural_transfer_2020: Yuan,
  rural_transfer_growth: Growth,
});

const Housing = z.strictObject({
  rent_share_of_wage: Share,
  rent_elasticity: Bounded(0, 5),
  market_supply_growth: Growth,
  purchase_rate: Rate,
  affordable_rent_factor: Share,
  public_rent_factor: Share,
  dormitory_rent_factor: Share,
  affordable_allocation_rate: Rate,
  shared_ownership_take_up: Rate,
  shared_ownership_cost_factor: Share,
  old_compounds_2020: Bounded(0, 1e7),
});

const Migration = z.strictObject({
  review_rate: Rate,
  review_rate_unemployed: Rate,
  review_rate_village: Rate,
  review_rate_outside: Rate,
  review_rate_pool: Rate,
  beta_income: Figure,
  beta_housing: Figure,
  beta_services: Figure,
  beta_network: Figure,
  move_cost_county: Figure,
  move_cost_city: Figure,
  move_cost_province: Figure,
  move_cost_outside: Figure,
  home_attachment: Figure,
  taiyuan_bonus: Figure,
  outside_wage_factor: Factor,
  outside_wage_gap_trend: Bounded(-1, 1),
  home_attachment_outside_age_slope: Bounded(-10, 10),
  home_attachment_outside_age_from: Age,
  outside_job_probability: Share,
  outside_rent_share: Share,
  outside_services: Share,
  services_local_hukou: Share,
  services_permit: Share,
  services_none: Share,
  services_village: Share,
  max_age: Age,
  min_age: Age,
  permit_schooling_gain: Share,
  permit_medical_gain: Share,
  beta_renovation: Figure,
});

const Settlement = z.strictObject({
  base_rate: Rate,
  stable_job_boost: Figure,
  owned_home_boost: Figure,
  land_aversion: Share,
  permit_rate: Rate,
  permit_min_months: Bounded(0, 1200),
});

const Family = z.strictObject({
  join_rate: Rate,
  schooling_join_factor: Factor,
  move_with_parent: Share,
  born_left_behind: Share,
});

const Fiscal = z.strictObject({
  service_cost_per_person_year: PositiveYuan,
  spend_years: datum(z.number().min(1)),
});

const Land = z.strictObject({
  housing_persons_per_ha: Bounded(0, 1e5),
  jobs_per_ha: Bounded(0, 1e5),
  land_reserve_years: Bounded(0, 100),
  exit_m2_per_person: Bounded(0, 1e4),
});

/** In-situ urbanization by reclassification, 村改居 (model/reclassify.ts). */
const Reclassification = z.strictObject({
  /** Share of village residents reclassified as urban residents a year. */
  village_rate: Rate,
  /** Multiplier of the rate in the villages of a city's district area (the central districts' fringe). */
  district_area_factor: Factor,
});

/** A county that becomes an urban district of its city (撤县设区) at the start of `year`. */
const CountyToDistrict = z.strictObject({
  /** The county town's name as listed under world.cities[].county_towns. */
  county: z.string().min(1),
  /** The calendar year at whose start the county becomes a district (after the census year, start.ts). */
  year: z.number().int().min(2011).max(2050),
  /** Share of the county's village residents reclassified as urban residents at the event. */
  village_share: z.number().min(0).max(1),
});

/** Events at fixed dates that a scenario may list (none in the baseline). */
const Events = z.strictObject({
  county_to_district: z.array(CountyToDistrict).default([]),
});

/** A lever's value: a number (or true/false for a switch), or a schedule of steps or an expression. */
function leverValue(d: LeverDef) {
  const v = d.boolean ? z.boolean() : z.number().min(d.min).max(d.max);
  const step = z.strictObject({ from: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'a month "YYYY-MM" or a year "YYYY"'), value: v });
  const steps = z.strictObject({ steps: z.array(step).min(1) });
  return d.boolean ? z.union([v, steps]) : z.union([v, steps, z.strictObject({ expr: z.string().min(1) })]);
}

/** Policy levers (policy choices, not data), from the registry in levers.ts; all required. */
const Levers = z.strictObject(
  Object.fromEntries(
    Object.entries(LEVERS).map(([g, ls]) => [g, z.strictObject(Object.fromEntries(Object.entries(ls).map(([n, d]) => [n, leverValue(d as LeverDef)])))]),
  ) as unknown as Record<LeverGroup, z.ZodType<Record<string, LeverValue>>>,
);

export { MAX_RUNS, MAX_SCALE };

/** A whole scenario after `extends` is resolved. */
export const Scenario = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  time: z.strictObject({
    /** The census the world is the state of: 2020-11-01 or 2010-11-01 (core/calendar.ts). */
    start: z.enum(CENSUS_DATES),
    /** The last simulated calendar year, after the start year (start.ts). */
    end_year: z.number().int().min(2011).max(2050),
    ticks_per_year: z.number().int().min(1).max(365).default(12),
  }),
  scale: z.number().int().min(1).max(MAX_SCALE).default(100),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  runs: z.number().int().min(1).max(MAX_RUNS),
  targets: z.string().min(1),
  /**
   * The posterior the runs draw their behaviour parameters from: a CSV file of parameter sets
   * (scenario/posterior.ts), resolved like `targets`; null or absent: every run uses the
   * scenario's own values.
   */
  posterior: z.string().min(1).nullable().optional(),
  world: World,
  behaviour: z.strictObject({
    demography: Demography,
    labour: Labour,
    housing: Housing,
    migration: Migration,
    settlement: Settlement,
    land: Land,
    fiscal: Fiscal,
    reclassification: Reclassification,
    family: Family,
  }),
  levers: Levers,
  /** Dated events (撤县设区); optional, none in the baseline. */
  events: Events.default({ county_to_district: [] }),
});

/** The scenario as the rest of the engine sees it: validated, defaults applied. */
export type Scenario = z.infer<typeof Scenario>;
export type WorldSpec = Scenario['world'];
export type Behaviour = Scenario['behaviour'];
export type LeverSet = Scenario['levers'];
