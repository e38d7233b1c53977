/**
 * Plain-text tables for the terminal: the plan's targets beside the simulated distribution, a
 * compare's paired differences and a sweep's ranking of factors. Numbers as core/format.ts writes
 * them (each table's preset is named where it is used).
 */
import { DIFFERENCE, formatChange, formatNumber, formatShare, INDEX } from '../core/format.js';
import type { TargetComparison } from './compare.js';
import type { RankedFactor } from './documents.js';
import { MEASURES, type Disagreement, type RankRow } from './robustness.js';
import type { Estimate } from './sensitivity.js';
import type { TargetResult } from './summary.js';

/** A value of a run's tables: whole for persons and from 10,000, else 2 decimals (the default format). */
const fmt = (v: number | undefined, unit: string): string => formatNumber(v, { whole: unit === 'persons' });

/** Pads a row of cells to column widths (CJK characters count double). */
export function render(rows: string[][]): string {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const cols = rows[0].map((_, c) => Math.max(...rows.map((r) => width(r[c]))));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell + ' '.repeat(cols[c] - width(cell)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A target's plan value: comparator and value, and an "about" target's tolerance (±10%). */
export function planText(t: { comparator: string; value: number; unit: string; tolerance?: number }): string {
  const tol = t.comparator === 'about' ? ` ±${formatShare(t.tolerance ?? 0)}` : '';
  return `${t.comparator} ${fmt(t.value, t.unit)}${tol}`;
}

/** Marks a P(met) that has no model discrepancy in it (the footnote of targetsTable says so). */
export const WITHOUT_DISCREPANCY = '†';

/**
 * The modelled targets as a table: the plan, the mean across runs, the predictive 90% band (runs
 * and model discrepancy), P(met) and its 90% Monte Carlo interval; then the count of targets not
 * modelled.
 */
export function targetsTable(results: readonly TargetResult[], runs: number): string {
  const rows = [['target', 'region', 'plan', 'mean', '90% band', 'P(met)', '90% MC interval']];
  let without = 0;
  const shown = new Set<string>();
  for (const r of results) {
    if (!r.computed) continue;
    const t = r.target;
    // The plan states some targets twice (专栏1 and the text of 第二章第三节): show them once.
    const key = [t.metric, t.region, t.year, t.comparator, t.value].join('|');
    if (shown.has(key)) continue;
    shown.add(key);
    if (!r.with_discrepancy) without++;
    rows.push([
      t.metric,
      t.region,
      planText(t),
      fmt(r.mean, t.unit),
      `${fmt(r.pred_p05, t.unit)} .. ${fmt(r.pred_p95, t.unit)}`,
      formatShare(r.p_met ?? 0) + (r.with_discrepancy ? '' : WITHOUT_DISCREPANCY),
      `${formatShare(r.p_met_lo)} .. ${formatShare(r.p_met_hi)}`,
    ]);
  }
  const notModelled = results.filter((r) => !r.computed).length;
  if (rows.length === 1) return `(${runs} runs; no target of the plan falls within the simulated years: see targets.csv)`;
  const notes = [
    `90% band: across runs, with the model discrepancy added where the discrepancy file gives one; P(met): mean over runs of P(run value + discrepancy meets the target), with its 90% Monte Carlo interval.`,
    ...(without
      ? [
          `${WITHOUT_DISCREPANCY} without discrepancy (no estimate for the metric and region): the share of runs that meet the target, the band the runs' spread.`,
        ]
      : []),
    `(${runs} runs; ${notModelled} further targets of the plan are not modelled or not in the simulated years: see targets.csv)`,
  ];
  return `${render(rows)}\n${notes.join('\n')}`;
}

/** The province's indicators in `year`: mean and 90% interval across runs. */
export function provinceTable(rows: readonly { metric: string; region: string; year: number; mean: number; p05: number; p95: number }[], year: number): string {
  const out = [['shanxi ' + year, 'mean', '90% interval']];
  for (const r of rows) {
    if (r.region !== 'shanxi' || r.year !== year) continue;
    const unit = /population|jobs|migration|births|deaths|settlements|units/.test(r.metric) ? 'persons' : '';
    out.push([r.metric, fmt(r.mean, unit), `${fmt(r.p05, unit)} .. ${fmt(r.p95, unit)}`]);
  }
  return render(out);
}

/** A compare's paired differences for the plan's targets, one line each (duplicate targets once). */
export function comparisonTable(rows: readonly TargetComparison[]): string {
  const f = (v: number) => formatNumber(v, DIFFERENCE);
  const out = [['target', 'region', 'base', 'variant', 'difference (90%)', 'P(better)', 'SE crn / indep.', 'ΔP(met) (90%)']];
  const seen = new Set<string>();
  for (const r of rows) {
    const t = r.target,
      key = `${t.metric}|${t.region}|${t.comparator}|${t.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([
      t.metric,
      t.region,
      f(r.baseMean),
      f(r.variantMean),
      `${f(r.diffMean)} (${f(r.diffP05)} .. ${f(r.diffP95)})`,
      formatShare(r.pBeats),
      `${f(r.seCrn)} / ${f(r.seIndependent)}`,
      `${formatChange(r.diffMet)} (${formatChange(r.diffMetLo)} .. ${formatChange(r.diffMetHi)})${r.withDiscrepancy ? '' : WITHOUT_DISCREPANCY}`,
    ]);
  }
  const notes = [
    'ΔP(met): mean over paired runs of P(met) of the variant minus the base (model discrepancy included), with the 90% interval of that mean.',
    ...(rows.some((r) => !r.withDiscrepancy)
      ? [`${WITHOUT_DISCREPANCY} without discrepancy: per run 1 or 0; with few runs that change sides the interval can be too narrow (0 .. 0 when none does).`]
      : []),
  ];
  return `${render(out)}\n${notes.join('\n')}`;
}

/** A sweep's factors ranked by the size of their index for one outcome (`method` src or sobol), with R² for src. */
export function rankingTable(s: { outcome: string; method: string; r2?: number; factors: readonly RankedFactor[] }): string {
  const f = (e: Estimate) => `${formatNumber(e.estimate, INDEX)} (${formatNumber(e.low, INDEX)} .. ${formatNumber(e.high, INDEX)})`;
  const head = s.method === 'src' ? ['factor', 'SRC (90%)'] : ['factor', 'first-order S (90%)', 'total ST (90%)'];
  const rows = [...s.factors].sort((a, b) => Math.abs(b.total?.estimate ?? b.index.estimate) - Math.abs(a.total?.estimate ?? a.index.estimate));
  const r2 = s.r2 === undefined ? '' : ` (R² of the linear model ${formatNumber(s.r2, INDEX)})`;
  return `${s.outcome}${r2}\n` + render([head, ...rows.map((r) => (r.total ? [r.factor, f(r.index), f(r.total)] : [r.factor, f(r.index)]))]);
}

/** The robustness ranking: a row per scenario, a column per measure (value and rank), then where the measures disagree. */
export function robustnessTable(variants: readonly string[], ranking: readonly RankRow[], disagree: readonly Disagreement[]): string {
  const measures = [...new Set(ranking.map((r) => r.measure))];
  const cell = (v: string, m: string) => {
    const r = ranking.find((x) => x.measure === m && x.variant === v);
    if (!r) return '';
    const value = m.startsWith('share') ? formatShare(r.value) : formatNumber(r.value, DIFFERENCE);
    return `${value} (${r.rank})`;
  };
  const rows = [['scenario', ...measures], ...variants.map((v) => [v, ...measures.map((m) => cell(v, m))])];
  const notes = MEASURES.filter((m) => measures.includes(m.id)).map((m) => `${m.id}: ${m.meaning}, ${m.better} is better.`);
  const byPair = new Map<string, Disagreement[]>();
  for (const d of disagree) byPair.set(`${d.first} vs ${d.second}`, [...(byPair.get(`${d.first} vs ${d.second}`) ?? []), d]);
  const lines = disagree.length
    ? [...byPair].map(([pair, ds]) => `disagree, ${pair}: ${ds.map((d) => `${d.above} over ${d.below}`).join(', ')} by the first, the reverse by the second.`)
    : ['the measures agree: none orders a pair of scenarios the opposite way to another.'];
  return `${render(rows)}\n${[...notes, ...lines].join('\n')}`;
}
