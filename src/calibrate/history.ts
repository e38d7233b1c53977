/**
 * History as data: the calibration targets, read from a targets file (scenarios/targets/history.yaml)
 * that names series and years of data/observed/*.csv, each with its observation error and its
 * model-discrepancy sd, both stated with how they were estimated. Nothing observed is written here.
 *
 * A target group expands into one target per region and year. Its measure says how the model's
 * yearly observations (engine/metrics.ts) are compared with the figure:
 *  - `level`: a stock at the survey date (1 November of the year, like the census and the sample
 *    surveys), interpolated between the model's year ends; a flow per 12 months of its year;
 *  - `per_mille`: a flow per 12 months over the mean resident population of the year, x 1000;
 *  - `change_per_year`: the observed change between the two `years` per year, against the model's
 *    change between its two `simulated_years` per year (a pace of the past set against the model's).
 */
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { UserError, type Problem } from '../core/errors.js';
import { M, METRICS, REGIONS, obsIndex, type ObsShape } from '../engine/metrics.js';
import { placeOf, readWithExtends, validateWith } from '../scenario/load.js';
import { readObserved, type ObservedTable } from './observed.js';

/** A stated sd: its value in the target's unit and how it was estimated. */
const StatedSd = z.strictObject({ value: z.number().min(0), estimate: z.string().min(10) });
const Year = z.number().int().min(2000).max(2050);

/** One group of targets in the targets file. */
const TargetGroup = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _'),
  label: z.string().min(3),
  metric: z.string().min(1),
  measure: z.enum(['level', 'per_mille', 'change_per_year']),
  regions: z.array(z.string().min(1)).min(1).default(['shanxi']),
  data: z.strictObject({ file: z.string().min(1), series: z.string().min(1) }),
  years: z.array(Year).min(1),
  simulated_years: z.array(Year).length(2).optional(),
  obs_error: StatedSd,
  discrepancy: StatedSd,
});

/** The targets file. */
export const HistoryFile = z.strictObject({ description: z.string().optional(), targets: z.array(TargetGroup).min(1) });

/** A calibration target: one observed figure and how the model's value is read off a run. */
export interface HistoryTarget {
  /** `group.region.year` (the year a change ends in for change_per_year). */
  id: string;
  group: string;
  label: string;
  unit: string;
  observed: number;
  obsError: number;
  discrepancy: number;
  /** The data file (as the targets file names it, resolved), the series and the CSV line(s). */
  data: { file: string; series: string; lines: number[] };
  source: string;
  /** The latest year the model must reach to compute it. */
  lastYear: number;
  simulate(values: Float64Array, shape: ObsShape): number;
}

/** Time (calendar years) of year index y: the census date (1 November of the start year) for 0, else the end of that year. */
const timeOf = (shape: ObsShape, y: number) => (y === 0 ? shape.years[0] + 10 / 12 : shape.years[y] + 1);

/** A stock at 1 November of `year`, interpolated between the year ends around it. */
function stockAt(v: Float64Array, sh: ObsShape, m: number, r: number, year: number): number {
  const t = year + 10 / 12;
  for (let y = 1; y < sh.years.length; y++) {
    const t0 = timeOf(sh, y - 1),
      t1 = timeOf(sh, y);
    if (t <= t1 + 1e-9) {
      const a = v[obsIndex(sh, m, r, y - 1)],
        b = v[obsIndex(sh, m, r, y)];
      return a + ((t - t0) / (t1 - t0)) * (b - a);
    }
  }
  throw new Error(`year ${year} is after the simulated years`);
}

/** A flow of `year` per 12 months (the first simulated year runs from the census, 14 months). */
function flowPerYear(v: Float64Array, sh: ObsShape, m: number, r: number, year: number): number {
  const y = sh.years.indexOf(year);
  if (y < 1) throw new Error(`no flow for year ${year}`);
  return v[obsIndex(sh, m, r, y)] / (timeOf(sh, y) - timeOf(sh, y - 1));
}

/**
 * The model's value of metric m in region r for an observed figure of `year`: a stock at 1
 * November (`level`), a flow per 12 months (`level` of a flow metric) or a flow per 12 months over
 * the year's mean resident population x 1000 (`per_mille`). Shared with the backtest.
 */
export function levelSimulator(measure: 'level' | 'per_mille', m: number, r: number, year: number): HistoryTarget['simulate'] {
  const flow = METRICS[m].flow;
  if (measure === 'level') return flow ? (v, sh) => flowPerYear(v, sh, m, r, year) : (v, sh) => stockAt(v, sh, m, r, year);
  return (v, sh) => {
    const y = sh.years.indexOf(year);
    const pop = (v[obsIndex(sh, M.resident_population, r, y - 1)] + v[obsIndex(sh, M.resident_population, r, y)]) / 2;
    return (1000 * flowPerYear(v, sh, m, r, year)) / pop;
  };
}

/** How the model's value of a target is computed. */
function simulator(g: z.infer<typeof TargetGroup>, m: number, r: number, year: number): HistoryTarget['simulate'] {
  if (g.measure !== 'change_per_year') return levelSimulator(g.measure, m, r, year);
  const [s0, s1] = g.simulated_years!;
  return (v, sh) => (stockAt(v, sh, m, r, s1) - stockAt(v, sh, m, r, s0)) / (s1 - s0);
}

/** A target group of a targets file, as written (before it expands into targets). */
export type HistoryGroup = z.infer<typeof TargetGroup>;

/** The target groups of a targets file, checked against its schema (a UserError with file:line:column). */
export function readHistoryGroups(file: string): HistoryGroup[] {
  const { data, chain } = readWithExtends(file);
  return validateWith(HistoryFile, data, chain).targets;
}

/**
 * Reads and checks a targets file: every problem with its file:line:column (a UserError). Levels
 * must fall after `startYear`, the year of the scenario's census (2020 for the baseline, 2010 for
 * the 2010 world).
 */
export function loadHistory(file: string, startYear: number): HistoryTarget[] {
  const { data, chain } = readWithExtends(file);
  const spec = validateWith(HistoryFile, data, chain);
  const problems: Problem[] = [];
  const bad = (path: (string | number)[], expected: string, found: string) => {
    const at = placeOf(chain, path);
    problems.push({ code: 'invalid_target', file: at.file, line: at.line, column: at.column, path: path.join('.'), expected, found });
  };
  const tables = new Map<string, ObservedTable>();
  const targets: HistoryTarget[] = [];
  spec.targets.forEach((g, i) => {
    const at = (...p: (string | number)[]) => ['targets', i, ...p];
    const m = METRICS.findIndex((x) => x.id === g.metric);
    if (m < 0) return bad(at('metric'), `one of the model's metrics (${METRICS.map((x) => x.id).join(', ')})`, `"${g.metric}"`);
    const flow = METRICS[m].flow;
    if (g.measure === 'per_mille' && !flow) return bad(at('measure'), 'a flow metric (births, deaths, ...) for per_mille', `${g.metric}, a stock`);
    if (
      g.measure === 'change_per_year' &&
      (flow || g.years.length !== 2 || !g.simulated_years || !(g.years[0] < g.years[1]) || !(g.simulated_years[0] < g.simulated_years[1]))
    )
      return bad(
        at('years'),
        'a stock metric, years: [FROM, TO] and simulated_years: [FROM, TO], each FROM before TO',
        JSON.stringify({ years: g.years, simulated_years: g.simulated_years }),
      );
    if (g.measure !== 'change_per_year' && g.years.some((y) => y <= startYear))
      return bad(at('years'), `years after the census (${startYear + 1} on): the model starts at the ${startYear} census`, JSON.stringify(g.years));
    const dataFile = isAbsolute(g.data.file) ? g.data.file : join(dirname(file), g.data.file);
    if (!tables.has(dataFile)) {
      try {
        tables.set(dataFile, readObserved(dataFile));
      } catch (err) {
        return bad(at('data', 'file'), 'a readable observed CSV (series,year,value,unit,source)', (err as Error).message);
      }
    }
    const table = tables.get(dataFile)!;
    for (const region of g.regions) {
      const r = (REGIONS as readonly string[]).indexOf(region);
      if (r < 0) {
        bad(at('regions'), `regions of the model (${REGIONS.join(', ')})`, `"${region}"`);
        continue;
      }
      const figure = (year: number) => table.get(`${g.data.series}|${region}|${year}`);
      const years = g.measure === 'change_per_year' ? [g.years[1]] : g.years;
      const absent = [...new Set(g.years)].filter((y) => !figure(y));
      if (absent.length) {
        bad(at('data', 'series'), `a figure of ${g.data.series} for ${region} in ${g.data.file}`, `none for ${absent.join(', ')}`);
        continue;
      }
      for (const year of years) {
        const wanted = g.measure === 'change_per_year' ? g.years : [year];
        const figs = wanted.map(figure);
        const observed = g.measure === 'change_per_year' ? (figs[1]!.value - figs[0]!.value) / (g.years[1] - g.years[0]) : figs[0]!.value;
        const unit = g.measure === 'per_mille' ? 'per mille' : `${METRICS[m].unit}${g.measure === 'change_per_year' ? '/yr' : flow ? ' a year' : ''}`;
        targets.push({
          id: `${g.id}.${region}.${year}`,
          group: g.id,
          label: `${g.label}${g.regions.length > 1 ? ` (${region})` : ''}, ${g.measure === 'change_per_year' ? g.years.join('-') : year}`,
          unit,
          observed,
          obsError: g.obs_error.value,
          discrepancy: g.discrepancy.value,
          data: { file: dataFile, series: g.data.series, lines: figs.map((f) => f!.line) },
          source: [...new Set(figs.map((f) => f!.source))].join('; '),
          lastYear: g.measure === 'change_per_year' ? g.simulated_years![1] : year,
          simulate: simulator(g, m, r, year),
        });
      }
    }
  });
  if (problems.length) throw new UserError(problems);
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.id)) throw new UserError([{ code: 'duplicate_target', file, path: 'targets', message: `target ${t.id} is defined twice` }]);
    seen.add(t.id);
  }
  return targets;
}
