/**
 * The robustness part of a compare: every scenario's runs cut to the run ids they all have (in
 * run-id order), the plan's modelled targets and the 2025 urbanization rate read from them, then
 * results/robustness.ts; written as compare_robustness.csv, compare_regret.csv and
 * compare_ranking.csv, and logged as the ranking with the measures' disagreements.
 */
import { join } from 'node:path';
import { METRICS, REGIONS, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import { writeFileAtomic } from '../results/atomic.js';
import type { CompareJson } from '../results/documents.js';
import { RANKING_CSV, REGRET_CSV, ROBUSTNESS_CSV } from '../results/format.js';
import { discrepancySd, type ModelDiscrepancy } from '../results/probability.js';
import { MEASURES, robustness, type OutcomeRuns, type TargetRuns } from '../results/robustness.js';
import { across } from '../results/summary.js';
import { robustnessTable } from '../results/table.js';
import type { Target } from '../results/targets.js';
import type { Log } from './log.js';

/** Writes the robustness files of a compare folder and logs the ranking; returns compare.json's entry. */
export function writeRobustness(
  out: string,
  names: string[],
  all: RunResult[][],
  targets: Target[],
  shape: ObsShape,
  d: ModelDiscrepancy | undefined,
  log: Log,
): NonNullable<CompareJson['robustness']> {
  const ids = all.map((runs) => new Set(runs.map((r) => r.run)));
  const common = [...ids[0]].filter((id) => ids.every((s) => s.has(id))).sort((a, b) => a - b);
  const runs = all.map((rs) => {
    const byId = new Map(rs.map((r) => [r.run, r]));
    return common.map((id) => byId.get(id)!);
  });
  const valuesOf = (metric: string, region: string, year: number): number[][] | undefined => {
    const m = METRICS.findIndex((x) => x.id === metric),
      g = (REGIONS as readonly string[]).indexOf(region),
      y = shape.years.indexOf(year);
    return m < 0 || g < 0 || y < 0 ? undefined : runs.map((rs) => across(rs, shape, m, g, y));
  };
  const targetRuns: TargetRuns[] = [];
  for (const t of targets) {
    const values = t.modelled ? valuesOf(t.metric, t.region, t.year) : undefined;
    if (values) targetRuns.push({ target: t, values, sd: discrepancySd(d, t.metric, t.region, t.year) });
  }
  const urb = valuesOf('urbanization_rate', 'shanxi', 2025);
  const urbanization: OutcomeRuns | undefined = urb && { id: 'urbanization_rate.shanxi.2025', unit: 'pp', values: urb };
  const r = robustness(names, common, targetRuns, urbanization);
  writeFileAtomic(
    join(out, ROBUSTNESS_CSV.file),
    ROBUSTNESS_CSV.text(
      r.targets.map((a) => ({
        variant: a.variant,
        target: a.target.id,
        metric: a.target.metric,
        region: a.target.region,
        year: a.target.year,
        share_met: a.shareMet,
        p_met: a.pMet,
        discrepancy: a.withDiscrepancy ? 'included' : 'without discrepancy',
      })),
    ),
  );
  writeFileAtomic(join(out, REGRET_CSV.file), REGRET_CSV.text(r.regrets));
  writeFileAtomic(join(out, RANKING_CSV.file), RANKING_CSV.text(r.ranking));
  log(`\nrobustness over ${common.length} common runs (rank 1 = best)`);
  log(robustnessTable(names, r.ranking, r.disagreements));
  return { runs: common.length, measures: MEASURES, disagreements: r.disagreements };
}
