/**
 * Shards: a batch split over machines. Shard I of N (0 <= I < N) runs the run ids r with
 * r mod N = I, so every shard gets an even share and the union is every run exactly once. The
 * index and count can come from a Slurm job array (SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN,
 * SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX).
 */
import { userError } from '../core/errors.js';

/** A shard of a batch. */
export interface Shard {
  index: number;
  count: number;
}

const whole = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);

/** Parses `I/N` (either part may be `auto`; `auto` alone is `auto/auto`) against the environment. */
export function parseShard(spec: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const [i, n, extra] = (spec === 'auto' ? 'auto/auto' : spec).split('/');
  const bad = (found: string) => userError({ code: 'invalid_flag', path: '--shard', expected: 'I/N with 0 <= I < N (I or N may be "auto")', found });
  if (n === undefined || extra !== undefined) throw bad(`"${spec}"`);
  let index = whole(i),
    count = whole(n);
  if (i === 'auto') {
    const slurm = whole(env.SLURM_ARRAY_TASK_ID);
    index = slurm !== undefined ? slurm - (whole(env.SLURM_ARRAY_TASK_MIN) ?? 0) : whole(env.JOB_COMPLETION_INDEX);
    if (index === undefined)
      throw userError({
        code: 'invalid_flag',
        path: '--shard',
        expected: 'SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX in the environment for an "auto" index',
        found: 'neither',
      });
  }
  if (n === 'auto') {
    count = whole(env.SLURM_ARRAY_TASK_COUNT);
    if (count === undefined)
      throw userError({
        code: 'invalid_flag',
        path: '--shard',
        expected: 'SLURM_ARRAY_TASK_COUNT in the environment for an "auto" count (on Kubernetes give the count: --shard auto/N)',
        found: 'none',
      });
  }
  if (index === undefined || count === undefined || count < 1 || index >= count) throw bad(`"${spec}" (index ${index}, count ${count})`);
  return { index, count };
}

/** The run ids of shard `s` out of `runs` (all of them without a shard). */
export function shardRunIds(runs: number, s: Shard | null): number[] {
  const ids: number[] = [];
  for (let r = 0; r < runs; r++) if (!s || r % s.count === s.index) ids.push(r);
  return ids;
}
