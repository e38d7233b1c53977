/**
 * A run's scratch: the working memory of the tick's rules (tables rebuilt every tick, buffers of
 * the agent pass and of the choice model), owned by the run's context (`TickContext.scratch`),
 * never by a module. Two runs in one thread each have their own, so neither sees the other's
 * state, and every input of a rule comes through its arguments.
 *
 * Everything is allocated once, by `newScratch`, at the size of the world's places: the hot loops
 * then read typed arrays that never change identity within the run (a loop hoists them into
 * locals once per tick). The few that grow (the mothers of a tick, the newcomer pool, the list of
 * children) double when full. Nothing here carries the model's state from one tick to the next (the
 * world does): a tick rebuilds every table it reads, the stamps (ChoiceScratch) only say what it has
 * rebuilt, and the family step's list of children (FamilyScratch) is an index of the world's columns
 * that the step brings up to date before it reads it.
 */
import { EMPS, SKILLS } from '../world/agents.js';
import type { Places } from '../world/places.js';
import { BLOCK } from './occupancy.js';

/** Bands per class in the agent pass's width table (the eight of `Band` in step.ts). */
export const BANDS = 8;
/** Most alternatives an agent weighs: stay, home, county town, city centre and town seats, outside, each city's centre. */
const MAX_ALTS = 32;
/** Distance classes of a move (Places.distance: same county, same city, same province, to or from outside). */
const DISTANCE_CLASSES = 4;

/** The agent pass's tables and buffers (step.ts), and the state of its tick that the slow path reads. */
export interface PassScratch {
  /** Band widths by class k = (place * EMPS + employment) * 4 + local * 2 + renter, BANDS per class. */
  widths: Float64Array;
  /** By class: [2k] the end of the lower bands (before death and birth), [2k + 1] the start of the permit band. */
  gate: Float64Array;
  /**
   * By (place, employment) j = place * EMPS + employment: [2j] the largest end of the lower bands
   * and [2j + 1] the smallest start of the permit band over its four classes.
   */
  bounds: Float64Array;
  /** The tick's death probabilities by (female flag << 7) | age. */
  death: Float64Array;
  /** The tick's birth probabilities by (residence << 9) | (female flag << 7) | age (params.ts, URBAN_FERTILITY). */
  birth: Float64Array;
  /** Death + birth widths by (residence << 9) | (female flag << 7) | age. */
  demo: Float64Array;
  /** The largest death + birth width of an age over sex and residence, by age. */
  demoAge: Float64Array;
  /** The birthday events each age can have (labour.ts, birthdayAges). */
  bdayAges: Uint8Array;
  /** The block's candidates: id, event draw, and 1 if it has a labour event on its birthday this tick. */
  candidates: Int32Array;
  candidateDraw: Float64Array;
  candidateBirthday: Uint8Array;
  /** The tick's mothers, who bear after the pass (grows). */
  mothers: Int32Array;
  nMothers: number;
  /** The rules of the tick's pass (bits of RULE) and its keys, for the slow path. */
  mask: number;
  kEvent: number;
  kHire: number;
  kEntry: number;
  kJoin: number;
  kFarm: number;
  kExit: number;
  /** The tick's wage level. */
  level: number;
}

/**
 * The choice model's tables of the tick and its buffers (migration.ts): the parts of a utility that
 * do not depend on the agent, by (place, skill), set by `choiceTables` before the agent pass.
 */
export interface ChoiceScratch {
  /** A newcomer's probability of a job at each place (0 in villages: not a destination). */
  jobProb: Float64Array;
  /** Expected income at d with skill s for a newcomer, by d * SKILLS + s. */
  expIncome: Float64Array;
  /** The utility of arriving at d with skill s (before network and moving cost), by d * SKILLS + s. */
  arrive: Float64Array;
  /** The reference utility: the largest of `arrive` over the destinations, so that weights stay in range. */
  ref: number;
  /** exp(arrive - ref), and exp(-moving cost) by distance class: with exp(net), a newcomer's weight is their product. */
  arriveW: Float64Array;
  moveW: Float64Array;
  /** 100 / N_h by home county h, at the tick's start. */
  inv: Float64Array;
  /** The tick's network coefficient, and the number of places (the row length of `net`). */
  betaNetwork: number;
  places: number;
  /** One agent's choice set: the alternatives, their weights exp(V - ref), their draws. */
  alt: Int32Array;
  weight: Float64Array;
  draws: Float64Array;
  /** The key of each destination's draws in the tick. */
  placeKey: Int32Array;
  /** A mark per place: `serial` when it is in the newcomer group being built. */
  mark: Int32Array;
  serial: number;
  /**
   * The newcomer alternatives of each group (home county h, skill s) = h * SKILLS + s: the tick
   * (`stamp`) they were built in, where they start in the pool and how many; the pool of their
   * places and weights (grows), and its length.
   */
  groupStamp: Int32Array;
  groupStart: Int32Array;
  groupLen: Uint8Array;
  poolD: Int32Array;
  poolW: Float64Array;
  poolN: number;
  /**
   * The network term and its exp by home county and place (h * places + d), computed when a
   * reviewer first needs them in the tick (a reviewer weighs about 17 of the places, so most pairs
   * are never needed), from the network at the tick's start (`netSnapshot`) and `inv`; the tick
   * (`stamp`) each pair was computed in.
   */
  net: Float64Array;
  netW: Float64Array;
  netStamp: Int32Array;
  netSnapshot: Int32Array;
  /** The tick's mark, one more every tick that builds choice tables. */
  stamp: number;
}

/**
 * The family step's list of children (family.ts, `children`): the ids of the agents with a mother
 * link, under 16 and alive at its last step, in id order (`n` of them; grows), with their mother's
 * id and, as the step last read them, their own and their mother's place and hukou place; and the
 * number of agent slots it has looked at (`seen`): the agents added since are looked at in its next
 * step.
 */
export interface FamilyScratch {
  /** Per child k: its id at 2k, its mother's id at 2k + 1. */
  pairs: Int32Array;
  /** Per child k: its place at 4k, its hukou place at 4k + 1, its mother's at 4k + 2 and 4k + 3. */
  states: Uint16Array;
  n: number;
  seen: number;
  /** The children that acted in the step's last pass (grows). */
  acted: Int32Array;
}

/** A run's scratch (see the module doc). */
export interface Scratch {
  /** The hiring probability of the tick by place (labour.ts, labourMarket). */
  hiring: Float64Array;
  /**
   * A place's vacancies and job seekers averaged over about a year (an exponential average with
   * weight 1/T per tick, started at the first tick's counts), and the hiring odds they give: the
   * odds destination choice weighs (migration.ts), which do not swing with the few agents a small
   * place holds at coarse scales.
   */
  vacAvg: Float64Array;
  seekAvg: Float64Array;
  hiringAvg: Float64Array;
  pass: PassScratch;
  choice: ChoiceScratch;
  family: FamilyScratch;
}

/** Allocates the scratch of a run on a world with these places. */
export function newScratch(places: Places): Scratch {
  const n = places.n,
    nk = n * EMPS * 4,
    nh = places.nCounties + 1,
    ng = nh * SKILLS;
  return {
    hiring: new Float64Array(n),
    vacAvg: new Float64Array(n).fill(Number.NaN),
    seekAvg: new Float64Array(n).fill(Number.NaN),
    hiringAvg: new Float64Array(n),
    pass: {
      widths: new Float64Array(nk * BANDS),
      gate: new Float64Array(nk * 2),
      bounds: new Float64Array(n * EMPS * 2),
      death: new Float64Array(512),
      birth: new Float64Array(1024),
      demo: new Float64Array(1024),
      demoAge: new Float64Array(256),
      bdayAges: new Uint8Array(256),
      candidates: new Int32Array(BLOCK),
      candidateDraw: new Float64Array(BLOCK),
      candidateBirthday: new Uint8Array(BLOCK),
      mothers: new Int32Array(1024),
      nMothers: 0,
      mask: 0,
      kEvent: 0,
      kHire: 0,
      kEntry: 0,
      kJoin: 0,
      kFarm: 0,
      kExit: 0,
      level: 1,
    },
    choice: {
      jobProb: new Float64Array(n),
      expIncome: new Float64Array(n * SKILLS),
      arrive: new Float64Array(n * SKILLS),
      ref: 0,
      arriveW: new Float64Array(n * SKILLS),
      moveW: new Float64Array(DISTANCE_CLASSES),
      inv: new Float64Array(nh),
      betaNetwork: 0,
      places: n,
      alt: new Int32Array(MAX_ALTS),
      weight: new Float64Array(MAX_ALTS),
      draws: new Float64Array(MAX_ALTS),
      placeKey: new Int32Array(n),
      mark: new Int32Array(n),
      serial: 0,
      groupStamp: new Int32Array(ng),
      groupStart: new Int32Array(ng),
      groupLen: new Uint8Array(ng),
      poolD: new Int32Array(1024),
      poolW: new Float64Array(1024),
      poolN: 0,
      net: new Float64Array(nh * n),
      netW: new Float64Array(nh * n),
      netStamp: new Int32Array(nh * n),
      netSnapshot: new Int32Array(nh * n),
      stamp: 0,
    },
    family: {
      pairs: new Int32Array(2048),
      states: new Uint16Array(4096),
      n: 0,
      seen: 0,
      acted: new Int32Array(256),
    },
  };
}
