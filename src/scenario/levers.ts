/**
 * The policy levers of the plan, in one registry: path, unit, range, and whether it is a switch.
 * The scenario schema, the schedule resolver, the sweep's `--vary` and the docs all read it.
 * A lever's value in a scenario is a number (or true/false for a switch), or a schedule:
 * `{ steps: [{ from: "2023-01", value }] }` or `{ expr: "0.8 + 0.05 * (year - 2021)" }` (mathjs;
 * `year` is the calendar year at the tick, fractional; `t` the years since the census).
 */

/** A lever's definition. */
export interface LeverDef {
  unit: string;
  min: number;
  max: number;
  /** A switch: false/true, stored as 0/1. */
  boolean?: boolean;
}

const share = (unit = 'share, 0-1'): LeverDef => ({ unit, min: 0, max: 1 });
const count = (unit: string, max = 1e7): LeverDef => ({ unit, min: 0, max });
const growth = (unit = 'change per year, e.g. 0.01 = +1 point'): LeverDef => ({ unit, min: -0.5, max: 0.5 });
const flag = (): LeverDef => ({ unit: 'true/false', min: 0, max: 1, boolean: true });

/** Every lever by group and name. */
export const LEVERS = {
  hukou: {
    openness_taiyuan: share('share of full openness, 0-1'),
    openness_prefecture: share('share of full openness, 0-1'),
    openness_county: share('share of full openness, 0-1'),
    required_years_taiyuan: count('years of residence or social insurance', 20),
    required_years_prefecture: count('years of residence or social insurance', 20),
    required_years_county: count('years of residence or social insurance', 20),
    land_rights_condition: flag(),
    paid_land_exit_rate: share('probability per settlement'),
  },
  residence_permit: {
    issue_multiplier: count('multiple of the behavioural issue rate', 10),
    opens_schooling: flag(),
    opens_medical: flag(),
    opens_affordable_housing: flag(),
  },
  housing: {
    affordable_rental_units_per_year: count('units per year, province'),
    public_rental_units_per_year: count('units per year, province'),
    shared_ownership_units_per_year: count('units per year, province'),
    dormitory_places_per_year: count('places per year, province'),
    old_compounds_renovated_per_year: count('compounds per year, province', 1e5),
  },
  jobs: {
    extra_job_growth: growth('added to job growth per year, all urban places'),
    county_town_job_growth: growth('added to job growth per year, county towns'),
    training_rate: share('probability per year per worker below the top skill'),
    employment_services: count('relative gain in hiring efficiency', 5),
  },
  land: {
    m2_per_settler: count('m² of construction land per settled person', 1000),
    idle_land_reuse_ha_per_year: count('hectares per year, province', 1e5),
  },
  fiscal: {
    transfer_per_settler: count('yuan per settled person, once', 1e6),
  },
  rural: {
    rural_income_growth: growth('farm and rural wage growth per year'),
  },
} as const satisfies Record<string, Record<string, LeverDef>>;

export type LeverGroup = keyof typeof LEVERS;
/** A lever's path, `group.name`. */
export type LeverPath = { [G in LeverGroup]: `${G}.${keyof (typeof LEVERS)[G] & string}` }[LeverGroup];

/** Every lever path with its definition, in registry order. */
export const LEVER_LIST: { path: LeverPath; def: LeverDef }[] = Object.entries(LEVERS).flatMap(([g, levers]) =>
  Object.entries(levers).map(([name, def]) => ({ path: `${g}.${name}` as LeverPath, def: def as LeverDef })),
);

/** The definition of a lever path, or undefined. */
export function leverDef(path: string): LeverDef | undefined {
  return LEVER_LIST.find((l) => l.path === path)?.def;
}
