/**
 * `urbanize run SCENARIO`: loads the scenario, runs its Monte Carlo runs, writes the results
 * folder and prints the plan's targets beside the simulated 2025 values.
 */
import { join } from 'node:path';
import { prepare } from '../engine/setup.js';
import { runOne, type RunResult } from '../engine/run.js';
import { loadScenario } from '../scenario/scenario.js';
import { digestRuns } from '../results/digest.js';
import { evaluateTargets, summarizeIndicators } from '../results/summary.js';
import { provinceTable, targetsTable } from '../results/table.js';
import { loadTargets } from '../results/targets.js';
import { checkOutDir, indicatorsCsv, runsCsv, targetsCsv, writeFolder } from '../results/write.js';
import { engineVersion } from './version.js';

/** Options of the run command. */
export interface RunOptions { runs?: number; seed?: number; scale?: number; out?: string; force?: boolean; quiet?: boolean }

/** Runs a scenario and writes its results folder; returns the folder. */
export function runCommand(file: string, opts: RunOptions, log: (s: string) => void): string {
  const loaded = loadScenario(file);
  const sc = loaded.scenario;
  if (opts.runs !== undefined) sc.runs = opts.runs;
  if (opts.seed !== undefined) sc.seed = opts.seed;
  if (opts.scale !== undefined) sc.scale = opts.scale;
  const targets = loadTargets(loaded.targetsFile);
  const out = opts.out ?? join('results', sc.name);
  checkOutDir(out, opts.force ?? false);
  const t0 = performance.now();
  const prep = prepare(sc);
  const runs: RunResult[] = [];
  for (let r = 0; r < sc.runs; r++) {
    runs.push(runOne(prep, r));
    if (!opts.quiet && process.stderr.isTTY) process.stderr.write(`\rrun ${r + 1}/${sc.runs}`);
  }
  if (!opts.quiet && process.stderr.isTTY) process.stderr.write('\n');
  const shape = { years: prep.calendar.years };
  const digest = digestRuns(runs);
  const targetResults = evaluateTargets(targets.targets, runs, shape);
  const indicatorRows = summarizeIndicators(runs, shape);
  const manifest = {
    engine: engineVersion(),
    scenario: { name: sc.name, file, resolved: sc },
    targets_file: loaded.targetsFile,
    seed: sc.seed,
    runs: sc.runs,
    run_seeds: runs.map((r) => ({ run: r.run, seed: r.seed })),
    status: 'complete',
    failed: [],
    digest,
  };
  const summary = { scenario: sc.name, seed: sc.seed, runs: sc.runs, digest, targets: targetResults.map(({ target, ...rest }) => ({ id: target.id, section: target.section, metric: target.metric, region: target.region, year: target.year, comparator: target.comparator, value: target.value, modelled: rest.computed, ...rest })) };
  writeFolder(out, {
    'manifest.json': JSON.stringify(manifest, null, 2) + '\n',
    'runs.csv': runsCsv(runs, shape),
    'indicators.csv': indicatorsCsv(indicatorRows),
    'targets.csv': targetsCsv(targetResults),
    'summary.json': JSON.stringify(summary, null, 2) + '\n',
  }, opts.force ?? false);
  log(`${sc.name}: ${sc.runs} runs, seed ${sc.seed}, scale ${sc.scale}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  log(provinceTable(indicatorRows, sc.time.end_year));
  log('');
  log(targetsTable(targetResults, sc.runs));
  log(`results: ${out}  digest ${digest.slice(0, 16)}`);
  return out;
}
