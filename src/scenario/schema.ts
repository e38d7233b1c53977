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

export const CITY_IDS = [
  'taiyuan', 'datong', 'yangquan', 'changzhi', 'jincheng', 'shuozhou',
  'jinzhong', 'yuncheng', 'xinzhou', 'linfen', 'lvliang',
] as const;
export type CityId = (typeof CITY_IDS)[number];

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
  residents: Count,
  urban: Count,
  /** 2019 average wage in urban non-private units, yuan. */
  wage_2019: Count,
  /** Share of residents aged 65+, where the census bulletin gives it for the city. */
  share_65_plus: Percent.optional(),
  /** Full census age shares, where the bulletin gives them for the city. */
  age: AgeShares.optional(),
  county_towns: z.array(CountyTown).min(1),
});


const World = z.strictObject({
  province: z.strictObject({
    residents: Count,
    urban: Count,
    hukou_urbanization_rate: Percent,
    from_other_provinces: Count,
    floating_within_province: Count,
    outside_stock: Count,
    outside_urban_hukou_share: Share,
    in_migrant_pool: Count,
    village_urban_hukou_share: Share,
    age: AgeShares,
    male: Count,
    female: Count,
    university_per_100k: Count,
    senior_high_per_100k: Count,
    employed: Count,
    urban_employed: Count,
    farm_share_of_employed: Percent,
    urban_unemployment_rate: Percent,
    wage_2020: Count,
    wage_2019: Count,
    urban_disposable_income_2020: Count,
    urban_rural_income_ratio_2020: Figure,
    public_rental_units: Count,
    persons_per_unit: Count,
  }),
  /** Where the urban residents of a city live: county towns by 专栏3 class, and town seats (镇区). */
  settlement: z.strictObject({
    county_town_persons_small_1: Count,
    county_town_persons_small_2: Count,
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
  }),
  cities: z.array(City).length(11),
  central_cluster: z.array(z.enum(CITY_IDS)).min(1),
});

const Demography = z.strictObject({
  birth_rate_2020: Figure,
  death_rate_2020: Figure,
  gompertz_slope: Figure,
  fertility_trend: Growth,
  sex_ratio_at_birth: Figure,
});

const Labour = z.strictObject({
  separation_rate: Rate,
  matching_efficiency: Figure,
  job_growth: Growth,
  job_growth_by_city: z.partialRecord(z.enum(CITY_IDS), Growth).optional(),
  services_share_of_urban_jobs: Share,
  wage_growth: Growth,
  tier_wage_factor_county_town: Figure,
  tier_wage_factor_other_towns: Figure,
  skill_wage: z.strictObject({ low: Figure, mid: Figure, high: Figure }),
  retirement_age: Figure,
  farm_exit_age: Figure,
  farm_income_2020: Count,
  rural_nonfarm_wage_2020: Count,
  youth_participation: Share,
  farm_income_elasticity: Figure,
  urban_pension_2020: Count,
  rural_pension_2020: Count,
  youth_skill_high: Share,
  youth_skill_mid: Share,
});

const Housing = z.strictObject({
  rent_share_of_wage: Share,
  rent_elasticity: Figure,
  market_supply_growth: Growth,
  purchase_rate: Rate,
  affordable_rent_factor: Share,
  public_rent_factor: Share,
  dormitory_rent_factor: Share,
  affordable_allocation_rate: Rate,
  shared_ownership_take_up: Rate,
  shared_ownership_cost_factor: Share,
  old_compounds_2020: Count,
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
  outside_wage_factor: Figure,
  outside_job_probability: Share,
  outside_rent_share: Share,
  outside_services: Share,
  services_local_hukou: Share,
  services_permit: Share,
  services_none: Share,
  services_village: Share,
  max_age: Figure,
  min_age: Figure,
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
  permit_min_months: Figure,
});

const Fiscal = z.strictObject({
  service_cost_per_person_year: Count,
  spend_years: datum(z.number().min(1)),
});

const Land = z.strictObject({
  housing_persons_per_ha: Figure,
  jobs_per_ha: Figure,
  housing_land_share: Share,
  exit_m2_per_person: Count,
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
  Object.fromEntries(Object.entries(LEVERS).map(([g, ls]) => [g, z.strictObject(Object.fromEntries(Object.entries(ls).map(([n, d]) => [n, leverValue(d as LeverDef)])))])) as unknown as Record<LeverGroup, z.ZodType<Record<string, LeverValue>>>,
);

/** A whole scenario after `extends` is resolved. */
export const Scenario = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  time: z.strictObject({
    start: z.literal('2020-11-01'),
    end_year: z.number().int().min(2021).max(2050),
    ticks_per_year: z.number().int().min(1).max(365).default(12),
  }),
  scale: z.number().int().min(1).max(100000).default(100),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  runs: z.number().int().min(1).max(100000),
  targets: z.string().min(1),
  world: World,
  behaviour: z.strictObject({
    demography: Demography,
    labour: Labour,
    housing: Housing,
    migration: Migration,
    settlement: Settlement,
    land: Land,
    fiscal: Fiscal,
  }),
  levers: Levers,
});

/** The scenario as the rest of the engine sees it: validated, defaults applied. */
export type Scenario = z.infer<typeof Scenario>;
export type WorldSpec = Scenario['world'];
export type Behaviour = Scenario['behaviour'];
export type LeverSet = Scenario['levers'];
