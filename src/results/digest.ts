/**
 * The results digest: SHA-256 over the per-run results in run order (run id, run seed, then every
 * observed value as little-endian float64). With a posterior, its file's digest comes first and
 * each run's parameter set follows its seed. Nothing time- or machine-dependent enters it, so the
 * same scenario and seed give the same digest however the runs were scheduled.
 */
import { createHash } from 'node:crypto';
import type { RunResult } from '../engine/run.js';

/** Hex SHA-256 of runs sorted by run id; `posterior`: the SHA-256 of the posterior file the runs drew their parameters from. */
export function digestRuns(runs: readonly RunResult[], posterior?: string): string {
  const h = createHash('sha256');
  if (posterior !== undefined) h.update(`posterior:${posterior}`);
  const head = Buffer.alloc(8);
  const set = Buffer.alloc(4);
  for (const r of [...runs].sort((a, b) => a.run - b.run)) {
    head.writeUInt32LE(r.run, 0);
    head.writeUInt32LE(r.seed >>> 0, 4);
    h.update(head);
    if (r.set !== undefined) {
      set.writeUInt32LE(r.set, 0);
      h.update(set);
    }
    const bytes = Buffer.alloc(r.values.length * 8);
    for (let i = 0; i < r.values.length; i++) bytes.writeDoubleLE(r.values[i], i * 8);
    h.update(bytes);
  }
  return h.digest('hex');
}
