/**
 * Verifying a results folder: that it is complete and that every file in it is what its run
 * files say, so that a researcher can trust a folder copied from a cluster, kept for a year or
 * received from a colleague. Recomputes from runs/NNNNNN.f64 the digest, runs.csv and every other
 * derived file (byte for byte) and each run's seed (and, with a posterior, parameter set) from the
 * master seed.
 *
 * Exit codes: 0 complete and consistent; 1 not (each reason on its own line); 2 DIR is not a
 * results folder at all (no such folder, no manifest.json, or a manifest.json urbanize did not
 * write): a UserError, printed by the CLI like any other.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { calendarOf } from '../core/calendar.js';
import { userError } from '../core/errors.js';
import { drawParameterSet, runKey } from '../core/random.js';
import { shardRunIds } from '../batch/shard.js';
import { runLength } from '../engine/metrics.js';
import { readManifest, type Manifest } from '../results/documents.js';
import { deriveFiles, loadRuns } from '../results/finalize.js';
import { scenarioHash } from '../results/folder.js';
import { FILES, RUN_FOLDER_FILES, runFileName as runName, storedRuns } from '../results/format.js';
import { engineVersion } from '../results/version.js';
import type { Log } from './log.js';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Why a manifest urbanize wrote cannot be used as it is (fields missing or of the wrong type), or undefined. */
function damaged(m: Manifest): string | undefined {
  const bad: string[] = [];
  if (!isInt(m.seed)) bad.push('seed');
  if (!isInt(m.runs)) bad.push('runs');
  if (!m.run_ids.every(isInt)) bad.push('run_ids');
  if (!Array.isArray(m.run_seeds) || !m.run_seeds.every((s) => s && isInt(s.run) && isInt(s.seed))) bad.push('run_seeds');
  if (!Array.isArray(m.failed) || !m.failed.every((f) => f && isInt(f.run))) bad.push('failed');
  if (!['running', 'partial', 'complete'].includes(m.status)) bad.push('status');
  if (!(m.digest === null || (typeof m.digest === 'string' && /^[0-9a-f]{64}$/.test(m.digest)))) bad.push('digest');
  const sc = m.scenario?.resolved as { time?: { end_year?: unknown; ticks_per_year?: unknown } } | undefined;
  if (!sc || !isInt(sc.time?.end_year) || !isInt(sc.time?.ticks_per_year)) bad.push('scenario.resolved');
  if (!Array.isArray(m.targets?.targets)) bad.push('targets');
  if (m.shard !== null && !(m.shard && isInt(m.shard.index) && isInt(m.shard.count) && m.shard.index < m.shard.count)) bad.push('shard');
  return bad.length ? `manifest.json is damaged: ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} missing or of the wrong type` : undefined;
}

/** The first line where two texts differ, quoted from both. */
function firstDifference(kept: string, computed: string): string {
  const a = kept.split('\n'),
    b = computed.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const q = (s: string | undefined) => (s === undefined ? '(end of file)' : JSON.stringify(s.length > 100 ? s.slice(0, 97) + '...' : s));
      return `line ${i + 1} is ${q(a[i])}, the run files give ${q(b[i])}`;
    }
  }
  return 'they differ';
}

/**
 * Verifies results folder `dir`: logs one line per problem (and notes), then a verdict; returns
 * 0 when the folder is complete and consistent, 1 when not. Throws a UserError (exit 2) when `dir`
 * is not a results folder.
 */
export async function verifyFolder(dir: string, log: Log): Promise<number> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw userError({
      code: 'file',
      file: dir,
      message: 'not a results folder',
      expected: 'a folder written by urbanize run or merge',
      found: existsSync(dir) ? 'a file' : 'no such folder',
    });
  }
  const m = readManifest(dir);
  const problems: string[] = [];
  const notes: string[] = [];
  const say = (s: string) => problems.push(s);
  const broken = damaged(m);
  if (broken) {
    log(`${dir}: ${broken}`);
    log(`${dir}: NOT VERIFIED`);
    return 1;
  }
  if (m.status !== 'complete') say(`status is "${m.status}", not "complete" (finish it with: urbanize run --resume ${dir})`);
  else if (m.digest === null) say('status is "complete" but the manifest has no digest');
  const engine = engineVersion();
  if (m.engine?.version !== engine.version)
    notes.push(`written by ${m.engine?.name ?? '?'} ${m.engine?.version ?? '?'}, checked with ${engine.version}: derived files may differ in format`);
  if (m.scenario.hash !== scenarioHash(m.scenario.resolved))
    say('scenario.hash does not match the resolved scenario in the manifest (the scenario was edited after the run)');

  // The runs the folder covers, and their seeds.
  const expectedIds = shardRunIds(m.runs, m.shard);
  if (m.run_ids.length !== expectedIds.length || m.run_ids.some((r, i) => r !== expectedIds[i])) {
    say(
      `run_ids are not the runs of ${m.shard ? `shard ${m.shard.index}/${m.shard.count} of ` : ''}a batch of ${m.runs} (${expectedIds.length} runs expected, ${m.run_ids.length} listed)`,
    );
  }
  const seedOf = new Map<number, number>();
  for (const s of m.run_seeds) {
    if (seedOf.has(s.run)) say(`run_seeds lists run ${s.run} twice`);
    seedOf.set(s.run, s.seed);
  }
  for (const r of m.run_ids) {
    const s = seedOf.get(r),
      want = runKey(m.seed, r);
    if (s === undefined) say(`run_seeds has no seed for run ${r}`);
    else if (s !== want) say(`the seed of run ${r} is ${s}, but master seed ${m.seed} gives ${want}`);
  }
  const ps = m.posterior;
  if (ps)
    for (const s of m.run_seeds) {
      const want = drawParameterSet(m.seed, s.run, ps.weights);
      if (s.set !== want) say(`the parameter set of run ${s.run} is ${s.set ?? 'missing'}, but master seed ${m.seed} and the posterior's weights give ${want}`);
    }
  for (const f of m.failed)
    if (seedOf.has(f.run) && f.seed !== runKey(m.seed, f.run))
      say(`failed run ${f.run} is listed with seed ${f.seed}, but master seed ${m.seed} gives ${runKey(m.seed, f.run)}`);
  if (m.failed.length)
    notes.push(
      `${m.failed.length} run${m.failed.length === 1 ? '' : 's'} failed (${m.failed
        .slice(0, 5)
        .map((f) => f.run)
        .join(', ')}${m.failed.length > 5 ? ', ...' : ''}; see manifest.json): the results cover the others`,
    );

  // The files.
  for (const f of RUN_FOLDER_FILES) if (!existsSync(join(dir, f))) say(`${f} is missing`);
  const shape = { years: calendarOf(m.scenario.resolved).years };
  const size = runLength(shape) * 8;
  const failed = new Set(m.failed.map((f) => f.run));
  const listed = new Set(m.run_ids);
  const stored = new Set(storedRuns(dir));
  let runFilesOk = true;
  for (const r of m.run_ids) {
    if (failed.has(r) && !stored.has(r)) continue;
    const file = join(dir, runName(r));
    if (!stored.has(r)) {
      say(`${runName(r)} is missing`);
      runFilesOk = false;
      continue;
    }
    const bytes = statSync(file).size;
    if (bytes !== size) {
      say(`${runName(r)} holds ${bytes} bytes, but a run of this scenario holds ${size} (${size / 8} values)`);
      runFilesOk = false;
    }
  }
  for (const r of stored) if (!listed.has(r)) say(`${runName(r)} is not a run of this folder (run_ids)`);

  // What the run files say, against what the folder says.
  if (runFilesOk) {
    const runs = loadRuns(dir, m);
    const derived = await deriveFiles(m, runs, existsSync(join(dir, FILES.parquet)));
    if (m.digest !== null && derived.digest !== m.digest) say(`the digest of the run files is ${derived.digest}, but the manifest says ${m.digest}`);
    for (const [name, data] of derived.files) {
      const file = join(dir, name);
      if (!existsSync(file)) {
        if (!(RUN_FOLDER_FILES as readonly string[]).includes(name)) say(`${name} is missing`);
        continue;
      }
      const kept = readFileSync(file);
      const computed = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
      if (!kept.equals(computed))
        say(
          `${name} does not match the run files: ${typeof data === 'string' || name.endsWith('.csv') ? firstDifference(kept.toString('utf8'), computed.toString('utf8')) : 'the bytes differ'}`,
        );
    }
  } else say('the digest and the derived files were not checked: run files are missing or damaged');

  for (const n of notes) log(`${dir}: note: ${n}`);
  for (const p of problems) log(`${dir}: ${p}`);
  if (problems.length) {
    log(`${dir}: NOT VERIFIED (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
    return 1;
  }
  log(`${dir}: verified: ${m.run_ids.length - m.failed.length} runs of ${m.scenario.name}, seed ${m.seed}, digest ${m.digest}`);
  return 0;
}
