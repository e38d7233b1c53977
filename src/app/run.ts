/**
 * Running a scenario into a results folder: a batch of Monte Carlo runs on worker threads, on one
 * machine or as one shard of a cluster job; resuming completes a folder that a signal or a kill
 * interrupted. runToFolder and resumeFolder are also how compare runs each of its scenarios.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { userError } from '../core/errors.js';
import { baseJobs } from '../batch/pool.js';
import { parseShard, type Shard } from '../batch/shard.js';
import { checkMemory } from '../engine/memory.js';
import { leverTables } from '../scenario/schedule.js';
import { checkEngine, readManifest, type Manifest, type ScenarioSetup } from '../results/documents.js';
import { finalize } from '../results/finalize.js';
import { createFolder, newManifest, writeManifest } from '../results/folder.js';
import { FILES, storedRuns, writeRunValues } from '../results/format.js';
import { provinceTable, targetsTable } from '../results/table.js';
import { loadTargets } from '../results/targets.js';
import { engineVersion } from '../results/version.js';
import { loadScenario } from '../scenario/scenario.js';
import { interruptedMessage, interruptible, runBatch, type CommandResult } from './batch.js';
import type { Log } from './log.js';

/** Options of a run. */
export interface RunOptions {
  runs?: number;
  seed?: number;
  scale?: number;
  out?: string;
  force?: boolean;
  quiet?: boolean;
  workers?: number;
  shard?: string;
  resume?: string;
  parquet?: boolean;
  /** One line per batch instead of the tables (compare and sweep print their own). */
  brief?: boolean;
  /** Audit the world after every rule of every tick. */
  check?: boolean;
}

/** Loads a scenario file and applies --runs, --seed and --scale. */
export function setupScenario(file: string, opts: Pick<RunOptions, 'runs' | 'seed' | 'scale'>): ScenarioSetup {
  const loaded = loadScenario(file);
  const sc = loaded.scenario;
  if (opts.runs !== undefined) sc.runs = opts.runs;
  if (opts.seed !== undefined) sc.seed = opts.seed;
  if (opts.scale !== undefined) sc.scale = opts.scale;
  return { sc, file, targetsFile: loaded.targetsFile, targets: loadTargets(loaded.targetsFile), posterior: loaded.posterior };
}

/** Options that fix a batch's results: a folder being resumed has them already, so they are refused with --resume. */
export function refuseWithResume(opts: object, scenarioFiles: readonly string[], names: readonly string[]): void {
  const given = [
    ...(scenarioFiles.length ? ['a scenario file'] : []),
    ...names.filter((n) => (opts as Record<string, unknown>)[n] !== undefined).map((n) => `--${n}`),
  ];
  if (given.length)
    throw userError({
      code: 'invalid_flag',
      path: '--resume',
      expected: 'no scenario or result-changing flags with --resume (the folder fixes them; --workers and --quiet may be given)',
      found: given.join(', '),
    });
}

/** A batch into a folder: the folder, its manifest, and how the batch ended. */
export interface FolderRun {
  dir: string;
  manifest: Manifest;
  outcome: CommandResult;
}

/**
 * Runs a scenario, or completes a folder with --resume. Returns the exit code: 0; 1 if a run
 * failed; 130 or 143 if interrupted by SIGINT or SIGTERM, after logging the command that completes
 * the folder. A user's mistake is thrown (a UserError).
 */
export async function runScenario(file: string | undefined, opts: RunOptions, log: Log): Promise<number> {
  return interruptible(async (stop) => {
    let r: FolderRun;
    if (opts.resume !== undefined) {
      refuseWithResume(opts, file === undefined ? [] : [file], ['runs', 'seed', 'scale', 'out', 'force', 'shard']);
      r = await resumeFolder(opts.resume, opts, log, stop);
    } else {
      if (file === undefined) throw userError({ code: 'invalid_flag', path: 'run', expected: 'a scenario file, or --resume DIR', found: 'neither' });
      const setup = setupScenario(file, opts);
      const sc = setup.sc;
      const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
      if (shard && shard.count > sc.runs)
        throw userError({ code: 'invalid_flag', path: '--shard', expected: `at most ${sc.runs} shards (one run each)`, found: String(shard.count) });
      const out = opts.out ?? join('results', shard ? `${sc.name}-shard-${shard.index}-of-${shard.count}` : sc.name);
      r = await runToFolder(setup, out, shard, opts, log, stop);
    }
    if (r.outcome === 'interrupted') log(interruptedMessage('run', r.dir, storedRuns(r.dir).length, r.manifest.run_ids.length));
    return r.outcome;
  });
}

/** Runs of a batch of `runs` in shard `shard` (all without one), counted without listing them. */
const shardSize = (runs: number, shard: Shard | null): number => (shard ? Math.max(0, Math.ceil((runs - shard.index) / shard.count)) : runs);

/**
 * Creates the results folder of a scenario (or shard), atomically with its manifest, and runs its
 * batch into it; `stop` interrupts it (the folder is left partial). A batch that would not fit is
 * refused before anything is allocated for it.
 */
export async function runToFolder(setup: ScenarioSetup, out: string, shard: Shard | null, opts: RunOptions, log: Log, stop: AbortSignal): Promise<FolderRun> {
  const size = shardSize(setup.sc.runs, shard);
  checkMemory(setup.sc, Math.min(opts.workers ?? availableParallelism(), Math.max(1, size)), undefined, size);
  const manifest = newManifest(setup, shard);
  createFolder(out, manifest, opts.force ?? false);
  return { dir: out, manifest, outcome: await execute(out, manifest, opts, log, stop) };
}

/**
 * Completes a folder that a batch left "running" (killed) or "partial" (interrupted), or re-runs
 * the failed runs of a complete one: runs what has no stored result. Refuses a folder of another
 * engine version.
 */
export async function resumeFolder(dir: string, opts: RunOptions, log: Log, stop: AbortSignal): Promise<FolderRun> {
  const m = readManifest(dir);
  checkEngine(join(dir, FILES.manifest), m.engine.version, engineVersion().version);
  m.failed = [];
  const stored = new Set(storedRuns(dir));
  const pending = m.run_ids.filter((r) => !stored.has(r)).length;
  checkMemory(m.scenario.resolved, Math.min(opts.workers ?? availableParallelism(), Math.max(1, pending)), undefined, pending, m.run_ids.length);
  return { dir, manifest: m, outcome: await execute(dir, m, opts, log, stop) };
}

/** Runs the folder's missing runs, stores each as it finishes, then finalizes; an interrupted batch leaves the folder "partial". */
async function execute(dir: string, m: Manifest, opts: RunOptions, log: Log, stop: AbortSignal): Promise<CommandResult> {
  const t0 = performance.now();
  const stored = new Set(storedRuns(dir));
  const pending = m.run_ids.filter((r) => !stored.has(r));
  const workers = opts.workers ?? availableParallelism();
  m.status = 'running';
  writeManifest(dir, m);
  const faults = (process.env.URBANIZE_FAULT_RUNS ?? '')
    .split(',')
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
  const sc = m.scenario.resolved;
  const ended = await runBatch(
    { scenario: sc, levers: leverTables(sc), posterior: m.posterior ?? null, jobs: baseJobs(pending), faultRuns: faults, check: opts.check ?? false },
    {
      onResult({ run }, _seed, values) {
        writeRunValues(dir, run, values);
      },
      onFailed({ run }, seed, error) {
        m.failed.push({ run, seed, error });
        m.failed.sort((a, b) => a.run - b.run);
        writeManifest(dir, m);
      },
    },
    { workers, stop, progress: { total: m.run_ids.length, done: m.run_ids.length - pending.length, quiet: opts.quiet ?? false } },
  );
  if (ended === 'interrupted') {
    m.status = 'partial';
    writeManifest(dir, m);
    return 'interrupted';
  }
  const f = await finalize(dir, m, opts.parquet ?? false);
  const shardNote = m.shard ? `, shard ${m.shard.index}/${m.shard.count}` : '';
  log(
    `${m.scenario.name}: ${f.runs} runs${shardNote}, seed ${m.seed}, scale ${sc.scale}, ${workers} workers, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (f.runs && !opts.brief) {
    log(provinceTable(f.indicatorRows, sc.time.end_year));
    log('');
    log(targetsTable(f.targetResults, f.runs));
  }
  for (const x of m.failed) log(`run ${x.run} (seed ${x.seed}) failed: ${x.error}`);
  // The report's charts load Observable Plot and linkedom: only now, not when the command starts.
  if (f.runs && !opts.brief) log(`report: ${await (await import('../report/index.js')).writeReport(dir)}`);
  log(`results: ${dir}  status ${m.status}  digest ${m.digest ?? '(partial)'}`);
  return m.failed.length ? 1 : 0;
}
