/**
 * Age distributions for the initial population. The census gives band shares (0-14, 15-59, 60+,
 * 65+); within a band ages are spread evenly, except 65+ where the weight falls linearly, reaching zero
 * at 101 (a survival-shaped tail). Migrants get their own, working-age distribution; the rest of a
 * city's people get what makes the city as a whole match its census shares.
 */

/** Band shares in percent: 0-14, 15-59, 60-64, 65+. */
export type Bands = [number, number, number, number];

/** Share of migrants by band (estimate: migration is concentrated in working age; docs/model.md). */
export const MIGRANT_BANDS: Bands = [18, 78, 2, 2];

const MAX_AGE = 100;

/** Cumulative distribution over single years 0..100 for band shares. */
export function ageCdf(bands: Bands): Float64Array {
  const w = new Float64Array(MAX_AGE + 1);
  for (let a = 0; a <= MAX_AGE; a++) {
    if (a < 15) w[a] = bands[0] / 15;
    else if (a < 60) w[a] = bands[1] / 45;
    else if (a < 65) w[a] = bands[2] / 5;
    else w[a] = (bands[3] * (MAX_AGE + 1 - a)) / tailWeight();
  }
  const cdf = new Float64Array(MAX_AGE + 1);
  let s = 0;
  for (let a = 0; a <= MAX_AGE; a++) cdf[a] = s += w[a];
  for (let a = 0; a <= MAX_AGE; a++) cdf[a] /= s;
  return cdf;
}

function tailWeight(): number {
  let t = 0;
  for (let a = 65; a <= MAX_AGE; a++) t += MAX_AGE + 1 - a;
  return t;
}

/** Inverts a cumulative distribution: the age whose bin holds u in [0,1). */
export function sampleAge(cdf: Float64Array, u: number): number {
  let lo = 0, hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Band shares for the non-migrants of a city, so that natives and migrants together match the
 * city's census shares: (city * total - migrant * migrants) / natives, clamped at 0.
 */
export function nativeBands(city: Bands, total: number, migrants: number): Bands {
  const natives = total - migrants;
  if (natives <= 0) return city;
  const out = city.map((s, i) => Math.max(0, (s * total - MIGRANT_BANDS[i] * migrants) / natives)) as Bands;
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((s) => (s / sum) * 100) as Bands;
}
