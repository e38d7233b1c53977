/**
 * The files of a reach folder (`urbanize reach`): plan.json (ReachPlan, fixed when it starts),
 * runs/NNNNNN.f64 (each run's value of the target's outcome, NNNNNN = point × runs + run, stored as
 * it finishes), then, when the search ends, reach_runs.csv (a row per point and run), reach_points.csv
 * (P(met) at each lever value), reach.csv (each level's crossing) and reach.json.
 */
import { join } from 'node:path';
import { csvTable } from './csv.js';
import { parseFile, type Outcome, type PlanHeader } from './documents.js';
import type { Posterior } from '../scenario/posterior.js';
import type { Scenario } from '../scenario/schema.js';
import type { Crossing } from './reach.js';
import type { Target } from './targets.js';

/** The names of a reach folder's files. */
export const REACH_FILES = { json: 'reach.json', crossings: 'reach.csv', points: 'reach_points.csv', runs: 'reach_runs.csv' } as const;

/** The lever a reach search moves: its own value (mode value) or a factor on its whole schedule (mode factor). */
export interface ReachLever {
  /** As given on the command line. */
  spec: string;
  /** group.name, e.g. hukou.openness_county. */
  path: string;
  mode: 'value' | 'factor';
  /** The range searched, in the search's units: the lever's value, or the factor. */
  lo: number;
  hi: number;
  /** The lever's documented range (mode value), or the factors that keep its schedule within it (mode factor). */
  documented: [number, number];
  /** The lever's unit (docs/scenarios.md §4). */
  unit: string;
  /** The scenario's own setting in the search's units: its value when it is a constant, 1 as a factor; null for a schedule in mode value. */
  own: number | null;
}

/** plan.json of a reach folder; the runs per value are the scenario's (`scenario.runs`), the same runs (seeds, agents, parameter sets) at every value. */
export interface ReachPlan extends PlanHeader {
  command: 'reach';
  file: string;
  scenario: Scenario;
  posterior: Posterior | null;
  target: Target;
  /** The discrepancy sd of the target's metric, region and year (null: none, P(met) without it). */
  sd: number | null;
  outcome: Outcome;
  lever: ReachLever;
  levels: number[];
  grid: number;
  steps: number;
}

/** reach.json: what was searched and what was found. */
export interface ReachJson {
  engine: { name: string; version: string };
  scenario: string;
  seed: number;
  scale: number;
  runs_per_value: number;
  target: { id: string; outcome: string; comparator: string; value: number; tolerance?: number; label: string; discrepancy_sd: number | null };
  lever: ReachLever;
  /** +1: P(met) rises with the lever; −1: it falls. */
  direction: 1 | -1;
  /** P(met)(hi) − P(met)(lo), paired over the runs, with its 90% interval. */
  endpoint_effect: { diff: number; lo: number; hi: number };
  values_evaluated: number;
  runs_in_all: number;
  crossings: Crossing[];
  posterior_sets: number;
}

/** reach_runs.csv: each run at each lever value. */
export interface ReachRunRow {
  point: number;
  run: number;
  param_set?: number;
  value: number;
  outcome: number;
  p_met: number;
}
export const REACH_RUNS_CSV = csvTable<ReachRunRow>(REACH_FILES.runs, {
  point: 'number',
  run: 'number',
  param_set: 'number',
  value: 'number',
  outcome: 'number',
  p_met: 'number',
});

/** reach_points.csv: P(met) at each lever value evaluated, in the order evaluated. */
export interface ReachPointRow {
  point: number;
  step: number;
  value: number;
  p_met: number;
  p_lo: number;
  p_hi: number;
  outcome_mean: number;
  runs: number;
  scenario_setting: boolean;
}
export const REACH_POINTS_CSV = csvTable<ReachPointRow>(REACH_FILES.points, {
  point: 'number',
  step: 'number',
  value: 'number',
  p_met: 'number',
  p_lo: 'number',
  p_hi: 'number',
  outcome_mean: 'number',
  runs: 'number',
  scenario_setting: 'yesno',
});

/** reach.csv: where P(met) reaches each level. */
export interface ReachCrossingRow {
  level: number;
  status: string;
  value?: number;
  low?: number;
  high?: number;
  bracket_low?: number;
  bracket_high?: number;
  crossed_share: number;
}
export const REACH_CSV = csvTable<ReachCrossingRow>(REACH_FILES.crossings, {
  level: 'number',
  status: 'text',
  value: 'number',
  low: 'number',
  high: 'number',
  bracket_low: 'number',
  bracket_high: 'number',
  crossed_share: 'number',
});

/** A crossing as reach.csv writes it: an open bound or no bracket is an empty cell. */
export const crossingRow = (c: Crossing): ReachCrossingRow => ({
  level: c.level,
  status: c.status,
  value: c.value ?? undefined,
  low: c.low ?? undefined,
  high: c.high ?? undefined,
  bracket_low: c.bracket?.[0],
  bracket_high: c.bracket?.[1],
  crossed_share: c.crossedShare,
});

/** Reads reach.json. */
export const readReachJson = (dir: string): ReachJson => parseFile<ReachJson>(join(dir, REACH_FILES.json));
