/**
 * The message protocol between the main thread and a batch worker, in one place.
 *
 * main -> worker: `init` once: the base scenario and its lever tables (resolved on the main thread
 *   so workers never load mathjs), and the batch's variants (a sweep's samples: other lever tables,
 *   and a whole scenario when a sample changes behaviour); the worker builds its own copy of the
 *   world, which is deterministic; with the scenario's posterior, its parameter sets (read and
 *   checked on the main thread: workers read no file), and the worker builds the world of each
 *   run's set instead. Then `run` for each job it is given, then `stop`.
 * worker -> main: `ready` after init (the main thread answers with a job or `stop`), then one
 *   `result` (values transferred, not copied) or `failed` per job.
 * A worker pulls: it gets its next job only after reporting the last, so fast workers take more.
 */
import type { Problem } from '../core/errors.js';
import type { ParameterSets } from '../scenario/parameters.js';
import type { LeverTables } from '../scenario/schedule.js';
import type { Scenario } from '../scenario/schema.js';

/** A variant of the base scenario: its lever tables, and its scenario when more than levers differ. */
export interface Variant {
  levers: LeverTables;
  scenario?: Scenario;
}

/** One unit of work: run `run` of variant `variant` (0 = the base scenario). */
export interface Job {
  run: number;
  variant: number;
}

export type ToWorker =
  | {
      type: 'init';
      scenario: Scenario;
      levers: LeverTables;
      variants: Variant[];
      /** Run r of every variant uses set drawParameterSet(seed, r, weights) (core/random.ts); null: the scenario's own values. */
      posterior: ParameterSets | null;
      faultRuns: number[];
      check: boolean;
      single: boolean;
    }
  | { type: 'run'; job: Job }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; job: Job; seed: number; values: Float64Array }
  | { type: 'failed'; job: Job; seed: number; error: string }
  /** `problems`: set when the world could not be built because of the user's input (a UserError). */
  | { type: 'init-failed'; error: string; problems?: Problem[] };
