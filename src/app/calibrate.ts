/**
 * Calibrating: ABC-SMC of the scenario's estimated behavioural parameters against Shanxi's history
 * (src/calibrate), into a new folder (default results/calibration-NAME/): plan.json first, then
 * every simulation in sims/NNNNNN.json the moment it finishes (atomically), then posterior.csv,
 * posterior.json, fit.csv and screening.csv. A calibration stopped by a signal or killed resumes
 * with `--resume DIR` (or the same command again) and ends at the same posterior, byte for byte:
 * every draw comes from the seed and every simulation has a fixed id.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { userError } from '../core/errors.js';
import { loadHistory, type HistoryTarget } from '../calibrate/history.js';
import { loadPriors, withBehaviour, type Prior } from '../calibrate/priors.js';
import { calibrateSmc, checkBudget, type SmcSettings } from '../calibrate/smc.js';
import type { SimRequest } from '../calibrate/screen.js';
import type { Job, Variant } from '../batch/protocol.js';
import { calendarOf, startYearOf } from '../core/calendar.js';
import { writeFileAtomic } from '../results/atomic.js';
import { jsonText } from '../results/documents.js';
import { crossCheck, loadScenario } from '../scenario/scenario.js';
import { leverTables } from '../scenario/schedule.js';
import type { Scenario } from '../scenario/schema.js';
import { interruptible, runBatch } from './batch.js';
import { writeCalibration, type CalibrationPlan } from './calibrate-files.js';
import type { Log } from './log.js';
import { progress } from './progress.js';
import { refuseWithResume } from './run.js';

/** Options of a calibration (flags of `urbanize calibrate`). */
export interface CalibrateOptions {
  budget?: number;
  particles?: number;
  keep?: number;
  replicates?: number;
  free?: number;
  runs?: number;
  scale?: number;
  seed?: number;
  targets?: string;
  priors?: string;
  workers?: number;
  out?: string;
  force?: boolean;
  quiet?: boolean;
  resume?: string;
}

/** The defaults: the forecast scale, 200 particles keeping half, 4 replicates, at most 10 parameters calibrated. */
export const CALIBRATION_DEFAULTS = { budget: 1500, particles: 200, keep: 100, replicates: 4, free: 10, threshold: 1, scale: 100, runs: 1 };

/** A calibration set up: the scenario as it runs, its targets and priors, the plan. */
interface Setup {
  sc: Scenario;
  targets: HistoryTarget[];
  priors: Prior[];
  plan: CalibrationPlan;
}

/** Loads the scenario, the targets and the priors, and fixes the plan (nothing is written). */
export function setupCalibration(file: string, o: CalibrateOptions): Setup {
  const d = CALIBRATION_DEFAULTS;
  const sc = loadScenario(file).scenario;
  // The calibration runs explicit parameter values: a posterior the scenario names is not drawn from.
  delete (sc as { posterior?: unknown }).posterior;
  sc.scale = o.scale ?? d.scale;
  if (o.seed !== undefined) sc.seed = o.seed;
  const targetsFile = o.targets ?? 'scenarios/targets/history.yaml',
    priorsFile = o.priors ?? 'scenarios/targets/priors.yaml';
  const startYear = startYearOf(sc);
  const targets = loadHistory(targetsFile, startYear);
  const { priors } = loadPriors(priorsFile, sc);
  sc.time.end_year = Math.max(startYear + 1, ...targets.map((t) => t.lastYear));
  const settings: SmcSettings = {
    seed: sc.seed,
    budget: o.budget ?? d.budget,
    particles: o.particles ?? d.particles,
    keep: o.keep ?? Math.round((o.particles ?? d.particles) / 2),
    replicates: o.replicates ?? d.replicates,
    maxFree: o.free ?? d.free,
    threshold: d.threshold,
  };
  if (!(settings.keep >= 2 && settings.keep < settings.particles))
    throw userError({ code: 'invalid_flag', path: '--keep', expected: `2 to ${settings.particles - 1} (below --particles)`, found: String(settings.keep) });
  if (settings.replicates < 2)
    throw userError({
      code: 'invalid_flag',
      path: '--replicates',
      expected: 'at least 2 (they measure the Monte Carlo sd)',
      found: String(settings.replicates),
    });
  checkBudget(priors.length, settings);
  const plan: CalibrationPlan = {
    format: 1,
    command: 'calibrate',
    scenario: file,
    targets: targetsFile,
    priors: priorsFile,
    scale: sc.scale,
    runs_per_simulation: o.runs ?? d.runs,
    settings,
    target_ids: targets.map((t) => t.id),
    prior_ranges: priors.map((p) => ({ path: p.path, lo: p.lo, hi: p.hi, value: p.value })),
  };
  return { sc, targets, priors, plan };
}

/** The simulation file of id `id` in folder `dir`. */
const simFile = (dir: string, id: number) => join(dir, 'sims', `${String(id).padStart(6, '0')}.json`);

/** A stored simulation. */
interface StoredSim {
  id: number;
  run: number;
  stage: string;
  values: number[];
  simulated: number[];
}

/**
 * Runs a calibration; returns the exit code: 0, or 130 or 143 when SIGINT or SIGTERM stopped it
 * (the simulations that finished are kept; the same command or --resume continues). A user's
 * mistake is thrown (a UserError, exit 2).
 */
export async function calibrate(file: string | undefined, opts: CalibrateOptions, log: Log): Promise<number> {
  return interruptible((stop) => calibrateUntil(file, opts, log, stop));
}

/** The folder's plan, for --resume. */
function readPlan(dir: string): CalibrationPlan {
  const f = join(dir, 'plan.json');
  if (!existsSync(f)) throw userError({ code: 'file', file: f, expected: 'the plan.json of a calibration folder', found: 'no such file' });
  return JSON.parse(readFileSync(f, 'utf8')) as CalibrationPlan;
}

async function calibrateUntil(file: string | undefined, opts: CalibrateOptions, log: Log, stop: AbortSignal): Promise<number | 'interrupted'> {
  let dir: string, setup: Setup;
  if (opts.resume) {
    refuseWithResume(opts, file ? [file] : [], [
      'budget',
      'particles',
      'keep',
      'replicates',
      'free',
      'runs',
      'scale',
      'seed',
      'targets',
      'priors',
      'out',
      'force',
    ]);
    dir = opts.resume;
    const p = readPlan(dir);
    const s = p.settings;
    setup = setupCalibration(p.scenario, {
      ...{ budget: s.budget, particles: s.particles, keep: s.keep, replicates: s.replicates, free: s.maxFree, seed: s.seed },
      ...{ scale: p.scale, runs: p.runs_per_simulation, targets: p.targets, priors: p.priors },
    });
    if (jsonText(setup.plan) !== jsonText(p))
      throw userError({
        code: 'changed',
        file: join(dir, 'plan.json'),
        expected: 'the scenario, targets and priors the calibration started with',
        found: 'files that changed since',
      });
  } else {
    if (!file) throw userError({ code: 'invalid_flag', path: 'scenario', expected: 'a scenario file, or --resume DIR', found: 'neither' });
    setup = setupCalibration(file, opts);
    dir = opts.out ?? join('results', `calibration-${basename(file, extname(file))}`);
    if (existsSync(dir)) {
      const same = existsSync(join(dir, 'plan.json')) && jsonText(readPlan(dir)) === jsonText(setup.plan) && !existsSync(join(dir, 'posterior.csv'));
      if (same) log(`continuing the calibration in ${dir}`);
      else if (opts.force) rmSync(dir, { recursive: true, force: true });
      else
        throw userError({
          code: 'exists',
          file: dir,
          message: `${dir} already exists`,
          expected: 'a new folder, the same command on an unfinished calibration (it continues), or --force to replace it',
          found: existsSync(join(dir, 'posterior.csv')) ? 'a finished calibration' : 'a folder of something else',
        });
    }
  }
  const { sc, targets, priors, plan } = setup;
  mkdirSync(join(dir, 'sims'), { recursive: true });
  if (!existsSync(join(dir, 'plan.json'))) writeFileAtomic(join(dir, 'plan.json'), jsonText(plan));
  const stored = () => readdirSync(join(dir, 'sims')).filter((f) => f.endsWith('.json')).length;
  const workers = opts.workers ?? availableParallelism();
  const R = plan.runs_per_simulation;
  log(
    `calibrating ${basename(plan.scenario)}: ${priors.length} priors, ${targets.length} targets, budget ${plan.settings.budget} simulations of ${R} run${R > 1 ? 's' : ''} at scale ${sc.scale} to ${sc.time.end_year}; folder ${dir}`,
  );
  const bar = progress(plan.settings.budget, stored(), opts.quiet ?? false);
  const shape = { years: calendarOf(sc).years };
  const paths = priors.map((p) => p.path);
  const t0 = performance.now();
  let ran = 0;
  const simulate = async (stage: string, requests: SimRequest[]): Promise<number[][] | 'interrupted'> => {
    const out: (number[] | undefined)[] = requests.map((r) => {
      if (!existsSync(simFile(dir, r.id))) return undefined;
      const s = JSON.parse(readFileSync(simFile(dir, r.id), 'utf8')) as StoredSim;
      if (s.run !== r.run || s.values.some((v, i) => v !== r.values[i]))
        throw userError({ code: 'changed', file: simFile(dir, r.id), expected: 'the simulation this calibration asks for', found: 'another one' });
      return s.simulated;
    });
    const todo = requests.filter((_, i) => !out[i]);
    if (todo.length === 0) return out as number[][];
    const variants: Variant[] = todo.map((r) => {
      const s = withBehaviour(sc, paths, r.values);
      return { scenario: s, levers: leverTables(s) };
    });
    const jobs: Job[] = todo.flatMap((r, v) => Array.from({ length: R }, (_, k) => ({ run: r.run * R + k, variant: v + 1 })));
    const sums = todo.map(() => ({ n: 0, sum: new Array<number>(targets.length).fill(0) }));
    const errors: string[] = [];
    const ended = await runBatch(
      { scenario: sc, levers: leverTables(sc), variants, jobs },
      {
        onResult(job, _seed, values) {
          const acc = sums[job.variant - 1];
          targets.forEach((t, k) => (acc.sum[k] += t.simulate(values, shape) / R));
          if (++acc.n < R) return;
          const r = todo[job.variant - 1];
          const sim: StoredSim = { id: r.id, run: r.run, stage, values: r.values, simulated: acc.sum };
          writeFileAtomic(simFile(dir, r.id), JSON.stringify(sim) + '\n');
          out[requests.indexOf(r)] = acc.sum;
          ran++;
          bar.tick();
        },
        onFailed(job, _seed, error) {
          errors.push(`simulation ${todo[job.variant - 1].id} run ${job.run}: ${error}`);
        },
      },
      { workers, stop },
    );
    if (ended === 'interrupted') return ended;
    if (errors.length) throw new Error(`calibration runs failed: ${errors.join('; ')}`);
    return out as number[][];
  };
  let result;
  try {
    result = await calibrateSmc(priors, targets, plan.settings, simulate, (v) => crossCheck(withBehaviour(sc, paths, v), []).length === 0);
  } finally {
    bar.stop();
  }
  const minutes = (performance.now() - t0) / 60000;
  if (result === 'interrupted') {
    log(`interrupted: ${stored()} of ${plan.settings.budget} simulations kept in ${dir}; continue it with: urbanize calibrate --resume ${dir}`);
    return result;
  }
  writeCalibration(dir, { sc, targets, priors, plan, result }, log);
  if (ran > 0) log(`${ran} simulations in ${minutes.toFixed(1)} min on ${workers} workers: ${(ran / minutes).toFixed(1)} simulations a minute`);
  return 0;
}
