/**
 * Runs a list of run ids on W worker threads. worker-threads-pool starts the threads (it starts a
 * fresh thread for every acquire and never reuses one), so each worker is acquired once and lives
 * for the whole batch, pulling run ids from a shared queue until it is empty. Results arrive in
 * completion order; callers key them by run id, never by arrival.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import Pool from 'worker-threads-pool';
import { UserError } from '../core/errors.js';
import { runKey } from '../core/random.js';
import type { ParameterSets } from '../scenario/parameters.js';
import type { LeverTables } from '../scenario/schedule.js';
import type { Scenario } from '../scenario/schema.js';
import type { FromWorker, Job, ToWorker, Variant } from './protocol.js';
import { fifoQueue, setQueue } from './queue.js';

/**
 * The compiled worker script, dist/batch/worker.js under the package root. Found from this module's
 * location so that it works both from dist/ and from the sources under test (vitest runs src/).
 */
export function workerFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const f = join(dir, 'dist', 'batch', 'worker.js');
  if (!existsSync(f)) throw new Error(`${f} not found: run \`npm run build\` first`);
  return f;
}

/** What a batch reports back as jobs finish. */
export interface BatchHandlers {
  onResult(job: Job, seed: number, values: Float64Array): void;
  onFailed(job: Job, seed: number, error: string): void;
}

/** What to run: the base scenario, its variants (a sweep's samples), and the jobs. */
export interface BatchSpec {
  scenario: Scenario;
  levers: LeverTables;
  variants?: Variant[];
  jobs: readonly Job[];
  /** The posterior the runs draw their parameter sets from; none: the scenario's own values. */
  posterior?: ParameterSets | null;
  /** Run ids made to throw (fault injection for tests). */
  faultRuns?: number[];
  /** Audit the whole world after every rule (--check). */
  check?: boolean;
}

/** The jobs of runs `runIds` of the base scenario. */
export const baseJobs = (runIds: readonly number[]): Job[] => runIds.map((run) => ({ run, variant: 0 }));

/** A running batch: `done` resolves when every run id has a result or a failure, or after `stop()`. */
export interface Batch {
  done: Promise<void>;
  /** Stops dispatching, terminates the workers; runs in flight are abandoned. */
  stop(): Promise<void>;
}

/** Starts the jobs of `spec` on `workers` threads. */
export function startBatch(spec: BatchSpec, workers: number, h: BatchHandlers): Batch {
  const sc = spec.scenario;
  const queue = spec.posterior ? setQueue(spec.jobs, sc.seed, spec.posterior, spec.variants ?? []) : fifoQueue(spec.jobs);
  const live = new Set<Worker>();
  const inFlight = new Map<Worker, Job>();
  let stopped = false;
  let settle!: () => void, fail!: (e: Error) => void;
  const done = new Promise<void>((res, rej) => {
    settle = res;
    fail = rej;
  });
  const n = Math.max(0, Math.min(workers, queue.size));
  if (n === 0) settle();
  const pool = new Pool({ max: n });
  const file = workerFile();
  let remaining = queue.size;
  const finishOne = () => {
    if (--remaining === 0) {
      stopAll();
      settle();
    }
  };
  const next = (w: Worker) => {
    const job = stopped ? undefined : queue.take(w);
    if (job === undefined) {
      w.postMessage({ type: 'stop' } satisfies ToWorker);
      return;
    }
    inFlight.set(w, job);
    w.postMessage({ type: 'run', job } satisfies ToWorker);
  };
  const stopAll = () => {
    for (const w of live) void w.terminate();
  };
  for (let k = 0; k < n; k++) {
    pool.acquire(file, undefined, (err, w) => {
      if (err) {
        fail(err);
        return;
      }
      live.add(w);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') next(w);
        else if (m.type === 'init-failed') {
          stopped = true;
          stopAll();
          // A mistake in the input that only the world build could see is the user's, like any other (exit 2).
          fail(m.problems ? new UserError(m.problems) : new Error(`a worker could not build the world: ${m.error}`));
        } else {
          inFlight.delete(w);
          if (m.type === 'result') h.onResult(m.job, m.seed, m.values);
          else h.onFailed(m.job, m.seed, m.error);
          finishOne();
          if (remaining > 0) next(w);
        }
      });
      w.on('error', (e) => {
        // A worker that dies takes its run with it: report that run as failed, let the others go on.
        const job = inFlight.get(w);
        inFlight.delete(w);
        live.delete(w);
        if (job !== undefined) {
          h.onFailed(job, runKey(sc.seed, job.run), `worker died: ${e.message}`);
          finishOne();
        }
        if (live.size === 0 && remaining > 0 && !stopped) fail(new Error(`all workers died; last error: ${e.message}`));
      });
      w.on('exit', () => live.delete(w));
      w.postMessage({
        type: 'init',
        scenario: sc,
        levers: spec.levers,
        variants: spec.variants ?? [],
        posterior: spec.posterior ?? null,
        faultRuns: spec.faultRuns ?? [],
        check: spec.check ?? false,
        single: spec.jobs.length === 1,
      } satisfies ToWorker);
    });
  }
  return {
    done,
    async stop() {
      stopped = true;
      const exits = [...live].map((w) => w.terminate());
      await Promise.all(exits);
      settle();
    },
  };
}
