/**
 * Mothers at the build (docs/model.md, 4.9): each child under 16 of the census population gets a
 * mother, a woman with the same hukou place whose age exceeds the child's by a gap of 20 to 40
 * years, drawn from a normal curve of mothers' ages at birth around GAP_MEAN (28), sd GAP_SD (5.5):
 * the single fertility curve of the model before fertility differed by residence (docs/model.md
 * 5.8). A child lives with its mother: she is sought at the
 * child's place, at the drawn age first, then at the ages nearest to it within the window. A
 * share of the village children of each hukou village are instead left behind (留守儿童): their
 * mother is sought among the women of the same hukou living elsewhere (migrant mothers), so that
 * at each village the left-behind are `left_behind_share_2020 / (1 - share)` times the children of
 * its hukou living away from it (the children who migrated with their mothers). A child for whom
 * no woman fits has no mother (parent -1).
 *
 * Runs after groupAgents (group.ts), since the links are agent ids. Draws are keyed by the world
 * key, channel `leftBehind`, with the sub-draw (gap, pick, left behind) in the tick slot.
 */
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import type { Scenario } from '../scenario/schema.js';
import { Flag } from './agents.js';
import { CdfSampler } from './age.js';
import { PlaceKind } from './places.js';
import type { World } from './world.js';

/** Children are the agents under this age. */
export const CHILD_AGE = 16;
/** The window of the mother's age over the child's, years. */
export const MIN_GAP = 20;
export const MAX_GAP = 40;
/** Mothers' ages: MIN_GAP .. CHILD_AGE - 1 + MAX_GAP. */
const LOW = MIN_GAP,
  AGES = CHILD_AGE - 1 + MAX_GAP - MIN_GAP + 1;

/** Mean and standard deviation of the mother's age at the child's birth (estimates). */
const GAP_MEAN = 28,
  GAP_SD = 5.5;

/** The distribution of the age gap: a normal curve of mean GAP_MEAN and sd GAP_SD over MIN_GAP..MAX_GAP. */
function gapSampler(): CdfSampler {
  const cum = new Float64Array(MAX_GAP - MIN_GAP + 1);
  let t = 0;
  for (let g = MIN_GAP; g <= MAX_GAP; g++) {
    const z = (g - GAP_MEAN) / GAP_SD;
    cum[g - MIN_GAP] = t += Math.exp(-0.5 * z * z);
  }
  return new CdfSampler(cum, t);
}

/** Links every child under 16 of the built population to its mother (A.parent); returns the number linked. */
export function assignMothers(sc: Scenario, world: World, key: number): number {
  const A = world.agents,
    P = world.places,
    n = A.count,
    place = A.place,
    hukou = A.hukouPlace,
    age = A.age,
    flags = A.flags,
    parent = A.parent;
  const kGap = tickKey(key, 0, Channel.leftBehind),
    kPick = tickKey(key, 1, Channel.leftBehind),
    kAway = tickKey(key, 2, Channel.leftBehind);

  // The women of mothers' ages, by (hukou place, age), and within each by place, then id: two
  // stable counting sorts.
  const isWoman = (i: number) => (flags[i] & Flag.female) !== 0 && age[i] >= LOW && age[i] < LOW + AGES;
  const byPlace = new Int32Array(P.n + 1);
  let nWomen = 0;
  for (let i = 0; i < n; i++)
    if (isWoman(i)) {
      byPlace[place[i] + 1]++;
      nWomen++;
    }
  for (let p = 0; p < P.n; p++) byPlace[p + 1] += byPlace[p];
  const sorted = new Int32Array(nWomen);
  for (let i = 0; i < n; i++) if (isWoman(i)) sorted[byPlace[place[i]]++] = i;
  const nB = P.n * AGES,
    start = new Int32Array(nB + 1);
  const bucket = (i: number) => hukou[i] * AGES + age[i] - LOW;
  for (let k = 0; k < nWomen; k++) start[bucket(sorted[k]) + 1]++;
  for (let b = 0; b < nB; b++) start[b + 1] += start[b];
  const women = new Int32Array(nWomen),
    fill = start.slice(0, nB);
  for (let k = 0; k < nWomen; k++) women[fill[bucket(sorted[k])]++] = sorted[k];

  // The left-behind probability of each hukou village's children living there.
  const away = new Float64Array(P.n),
    home = new Float64Array(P.n);
  for (let i = 0; i < n; i++) {
    const h = hukou[i];
    if (age[i] >= CHILD_AGE || P.kind[h] !== PlaceKind.villages) continue;
    if (place[i] === h) home[h]++;
    else away[h]++;
  }
  const s = sc.world.settlement.left_behind_share_2020.value,
    ratio = s >= 1 ? Infinity : s / (1 - s);
  const pAway = new Float64Array(P.n);
  for (let h = 0; h < P.n; h++) pAway[h] = away[h] > 0 && home[h] > 0 ? Math.min(1, ratio * (away[h] / home[h])) : 0;

  /** First index in women[lo, hi) whose place is at least p (they are sorted by place). */
  const lowerBound = (lo: number, hi: number, p: number) => {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (place[women[mid]] < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /**
   * A mother for child c (hukou h, place p, age a) at the gap drawn, else the nearest gaps in the
   * window: a woman living at p, or (elsewhere) one living anywhere else; -1 if none.
   */
  const find = (c: number, gap: number, elsewhere: boolean): number => {
    const h = hukou[c],
      p = place[c],
      a = age[c],
      u = drawKeyed(kPick, c);
    for (let k = 0; k <= 2 * (MAX_GAP - MIN_GAP); k++) {
      const g = gap + (k & 1 ? (k + 1) >> 1 : -(k >> 1));
      if (g < MIN_GAP || g > MAX_GAP) continue;
      const b = h * AGES + a + g - LOW,
        s0 = start[b],
        e0 = start[b + 1];
      if (s0 === e0) continue;
      const lo = lowerBound(s0, e0, p),
        hi = lowerBound(lo, e0, p + 1);
      if (!elsewhere) {
        if (hi > lo) return women[lo + Math.floor(u * (hi - lo))];
      } else {
        const m = e0 - s0 - (hi - lo);
        if (m > 0) {
          const j = Math.floor(u * m);
          return women[j < lo - s0 ? s0 + j : hi + (j - (lo - s0))];
        }
      }
    }
    return -1;
  };

  const gaps = gapSampler();
  let linked = 0;
  for (let c = 0; c < n; c++) {
    if (age[c] >= CHILD_AGE) continue;
    const gap = MIN_GAP + gaps.index(drawKeyed(kGap, c));
    const h = hukou[c];
    let m = -1;
    if (place[c] === h && pAway[h] > 0 && drawKeyed(kAway, c) < pAway[h]) m = find(c, gap, true);
    if (m < 0) m = find(c, gap, false);
    parent[c] = m;
    if (m >= 0) linked++;
  }
  return linked;
}
