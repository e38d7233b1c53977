/**
 * One run: clone the prepared world, step the rules through the calendar, observe each year.
 * The engine owns the clock; the rules only see the tick they run in.
 */
import { runKey } from '../core/random.js';
import { newContext, resetFlows, type Rule } from '../model/context.js';
import { family } from '../model/family.js';
import { housingMarket } from '../model/housing.js';
import { labourMarket } from '../model/labour.js';
import { landReuse } from '../model/land.js';
import { growthPerTick, leverParams } from '../model/params.js';
import { reclassify } from '../model/reclassify.js';
import { agents } from '../model/step.js';
import { CITY_IDS } from '../scenario/schema.js';
import { cloneWorld } from '../world/world.js';
import { yearEndingAfter } from '../core/calendar.js';
import { checkFinitePlaces, checkObservations, checkWorld } from './check.js';
import { runLength } from './metrics.js';
import { cityRegions, observe } from './observe.js';
import type { Prepared } from './setup.js';

/**
 * The steps of a tick, in order: the place-level steps of the labour and housing markets, the
 * agent pass (all five agent rules, step.ts), the family step (children join their mothers and
 * settle with them, family.ts), reclassification (村改居 and 撤县设区, once a year at the first
 * tick of the year, reclassify.ts), and the reuse of idle land.
 */
export const SCHEDULE: readonly [string, Rule][] = [
  ['labour market', labourMarket],
  ['housing market', housingMarket],
  ['agents', agents],
  ['family', family],
  ['reclassification', reclassify],
  ['land reuse', landReuse],
];

/** One run's result: its id, its seed key, and its values: the observations, then the yearly origin-destination moves (layout in metrics.ts). */
export interface RunResult {
  run: number;
  seed: number;
  values: Float64Array;
  /** The posterior's parameter set the run drew (results/ reads it from the manifest); absent without a posterior. */
  set?: number;
}

/**
 * Runs run `run` of a prepared scenario. After every rule the place-level numbers are checked for
 * NaN and infinity (cheap, always); with `check`, the whole world is audited after every rule
 * (people conserved, no negative stocks, shares in [0,1], occupancy within capacity). A broken
 * state throws an InvariantError naming the tick, rule and place: it never reaches the results.
 * With `inPlace` the run works on the prepared world itself instead of a clone: for the last (or
 * only) run on that world.
 */
export function runOne(prep: Prepared, run: number, check = false, inPlace = false): RunResult {
  const sc = prep.scenario,
    cal = prep.calendar;
  // In place, the run consumes the prepared world (a batch of one run: half the memory).
  const world = inPlace ? prep.world : cloneWorld(prep.world, prep.headroom);
  const P = world.places;
  const shape = { years: cal.years };
  const values = new Float64Array(runLength(shape));
  const cluster = sc.world.central_cluster.map((id) => CITY_IDS.indexOf(id));
  const regions = cityRegions(cluster, P.nCities);
  const seed = runKey(sc.seed, run);
  const params = { ...prep.params };
  // A context (and its scratch) per run, not one per worker reused across runs: the scratch is 1 MB
  // of typed arrays at the default scale (216 places), allocated in about 0.05 ms against a run's
  // 450 ms, and a run then shares nothing with the one before it.
  const ctx = newContext(world, params, prep.levers, seed);
  const flows = ctx.flows;
  observe(world, flows, regions, shape, 0, values);
  for (let t = 0; t < cal.totalTicks; t++) {
    ctx.tick = t;
    ctx.years = t / cal.ticksPerYear;
    if (prep.varying && t > 0)
      Object.assign(
        params,
        leverParams(params, world, (path) => prep.levers[path][t]),
      );
    for (const [name, rule] of SCHEDULE) {
      rule(world, ctx);
      checkFinitePlaces(world, t, name);
      if (check) checkWorld(world, t, name);
    }
    ctx.ruralLevel *= growthPerTick(params.ruralIncomeGrowth, cal.ticksPerYear);
    const y = yearEndingAfter(cal, t);
    if (y > 0) {
      observe(world, flows, regions, shape, y, values);
      checkObservations(world, values, shape, t);
      resetFlows(flows);
    }
  }
  return { run, seed, values };
}
