/**
 * `urbanize sweep SCENARIO --vary PATH=LO..HI ...`: a Latin-hypercube or Sobol (Saltelli) design
 * over levers and uncertain behavioural parameters, run as one batch on worker threads (every
 * sample on the same run seeds, so samples differ by their factors, not by noise), then the
 * sensitivity of each outcome to each factor: standardized regression coefficients (lhs) or
 * first-order and total Sobol indices (sobol), with bootstrap intervals. The full sample table is
 * kept (samples.csv) for the user's own analysis. The folder is created with plan.json (the
 * resolved scenario, factors, design and outcomes) and keeps each run's outcomes as it finishes,
 * so that `urbanize sweep --resume DIR` completes an interrupted sweep with the same files.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { calendarOf } from '../core/calendar.js';
import { UserError, userError, type Problem } from '../core/errors.js';
import { latinHypercube, saltelli, SOBOL_MAX_DIM } from '../batch/design.js';
import type { Job, Variant } from '../batch/protocol.js';
import { METRICS, REGIONS, obsIndex } from '../engine/metrics.js';
import { checkMemory } from '../engine/check.js';
import { leverTables } from '../engine/setup.js';
import { writeFileAtomic } from '../results/atomic.js';
import { createResultsFolder, readPlan, readRunValues, resumeCommand, storedRuns, writeRunValues, type PlanHeader } from '../results/folder.js';
import { regressionIndices, sobolIndices, type Estimate } from '../results/sensitivity.js';
import { render } from '../results/table.js';
import { leverDef } from '../scenario/levers.js';
import { MAX_RUNS, Scenario } from '../scenario/schema.js';
import { writeReport } from '../report/index.js';
import { interruptible, interruptedMessage, runUntilStopped, type CommandResult } from './interrupt.js';
import { progress } from './progress.js';
import { engineVersion } from './version.js';
import { refuseWithResume, setupScenario, type RunOptions } from './run.js';

/** A factor of the design: a lever or a behavioural parameter, and its range. */
interface Factor { spec: string; path: string[]; kind: 'lever' | 'behaviour'; lo: number; hi: number; boolean: boolean }

/** Options of the sweep command. */
export interface SweepOptions extends RunOptions { vary: string[]; design?: string; samples?: number }

/** Parses `PATH=LO..HI` against the scenario. */
function parseFactor(spec: string, sc: Scenario): Factor {
  const m = /^([a-z0-9_.]+)=(-?[\d.]+(?:e-?\d+)?)\.\.(-?[\d.]+(?:e-?\d+)?)$/i.exec(spec);
  const bad = (expected: string, found = `"${spec}"`) => userError({ code: 'invalid_flag', path: '--vary', expected, found });
  if (!m) throw bad('PATH=LO..HI, e.g. hukou.openness_county=0.5..1 or behaviour.migration.beta_income=1..2');
  const [, rawPath, loS, hiS] = m;
  const lo = Number(loS), hi = Number(hiS);
  if (!(lo < hi)) throw bad('LO below HI');
  const leverPath = rawPath.replace(/^levers\./, '');
  const def = leverDef(leverPath);
  if (def) {
    if (lo < def.min || hi > def.max) throw bad(`a range within ${def.min}..${def.max} for ${leverPath} (${def.unit})`);
    return { spec, path: leverPath.split('.'), kind: 'lever', lo, hi, boolean: def.boolean ?? false };
  }
  const path = rawPath.split('.');
  let node: unknown = sc;
  for (const k of path) node = (node as Record<string, unknown> | undefined)?.[k];
  if (path[0] !== 'behaviour' || typeof node !== 'object' || node === null || typeof (node as { value?: unknown }).value !== 'number') {
    throw bad('a lever (e.g. hukou.openness_county) or a behavioural parameter (e.g. behaviour.migration.beta_income)', `"${rawPath}"`);
  }
  return { spec, path, kind: 'behaviour', lo, hi, boolean: false };
}

/** The scenario with factor values set. */
function withValues(sc: Scenario, factors: Factor[], values: number[]): Scenario {
  const out = structuredClone(sc);
  factors.forEach((f, i) => {
    const v = f.boolean ? values[i] >= 0.5 : values[i];
    if (f.kind === 'lever') (out.levers as Record<string, Record<string, unknown>>)[f.path[0]][f.path[1]] = v;
    else {
      let node = out as unknown as Record<string, unknown>;
      for (const k of f.path) node = node[k] as Record<string, unknown>;
      node.value = v;
    }
  });
  return out;
}

/** plan.json of a sweep folder: the resolved scenario, the factors, the design and the outcomes, fixed when it starts. */
interface SweepPlan extends PlanHeader {
  command: 'sweep'; file: string; scenario: Scenario; factors: Factor[]; design: 'lhs' | 'sobol';
  /** Design points asked for (a Sobol design runs samples x (factors + 2) points). */
  samples: number;
  /** Runs per design point. */
  runs: number;
  /** What is kept of each run: `metric.region.year` and its indices in the run's values. */
  outcomes: Outcome[];
}
interface Outcome { id: string; m: number; g: number; y: number }

/**
 * Runs the sweep, or completes a sweep folder with --resume. Each run's outcomes are stored as it
 * finishes (runs/NNNNNN.f64, NNNNNN = sample x runs + run), so an interrupted sweep loses only the
 * runs in flight. Returns the exit code: 0; 1 if a run failed (nothing is ranked; --resume tries
 * them again); 2 for a user's mistake (thrown); 130 or 143 if interrupted by SIGINT or SIGTERM,
 * after printing the command that completes the folder.
 */
export async function sweepCommand(file: string | undefined, opts: SweepOptions, log: (s: string) => void): Promise<number> {
  return interruptible(async (stop) => {
    let plan: SweepPlan;
    if (opts.resume !== undefined) {
      refuseWithResume(opts, file === undefined ? [] : [file], ['runs', 'seed', 'scale', 'out', 'force', 'vary', 'design', 'samples']);
      plan = readPlan<SweepPlan>(opts.resume, 'sweep', engineVersion().version);
    } else {
      if (file === undefined) throw userError({ code: 'invalid_flag', path: 'sweep', expected: 'a scenario file, or --resume DIR', found: 'neither' });
      plan = planSweep(file, opts);
    }
    const jobs = pointCount(plan) * plan.runs;
    checkMemory(plan.scenario, Math.min(opts.workers ?? availableParallelism(), jobs), undefined, jobs, 0);
    let out = opts.resume;
    if (out === undefined) {
      out = opts.out ?? join('results', `sweep-${plan.scenario.name}`);
      const text = JSON.stringify(plan, null, 2) + '\n';
      createResultsFolder(out, 'sweep', { 'plan.json': text }, opts.force ?? false);
      plan = JSON.parse(text) as SweepPlan; // as --resume reads it: both paths run the very same design
    }
    return sweepInto(out, plan, opts, log, stop);
  });
}

/** Design points of a plan: the samples, times (factors + 2) for Sobol (Saltelli's arrangement). */
const pointCount = (p: Pick<SweepPlan, 'design' | 'samples' | 'factors'>): number => p.samples * (p.design === 'sobol' ? p.factors.length + 2 : 1);

/** Checks the command line against the scenario and fixes what the sweep will do. */
function planSweep(file: string, opts: SweepOptions): SweepPlan {
  const { sc, targets } = setupScenario(file, { seed: opts.seed, scale: opts.scale });
  const runs = opts.runs ?? 1;
  if (!opts.vary?.length) throw userError({ code: 'invalid_flag', path: '--vary', expected: 'at least one PATH=LO..HI', found: 'none' });
  const factors = opts.vary.map((v) => parseFactor(v, sc));
  const design = opts.design ?? 'lhs';
  if (design !== 'lhs' && design !== 'sobol') throw userError({ code: 'invalid_flag', path: '--design', expected: 'lhs or sobol', found: `"${design}"` });
  const k = factors.length;
  if (design === 'sobol' && 2 * k > SOBOL_MAX_DIM) throw userError({ code: 'invalid_flag', path: '--vary', expected: `at most ${SOBOL_MAX_DIM / 2 | 0} factors with the Sobol design`, found: String(k) });
  // Each factor's extremes must make a valid scenario (a behavioural parameter may have a narrower range than asked).
  const problems: Problem[] = [];
  for (const f of factors) for (const v of [f.lo, f.hi]) {
    const r = Scenario.safeParse(withValues(sc, [f], [v]));
    if (!r.success) problems.push({ code: 'invalid_flag', path: '--vary', expected: `a range the scenario accepts for ${f.path.join('.')}`, found: `${v}: ${r.error.issues[0]?.message}` });
  }
  if (problems.length) throw new UserError(problems);
  const samples = opts.samples ?? (design === 'lhs' ? 50 : 32);
  const points = pointCount({ design, samples, factors });
  if (points * runs > MAX_RUNS) {
    throw userError({ code: 'too_many_runs', path: '--samples', expected: `a sweep of at most ${MAX_RUNS} runs in all (--samples${design === 'sobol' ? ' x (factors + 2)' : ''} x --runs)`, found: `${samples}${design === 'sobol' ? ` x ${k + 2}` : ''} x ${runs} = ${points * runs}` });
  }
  const shape = { years: calendarOf(sc).years };
  const year = Math.min(2025, sc.time.end_year);
  const outcomes: Outcome[] = [];
  const addOutcome = (metric: string, region: string, yr: number) => {
    const m = METRICS.findIndex((x) => x.id === metric), g = (REGIONS as readonly string[]).indexOf(region), y = shape.years.indexOf(yr);
    const id = `${metric}.${region}.${yr}`;
    if (m >= 0 && g >= 0 && y >= 0 && !outcomes.some((o) => o.id === id)) outcomes.push({ id, m, g, y });
  };
  addOutcome('urbanization_rate', 'shanxi', year);
  addOutcome('hukou_urbanization_rate', 'shanxi', year);
  for (const t of targets.targets) if (t.modelled) addOutcome(t.metric, t.region, t.year);
  return { format: 1, command: 'sweep', engine: engineVersion(), file, scenario: sc, factors, design, samples, runs, outcomes };
}

/** Runs the design points' runs that have no stored outcomes, then ranks the factors. */
async function sweepInto(out: string, plan: SweepPlan, opts: SweepOptions, log: (s: string) => void, stop: AbortSignal): Promise<CommandResult> {
  const { scenario: sc, factors, design, samples: n, runs, outcomes } = plan;
  const k = factors.length;
  const unit = design === 'lhs' ? latinHypercube(n, k, sc.seed) : saltelli(n, k);
  const points = unit.map((u) => u.map((x, i) => factors[i].lo + x * (factors[i].hi - factors[i].lo)));
  const behaviourVaries = factors.some((f) => f.kind === 'behaviour');
  const variants: Variant[] = points.map((p) => {
    const s = withValues(sc, factors, p);
    return { levers: leverTables(s), scenario: behaviourVaries ? s : undefined };
  });
  const shape = { years: calendarOf(sc).years };
  const jobId = (job: Job) => (job.variant - 1) * runs + job.run;
  const stored = new Set(storedRuns(out));
  const jobs: Job[] = [];
  for (let s = 0; s < points.length; s++) for (let r = 0; r < runs; r++) jobs.push({ run: r, variant: s + 1 });
  const pending = jobs.filter((j) => !stored.has(jobId(j)));
  const failed: string[] = [];
  const bar = progress(jobs.length, jobs.length - pending.length, opts.quiet ?? false);
  const t0 = performance.now();
  let ended: 'done' | 'interrupted';
  try {
    ended = await runUntilStopped({ scenario: sc, levers: leverTables(sc), variants, jobs: pending }, opts.workers ?? availableParallelism(), {
      onResult(job, _seed, v) { writeRunValues(out, jobId(job), Float64Array.from(outcomes, (o) => v[obsIndex(shape, o.m, o.g, o.y)])); bar.tick(); },
      onFailed(job, seed, error) { failed.push(`sample ${job.variant - 1} run ${job.run} (seed ${seed}): ${error}`); bar.tick(); },
    }, stop);
  } finally {
    bar.stop();
  }
  if (ended === 'interrupted') { log(interruptedMessage('sweep', out, storedRuns(out).length, jobs.length)); return 'interrupted'; }
  if (failed.length) {
    for (const f of failed) log(`failed: ${f}`);
    log(`${failed.length} runs of the sweep failed; nothing ranked. Try them again with: ${resumeCommand('sweep', out)}`);
    return 1;
  }
  const values = points.map((_, s) => Array.from({ length: runs }, (_, r) => [...readRunValues(out, s * runs + r)])); // [sample][run][outcome]

  const fmtName = (f: Factor) => f.path.join('.');
  const rows = ['sample,run,' + [...factors.map(fmtName), ...outcomes.map((o) => o.id)].join(',')];
  points.forEach((p, s) => values[s].forEach((vals, r) => rows.push([s, r, ...p.map((x, i) => (factors[i].boolean ? Number(x >= 0.5) : x)), ...vals].join(','))));
  writeFileAtomic(join(out, 'samples.csv'), rows.join('\n') + '\n');
  const sampleMean = (o: number) => values.map((runsOf) => runsOf.reduce((a, v) => a + v[o], 0) / runsOf.length);
  const sens = ['outcome,factor,method,estimate,low,high'];
  const summary: Record<string, unknown>[] = [];
  outcomes.forEach((o, oi) => {
    const y = sampleMean(oi);
    let ranked: { factor: string; index: Estimate; total?: Estimate }[];
    if (design === 'lhs') {
      const { coefficients, r2 } = regressionIndices(points, y, sc.seed);
      coefficients.forEach((c, i) => sens.push([o.id, fmtName(factors[i]), 'src', c.estimate, c.low, c.high].join(',')));
      sens.push([o.id, '', 'r2', r2, '', ''].join(','));
      ranked = coefficients.map((c, i) => ({ factor: fmtName(factors[i]), index: c }));
      summary.push({ outcome: o.id, method: 'src', r2, factors: ranked });
    } else {
      const { first, total } = sobolIndices(y, n, k, sc.seed);
      first.forEach((c, i) => sens.push([o.id, fmtName(factors[i]), 'sobol_first', c.estimate, c.low, c.high].join(',')));
      total.forEach((c, i) => sens.push([o.id, fmtName(factors[i]), 'sobol_total', c.estimate, c.low, c.high].join(',')));
      ranked = first.map((c, i) => ({ factor: fmtName(factors[i]), index: c, total: total[i] }));
      summary.push({ outcome: o.id, method: 'sobol', factors: ranked });
    }
  });
  writeFileAtomic(join(out, 'sensitivity.csv'), sens.join('\n') + '\n');
  writeFileAtomic(join(out, 'sweep.json'), JSON.stringify({ engine: engineVersion(), scenario: sc.name, seed: sc.seed, scale: sc.scale, design, samples: points.length, runs_per_sample: runs, factors: factors.map((f) => ({ path: fmtName(f), kind: f.kind, lo: f.lo, hi: f.hi })), outcomes: summary }, null, 2) + '\n');
  log(`${sc.name}: ${design} sweep, ${points.length} samples x ${runs} runs over ${k} factors, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const s of summary.slice(0, 2)) log('\n' + rankingTable(s as { outcome: string; method: string; factors: { factor: string; index: Estimate; total?: Estimate }[] }));
  log(`\nreport: ${await writeReport(out)}`);
  log(`results: ${out}`);
  return 0;
}

/** Factors ranked by the size of their index for one outcome. */
function rankingTable(s: { outcome: string; method: string; factors: { factor: string; index: Estimate; total?: Estimate }[] }): string {
  const f = (e: Estimate) => `${e.estimate.toFixed(3)} (${e.low.toFixed(3)} .. ${e.high.toFixed(3)})`;
  const head = s.method === 'src' ? ['factor', 'SRC (90%)'] : ['factor', 'first-order S (90%)', 'total ST (90%)'];
  const rows = [...s.factors].sort((a, b) => Math.abs(b.total?.estimate ?? b.index.estimate) - Math.abs(a.total?.estimate ?? a.index.estimate));
  return `${s.outcome}\n` + render([head, ...rows.map((r) => (r.total ? [r.factor, f(r.index), f(r.total)] : [r.factor, f(r.index)]))]);
}
