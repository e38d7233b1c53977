/**
 * Writing a results folder: manifest.json, runs.csv, indicators.csv, targets.csv and
 * summary.json. The folder is written under a temporary name and renamed into place, so a failure
 * never leaves a half-written folder; an existing folder is replaced only with `force`.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { userError } from '../core/errors.js';
import { METRICS, REGIONS, obsIndex, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import type { IndicatorRow, TargetResult } from './summary.js';

/** What goes into manifest.json besides the digest. */
export interface ManifestInfo {
  engine: { name: string; version: string };
  scenario: { name: string; file: string; resolved: unknown };
  seed: number;
  runs: number;
  targetsFile: string;
}

/** Refuses an existing results folder unless `force` (checked before any work is done). */
export function checkOutDir(dir: string, force: boolean): void {
  if (existsSync(dir) && !force) {
    throw userError({ code: 'exists', file: dir, message: `results folder ${dir} already exists`, expected: 'a new folder, or --force to replace it', found: 'an existing folder' });
  }
}

const num = (v: number | undefined) => (v === undefined ? '' : String(v));
const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** runs.csv: one row per run, metric, region and year (flows from the first simulated year). */
export function runsCsv(runs: readonly RunResult[], shape: ObsShape): string {
  const lines = ['run,metric,region,year,value'];
  for (const r of [...runs].sort((a, b) => a.run - b.run)) {
    METRICS.forEach((metric, m) => REGIONS.forEach((region, g) => shape.years.forEach((year, y) => {
      if (metric.flow && y === 0) return;
      lines.push(`${r.run},${metric.id},${region},${year},${num(r.values[obsIndex(shape, m, g, y)])}`);
    })));
  }
  return lines.join('\n') + '\n';
}

/** indicators.csv from summary rows. */
export function indicatorsCsv(rows: readonly IndicatorRow[]): string {
  return ['metric,region,year,mean,sd,p05,p50,p95', ...rows.map((r) => [r.metric, r.region, r.year, r.mean, r.sd, r.p05, r.p50, r.p95].join(','))].join('\n') + '\n';
}

/** targets.csv: every target of the plan, modelled or not. */
export function targetsCsv(results: readonly TargetResult[]): string {
  const head = 'target,section,metric,region,year,comparator,value,modelled,p_met,mean,p05,p95';
  return [head, ...results.map(({ target: t, computed, p_met, mean, p05, p95 }) =>
    [t.id, csvField(t.section), t.metric, t.region, t.year, t.comparator, t.value, computed ? 'yes' : 'no', num(p_met), num(mean), num(p05), num(p95)].join(','))].join('\n') + '\n';
}

/** Writes all files into `dir` atomically (temporary sibling folder, then rename). */
export function writeFolder(dir: string, files: Record<string, string>, force: boolean): void {
  checkOutDir(dir, force);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp, name), text);
    if (existsSync(dir)) {
      const old = join(parent, `.${basename(dir)}.old-${process.pid}`);
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
