/**
 * `urbanize discover DIR --target T`: scenario discovery on a finished sweep folder. Each run of
 * the sweep (a row of samples.csv) is a point: its factors' values and, when the scenario draws
 * behavioural parameters from a posterior, the values of the set the run drew. A run is a case of
 * interest when it misses the target (or meets it, with --met; or falls below or above a value).
 * PRIM (results/prim.ts) finds the boxes of conditions where the cases concentrate. Writes
 * prim.json, prim_trajectory.csv, prim_boxes.csv and prim_cases.csv (results/prim-files.ts) into
 * the folder, replacing those of an earlier discovery, and rewrites report.html with its section.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '../core/errors.js';
import { writeFileAtomic } from '../results/atomic.js';
import { meets } from '../results/attainment.js';
import { jsonText, planCommandOf, type SweepPlan } from '../results/documents.js';
import { FILES, readSamples } from '../results/format.js';
import { prim, type PrimData, type PrimOptions } from '../results/prim.js';
import {
  BOXES_CSV,
  boxRows,
  boxSummaries,
  CASES_CSV,
  caseRows,
  optionsJson,
  POSTERIOR_NOTE,
  PRIM_FILES,
  TRAJECTORY_CSV,
  trajectoryRows,
  type CaseDefinition,
  type PrimJson,
} from '../results/prim-files.js';
import type { Log } from './log.js';

/** The flags of `urbanize discover` (as commander gives them: text). */
export interface DiscoverOptions {
  target?: string;
  met?: boolean;
  below?: string;
  above?: string;
  targets?: string;
  factors?: string;
  alpha?: string;
  minMass?: string;
  threshold?: string;
  boxes?: string;
  box?: string;
  paste?: boolean;
}

/** A number flag within (lo, hi] or [lo, hi), else a UserError naming it. */
function numberFlag(v: string | undefined, flag: string, dflt: number, ok: (x: number) => boolean, expected: string): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !ok(x)) throw userError({ code: 'invalid_flag', path: flag, expected, found: `"${v}"` });
  return x;
}

/** The search's options from the flags. */
export function primOptions(o: DiscoverOptions): PrimOptions {
  const whole = (x: number) => Number.isInteger(x);
  return {
    alpha: numberFlag(o.alpha, '--alpha', 0.05, (x) => x > 0 && x < 0.5, 'a share of the points per peel, above 0 and below 0.5 (default 0.05)'),
    minMass: numberFlag(o.minMass, '--min-mass', 0.05, (x) => x > 0 && x < 1, 'the least share of all runs a box keeps, above 0 and below 1 (default 0.05)'),
    threshold: numberFlag(o.threshold, '--threshold', 0.8, (x) => x > 0 && x <= 1, 'the density the selected box reaches, above 0 and at most 1 (default 0.8)'),
    boxes: numberFlag(o.boxes, '--boxes', 1, (x) => whole(x) && x >= 1 && x <= 10, 'a whole number of boxes from 1 to 10 (default 1)'),
    step: o.box === undefined ? undefined : numberFlag(o.box, '--box', 0, (x) => whole(x) && x >= 0, 'a step of the peeling trajectory: a whole number >= 0'),
    paste: o.paste ?? false,
  };
}

/** Reads the folder's plan, refusing anything but a finished sweep folder. */
function readSweepFolder(dir: string): SweepPlan {
  if (planCommandOf(dir) !== 'sweep')
    throw userError({
      code: 'file',
      file: dir,
      path: 'DIR',
      expected: 'a sweep results folder (urbanize sweep)',
      found: existsSync(dir) ? 'another folder' : 'no such folder',
    });
  if (!existsSync(join(dir, FILES.samples)))
    throw userError({
      code: 'file',
      file: join(dir, FILES.samples),
      path: 'DIR',
      message: `the sweep is not finished (complete it with: urbanize sweep --resume ${dir})`,
      expected: 'a finished sweep folder with samples.csv',
      found: 'no samples.csv',
    });
  return JSON.parse(readFileSync(join(dir, FILES.plan), 'utf8')) as SweepPlan;
}

/** The targets of the plan, from --targets or the file the sweep's scenario names (loaded only when needed). */
async function planTargets(plan: SweepPlan, file: string | undefined) {
  const { loadTargets } = await import('../results/targets.js');
  if (file !== undefined) return loadTargets(file).targets;
  const { loadScenario } = await import('../scenario/scenario.js');
  return loadTargets(loadScenario(plan.file).targetsFile).targets;
}

/** What a case of interest is, from --target and --met, --below or --above. */
async function caseDefinition(plan: SweepPlan, columns: string[], o: DiscoverOptions): Promise<CaseDefinition> {
  const outcomes = plan.outcomes.map((x) => x.id);
  if (o.target === undefined)
    throw userError({
      code: 'invalid_flag',
      path: '--target',
      expected: `a target id of the plan or an outcome of samples.csv (${outcomes.join(', ')})`,
      found: 'none',
    });
  if (o.below !== undefined && o.above !== undefined)
    throw userError({ code: 'invalid_flag', path: '--below', expected: 'one of --below and --above', found: 'both' });
  const explicit = o.below ?? o.above;
  if (explicit !== undefined) {
    const flag = o.below !== undefined ? '--below' : '--above';
    if (o.met)
      throw userError({
        code: 'invalid_flag',
        path: '--met',
        expected: `--met without ${flag} (${flag} says itself which runs are the cases)`,
        found: '--met',
      });
    const value = numberFlag(explicit, flag, 0, () => true, 'a number');
    if (!columns.includes(o.target) || !outcomes.includes(o.target))
      throw userError({
        code: 'invalid_flag',
        path: '--target',
        expected: `with ${flag}, an outcome of samples.csv (${outcomes.join(', ')})`,
        found: `"${o.target}"`,
      });
    const kind = o.below !== undefined ? 'below' : 'above';
    return { outcome: o.target, kind, comparator: kind === 'below' ? '<' : '>', value, label: `${o.target} ${kind === 'below' ? '<' : '>'} ${value}` };
  }
  const targets = (await planTargets(plan, o.targets)).filter((t) => t.modelled);
  const t = targets.find((x) => x.id === o.target || `${x.metric}.${x.region}.${x.year}` === o.target);
  const outcome = t && `${t.metric}.${t.region}.${t.year}`;
  if (!t || !outcome || !columns.includes(outcome))
    throw userError({
      code: 'invalid_flag',
      path: '--target',
      expected: `a modelled target of the plan whose outcome the sweep kept (${targets
        .filter((x) => columns.includes(`${x.metric}.${x.region}.${x.year}`))
        .map((x) => x.id)
        .join(', ')}), or an outcome with --below or --above`,
      found: `"${o.target}"`,
    });
  const kind = o.met ? 'met' : 'missed';
  const ask = `${t.comparator} ${t.value}${t.comparator === 'about' ? ` ± ${(t.tolerance ?? 0) * 100}%` : ''}`;
  return {
    outcome,
    target: t.id,
    kind,
    comparator: t.comparator,
    value: t.value,
    tolerance: t.tolerance,
    label: `${outcome} ${kind === 'met' ? 'meets' : 'misses'} ${ask} (target ${t.id})`,
  };
}

/** Whether a value is a case of interest. */
const isCase = (c: CaseDefinition, v: number): boolean => {
  if (c.kind === 'below') return v < c.value;
  if (c.kind === 'above') return v > c.value;
  const met = meets({ comparator: c.comparator as '>=', value: c.value, tolerance: c.tolerance }, v);
  return c.kind === 'met' ? met : !met;
};

/** The points: the sweep's factors and the posterior's parameters, by --factors; constant ones apart. */
function dimensions(plan: SweepPlan, rows: Record<string, number>[], which: string) {
  if (!['all', 'sweep', 'posterior'].includes(which))
    throw userError({
      code: 'invalid_flag',
      path: '--factors',
      expected: 'all, sweep (the varied factors) or posterior (the parameters of the set each run drew)',
      found: `"${which}"`,
    });
  const cols: { name: string; values: Float64Array }[] = [];
  if (which !== 'posterior') for (const f of plan.factors) cols.push({ name: f.path.join('.'), values: Float64Array.from(rows, (r) => r[f.path.join('.')]) });
  const post = plan.posterior;
  if (which !== 'sweep' && post && rows.length && 'param_set' in rows[0])
    post.parameters.forEach((p, j) => cols.push({ name: `behaviour.${p}`, values: Float64Array.from(rows, (r) => post.sets[r.param_set][j]) }));
  if (which === 'posterior' && !cols.length)
    throw userError({
      code: 'invalid_flag',
      path: '--factors',
      expected: 'a sweep of a scenario with a posterior, for "posterior"',
      found: 'a sweep without one',
    });
  const varies = (v: Float64Array) => v.some((x) => x !== v[0]);
  const sets = post && which !== 'sweep' ? new Set(rows.map((r) => r.param_set)).size : 0;
  return { kept: cols.filter((c) => varies(c.values)), constant: cols.filter((c) => !varies(c.values)).map((c) => c.name), sets };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(4)).toString());

/** Runs the discovery on sweep folder `dir`; returns the exit code (0). A user's mistake is thrown. */
export async function discover(dir: string, o: DiscoverOptions, log: Log): Promise<number> {
  const options = primOptions(o);
  const plan = readSweepFolder(dir);
  const all = readSamples(dir);
  const columns = all.length ? Object.keys(all[0]) : [];
  const c = await caseDefinition(plan, columns, o);
  // A run without a value of the outcome (a rate of an empty region, say) is neither met nor missed: left out.
  const rows = all.filter((r) => Number.isFinite(r[c.outcome]));
  const { kept, constant, sets } = dimensions(plan, rows, o.factors ?? 'all');
  if (!kept.length) throw userError({ code: 'invalid_flag', path: '--factors', expected: 'factors whose values differ between runs', found: 'none' });
  const values = rows.map((r) => r[c.outcome]);
  const interest = Uint8Array.from(values, (v) => Number(isCase(c, v)));
  const H = interest.reduce((a, v) => a + v, 0);
  if (H === 0 || H === rows.length)
    throw userError({
      code: 'no_contrast',
      path: '--target',
      message: `${H === 0 ? 'no' : 'every'} run of the sweep is a case of interest (${c.label}): there is nothing to tell apart`,
      expected: 'some runs that are cases of interest and some that are not',
      found: `${H} of ${rows.length}`,
    });
  const names = kept.map((k) => k.name);
  const data: PrimData = { names, columns: kept.map((k) => k.values), interest };
  const r = prim(data, options);
  const last = r.boxes[0].trajectory.length - 1;
  if (options.step !== undefined && options.step > last)
    throw userError({ code: 'invalid_flag', path: '--box', expected: `a step of the peeling trajectory, 0 to ${last}`, found: String(options.step) });
  const json: PrimJson = {
    case: c,
    options: optionsJson(options),
    factors: names,
    constant,
    posterior_sets: sets,
    points: r.n,
    cases: r.nInterest,
    boxes: boxSummaries(r, names),
  };
  const keys = rows.map((row, i) => ({ sample: row.sample, run: row.run, value: values[i] }));
  writeFileAtomic(join(dir, PRIM_FILES.trajectory), TRAJECTORY_CSV.text(trajectoryRows(r, names)));
  writeFileAtomic(join(dir, PRIM_FILES.boxes), BOXES_CSV.text(boxRows(r, names)));
  writeFileAtomic(join(dir, PRIM_FILES.cases), CASES_CSV.text(caseRows(keys, interest, data.columns, r)));
  writeFileAtomic(join(dir, PRIM_FILES.json), jsonText(json));
  log(
    `${c.label}: ${H} of ${r.n} runs (${pct(H / r.n)}) are cases of interest; ${names.length} factors${constant.length ? ` (${constant.length} constant, left out)` : ''}`,
  );
  if (sets > 1) log(`note: ${POSTERIOR_NOTE(sets)}`);
  for (const b of json.boxes) {
    const how =
      b.selection === 'user'
        ? 'chosen with --box'
        : b.selection === 'threshold'
          ? `first with density >= ${options.threshold}`
          : `highest density; none reached ${options.threshold}`;
    log(
      `\nbox ${b.box}: step ${b.step} of ${r.boxes[b.box - 1].trajectory.length - 1} (${how}${b.pasted ? ', pasted' : ''}): coverage ${pct(b.coverage)}, density ${pct(b.density)}, mass ${pct(b.mass)} (${b.n_interest} of ${b.n} runs)`,
    );
    if (!b.restricted.length) log('  restricts no factor');
    const w = Math.max(6, ...b.restricted.map((x) => x.factor.length));
    if (b.restricted.length) log(`  ${'factor'.padEnd(w)}  ${'box'.padStart(23)}  ${'range of the runs'.padStart(23)}  quasi-p`);
    for (const x of b.restricted) {
      const j = names.indexOf(x.factor);
      const span = (lo: number, hi: number) => `${num(lo)} .. ${num(hi)}`.padStart(23);
      log(`  ${x.factor.padEnd(w)}  ${span(x.lo, x.hi)}  ${span(r.ranges.lo[j], r.ranges.hi[j])}  ${x.quasi_p.toExponential(1)}`);
    }
  }
  log(`\nfiles: ${Object.values(PRIM_FILES).join(', ')}`);
  log(`report: ${await (await import('../report/index.js')).writeReport(dir)}`);
  return 0;
}
