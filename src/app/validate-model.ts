/**
 * Validating the model: runs the baseline (and the uncalibrated scenario beside it) to the last year
 * of the history targets (scenarios/targets/history.yaml) and writes, per target, the observed
 * figure against the runs' median and 90% interval, with z = (median - observed) / tolerance, where
 * tolerance = sqrt(obs_error^2 + discrepancy^2 + the runs' variance). The report goes to a new file
 * (default results/validation-model.md; an existing file is replaced only with --force), never to
 * the tracked docs by default. Its batches stop on SIGINT or SIGTERM like any other; nothing is
 * written then.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { calendarOf, startYearOf } from '../core/calendar.js';
import { userError } from '../core/errors.js';
import { FIT, fixed, formatNumber } from '../core/format.js';
import { quantiles, sampleSd } from '../core/stats.js';
import { baseJobs } from '../batch/pool.js';
import { loadHistory, type HistoryTarget } from '../calibrate/history.js';
import { leverTables } from '../scenario/schedule.js';
import { writeFileAtomic } from '../results/atomic.js';
import { engineVersion } from '../results/version.js';
import { loadScenario } from '../scenario/scenario.js';
import type { Scenario } from '../scenario/schema.js';
import { interruptible, runBatch } from './batch.js';
import type { Log } from './log.js';

/** Options of validate-model. */
export interface ValidateModelOptions {
  baseline?: string;
  prior?: string;
  targets?: string;
  runs?: number;
  scale?: number;
  workers?: number;
  out?: string;
  force?: boolean;
}

/** Per target, the simulated values of every run of `sc`; a failed run is an error. */
async function perRun(sc: Scenario, targets: HistoryTarget[], workers: number, stop: AbortSignal): Promise<number[][] | 'interrupted'> {
  const shape = { years: calendarOf(sc).years };
  const out = targets.map(() => new Array<number>(sc.runs).fill(NaN));
  let failed: Error | undefined;
  const ended = await runBatch(
    { scenario: sc, levers: leverTables(sc), jobs: baseJobs(Array.from({ length: sc.runs }, (_, r) => r)) },
    {
      onResult(job, _s, v) {
        targets.forEach((t, k) => (out[k][job.run] = t.simulate(v, shape)));
      },
      onFailed(job, _s, e) {
        failed ??= new Error(`run ${job.run}: ${e}`);
      },
    },
    { workers, stop },
  );
  if (failed) throw failed;
  return ended === 'interrupted' ? ended : out;
}

/** Writes the validation report; returns 0, or 130/143 when a signal stopped it. */
export async function validateModel(opts: ValidateModelOptions, log: Log): Promise<number> {
  return interruptible((stop) => validateUntil(opts, log, stop));
}

async function validateUntil(opts: ValidateModelOptions, log: Log, stop: AbortSignal): Promise<number | 'interrupted'> {
  const files = { baseline: opts.baseline ?? 'scenarios/shanxi-baseline.yaml', prior: opts.prior ?? 'scenarios/shanxi-2020.yaml' };
  const out = opts.out ?? 'results/validation-model.md';
  if (existsSync(out) && !opts.force)
    throw userError({
      code: 'exists',
      file: out,
      message: `${out} already exists`,
      expected: 'a new file, or --force to replace it',
      found: 'an existing file',
    });
  const base = loadScenario(files.baseline).scenario,
    prior = loadScenario(files.prior).scenario;
  const targets = loadHistory(opts.targets ?? 'scenarios/targets/history.yaml', startYearOf(base));
  const runs = opts.runs ?? 10,
    workers = opts.workers ?? availableParallelism();
  for (const sc of [base, prior]) {
    sc.scale = opts.scale ?? 100;
    sc.runs = runs;
    sc.time.end_year = Math.max(...targets.map((t) => t.lastYear));
  }
  log(`validating: ${runs} runs of ${files.baseline} and of ${files.prior} at scale ${base.scale} against ${targets.length} targets...`);
  const simBase = await perRun(base, targets, workers, stop);
  const simPrior = simBase === 'interrupted' ? simBase : await perRun(prior, targets, workers, stop);
  if (simBase === 'interrupted' || simPrior === 'interrupted') {
    log(`interrupted: the validation stopped before its end; ${out} was not written`);
    return 'interrupted';
  }
  const f = (v: number) => formatNumber(v, FIT);
  const z = (t: HistoryTarget, sims: number[]) => {
    const [med] = quantiles(sims, [0.5]);
    const sd = sims.length > 1 ? sampleSd(sims) : 0;
    return (med - t.observed) / Math.sqrt(t.obsError ** 2 + t.discrepancy ** 2 + sd ** 2);
  };
  const L: string[] = [
    '# Validation of the urbanize model against history',
    '',
    `Written by \`urbanize validate-model\` (src/app/validate-model.ts); engine ${engineVersion().version}; ${runs} runs of each scenario at scale ${base.scale}, master seed ${base.seed}, to the end of ${base.time.end_year}. Targets: ${opts.targets ?? 'scenarios/targets/history.yaml'}. z = (median - observed) / sqrt(obs_error^2 + discrepancy^2 + variance of the runs).`,
    '',
    `| target | observed | ${files.baseline}: median (90% interval) | z | ${files.prior}: median | z |`,
    '|---|---|---|---|---|---|',
  ];
  targets.forEach((t, k) => {
    const [a, m, b] = quantiles(simBase[k], [0.05, 0.5, 0.95]);
    const [mp] = quantiles(simPrior[k], [0.5]);
    L.push(
      `| ${t.label} (${t.unit}) | ${f(t.observed)} | ${f(m)} (${f(a)} .. ${f(b)}) | ${formatNumber(z(t, simBase[k]), fixed(1))} | ${f(mp)} | ${formatNumber(z(t, simPrior[k]), fixed(1))} |`,
    );
  });
  const misses = targets.filter((t, k) => Math.abs(z(t, simBase[k])) > 3);
  L.push('', misses.length ? `Beyond three tolerances: ${misses.map((t) => t.id).join(', ')}.` : 'Every target is within three tolerances.');
  writeFileAtomic(out, L.join('\n') + '\n');
  log(`written: ${out}`);
  return 0;
}
