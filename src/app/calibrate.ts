/**
 * Calibrating: fits the free behavioural parameters to Shanxi's recent history (src/calibrate) and
 * writes the calibrated parameter file that the baseline extends, with the method and the fit in
 * every value's `estimate`, plus calibration.json beside it. Its batches stop on SIGINT or SIGTERM
 * like any other (app/batch.ts); nothing is written then.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { userError } from '../core/errors.js';
import { FIT, fixed, formatNumber } from '../core/format.js';
import { fit, FREE_PARAMS, type RunJobs } from '../calibrate/fit.js';
import { CALIBRATION_TARGETS, type CalibrationTarget } from '../calibrate/targets.js';
import { writeFileAtomic } from '../results/atomic.js';
import { jsonText } from '../results/documents.js';
import { render } from '../results/table.js';
import { loadScenario } from '../scenario/scenario.js';
import type { Scenario } from '../scenario/schema.js';
import { interruptible, runBatch } from './batch.js';
import type { Log } from './log.js';

/** Options of a calibration. */
export interface CalibrateOptions {
  budget?: number;
  runs?: number;
  scale?: number;
  workers?: number;
  out?: string;
  force?: boolean;
  quiet?: boolean;
}

/** The calibration horizon: the census to the end of 2022 (rates over 26 months). */
export const CALIBRATION_END_YEAR = 2022;

/** The scenario as calibration runs it: coarse scale, short horizon. */
export function calibrationScenario(file: string, scale: number): Scenario {
  const sc = loadScenario(file).scenario;
  sc.scale = scale;
  sc.time.end_year = CALIBRATION_END_YEAR;
  return sc;
}

/** How a calibration's batches run: on `workers` threads, until `stop` aborts. */
export const batchesOn =
  (workers: number, stop: AbortSignal): RunJobs =>
  (spec, h) =>
    runBatch(spec, h, { workers, stop });

/** Residuals of an evaluation as a table. */
export function residualTable(targets: CalibrationTarget[], rows: { name: string; sim: number[] }[]): string {
  const f = (v: number) => formatNumber(v, FIT);
  return render([
    ['target', 'observed', ...rows.flatMap((r) => [r.name, 'z'])],
    ...targets.map((t, k) => [t.id, f(t.observed), ...rows.flatMap((r) => [f(r.sim[k]), formatNumber((r.sim[k] - t.observed) / t.tolerance, fixed(1))])]),
  ]);
}

/**
 * Runs the calibration of scenario `file`; returns the exit code: 0, or 130 or 143 when SIGINT or
 * SIGTERM stopped it (nothing is written then). A user's mistake is thrown (a UserError).
 */
export async function calibrate(file: string, opts: CalibrateOptions, log: Log): Promise<number> {
  return interruptible((stop) => calibrateUntil(file, opts, log, stop));
}

/** The calibration, until `stop` aborts one of its batches. */
async function calibrateUntil(file: string, opts: CalibrateOptions, log: Log, stop: AbortSignal): Promise<number | 'interrupted'> {
  const out = opts.out ?? join(dirname(file), 'calibrated.yaml');
  if (existsSync(out) && !opts.force)
    throw userError({
      code: 'exists',
      file: out,
      message: `${out} already exists`,
      expected: 'a new file, or --force to replace it',
      found: 'an existing file',
    });
  const scale = opts.scale ?? 500,
    runs = opts.runs ?? 4,
    budget = opts.budget ?? 150;
  const sc = calibrationScenario(file, scale);
  const t0 = performance.now();
  const r = await fit(sc, FREE_PARAMS, CALIBRATION_TARGETS, {
    runs,
    run: batchesOn(opts.workers ?? availableParallelism(), stop),
    budget,
    screen: Math.max(8, Math.round(budget * 0.4)),
    onProgress:
      opts.quiet || !process.stderr.isTTY ? undefined : (n, best) => process.stderr.write(`\revaluations ${n}/${budget}, best J ${best.toFixed(2)}   `),
  });
  if (!opts.quiet && process.stderr.isTTY) process.stderr.write('\n');
  if (r === 'interrupted') {
    log(`interrupted: the calibration stopped before its end; ${out} was not written`);
    return r;
  }
  const secs = (performance.now() - t0) / 1000;
  const method = `calibrated by \`urbanize calibrate ${basename(file)} --budget ${budget}\`: Latin-hypercube screening then Nelder-Mead, ${r.evaluations.length} parameter sets x ${runs} runs at scale ${scale} on common seeds, fitting the 2020-2022 rates to ${CALIBRATION_TARGETS.length} observed rates (src/calibrate/targets.ts); objective ${formatNumber(r.start.objective, fixed(1))} at the prior values -> ${formatNumber(r.best.objective, fixed(1))}`;
  const behaviour: Record<string, Record<string, { value: number; estimate: string }>> = {};
  FREE_PARAMS.forEach((p, i) => {
    const [group, name] = p.path.split('.');
    (behaviour[group] ??= {})[name] = { value: Number(r.best.values[i].toPrecision(6)), estimate: `${method}; searched ${p.lo}..${p.hi}` };
  });
  const yaml =
    `# Written by \`urbanize calibrate\`; regenerate it rather than edit it (docs/validation.md shows the fit).\n` +
    stringify({ extends: relative(dirname(out), file), behaviour }, { lineWidth: 0 });
  writeFileAtomic(out, yaml);
  const report = {
    command: `urbanize calibrate ${file} --budget ${budget}`,
    scale,
    runs,
    seed: sc.seed,
    evaluations: r.evaluations.length,
    // Wall time on the machine that ran it (metadata for the validation report; not part of the fit).
    seconds: Math.round(secs),
    workers: opts.workers ?? availableParallelism(),
    objective: { start: r.start.objective, best: r.best.objective },
    parameters: FREE_PARAMS.map((p, i) => ({ path: `behaviour.${p.path}`, lo: p.lo, hi: p.hi, start: r.start.values[i], calibrated: r.best.values[i] })),
    targets: CALIBRATION_TARGETS.map((t, k) => ({
      id: t.id,
      observed: t.observed,
      tolerance: t.tolerance,
      start: r.start.simulated[k],
      calibrated: r.best.simulated[k],
      source: t.source,
    })),
  };
  writeFileAtomic(out.replace(/\.ya?ml$/, '') + '.json', jsonText(report));
  log(
    `calibrated ${FREE_PARAMS.length} parameters in ${r.evaluations.length} evaluations (${secs.toFixed(0)} s): objective ${formatNumber(r.start.objective, fixed(1))} -> ${formatNumber(r.best.objective, fixed(1))}`,
  );
  log(
    residualTable(CALIBRATION_TARGETS, [
      { name: 'prior', sim: r.start.simulated },
      { name: 'calibrated', sim: r.best.simulated },
    ]),
  );
  log(
    render([
      ['parameter', 'prior', 'calibrated'],
      ...FREE_PARAMS.map((p, i) => [p.path, String(Number(r.start.values[i].toPrecision(4))), String(Number(r.best.values[i].toPrecision(4)))]),
    ]),
  );
  log(`written: ${out}`);
  return 0;
}
