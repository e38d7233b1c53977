/**
 * A sweep: a Latin-hypercube or Sobol (Saltelli) design over levers and uncertain behavioural
 * parameters (sweep-design.ts), run as one batch on worker threads (every sample on the same run
 * seeds, so samples differ by their factors, not by noise), then the sensitivity of each outcome
 * to each factor: standardized regression coefficients (lhs) or first-order and total Sobol
 * indices (sobol), with bootstrap intervals. A design too small for its estimators is refused
 * when planned (sweep-design.ts, results/sensitivity-checks.ts); the warnings on noisy indices go
 * to sweep.json, the console and the report. The full sample table is kept (samples.csv) for the
 * user's own analysis. The folder is created with plan.json and keeps each run's outcomes as it
 * finishes, so that resuming completes an interrupted sweep with the same files.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { calendarOf } from '../core/calendar.js';
import { userError } from '../core/errors.js';
import { drawParameterSet } from '../core/random.js';
import { latinHypercube, saltelli } from '../batch/design.js';
import type { Job, Variant } from '../batch/protocol.js';
import { checkMemory } from '../engine/memory.js';
import { obsIndex } from '../engine/metrics.js';
import { leverTables } from '../scenario/schedule.js';
import { writeFileAtomic } from '../results/atomic.js';
import { jsonText, readPlan, resumeCommand, type Factor, type SweepJson, type SweepPlan } from '../results/documents.js';
import { createResultsFolder } from '../results/folder.js';
import { FILES, readRunValues, samplesCsv, SENSITIVITY_CSV, storedRuns, writeRunValues, type SensitivityRow } from '../results/format.js';
import { regressionIndices, sobolIndices } from '../results/sensitivity.js';
import { sensitivityWarnings, WARNINGS_ADVICE, type SweepWarning } from '../results/sensitivity-checks.js';
import { rankingTable } from '../results/table.js';
import { engineVersion } from '../results/version.js';
import { interruptedMessage, interruptible, runBatch, type CommandResult } from './batch.js';
import type { Log } from './log.js';
import { refuseWithResume } from './run.js';
import { planSweep, pointCount, withValues, type SweepOptions } from './sweep-design.js';

export type { SweepOptions } from './sweep-design.js';

/**
 * Runs the sweep, or completes a sweep folder with `opts.resume`. Each run's outcomes are stored
 * as it finishes (runs/NNNNNN.f64, NNNNNN = sample x runs + run), so an interrupted sweep loses
 * only the runs in flight. Returns the exit code: 0; 1 if a run failed (nothing is ranked; resuming
 * tries them again); 130 or 143 if interrupted by SIGINT or SIGTERM, after logging the command that
 * completes the folder. A user's mistake is thrown (a UserError).
 */
export async function sweepScenario(file: string | undefined, opts: SweepOptions, log: Log): Promise<number> {
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
      const text = jsonText(plan);
      createResultsFolder(out, 'sweep', { [FILES.plan]: text }, opts.force ?? false);
      plan = JSON.parse(text) as SweepPlan; // as --resume reads it: both paths run the very same design
    }
    return sweepInto(out, plan, opts, log, stop);
  });
}

const factorName = (f: Factor) => f.path.join('.');

/** Runs the design points' runs that have no stored outcomes, then ranks the factors. */
async function sweepInto(out: string, plan: SweepPlan, opts: SweepOptions, log: Log, stop: AbortSignal): Promise<CommandResult> {
  const { scenario: sc, factors, design, samples: n, runs, outcomes } = plan;
  const posterior = plan.posterior ?? null;
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
  const t0 = performance.now();
  const ended = await runBatch(
    { scenario: sc, levers: leverTables(sc), variants, jobs: pending, posterior },
    {
      onResult(job, _seed, v) {
        writeRunValues(
          out,
          jobId(job),
          Float64Array.from(outcomes, (o) => v[obsIndex(shape, o.m, o.g, o.y)]),
        );
      },
      onFailed(job, seed, error) {
        failed.push(`sample ${job.variant - 1} run ${job.run} (seed ${seed}): ${error}`);
      },
    },
    { workers: opts.workers ?? availableParallelism(), stop, progress: { total: jobs.length, done: jobs.length - pending.length, quiet: opts.quiet ?? false } },
  );
  if (ended === 'interrupted') {
    log(interruptedMessage('sweep', out, storedRuns(out).length, jobs.length));
    return 'interrupted';
  }
  if (failed.length) {
    for (const f of failed) log(`failed: ${f}`);
    log(`${failed.length} runs of the sweep failed; nothing ranked. Try them again with: ${resumeCommand('sweep', out)}`);
    return 1;
  }
  const values = points.map((_, s) => Array.from({ length: runs }, (_, r) => [...readRunValues(out, s * runs + r)])); // [sample][run][outcome]
  // With a posterior, run r of every sample drew set drawParameterSet(seed, r): the column param_set says which.
  const sets = posterior ? Array.from({ length: runs }, (_, r) => [drawParameterSet(sc.seed, r, posterior.weights)]) : undefined;
  const samples = points.flatMap((p, s) =>
    values[s].map((vals, r) => ({
      sample: s,
      run: r,
      values: [...(sets?.[r] ?? []), ...p.map((x, i) => (factors[i].boolean ? Number(x >= 0.5) : x)), ...vals],
    })),
  );
  writeFileAtomic(join(out, FILES.samples), samplesCsv([...(sets ? ['param_set'] : []), ...factors.map(factorName), ...outcomes.map((o) => o.id)], samples));
  const sampleMean = (o: number) => values.map((runsOf) => runsOf.reduce((a, v) => a + v[o], 0) / runsOf.length);
  const sens: SensitivityRow[] = [];
  const summary: SweepJson['outcomes'] = [];
  outcomes.forEach((o, oi) => {
    const y = sampleMean(oi);
    const row = (factor: string, method: string, estimate: number, low?: number, high?: number): SensitivityRow => ({
      outcome: o.id,
      factor,
      method,
      estimate,
      low,
      high,
    });
    if (design === 'lhs') {
      const { coefficients, r2 } = regressionIndices(points, y, sc.seed);
      coefficients.forEach((c, i) => sens.push(row(factorName(factors[i]), 'src', c.estimate, c.low, c.high)));
      sens.push(row('', 'r2', r2));
      summary.push({ outcome: o.id, method: 'src', r2, factors: coefficients.map((c, i) => ({ factor: factorName(factors[i]), index: c })) });
    } else {
      const { first, total } = sobolIndices(y, n, k, sc.seed);
      first.forEach((c, i) => sens.push(row(factorName(factors[i]), 'sobol_first', c.estimate, c.low, c.high)));
      total.forEach((c, i) => sens.push(row(factorName(factors[i]), 'sobol_total', c.estimate, c.low, c.high)));
      summary.push({ outcome: o.id, method: 'sobol', factors: first.map((c, i) => ({ factor: factorName(factors[i]), index: c, total: total[i] })) });
    }
  });
  writeFileAtomic(join(out, FILES.sensitivity), SENSITIVITY_CSV.text(sens));
  const sweep: SweepJson = {
    engine: engineVersion(),
    scenario: sc.name,
    seed: sc.seed,
    scale: sc.scale,
    design,
    samples: points.length,
    runs_per_sample: runs,
    factors: factors.map((f) => ({ path: factorName(f), kind: f.kind, lo: f.lo, hi: f.hi })),
    outcomes: summary,
    warnings: sensitivityWarnings(summary),
  };
  writeFileAtomic(join(out, FILES.sweepJson), jsonText(sweep));
  log(`${sc.name}: ${design} sweep, ${points.length} samples x ${runs} runs over ${k} factors, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  logRankings(summary, sweep.warnings ?? [], log);
  log(`\nreport: ${await (await import('../report/index.js')).writeReport(out)}`);
  log(`results: ${out}`);
  return 0;
}

/** The first two outcomes' rankings with their warnings, then how many warnings the others have. */
function logRankings(summary: SweepJson['outcomes'], warnings: readonly SweepWarning[], log: Log): void {
  const shown = summary.slice(0, 2);
  for (const s of shown) {
    log('\n' + rankingTable(s));
    for (const w of warnings.filter((x) => x.outcome === s.outcome)) log(`warning: ${w.factor ? `${w.factor}: ` : ''}${w.message}`);
  }
  const others = warnings.filter((w) => !shown.some((s) => s.outcome === w.outcome));
  if (others.length) log(`warning: ${others.length} more on the other ${new Set(others.map((w) => w.outcome)).size} outcomes (sweep.json, report.html)`);
  if (warnings.length) log(`${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${WARNINGS_ADVICE}`);
}
