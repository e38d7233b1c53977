/**
 * A results folder while it is being filled: manifest.json says what the folder is (scenario,
 * seed, the run ids it covers, status), runs/NNNNNN.f64 holds each finished run's values
 * (format.ts), written atomically as the run finishes. A compare or sweep folder holds plan.json
 * instead, what its command needs to complete it. A folder is created atomically with its
 * manifest or plan, so a batch that is interrupted at any moment, even by kill -9, leaves no
 * folder, or one with whole run files and a manifest that says "running" or "partial";
 * `--resume` runs what is missing. Every file is written atomically.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '../core/errors.js';
import { drawParameterSet, runKey } from '../core/random.js';
import { shardRunIds, type Shard } from '../batch/shard.js';
import type { Scenario } from '../scenario/schema.js';
import { createDirAtomic, writeFileAtomic } from './atomic.js';
import { jsonText, resumeCommand, type BatchCommand, type Manifest, type ScenarioSetup } from './documents.js';
import { FILES } from './format.js';
import { engineVersion } from './version.js';

/** Hash of a resolved scenario without its seed and run count (compared on their own), to recognise shards of the same batch. */
export function scenarioHash(sc: Scenario): string {
  const { seed: _seed, runs: _runs, ...rest } = sc;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/**
 * The manifest of a new batch of scenario `setup` (or of its shard `shard`): every run id it
 * covers with its seed (and, with a posterior, its parameter set), status "running", no failure and no digest yet.
 */
export function newManifest(setup: ScenarioSetup, shard: Shard | null): Manifest {
  const { sc, file } = setup;
  const runIds = shardRunIds(sc.runs, shard);
  return {
    format: 1,
    engine: engineVersion(),
    scenario: { name: sc.name, file, hash: scenarioHash(sc), resolved: sc },
    targets_file: setup.targetsFile,
    targets: setup.targets,
    seed: sc.seed,
    runs: sc.runs,
    shard,
    run_ids: runIds,
    run_seeds: runIds.map((r) => ({
      run: r,
      seed: runKey(sc.seed, r),
      ...(setup.posterior ? { set: drawParameterSet(sc.seed, r, setup.posterior.weights) } : {}),
    })),
    posterior: setup.posterior,
    status: 'running',
    failed: [],
    digest: null,
  };
}

/**
 * Creates results folder `dir` of `command` atomically, with `files` (name -> text) and an empty
 * runs/ (not for a compare, whose runs are in its scenarios' folders): `dir` appears whole or not
 * at all. An existing folder is refused unless `force`, and then replaced only once the new one is
 * complete (createDirAtomic).
 */
export function createResultsFolder(dir: string, command: BatchCommand, files: Record<string, string>, force: boolean): void {
  if (existsSync(dir) && !force) {
    throw userError({
      code: 'exists',
      file: dir,
      message: `results folder ${dir} already exists`,
      expected: `a new folder, --force to replace it, or ${resumeCommand(command, dir)} to complete it`,
      found: 'an existing folder',
    });
  }
  createDirAtomic(dir, (tmp) => {
    if (command !== 'compare') mkdirSync(join(tmp, FILES.runs));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
  });
}

/** Creates a run's results folder with its manifest (createResultsFolder). */
export function createFolder(dir: string, manifest: Manifest, force: boolean): void {
  createResultsFolder(dir, 'run', { [FILES.manifest]: jsonText(manifest) }, force);
}

/** Writes manifest.json atomically. */
export function writeManifest(dir: string, manifest: Manifest): void {
  writeFileAtomic(join(dir, FILES.manifest), jsonText(manifest));
}
