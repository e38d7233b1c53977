/**
 * What a reach search will do, fixed before it starts (ReachPlan, the folder's plan.json): the
 * target, the lever and its range (checked against the lever's documented range), the levels, the
 * grid, the bisection steps and the runs per value.
 */
import { calendarOf } from '../core/calendar.js';
import { formatProblem, UserError, userError, type Problem } from '../core/errors.js';
import { METRICS, REGIONS } from '../engine/metrics.js';
import { discrepancySd } from '../results/probability.js';
import type { ReachLever, ReachPlan } from '../results/reach-files.js';
import { engineVersion } from '../results/version.js';
import { leverDef, type LeverPath } from '../scenario/levers.js';
import { leverTables, type LeverValue } from '../scenario/schedule.js';
import { MAX_RUNS, Scenario } from '../scenario/schema.js';
import { setupScenario, type RunOptions } from './run.js';

/** The flags of `urbanize reach`. */
export interface ReachOptions extends RunOptions {
  target?: string;
  lever?: string;
  leverFactor?: string;
  levels?: string;
  grid?: number;
  steps?: number;
}

/** The most runs a search can take: the grid, the scenario's own setting, one value per level and step; each times the runs per value. */
export const mostRuns = (p: Pick<ReachPlan, 'grid' | 'steps' | 'levels'>, runs: number): number => (p.grid + 1 + p.steps * p.levels.length) * runs;

/** Default levels of P(met) to reach. */
export const DEFAULT_LEVELS = [0.5, 0.8];

type Levers = Record<string, Record<string, LeverValue>>;

/** The scenario with the lever set to `x` (mode value: one value for the whole simulation) or its schedule times `x` (mode factor). */
export function withLever(sc: Scenario, lever: Pick<ReachLever, 'path' | 'mode'>, x: number): Scenario {
  const out = structuredClone(sc);
  const [g, n] = lever.path.split('.');
  const levers = out.levers as unknown as Levers;
  const v = levers[g][n];
  if (lever.mode === 'value') levers[g][n] = x;
  else if (typeof v === 'number') levers[g][n] = v * x;
  else if (typeof v === 'object' && 'steps' in v) levers[g][n] = { steps: v.steps.map((s) => ({ ...s, value: Number(s.value) * x })) };
  else if (typeof v === 'object' && 'expr' in v) levers[g][n] = { expr: `(${v.expr}) * ${x}` };
  return out;
}

/** The factors f >= 0 that keep f × every value of the lever's table within [min, max]. */
function factorRange(table: Float64Array, min: number, max: number): [number, number] {
  let [lo, hi] = [0, Infinity];
  for (const t of table) {
    if (t > 0) [lo, hi] = [Math.max(lo, min / t), Math.min(hi, max / t)];
    else if (t < 0) [lo, hi] = [Math.max(lo, max / t), Math.min(hi, min / t)];
  }
  return [lo, hi];
}

const NUM = String.raw`-?\d+(?:\.\d*)?(?:e-?\d+)?`;

/** Parses `PATH` or `PATH=LO..HI` of --lever or --lever-factor against the scenario. */
function parseLever(spec: string, mode: ReachLever['mode'], sc: Scenario): ReachLever {
  const flag = mode === 'value' ? '--lever' : '--lever-factor';
  const bad = (expected: string, found = `"${spec}"`, message?: string) => userError({ code: 'invalid_flag', path: flag, expected, found, message });
  const m = new RegExp(`^([a-z0-9_.]+)(?:=(${NUM})\\.\\.(${NUM}))?$`, 'i').exec(spec);
  if (!m) throw bad(`PATH or PATH=LO..HI, e.g. ${mode === 'value' ? 'jobs.extra_job_growth=0..0.05' : 'housing.affordable_rental_units_per_year=0..5'}`);
  const path = m[1].replace(/^levers\./, '');
  const def = leverDef(path);
  if (!def) throw bad('a lever of docs/scenarios.md §4, e.g. hukou.openness_county or jobs.extra_job_growth', `"${m[1]}"`);
  if (def.boolean)
    throw bad(
      'a lever with a numeric value',
      `"${path}", a switch`,
      `${path} is a switch: it has two settings, not a value to find; compare them with urbanize compare`,
    );
  const own = (sc.levers as unknown as Levers)[path.split('.')[0]][path.split('.')[1]];
  let documented: [number, number] = [def.min, def.max];
  if (mode === 'factor') {
    documented = factorRange(leverTables(sc)[path as LeverPath], def.min, def.max);
    if (!Number.isFinite(documented[1]))
      throw bad(
        'a lever whose schedule is not 0 throughout',
        `"${path}", 0 in every month`,
        `${path} is 0 throughout the scenario: a factor on it changes nothing; search its value with --lever ${path}=LO..HI`,
      );
  }
  const [lo, hi] = m[2] === undefined ? documented : [Number(m[2]), Number(m[3])];
  if (!(lo < hi)) throw bad('LO below HI');
  const what = mode === 'value' ? `${path} (${def.unit})` : `the factor on ${path}'s schedule (keeping it within ${def.min}..${def.max})`;
  if (lo < documented[0] || hi > documented[1])
    throw bad(`a range within ${fmt(documented[0])}..${fmt(documented[1])}, the documented range of ${what}`, `${lo}..${hi}`);
  return {
    spec,
    path,
    mode,
    lo,
    hi,
    documented,
    unit: mode === 'value' ? def.unit : `factor on ${def.unit}`,
    own: mode === 'factor' ? 1 : typeof own === 'number' ? own : null,
  };
}

/** A number for a message: at most 6 significant digits. */
const fmt = (x: number) => String(Number(x.toPrecision(6)));

/** The levels of --levels: numbers in (0, 1), comma-separated, sorted, no repeats. */
function parseLevels(v: string | undefined): number[] {
  if (v === undefined) return DEFAULT_LEVELS;
  const xs = v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (!xs.length || xs.some((x) => !(x > 0 && x < 1)) || new Set(xs).size !== xs.length)
    throw userError({
      code: 'invalid_flag',
      path: '--levels',
      expected: 'P(met) levels above 0 and below 1, comma-separated, each once (e.g. 0.5,0.8)',
      found: `"${v}"`,
    });
  return [...xs].sort((a, b) => a - b);
}

/** Checks the command line against the scenario and fixes what the search will do. */
export function planReach(file: string, o: ReachOptions): ReachPlan {
  const { sc, targets, posterior } = setupScenario(file, { seed: o.seed, scale: o.scale, runs: o.runs });
  const modelled = targets.targets.filter((t) => t.modelled && t.year <= sc.time.end_year);
  const target = modelled.find((t) => t.id === o.target || `${t.metric}.${t.region}.${t.year}` === o.target);
  if (!target)
    throw userError({
      code: 'invalid_flag',
      path: '--target',
      expected: `a modelled target of the plan within the scenario's years (${modelled.map((t) => t.id).join(', ')})`,
      found: o.target === undefined ? 'none' : `"${o.target}"`,
    });
  if ((o.lever === undefined) === (o.leverFactor === undefined))
    throw userError({
      code: 'invalid_flag',
      path: '--lever',
      expected: "one of --lever PATH[=LO..HI] (the lever's value) and --lever-factor PATH[=LO..HI] (a factor on its schedule)",
      found: o.lever === undefined ? 'neither' : 'both',
    });
  const lever = o.lever !== undefined ? parseLever(o.lever, 'value', sc) : parseLever(o.leverFactor!, 'factor', sc);
  const flag = lever.mode === 'value' ? '--lever' : '--lever-factor';
  const problems: Problem[] = [];
  for (const x of [lever.lo, lever.hi]) {
    const s = withLever(sc, lever, x);
    const r = Scenario.safeParse(s);
    if (!r.success)
      problems.push({
        code: 'invalid_flag',
        path: flag,
        expected: `a value the scenario accepts`,
        found: `${x}: ${r.error.issues[0]?.message}`,
      });
    else
      try {
        leverTables(s);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        problems.push({
          code: 'invalid_flag',
          path: flag,
          expected: "a value that keeps the lever's schedule within its range",
          found: `${x}: ${e.problems.length ? formatProblem(e.problems[0]) : e.message}`,
        });
      }
  }
  if (problems.length) throw new UserError(problems);
  const levels = parseLevels(o.levels);
  const grid = o.grid ?? 5;
  if (grid < 2) throw userError({ code: 'invalid_flag', path: '--grid', expected: 'at least 2 values (the two ends of the range)', found: String(grid) });
  const steps = o.steps ?? 6;
  const most = mostRuns({ grid, steps, levels }, sc.runs);
  if (most > MAX_RUNS)
    throw userError({
      code: 'too_many_runs',
      path: '--runs',
      expected: `a search of at most ${MAX_RUNS} runs in all ((--grid + 1 + --steps × levels) × --runs)`,
      found: `(${grid} + 1 + ${steps} × ${levels.length}) × ${sc.runs} = ${most}`,
    });
  const shape = { years: calendarOf(sc).years };
  const outcome = {
    id: `${target.metric}.${target.region}.${target.year}`,
    m: METRICS.findIndex((x) => x.id === target.metric),
    g: (REGIONS as readonly string[]).indexOf(target.region),
    y: shape.years.indexOf(target.year),
  };
  const sd = discrepancySd(targets.discrepancy, target.metric, target.region, target.year) ?? null;
  return {
    format: 1,
    command: 'reach',
    engine: engineVersion(),
    file,
    scenario: sc,
    posterior,
    target,
    sd,
    outcome,
    lever,
    levels,
    grid,
    steps,
  };
}
