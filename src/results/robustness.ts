/**
 * Which variant is robust: every scenario of a compare (the base included) judged over the same
 * runs (run r of each shares its seed, agents and, with a posterior, its parameter set), so that a
 * run is one possible world and the variants are compared world by world.
 *  - Per target: the share of runs that meet it (Monte Carlo only) and P(met) (the mean of the
 *    per-run probabilities p_r with the model discrepancy, probability.ts).
 *  - Regret, run by run (Savage): the best variant's value in that run minus this variant's, for
 *    three kinds of measure: a target's p_r (a probability, unit-free); the expected number of the
 *    plan's distinct targets met in the run, Σ_t p_r(t) (unit-free, "targets"); and the province's
 *    urbanization rate in 2025 (percentage points: its shortfall against the best variant).
 *  - Ranking by four measures: the share of distinct targets with P(met) ≥ 80% (higher is better),
 *    the maximum and the mean over runs of the regret in targets met, and the maximum shortfall of
 *    the urbanization rate (lower is better). Ranks are 1 for the best, ties share the smaller rank.
 *    Two measures disagree on a pair of variants when one puts the first strictly above the second
 *    and the other strictly below.
 * Pure: no I/O, no randomness; rows in the order of variants, runs (run-id order) and targets.
 */
import { meets } from './attainment.js';
import { pMeets } from './probability.js';
import type { Target } from './targets.js';

/** A target with each variant's values, [variant][run], and the sd of the model discrepancy (undefined: none). */
export interface TargetRuns {
  target: Pick<Target, 'id' | 'metric' | 'region' | 'year' | 'comparator' | 'value' | 'tolerance'>;
  values: number[][];
  sd: number | undefined;
}

/** An outcome with a unit whose shortfall against the best variant is a regret: [variant][run], higher is better. */
export interface OutcomeRuns {
  id: string;
  unit: string;
  values: number[][];
}

/** A variant's attainment of one target over the common runs. */
export interface TargetRobustness {
  variant: string;
  target: TargetRuns['target'];
  /** Share of runs whose value meets the target (no discrepancy). */
  shareMet: number;
  /** P(met): mean over runs of p_r, with the discrepancy where there is one. */
  pMet: number;
  withDiscrepancy: boolean;
}

/** One variant's regret in one run for one measure (a target id, "targets_met" or an outcome id). */
export interface RegretRow {
  run: number;
  variant: string;
  measure: string;
  unit: string;
  value: number;
  best: number;
  regret: number;
}

/** A robustness measure of a variant with its rank among the variants (1 = best). */
export interface RankRow {
  variant: string;
  measure: string;
  value: number;
  rank: number;
  better: 'higher' | 'lower';
}

/** Two measures that order a pair of variants the opposite way: `first` puts `above` over `below`, `second` the reverse. */
export interface Disagreement {
  first: string;
  second: string;
  above: string;
  below: string;
}

/** What robustness finds. */
export interface Robustness {
  runs: number[];
  targets: TargetRobustness[];
  regrets: RegretRow[];
  ranking: RankRow[];
  disagreements: Disagreement[];
}

/** P(met) above which a target counts as met with confidence in the first measure. */
export const CONFIDENT = 0.8;
/** The measure of the regret in the expected number of distinct targets met. */
export const TARGETS_MET = 'targets_met';

/** The measures, in the order they are reported, with the direction that is better. */
export const MEASURES: { id: string; better: 'higher' | 'lower'; meaning: string }[] = [
  { id: 'share_targets_p80', better: 'higher', meaning: `share of the plan's distinct modelled targets with P(met) >= ${CONFIDENT}` },
  { id: 'max_regret_targets', better: 'lower', meaning: 'largest regret over runs in the expected number of targets met (targets)' },
  { id: 'mean_regret_targets', better: 'lower', meaning: 'mean regret over runs in the expected number of targets met (targets)' },
  {
    id: 'max_shortfall_urbanization',
    better: 'lower',
    meaning: 'largest shortfall over runs of the 2025 urbanization rate against the best variant in the run (pp)',
  },
];

/** Competition ranks ("1224") of values, 1 for the best. */
export function ranks(values: readonly number[], better: 'higher' | 'lower'): number[] {
  const sign = better === 'higher' ? -1 : 1;
  return values.map((v) => 1 + values.filter((w) => sign * w < sign * v).length);
}

/** Per run, the best value over variants and each variant's regret against it: values [variant][run], higher is better. */
export function regretsOf(values: readonly (readonly number[])[]): { best: number[]; regret: number[][] } {
  const best = values[0].map((_, r) => Math.max(...values.map((v) => v[r])));
  return { best, regret: values.map((v) => v.map((x, r) => best[r] - x)) };
}

/** Pairs of measures that order a pair of variants the opposite way (each pair of variants once per pair of measures). */
export function disagreements(variants: readonly string[], ranking: readonly RankRow[]): Disagreement[] {
  const rank = (m: string, v: string) => ranking.find((r) => r.measure === m && r.variant === v)?.rank;
  const measures = [...new Set(ranking.map((r) => r.measure))];
  const out: Disagreement[] = [];
  for (let a = 0; a < measures.length; a++)
    for (let b = a + 1; b < measures.length; b++)
      for (let i = 0; i < variants.length; i++)
        for (let j = 0; j < variants.length; j++) {
          const [ai, aj, bi, bj] = [
            rank(measures[a], variants[i]),
            rank(measures[a], variants[j]),
            rank(measures[b], variants[i]),
            rank(measures[b], variants[j]),
          ];
          if (ai === undefined || aj === undefined || bi === undefined || bj === undefined) continue;
          if (ai < aj && bi > bj) out.push({ first: measures[a], second: measures[b], above: variants[i], below: variants[j] });
        }
  return out;
}

const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const targetKey = (t: TargetRuns['target']) => [t.metric, t.region, t.year, t.comparator, t.value].join('|');

/**
 * Robustness of `variants` over the runs `runs` (run ids, in order; every values array follows
 * them). A target the plan states twice counts once in the measures and in targets_met; the
 * urbanization shortfall is left out when `urbanization` is undefined (2025 not simulated).
 */
export function robustness(variants: readonly string[], runs: readonly number[], targets: readonly TargetRuns[], urbanization?: OutcomeRuns): Robustness {
  const nv = variants.length;
  const regrets: RegretRow[] = [];
  const pushRegrets = (measure: string, unit: string, values: number[][]) => {
    const { best, regret } = regretsOf(values);
    for (let v = 0; v < nv; v++)
      runs.forEach((run, r) => regrets.push({ run, variant: variants[v], measure, unit, value: values[v][r], best: best[r], regret: regret[v][r] }));
    return regret;
  };
  const seen = new Set<string>();
  const distinct = targets.filter((t) => (seen.has(targetKey(t.target)) ? false : (seen.add(targetKey(t.target)), true)));
  const perRun = new Map(targets.map((t) => [t, t.values.map((vals) => vals.map((x) => pMeets(t.target, x, t.sd)))]));
  const attained: TargetRobustness[] = [];
  for (let v = 0; v < nv; v++)
    for (const t of targets)
      attained.push({
        variant: variants[v],
        target: t.target,
        shareMet: t.values[v].filter((x) => meets(t.target, x)).length / runs.length,
        pMet: mean(perRun.get(t)![v]),
        withDiscrepancy: t.sd !== undefined && t.sd > 0,
      });
  for (const t of targets) pushRegrets(t.target.id, 'P(met)', perRun.get(t)!);
  const met = variants.map((_, v) => runs.map((_, r) => distinct.reduce((s, t) => s + perRun.get(t)![v][r], 0)));
  const targetRegret = pushRegrets(TARGETS_MET, 'targets', met);
  const shortfall = urbanization ? pushRegrets(urbanization.id, urbanization.unit, urbanization.values) : undefined;
  const confident = variants.map((name) => {
    const mine = attained.filter((a) => a.variant === name && distinct.some((t) => t.target === a.target));
    return mine.filter((a) => a.pMet >= CONFIDENT).length / Math.max(1, mine.length);
  });
  const values: Record<string, number[] | undefined> = {
    share_targets_p80: confident,
    max_regret_targets: targetRegret.map((r) => Math.max(...r)),
    mean_regret_targets: targetRegret.map(mean),
    max_shortfall_urbanization: shortfall?.map((r) => Math.max(...r)),
  };
  const ranking: RankRow[] = [];
  for (const m of MEASURES) {
    const vals = values[m.id];
    if (!vals) continue;
    const rk = ranks(vals, m.better);
    variants.forEach((variant, v) => ranking.push({ variant, measure: m.id, value: vals[v], rank: rk[v], better: m.better }));
  }
  return { runs: [...runs], targets: attained, regrets, ranking, disagreements: disagreements(variants, ranking) };
}
