/**
 * Impossible states and impossible sizes.
 *
 * `checkFinitePlaces` is the cheap part, meant to run after every rule of every run: no NaN or
 * infinity in a place-level float stock, so that a broken number stops the run (naming the tick,
 * the rule and the place) before it can reach the results. `checkWorld` is the full audit (people
 * conserved, stocks non-negative, shares within [0,1], occupancy within capacity, finite incomes),
 * a pass over every agent, meant for `--check` runs and tests.
 *
 * `estimateMemory` / `checkMemory` refuse, before any world is built, a batch whose worlds would
 * not fit in the machine's memory, or whose results would not fit in the one process that
 * summarizes them: a scale-1 run on a laptop, or a million runs, is a user's choice to correct,
 * not a crash half an hour in.
 */
import { constants as buffers } from 'node:buffer';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { calendarOf } from '../core/calendar.js';
import { userError } from '../core/errors.js';
import { MAX_SCALE, type Scenario } from '../scenario/schema.js';
import { Agents, DEAD, Emp, Flag, SKILLS, Tenure, TENURES } from '../world/agents.js';
import { SECTORS, type World } from '../world/world.js';
import { METRICS, obsLength, REGIONS, type ObsShape } from './metrics.js';
import { birthHeadroom } from './setup.js';

/** A state the model must never reach: a bug in a rule, not a user's mistake. */
export class InvariantError extends Error {
  /** The tick after which the state was found (-1: before the first tick). */
  readonly tick: number;
  /** The rule that had just run (its name in SCHEDULE), or what else had just happened. */
  readonly rule: string;
  /** The place id the broken stock belongs to; -1 when it belongs to no place (a scalar, a county). */
  readonly place: number;
  /** The place's name (`taiyuan:central`), or '' when `place` is -1. */
  readonly placeName: string;
  /** The stock that is wrong, e.g. `pop`, `occupied[marketRent]`, `rent`, `agents.income`. */
  readonly stock: string;
  constructor(w: World, tick: number, rule: string, place: number, stock: string, what: string) {
    const name = place >= 0 && place < w.places.n ? w.places.names[place] : '';
    const where = place >= 0 ? `place ${place} (${name})` : 'no place';
    super(`invariant broken after tick ${tick}, rule "${rule}", ${where}: ${stock}: ${what}`);
    this.name = 'InvariantError';
    this.tick = tick;
    this.rule = rule;
    this.place = place;
    this.placeName = name;
    this.stock = stock;
  }
}

const TENURE_NAMES = Object.keys(Tenure) as (keyof typeof Tenure)[];

/** Place-level float stocks, with the number of entries per place. */
function floatStocks(w: World): [string, Float64Array, number][] {
  return [
    ['rent', w.rent, 1],
    ['baseRent', w.baseRent, 1],
    ['baseWage', w.baseWage, 1],
    ['jobs', w.jobs, SECTORS],
    ['ruralJobs', w.ruralJobs, 1],
    ['housing', w.housing, TENURES],
    ['fund', w.fund, 1],
    ['coverage', w.coverage, 1],
    ['compounds', w.compounds, 1],
    ['compoundStock', w.compoundStock, 1],
    ['farmersAtStart', w.farmersAtStart, 1],
    ['wageNow', w.wageNow, SKILLS],
    ['farmNow', w.farmNow, 1],
  ];
}

const sub = (stock: string, per: number, k: number): string =>
  per === TENURES ? `${stock}[${TENURE_NAMES[k % TENURES]}]` : per === SECTORS ? `${stock}[${k % SECTORS ? 'services' : 'industry'}]` : stock;

/**
 * Throws an InvariantError when a place-level float (rent, base rent and wage, jobs, rural jobs,
 * housing, fund, coverage, compounds, the tick's wages and farm incomes) or a world-level income
 * figure is NaN or infinite. About
 * 4,000 comparisons: cheap enough to run after every rule of every run.
 */
export function checkFinitePlaces(w: World, tick: number, rule: string): void {
  for (const [stock, a, per] of floatStocks(w)) {
    for (let k = 0; k < a.length; k++) {
      if (!Number.isFinite(a[k])) throw new InvariantError(w, tick, rule, Math.floor(k / per), sub(stock, per, k), `${a[k]}, expected a finite number`);
    }
  }
  for (const f of ['disposableUrban', 'disposableRural', 'personsPerUnit', 'nonFarmNow', 'urbanPensionNow', 'ruralPensionNow'] as const) {
    if (!Number.isFinite(w[f])) throw new InvariantError(w, tick, rule, -1, f, `${w[f]}, expected a finite number`);
  }
}

/**
 * Throws an InvariantError (rule "observe", no place) naming the metric, region and year of the
 * first NaN or infinite value in a run's observations: the last guard before results are written.
 */
export function checkObservations(w: World, values: Float64Array, shape: ObsShape, tick: number): void {
  for (let k = 0; k < values.length; k++) {
    if (Number.isFinite(values[k])) continue;
    const Y = shape.years.length,
      y = k % Y,
      r = Math.floor(k / Y) % REGIONS.length,
      m = Math.floor(k / Y / REGIONS.length);
    throw new InvariantError(w, tick, 'observe', -1, `${METRICS[m].id}.${REGIONS[r]}.${shape.years[y]}`, `${values[k]}, expected a finite number`);
  }
}

/** Occupancy and agent count at the previous checkWorld of each world (see the occupancy check). */
const lastSeen = new WeakMap<World, { occupied: Int32Array; count: number }>();

/** The tenures that moves and allocations fill only while there is a free unit (vacancy >= 1). */
const CAPPED = [Tenure.marketRent, Tenure.dormitory, Tenure.affordableRental, Tenure.publicRental, Tenure.sharedOwnership] as const;

/**
 * The full audit of a world; throws an InvariantError naming the tick, the rule that had just run,
 * the place and the stock at the first broken invariant:
 *  - every float is finite (checkFinitePlaces), and so is every living agent's income;
 *  - every living agent has a place, hukou place and tenure that exist;
 *  - no stock is negative: pop, occupied, jobsFilled, ruralJobsFilled, network, homePop, localHukou,
 *    housing, jobs, ruralJobs, fund, compounds;
 *  - coverage is a share, within [0,1];
 *  - people are conserved: the counts the rules keep incrementally (pop, occupied, jobsFilled,
 *    ruralJobsFilled, network, homePop, localHukou, seekers, farmers) equal a recount of the
 *    living agents, so the sum of pop is the number of living agents;
 *  - occupancy within capacity for the tenures that moves fill (market rent, dormitory, affordable
 *    rental, public rental, shared ownership): a cell (place, tenure) may end a step above its
 *    capacity only if it did not gain more occupants during that step than children born into
 *    it, or if it is within capacity without those children (the agent pass moves people in
 *    first and appends the newborn at its end).
 *
 * Births are not a violation, by design: a newborn takes its mother's place and tenure (a child
 * is born into the family's home, it does not rent a unit), so births may push a cell above its
 * capacity, and so may a shrinking market stock (negative `market_supply_growth`) without anyone
 * moving. What must never happen is a move or an allocation into a full cell. So the check keeps,
 * per world, the occupancy and agent count it saw at its previous call, and counts the agents
 * appended since (the newborn: ids are never reused) in each cell: a cell above capacity whose
 * occupancy grew by more than its newborn, and that is above capacity without them, is a
 * violation. This is exact when checkWorld runs after every step (as `--check` does). The first
 * call on a world has nothing to compare with: it checks everything else and records the
 * occupancy (so a run that starts checking after its first step, the labour market, which moves
 * nobody, loses nothing). Call checkWorld(w, -1, 'setup') before the first tick to cover the very
 * first step whatever it is.
 *
 * Cost: one pass over the agents and a recount of the place tables, about the cost of one rule.
 */
export function checkWorld(w: World, tick: number, rule: string): void {
  checkFinitePlaces(w, tick, rule);
  const A = w.agents,
    P = w.places,
    n = P.n;
  const fail = (place: number, stock: string, what: string): never => {
    throw new InvariantError(w, tick, rule, place, stock, what);
  };

  // Stocks that can never be negative.
  const nonNeg: [string, ArrayLike<number>, number][] = [
    ['pop', w.pop, 1],
    ['occupied', w.occupied, TENURES],
    ['jobsFilled', w.jobsFilled, SECTORS],
    ['ruralJobsFilled', w.ruralJobsFilled, 1],
    ['localHukou', w.localHukou, 1],
    ['housing', w.housing, TENURES],
    ['jobs', w.jobs, SECTORS],
    ['ruralJobs', w.ruralJobs, 1],
    ['fund', w.fund, 1],
    ['compounds', w.compounds, 1],
  ];
  for (const [stock, a, per] of nonNeg) {
    for (let k = 0; k < a.length; k++) if (a[k] < 0) fail(Math.floor(k / per), sub(stock, per, k), `${a[k]}, expected at least 0`);
  }
  for (let k = 0; k < w.network.length; k++) if (w.network[k] < 0) fail(k % n, `network[county ${Math.floor(k / n)}]`, `${w.network[k]}, expected at least 0`);
  for (let c = 0; c < w.homePop.length; c++) if (w.homePop[c] < 0) fail(-1, `homePop[county ${c}]`, `${w.homePop[c]}, expected at least 0`);
  for (let p = 0; p < n; p++) if (!(w.coverage[p] >= 0 && w.coverage[p] <= 1)) fail(p, 'coverage', `${w.coverage[p]}, expected a share within [0, 1]`);

  // Recount the agent-counting stocks from the agent columns.
  const pop = new Int32Array(n),
    occupied = new Int32Array(n * TENURES),
    jobsFilled = new Int32Array(n * SECTORS);
  const ruralJobsFilled = new Int32Array(n),
    network = new Int32Array(w.network.length),
    homePop = new Int32Array(w.homePop.length);
  const seekers = new Int32Array(n),
    farmers = new Int32Array(n);
  const localHukou = new Int32Array(n);
  const seen = lastSeen.get(w);
  const newborn = seen ? new Int32Array(n * TENURES) : undefined;
  let living = 0;
  for (let i = 0; i < A.count; i++) {
    const p = A.place[i];
    if (p === DEAD) continue;
    const hp = A.hukouPlace[i],
      t = A.tenure[i];
    if (p >= n) fail(-1, 'agents.place', `agent ${i} lives at place ${p}, which does not exist (${n} places)`);
    if (hp >= n) fail(p, 'agents.hukouPlace', `agent ${i} has its hukou at place ${hp}, which does not exist (${n} places)`);
    if (t >= TENURES) fail(p, 'agents.tenure', `agent ${i} has tenure ${t}, which does not exist`);
    const h = P.county[hp];
    living++;
    pop[p]++;
    occupied[p * TENURES + t]++;
    network[h * n + p]++;
    homePop[h]++;
    if (hp === p) localHukou[p]++;
    if (A.emp[i] === Emp.urbanJob && P.urban[p]) jobsFilled[p * SECTORS + (A.flags[i] & Flag.services ? 1 : 0)]++;
    if (A.emp[i] === Emp.localNonFarm) ruralJobsFilled[p]++;
    if (A.emp[i] === Emp.unemployed) seekers[p]++;
    if (A.emp[i] === Emp.farming) farmers[p]++;
    if (newborn && i >= seen!.count) newborn[p * TENURES + t]++;
  }
  let kept = 0;
  for (let p = 0; p < n; p++) kept += w.pop[p];
  const compare = (keptA: ArrayLike<number>, counted: ArrayLike<number>, placeOf: (k: number) => number, label: (k: number) => string): void => {
    for (let k = 0; k < counted.length; k++) {
      if (keptA[k] !== counted[k])
        fail(placeOf(k), label(k), `kept ${keptA[k]}, but a recount of the living agents gives ${counted[k]} (sum of pop ${kept}, living agents ${living})`);
    }
  };
  const id = (stock: string) => () => stock;
  compare(w.pop, pop, (k) => k, id('pop'));
  compare(
    w.occupied,
    occupied,
    (k) => Math.floor(k / TENURES),
    (k) => sub('occupied', TENURES, k),
  );
  compare(
    w.jobsFilled,
    jobsFilled,
    (k) => Math.floor(k / SECTORS),
    (k) => sub('jobsFilled', SECTORS, k),
  );
  compare(w.ruralJobsFilled, ruralJobsFilled, (k) => k, id('ruralJobsFilled'));
  compare(w.seekers, seekers, (k) => k, id('seekers'));
  compare(w.farmers, farmers, (k) => k, id('farmers'));
  compare(w.localHukou, localHukou, (k) => k, id('localHukou'));
  compare(
    w.network,
    network,
    (k) => k % n,
    (k) => `network[county ${Math.floor(k / n)}]`,
  );
  compare(
    w.homePop,
    homePop,
    () => -1,
    (k) => `homePop[county ${k}]`,
  );
  if (kept !== living) fail(-1, 'pop', `the places hold ${kept} agents, but ${living} are alive`);

  // Occupancy within capacity, for the tenures that moves fill (see the doc comment on births).
  for (let p = 0; seen && newborn && p < n; p++) {
    for (const t of CAPPED) {
      const k = p * TENURES + t;
      const occ = w.occupied[k],
        cap = w.housing[k];
      if (occ <= cap + 1e-6) continue;
      const gained = occ - seen.occupied[k],
        born = newborn[k];
      // Only newborns may take a place beyond capacity (they are born into their mother's home).
      if (gained > born && occ - born > cap + 1e-6) {
        fail(
          p,
          sub('occupied', TENURES, k),
          `${occ} occupants above a capacity of ${Number(cap.toPrecision(6))}; it gained ${gained} occupants during this rule, ${born} of them newborn`,
        );
      }
    }
  }
  lastSeen.set(w, { occupied: w.occupied.slice(), count: A.count });
}

/** What a batch's worlds need in memory, by the estimate of `estimateMemory`. */
export interface MemoryEstimate {
  /** Total bytes: the fixed part plus `workers` times the per-worker part. */
  bytes: number;
  /** Agents of one world at the start (residents + Shanxi people outside + in-migrant pool, over the scale). */
  agents: number;
  /** Bytes of agent columns and place tables per worker (its prepared world and one run's clone with births headroom). */
  perWorker: number;
  /** Bytes that do not depend on the scale: the main thread (with `results`) and each worker's own runtime. */
  fixed: number;
  /** Bytes the main thread needs to summarize the folder's runs (part of `fixed`). */
  results: number;
  workers: number;
}

/** Runtime of the main thread (Node, yaml, zod, mathjs for the summaries), measured at about 90 MB. */
const MAIN_BYTES = 96 * 2 ** 20;
/** Runtime of one worker thread (its own V8 isolate and the engine's modules). */
const WORKER_BYTES = 48 * 2 ** 20;
/**
 * Main-thread heap per stored value while a folder is finalized (every run's values, the summaries,
 * runs.csv and runs.parquet are built in memory). Measured: finalizing 2,000 runs to 2025
 * (3.59 M values) ran out of a 1,000 MB heap and passed with 1,400 MB, about 390 bytes a value.
 */
const FINALIZE_BYTES_PER_VALUE = 400;
/** Characters of runs.csv per value (44 measured over 5,000 runs to 2025), which is built as one string. */
const CSV_CHARS_PER_VALUE = 48;

/** Values one run stores: every metric, region and observed year of the scenario's horizon. */
const valuesPerRun = (sc: Scenario): number => obsLength({ years: calendarOf(sc).years });

/**
 * Estimates the memory of a batch of `sc` on `workers` worker threads (default 1). Each worker
 * builds the scenario's world once (agents = round(residents / scale) + outside stock / scale +
 * in-migrant pool / scale, at Agents.BYTES_PER_AGENT bytes each, with room for the births of the
 * horizon as `prepare` reserves it) and runs on one clone of it at a time, or, for a batch of
 * `runs` = 1, on the world itself; place tables likewise. The main thread holds no world, but
 * finalizes the folder's `results` runs (default: `runs`, or the scenario's when `runs` is not
 * given; 0 for a sweep, which keeps a few outcomes a run). Compared with measurements in
 * bench/RESULTS.md (peak resident memory of a scale-1 run).
 */
export function estimateMemory(sc: Scenario, workers = 1, runs = Infinity, results = Number.isFinite(runs) ? runs : sc.runs): MemoryEstimate {
  const pv = sc.world.province,
    s = sc.scale;
  const residents = sc.world.cities.reduce((a, c) => a + Math.round(c.residents.value / s), 0);
  const agents = residents + Math.round(pv.outside_stock.value / s) + Math.round(pv.in_migrant_pool.value / s);
  const headroom = birthHeadroom(sc, agents);
  // Place tables: ~220 places; the network table (counties x places, int32) dominates.
  const places = 16 + sc.world.cities.reduce((a, c) => a + 2 * c.county_towns.length + 3, 0);
  const counties = 1 + sc.world.cities.reduce((a, c) => a + c.county_towns.length + 1, 0);
  const placeBytes = places * (counties * 4 + TENURES * 12 + SECTORS * 12 + 200);
  const worlds = runs === 1 ? 1 : 2;
  const perWorker = worlds * ((agents + headroom) * Agents.BYTES_PER_AGENT + placeBytes);
  const w = Math.max(1, Math.floor(workers));
  const resultBytes = results * valuesPerRun(sc) * FINALIZE_BYTES_PER_VALUE;
  const fixed = MAIN_BYTES + resultBytes + w * WORKER_BYTES;
  return { bytes: fixed + w * perWorker, agents, perWorker, fixed, results: resultBytes, workers: w };
}

/** The memory this process may use: the machine's, or the container's limit when lower. */
export function machineMemory(): number {
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const total = totalmem();
  return limit && limit > 0 && limit < total ? limit : total;
}

/**
 * The most runs of `sc` whose results one process can finalize: their values must fit in Node's
 * heap (`heap`, default this process's limit, about 4 GB unless --max-old-space-size raises it)
 * and runs.csv in one string (buffer.constants.MAX_STRING_LENGTH, 512 M characters). About 6,000
 * runs to 2025 with the default heap.
 */
export function maxResultRuns(sc: Scenario, heap = getHeapStatistics().heap_size_limit): number {
  const values = Math.min(heap / FINALIZE_BYTES_PER_VALUE, buffers.MAX_STRING_LENGTH / CSV_CHARS_PER_VALUE);
  return Math.max(1, Math.floor(values / valuesPerRun(sc)));
}

const gb = (b: number): string => `${(b / 2 ** 30).toFixed(b < 10 * 2 ** 30 ? 2 : 1)} GB`;

/** Share of the machine's memory a batch may plan to use. */
export const MEMORY_SHARE = 0.8;

/**
 * Refuses a batch that would not fit, before anything is allocated for it: throws a UserError
 * (exit 2) when the folder's `results` runs are more than one process can summarize (code
 * 'too_many_runs', path --runs, see maxResultRuns), or when estimateMemory exceeds 80% of
 * `available` (code 'memory'; default: the machine's memory, or the container's limit). The
 * memory message names the scale, the estimate and what the machine has, and suggests the
 * smallest scale that fits (and, when it helps, fewer workers, or fewer runs). `workers`: the
 * worker threads that will start (at most one per run: pass min(--workers, runs to do)); `jobs`:
 * the runs the batch will do (a batch of one run needs no clone of the world); `results`: the runs
 * the folder will hold when it is finalized (a resumed folder holds more than it runs; a sweep 0).
 */
export function checkMemory(
  sc: Scenario,
  workers: number,
  available = machineMemory(),
  jobs = Infinity,
  results = Number.isFinite(jobs) ? jobs : sc.runs,
): void {
  const most = maxResultRuns(sc);
  if (results > most) {
    throw userError({
      code: 'too_many_runs',
      path: '--runs',
      message: `the results of ${results} runs to ${sc.time.end_year} (${valuesPerRun(sc)} values each) would not fit in the one process that summarizes them`,
      expected: `at most ${most} runs to ${sc.time.end_year}`,
      found: String(results),
    });
  }
  const w = Math.max(1, Math.min(Math.floor(workers), sc.runs));
  const est = estimateMemory(sc, w, jobs, results);
  const budget = MEMORY_SHARE * available;
  if (est.bytes <= budget) return;
  const fits = (scale: number, k: number, kept = results) => estimateMemory({ ...sc, scale }, k, jobs, kept).bytes <= budget;
  let hint: string;
  if (fits(MAX_SCALE, w)) {
    let lo = sc.scale,
      hi = MAX_SCALE;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(mid, w)) hi = mid;
      else lo = mid;
    }
    hint = `use --scale ${hi} or larger`;
    if (w > 1) {
      let k = w - 1;
      while (k > 1 && !fits(sc.scale, k)) k--;
      if (fits(sc.scale, k)) hint += `, or keep scale ${sc.scale} with --workers ${k}`;
    }
  } else if (fits(MAX_SCALE, 1)) hint = 'use fewer --workers and a larger --scale';
  else if (fits(MAX_SCALE, 1, 0)) hint = 'use fewer --runs';
  else hint = 'this machine has too little memory for even the coarsest scale';
  throw userError({
    code: 'memory',
    path: 'scale',
    message: `not enough memory for scale ${sc.scale} (${est.agents.toLocaleString('en-US')} agents per world) on ${w} worker${w === 1 ? '' : 's'}: ${hint}`,
    expected: `a batch that fits in ${Math.round(MEMORY_SHARE * 100)}% of this machine's ${gb(available)} (${gb(budget)})`,
    found: `about ${gb(est.bytes)} needed`,
  });
}
