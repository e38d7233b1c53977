/**
 * Completing a results folder: from the stored run files to the digest, the CSV tables, the
 * summaries with target attainment, runs.parquet for large batches, and the final manifest.
 * The same code finishes a fresh batch, a resumed one and a merge of shards, so all three give
 * the same bytes for the same runs.
 */
import { join } from 'node:path';
import { calendarOf } from '../core/calendar.js';
import type { RunResult } from '../engine/run.js';
import { writeFileAtomic } from './atomic.js';
import { digestRuns } from './digest.js';
import { summaryJson, type Manifest } from './documents.js';
import { flowsCsv } from './flows.js';
import { writeManifest } from './folder.js';
import { FILES, INDICATORS_CSV, readRunValues, runsCsv, storedRuns, TARGETS_CSV, targetsRow } from './format.js';
import { evaluateTargets, summarizeIndicators, type IndicatorRow, type TargetResult } from './summary.js';

/** Batches of at least this many runs also get runs.parquet. */
export const PARQUET_MIN_RUNS = 100;

/** What finalizing produced, for the command to print. */
export interface Finalized {
  digest: string;
  runs: number;
  targetResults: TargetResult[];
  indicatorRows: IndicatorRow[];
  missing: number[];
}

/** The stored runs of the folder's run ids, in run order. */
export function loadRuns(dir: string, m: Manifest): RunResult[] {
  const stored = new Set(storedRuns(dir));
  const seeds = new Map(m.run_seeds.map((s) => [s.run, s]));
  return m.run_ids
    .filter((r) => stored.has(r))
    .map((r) => {
      const { seed, set } = seeds.get(r)!;
      return { run: r, seed, values: readRunValues(dir, r), ...(set === undefined ? {} : { set }) };
    });
}

/** The files a folder's runs determine, by name, with what went into them. */
export interface Derived {
  digest: string;
  indicatorRows: IndicatorRow[];
  targetResults: TargetResult[];
  files: Map<string, string | Uint8Array>;
}

/**
 * Every file derived from the stored runs of a folder (runs.csv, flows.csv, indicators.csv,
 * targets.csv, summary.json and, for large batches or when asked, runs.parquet and flows.parquet), as bytes: finalize writes
 * them, `urbanize verify` recomputes and compares them. The Parquet writer is loaded only for a
 * folder that has runs.parquet (it takes a tenth of a second to load).
 */
export async function deriveFiles(m: Manifest, runs: RunResult[], parquet = false): Promise<Derived> {
  const shape = { years: calendarOf(m.scenario.resolved).years };
  const digest = digestRuns(runs, m.posterior?.digest);
  const d = m.targets.discrepancy;
  const indicatorRows = runs.length ? summarizeIndicators(runs, shape, d) : [];
  const targetResults = runs.length ? evaluateTargets(m.targets.targets, runs, shape, d) : [];
  const files = new Map<string, string | Uint8Array>();
  files.set(FILES.runsCsv, runsCsv(runs, shape));
  files.set(FILES.indicators, INDICATORS_CSV.text(indicatorRows));
  files.set(FILES.targets, TARGETS_CSV.text(targetResults.map(targetsRow)));
  files.set(FILES.flows, flowsCsv(runs, shape));
  if (parquet || m.runs >= PARQUET_MIN_RUNS) {
    const { flowsParquet, runsParquet } = await import('./parquet.js');
    files.set(FILES.parquet, runsParquet(runs, shape));
    files.set(FILES.flowsParquet, flowsParquet(runs, shape));
  }
  files.set(FILES.summary, summaryJson(m, runs.length, digest, targetResults));
  return { digest, indicatorRows, targetResults, files };
}

/** Writes every derived file and the final manifest; `parquet` forces runs.parquet for small batches. */
export async function finalize(dir: string, m: Manifest, parquet = false): Promise<Finalized> {
  const runs = loadRuns(dir, m);
  const { digest, indicatorRows, targetResults, files } = await deriveFiles(m, runs, parquet);
  for (const [name, data] of files) writeFileAtomic(join(dir, name), data);
  const done = new Set(runs.map((r) => r.run)),
    failed = new Set(m.failed.map((f) => f.run));
  const missing = m.run_ids.filter((r) => !done.has(r) && !failed.has(r));
  m.status = missing.length ? 'partial' : 'complete';
  m.digest = missing.length ? null : digest;
  writeManifest(dir, m);
  return { digest, runs: runs.length, targetResults, indicatorRows, missing };
}
