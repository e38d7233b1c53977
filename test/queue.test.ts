import { describe, expect, it } from 'vitest';
import { drawParameterSet } from '../src/core/random.js';
import { fifoQueue, setQueue } from '../src/batch/queue.js';
import { baseJobs } from '../src/batch/pool.js';

describe('the job queue of a batch', () => {
  it('hands out jobs first in, first out without a posterior', () => {
    const q = fifoQueue(baseJobs([3, 1, 2]));
    expect([q.take({}), q.take({}), q.take({}), q.take({})].map((j) => j?.run)).toEqual([3, 1, 2, undefined]);
  });

  it('with a posterior, gives each worker the jobs of the set it holds, and another worker another set', () => {
    const ps = { parameters: ['migration.beta_income'], weights: [1, 1, 1], sets: [[1], [1.5], [2]] };
    const runs = Array.from({ length: 30 }, (_, r) => r);
    const setOf = (r: number) => drawParameterSet(5, r, ps.weights);
    const q = setQueue(baseJobs(runs), 5, ps, []);
    const a = {},
      b = {};
    const got: Record<string, number[]> = { a: [], b: [] };
    for (let k = 0; q.size > 0; k++) {
      const [name, w] = k % 2 === 0 ? ['a', a] : ['b', b];
      got[name].push(q.take(w)!.run);
    }
    expect([...got.a, ...got.b].sort((x, y) => x - y)).toEqual(runs);
    // Each worker changes set only when its set has no job left: at most 3 builds each, not one a run.
    const changes = (rs: number[]) => rs.filter((r, i) => i > 0 && setOf(r) !== setOf(rs[i - 1])).length;
    expect(changes(got.a) + changes(got.b)).toBeLessThanOrEqual(4);
    expect(setOf(got.a[0])).not.toBe(setOf(got.b[0]));
  });
});
