/**
 * The message protocol between the main thread and a batch worker, in one place.
 *
 * main -> worker: `init` once (the resolved scenario and its lever tables, resolved on the main
 *   thread so workers never load mathjs; the worker builds its own copy of the world, which is
 *   deterministic), then `run` for each run id it is given, then `stop`.
 * worker -> main: `ready` after init (and the main thread answers with a run or `stop`), then one
 *   `result` (values transferred, not copied) or `failed` per run.
 * A worker pulls: it gets its next run only after reporting the last, so fast workers take more.
 */
import type { LeverTables } from '../scenario/schedule.js';
import type { Scenario } from '../scenario/schema.js';

export type ToWorker =
  | { type: 'init'; scenario: Scenario; levers: LeverTables; faultRuns: number[] }
  | { type: 'run'; run: number }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; run: number; seed: number; values: Float64Array }
  | { type: 'failed'; run: number; seed: number; error: string }
  | { type: 'init-failed'; error: string };
