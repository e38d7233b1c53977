/**
 * PRIM, the patient rule induction method of Friedman and Fisher (1999), as scenario discovery
 * uses it (Bryant and Lempert 2010): find boxes of input conditions in which a case of interest
 * (a target missed, say) is concentrated. No maintained npm package implements it (the registry
 * lists none under prim, rule induction or scenario discovery), so it is written here, pure and
 * deterministic: no randomness, and every tie broken by a fixed order.
 *
 * Peeling: from the box of all points, each step tries, for every dimension, removing the lowest
 * or the highest `alpha` share of the points in the box (all points tied with the cut value go
 * with it) and keeps the peel that leaves the highest share of cases of interest in the box
 * (ties: the peel that removes fewer points, then the lower dimension, then below before above).
 * Peeling stops when no peel leaves at least `minMass` of all points, or the box holds only cases
 * of interest. Each box of the sequence (the peeling trajectory) has its coverage (cases of
 * interest in the box / all cases of interest), density (cases of interest in the box / points in
 * the box) and mass (points in the box / all points).
 *
 * Selection: the first box of the trajectory whose density reaches `threshold` (coverage only
 * falls along the trajectory, so this is the box of highest coverage at that density); without
 * one, the box of highest density; or the step the user names. Pasting (optional) then widens
 * the selected box, one `alpha` share at a time on one side of one restricted dimension, while
 * that raises its density. Covering: the points of a box are set aside and the search starts
 * again on the rest, up to `boxes` boxes; the coverage and mass of every box are shares of all
 * points, so the boxes' coverages add up.
 */

/** The points: one column of values per dimension, and whether each point is a case of interest. */
export interface PrimData {
  names: readonly string[];
  columns: readonly Float64Array[];
  interest: Uint8Array;
}

/** The tuning of the search. */
export interface PrimOptions {
  /** The share of a box's points one peel removes (0 < alpha < 0.5). */
  alpha: number;
  /** The least share of all points a box may keep. */
  minMass: number;
  /** The density the selected box must reach. */
  threshold: number;
  /** The step of the first box's trajectory to select instead (0 = all points). */
  step?: number;
  /** Widen the selected box by pasting. */
  paste: boolean;
  /** Boxes to find by covering, at most. */
  boxes: number;
}

/** A box's limits, closed, per dimension. */
export interface Limits {
  lo: number[];
  hi: number[];
}

/** One box of a trajectory, with its statistics. */
export interface BoxStats extends Limits {
  n: number;
  nInterest: number;
  coverage: number;
  density: number;
  mass: number;
  /** Whether each dimension is narrower than the range of all points. */
  restricted: boolean[];
}

/** One box found: its peeling trajectory, the step selected and how, and the final box. */
export interface PrimBox {
  trajectory: BoxStats[];
  selected: number;
  selection: 'threshold' | 'max_density' | 'user';
  /** The selected box, widened when pasting was asked for and raised its density. */
  box: BoxStats;
  pasted: boolean;
  /** For each restricted dimension, the quasi-p-value of its restriction (undefined when unrestricted). */
  quasiP: (number | undefined)[];
}

/** What PRIM found over all the points. */
export interface PrimResult {
  n: number;
  nInterest: number;
  /** Each dimension's range over all points. */
  ranges: Limits;
  boxes: PrimBox[];
}

/** Indices of `idx` inside the box. */
function inside(d: PrimData, idx: Int32Array, b: Limits): Int32Array {
  const out: number[] = [];
  for (const i of idx) {
    let ok = true;
    for (let j = 0; j < d.columns.length && ok; j++) {
      const v = d.columns[j][i];
      ok = v >= b.lo[j] && v <= b.hi[j];
    }
    if (ok) out.push(i);
  }
  return Int32Array.from(out);
}

const countInterest = (d: PrimData, idx: Int32Array): number => idx.reduce((a, i) => a + d.interest[i], 0);

/** A box's statistics over the points `idx` it holds. */
function stats(d: PrimData, idx: Int32Array, b: Limits, ranges: Limits, N: number, H: number): BoxStats {
  const nInterest = countInterest(d, idx);
  return {
    lo: [...b.lo],
    hi: [...b.hi],
    n: idx.length,
    nInterest,
    coverage: H > 0 ? nInterest / H : 0,
    density: idx.length > 0 ? nInterest / idx.length : 0,
    mass: idx.length / N,
    restricted: b.lo.map((lo, j) => lo > ranges.lo[j] || b.hi[j] < ranges.hi[j]),
  };
}

/** The best single peel of box `b` holding points `idx`, or undefined when none keeps `minN` points. */
function bestPeel(d: PrimData, idx: Int32Array, b: Limits, alpha: number, minN: number): { box: Limits; idx: Int32Array } | undefined {
  let best: { box: Limits; idx: Int32Array; mean: number } | undefined;
  const k = Math.max(1, Math.ceil(alpha * idx.length));
  for (let j = 0; j < d.columns.length; j++) {
    const col = d.columns[j];
    const sorted = Float64Array.from(idx, (i) => col[i]).sort();
    for (const side of ['below', 'above'] as const) {
      const cut = side === 'below' ? sorted[k - 1] : sorted[sorted.length - k];
      const kept = idx.filter((i) => (side === 'below' ? col[i] > cut : col[i] < cut));
      if (kept.length < minN || kept.length === 0) continue;
      const mean = countInterest(d, kept) / kept.length;
      // Strictly better mean, or as good and fewer points removed; earlier dimension and side win the rest.
      if (best && !(mean > best.mean || (mean === best.mean && kept.length > best.idx.length))) continue;
      const box = { lo: [...b.lo], hi: [...b.hi] };
      let lo = Infinity,
        hi = -Infinity;
      for (const i of kept) (lo = Math.min(lo, col[i])), (hi = Math.max(hi, col[i]));
      if (side === 'below') box.lo[j] = lo;
      else box.hi[j] = hi;
      best = { box, idx: kept, mean };
    }
  }
  return best;
}

/**
 * The best paste of box `b`: on one side of one restricted dimension, the nearest `alpha` share
 * (of the box's points) of the points `pool` just outside that side and inside the other limits.
 */
function bestPaste(d: PrimData, pool: Int32Array, b: Limits, ranges: Limits, alpha: number): { box: Limits; idx: Int32Array } | undefined {
  const cur = inside(d, pool, b);
  const curMean = cur.length ? countInterest(d, cur) / cur.length : 0;
  const k = Math.max(1, Math.ceil(alpha * cur.length));
  let best: { box: Limits; idx: Int32Array; mean: number } | undefined;
  for (let j = 0; j < d.columns.length; j++) {
    const col = d.columns[j];
    for (const side of ['below', 'above'] as const) {
      if (side === 'below' ? b.lo[j] <= ranges.lo[j] : b.hi[j] >= ranges.hi[j]) continue;
      const open = { lo: [...b.lo], hi: [...b.hi] };
      if (side === 'below') open.lo[j] = -Infinity;
      else open.hi[j] = Infinity;
      const outside = [...inside(d, pool, open)].map((i) => col[i]).filter((v) => (side === 'below' ? v < b.lo[j] : v > b.hi[j]));
      if (!outside.length) continue;
      outside.sort((x, y) => (side === 'below' ? y - x : x - y)); // nearest first
      const box = { lo: [...b.lo], hi: [...b.hi] };
      if (side === 'below') box.lo[j] = outside[Math.min(k, outside.length) - 1];
      else box.hi[j] = outside[Math.min(k, outside.length) - 1];
      const idx = inside(d, pool, box);
      const mean = countInterest(d, idx) / idx.length;
      if (mean > curMean && (!best || mean > best.mean)) best = { box, idx, mean };
    }
  }
  return best;
}

/** P(X >= h) for X ~ Binomial(n, p): the terms from x = h up, each from the one before (O(n)), summed in log space. */
export function binomialUpperTail(h: number, n: number, p: number): number {
  if (h <= 0) return 1;
  if (h > n || p <= 0) return 0;
  if (p >= 1) return 1;
  let logC = 0; // log C(n, h)
  for (let i = 1; i <= h; i++) logC += Math.log((n - h + i) / i);
  const odds = Math.log(p) - Math.log1p(-p);
  const terms = [logC + h * Math.log(p) + (n - h) * Math.log1p(-p)];
  for (let x = h; x < n; x++) terms.push(terms[terms.length - 1] + Math.log((n - x) / (x + 1)) + odds);
  const top = terms.reduce((a, t) => Math.max(a, t), -Infinity);
  return Math.min(1, Math.exp(top) * terms.reduce((a, t) => a + Math.exp(t - top), 0));
}

/**
 * The quasi-p-value of each restriction of box `b` (Bryant and Lempert 2010): the chance that a
 * box without that restriction, holding the same number of points at its density, would hold at
 * least as many cases of interest as `b` does. Small: the restriction matters.
 */
function quasiPValues(d: PrimData, pool: Int32Array, s: BoxStats, ranges: Limits): (number | undefined)[] {
  return s.restricted.map((r, j) => {
    if (!r) return undefined;
    const wider = { lo: [...s.lo], hi: [...s.hi] };
    wider.lo[j] = ranges.lo[j];
    wider.hi[j] = ranges.hi[j];
    const idx = inside(d, pool, wider);
    return binomialUpperTail(s.nInterest, s.n, countInterest(d, idx) / idx.length);
  });
}

/** One box on the points `pool`: peeling trajectory, selection, pasting, quasi-p-values. */
function findBox(d: PrimData, pool: Int32Array, ranges: Limits, N: number, H: number, o: PrimOptions, first: boolean): PrimBox {
  let b: Limits = { lo: [...ranges.lo], hi: [...ranges.hi] };
  let idx = pool;
  const trajectory = [stats(d, idx, b, ranges, N, H)];
  const minN = Math.ceil(o.minMass * N);
  while (countInterest(d, idx) < idx.length) {
    const peel = bestPeel(d, idx, b, o.alpha, minN);
    if (!peel) break;
    ({ box: b, idx } = peel);
    trajectory.push(stats(d, idx, b, ranges, N, H));
  }
  let selected: number, selection: PrimBox['selection'];
  if (first && o.step !== undefined) (selected = Math.min(o.step, trajectory.length - 1)), (selection = 'user');
  else {
    selected = trajectory.findIndex((s) => s.density >= o.threshold);
    selection = 'threshold';
    if (selected < 0) {
      const top = Math.max(...trajectory.map((s) => s.density));
      (selected = trajectory.findIndex((s) => s.density === top)), (selection = 'max_density');
    }
  }
  let box = trajectory[selected],
    pasted = false;
  if (o.paste) {
    let cur: Limits = { lo: [...box.lo], hi: [...box.hi] };
    for (let p = bestPaste(d, pool, cur, ranges, o.alpha); p; p = bestPaste(d, pool, cur, ranges, o.alpha)) (cur = p.box), (pasted = true);
    if (pasted) box = stats(d, inside(d, pool, cur), cur, ranges, N, H);
  }
  return { trajectory, selected, selection, box, pasted, quasiP: quasiPValues(d, pool, box, ranges) };
}

/** Runs PRIM on the points: up to `o.boxes` boxes by covering. */
export function prim(d: PrimData, o: PrimOptions): PrimResult {
  const N = d.interest.length;
  const H = countInterest(
    d,
    Int32Array.from({ length: N }, (_, i) => i),
  );
  const ranges: Limits = { lo: [], hi: [] };
  for (const col of d.columns) {
    let lo = Infinity,
      hi = -Infinity;
    for (const v of col) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    ranges.lo.push(lo);
    ranges.hi.push(hi);
  }
  const boxes: PrimBox[] = [];
  let pool = Int32Array.from({ length: N }, (_, i) => i);
  while (boxes.length < o.boxes && countInterest(d, pool) > 0 && pool.length >= Math.ceil(o.minMass * N)) {
    const found = findBox(d, pool, ranges, N, H, o, boxes.length === 0);
    if (boxes.length > 0 && !found.box.restricted.some(Boolean)) break; // nothing left to tell apart
    boxes.push(found);
    const taken = new Set(inside(d, pool, found.box));
    if (!taken.size) break;
    pool = pool.filter((i) => !taken.has(i));
  }
  return { n: N, nInterest: H, ranges, boxes };
}
