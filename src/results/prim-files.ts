/**
 * The files `urbanize discover` writes into a sweep folder: prim.json (what was asked and the
 * boxes found), prim_trajectory.csv (every box of every peeling trajectory, with its box id and
 * step), prim_boxes.csv (each box's limits, one row per box and factor) and prim_cases.csv (each
 * run of the sweep: its sample, run, outcome, whether it is a case of interest and the box that
 * holds it). Built from a PrimResult here, read back by the report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvTable } from './csv.js';
import type { BoxStats, PrimOptions, PrimResult } from './prim.js';

/** The file names. */
export const PRIM_FILES = { json: 'prim.json', trajectory: 'prim_trajectory.csv', boxes: 'prim_boxes.csv', cases: 'prim_cases.csv' } as const;

/**
 * Why a restriction on the posterior's parameters needs care: run r of every design point draws
 * the same set and has the same seed, so the parameters take as many sets as there are runs per
 * point, each tied to one seed, and any of a set's parameters separates the same runs.
 */
export const POSTERIOR_NOTE = (sets: number): string =>
  `the posterior's parameters take ${sets} sets here, one per run of each design point, each run with its own seed: a restriction on them separates those runs (seed and set together), and every parameter of the set separates the same runs, so the first in the posterior's order is named; more --runs in the sweep give more sets`;

/** What the case of interest is: an outcome column of samples.csv compared with a value. */
export interface CaseDefinition {
  /** The outcome column of samples.csv. */
  outcome: string;
  /** The plan's target it is judged against, when one is. */
  target?: string;
  /** missed or met (a plan target's comparator), or below or above (an explicit value). */
  kind: 'missed' | 'met' | 'below' | 'above';
  comparator: string;
  value: number;
  tolerance?: number;
  /** In words, e.g. "urbanization_rate.shanxi.2025 misses >= 68 (target urbanization_rate_shanxi)". */
  label: string;
}

/** prim.json. */
export interface PrimJson {
  case: CaseDefinition;
  options: { alpha: number; min_mass: number; threshold: number; paste: boolean; boxes: number; box: number | null };
  /** The dimensions PRIM could restrict (the factors with more than one value). */
  factors: string[];
  /** Factors left out because every run had the same value. */
  constant: string[];
  /** Distinct parameter sets of the posterior among the runs, when its parameters are factors (0 otherwise). */
  posterior_sets: number;
  points: number;
  cases: number;
  boxes: {
    box: number;
    step: number;
    selection: 'threshold' | 'max_density' | 'user';
    pasted: boolean;
    coverage: number;
    density: number;
    mass: number;
    n: number;
    n_interest: number;
    restricted: { factor: string; lo: number; hi: number; quasi_p: number }[];
  }[];
}

/** A row of prim_trajectory.csv: one box of a peeling trajectory (phase peel), or a selected box widened by pasting (phase paste). */
export interface TrajectoryRow {
  box: number;
  step: number;
  phase: string;
  coverage: number;
  density: number;
  mass: number;
  n: number;
  n_interest: number;
  n_restricted: number;
  restricted: string;
  selected: boolean;
}
/** prim_trajectory.csv. */
export const TRAJECTORY_CSV = csvTable<TrajectoryRow>(PRIM_FILES.trajectory, {
  box: 'number',
  step: 'number',
  phase: 'text',
  coverage: 'number',
  density: 'number',
  mass: 'number',
  n: 'number',
  n_interest: 'number',
  n_restricted: 'number',
  restricted: 'text',
  selected: 'yesno',
});

/** A row of prim_boxes.csv: a selected box's limits on one factor, the factor's range over all runs, and the quasi-p-value of a restriction. */
export interface BoxRow {
  box: number;
  factor: string;
  lo: number;
  hi: number;
  min: number;
  max: number;
  restricted: boolean;
  quasi_p?: number;
}
/** prim_boxes.csv. */
export const BOXES_CSV = csvTable<BoxRow>(PRIM_FILES.boxes, {
  box: 'number',
  factor: 'text',
  lo: 'number',
  hi: 'number',
  min: 'number',
  max: 'number',
  restricted: 'yesno',
  quasi_p: 'finite',
});

/** A row of prim_cases.csv: one run of the sweep. */
export interface CaseRow {
  sample: number;
  run: number;
  value: number;
  interest: boolean;
  /** The box that holds the run (1, 2, ...), none when no box does. */
  box?: number;
}
/** prim_cases.csv. */
export const CASES_CSV = csvTable<CaseRow>(PRIM_FILES.cases, { sample: 'number', run: 'number', value: 'number', interest: 'yesno', box: 'finite' });

const restrictedNames = (s: BoxStats, names: readonly string[]) => names.filter((_, j) => s.restricted[j]);

/** The trajectory rows of a result: each box's peeling steps, then its pasted box if pasting widened it. */
export function trajectoryRows(r: PrimResult, names: readonly string[]): TrajectoryRow[] {
  return r.boxes.flatMap((b, bi) => {
    const row = (s: BoxStats, step: number, phase: string, selected: boolean): TrajectoryRow => ({
      box: bi + 1,
      step,
      phase,
      coverage: s.coverage,
      density: s.density,
      mass: s.mass,
      n: s.n,
      n_interest: s.nInterest,
      n_restricted: restrictedNames(s, names).length,
      restricted: restrictedNames(s, names).join(' '),
      selected,
    });
    const rows = b.trajectory.map((s, step) => row(s, step, 'peel', step === b.selected && !b.pasted));
    if (b.pasted) rows.push(row(b.box, b.trajectory.length, 'paste', true));
    return rows;
  });
}

/** The limit rows of a result: every selected box on every factor. */
export function boxRows(r: PrimResult, names: readonly string[]): BoxRow[] {
  return r.boxes.flatMap((b, bi) =>
    names.map((factor, j) => ({
      box: bi + 1,
      factor,
      lo: b.box.lo[j],
      hi: b.box.hi[j],
      min: r.ranges.lo[j],
      max: r.ranges.hi[j],
      restricted: b.box.restricted[j],
      quasi_p: b.quasiP[j],
    })),
  );
}

/** prim.json's boxes. */
export function boxSummaries(r: PrimResult, names: readonly string[]): PrimJson['boxes'] {
  return r.boxes.map((b, bi) => ({
    box: bi + 1,
    step: b.pasted ? b.trajectory.length : b.selected,
    selection: b.selection,
    pasted: b.pasted,
    coverage: b.box.coverage,
    density: b.box.density,
    mass: b.box.mass,
    n: b.box.n,
    n_interest: b.box.nInterest,
    restricted: names.flatMap((factor, j) => (b.box.restricted[j] ? [{ factor, lo: b.box.lo[j], hi: b.box.hi[j], quasi_p: b.quasiP[j] ?? 1 }] : [])),
  }));
}

/** prim.json's options from the search's. */
export const optionsJson = (o: PrimOptions): PrimJson['options'] => ({
  alpha: o.alpha,
  min_mass: o.minMass,
  threshold: o.threshold,
  paste: o.paste,
  boxes: o.boxes,
  box: o.step ?? null,
});

/** The PRIM files of a sweep folder, when `urbanize discover` wrote them. */
export interface PrimFiles {
  json: PrimJson;
  trajectory: TrajectoryRow[];
  boxes: BoxRow[];
}

/** Reads a folder's PRIM files, or undefined when it has none. */
export function readPrimFiles(dir: string): PrimFiles | undefined {
  if (!existsSync(join(dir, PRIM_FILES.json))) return undefined;
  return {
    json: JSON.parse(readFileSync(join(dir, PRIM_FILES.json), 'utf8')) as PrimJson,
    trajectory: TRAJECTORY_CSV.read(dir),
    boxes: BOXES_CSV.read(dir),
  };
}

/** Writes a prim_cases.csv row list from the points and the boxes: the first box (in order) that holds each run. */
export function caseRows(
  keys: readonly { sample: number; run: number; value: number }[],
  interest: Uint8Array,
  columns: readonly Float64Array[],
  r: PrimResult,
): CaseRow[] {
  const taken = new Set<number>();
  const boxOf = new Map<number, number>();
  r.boxes.forEach((b, bi) => {
    keys.forEach((_, i) => {
      if (taken.has(i)) return;
      if (columns.every((c, j) => c[i] >= b.box.lo[j] && c[i] <= b.box.hi[j])) {
        boxOf.set(i, bi + 1);
        taken.add(i);
      }
    });
  });
  return keys.map((k, i) => ({ sample: k.sample, run: k.run, value: k.value, interest: interest[i] === 1, box: boxOf.get(i) }));
}
