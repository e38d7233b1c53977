/**
 * Calibration by simulation: Latin-hypercube screening of the free parameters, then Nelder-Mead
 * from the best point, on the unit cube of the parameters' ranges. Each evaluation runs the
 * scenario R times on worker threads, on the same run seeds for every parameter set (common
 * random numbers: the objective moves with the parameters, not with the draws, so the simplex is
 * not chasing noise), and scores the mean simulated rates against the observed ones:
 *   J = sum_k ((mean simulated_k - observed_k) / tolerance_k)^2.
 * The batches run through the caller's `RunJobs` (the application's, which a signal stops): a
 * stopped batch ends the fit with 'interrupted'.
 */
import { latinHypercube } from '../batch/design.js';
import type { BatchHandlers, BatchSpec } from '../batch/pool.js';
import type { Job, Variant } from '../batch/protocol.js';
import { calendarOf } from '../core/calendar.js';
import { leverTables } from '../scenario/schedule.js';
import type { Scenario } from '../scenario/schema.js';
import { spanYears, type CalibrationTarget } from './targets.js';

/** A free parameter: its path under `behaviour` and the range searched. */
export interface FreeParam {
  path: string;
  lo: number;
  hi: number;
}

/** The parameters no statistic gives directly, fitted to history. */
export const FREE_PARAMS: FreeParam[] = [
  { path: 'migration.review_rate_village', lo: 0.02, hi: 0.4 },
  { path: 'migration.beta_income', lo: 0.5, hi: 3 },
  { path: 'migration.move_cost_outside', lo: 1.5, hi: 5 },
  { path: 'migration.review_rate_pool', lo: 0.005, hi: 0.1 },
  { path: 'migration.taiyuan_bonus', lo: -0.5, hi: 1.5 },
  { path: 'settlement.base_rate', lo: 0.005, hi: 0.08 },
  { path: 'labour.separation_rate', lo: 0.01, hi: 0.08 },
  { path: 'labour.job_growth', lo: -0.01, hi: 0.03 },
];

/** Reads a behaviour parameter's value. */
export function getParam(sc: Scenario, path: string): number {
  let node: unknown = sc.behaviour;
  for (const k of path.split('.')) node = (node as Record<string, unknown>)[k];
  return (node as { value: number }).value;
}

/** The scenario with behaviour parameters set (a deep copy). */
export function withParams(sc: Scenario, params: FreeParam[], values: number[]): Scenario {
  const out = structuredClone(sc);
  params.forEach((p, i) => {
    let node = out.behaviour as unknown as Record<string, unknown>;
    const keys = p.path.split('.');
    for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
    (node[keys.at(-1)!] as { value: number }).value = values[i];
  });
  return out;
}

/** One evaluated parameter set. */
export interface Evaluation {
  values: number[];
  simulated: number[];
  objective: number;
}

/** Runs a batch's jobs to the end, or until a signal stops it ('interrupted'). */
export type RunJobs = (spec: BatchSpec, h: BatchHandlers) => Promise<'done' | 'interrupted'>;

/** Settings of a calibration: runs per parameter set, evaluations in all and in the screen, and how batches run. */
export interface FitSettings {
  runs: number;
  run: RunJobs;
  budget: number;
  screen: number;
  onProgress?: (done: number, best: number) => void;
}

/** What a fit found: every evaluation, the best one and the one at the scenario's own values. */
export interface FitResult {
  evaluations: Evaluation[];
  best: Evaluation;
  start: Evaluation;
}

const toValues = (u: number[], params: FreeParam[]) => u.map((x, i) => params[i].lo + Math.min(1, Math.max(0, x)) * (params[i].hi - params[i].lo));

/** Scores simulated means against targets. */
export function objective(targets: CalibrationTarget[], simulated: number[]): number {
  return targets.reduce((s, t, k) => s + ((simulated[k] - t.observed) / t.tolerance) ** 2, 0);
}

/** Runs the scenario for each parameter set (R runs each) and returns the mean simulated targets, or 'interrupted'. */
export async function simulateSets(
  sc: Scenario,
  params: FreeParam[],
  sets: number[][],
  targets: CalibrationTarget[],
  runs: number,
  run: RunJobs,
): Promise<number[][] | 'interrupted'> {
  const shape = { years: calendarOf(sc).years },
    span = spanYears(shape);
  const variants: Variant[] = sets.map((v) => {
    const s = withParams(sc, params, v);
    return { scenario: s, levers: leverTables(s) };
  });
  const jobs: Job[] = [];
  for (let v = 0; v < sets.length; v++) for (let r = 0; r < runs; r++) jobs.push({ run: r, variant: v + 1 });
  const sums = sets.map(() => new Array<number>(targets.length).fill(0));
  const errors: string[] = [];
  const ended = await run(
    { scenario: sc, levers: leverTables(sc), variants, jobs },
    {
      onResult(job, _seed, values) {
        targets.forEach((t, k) => (sums[job.variant - 1][k] += t.simulate(values, shape, span) / runs));
      },
      onFailed(job, _seed, error) {
        errors.push(`set ${job.variant - 1} run ${job.run}: ${error}`);
      },
    },
  );
  if (ended === 'interrupted') return ended;
  if (errors.length) throw new Error(`calibration runs failed: ${errors.join('; ')}`);
  return sums;
}

/** Stops a fit whose batch a signal stopped. */
class Stopped extends Error {}

/** Fits `params` of `sc` to `targets`; returns every evaluation and the best one, or 'interrupted'. */
export async function fit(sc: Scenario, params: FreeParam[], targets: CalibrationTarget[], s: FitSettings): Promise<FitResult | 'interrupted'> {
  try {
    return await search(sc, params, targets, s);
  } catch (err) {
    if (err instanceof Stopped) return 'interrupted';
    throw err;
  }
}

/** Latin-hypercube screening, then Nelder-Mead (fit); a stopped batch throws Stopped out of the search. */
async function search(sc: Scenario, params: FreeParam[], targets: CalibrationTarget[], s: FitSettings): Promise<FitResult> {
  const evaluations: Evaluation[] = [];
  const evaluate = async (units: number[][]): Promise<Evaluation[]> => {
    const sets = units.map((u) => toValues(u, params));
    const sims = await simulateSets(sc, params, sets, targets, s.runs, s.run);
    if (sims === 'interrupted') throw new Stopped();
    const out = sets.map((values, i) => ({ values, simulated: sims[i], objective: objective(targets, sims[i]) }));
    evaluations.push(...out);
    s.onProgress?.(evaluations.length, Math.min(...evaluations.map((e) => e.objective)));
    return out;
  };
  // The starting values (the scenario's own), then a Latin-hypercube screen of the ranges.
  const startUnit = params.map((p) => (getParam(sc, p.path) - p.lo) / (p.hi - p.lo));
  const screen = await evaluate([startUnit, ...latinHypercube(s.screen, params.length, sc.seed)]);
  const start = screen[0];
  // Nelder-Mead from the best screened point, with a simplex of side 0.1 in the unit cube.
  const unitOf = (e: Evaluation) => e.values.map((v, i) => (v - params[i].lo) / (params[i].hi - params[i].lo));
  const best0 = screen.reduce((a, b) => (b.objective < a.objective ? b : a));
  const x0 = unitOf(best0);
  let simplex = [x0, ...params.map((_, i) => x0.map((v, j) => (j === i ? (v + 0.1 <= 1 ? v + 0.1 : v - 0.1) : v)))];
  let scores = [best0.objective, ...(await evaluate(simplex.slice(1))).map((e) => e.objective)];
  const clamp = (x: number[]) => x.map((v) => Math.min(1, Math.max(0, v)));
  const one = async (x: number[]) => (await evaluate([x]))[0].objective;
  while (evaluations.length < s.budget) {
    const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
    simplex = order.map((i) => simplex[i]);
    scores = order.map((i) => scores[i]);
    const n = params.length,
      worst = simplex[n];
    const centroid = simplex[0].map((_, j) => simplex.slice(0, n).reduce((a, p) => a + p[j], 0) / n);
    const along = (t: number) => clamp(centroid.map((c, j) => c + t * (worst[j] - c)));
    const xr = along(-1),
      fr = await one(xr);
    if (fr < scores[0]) {
      const xe = along(-2),
        fe = await one(xe);
      [simplex[n], scores[n]] = fe < fr ? [xe, fe] : [xr, fr];
    } else if (fr < scores[n - 1]) {
      [simplex[n], scores[n]] = [xr, fr];
    } else {
      const xc = along(fr < scores[n] ? -0.5 : 0.5),
        fc = await one(xc);
      if (fc < Math.min(fr, scores[n])) [simplex[n], scores[n]] = [xc, fc];
      else {
        // Shrink towards the best vertex.
        simplex = simplex.map((p, i) => (i === 0 ? p : clamp(p.map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j])))));
        const ev = await evaluate(simplex.slice(1));
        scores = [scores[0], ...ev.map((e) => e.objective)];
      }
    }
    if (Math.max(...scores) - Math.min(...scores) < 1e-3) break;
  }
  const best = evaluations.reduce((a, b) => (b.objective < a.objective ? b : a));
  return { evaluations, best, start };
}
