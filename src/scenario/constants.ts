/**
 * Constants of the scenario format that other layers use without the schema (src/scenario/
 * schema.ts, which uses them too and re-exports them): the command line checks its flags against
 * the limits of a batch, and the observed regions are the cities, all without loading zod.
 */

/** The 11 prefecture-level cities, in the model's order. */
export const CITY_IDS = ['taiyuan', 'datong', 'yangquan', 'changzhi', 'jincheng', 'shuozhou', 'jinzhong', 'yuncheng', 'xinzhou', 'linfen', 'lvliang'] as const;
/** A city's id. */
export type CityId = (typeof CITY_IDS)[number];

/**
 * The most runs one batch may have: the scenario's `runs` and the `--runs` flags (and a sweep's
 * samples x runs) share it. Whether a batch this large fits in memory is checked on its own
 * (checkMemory in src/engine/check.ts).
 */
export const MAX_RUNS = 100000;

/** The coarsest scale (persons per agent), for the scenario's `scale` and `--scale`. */
export const MAX_SCALE = 100000;
