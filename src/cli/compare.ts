/**
 * `urbanize compare BASE VARIANT...`: runs every scenario on the same run seeds (the base's master
 * seed and run count, or --seed/--runs), each into its own results folder, then writes the paired
 * comparison of each variant with the base (compare.csv, compare_targets.csv, compare.json) and
 * prints it for the plan's targets. The folder is created with plan.json, the scenarios as
 * resolved at the start, so that `urbanize compare --resume DIR` completes an interrupted compare
 * (whatever became of the scenario files) with the same files as an uninterrupted one.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '../core/errors.js';
import { calendarOf } from '../core/calendar.js';
import { checkMemory } from '../engine/check.js';
import type { RunResult } from '../engine/run.js';
import { compareIndicators, compareTargets, pairRuns, type TargetComparison } from '../results/compare.js';
import { writeFileAtomic } from '../results/atomic.js';
import { loadRuns } from '../results/finalize.js';
import { createResultsFolder, readPlan, scenarioHash, storedRuns, type PlanHeader } from '../results/folder.js';
import { render } from '../results/table.js';
import { writeReport } from '../report/index.js';
import { interruptible, interruptedMessage, type CommandResult } from './interrupt.js';
import { refuseWithResume, resumeFolder, runToFolder, setupScenario, type FolderRun, type RunOptions, type ScenarioSetup } from './run.js';
import { engineVersion } from './version.js';

const num = (v: number) => (Number.isFinite(v) ? String(v) : '');

/** plan.json of a compare folder: the base and the variants, resolved, with the common seed, runs and scale applied. */
interface ComparePlan extends PlanHeader { command: 'compare'; scenarios: ScenarioSetup[] }

/**
 * Compares variants with a base, or completes a compare folder with --resume. Returns the exit
 * code: 0; 1 if a run failed; 2 for a user's mistake (thrown); 130 or 143 if interrupted by SIGINT
 * or SIGTERM, after printing the command that completes the folder.
 */
export async function compareCommand(files: string[], opts: RunOptions, log: (s: string) => void): Promise<number> {
  return interruptible(async (stop) => {
    if (opts.resume !== undefined) {
      refuseWithResume(opts, files, ['runs', 'seed', 'scale', 'out', 'force']);
      return compareInto(opts.resume, readPlan<ComparePlan>(opts.resume, 'compare', engineVersion().version), opts, log, stop);
    }
    const plan = planCompare(files, opts, log);
    const base = plan.scenarios[0].sc;
    const out = opts.out ?? join('results', `compare-${plan.scenarios.map((s) => s.sc.name).join('-vs-')}`.slice(0, 120));
    checkMemory(base, Math.min(opts.workers ?? availableParallelism(), base.runs), undefined, base.runs);
    const text = JSON.stringify(plan, null, 2) + '\n';
    createResultsFolder(out, 'compare', { 'plan.json': text }, opts.force ?? false);
    // From the plan's text, as --resume reads it: both paths run the very same scenarios.
    return compareInto(out, JSON.parse(text) as ComparePlan, opts, log, stop);
  });
}

/** Loads the scenarios, applies the base's seed, runs and scale to all, and checks their names. */
function planCompare(files: string[], opts: RunOptions, log: (s: string) => void): ComparePlan {
  if (files.length < 2) throw userError({ code: 'invalid_flag', path: 'compare', expected: 'a base scenario and at least one variant, or --resume DIR', found: `${files.length} file` });
  const setups = files.map((f) => setupScenario(f, opts));
  const base = setups[0].sc;
  for (const s of setups) { s.sc.seed = base.seed; s.sc.runs = base.runs; s.sc.scale = base.scale; }
  const names = setups.map((s) => s.sc.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw userError({ code: 'duplicate', path: 'name', expected: 'scenarios with different names', found: `"${dup}" twice` });
  for (const s of setups.slice(1)) {
    const sameWorld = scenarioHash({ ...s.sc, name: '', levers: base.levers, description: undefined, targets: base.targets }) === scenarioHash({ ...base, name: '', description: undefined });
    if (!sameWorld) log(`note: ${s.sc.name} changes more than levers (world, behaviour or time): its agents' draws stay common with the base only where their states coincide`);
  }
  return { format: 1, command: 'compare', engine: engineVersion(), scenarios: setups };
}

/** Runs (or completes) each scenario's folder in `out`, then writes the comparison. */
async function compareInto(out: string, plan: ComparePlan, opts: RunOptions, log: (s: string) => void, stop: AbortSignal): Promise<CommandResult> {
  const setups = plan.scenarios, names = setups.map((s) => s.sc.name), base = setups[0].sc;
  const each: RunOptions = { ...opts, resume: undefined, out: undefined, force: true, brief: true };
  let code = 0;
  const runs: RunResult[][] = [];
  for (const s of setups) {
    const dir = join(out, s.sc.name);
    const r: FolderRun = existsSync(join(dir, 'manifest.json')) ? await resumeFolder(dir, each, log, stop) : await runToFolder(s, dir, null, each, log, stop);
    if (r.outcome === 'interrupted') {
      const kept = names.reduce((a, n) => a + storedRuns(join(out, n)).length, 0);
      log(interruptedMessage('compare', out, kept, names.length * base.runs));
      return 'interrupted';
    }
    code = Math.max(code, r.outcome);
    runs.push(loadRuns(dir, r.manifest));
  }
  const shape = { years: calendarOf(base).years };
  const indicatorLines = ['variant,metric,region,year,base_mean,variant_mean,diff_mean,diff_p05,diff_p95,p_higher,se_crn,se_independent'];
  const targetLines = ['variant,target,metric,region,year,comparator,value,base_p_met,variant_p_met,diff_mean,diff_p05,diff_p95,p_better,se_crn,se_independent'];
  const summary: Record<string, unknown>[] = [];
  for (let k = 1; k < setups.length; k++) {
    const [b, v] = pairRuns(runs[0], runs[k]);
    const name = names[k];
    for (const r of compareIndicators(b, v, shape)) {
      indicatorLines.push([name, r.metric, r.region, r.year, r.baseMean, r.variantMean, r.diffMean, r.diffP05, r.diffP95, r.pBeats, r.seCrn, r.seIndependent].map((x) => (typeof x === 'number' ? num(x) : x)).join(','));
    }
    const targets = compareTargets(setups[0].targets.targets, b, v, shape);
    for (const t of targets) {
      targetLines.push([name, t.target.id, t.target.metric, t.target.region, t.target.year, t.target.comparator, t.target.value, t.baseMet, t.variantMet, t.diffMean, t.diffP05, t.diffP95, t.pBeats, t.seCrn, t.seIndependent].map((x) => (typeof x === 'number' ? num(x) : x)).join(','));
    }
    summary.push({ variant: name, runs: b.length, targets: targets.map(({ target, ...rest }) => ({ id: target.id, metric: target.metric, region: target.region, ...rest })) });
    log(`\n${name} vs ${names[0]} (${b.length} paired runs, seed ${base.seed})`);
    log(targetTable(targets));
  }
  writeFileAtomic(join(out, 'compare.csv'), indicatorLines.join('\n') + '\n');
  writeFileAtomic(join(out, 'compare_targets.csv'), targetLines.join('\n') + '\n');
  writeFileAtomic(join(out, 'compare.json'), JSON.stringify({ base: names[0], seed: base.seed, runs: base.runs, scale: base.scale, variants: summary }, null, 2) + '\n');
  log(`\nreport: ${await writeReport(out)}`);
  log(`results: ${out}`);
  return code;
}

/** The paired differences for the plan's targets, one line each (duplicate targets once). */
function targetTable(rows: TargetComparison[]): string {
  const f = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(Math.abs(v) >= 10 ? 1 : 3));
  const out = [['target', 'region', 'base', 'variant', 'difference (90%)', 'P(better)', 'SE crn / indep.']];
  const seen = new Set<string>();
  for (const r of rows) {
    const t = r.target, key = `${t.metric}|${t.region}|${t.comparator}|${t.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([t.metric, t.region, f(r.baseMean), f(r.variantMean), `${f(r.diffMean)} (${f(r.diffP05)} .. ${f(r.diffP95)})`, `${Math.round(r.pBeats * 100)}%`, `${f(r.seCrn)} / ${f(r.seIndependent)}`]);
  }
  return render(out);
}
