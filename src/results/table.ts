/**
 * Plain-text tables for the terminal: the plan's targets beside the simulated distribution, a
 * compare's paired differences and a sweep's ranking of factors. Numbers as core/format.ts writes
 * them (each table's preset is named where it is used).
 */
import { DIFFERENCE, formatNumber, formatShare, INDEX } from '../core/format.js';
import type { TargetComparison } from './compare.js';
import type { RankedFactor } from './documents.js';
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

/** The modelled targets of `year` as a table, then the count of targets not modelled. */
export function targetsTable(results: readonly TargetResult[], runs: number): string {
  const rows = [['target', 'region', 'plan', 'mean', '90% interval', 'P(met)']];
  const shown = new Set<string>();
  for (const r of results) {
    if (!r.computed) continue;
    const t = r.target;
    // The plan states some targets twice (专栏1 and the text of 第二章第三节): show them once.
    const key = [t.metric, t.region, t.year, t.comparator, t.value].join('|');
    if (shown.has(key)) continue;
    shown.add(key);
    rows.push([
      t.metric,
      t.region,
      `${t.comparator} ${fmt(t.value, t.unit)}`,
      fmt(r.mean, t.unit),
      `${fmt(r.p05, t.unit)} .. ${fmt(r.p95, t.unit)}`,
      formatShare(r.p_met ?? 0),
    ]);
  }
  const notModelled = results.filter((r) => !r.computed).length;
  if (rows.length === 1) return `(${runs} runs; no target of the plan falls within the simulated years: see targets.csv)`;
  return `${render(rows)}\n(${runs} runs; ${notModelled} further targets of the plan are not modelled or not in the simulated years: see targets.csv)`;
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
  const out = [['target', 'region', 'base', 'variant', 'difference (90%)', 'P(better)', 'SE crn / indep.']];
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
    ]);
  }
  return render(out);
}

/** A sweep's factors ranked by the size of their index for one outcome (`method` src or sobol). */
export function rankingTable(s: { outcome: string; method: string; factors: readonly RankedFactor[] }): string {
  const f = (e: Estimate) => `${formatNumber(e.estimate, INDEX)} (${formatNumber(e.low, INDEX)} .. ${formatNumber(e.high, INDEX)})`;
  const head = s.method === 'src' ? ['factor', 'SRC (90%)'] : ['factor', 'first-order S (90%)', 'total ST (90%)'];
  const rows = [...s.factors].sort((a, b) => Math.abs(b.total?.estimate ?? b.index.estimate) - Math.abs(a.total?.estimate ?? a.index.estimate));
  return `${s.outcome}\n` + render([head, ...rows.map((r) => (r.total ? [r.factor, f(r.index), f(r.total)] : [r.factor, f(r.index)]))]);
}
