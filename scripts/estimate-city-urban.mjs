// Estimates the 2020 urban residents of the eight cities whose census figure was not found
// (data/reference/shanxi-data.md), so that the eight sum exactly to the province's remainder.
// Method: each city's latest older urbanization rate is carried to 2020 by the province's
// 2015-2020 fall of the rural share (urban-rural growth difference method); cities with no older
// rate start from the eight-city average (Jincheng from its year-end 2020 estimate); one additive
// shift then makes the eight add up to 13,403,877 urban residents, and the largest-remainder
// method rounds to whole persons. Run: node scripts/estimate-city-urban.mjs
export const RESIDENTS = {
  yangquan: 1318505,
  changzhi: 3180884,
  jincheng: 2194545,
  shuozhou: 1593444,
  jinzhong: 3379498,
  yuncheng: 4774508,
  linfen: 3976481,
  lvliang: 3398431,
};
export const OLDER = {
  yangquan: [61.61, 2011],
  jinzhong: [54.14, 2017],
  yuncheng: [50.2, 2018],
  linfen: [48.62, 2015],
  lvliang: [41.61, 2012],
  jincheng: [62.72, 2020],
  changzhi: [56.28, 2020],
  shuozhou: [56.28, 2020],
};
export const EIGHT_URBAN = 13403877;

export function estimate() {
  const ruralFall = Math.pow((100 - 62.53) / (100 - 55.87), 1 / 5);
  const prior = {};
  for (const [c, [rate, year]] of Object.entries(OLDER)) prior[c] = 100 - (100 - rate) * Math.pow(ruralFall, 2020 - year);
  let sum = 0,
    res = 0;
  for (const c in RESIDENTS) {
    sum += (RESIDENTS[c] * prior[c]) / 100;
    res += RESIDENTS[c];
  }
  const shift = ((EIGHT_URBAN - sum) / res) * 100;
  const exact = Object.fromEntries(Object.keys(RESIDENTS).map((c) => [c, (RESIDENTS[c] * (prior[c] + shift)) / 100]));
  const out = Object.fromEntries(Object.entries(exact).map(([c, v]) => [c, Math.floor(v)]));
  let left = EIGHT_URBAN - Object.values(out).reduce((a, b) => a + b, 0);
  const order = Object.keys(exact).sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || (a < b ? -1 : 1));
  for (let i = 0; left > 0; i++, left--) out[order[i]]++;
  return { prior, shift, urban: out };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { prior, shift, urban } = estimate();
  console.log(`additive shift ${shift.toFixed(3)} points`);
  for (const c in urban) console.log(c.padEnd(9), prior[c].toFixed(2), urban[c], ((100 * urban[c]) / RESIDENTS[c]).toFixed(2) + '%');
}
