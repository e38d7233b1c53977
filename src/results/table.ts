/**
 * Plain-text tables for the terminal: the plan's targets beside the simulated distribution.
 */
import type { TargetResult } from './summary.js';

const fmt = (v: number | undefined, unit: string): string => {
  if (v === undefined) return '';
  if (unit === 'persons' || Math.abs(v) >= 10000) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(2);
};

/** Pads a row of cells to column widths (CJK characters count double). */
export function render(rows: string[][]): string {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const cols = rows[0].map((_, c) => Math.max(...rows.map((r) => width(r[c]))));
  return rows.map((r) => r.map((cell, c) => cell + ' '.repeat(cols[c] - width(cell))).join('  ').trimEnd()).join('\n');
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
    rows.push([t.metric, t.region, `${t.comparator} ${fmt(t.value, t.unit)}`, fmt(r.mean, t.unit), `${fmt(r.p05, t.unit)} .. ${fmt(r.p95, t.unit)}`, `${Math.round((r.p_met ?? 0) * 100)}%`]);
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
