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

/**
 * Inverts a cumulative distribution: the age whose bin holds u in [0,1), that is the smallest
 * index with cdf[index] > u (cdf.length - 1 when there is none).
 */
export function sampleAge(cdf: Float64Array, u: number): number {
  let lo = 0,
    hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Bins of a CdfSampler's guide table: a power of two, so that u * GUIDE_BINS and j / GUIDE_BINS are exact. */
const GUIDE_BINS = 1024;

/**
 * The inverse of a cumulative distribution `cum` whose last entry is `total`: for u in [0,1), the
 * smallest index with cum[index] > u * total, or cum.length - 1 when there is none, which is what
 * the binary search `sampleAge(cum, u * total)` returns (for an age cdf, total 1: sampleAge(cdf, u)).
 * Found with a guide table (Chen and Asau's indexed search): the answer for the start of u's bin
 * j of [0,1) is looked up, then the scan moves forward to the first entry above u * total, rarely
 * more than one step. Why: the binary search's branches are unpredictable, and the build samples
 * an age and an origin for each of tens of millions of agents. Exact: on a non-decreasing cum with
 * total >= 0 the answer is non-decreasing in u, so for u in [j/K, (j+1)/K) it is at or after the
 * answer for j/K, and the scan stops at the smallest index with cum > u * total, or at the last.
 * Any other cum (possible only from negative weights) gets no guide and the binary search.
 */
export class CdfSampler {
  /** guide[j] = sampleAge(cum, (j / GUIDE_BINS) * total); null when cum is not non-decreasing. */
  private readonly guide: Int32Array | null;

  constructor(
    readonly cum: Float64Array,
    readonly total = 1,
  ) {
    let sorted = total >= 0;
    for (let a = 1; a < cum.length; a++) if (!(cum[a] >= cum[a - 1])) sorted = false;
    this.guide = sorted ? Int32Array.from({ length: GUIDE_BINS }, (_, j) => sampleAge(cum, (j / GUIDE_BINS) * total)) : null;
  }

  /** The same as sampleAge(cum, u * total), for u in [0,1). */
  index(u: number): number {
    const cum = this.cum,
      guide = this.guide,
      x = u * this.total;
    if (guide === null) return sampleAge(cum, x);
    const last = cum.length - 1;
    let a = guide[Math.floor(u * GUIDE_BINS)];
    while (a < last && !(cum[a] > x)) a++;
    return a;
  }
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
