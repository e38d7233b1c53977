/**
 * deploy/slurm-array.sh and deploy/slurm-merge.sh on a real one-node Slurm cluster
 * (scripts/slurm-cluster.mjs, in a temporary folder): the array and its merge give the digest of
 * the batch run on one machine, also when a task is killed mid-run and requeued. Needs Debian's
 * slurm-wlm and munge, which scripts/test-tools.mjs installs where it can; without them the test
 * fails with one line saying what to do, and URBANIZE_SKIP_SLURM=1 skips it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, stopCluster } from '../scripts/slurm-cluster.mjs';
import { ensureTools } from '../scripts/test-tools.mjs';
import { manifestOf } from './helpers/batch.js';

const skip = process.env.URBANIZE_SKIP_SLURM;
if (skip) console.log(`slurm.test.ts skipped: URBANIZE_SKIP_SLURM=${skip} (the Slurm cluster test was opted out of)`);

/** The batch: 16 runs in 4 shards of 4 at a coarse scale, about half a second a run. */
const RUNS = 16,
  SCALE = 2000,
  TASKS = 4;
const repo = process.cwd();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip)('the Slurm deploy scripts on a one-node cluster', () => {
  let work = '',
    clusterDir = '',
    reference = '';
  /** The clients' environment: this one without Slurm's or urbanize's variables, plus SLURM_CONF. */
  let base: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    let t0 = performance.now();
    const problems = ensureTools(['slurm']);
    if (problems.length) throw new Error(problems.join('; '));
    console.log(`slurm.test.ts: tools ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    work = mkdtempSync(join(tmpdir(), 'urbanize-slurm-test-'));
    clusterDir = mkdtempSync(join(tmpdir(), 'urbanize-slurm-'));
    const c = await startCluster(clusterDir);
    console.log(`slurm.test.ts: cluster up in ${c.seconds.toFixed(1)} s`);
    base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLURM_|URBANIZE_)/.test(k)));
    Object.assign(base, { SLURM_CONF: c.env.SLURM_CONF, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` });
    t0 = performance.now();
    const one = join(work, 'one');
    const r = spawnSync(
      process.execPath,
      ['dist/cli/main.js', 'run', 'scenarios/shanxi-baseline.yaml', '--runs', String(RUNS), '--scale', String(SCALE), '--out', one, '--quiet'],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    reference = manifestOf(one).digest!;
    console.log(`slurm.test.ts: one-machine batch in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 600_000);

  afterAll(async () => {
    if (clusterDir) await stopCluster(clusterDir);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  /** Runs a Slurm client; throws with its stderr when it fails. */
  function slurm(cmd: string, args: string[], env = base): string {
    const r = spawnSync(cmd, args, { encoding: 'utf8', env, cwd: repo });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    return r.stdout.trim();
  }

  /** Each job of `id` (an array's tasks, one by one) as scontrol shows it, as key=value pairs. */
  function jobs(id: string): Record<string, string>[] {
    return slurm('scontrol', ['-o', 'show', 'job', id])
      .split('\n')
      .filter(Boolean)
      .map((line) => Object.fromEntries(line.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])));
  }

  /** Submits the array (4 tasks) and its merge for a batch in work/NAME; returns their job ids and folders. */
  function submit(name: string) {
    const shards = join(work, `${name}-shards`),
      out = join(work, name);
    const env = {
      ...base,
      URBANIZE_SCENARIO: resolve('scenarios/shanxi-baseline.yaml'),
      URBANIZE_RUNS: String(RUNS),
      URBANIZE_SCALE: String(SCALE),
      URBANIZE_SHARDS_DIR: shards,
      URBANIZE_OUT: out,
    };
    // The scripts ask for 8 CPUs and 8 GB a task: this node may have less.
    const common = ['--parsable', '--cpus-per-task=1', '--mem=500M', `--chdir=${repo}`];
    const array = slurm('sbatch', [...common, `--array=0-${TASKS - 1}`, `--output=${work}/${name}-%A_%a.out`, 'deploy/slurm-array.sh'], env).split(';')[0];
    const merge = slurm('sbatch', [...common, `--dependency=afterok:${array}`, `--output=${work}/${name}-merge.out`, 'deploy/slurm-merge.sh'], env).split(
      ';',
    )[0];
    return { array, merge, shards, out };
  }

  /** Waits until job `id` has ended; fails with its log unless it COMPLETED. */
  async function completed(id: string, log: string, limitMs = 90_000): Promise<void> {
    const t0 = performance.now();
    for (;;) {
      const state = jobs(id)[0].JobState;
      if (state === 'COMPLETED') return;
      if (!['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'REQUEUED'].includes(state)) {
        throw new Error(`job ${id} ended ${state}: ${existsSync(log) ? readFileSync(log, 'utf8') : '(no log)'}`);
      }
      if (performance.now() - t0 > limitMs) throw new Error(`job ${id} still ${state} after ${limitMs / 1000} s`);
      await sleep(250);
    }
  }

  const runFiles = (shard: string) => (existsSync(join(shard, 'runs')) ? readdirSync(join(shard, 'runs')).filter((f) => /^\d{6}\.f64$/.test(f)).length : 0);

  it('a 4-task array and its merge give the digest of the batch run on one machine', async () => {
    const b = submit('plain');
    await completed(b.merge, join(work, 'plain-merge.out'));
    expect(manifestOf(b.out).digest).toBe(reference);
    for (let t = 0; t < TASKS; t++) expect(manifestOf(join(b.shards, `shard-${t}`)).status).toBe('complete');
  }, 120_000);

  it('a task killed mid-run and requeued completes its shard: the same digest', async () => {
    const b = submit('requeued');
    const perTask = RUNS / TASKS;
    // A running task with some of its runs stored but at least two still to go.
    let task = -1;
    const t0 = performance.now();
    while (task < 0) {
      if (performance.now() - t0 > 60_000) throw new Error('no task was seen mid-run in 60 s');
      for (const j of jobs(b.array)) {
        const n = runFiles(join(b.shards, `shard-${j.ArrayTaskId}`));
        if (j.JobState === 'RUNNING' && n >= 1 && n <= perTask - 2) {
          task = Number(j.ArrayTaskId);
          break;
        }
      }
      if (task < 0) await sleep(100);
    }
    const id = `${b.array}_${task}`;
    slurm('scontrol', ['requeue', id]);
    // Slurm holds a requeued job about two minutes (its begin time, set once the first attempt
    // has ended): let it start again now.
    for (let i = 0, updated = false; ; i++) {
      const j = jobs(id)[0];
      if (j.JobState === 'PENDING' && j.Reason === 'BeginTime') {
        slurm('scontrol', ['update', `JobId=${id}`, 'StartTime=now']);
        updated = true;
      } else if (updated || (j.Restarts === '1' && ['RUNNING', 'COMPLETED'].includes(j.JobState))) break;
      if (i > 100) throw new Error(`requeued task ${id} still ${j.JobState} (${j.Reason}) after 20 s`);
      await sleep(200);
    }
    await completed(b.merge, join(work, 'requeued-merge.out'));
    expect(manifestOf(b.out).digest).toBe(reference);
    expect(jobs(id)[0].Restarts).toBe('1');
    // The task's log (appended to across attempts) shows the first attempt stopped by the requeue.
    const log = readFileSync(join(work, `requeued-${b.array}_${task}.out`), 'utf8');
    expect(log).toMatch(/DUE TO JOB REQUEUE/);
    expect(log).toMatch(new RegExp(`interrupted: [1-${perTask - 1}] of ${perTask} runs kept`));
  }, 120_000);

  it('the merge names a missing shard and exits 2', () => {
    // Shards 0, 1 and 3 of 4 (their manifests only: the check reads nothing else), and a folder a killed task left.
    const shards = join(work, 'gap-shards');
    for (const t of [0, 1, 3]) {
      mkdirSync(join(shards, `shard-${t}`), { recursive: true });
      writeFileSync(join(shards, `shard-${t}`, 'manifest.json'), JSON.stringify({ shard: { index: t, count: 4 } }));
    }
    mkdirSync(join(shards, 'shard-2.tmp-12345'));
    const r = spawnSync('bash', ['deploy/slurm-merge.sh'], {
      encoding: 'utf8',
      env: { ...base, URBANIZE_SHARDS_DIR: shards, URBANIZE_OUT: join(work, 'gap') },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`1 of 4 shards missing in ${shards} (shard 2;`);
    expect(existsSync(join(work, 'gap'))).toBe(false);
  });
});
