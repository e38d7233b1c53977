/**
 * The text tables of a results folder: runs.csv, indicators.csv, targets.csv.
 */
import { METRICS, REGIONS, obsIndex, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import type { IndicatorRow, TargetResult } from './summary.js';

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
