/**
 * What a rule sees besides the world: the clock (owned by the engine; rules never advance it),
 * the run's random key, the parameters, the levers of the tick, the flow counters of the current year, and the run's
 * scratch (scratch.ts): a rule keeps nothing in module variables.
 */
import type { LeverPath } from '../scenario/levers.js';
import type { LeverTables } from '../scenario/schedule.js';
import { flowClasses } from '../world/places.js';
import type { World } from '../world/world.js';
import type { ModelParams } from './params.js';
import { newScratch, type Scratch } from './scratch.js';

/**
 * The flow counters, declared once: each is counted per place (or per city pair), summed over the
 * current year, and may feed an indicator. A counter with a `metric` is observed generically
 * (engine/observe.ts): from the first simulated year, the sum of the counter over the region's
 * places (`over: 'urban'`: its urban places only), times persons per agent if `scaled`. The metric
 * goes where engine/metrics.ts names it in the layout, else at the end of it. Counters without a
 * `metric` feed indicators that observe.ts derives itself (moves: migration; hires - attrition:
 * new urban jobs).
 */
export const FLOWS = [
  {
    id: 'births',
    array: 'int32',
    per: 'place',
    metric: { id: 'births', unit: 'persons', label: 'Live births', scaled: true, over: 'all' },
  },
  {
    id: 'deaths',
    array: 'int32',
    per: 'place',
    metric: { id: 'deaths', unit: 'persons', label: 'Deaths', scaled: true, over: 'all' },
  },
  /** Hires into urban jobs from non-employment, by place (城镇新增就业 before attrition). */
  { id: 'hires', array: 'int32', per: 'place' },
  /** Urban job holders who retired or died, by place (the "natural attrition" subtracted). */
  { id: 'attrition', array: 'int32', per: 'place' },
  {
    id: 'settlements',
    array: 'int32',
    per: 'place',
    metric: { id: 'settlements', unit: 'persons', label: 'Migrants settled with a local hukou', scaled: true, over: 'all' },
  },
  {
    id: 'landHa',
    array: 'float64',
    per: 'place',
    metric: { id: 'land_quota_ha', unit: 'ha', label: 'Construction land granted for settled migrants', scaled: false, over: 'all' },
  },
  {
    id: 'idleLandHa',
    array: 'float64',
    per: 'place',
    metric: { id: 'land_reused_ha', unit: 'ha', label: 'Idle construction land brought back into use (增存挂钩)', scaled: false, over: 'urban' },
  },
  /** Moves by (origin city, destination city), cities 0..10 and 11 = outside. */
  { id: 'moves', array: 'int32', per: 'cityPair' },
  /**
   * The same moves by (origin flow class, destination flow class): a class is a city and a place
   * type, or the rest of China (world/places.ts `flowClass`), at origin × classes + destination.
   */
  { id: 'odMoves', array: 'int32', per: 'classPair' },
  /** Moves that failed for want of housing at the destination, by destination place. */
  { id: 'blockedMoves', array: 'int32', per: 'place' },
  {
    id: 'ruralTransfers',
    array: 'int32',
    per: 'place',
    metric: {
      id: 'rural_labour_transferred',
      unit: 'persons',
      label: 'Working-age agents who left a village for a town or the rest of China, by origin village',
      scaled: true,
      over: 'all',
    },
  },
  /**
   * Persons who became urban residents without moving, by reclassification (reclassify.ts: 村改居,
   * and the villagers of a county made a district, 撤县设区), by the town they joined.
   */
  {
    id: 'reclassified',
    array: 'int32',
    per: 'place',
    metric: {
      id: 'urban_gain_reclassification',
      unit: 'persons',
      label: 'Persons who became urban residents by reclassification (村改居, 撤县设区)',
      scaled: true,
      over: 'urban',
    },
  },
  /**
   * Moves into an urban place (+1 at the destination) and out of one (-1 at the origin), migration.ts
   * `move`: summed over a region's urban places, the net moves into its urban population (moves
   * between two of its urban places cancel).
   */
  {
    id: 'urbanMoves',
    array: 'int32',
    per: 'place',
    metric: {
      id: 'urban_gain_migration',
      unit: 'persons',
      label: "Net moves into the region's urban places (from its villages, other regions and outside Shanxi)",
      scaled: true,
      over: 'urban',
    },
  },
  {
    id: 'childrenJoined',
    array: 'int32',
    per: 'place',
    metric: {
      id: 'children_joined_parents',
      unit: 'persons',
      label: 'Children under 16 who joined their mother at another place (随迁), by the place joined',
      scaled: true,
      over: 'all',
    },
  },
] as const satisfies readonly FlowDecl[];

/** The shape of a declared flow counter (an entry of `FLOWS`). */
export interface FlowDecl {
  id: string;
  array: 'int32' | 'float64';
  /**
   * What it is counted by: a place, an (origin city, destination city) pair with 11 = outside, or
   * an (origin, destination) pair of flow classes (city and place type, world/places.ts).
   */
  per: 'place' | 'cityPair' | 'classPair';
  /** The indicator it feeds, observed generically (see `FLOWS`). */
  metric?: {
    id: string;
    unit: string;
    label: string;
    /** Multiplied by persons per agent (counts of agents), or not (hectares). */
    scaled: boolean;
    /** Summed over all the region's places, or over its urban places only. */
    over: 'all' | 'urban';
  };
}

type Declared = (typeof FLOWS)[number];
/** A declared flow counter that feeds an indicator. */
export type MetricFlow = Extract<Declared, { metric: object }>;

/** Flow counters per place (or per city pair for moves), summed over the current year: one per `FLOWS` entry. */
export type Flows = { [D in Declared as D['id']]: D['array'] extends 'float64' ? Float64Array : Int32Array };

/** Allocates zeroed flow counters for `nPlaces` places, `nCities` cities plus outside, and their flow classes. */
export function newFlows(nPlaces: number, nCities: number): Flows {
  const c = nCities + 1,
    k = flowClasses(nCities);
  const f: Record<string, Int32Array | Float64Array> = {};
  for (const d of FLOWS as readonly FlowDecl[]) {
    const n = d.per === 'cityPair' ? c * c : d.per === 'classPair' ? k * k : nPlaces;
    f[d.id] = d.array === 'float64' ? new Float64Array(n) : new Int32Array(n);
  }
  return f as Flows;
}

/** Zeroes every counter (at the start of each observed year). */
export function resetFlows(f: Flows): void {
  for (const d of FLOWS) f[d.id].fill(0);
}

/** The tick a rule runs in. */
export interface TickContext {
  /** Tick index from 0 (the first month after the census). */
  tick: number;
  /** Years since the census, at the start of this tick. */
  years: number;
  /** The run's 32-bit random key (see core/random.ts). */
  runKey: number;
  params: ModelParams;
  /**
   * A lever's value at this tick (switches as 0/1), from the tables the scenario layer resolved. A
   * place-level rule reads its levers here, once per tick, never per agent.
   */
  lever(path: LeverPath): number;
  flows: Flows;
  /** Rural income level relative to 2020: the product of (1 + rural income growth) over past ticks. */
  ruralLevel: number;
  /** The run's working memory: the tick's tables and the rules' buffers, sized for the world's places. */
  scratch: Scratch;
}

/**
 * The context of a run on `world` at tick `tick` (the clock at its start): zeroed flow counters, a
 * fresh scratch, the rural income level of 2020. The engine makes one per run.
 */
export function newContext(world: World, params: ModelParams, levers: LeverTables, runKey: number, tick = 0): TickContext {
  const P = world.places;
  const ctx: TickContext = {
    tick,
    years: tick / params.tpy,
    runKey,
    params,
    lever: (path) => levers[path][ctx.tick],
    flows: newFlows(P.n, P.nCities),
    ruralLevel: 1,
    scratch: newScratch(P),
  };
  return ctx;
}

/** A rule: reads and writes the world's columns for one tick. */
export type Rule = (world: World, ctx: TickContext) => void;
