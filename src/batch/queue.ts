/**
 * The queue a batch's workers pull their jobs from. Without a posterior it is first in, first
 * out. With one, each run needs the world of its parameter set, which a worker builds when its
 * set changes (worker.ts): at scale 100 that costs a quarter to a half of a run (docs/
 * architecture.md). So a worker is given, in this order: a job on the world it holds; else a job
 * on a world no other worker holds; else the next job. Jobs are sorted by world, then variant and
 * run. Results do not depend on the order: each is keyed by its run id.
 */
import { drawParameterSet } from '../core/random.js';
import type { ParameterSets } from '../scenario/parameters.js';
import type { Job, Variant } from './protocol.js';

/** Jobs waiting for a worker. */
export interface JobQueue {
  /** Jobs left. */
  readonly size: number;
  /** The next job for worker `worker` (any object that stands for it), or undefined when none is left. */
  take(worker: object): Job | undefined;
}

/** The jobs in the order given. */
export function fifoQueue(jobs: readonly Job[]): JobQueue {
  const q = [...jobs];
  return {
    get size() {
      return q.length;
    },
    take: () => q.shift(),
  };
}

/**
 * The jobs of a batch whose runs draw parameter set drawParameterSet(seed, run) of `ps`, grouped
 * by the world they run on: (the variant whose own scenario it is, or 0 for the base's; set).
 */
export function setQueue(jobs: readonly Job[], seed: number, ps: ParameterSets, variants: readonly Variant[]): JobQueue {
  const q = jobs.map((job) => {
    const own = job.variant > 0 && variants[job.variant - 1].scenario ? job.variant : 0;
    const set = drawParameterSet(seed, job.run, ps.weights);
    return { job, own, set, world: `${own}:${set}` };
  });
  q.sort((a, b) => a.own - b.own || a.set - b.set || a.job.variant - b.job.variant || a.job.run - b.job.run);
  const holds = new Map<object, string>();
  return {
    get size() {
      return q.length;
    },
    take(worker) {
      const mine = holds.get(worker);
      let i = mine === undefined ? -1 : q.findIndex((x) => x.world === mine);
      if (i < 0) {
        const held = new Set([...holds].filter(([w]) => w !== worker).map(([, world]) => world));
        i = Math.max(
          0,
          q.findIndex((x) => !held.has(x.world)),
        );
      }
      const [x] = q.splice(i, 1);
      if (!x) return undefined;
      holds.set(worker, x.world);
      return x.job;
    },
  };
}
