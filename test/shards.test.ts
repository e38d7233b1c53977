import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard, shardRunIds } from '../src/batch/shard.js';
import { UserError } from '../src/core/errors.js';
import { manifestOf, smallScenario } from './helpers/batch.js';
import { cli, tempDir } from './helpers/cli.js';

describe('shards', () => {
  it('3 shards merged give the digest and files of the batch run on one machine', () => {
    const dir = tempDir(),
      sc = smallScenario(dir, { runs: 7 });
    expect(cli(['run', sc, '--out', join(dir, 'one'), '--quiet']).code).toBe(0);
    const shards = [0, 1, 2].map((i) => join(dir, `s${i}`));
    shards.forEach((s, i) => expect(cli(['run', sc, '--shard', `${i}/3`, '--out', s, '--quiet', '--workers', '1']).code).toBe(0));
    expect(manifestOf(shards[0]).run_ids).toEqual([0, 3, 6]);
    const m = cli(['merge', ...shards, '--out', join(dir, 'merged')]);
    expect(m.code).toBe(0);
    expect(manifestOf(join(dir, 'merged')).digest).toBe(manifestOf(join(dir, 'one')).digest);
    for (const f of ['runs.csv', 'indicators.csv', 'targets.csv', 'flows.csv'])
      expect(readFileSync(join(dir, 'merged', f), 'utf8')).toBe(readFileSync(join(dir, 'one', f), 'utf8'));
  });

  it('take index and count from a Slurm job array or a Kubernetes Indexed Job', () => {
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ index: 2, count: 4 });
    expect(parseShard('auto/5', { JOB_COMPLETION_INDEX: '4' })).toEqual({ index: 4, count: 5 });
    expect(parseShard('1/3', {})).toEqual({ index: 1, count: 3 });
    expect(() => parseShard('auto/5', {})).toThrow(UserError);
    expect(() => parseShard('auto', { JOB_COMPLETION_INDEX: '0' })).toThrow(/SLURM_ARRAY_TASK_COUNT/);
    expect(() => parseShard('3/3', {})).toThrow(UserError);
    expect(() => parseShard('x/3', {})).toThrow(UserError);
  });

  it('split the run ids evenly and completely', () => {
    const all = [0, 1, 2, 3].flatMap((i) => shardRunIds(10, { index: i, count: 4 })).sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shardRunIds(10, { index: 1, count: 4 })).toEqual([1, 5, 9]);
  });

  it('merge refuses shards of another seed, another scenario, or a missing shard, with exit code 2', () => {
    const dir = tempDir(),
      sc = smallScenario(dir, { runs: 4 }),
      other = smallScenario(dir, { runs: 4, name: 'other', scale: 2500 });
    const run = (args: string[], out: string) => expect(cli(['run', ...args, '--out', join(dir, out), '--quiet', '--workers', '1']).code).toBe(0);
    run([sc, '--shard', '0/2'], 'a0');
    run([sc, '--shard', '1/2'], 'a1');
    run([sc, '--shard', '1/2', '--seed', '9'], 'seed9');
    run([other, '--shard', '1/2'], 'other');
    const seed = cli(['merge', join(dir, 'a0'), join(dir, 'seed9'), '--out', join(dir, 'm1')]);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('seed: expected the master seed');
    const scen = cli(['merge', join(dir, 'a0'), join(dir, 'other'), '--out', join(dir, 'm2')]);
    expect(scen.code).toBe(2);
    expect(scen.stderr).toContain('scenario.hash: expected the resolved scenario');
    const missing = cli(['merge', join(dir, 'a0'), '--out', join(dir, 'm3')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('2 missing');
    expect(cli(['merge', join(dir, 'a0'), join(dir, 'a1'), '--out', join(dir, 'ok')]).code).toBe(0);
  });
});
