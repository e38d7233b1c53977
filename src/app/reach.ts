/**
 * `urbanize reach SCENARIO --target T --lever PATH[=LO..HI]` (or `--lever-factor`): what it takes
 * to reach a target. The root finder (results/reach.ts) asks for lever values; each is run here as
 * one batch on worker threads, every value on the same runs (run r: the same seed, agent draws and
 * posterior set), and each run's value of the target's outcome is stored as it finishes
 * (runs/NNNNNN.f64, NNNNNN = point × runs + run). The values the search asks for depend only on
 * the stored outcomes, so `--resume DIR` replays the search, reading what is stored and running the
 * rest, and ends with the same files. Writes reach_runs.csv, reach_points.csv, reach.csv,
 * reach.json and report.html (results/reach-files.ts).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { calendarOf } from '../core/calendar.js';
import { userError } from '../core/errors.js';
import { mean } from '../core/stats.js';
import { drawParameterSet } from '../core/random.js';
import type { Job } from '../batch/protocol.js';
import { checkMemory } from '../engine/memory.js';
import { obsIndex } from '../engine/metrics.js';
import { writeFileAtomic } from '../results/atomic.js';
import { jsonText, readPlan, resumeCommand } from '../results/documents.js';
import { createResultsFolder } from '../results/folder.js';
import { FILES, readRunValues, storedRuns, writeRunValues } from '../results/format.js';
import { pairedInterval, pMeets } from '../results/probability.js';
import { findCrossings, type ReachResult } from '../results/reach.js';
import { crossingRow, REACH_CSV, REACH_FILES, REACH_POINTS_CSV, REACH_RUNS_CSV, type ReachJson, type ReachPlan } from '../results/reach-files.js';
import { engineVersion } from '../results/version.js';
import { leverTables } from '../scenario/schedule.js';
import { interruptedMessage, interruptible, runBatch, type CommandResult } from './batch.js';
import type { Log } from './log.js';
import { mostRuns, planReach, withLever, type ReachOptions } from './reach-plan.js';
import { refuseWithResume } from './run.js';

export type { ReachOptions } from './reach-plan.js';

/** Thrown out of the search when a signal stops a batch, or runs fail. */
class SearchStopped {
  constructor(readonly why: 'interrupted' | 'failed') {}
}

/**
 * Runs the search, or completes a reach folder with `opts.resume`. Returns the exit code: 0; 1 if
 * a run failed (nothing is found; resuming tries it again); 130 or 143 if interrupted, after
 * logging the command that completes the folder. A user's mistake is thrown (a UserError).
 */
export async function reachTarget(file: string | undefined, opts: ReachOptions, log: Log): Promise<number> {
  return interruptible(async (stop) => {
    let plan: ReachPlan;
    let out = opts.resume;
    if (out !== undefined) {
      refuseWithResume(opts, file === undefined ? [] : [file], [
        'runs',
        'seed',
        'scale',
        'out',
        'force',
        'target',
        'lever',
        'leverFactor',
        'levels',
        'grid',
        'steps',
      ]);
      plan = readPlan<ReachPlan>(out, 'reach', engineVersion().version);
    } else {
      if (file === undefined) throw userError({ code: 'invalid_flag', path: 'reach', expected: 'a scenario file, or --resume DIR', found: 'neither' });
      plan = planReach(file, opts);
      checkMemory(plan.scenario, Math.min(opts.workers ?? availableParallelism(), plan.scenario.runs), undefined, plan.scenario.runs, 0);
      out = opts.out ?? join('results', `reach-${plan.scenario.name}-${plan.target.id}`.slice(0, 120));
      const text = jsonText(plan);
      createResultsFolder(out, 'reach', { [FILES.plan]: text }, opts.force ?? false);
      plan = JSON.parse(text) as ReachPlan; // as --resume reads it: both paths search the very same way
    }
    return reachInto(out, plan, opts, log, stop);
  });
}

const num = (x: number) => String(Number(x.toPrecision(4)));
const pct = (p: number) => `${(100 * p).toFixed(1)}%`;

/** Runs (or replays from the stored runs) the search in folder `out`, then writes its files. */
async function reachInto(out: string, plan: ReachPlan, opts: ReachOptions, log: Log, stop: AbortSignal): Promise<CommandResult> {
  const { scenario: sc, lever, target, outcome } = plan;
  const runs = sc.runs;
  const baseLevers = leverTables(sc);
  const shape = { years: calendarOf(sc).years };
  const at = obsIndex(shape, outcome.m, outcome.g, outcome.y);
  const stored = new Set(storedRuns(out));
  const outcomes: number[][] = []; // [point][run]
  const failed: string[] = [];
  const t0 = performance.now();
  const sd = plan.sd ?? undefined;
  log(
    `${sc.name}: what it takes to reach ${target.id} (${outcome.id} ${target.comparator} ${target.value}${plan.sd ? `, discrepancy sd ${num(plan.sd)}` : ''}) with ${lever.path}${lever.mode === 'factor' ? ' (a factor on its schedule)' : ''} over ${num(lever.lo)}..${num(lever.hi)}; ${runs} runs per value, seed ${sc.seed}`,
  );
  const evaluate = async (xs: number[], step: number): Promise<number[][]> => {
    const first = outcomes.length;
    const jobs: Job[] = [];
    xs.forEach((_, i) => {
      for (let r = 0; r < runs; r++) if (!stored.has((first + i) * runs + r)) jobs.push({ run: r, variant: i + 1 });
    });
    if (jobs.length) {
      const ended = await runBatch(
        { scenario: sc, levers: baseLevers, variants: xs.map((x) => ({ levers: leverTables(withLever(sc, lever, x)) })), jobs, posterior: plan.posterior },
        {
          onResult(job, _seed, v) {
            writeRunValues(out, (first + job.variant - 1) * runs + job.run, Float64Array.of(v[at]));
          },
          onFailed(job, seed, error) {
            failed.push(`${lever.path} = ${xs[job.variant - 1]} run ${job.run} (seed ${seed}): ${error}`);
          },
        },
        {
          workers: opts.workers ?? availableParallelism(),
          stop,
          progress: { total: xs.length * runs, done: xs.length * runs - jobs.length, quiet: opts.quiet ?? false },
        },
      );
      if (ended === 'interrupted') throw new SearchStopped('interrupted');
      if (failed.length) throw new SearchStopped('failed');
    }
    const values = xs.map((_, i) => Array.from({ length: runs }, (_, r) => readRunValues(out, (first + i) * runs + r)[0]));
    outcomes.push(...values);
    const ps = values.map((v) => v.map((x) => pMeets(target, x, sd)));
    log(`${step === 0 ? 'grid' : `step ${step}`}: ${xs.map((x, i) => `${num(x)} → P(met) ${pct(mean(ps[i]))}`).join(', ')}`);
    return ps;
  };
  let result: ReachResult;
  try {
    result = await findCrossings(
      { lo: lever.lo, hi: lever.hi, grid: plan.grid, extra: lever.own === null ? [] : [lever.own], steps: plan.steps, levels: plan.levels, seed: sc.seed },
      evaluate,
    );
  } catch (e) {
    if (!(e instanceof SearchStopped)) throw e;
    if (e.why === 'interrupted') {
      log(interruptedMessage('reach', out, storedRuns(out).length, mostRuns(plan, runs)));
      return 'interrupted';
    }
    for (const f of failed) log(`failed: ${f}`);
    log(`${failed.length} runs of the search failed; nothing found. Try them again with: ${resumeCommand('reach', out)}`);
    return 1;
  }
  const json = writeReachFiles(out, plan, result, outcomes);
  log(`\n${reachTable(json, result)}`);
  log(`${result.points.length} values × ${runs} runs, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  log(`\nreport: ${await (await import('../report/index.js')).writeReport(out)}`);
  log(`results: ${out}`);
  return 0;
}

/** Writes reach_runs.csv, reach_points.csv, reach.csv and reach.json; returns reach.json's content. */
function writeReachFiles(out: string, plan: ReachPlan, r: ReachResult, outcomes: number[][]): ReachJson {
  const { scenario: sc, lever, target } = plan;
  const runs = sc.runs;
  const sets = plan.posterior ? Array.from({ length: runs }, (_, i) => drawParameterSet(sc.seed, i, plan.posterior!.weights)) : undefined;
  writeFileAtomic(
    join(out, REACH_FILES.runs),
    REACH_RUNS_CSV.text(
      r.points.flatMap((p) =>
        p.perRun.map((pm, run) => ({ point: p.point, run, param_set: sets?.[run], value: p.x, outcome: outcomes[p.point][run], p_met: pm })),
      ),
    ),
  );
  writeFileAtomic(
    join(out, REACH_FILES.points),
    REACH_POINTS_CSV.text(
      r.summaries.map((s) => ({
        point: s.point,
        step: s.step,
        value: s.x,
        p_met: s.p,
        p_lo: s.lo,
        p_hi: s.hi,
        outcome_mean: mean(outcomes[s.point]),
        runs,
        scenario_setting: s.x === lever.own,
      })),
    ),
  );
  writeFileAtomic(join(out, REACH_FILES.crossings), REACH_CSV.text(r.crossings.map(crossingRow)));
  const byX = (x: number) => r.points.find((p) => p.x === x)!.perRun;
  const d = byX(lever.hi).map((v, i) => v - byX(lever.lo)[i]);
  const [dlo, dhi] = pairedInterval(d);
  const json: ReachJson = {
    engine: engineVersion(),
    scenario: sc.name,
    seed: sc.seed,
    scale: sc.scale,
    runs_per_value: runs,
    target: {
      id: target.id,
      outcome: plan.outcome.id,
      comparator: target.comparator,
      value: target.value,
      tolerance: target.tolerance,
      label: target.label,
      discrepancy_sd: plan.sd,
    },
    lever,
    direction: r.direction,
    endpoint_effect: { diff: mean(d), lo: dlo, hi: dhi },
    values_evaluated: r.points.length,
    runs_in_all: r.points.length * runs,
    crossings: r.crossings,
    posterior_sets: sets ? new Set(sets).size : 0,
  };
  writeFileAtomic(join(out, REACH_FILES.json), jsonText(json));
  return json;
}

/** The console's account: P(met) at every value, then each level's crossing or why there is none. */
export function reachTable(j: ReachJson, r: ReachResult): string {
  const { lever } = j;
  const rows = [...r.summaries].sort((a, b) => a.x - b.x);
  const lines = [`${'value'.padStart(12)}  ${'P(met)'.padStart(7)}  90% interval`];
  for (const s of rows)
    lines.push(`${num(s.x).padStart(12)}  ${pct(s.p).padStart(7)}  ${pct(s.lo)}-${pct(s.hi)}${s.x === lever.own ? '  (the scenario’s own setting)' : ''}`);
  const e = j.endpoint_effect;
  lines.push(
    `P(met) ${j.direction === 1 ? 'rises' : 'falls'} with ${lever.path}${lever.mode === 'factor' ? ' (factor)' : ''}: from ${num(lever.lo)} to ${num(lever.hi)} it changes by ${e.diff >= 0 ? '+' : ''}${(100 * e.diff).toFixed(1)} points (90% ${(100 * e.lo).toFixed(1)}..${(100 * e.hi).toFixed(1)}, paired runs)`,
  );
  const documented = lever.documented[0] === lever.lo && lever.documented[1] === lever.hi;
  const range = `${num(lever.lo)}..${num(lever.hi)}${documented ? ` (the ${lever.mode === 'value' ? "lever's documented range" : 'factors that keep the lever within its documented range'})` : ''}`;
  for (const c of j.crossings) {
    const L = `${Math.round(100 * c.level)}%`;
    if (c.status === 'crossed') {
      const bound = (b: number | null, side: 'low' | 'high') => (b === null ? (side === 'low' ? `below ${num(lever.lo)}` : `beyond ${num(lever.hi)}`) : num(b));
      lines.push(
        `P(met) reaches ${L} at ${lever.path}${lever.mode === 'factor' ? ' factor' : ''} = ${num(c.value!)} (90% interval ${bound(c.low, 'low')} .. ${bound(c.high, 'high')})`,
      );
    } else if (c.status === 'met_throughout') {
      lines.push(`P(met) is at least ${L} over the whole range ${range}: already at ${num(c.value!)}`);
    } else {
      const best = rows.reduce((a, s) => (s.p > a.p ? s : a), rows[0]);
      const wider = documented ? '' : `; the documented range is ${num(lever.documented[0])}..${num(lever.documented[1])}`;
      lines.push(`P(met) does not reach ${L} within ${range}${wider}: at most ${pct(best.p)} (${pct(best.lo)}-${pct(best.hi)}) at ${num(best.x)}`);
    }
  }
  return lines.join('\n');
}
