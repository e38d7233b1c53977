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
import { readRunValues, storedRuns, writeManifest, type Manifest } from './folder.js';
import { PARQUET_MIN_RUNS, runsParquet } from './parquet.js';
import { evaluateTargets, summarizeIndicators, type IndicatorRow, type TargetResult } from './summary.js';
import { indicatorsCsv, runsCsv, targetsCsv } from './write.js';

/** What finalizing produced, for the CLI to print. */
export interface Finalized { digest: string; runs: number; targetResults: TargetResult[]; indicatorRows: IndicatorRow[]; missing: number[] }

/** The stored runs of the folder's run ids, in run order. */
export function loadRuns(dir: string, m: Manifest): RunResult[] {
  const stored = new Set(storedRuns(dir));
  const seeds = new Map(m.run_seeds.map((s) => [s.run, s.seed]));
  return m.run_ids.filter((r) => stored.has(r)).map((r) => ({ run: r, seed: seeds.get(r)!, values: readRunValues(dir, r) }));
}

/** The files a folder's runs determine, by name, with what went into them. */
export interface Derived { digest: string; indicatorRows: IndicatorRow[]; targetResults: TargetResult[]; files: Map<string, string | Uint8Array> }

/**
 * Every file derived from the stored runs of a folder (runs.csv, indicators.csv, targets.csv,
 * summary.json and, for large batches or when asked, runs.parquet), as bytes: finalize writes
 * them, `urbanize verify` recomputes and compares them.
 */
export function deriveFiles(m: Manifest, runs: RunResult[], parquet = false): Derived {
  const shape = { years: calendarOf(m.scenario.resolved).years };
  const digest = digestRuns(runs);
  const indicatorRows = runs.length ? summarizeIndicators(runs, shape) : [];
  const targetResults = runs.length ? evaluateTargets(m.targets.targets, runs, shape) : [];
  const files = new Map<string, string | Uint8Array>();
  files.set('runs.csv', runsCsv(runs, shape));
  files.set('indicators.csv', indicatorsCsv(indicatorRows));
  files.set('targets.csv', targetsCsv(targetResults));
  if (parquet || m.runs >= PARQUET_MIN_RUNS) files.set('runs.parquet', runsParquet(runs, shape));
  const summary = {
    scenario: m.scenario.name, seed: m.seed, runs: runs.length, failed: m.failed.length, digest, shard: m.shard,
    targets: targetResults.map(({ target: t, ...rest }) => ({ id: t.id, section: t.section, label: t.label, metric: t.metric, region: t.region, year: t.year, comparator: t.comparator, value: t.value, modelled: rest.computed, ...rest })),
  };
  files.set('summary.json', JSON.stringify(summary, null, 2) + '\n');
  return { digest, indicatorRows, targetResults, files };
}

/** Writes every derived file and the final manifest; `parquet` forces runs.parquet for small batches. */
export function finalize(dir: string, m: Manifest, parquet = false): Finalized {
  const runs = loadRuns(dir, m);
  const { digest, indicatorRows, targetResults, files } = deriveFiles(m, runs, parquet);
  for (const [name, data] of files) writeFileAtomic(join(dir, name), data);
  const done = new Set(runs.map((r) => r.run)), failed = new Set(m.failed.map((f) => f.run));
  const missing = m.run_ids.filter((r) => !done.has(r) && !failed.has(r));
  m.status = missing.length ? 'partial' : 'complete';
  m.digest = missing.length ? null : digest;
  writeManifest(dir, m);
  return { digest, runs: runs.length, targetResults, indicatorRows, missing };
}
