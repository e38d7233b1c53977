/**
 * Randomness. Two kinds, both flowing from the scenario's master seed:
 *  - run seeds: seedrandom's xor4096 generator, seeded by (master seed, run id), gives each run a
 *    32-bit key; run r's key depends on the master seed and r alone, never on scheduling.
 *  - keyed draws: an agent's draw for a decision is a hash of (run key, tick, channel, agent id).
 *    The same agent facing the same decision in the same tick of the same run gets the same number
 *    in every policy variant (common random numbers), and no draw depends on the order in which
 *    agents or rules happen to be processed.
 */
import seedrandom from 'seedrandom';

/** Decision channels: one per kind of random decision, so that two decisions never share a draw. */
export const Channel = {
  /**
   * The agent's one draw of the tick: every event of the five rules is a band of it (death,
   * birth, settlement, review, job loss, tenure, training, permit; step.ts).
   */
  event: 1,
  birthSex: 3,
  /** A job seeker's hiring draw (labour.ts), apart from the event draw, so that no band moves it. */
  hire: 4,
  choice: 7,
  landExit: 12,
  labourEntry: 13,
  participation: 15,
  farmEntry: 16,
  /** A village resident's yearly reclassification draw, 村改居 (reclassify.ts). */
  reclassify: 20,
  /** A village resident's draw at a county-to-district event, 撤县设区 (reclassify.ts). */
  countyToDistrict: 21,
  /** A child's draw of the family step (model/family.ts): joining its mother in another place. */
  family: 22,
  /**
   * Whether a child is left behind at its hukou village: at the build (world/family.ts, under the
   * world key, with the sub-draws of the mother links in tickKey's tick slot) and at birth
   * (demography.ts `bear`, under the run key, keyed by the child's id).
   */
  leftBehind: 23,
  /**
   * A run's parameter set from the scenario's posterior (drawParameterSet): one draw per run, under
   * the run key at tick 0, on a channel no agent decision uses.
   */
  parameterSet: 24,
  init: 100,
} as const;
export type ChannelId = (typeof Channel)[keyof typeof Channel];

/**
 * murmur3's 32-bit finalizer, a bijection with full avalanche, on the bits of an int32 and
 * returning an int32: staying in 32-bit integers lets the JIT compile it to integer instructions
 * only (a uint32 result above 2^31 would be a double).
 */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Key of one (run, tick, channel): computed once per tick and channel, so that the per-agent
 * draw costs a single finalizer (the hot loops call `drawKeyed` millions of times per tick).
 * The key is a 32-bit pattern held as an int32.
 */
export function tickKey(runKey: number, tick: number, channel: number): number {
  const a = mix32(runKey ^ Math.imul(tick + 1, 0x9e3779b1));
  return mix32(a ^ Math.imul(channel, 0x27d4eb2f));
}

/** 2^-32: maps a uint32 onto [0, 1). */
const INV_2_32 = 1 / 4294967296;

/**
 * The uniform draw in [0, 1) of agent `id` under a tick key. Two finalizer rounds: one alone on
 * (key + id * odd) leaves weak correlations between neighbouring ids, measured by the uniformity
 * test in test/random.test.ts. Integer arithmetic throughout (| 0 is the sum mod 2^32) until the
 * last step, which reads the hash as a uint32.
 */
export function drawKeyed(key: number, id: number): number {
  const h = mix32(key ^ Math.imul(id, 0x9e3779b1));
  return (mix32((h + key) | 0) >>> 0) * INV_2_32;
}

/** The 32-bit key of run `run` under `masterSeed`: xor4096 seeded by the pair, first output. */
export function runKey(masterSeed: number, run: number): number {
  const rng = seedrandom.xor4096(`urbanize:${masterSeed}:run:${run}`);
  return rng.int32() >>> 0;
}

/** The key of the initial population's draws: depends on the master seed only, so every run and every variant starts from the same world. */
export function worldKey(masterSeed: number): number {
  return seedrandom.xor4096(`urbanize:${masterSeed}:world`).int32() >>> 0;
}

/**
 * The parameter set of run `run` among sets of `weights` (each >= 0, with a positive sum), in
 * proportion to the weights: one keyed draw of (master seed, run) on its own channel. It depends
 * on nothing else, so run r gets the same set on any number of workers or shards and in every
 * policy variant that has the same posterior; and it shares no draw with the run's agents.
 */
export function drawParameterSet(masterSeed: number, run: number, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  const x = drawKeyed(tickKey(runKey(masterSeed, run), 0, Channel.parameterSet), 0) * total;
  let last = 0,
    sum = 0;
  for (let k = 0; k < weights.length; k++) {
    if (!(weights[k] > 0)) continue;
    sum += weights[k];
    last = k;
    if (x < sum) return k;
  }
  // x * total rounded up to the sum of the weights: the last set that can be drawn.
  return last;
}
