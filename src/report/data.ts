/**
 * Reading a results folder for the report: a run folder (manifest.json, targets.csv, runs.csv,
 * indicators.csv), a compare folder (compare.json, compare_targets.csv and one run folder per
 * scenario) or a sweep folder (sweep.json, sensitivity.csv, samples.csv), each file through its
 * definition in src/results (format.ts, documents.ts). Only what the charts need is kept: the
 * per-run values of a few metrics, from which the fans' quantiles are computed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '../core/errors.js';
import {
  planCommandOf,
  readCompareJson,
  readManifest,
  readSweepJson,
  resumeCommand,
  type BatchCommand,
  type CompareJson,
  type SweepJson,
  type TargetFields,
} from '../results/documents.js';
import {
  COMPARE_TARGETS_CSV,
  FILES,
  INDICATORS_CSV,
  readSamples,
  RANKING_CSV,
  REGRET_CSV,
  RUNS_CSV,
  SENSITIVITY_CSV,
  TARGETS_CSV,
  type CompareTargetsRow,
  type RankingCsvRow,
  type RegretCsvRow,
  type SensitivityRow,
} from '../results/format.js';
import { BACKTEST_CSV, type BacktestRow } from '../results/backtest.js';
import { flowMatrix, FLOWS_CSV, type FlowMatrix } from '../results/flows.js';
import { discrepancySd, type ModelDiscrepancy } from '../results/probability.js';
import { REACH_CSV, REACH_FILES, REACH_POINTS_CSV, readReachJson, type ReachCrossingRow, type ReachJson, type ReachPointRow } from '../results/reach-files.js';
import { TARGETS_MET } from '../results/robustness.js';
import { readPrimFiles, type PrimFiles } from '../results/prim-files.js';
import { fan, type Fan } from './stats.js';

/** A number of a CSV cell when it is finite (a blank, NaN or Infinity is no value). */
const finite = (v: number | undefined): number | undefined => (v !== undefined && Number.isFinite(v) ? v : undefined);

/** The metrics whose per-run values the charts use. */
export const RUN_METRICS = [
  'urbanization_rate',
  'hukou_urbanization_rate',
  'in_migration',
  'out_migration',
  'net_out_migration',
  'urban_gain_migration',
  'urban_gain_reclassification',
  'urban_gain_natural',
] as const;

/** One target of the plan with its result in this folder. */
export interface TargetRow extends TargetFields {
  unit: string;
  note: string;
  /** The folder has a result for it (modelled and within the simulated years). */
  computed: boolean;
  /** An "about" target's relative tolerance. */
  tolerance?: number;
  p_met?: number;
  p_met_lo?: number;
  p_met_hi?: number;
  /** Whether P(met) and the predictive band include a model discrepancy. */
  withDiscrepancy: boolean;
  mean?: number;
  p05?: number;
  p95?: number;
  /** The predictive 90% band: runs and model discrepancy (the runs' p05, p95 when there is none). */
  pred_p05?: number;
  pred_p95?: number;
}

/** A run folder. */
export interface RunData {
  kind: 'run';
  dir: string;
  scenario: string;
  description: string;
  seed: number;
  runs: number;
  scale: number;
  engine: string;
  digest: string | null;
  /** The posterior the runs drew their parameter sets from (manifest.json); null without one. */
  posterior: { file: string; digest: string; parameters: string[]; sets: number } | null;
  status: string;
  failed: number;
  plan: string;
  planSource: string;
  cities: { id: string; name: string }[];
  cluster: string[];
  years: number[];
  targets: TargetRow[];
  /** Per-run values: `metric|region` -> year -> values in run order. */
  values: Map<string, Map<number, number[]>>;
  /** Whether the values are per run (runs.csv) or only the indicators' quantiles. */
  perRun: boolean;
  /** Predictive quantiles of indicators.csv, used when runs.csv is missing: `metric|region` -> year -> fan. */
  indicators: Map<string, Map<number, Fan>>;
  /** The model discrepancy the folder's targets file named (none for folders without one). */
  discrepancy?: ModelDiscrepancy;
  /** backtest.csv's held-out observations, when `urbanize backtest` wrote the folder. */
  backtest?: BacktestRow[];
  /** Mean movers across runs by place type, one matrix per flow year (flows.csv); empty when the folder has none. */
  flows: FlowMatrix[];
}

/** A compare folder. */
export interface CompareData {
  kind: 'compare';
  dir: string;
  base: string;
  seed: number;
  runs: number;
  scale: number;
  variants: string[];
  scenarios: RunData[];
  targets: CompareTargetsRow[];
  /** Robustness (none in folders from before it): compare_ranking.csv, the targets_met rows of compare_regret.csv, compare.json's entry. */
  robustness?: { ranking: RankingCsvRow[]; regret: RegretCsvRow[]; summary: NonNullable<CompareJson['robustness']> };
}

/** A sweep folder. */
export interface SweepData {
  kind: 'sweep';
  dir: string;
  scenario: string;
  seed: number;
  scale: number;
  design: string;
  samples: number;
  runsPerSample: number;
  factors: SweepJson['factors'];
  sensitivity: SensitivityRow[];
  /** samples.csv: each row's columns (factor paths, outcome ids) as numbers. */
  samplesRows: Record<string, number>[];
  /** SHA-256 of sweep.json, sensitivity.csv and samples.csv (sweep.json records no digest). */
  contentDigest: string;
  /** Why some indices cannot be trusted (sweep.json; none in folders from before the checks). */
  warnings: NonNullable<SweepJson['warnings']>;
  /** What `urbanize discover` found, when it ran on the folder. */
  prim?: PrimFiles;
}

/** A reach folder, as the report reads it. */
export interface ReachData {
  kind: 'reach';
  dir: string;
  json: ReachJson;
  points: ReachPointRow[];
  crossings: ReachCrossingRow[];
}

/** Reads a reach folder (reach.json, reach_points.csv, reach.csv). */
export function readReach(dir: string): ReachData {
  for (const f of [REACH_FILES.json, REACH_FILES.points, REACH_FILES.crossings])
    if (!existsSync(join(dir, f))) throw userError({ code: 'not_results', file: dir, expected: `a reach results folder with ${f}`, found: 'no such file' });
  return { kind: 'reach', dir, json: readReachJson(dir), points: REACH_POINTS_CSV.read(dir), crossings: REACH_CSV.read(dir) };
}

/** A results folder of any kind, as the report reads it. */
export type Folder = RunData | CompareData | SweepData | ReachData;

/**
 * Which kind of results folder `dir` is; a UserError when it is none, or when it is one whose
 * batch is not complete (interrupted, killed or still running), naming the command that completes it.
 */
export function detect(dir: string): Folder['kind'] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw userError({ code: 'file', file: dir, message: 'no such results folder' });
  if (existsSync(join(dir, FILES.compareJson))) return 'compare';
  if (existsSync(join(dir, FILES.sweepJson))) return 'sweep';
  if (existsSync(join(dir, REACH_FILES.json))) return 'reach';
  if (existsSync(join(dir, FILES.manifest)) && existsSync(join(dir, FILES.targets))) return 'run';
  const incomplete = (command: BatchCommand, state: string) =>
    userError({
      code: 'partial',
      file: dir,
      message: `the ${command} in this folder is not complete (${state}): complete it with ${resumeCommand(command, dir)}`,
    });
  if (existsSync(join(dir, FILES.manifest))) {
    const status = readManifest(dir).status;
    const state = status === 'partial' ? 'it was interrupted' : status === 'running' ? 'it is still running, or was killed' : 'its summaries are missing';
    throw incomplete('run', `status "${status}": ${state}`);
  }
  const command = existsSync(join(dir, FILES.plan)) ? planCommandOf(dir) : undefined;
  if (command) throw incomplete(command, 'it was interrupted, or is still running');
  throw userError({
    code: 'not_results',
    file: dir,
    expected: 'a results folder of run (manifest.json, targets.csv), compare (compare.json), sweep (sweep.json) or reach (reach.json)',
    found: 'none of these files',
  });
}

/** Reads a folder of any kind. */
export function readFolder(dir: string): Folder {
  const kind = detect(dir);
  return kind === 'run' ? readRun(dir) : kind === 'compare' ? readCompare(dir) : kind === 'reach' ? readReach(dir) : readSweep(dir);
}

/** Reads a run folder. */
export function readRun(dir: string): RunData {
  for (const f of [FILES.manifest, FILES.targets, FILES.indicators]) {
    if (!existsSync(join(dir, f))) throw userError({ code: 'not_results', file: dir, expected: `a run results folder with ${f}`, found: 'no such file' });
  }
  const m = readManifest(dir);
  const meta = new Map(m.targets.targets.map((t) => [t.id, t]));
  const targets: TargetRow[] = TARGETS_CSV.read(dir).map((r) => {
    const t = meta.get(r.target);
    return {
      id: r.target,
      section: r.section,
      label: t?.label ?? r.target,
      metric: r.metric,
      region: r.region,
      year: r.year,
      comparator: r.comparator,
      value: r.value,
      unit: t?.unit ?? '',
      note: t?.note ?? '',
      modelled: t?.modelled ?? r.modelled,
      computed: r.modelled,
      tolerance: finite(r.tolerance) ?? (r.comparator === 'about' ? t?.tolerance : undefined),
      p_met: finite(r.p_met),
      p_met_lo: finite(r.p_met_lo),
      p_met_hi: finite(r.p_met_hi),
      withDiscrepancy: r.discrepancy === 'included',
      mean: finite(r.mean),
      p05: finite(r.p05),
      p95: finite(r.p95),
      pred_p05: finite(r.pred_p05) ?? finite(r.p05),
      pred_p95: finite(r.pred_p95) ?? finite(r.p95),
    };
  });
  const wanted = new Set<string>(RUN_METRICS);
  const indicators = new Map<string, Map<number, Fan>>();
  const yearSet = new Set<number>();
  for (const r of INDICATORS_CSV.read(dir)) {
    yearSet.add(r.year);
    if (!wanted.has(r.metric)) continue;
    const key = `${r.metric}|${r.region}`;
    if (!indicators.has(key)) indicators.set(key, new Map());
    // Folders written before the predictive columns have only the runs' quantiles.
    const p05 = r.pred_p05 ?? r.p05,
      p50 = r.pred_p50 ?? r.p50,
      p95 = r.pred_p95 ?? r.p95;
    indicators.get(key)!.set(r.year, { p05, p25: NaN, p50, p75: NaN, p95, mean: r.mean, n: m.runs });
  }
  const values = new Map<string, Map<number, number[]>>();
  const perRun = existsSync(join(dir, FILES.runsCsv));
  if (perRun) {
    for (const r of RUNS_CSV.read(dir, { column: 'metric', values: wanted })) {
      const key = `${r.metric}|${r.region}`;
      if (!values.has(key)) values.set(key, new Map());
      const byYear = values.get(key)!;
      if (!byYear.has(r.year)) byYear.set(r.year, []);
      byYear.get(r.year)!.push(r.value);
    }
  }
  const sc = m.scenario.resolved;
  const flowRows = existsSync(join(dir, FILES.flows)) ? FLOWS_CSV.read(dir) : undefined;
  const flowYears = [...new Set(flowRows?.map((r) => r.year))].sort((a, b) => a - b);
  const flows = flowRows ? flowYears.map((y) => flowMatrix(flowRows, m.run_ids.length - m.failed.length, y, 'type')) : [];
  return {
    kind: 'run',
    flows,
    dir,
    scenario: m.scenario.name,
    description: sc.description ?? '',
    seed: m.seed,
    runs: m.run_ids.length,
    scale: sc.scale,
    engine: `${m.engine.name} ${m.engine.version}`,
    digest: m.digest,
    posterior: m.posterior ? { file: m.posterior.file, digest: m.posterior.digest, parameters: m.posterior.parameters, sets: m.posterior.sets.length } : null,
    status: m.status,
    failed: m.failed.length,
    plan: m.targets.plan,
    planSource: m.targets.source,
    cities: sc.world.cities.map((c) => ({ id: c.id, name: c.name })),
    cluster: sc.world.central_cluster,
    years: [...yearSet].sort((a, b) => a - b),
    targets,
    values,
    perRun,
    indicators,
    discrepancy: m.targets.discrepancy,
    ...(existsSync(join(dir, BACKTEST_CSV.file)) ? { backtest: BACKTEST_CSV.read(dir) } : {}),
  };
}

/**
 * Fan quantiles of a metric and region by year, predictive: across runs with the model
 * discrepancy added where the folder has one (per-run values when there are, else indicators.csv).
 */
export function fanSeries(d: RunData, metric: string, region: string): ({ year: number } & Fan)[] {
  const key = `${metric}|${region}`;
  const byYear = d.values.get(key);
  if (d.perRun && byYear)
    return [...byYear].sort((a, b) => a[0] - b[0]).map(([year, v]) => ({ year, ...fan(v, discrepancySd(d.discrepancy, metric, region, year) ?? 0) }));
  return [...(d.indicators.get(key) ?? new Map<number, Fan>())].sort((a, b) => a[0] - b[0]).map(([year, f]) => ({ year, ...f }));
}

/** Per-run values of a derived quantity f(a, b) of two metrics of one region, by year. */
export function derivedSeries(d: RunData, a: string, b: string, region: string, f: (x: number, y: number) => number): ({ year: number } & Fan)[] {
  const va = d.values.get(`${a}|${region}`),
    vb = d.values.get(`${b}|${region}`);
  if (!va || !vb) return [];
  return [...va]
    .sort((x, y) => x[0] - y[0])
    .filter(([year]) => vb.has(year))
    .map(([year, xs]) => {
      const ys = vb.get(year)!;
      return { year, ...fan(xs.map((x, i) => f(x, ys[i]))) };
    });
}

/** Per-run sums of a flow metric over all simulated years, as a fan. */
export function cumulative(d: RunData, metric: string, region: string): Fan | undefined {
  const byYear = d.values.get(`${metric}|${region}`);
  if (!byYear || byYear.size === 0) return undefined;
  const n = Math.min(...[...byYear.values()].map((v) => v.length));
  const sums = Array.from({ length: n }, (_, i) => [...byYear.values()].reduce((s, v) => s + v[i], 0));
  return fan(sums);
}

/** Reads a compare folder and the run folder of each of its scenarios. */
export function readCompare(dir: string): CompareData {
  const c = readCompareJson(dir);
  const variants = c.variants.map((v) => v.variant);
  const scenarios = [c.base, ...variants].map((name) => {
    const sub = join(dir, name);
    if (!existsSync(join(sub, FILES.manifest)))
      throw userError({ code: 'not_results', file: sub, expected: `the run folder of scenario ${name} in the compare folder`, found: 'no manifest.json' });
    return readRun(sub);
  });
  const targets = existsSync(join(dir, FILES.compareTargets)) ? COMPARE_TARGETS_CSV.read(dir) : [];
  const robustness =
    c.robustness && existsSync(join(dir, FILES.compareRanking)) && existsSync(join(dir, FILES.compareRegret))
      ? {
          ranking: RANKING_CSV.read(dir),
          regret: REGRET_CSV.read(dir, { column: 'measure', values: new Set([TARGETS_MET]) }),
          summary: c.robustness,
        }
      : undefined;
  return { kind: 'compare', dir, base: c.base, seed: c.seed, runs: c.runs, scale: c.scale, variants, scenarios, targets, robustness };
}

/** Reads a sweep folder. */
export function readSweep(dir: string): SweepData {
  const files = [FILES.sweepJson, FILES.sensitivity, FILES.samples];
  for (const f of files)
    if (!existsSync(join(dir, f))) throw userError({ code: 'not_results', file: dir, expected: `a sweep results folder with ${f}`, found: 'no such file' });
  const s = readSweepJson(dir);
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(join(dir, f)));
  return {
    kind: 'sweep',
    dir,
    scenario: s.scenario,
    seed: s.seed,
    scale: s.scale,
    design: s.design,
    samples: s.samples,
    runsPerSample: s.runs_per_sample,
    factors: s.factors ?? [],
    sensitivity: SENSITIVITY_CSV.read(dir),
    samplesRows: readSamples(dir),
    contentDigest: h.digest('hex'),
    warnings: s.warnings ?? [],
    prim: readPrimFiles(dir),
  };
}
