/**
 * The JSON files of a results folder (format.ts has the others): manifest.json, summary.json,
 * plan.json, compare.json and sweep.json, each with its type, its writer and its reader. Every one
 * is written as `JSON.stringify(doc, null, 2)` and a line end (jsonText), keys in the order of the
 * types below.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '../core/errors.js';
import type { Posterior } from '../scenario/posterior.js';
import type { Scenario } from '../scenario/schema.js';
import type { Paired, TargetComparison } from './compare.js';
import { FILES } from './format.js';
import type { Estimate } from './sensitivity.js';
import type { Disagreement, MEASURES } from './robustness.js';
import type { SweepWarning } from './sensitivity-checks.js';
import type { TargetResult } from './summary.js';
import type { TargetsFile } from './targets.js';

/** A JSON file's text. */
export const jsonText = (doc: unknown): string => JSON.stringify(doc, null, 2) + '\n';

/** A JSON file of a results folder, parsed. */
export const parseFile = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** A run that threw: kept in the manifest with its seed and error, the batch goes on. */
export interface FailedRun {
  run: number;
  seed: number;
  error: string;
}

/** manifest.json: what a run folder is (newManifest in folder.ts builds it). */
export interface Manifest {
  format: 1;
  engine: { name: string; version: string };
  scenario: { name: string; file: string; hash: string; resolved: Scenario };
  targets_file: string;
  targets: TargetsFile;
  seed: number;
  /** Runs of the whole batch (all shards). */
  runs: number;
  shard: { index: number; count: number } | null;
  /** The run ids this folder covers, ascending. */
  run_ids: number[];
  /** Each run's seed and, with a posterior, the parameter set it drew (drawParameterSet). */
  run_seeds: { run: number; seed: number; set?: number }[];
  /** The posterior the runs drew their behaviour parameters from (its file, digest, sets and metadata); null without one. */
  posterior: Posterior | null;
  status: 'running' | 'partial' | 'complete';
  failed: FailedRun[];
  /** SHA-256 over the completed runs of this folder in run order; null until complete. */
  digest: string | null;
}

/** The commands whose folders `--resume` completes. */
export type BatchCommand = 'run' | 'compare' | 'sweep' | 'reach';

/** The exact shell command that completes folder `dir` of `command` (the folder quoted when it needs to be). */
export function resumeCommand(command: BatchCommand, dir: string): string {
  const arg = /^[\w@%+=:,./-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`;
  return `urbanize ${command} --resume ${arg}`;
}

/** The command of a compare, sweep or reach folder's plan.json, if it has one. */
export function planCommandOf(dir: string): PlanHeader['command'] | undefined {
  try {
    const command = parseFile<{ command?: unknown }>(join(dir, FILES.plan)).command;
    return command === 'compare' || command === 'sweep' || command === 'reach' ? command : undefined;
  } catch {
    return undefined;
  }
}

/** What the folder is instead, when it is not what a reader wanted: a hint for its error. */
function otherKind(dir: string): string {
  if (existsSync(join(dir, FILES.manifest))) return ` (a run folder: complete it with ${resumeCommand('run', dir)})`;
  const command = planCommandOf(dir);
  return command ? ` (a ${command} folder: complete it with ${resumeCommand(command, dir)})` : '';
}

/** Reads a folder's manifest; a missing or unreadable one is the user's error. */
export function readManifest(dir: string): Manifest {
  const file = join(dir, FILES.manifest);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw userError({ code: 'file', file, message: `${dir} is not a results folder${otherKind(dir)}`, expected: 'a folder with manifest.json', found: 'none' });
  }
  try {
    const m = JSON.parse(text) as Manifest;
    if (m.format !== 1 || !Array.isArray(m.run_ids)) throw new Error('format');
    return m;
  } catch {
    throw userError({ code: 'invalid_manifest', file, expected: 'a manifest.json written by urbanize', found: 'something else' });
  }
}

/** Refuses to complete a folder that another engine version started (its runs would not match). */
export function checkEngine(file: string, found: string, current: string): void {
  if (found !== current) throw userError({ code: 'engine_version', file, path: 'engine.version', expected: `results of this engine (${current})`, found });
}

/** summary.json: the batch's digest and every target's attainment. */
export interface Summary {
  scenario: string;
  seed: number;
  runs: number;
  failed: number;
  digest: string;
  shard: Manifest['shard'];
  targets: (TargetFields & Omit<TargetResult, 'target'>)[];
}

/** The fields that name a target wherever a results file lists it (summary.json, targets.csv, the report). */
export interface TargetFields {
  id: string;
  section: string;
  label: string;
  metric: string;
  region: string;
  year: number;
  comparator: string;
  value: number;
  /** The targets file marks it modelled. */
  modelled: boolean;
}

/** summary.json of a folder's `runs` finished runs. */
export function summaryJson(m: Manifest, runs: number, digest: string, results: readonly TargetResult[]): string {
  const summary: Summary = {
    scenario: m.scenario.name,
    seed: m.seed,
    runs,
    failed: m.failed.length,
    digest,
    shard: m.shard,
    targets: results.map(({ target: t, ...rest }) => ({
      id: t.id,
      section: t.section,
      label: t.label,
      metric: t.metric,
      region: t.region,
      year: t.year,
      comparator: t.comparator,
      value: t.value,
      modelled: rest.computed,
      ...rest,
    })),
  };
  return jsonText(summary);
}

/** The common part of plan.json, the plan of a compare or sweep folder, written when the folder is created. */
export interface PlanHeader {
  format: 1;
  command: 'compare' | 'sweep' | 'reach';
  engine: { name: string; version: string };
}

/** A scenario ready to run: loaded, with the command line's overrides applied, and its targets (as a compare's plan.json keeps it). */
export interface ScenarioSetup {
  sc: Scenario;
  file: string;
  targetsFile: string;
  targets: TargetsFile;
  /** The scenario's posterior, read when it was loaded; null without one. */
  posterior: Posterior | null;
}

/** plan.json of a compare folder: the base and the variants, resolved, with the common seed, runs and scale applied. */
export interface ComparePlan extends PlanHeader {
  command: 'compare';
  scenarios: ScenarioSetup[];
}

/** A factor of a sweep's design: a lever or a behavioural parameter, and its range. */
export interface Factor {
  spec: string;
  path: string[];
  kind: 'lever' | 'behaviour';
  lo: number;
  hi: number;
  boolean: boolean;
}

/** What a sweep keeps of each run: `metric.region.year` and its indices in the run's values. */
export interface Outcome {
  id: string;
  m: number;
  g: number;
  y: number;
}

/** plan.json of a sweep folder: the resolved scenario, the factors, the design and the outcomes, fixed when it starts. */
export interface SweepPlan extends PlanHeader {
  command: 'sweep';
  file: string;
  scenario: Scenario;
  /** The scenario's posterior: run r of every design point draws its set from it; null without one. */
  posterior: Posterior | null;
  factors: Factor[];
  design: 'lhs' | 'sobol';
  /** Design points asked for (a Sobol design runs samples x (factors + 2) points). */
  samples: number;
  /** Runs per design point. */
  runs: number;
  outcomes: Outcome[];
}

/** Reads the plan of a `command` folder written by engine `version`; anything else is the user's error. */
export function readPlan<T extends PlanHeader>(dir: string, command: PlanHeader['command'], version: string): T {
  const file = join(dir, FILES.plan);
  let plan: T | undefined;
  try {
    plan = parseFile<T>(file);
  } catch {
    /* below */
  }
  if (plan?.format !== 1 || plan.command !== command) {
    throw userError({
      code: 'file',
      file,
      message: `${dir} is not a ${command} results folder${otherKind(dir)}`,
      expected: `a folder with the plan.json of urbanize ${command}`,
      found: plan ? `the plan of ${plan.command}` : 'none',
    });
  }
  checkEngine(file, plan.engine.version, version);
  return plan;
}

/** One target of a variant in compare.json. */
export type CompareTargetJson = { id: string; metric: string; region: string } & Paired & { baseMet: number; variantMet: number };

/** compare.json: the base, the common seed, runs and scale, and each variant's paired statistics per target. */
export interface CompareJson {
  base: string;
  seed: number;
  runs: number;
  scale: number;
  variants: { variant: string; runs: number; targets: CompareTargetJson[] }[];
  /** Robustness of every scenario over the runs they all have (results/robustness.ts); absent in older folders. */
  robustness?: { runs: number; measures: typeof MEASURES; disagreements: Disagreement[] };
}

/** compare.json's entry of a target comparison. */
export const compareTargetJson = ({ target, ...rest }: TargetComparison): CompareTargetJson => ({
  id: target.id,
  metric: target.metric,
  region: target.region,
  ...rest,
});

/** Reads compare.json. */
export const readCompareJson = (dir: string): CompareJson => parseFile<CompareJson>(join(dir, FILES.compareJson));

/** A factor's index for one outcome in sweep.json (`total`: Sobol's total index). */
export interface RankedFactor {
  factor: string;
  index: Estimate;
  total?: Estimate;
}

/** sweep.json: what was swept, and each outcome's indices. */
export interface SweepJson {
  engine: { name: string; version: string };
  scenario: string;
  seed: number;
  scale: number;
  design: 'lhs' | 'sobol';
  /** Design points run. */
  samples: number;
  runs_per_sample: number;
  factors: { path: string; kind: 'lever' | 'behaviour'; lo: number; hi: number }[];
  outcomes: { outcome: string; method: 'src' | 'sobol'; r2?: number; factors: RankedFactor[] }[];
  /** Why some indices cannot be trusted (results/sensitivity-checks.ts); absent in folders from before the checks. */
  warnings?: SweepWarning[];
}

/** Reads sweep.json. */
export const readSweepJson = (dir: string): SweepJson => parseFile<SweepJson>(join(dir, FILES.sweepJson));
