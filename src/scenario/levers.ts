/**
 * The policy levers of the plan, in one registry: path, unit, range, and whether it is a switch.
 * The scenario schema, the schedule resolver, the sweep's `--vary` and the docs all read it: the lever
 * tables of docs/scenarios.md §4 are made from it (`node scripts/lever-table.mjs --write`, src/scenario/lever-docs.ts).
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
  /** What it does (docs column "meaning"; "as above": as the lever before it). */
  meaning: string;
  /** The passage of the plan it stands for (docs column "plan"; "same": as the lever before it). */
  plan: string;
  /** How it enters the rules, with the equation (docs column "rule and equation"; "same": as above). */
  enters: string;
}

/** A lever's unit and range; its entry adds `meaning`, `plan` and `enters`. */
type Range = Pick<LeverDef, 'unit' | 'min' | 'max' | 'boolean'>;
const share = (unit = 'share, 0-1'): Range => ({ unit, min: 0, max: 1 });
const count = (unit: string, max = 1e7): Range => ({ unit, min: 0, max });
const growth = (unit = 'change per year, e.g. 0.01 = +1 point'): Range => ({ unit, min: -0.5, max: 0.5 });
const flag = (): Range => ({ unit: 'true/false', min: 0, max: 1, boolean: true });

/** Every lever by group and name. */
export const LEVERS = {
  hukou: {
    openness_taiyuan: {
      ...share('share of full openness, 0-1'),
      meaning: 'how open settlement is in the tier. 0 closes it and 1 means fully open.',
      plan: '第三章第一节 持续深化户籍制度改革: "落实全面放开放宽城市落户条件的各项政策"',
      enters: 'settlement (model.md §5.6): `prob = perTick(base_rate) × openness_τ × …` (`openness[tier]`)',
    },
    openness_prefecture: { ...share('share of full openness, 0-1'), meaning: 'as above, other prefecture cities', plan: 'same', enters: 'same' },
    openness_county: {
      ...share('share of full openness, 0-1'),
      meaning: 'as above, county towns and town seats',
      plan: 'same; 第四章第四节 "促进农业转移人口就近城镇化"',
      enters: 'same',
    },
    required_years_taiyuan: {
      ...count('years of residence or social insurance', 20),
      meaning: 'minimum residence in the place before settlement is possible',
      plan: '第三章第一节: "以在城镇稳定就业或居住的农业转移人口和各类人才为重点"; 第二章第三节: "经常居住地登记户口制度取得实质性进展"',
      enters: 'settlement: settling requires `months ≥ 12 × required_years_τ` (`requiredMonths[tier]`; fractional years allowed)',
    },
    required_years_prefecture: { ...count('years of residence or social insurance', 20), meaning: 'as above', plan: 'same', enters: 'same' },
    required_years_county: { ...count('years of residence or social insurance', 20), meaning: 'as above', plan: 'same', enters: 'same' },
    land_rights_condition: {
      ...flag(),
      meaning: 'if true, settling requires giving up rural land rights',
      plan: '第三章第三节 维护进城落户农民合法权益: "不得以退出上述权益作为农民进城落户的条件". The plan forbids the condition; `true` is a counterfactual.',
      enters:
        'settlement: for land-rights holders `prob ×= 1 − land_aversion`; settling clears `landRights` and releases `exit_m2_per_person` of homestead land as quota (§5.7)',
    },
    paid_land_exit_rate: {
      ...share('probability per settlement'),
      meaning: 'share of settlers (without the condition) who give up their land rights for payment when they settle',
      plan: '第三章第三节: "支持引导进城落户农民依法自愿有偿转让上述权益，建立健全农户\'三权\'市场化退出机制"',
      enters:
        'settlement: clears `landRights` with this probability (one draw per settlement, channel `landExit`); each exit releases `behaviour.land.exit_m2_per_person` of homestead land as urban quota at the settling place (land, §5.7)',
    },
  },
  residence_permit: {
    issue_multiplier: {
      ...count('multiple of the behavioural issue rate', 10),
      meaning: 'scales the yearly rate at which eligible residents obtain a permit',
      plan: '第三章第一节 全面深化居住证制度: "确保有意愿的未落户常住人口全部持有居住证"',
      enters: 'settlement (§5.6): per-tick permit probability `perTick(min(1, permit_rate × issue_multiplier))` once `months ≥ permit_min_months`',
    },
    opens_schooling: {
      ...flag(),
      meaning: "permits give migrants' children public schooling (随迁子女入学)",
      plan: '第三章第一节: "完善以居住证为主要依据的义务教育入学…等制度"; 第三章第二节: "落实以居住证为主要依据的随迁子女入学政策"',
      enters:
        'migration (§5.5): the services level of a permit holder is `services_permit + g × (services_local_hukou − services_permit)` with `g = min(1, opens_schooling × permit_schooling_gain + opens_medical × permit_medical_gain)` (`servicesPermit` in `leverParams`), entering `β_S S` in the stay utility; households (§5.10): a child apart from its mother, a permit holder, joins her at `join_rate × schooling_join_factor`',
    },
    opens_medical: {
      ...flag(),
      meaning: 'permits give medical settlement where one lives (就医结算)',
      plan: '第三章第一节: "以居住证为主要依据的…就医结算…等制度"; 第三章第二节: "完善医疗保险异地就医费用直接结算制度"',
      enters: 'same equation, with `behaviour.migration.permit_medical_gain`',
    },
    opens_affordable_housing: {
      ...flag(),
      meaning: 'permit holders become eligible for affordable rental, public rental and shared-ownership homes',
      plan: '第三章第一节: "完善以居住证为主要依据的…保障性住房等制度"; 第三章第二节 加大住房保障力度: "促进保障对象从户籍家庭转向覆盖城镇常住人口"',
      enters: 'housing tenure (§5.4): eligible = local hukou, or (permit and this lever) (`permitOpensAffordable`)',
    },
  },
  housing: {
    affordable_rental_units_per_year: {
      ...count('units per year, province'),
      meaning: 'new 保障性租赁住房',
      plan: '第三章第二节: "完善以公租房、保障性租赁住房和共有产权房为主体的住房保障体系"; 专栏4 item 2 城镇保障性租赁住房; 第五章第一节 "积极发展保障性租赁住房"',
      enters:
        'housing market (§5.3): `housing[p, affordableRental] += units × persons_per_unit / T / s × pop_p / Σ_urban pop` each tick (`affordablePersonsPerTick`). Allocated to eligible renters (§5.4), rent `affordable_rent_factor × rent`',
    },
    public_rental_units_per_year: {
      ...count('units per year, province'),
      meaning: 'new 公租房',
      plan: '第三章第二节: "做好公租房保障，实行实物保障和货币补贴并举，面向城镇常住人口住房、收入困难家庭供应"',
      enters: 'same, into public-rental capacity (`publicPersonsPerTick`); rent `public_rent_factor × rent`',
    },
    shared_ownership_units_per_year: {
      ...count('units per year, province'),
      meaning: 'new 共有产权住房',
      plan: '第三章第二节: "因地制宜发展共有产权住房，供应范围以面向户籍人口为主，逐步扩大到常住人口"',
      enters:
        'same, into shared-ownership capacity (`sharedPersonsPerTick`). An eligible market renter with an urban job takes a free unit with per-tick probability `perTick(shared_ownership_take_up)` (§5.4); cost `shared_ownership_cost_factor × rent`; counts as owned for the settlement boost (§5.6)',
    },
    dormitory_places_per_year: {
      ...count('places per year, province'),
      meaning: 'employer dormitories and apartments (bed places = persons)',
      plan: '第三章第二节: "支持农业转移人口数量较多的企业、开发区、产业园区集中建设员工宿舍和公寓"',
      enters:
        'housing market: each tick `places / T / s × jobs_p / Σ_urban jobs` of dormitory capacity (`dormitoryPersonsPerTick`). Movers use it when market rental is full (§5.5); cost `dormitory_rent_factor × rent`',
    },
    old_compounds_renovated_per_year: {
      ...count('compounds per year, province', 1e5),
      meaning: 'old residential compounds (老旧小区) renovated',
      plan: '第二章第三节: "到 2025 年，基本完成 7701 个城镇老旧小区的改造任务"; 专栏1 row 5 累计改造城镇老旧小区 ≥7000; 专栏4 item 1 老旧小区改造',
      enters:
        'housing market: `compounds_p += n / T × pop_p / Σ_urban pop` (`compoundsPerTick`; whole compounds, not divided by s). Migration (§5.5): amenity `beta_renovation × min(1, compounds_p / compoundStock_p)` in the arrival and stay utilities of urban places, `compoundStock` = `old_compounds_2020` split by urban residents. Not reported as an outcome: the count renovated is the lever itself (targets `old_compounds_renovated_*` are marked as inputs)',
    },
  },
  jobs: {
    extra_job_growth: {
      ...growth('added to job growth per year, all urban places'),
      meaning: 'extra growth of urban labour demand (industry and services) in every urban place',
      plan: 'no single passage: the target 城镇新增就业 (专栏1 row 2) and 第四章第六节 壮大中心城市发展能级',
      enters:
        'labour (§5.2): `g_p = job growth of the city + extra_job_growth (+ county_town_job_growth in county towns)`, the trend of labour demand in industry and services `trend ×= (1 + g_p)^(1/T)` (`jobGrowthTick`); capacity follows demand as far as construction land allows',
    },
    county_town_job_growth: {
      ...growth('added to job growth per year, county towns'),
      meaning: 'extra job growth in county towns only (not the town seats)',
      plan: '第四章第四节 强化县城重要载体作用: "引导劳动密集型产业、区域优势产业和农村二三产业向县城集聚"; 第三章第三节: "积极拓展县域内就业岗位，扩大农村劳动力就地就近就业规模"',
      enters: 'same equation',
    },
    training_rate: {
      ...share('probability per year per worker below the top skill'),
      meaning:
        'chance that a low- or mid-skill urban worker or job seeker gains one skill level. This applies to everyone in that group, not only migrants, and includes Shanxi people working outside the province.',
      plan: '第三章第三节 增强农业转移人口就业创业能力: "强化农业转移人口职业技能培训和职业教育…持续大规模开展面向新生代农民工等的职业技能培训"; target 第二章第三节 "技能人才占从业人员比例达到 35%"',
      enters: 'labour: `skill += 1` with per-tick probability `perTick(training_rate)` (`trainingTick`)',
    },
    employment_services: {
      ...count('relative gain in hiring efficiency', 5),
      meaning: 'public employment services that make hiring faster',
      plan: '第三章第三节: "健全统筹城乡的公共就业创业服务体系，免费提供职业指导、职业介绍…建立互联共享的省级就业创业信息服务平台"',
      enters: 'labour: hiring probability `1 − exp(−matching_efficiency × (1 + employment_services)/T × V/U)` (`matchingPerTick`)',
    },
  },
  land: {
    m2_per_settler: {
      ...count('m² of construction land per settled person', 1000),
      meaning: 'construction-land quota granted to a place for each person who settles there (人地挂钩)',
      plan: '第三章第四节: "健全城镇建设用地增加规模与吸纳农业转移人口落户数量挂钩机制…依据国土空间规划和上一年度进城落户人口数量，专项安排进城落户人口相应的新增建设用地计划指标"',
      enters:
        'settlement and land (§5.7): `ha = m2_per_settler/10000 × s` per settling agent, added at once to the construction land available at the place (`haPerSettler`, `landAvail`), which job capacity (at `jobs_per_ha`) and market housing (at `housing_persons_per_ha`) need to grow towards their demand. It creates no jobs or homes by itself. Reported in `land_quota_ha`',
    },
    idle_land_reuse_ha_per_year: {
      ...count('hectares per year, province', 1e5),
      meaning: 'idle or approved-but-unsupplied construction land brought back into use',
      plan: '第六章第一节 促进城镇建设用地集约高效利用: "强化增存挂钩，加强增存联动，加大存量建设用地盘活力度，推进批而未供、闲置土地消化处置…"',
      enters:
        'rule `land reuse` (`landReuse`, last in the schedule, §5.7): each tick `ha / T × pop_p / Σ_urban pop` hectares per urban place (`idleHaPerTick`), added to the construction land available like the quota. Reported in `land_reused_ha`',
    },
  },
  fiscal: {
    transfer_per_settler: {
      ...count('yuan per settled person, once', 1e6),
      meaning: 'the fiscal transfer a place receives for each person who settles there, spent on public services for residents without local hukou',
      plan: '第三章第四节 完善财政转移支付与农业转移人口市民化挂钩机制: "健全财政转移支付和农业转移人口市民化奖励机制…对吸纳农业转移人口落户多且民生支出缺口较大的地区给予支持"',
      enters:
        "settlement: `fund_p += transfer_per_settler × s` per settling agent. Housing market (§5.3): the fund is spent over `behaviour.fiscal.spend_years`, `fund_p ×= (1 − 1/spend_years)^(1/T)` each tick, and `coverage_p = min(1, fund_p / spend_years / (service_cost_per_person_year × nonLocal_p × s))`. Migration (§5.5): a non-local resident's services `S = S_base + coverage_p × (services_local_hukou − S_base)` (`servicesFor`)",
    },
  },
  rural: {
    rural_income_growth: {
      ...growth('farm and rural wage growth per year'),
      meaning: 'yearly growth of farm income per farmer and of the rural non-farm wage',
      plan: 'outside 第三/四章: 第七章第四节 "促进农民收入持续稳定增长"; the target 城乡居民人均可支配收入比 2.3 (第二章第三节, 专栏1 row 3)',
      enters:
        'the engine keeps the level `R_t = Π_{past ticks} (1 + g_k)^(1/T)` (`ctx.ruralLevel`, g_k the lever at tick k). Labour (§5.2): farm income `farm_income_2020 × R_t × crowding`, non-farm wage `rural_nonfarm_wage_2020 × R_t`. These enter incomes, `rural_income` and the migration utilities',
    },
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
