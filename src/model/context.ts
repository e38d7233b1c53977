/**
 * What a rule sees besides the world: the clock (owned by the engine; rules never advance it),
 * the run's random key, the parameters, the levers of the tick, the flow counters of the current year, and the run's
 * scratch (scratch.ts): a rule keeps nothing in module variables.
 */
import type { LeverPath } from '../scenario/levers.js';
import type { LeverTables } from '../scenario/schedule.js';
import type { World } from '../world/world.js';
import type { ModelParams } from './params.js';
import { newScratch, type Scratch } from './scratch.js';

/** Flow counters per place (or per city pair for moves), summed over the current year. */
export interface Flows {
  births: Int32Array;
  deaths: Int32Array;
  /** Hires into urban jobs from non-employment, by place (城镇新增就业 before attrition). */
  hires: Int32Array;
  /** Urban job holders who retired or died, by place (the "natural attrition" subtracted). */
  attrition: Int32Array;
  settlements: Int32Array;
  /** Construction land granted for settled migrants, hectares, by place. */
  landHa: Float64Array;
  /** Idle construction land brought back into use (增存挂钩), hectares, by place. */
  idleLandHa: Float64Array;
  /** Moves by (origin city, destination city), cities 0..10 and 11 = outside. */
  moves: Int32Array;
  /** Working-age agents who left a village for a town or the rest of China, by origin village (rural labour transferred). */
  ruralTransfers: Int32Array;
  /** Moves that failed for want of housing at the destination, by destination place. */
  blockedMoves: Int32Array;
}

/** Allocates zeroed flow counters for `nPlaces` places and `nCities` cities plus outside. */
export function newFlows(nPlaces: number, nCities: number): Flows {
  const c = nCities + 1;
  return {
    births: new Int32Array(nPlaces),
    deaths: new Int32Array(nPlaces),
    hires: new Int32Array(nPlaces),
    attrition: new Int32Array(nPlaces),
    settlements: new Int32Array(nPlaces),
    landHa: new Float64Array(nPlaces),
    idleLandHa: new Float64Array(nPlaces),
    moves: new Int32Array(c * c),
    blockedMoves: new Int32Array(nPlaces),
    ruralTransfers: new Int32Array(nPlaces),
  };
}

/** Zeroes every counter (at the start of each observed year). */
export function resetFlows(f: Flows): void {
  for (const a of Object.values(f)) (a as Int32Array | Float64Array).fill(0);
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
