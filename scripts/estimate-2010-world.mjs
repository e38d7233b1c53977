// Estimates the figures of the 2010 census world (scenarios/shanxi-2010.yaml) that
// data/reference/shanxi-data.md does not give. Each figure's method is in its `estimate` string in
// the scenario; test/provenance.test.ts checks that the scenario holds this script's numbers.
// Inputs: the 2010 and 2020 census figures of data/reference/shanxi-data.md, the 2020 scenario's
// own figures and estimates (scenarios/shanxi-2020.yaml) and the model's growth rates and
// mortality (behaviour of scenarios/shanxi-baseline.yaml). Run: node scripts/estimate-2010-world.mjs

/** 2010 census: province, and the seven cities whose 2010 population the reference gives. */
export const RESIDENTS_2010 = 35712111;
export const URBANIZATION_2010 = 48.05;
export const TAIYUAN_URBANIZATION_2010 = 82.54;
export const CITY_RESIDENTS_2010 = {
  taiyuan: 4201591,
  datong: 3318057,
  changzhi: 3334564,
  jincheng: 2279151,
  yuncheng: 5134794,
  linfen: 4316612,
  lvliang: 3727057,
};
/** 2020 census residents (and the 2020 scenario's urban figures, census or estimate) by city. */
export const CITY_2020 = {
  taiyuan: [5304061, 4723657],
  datong: [3105591, 2257531],
  yangquan: [1318505, 928394],
  changzhi: [3180884, 1758714],
  jincheng: [2194545, 1354695],
  shuozhou: [1593444, 881017],
  jinzhong: [3379498, 1941110],
  yuncheng: [4774508, 2500155],
  xinzhou: [2689668, 1446429],
  linfen: [3976481, 2202345],
  lvliang: [3398431, 1837447],
};
export const RESIDENTS_2020 = 34915616;
export const URBAN_2020 = 21831494;
/** Older per-city urbanization rates (annual sample estimates): the one nearest to 2010, and its year. */
export const OLDER = {
  yangquan: [61.61, 2011],
  datong: [56.49, 2011],
  xinzhou: [39.8, 2011],
  lvliang: [39.84, 2011],
  yuncheng: [39.51, 2011],
  linfen: [48.62, 2015],
  jinzhong: [54.14, 2017],
};
/** Hukou urbanization 2017-2020, statistical bulletins. */
export const HUKOU = [
  [2017, 40.06],
  [2018, 40.85],
  [2019, 41.87],
  [2020, 42.9],
];
/** The 2020 census age bands (0-14, 15-59, 60-64, 65+) in percent, and the 2020 death rate. */
export const AGE_2020 = [16.35, 64.73, 18.92 - 12.9, 12.9];
export const DEATH_RATE_2020 = 7.02;
export const MALE_SHARE_2020 = 17805148 / RESIDENTS_2020;
/** The model's mortality (scenarios/shanxi-2020.yaml, demography): Gompertz slope and male ratio. */
export const GOMPERTZ_SLOPE = 0.09;
export const MALE_MORTALITY_RATIO = 1.5;

const round = (x, d = 0) => Number(x.toFixed(d));

/** Weights of single ages 0..100 from band shares, as the model spreads them (src/world/age.ts). */
export function ageWeights(bands) {
  let tail = 0;
  for (let a = 65; a <= 100; a++) tail += 101 - a;
  return Array.from({ length: 101 }, (_, a) => (a < 15 ? bands[0] / 15 : a < 60 ? bands[1] / 45 : a < 65 ? bands[2] / 5 : (bands[3] * (101 - a)) / tail));
}

/** Largest-remainder rounding of `exact` (an object of non-negative numbers) to whole numbers summing to `total`. */
function apportion(exact, total) {
  const out = Object.fromEntries(Object.entries(exact).map(([k, v]) => [k, Math.floor(v)]));
  let left = total - Object.values(out).reduce((a, b) => a + b, 0);
  const order = Object.keys(exact).sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || (a < b ? -1 : 1));
  for (let i = 0; left > 0; i++, left--) out[order[i]]++;
  return out;
}

/**
 * The 2010 age bands by reverse survival of the 2020 census ages (spread as the model spreads
 * them) with the model's mortality at its 2020 level (Gompertz, calibrated to the 2020 death rate
 * on the 2020 ages, men's hazard times the male ratio): the people of age a + 10 in 2020 over their
 * chance of surviving ten years from age a. Ignores migration. Also the crude death rate of 2010 at
 * that mortality, and the mean yearly birth rate of 2010-2020 from the 2020 ages 0-9 survived back
 * to birth, over the mean of the 2010 and 2020 residents.
 */
export function reverseSurvival() {
  const w20 = ageWeights(AGE_2020).map((x) => x / 100);
  const sexFactor = MALE_SHARE_2020 * MALE_MORTALITY_RATIO + (1 - MALE_SHARE_2020);
  let g = 0;
  for (let a = 0; a <= 100; a++) g += w20[a] * sexFactor * Math.exp(GOMPERTZ_SLOPE * a);
  const level = DEATH_RATE_2020 / 1000 / g;
  const q = (a) => Math.min(1, level * sexFactor * Math.exp(GOMPERTZ_SLOPE * a));
  const survive = (from, years) => {
    let s = 1;
    for (let k = 0; k < years; k++) s *= 1 - q(from + k);
    return s;
  };
  const w10 = Array.from({ length: 101 }, (_, a) => (a + 10 <= 100 ? w20[a + 10] / survive(a, 10) : 0));
  const total = w10.reduce((s, x) => s + x, 0);
  const share = (lo, hi) => (100 * w10.slice(lo, hi + 1).reduce((s, x) => s + x, 0)) / total;
  const bands = { age_0_14: share(0, 14), age_15_59: share(15, 59), age_60_plus: share(60, 100), age_65_plus: share(65, 100) };
  let deaths = 0;
  for (let a = 0; a <= 100; a++) deaths += (w10[a] / total) * q(a);
  let births = 0;
  // Ages 0..9 in 2020: born in the ten years before the census, each surviving its age in years.
  for (let a = 0; a <= 9; a++) births += (w20[a] * RESIDENTS_2020) / survive(0, a);
  const birthRate = (1000 * births) / 10 / ((RESIDENTS_2010 + RESIDENTS_2020) / 2);
  return { bands, deathRate: 1000 * deaths, birthRate, level };
}

/** The 2010 residents of the four cities without a 2010 figure: the province's residual split by their 2020 shares. */
export function cityResidents() {
  const known = Object.values(CITY_RESIDENTS_2010).reduce((a, b) => a + b, 0);
  const missing = Object.keys(CITY_2020).filter((c) => !(c in CITY_RESIDENTS_2010));
  const residual = RESIDENTS_2010 - known;
  const base = missing.reduce((s, c) => s + CITY_2020[c][0], 0);
  const split = apportion(Object.fromEntries(missing.map((c) => [c, (residual * CITY_2020[c][0]) / base])), residual);
  return { residual, residents: { ...CITY_RESIDENTS_2010, ...split } };
}

/**
 * Urban residents by city in 2010. The province: 48.05% of the residents. Taiyuan: its 2010 census
 * rate. The other ten: a prior rate, then one additive shift so that they add up to the province
 * less Taiyuan. The prior: the older sample rate nearest to 2010 carried back to 2010 by the
 * province's yearly fall of the rural share (2010-2015, census 48.05% and the plan's 55.87%; for a
 * rate of 2017, 2015-2020 from 2017 to 2015), or for a city with none the 2020 scenario's rate
 * carried back by the province's 2010-2020 fall.
 */
export function cityUrban(residents) {
  const urban = Math.round((RESIDENTS_2010 * URBANIZATION_2010) / 100);
  const taiyuan = Math.round((residents.taiyuan * TAIYUAN_URBANIZATION_2010) / 100);
  const fall1015 = Math.pow((100 - 55.87) / (100 - URBANIZATION_2010), 1 / 5);
  const fall1520 = Math.pow((100 - 62.53) / (100 - 55.87), 1 / 5);
  const fall1020 = Math.pow((100 - 62.53) / (100 - URBANIZATION_2010), 1 / 10);
  /** The rural share of year y carried back to 2010. */
  const back = (rural, y) => (y <= 2015 ? rural / Math.pow(fall1015, y - 2010) : rural / Math.pow(fall1520, y - 2015) / Math.pow(fall1015, 5));
  const prior = {};
  for (const c of Object.keys(CITY_2020)) {
    if (c === 'taiyuan') continue;
    if (c in OLDER) prior[c] = 100 - back(100 - OLDER[c][0], OLDER[c][1]);
    else prior[c] = 100 - (100 - (100 * CITY_2020[c][1]) / CITY_2020[c][0]) / Math.pow(fall1020, 10);
  }
  const ten = urban - taiyuan;
  let sum = 0,
    res = 0;
  for (const c in prior) {
    sum += (residents[c] * prior[c]) / 100;
    res += residents[c];
  }
  const shift = ((ten - sum) / res) * 100;
  const out = apportion(Object.fromEntries(Object.keys(prior).map((c) => [c, (residents[c] * (prior[c] + shift)) / 100])), ten);
  return { urban, taiyuan, prior, shift, byCity: { taiyuan, ...out } };
}

/** Hukou urbanization of 2010: the least-squares line through 2017-2020 extended back to 2010. */
export function hukou2010() {
  const n = HUKOU.length,
    mx = HUKOU.reduce((s, [x]) => s + x, 0) / n,
    my = HUKOU.reduce((s, [, y]) => s + y, 0) / n;
  const slope = HUKOU.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / HUKOU.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return { slope, rate: my + slope * (2010 - mx) };
}

/** A 2020 level deflated to 2010 by ten years of a yearly growth rate g. */
export const deflate = (v2020, g, years = 10) => v2020 / Math.pow(1 + g, years);

/** Every estimated number of the 2010 world, rounded as the scenario states it. */
export function estimate() {
  const { residual, residents } = cityResidents();
  const u = cityUrban(residents);
  const rs = reverseSurvival();
  const urbanRatio = u.urban / URBAN_2020;
  const urbanIncome = deflate(32590, 0.06);
  const ruralIncome = deflate(32590 / 2.51, 0.07);
  return {
    residual,
    residents,
    urban: u.urban,
    cityUrban: u.byCity,
    cityPrior: u.prior,
    shift: u.shift,
    urbanRatio,
    hukou: hukou2010(),
    age: Object.fromEntries(Object.entries(rs.bands).map(([k, v]) => [k, round(v, 2)])),
    deathRate: round(rs.deathRate, 2),
    birthRate: round(rs.birthRate, 2),
    male: Math.round((RESIDENTS_2010 * 104.06) / 204.06),
    fromOtherProvinces: Math.round(1620518 * urbanRatio),
    floatingWithin: Math.round(8053282 * urbanRatio),
    employed: Math.round((17380000 * RESIDENTS_2010) / RESIDENTS_2020),
    urbanEmployed: Math.round(10020000 * urbanRatio),
    countyTownSmall1: Math.round(180000 * urbanRatio),
    countyTownSmall2: Math.round(60000 * urbanRatio),
    wage2010: Math.round(deflate(69551, 0.06, 9)),
    urbanIncome: Math.round(urbanIncome),
    incomeRatio: round(urbanIncome / ruralIncome, 2),
    farmIncome: Math.round(deflate(18000, 0.07)),
    ruralNonFarmWage: Math.round(deflate(30000, 0.07)),
    urbanPension: Math.round(deflate(36000, 0.06)),
    ruralPension: Math.round(deflate(1800, 0.06)),
    ruralTransfer: Math.round(deflate(3000, 0.08)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(estimate(), null, 1));
