/**
 * `urbanize run`: a batch of Monte Carlo runs on worker threads into a results folder, on one
 * machine or as one shard of a cluster job; `--resume` completes an interrupted folder.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { userError } from '../core/errors.js';
import { runKey } from '../core/random.js';
import { baseJobs, startBatch } from '../batch/pool.js';
import { checkMemory } from '../engine/check.js';
import { leverTables } from '../engine/setup.js';
import { parseShard, shardRunIds, type Shard } from '../batch/shard.js';
import { loadScenario } from '../scenario/scenario.js';
import { finalize } from '../results/finalize.js';
import { createFolder, readManifest, scenarioHash, storedRuns, writeManifest, writeRunValues, type Manifest } from '../results/folder.js';
import { provinceTable, targetsTable } from '../results/table.js';
import { loadTargets, type TargetsFile } from '../results/targets.js';
import type { Scenario } from '../scenario/schema.js';
import { writeReport } from '../report/index.js';
import { progress } from './progress.js';
import { engineVersion } from './version.js';

/** Options of the run command. */
export interface RunOptions {
  runs?: number; seed?: number; scale?: number; out?: string; force?: boolean; quiet?: boolean;
  workers?: number; shard?: string; resume?: string; parquet?: boolean;
  /** One line per batch instead of the tables (compare and sweep print their own). */
  brief?: boolean;
  /** Audit the world after every rule of every tick. */
  check?: boolean;
}

/** A scenario ready to run: loaded, with the command line's overrides applied, and its targets. */
export interface ScenarioSetup { sc: Scenario; file: string; targetsFile: string; targets: TargetsFile }

/** Loads a scenario file and applies --runs, --seed and --scale. */
export function setupScenario(file: string, opts: Pick<RunOptions, 'runs' | 'seed' | 'scale'>): ScenarioSetup {
  const loaded = loadScenario(file);
  const sc = loaded.scenario;
  if (opts.runs !== undefined) sc.runs = opts.runs;
  if (opts.seed !== undefined) sc.seed = opts.seed;
  if (opts.scale !== undefined) sc.scale = opts.scale;
  return { sc, file, targetsFile: loaded.targetsFile, targets: loadTargets(loaded.targetsFile) };
}

/** Runs a scenario (or resumes a folder); returns the exit code: 0, 1 if a run failed, 130 if interrupted. */
export async function runCommand(file: string | undefined, opts: RunOptions, log: (s: string) => void): Promise<number> {
  if (opts.resume !== undefined) return resumeCommand(opts.resume, opts, log);
  if (file === undefined) throw userError({ code: 'invalid_flag', path: 'run', expected: 'a scenario file, or --resume DIR', found: 'neither' });
  const setup = setupScenario(file, opts);
  const sc = setup.sc;
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
  if (shard && shard.count > sc.runs) throw userError({ code: 'invalid_flag', path: '--shard', expected: `at most ${sc.runs} shards (one run each)`, found: String(shard.count) });
  const out = opts.out ?? join('results', shard ? `${sc.name}-shard-${shard.index}-of-${shard.count}` : sc.name);
  return (await runToFolder(setup, out, shard, opts, log)).code;
}

/** Creates the results folder of a scenario (or shard) and runs its batch into it. */
export async function runToFolder(setup: ScenarioSetup, out: string, shard: Shard | null, opts: RunOptions, log: (s: string) => void): Promise<{ code: number; manifest: Manifest }> {
  const { sc, file, targets } = setup;
  const runIds = shardRunIds(sc.runs, shard);
  const manifest: Manifest = {
    format: 1,
    engine: engineVersion(),
    scenario: { name: sc.name, file, hash: scenarioHash(sc), resolved: sc },
    targets_file: setup.targetsFile,
    targets,
    seed: sc.seed,
    runs: sc.runs,
    shard,
    run_ids: runIds,
    run_seeds: runIds.map((r) => ({ run: r, seed: runKey(sc.seed, r) })),
    status: 'running',
    failed: [],
    digest: null,
  };
  // Before the folder exists: a refused run must not leave a folder behind.
  checkMemory(sc, Math.min(opts.workers ?? availableParallelism(), Math.max(1, runIds.length)), undefined, runIds.length);
  createFolder(out, manifest, opts.force ?? false);
  return { code: await execute(out, manifest, opts, log), manifest };
}

/** Completes an interrupted folder: runs what has no stored result (failed runs are tried again). */
async function resumeCommand(dir: string, opts: RunOptions, log: (s: string) => void): Promise<number> {
  const m = readManifest(dir);
  const engine = engineVersion();
  if (m.engine.version !== engine.version) {
    throw userError({ code: 'engine_version', file: join(dir, 'manifest.json'), path: 'engine.version', expected: `results of this engine (${engine.version})`, found: m.engine.version });
  }
  m.failed = [];
  const stored = new Set(storedRuns(dir));
  const pending = m.run_ids.filter((r) => !stored.has(r)).length;
  checkMemory(m.scenario.resolved, Math.min(opts.workers ?? availableParallelism(), Math.max(1, pending)), undefined, pending);
  return execute(dir, m, opts, log);
}

/** Runs the folder's missing runs, stores each as it finishes, then finalizes. */
async function execute(dir: string, m: Manifest, opts: RunOptions, log: (s: string) => void): Promise<number> {
  const t0 = performance.now();
  const stored = new Set(storedRuns(dir));
  const pending = m.run_ids.filter((r) => !stored.has(r));
  const workers = opts.workers ?? availableParallelism();
  const bar = progress(m.run_ids.length, m.run_ids.length - pending.length, opts.quiet ?? false);
  m.status = 'running';
  writeManifest(dir, m);
  const faults = (process.env.URBANIZE_FAULT_RUNS ?? '').split(',').filter((s) => /^\d+$/.test(s)).map(Number);
  const batch = startBatch({ scenario: m.scenario.resolved, levers: leverTables(m.scenario.resolved), jobs: baseJobs(pending), faultRuns: faults, check: opts.check ?? false }, workers, {
    onResult({ run }, _seed, values) { writeRunValues(dir, run, values); bar.tick(); },
    onFailed({ run }, seed, error) { m.failed.push({ run, seed, error }); m.failed.sort((a, b) => a.run - b.run); writeManifest(dir, m); bar.tick(); },
  });
  let interrupted = false;
  const onSignal = () => { interrupted = true; void batch.stop(); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await batch.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar.stop();
  }
  if (interrupted) {
    m.status = 'partial';
    writeManifest(dir, m);
    log(`interrupted: ${storedRuns(dir).length} of ${m.run_ids.length} runs kept in ${dir}; complete it with: urbanize run --resume ${dir}`);
    return 130;
  }
  const f = finalize(dir, m, opts.parquet ?? false);
  const sc = m.scenario.resolved;
  const shardNote = m.shard ? `, shard ${m.shard.index}/${m.shard.count}` : '';
  log(`${m.scenario.name}: ${f.runs} runs${shardNote}, seed ${m.seed}, scale ${sc.scale}, ${workers} workers, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (f.runs && !opts.brief) {
    log(provinceTable(f.indicatorRows, sc.time.end_year));
    log('');
    log(targetsTable(f.targetResults, f.runs));
  }
  for (const x of m.failed) log(`run ${x.run} (seed ${x.seed}) failed: ${x.error}`);
  if (f.runs && !opts.brief) log(`report: ${await writeReport(dir)}`);
  log(`results: ${dir}  status ${m.status}  digest ${m.digest ?? '(partial)'}`);
  return m.failed.length ? 1 : 0;
}
