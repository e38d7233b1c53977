/**
 * What a sweep will do, fixed before it starts: its factors (levers or behavioural parameters with
 * their ranges, checked against the scenario), its design and the outcomes it keeps, as the
 * sweep folder's plan.json records them (SweepPlan).
 */
import { calendarOf } from '../core/calendar.js';
import { UserError, userError, type Problem } from '../core/errors.js';
import { SOBOL_MAX_DIM } from '../batch/design.js';
import { METRICS, REGIONS } from '../engine/metrics.js';
import type { Factor, Outcome, SweepPlan } from '../results/documents.js';
import { minimumSamples } from '../results/sensitivity-checks.js';
import { engineVersion } from '../results/version.js';
import { leverDef } from '../scenario/levers.js';
import { behaviourParameter, withParameters } from '../scenario/parameters.js';
import { MAX_RUNS, Scenario } from '../scenario/schema.js';
import { setupScenario, type RunOptions } from './run.js';

/** Options of a sweep. */
export interface SweepOptions extends RunOptions {
  vary: string[];
  design?: string;
  samples?: number;
}

/** Parses `PATH=LO..HI` against the scenario. */
function parseFactor(spec: string, sc: Scenario): Factor {
  const m = /^([a-z0-9_.]+)=(-?[\d.]+(?:e-?\d+)?)\.\.(-?[\d.]+(?:e-?\d+)?)$/i.exec(spec);
  const bad = (expected: string, found = `"${spec}"`) => userError({ code: 'invalid_flag', path: '--vary', expected, found });
  if (!m) throw bad('PATH=LO..HI, e.g. hukou.openness_county=0.5..1 or behaviour.migration.beta_income=1..2');
  const [, rawPath, loS, hiS] = m;
  const lo = Number(loS),
    hi = Number(hiS);
  if (!(lo < hi)) throw bad('LO below HI');
  const leverPath = rawPath.replace(/^levers\./, '');
  const def = leverDef(leverPath);
  if (def) {
    if (lo < def.min || hi > def.max) throw bad(`a range within ${def.min}..${def.max} for ${leverPath} (${def.unit})`);
    return { spec, path: leverPath.split('.'), kind: 'lever', lo, hi, boolean: def.boolean ?? false };
  }
  const path = rawPath.split('.');
  if (path[0] !== 'behaviour' || behaviourParameter(sc, path.slice(1).join('.')) === undefined) {
    throw bad('a lever (e.g. hukou.openness_county) or a behavioural parameter (e.g. behaviour.migration.beta_income)', `"${rawPath}"`);
  }
  return { spec, path, kind: 'behaviour', lo, hi, boolean: false };
}

/** The scenario with factor values set. */
export function withValues(sc: Scenario, factors: Factor[], values: number[]): Scenario {
  const behaviour = factors.flatMap((f, i) => (f.kind === 'behaviour' ? [{ path: f.path.slice(1).join('.'), v: values[i] }] : []));
  const out = structuredClone(
    withParameters(
      sc,
      behaviour.map((b) => b.path),
      behaviour.map((b) => b.v),
    ),
  );
  factors.forEach((f, i) => {
    if (f.kind === 'lever') (out.levers as Record<string, Record<string, unknown>>)[f.path[0]][f.path[1]] = f.boolean ? values[i] >= 0.5 : values[i];
  });
  return out;
}

/** Design points of a plan: the samples, times (factors + 2) for Sobol (Saltelli's arrangement). */
export const pointCount = (p: Pick<SweepPlan, 'design' | 'samples' | 'factors'>): number => p.samples * (p.design === 'sobol' ? p.factors.length + 2 : 1);

/** Checks the command line against the scenario and fixes what the sweep will do. */
export function planSweep(file: string, opts: SweepOptions): SweepPlan {
  const { sc, targets, posterior } = setupScenario(file, { seed: opts.seed, scale: opts.scale });
  const runs = opts.runs ?? 1;
  if (!opts.vary?.length) throw userError({ code: 'invalid_flag', path: '--vary', expected: 'at least one PATH=LO..HI', found: 'none' });
  const factors = opts.vary.map((v) => parseFactor(v, sc));
  // A parameter the posterior sets for each run cannot also be a factor: the design's value would be overwritten.
  const drawn = factors.filter((f) => f.kind === 'behaviour' && posterior?.parameters.includes(f.path.slice(1).join('.')));
  if (drawn.length)
    throw new UserError(
      drawn.map((f) => ({
        code: 'invalid_flag',
        path: '--vary',
        message: `${f.path.join('.')} is drawn from the scenario's posterior (${posterior!.file}) for each run`,
        expected: 'a factor that is no column of the posterior (or a variant of the scenario with posterior: null)',
        found: `"${f.spec}"`,
      })),
    );
  const design = opts.design ?? 'lhs';
  if (design !== 'lhs' && design !== 'sobol') throw userError({ code: 'invalid_flag', path: '--design', expected: 'lhs or sobol', found: `"${design}"` });
  const k = factors.length;
  if (design === 'sobol' && 2 * k > SOBOL_MAX_DIM)
    throw userError({ code: 'invalid_flag', path: '--vary', expected: `at most ${(SOBOL_MAX_DIM / 2) | 0} factors with the Sobol design`, found: String(k) });
  // Each factor's extremes must make a valid scenario (a behavioural parameter may have a narrower range than asked).
  const problems: Problem[] = [];
  for (const f of factors)
    for (const v of [f.lo, f.hi]) {
      const r = Scenario.safeParse(withValues(sc, [f], [v]));
      if (!r.success)
        problems.push({
          code: 'invalid_flag',
          path: '--vary',
          expected: `a range the scenario accepts for ${f.path.join('.')}`,
          found: `${v}: ${r.error.issues[0]?.message}`,
        });
    }
  if (problems.length) throw new UserError(problems);
  const samples = opts.samples ?? (design === 'lhs' ? 50 : 64);
  const least = minimumSamples(design, k);
  if (samples < least.samples)
    throw userError({
      code: 'invalid_flag',
      path: '--samples',
      message: `a ${design === 'lhs' ? 'Latin-hypercube' : 'Sobol'} sweep of ${k} factor${k === 1 ? '' : 's'} needs at least ${least.samples} samples: ${least.why}`,
      expected: `at least ${least.samples}`,
      found: String(samples),
    });
  const points = pointCount({ design, samples, factors });
  if (points * runs > MAX_RUNS) {
    throw userError({
      code: 'too_many_runs',
      path: '--samples',
      expected: `a sweep of at most ${MAX_RUNS} runs in all (--samples${design === 'sobol' ? ' x (factors + 2)' : ''} x --runs)`,
      found: `${samples}${design === 'sobol' ? ` x ${k + 2}` : ''} x ${runs} = ${points * runs}`,
    });
  }
  const shape = { years: calendarOf(sc).years };
  const year = Math.min(2025, sc.time.end_year);
  const outcomes: Outcome[] = [];
  const addOutcome = (metric: string, region: string, yr: number) => {
    const m = METRICS.findIndex((x) => x.id === metric),
      g = (REGIONS as readonly string[]).indexOf(region),
      y = shape.years.indexOf(yr);
    const id = `${metric}.${region}.${yr}`;
    if (m >= 0 && g >= 0 && y >= 0 && !outcomes.some((o) => o.id === id)) outcomes.push({ id, m, g, y });
  };
  addOutcome('urbanization_rate', 'shanxi', year);
  addOutcome('hukou_urbanization_rate', 'shanxi', year);
  for (const t of targets.targets) if (t.modelled) addOutcome(t.metric, t.region, t.year);
  return { format: 1, command: 'sweep', engine: engineVersion(), file, scenario: sc, posterior, factors, design, samples, runs, outcomes };
}
