/**
 * Comparing policy variants with a base: every scenario runs on the same run seeds (the base's
 * master seed and run count, or --seed/--runs), each into its own results folder, then the paired
 * comparison of each variant with the base is written (compare.csv, compare_targets.csv,
 * compare.json) and logged for the plan's targets, then the robustness of every scenario
 * (compare-robustness.ts). The folder is created with plan.json, the
 * scenarios as resolved at the start, so that resuming completes an interrupted compare (whatever
 * became of the scenario files) with the same files as an uninterrupted one.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { calendarOf } from '../core/calendar.js';
import { userError } from '../core/errors.js';
import { checkMemory } from '../engine/memory.js';
import type { RunResult } from '../engine/run.js';
import { writeFileAtomic } from '../results/atomic.js';
import { compareIndicators, compareTargets, pairRuns } from '../results/compare.js';
import { compareTargetJson, jsonText, readPlan, type CompareJson, type ComparePlan } from '../results/documents.js';
import { loadRuns } from '../results/finalize.js';
import { createResultsFolder, scenarioHash } from '../results/folder.js';
import { COMPARE_CSV, COMPARE_TARGETS_CSV, FILES, storedRuns, type CompareRow, type CompareTargetsRow } from '../results/format.js';
import { comparisonTable } from '../results/table.js';
import { engineVersion } from '../results/version.js';
import { interruptedMessage, interruptible, type CommandResult } from './batch.js';
import { refuseWithResume, resumeFolder, runToFolder, setupScenario, type FolderRun, type RunOptions } from './run.js';
import { writeRobustness } from './compare-robustness.js';
import type { Log } from './log.js';

/**
 * Compares variants with a base, or completes a compare folder with `opts.resume`. Returns the
 * exit code: 0; 1 if a run failed; 130 or 143 if interrupted by SIGINT or SIGTERM, after logging
 * the command that completes the folder. A user's mistake is thrown (a UserError).
 */
export async function compareScenarios(files: string[], opts: RunOptions, log: Log): Promise<number> {
  return interruptible(async (stop) => {
    if (opts.resume !== undefined) {
      refuseWithResume(opts, files, ['runs', 'seed', 'scale', 'out', 'force']);
      return compareInto(opts.resume, readPlan<ComparePlan>(opts.resume, 'compare', engineVersion().version), opts, log, stop);
    }
    const plan = planCompare(files, opts, log);
    const base = plan.scenarios[0].sc;
    const out = opts.out ?? join('results', `compare-${plan.scenarios.map((s) => s.sc.name).join('-vs-')}`.slice(0, 120));
    checkMemory(base, Math.min(opts.workers ?? availableParallelism(), base.runs), undefined, base.runs);
    const text = jsonText(plan);
    createResultsFolder(out, 'compare', { [FILES.plan]: text }, opts.force ?? false);
    // From the plan's text, as --resume reads it: both paths run the very same scenarios.
    return compareInto(out, JSON.parse(text) as ComparePlan, opts, log, stop);
  });
}

/** Loads the scenarios, applies the base's seed, runs and scale to all, and checks their names. */
function planCompare(files: string[], opts: RunOptions, log: Log): ComparePlan {
  if (files.length < 2)
    throw userError({
      code: 'invalid_flag',
      path: 'compare',
      expected: 'a base scenario and at least one variant, or --resume DIR',
      found: `${files.length} file`,
    });
  const setups = files.map((f) => setupScenario(f, opts));
  const base = setups[0].sc;
  for (const s of setups) {
    s.sc.seed = base.seed;
    s.sc.runs = base.runs;
    s.sc.scale = base.scale;
  }
  const names = setups.map((s) => s.sc.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw userError({ code: 'duplicate', path: 'name', expected: 'scenarios with different names', found: `"${dup}" twice` });
  for (const s of setups.slice(1)) {
    const sameWorld =
      scenarioHash({ ...s.sc, name: '', levers: base.levers, description: undefined, targets: base.targets }) ===
      scenarioHash({ ...base, name: '', description: undefined });
    if (!sameWorld)
      log(
        `note: ${s.sc.name} changes more than levers (world, behaviour or time): its agents' draws stay common with the base only where their states coincide`,
      );
  }
  return { format: 1, command: 'compare', engine: engineVersion(), scenarios: setups };
}

/** Runs (or completes) each scenario's folder in `out`, then writes the comparison. */
async function compareInto(out: string, plan: ComparePlan, opts: RunOptions, log: Log, stop: AbortSignal): Promise<CommandResult> {
  const setups = plan.scenarios,
    names = setups.map((s) => s.sc.name),
    base = setups[0].sc;
  const each: RunOptions = { ...opts, resume: undefined, out: undefined, force: true, brief: true };
  let code = 0;
  const runs: RunResult[][] = [];
  for (const s of setups) {
    const dir = join(out, s.sc.name);
    const r: FolderRun = existsSync(join(dir, FILES.manifest)) ? await resumeFolder(dir, each, log, stop) : await runToFolder(s, dir, null, each, log, stop);
    if (r.outcome === 'interrupted') {
      const kept = names.reduce((a, n) => a + storedRuns(join(out, n)).length, 0);
      log(interruptedMessage('compare', out, kept, names.length * base.runs));
      return 'interrupted';
    }
    code = Math.max(code, r.outcome);
    runs.push(loadRuns(dir, r.manifest));
  }
  const shape = { years: calendarOf(base).years };
  const indicatorRows: CompareRow[] = [];
  const targetRows: CompareTargetsRow[] = [];
  const summary: CompareJson['variants'] = [];
  for (let k = 1; k < setups.length; k++) {
    const [b, v] = pairRuns(runs[0], runs[k]);
    const variant = names[k];
    for (const r of compareIndicators(b, v, shape)) {
      indicatorRows.push({
        variant,
        metric: r.metric,
        region: r.region,
        year: r.year,
        base_mean: r.baseMean,
        variant_mean: r.variantMean,
        diff_mean: r.diffMean,
        diff_p05: r.diffP05,
        diff_p95: r.diffP95,
        p_higher: r.pBeats,
        se_crn: r.seCrn,
        se_independent: r.seIndependent,
      });
    }
    const targets = compareTargets(setups[0].targets.targets, b, v, shape, setups[0].targets.discrepancy);
    for (const t of targets) {
      targetRows.push({
        variant,
        target: t.target.id,
        metric: t.target.metric,
        region: t.target.region,
        year: t.target.year,
        comparator: t.target.comparator,
        value: t.target.value,
        base_p_met: t.baseMet,
        variant_p_met: t.variantMet,
        diff_mean: t.diffMean,
        diff_p05: t.diffP05,
        diff_p95: t.diffP95,
        p_better: t.pBeats,
        se_crn: t.seCrn,
        se_independent: t.seIndependent,
        diff_p_met: t.diffMet,
        diff_p_met_lo: t.diffMetLo,
        diff_p_met_hi: t.diffMetHi,
        discrepancy: t.withDiscrepancy ? 'included' : 'without discrepancy',
      });
    }
    summary.push({ variant, runs: b.length, targets: targets.map(compareTargetJson) });
    log(`\n${variant} vs ${names[0]} (${b.length} paired runs, seed ${base.seed})`);
    log(comparisonTable(targets));
  }
  writeFileAtomic(join(out, FILES.compare), COMPARE_CSV.text(indicatorRows));
  writeFileAtomic(join(out, FILES.compareTargets), COMPARE_TARGETS_CSV.text(targetRows));
  const robustness = writeRobustness(out, names, runs, setups[0].targets.targets, shape, setups[0].targets.discrepancy, log);
  writeFileAtomic(
    join(out, FILES.compareJson),
    jsonText({ base: names[0], seed: base.seed, runs: base.runs, scale: base.scale, variants: summary, robustness } satisfies CompareJson),
  );
  log(`\nreport: ${await (await import('../report/index.js')).writeReport(out)}`);
  log(`results: ${out}`);
  return code;
}
