/**
 * Impossible states.
 *
 * `checkFinitePlaces` is the cheap part, meant to run after every rule of every run: no NaN or
 * infinity in a place-level float stock, so that a broken number stops the run (naming the tick,
 * the rule and the place) before it can reach the results. `checkWorld` is the full audit (people
 * conserved, stocks non-negative, shares within [0,1], occupancy within capacity, finite incomes),
 * a pass over every agent, meant for `--check` runs and tests. (The memory a batch needs is
 * checked in memory.ts.)
 */
import { DEAD, Emp, Sector, sectorOf, SKILLS, Tenure, TENURES } from '../world/agents.js';
import { CHILD_AGE } from '../world/family.js';
import { SECTORS, type World } from '../world/world.js';
import { METRICS, obsLength, REGIONS, type ObsShape } from './metrics.js';

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
const SECTOR_NAMES = Object.keys(Sector) as (keyof typeof Sector)[];

/** Place-level float stocks, with the number of entries per place. */
function floatStocks(w: World): [string, Float64Array, number][] {
  return [
    ['rent', w.rent, 1],
    ['baseRent', w.baseRent, 1],
    ['baseWage', w.baseWage, 1],
    ['jobs', w.jobs, SECTORS],
    ['jobTrend', w.jobTrend, SECTORS],
    ['landAvail', w.landAvail, 1],
    ['wageCurve', w.wageCurve, 1],
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

/** Entries per place of the stocks whose entries are named: tenures and sectors (a stock by skill, such as wageNow, names none). */
const NAMED: Record<string, readonly string[]> = {
  occupied: TENURE_NAMES,
  housing: TENURE_NAMES,
  jobs: SECTOR_NAMES,
  jobsFilled: SECTOR_NAMES,
  jobTrend: SECTOR_NAMES,
};

/** The stock's name with its tenure or sector when its entries are named: `occupied[marketRent]`, `jobs[public]`. */
const sub = (stock: string, per: number, k: number): string => (NAMED[stock] && per > 1 ? `${stock}[${NAMED[stock][k % per]}]` : stock);

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
  for (const f of ['disposableUrban', 'disposableRural', 'personsPerUnit', 'nonFarmNow', 'urbanPensionNow', 'ruralPensionNow', 'ruralTransferNow'] as const) {
    if (!Number.isFinite(w[f])) throw new InvariantError(w, tick, rule, -1, f, `${w[f]}, expected a finite number`);
  }
}

/**
 * Throws an InvariantError (rule "observe", no place) naming the metric, region and year of the
 * first NaN or infinite value in a run's observations: the last guard before results are written.
 */
export function checkObservations(w: World, values: Float64Array, shape: ObsShape, tick: number): void {
  // The origin-destination moves that follow the observations are counts times the scale: always finite.
  for (let k = 0; k < obsLength(shape); k++) {
    if (Number.isFinite(values[k])) continue;
    const Y = shape.years.length,
      y = k % Y,
      r = Math.floor(k / Y) % REGIONS.length,
      m = Math.floor(k / Y / REGIONS.length);
    throw new InvariantError(w, tick, 'observe', -1, `${METRICS[m].id}.${REGIONS[r]}.${shape.years[y]}`, `${values[k]}, expected a finite number`);
  }
}

/** Occupancy and agent count at the previous checkWorld of each world (see the occupancy check). */
const lastSeen = new WeakMap<World, { occupied: Int32Array; count: number; place: Uint16Array }>();

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
 *    it or joining their mother in it, or if it is within capacity without those children (the
 *    agent pass moves people in first and appends the newborn at its end).
 *
 * Births are not a violation, by design: a newborn takes its mother's place and tenure (a child
 * is born into the family's home, it does not rent a unit), and so does a child under 16 joining
 * its mother (model/family.ts: a child under 16 whose months in place restarted, now at its
 * mother's place and elsewhere at the previous check), so births and joins may push a cell above its
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
    ['jobTrend', w.jobTrend, SECTORS],
    ['landAvail', w.landAvail, 1],
    ['wageCurve', w.wageCurve, 1],
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
    const m = A.parent[i];
    if (m < -1 || m >= A.count || m === i) fail(p, 'agents.parent', `agent ${i} has parent ${m}, expected -1 or another agent's id (${A.count} agents)`);
    const h = P.county[hp];
    living++;
    pop[p]++;
    occupied[p * TENURES + t]++;
    network[h * n + p]++;
    homePop[h]++;
    if (hp === p) localHukou[p]++;
    if (A.emp[i] === Emp.urbanJob && P.urban[p]) jobsFilled[p * SECTORS + sectorOf(A.flags[i])]++;
    if (A.emp[i] === Emp.localNonFarm) ruralJobsFilled[p]++;
    if (A.emp[i] === Emp.unemployed) seekers[p]++;
    if (A.emp[i] === Emp.farming) farmers[p]++;
    // Appended since the last check (born), or a child under 16 that came to its mother's place
    // during this step (family.ts: its months restart).
    if (newborn && (i >= seen!.count || (A.age[i] < CHILD_AGE && A.months[i] === 0 && seen!.place[i] !== p && A.parent[i] >= 0 && A.place[A.parent[i]] === p)))
      newborn[p * TENURES + t]++;
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
  lastSeen.set(w, { occupied: w.occupied.slice(), count: A.count, place: A.place.slice(0, A.count) });
}
