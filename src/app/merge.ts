/**
 * Merging the shards of one batch into one folder, with the same files and digest as the batch
 * run on one machine. Shards of different scenarios, seeds, run counts or engine versions are
 * refused, and so are incomplete or overlapping shards.
 */
import { join } from 'node:path';
import { userError, type Problem, UserError } from '../core/errors.js';
import { readManifest, type Manifest } from '../results/documents.js';
import { finalize } from '../results/finalize.js';
import { createFolder } from '../results/folder.js';
import { FILES, readRunValues, storedRuns, writeRunValues } from '../results/format.js';
import { targetsTable } from '../results/table.js';
import type { Log } from './log.js';

/** Merges shard folders `dirs` into `out`; returns the exit code (1 when a run of a shard had failed). */
export async function mergeShards(dirs: string[], out: string, force: boolean, log: Log): Promise<number> {
  const ms = dirs.map((d) => readManifest(d));
  const first = ms[0];
  const problems: Problem[] = [];
  ms.forEach((m, k) => {
    const at = { file: join(dirs[k], FILES.manifest) };
    const same = (path: string, a: unknown, b: unknown, what: string) => {
      if (a !== b) problems.push({ code: 'mismatch', ...at, path, expected: `${what} of ${dirs[0]} (${String(b)})`, found: String(a) });
    };
    same('engine.version', m.engine.version, first.engine.version, 'the engine version');
    same('scenario.hash', m.scenario.hash, first.scenario.hash, 'the resolved scenario');
    same('seed', m.seed, first.seed, 'the master seed');
    same('runs', m.runs, first.runs, 'the number of runs');
    same('posterior.digest', m.posterior?.digest ?? null, first.posterior?.digest ?? null, 'the posterior');
    if (m.status !== 'complete')
      problems.push({ code: 'incomplete', ...at, path: 'status', expected: 'a complete shard (finish it with urbanize run --resume)', found: m.status });
  });
  const owner = new Map<number, string>();
  ms.forEach((m, k) => {
    for (const r of m.run_ids) {
      if (owner.has(r))
        problems.push({
          code: 'overlap',
          file: join(dirs[k], FILES.manifest),
          path: 'run_ids',
          expected: 'each run in one shard only',
          found: `run ${r} also in ${owner.get(r)}`,
        });
      owner.set(r, dirs[k]);
    }
  });
  if (problems.length) throw new UserError(problems);
  const missing: number[] = [];
  for (let r = 0; r < first.runs; r++) if (!owner.has(r)) missing.push(r);
  if (missing.length)
    throw userError({
      code: 'missing_runs',
      path: 'run_ids',
      expected: `all ${first.runs} runs of the batch`,
      found: `${missing.length} missing (first: ${missing.slice(0, 5).join(', ')})`,
    });
  const merged: Manifest = {
    ...first,
    shard: null,
    run_ids: [...owner.keys()].sort((a, b) => a - b),
    run_seeds: ms.flatMap((m) => m.run_seeds).sort((a, b) => a.run - b.run),
    failed: ms.flatMap((m) => m.failed).sort((a, b) => a.run - b.run),
    status: 'running',
    digest: null,
  };
  createFolder(out, merged, force);
  ms.forEach((m, k) => {
    const have = new Set(storedRuns(dirs[k]));
    for (const r of m.run_ids) if (have.has(r)) writeRunValues(out, r, readRunValues(dirs[k], r));
  });
  const f = await finalize(out, merged);
  log(`merged ${dirs.length} shards: ${f.runs} runs of ${first.scenario.name}, seed ${first.seed}`);
  if (f.runs) log(targetsTable(f.targetResults, f.runs));
  log(`results: ${out}  status ${merged.status}  digest ${merged.digest ?? '(partial)'}`);
  return merged.failed.length ? 1 : 0;
}
