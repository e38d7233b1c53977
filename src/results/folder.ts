/**
 * A results folder while it is being filled and after: manifest.json says what the folder is
 * (scenario, seed, the run ids it covers, status), runs/NNNNNN.f64 holds each finished run's
 * values (little-endian float64, written atomically as the run finishes). A compare or sweep
 * folder holds plan.json instead, what its command needs to complete it. A folder is created
 * atomically with its manifest or plan, so a batch that is interrupted at any moment, even by
 * kill -9, leaves no folder, or one with whole run files and a manifest that says "running" or
 * "partial"; `--resume` runs what is missing. Every file is written atomically.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '../core/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { createDirAtomic, writeFileAtomic } from './atomic.js';
import type { TargetsFile } from './targets.js';

/** A run that threw: kept in the manifest with its seed and error, the batch goes on. */
export interface FailedRun { run: number; seed: number; error: string }

/** manifest.json. */
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
  run_seeds: { run: number; seed: number }[];
  status: 'running' | 'partial' | 'complete';
  failed: FailedRun[];
  /** SHA-256 over the completed runs of this folder in run order; null until complete. */
  digest: string | null;
}

/** Hash of a resolved scenario without its seed and run count (compared on their own), to recognise shards of the same batch. */
export function scenarioHash(sc: Scenario): string {
  const { seed: _seed, runs: _runs, ...rest } = sc;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

const runFile = (dir: string, run: number) => join(dir, 'runs', `${String(run).padStart(6, '0')}.f64`);

/** The commands whose folders `--resume` completes. */
export type BatchCommand = 'run' | 'compare' | 'sweep';

/** The exact shell command that completes folder `dir` of `command` (the folder quoted when it needs to be). */
export function resumeCommand(command: BatchCommand, dir: string): string {
  const arg = /^[\w@%+=:,./-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`;
  return `urbanize ${command} --resume ${arg}`;
}

/**
 * Creates results folder `dir` of `command` atomically, with `files` (name -> text) and an empty
 * runs/ (not for a compare, whose runs are in its scenarios' folders): `dir` appears whole or not
 * at all. An existing folder is refused unless `force`, and then replaced only once the new one is
 * complete (createDirAtomic).
 */
export function createResultsFolder(dir: string, command: BatchCommand, files: Record<string, string>, force: boolean): void {
  if (existsSync(dir) && !force) {
    throw userError({ code: 'exists', file: dir, message: `results folder ${dir} already exists`, expected: `a new folder, --force to replace it, or ${resumeCommand(command, dir)} to complete it`, found: 'an existing folder' });
  }
  createDirAtomic(dir, (tmp) => {
    if (command !== 'compare') mkdirSync(join(tmp, 'runs'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
  });
}

/** Creates a run's results folder with its manifest (createResultsFolder). */
export function createFolder(dir: string, manifest: Manifest, force: boolean): void {
  createResultsFolder(dir, 'run', { 'manifest.json': JSON.stringify(manifest, null, 2) + '\n' }, force);
}

/** Writes manifest.json atomically. */
export function writeManifest(dir: string, manifest: Manifest): void {
  writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** Refuses to complete a folder that another engine version started (its runs would not match). */
export function checkEngine(file: string, found: string, current: string): void {
  if (found !== current) throw userError({ code: 'engine_version', file, path: 'engine.version', expected: `results of this engine (${current})`, found });
}

/** What the folder is instead, when it is not what a reader wanted: a hint for its error. */
function otherKind(dir: string): string {
  if (existsSync(join(dir, 'manifest.json'))) return ` (a run folder: complete it with ${resumeCommand('run', dir)})`;
  try {
    const p = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { command?: BatchCommand };
    if (p.command === 'compare' || p.command === 'sweep') return ` (a ${p.command} folder: complete it with ${resumeCommand(p.command, dir)})`;
  } catch { /* neither */ }
  return '';
}

/** Reads a folder's manifest; a missing or unreadable one is the user's error. */
export function readManifest(dir: string): Manifest {
  const file = join(dir, 'manifest.json');
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

/** The common part of plan.json, the plan of a compare or sweep folder, written when the folder is created. */
export interface PlanHeader { format: 1; command: 'compare' | 'sweep'; engine: { name: string; version: string } }

/** Reads the plan of a `command` folder written by engine `version`; anything else is the user's error. */
export function readPlan<T extends PlanHeader>(dir: string, command: PlanHeader['command'], version: string): T {
  const file = join(dir, 'plan.json');
  let plan: T | undefined;
  try {
    plan = JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch { /* below */ }
  if (plan?.format !== 1 || plan.command !== command) {
    throw userError({ code: 'file', file, message: `${dir} is not a ${command} results folder${otherKind(dir)}`, expected: `a folder with the plan.json of urbanize ${command}`, found: plan ? `the plan of ${plan.command}` : 'none' });
  }
  checkEngine(file, plan.engine.version, version);
  return plan;
}

/** Stores one finished run's values. */
export function writeRunValues(dir: string, run: number, values: Float64Array): void {
  const bytes = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) bytes.writeDoubleLE(values[i], i * 8);
  writeFileAtomic(runFile(dir, run), bytes);
}

/** Reads one stored run's values. */
export function readRunValues(dir: string, run: number): Float64Array {
  const b = readFileSync(runFile(dir, run));
  const out = new Float64Array(b.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
  return out;
}

/** Run ids with a stored result (temporary files of an interrupted write are ignored). */
export function storedRuns(dir: string): number[] {
  const d = join(dir, 'runs');
  if (!existsSync(d)) return [];
  return readdirSync(d).filter((f) => /^\d{6}\.f64$/.test(f)).map((f) => Number(f.slice(0, 6))).sort((a, b) => a - b);
}
