/**
 * The charts of a sweep folder: tornado charts of the levers' standardized regression
 * coefficients (Latin hypercube) or their first-order and total Sobol indices (Saltelli design),
 * with 90% bootstrap intervals, and the main outcome against each factor.
 */
import type { SweepData } from './data.js';
import { outcomeName, outcomeShort } from './names.js';
import { COLOR, paddedDomain, Plot, render } from './plot.js';

/** One index of one factor for one outcome. */
export interface IndexRow {
  outcome: string;
  factor: string;
  method: string;
  estimate: number;
  low: number;
  high: number;
}

const METHOD_NAMES: Record<string, string> = {
  src: '标准化回归系数 SRC',
  sobol_first: '一阶指数 first-order S',
  sobol_total: '总效应指数 total ST',
};

/** Index rows of sensitivity.csv (R² rows apart). */
export function indexRows(s: SweepData): IndexRow[] {
  return s.sensitivity
    .filter((r) => r.method !== 'r2' && r.factor !== '')
    .map((r) => ({
      outcome: r.outcome,
      factor: r.factor,
      method: METHOD_NAMES[r.method] ?? r.method,
      estimate: r.estimate,
      low: r.low ?? r.estimate,
      high: r.high ?? r.estimate,
    }));
}

/** R² of each outcome's linear model (Latin-hypercube sweeps). */
export function r2Of(s: SweepData): Map<string, number> {
  return new Map(s.sensitivity.filter((r) => r.method === 'r2').map((r) => [r.outcome, r.estimate]));
}

/** The outcome the report leads with: the province's urbanization rate if the sweep has it. */
export function mainOutcome(s: SweepData): string {
  const outcomes = [...new Set(s.sensitivity.map((r) => r.outcome))];
  return outcomes.find((o) => o.startsWith('urbanization_rate.shanxi.')) ?? outcomes[0] ?? '';
}

/** Factors by decreasing largest |estimate| for an outcome (the tornado's order). */
function factorOrder(rows: IndexRow[]): string[] {
  const size = new Map<string, number>();
  for (const r of rows) size.set(r.factor, Math.max(size.get(r.factor) ?? 0, Math.abs(r.estimate)));
  return [...size].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f]) => f);
}

const barColor = (r: IndexRow) => (r.estimate >= 0 ? COLOR.resident : COLOR.hukou);

/** The tornado of one outcome: a bar per factor and index, with its 90% interval. */
export function tornadoChart(s: SweepData, outcome: string): string {
  const rows = indexRows(s).filter((r) => r.outcome === outcome);
  const order = factorOrder(rows);
  const methods = [...new Set(rows.map((r) => r.method))];
  return render({
    width: 900,
    height: 80 + Math.max(1, order.length) * 34,
    marginLeft: 300,
    marginRight: 30,
    marginTop: 24,
    marginBottom: 40,
    fx: { domain: methods, label: null, axis: 'top' },
    y: { domain: order, label: null },
    x: { grid: true, label: `${outcomeName(outcome)}: 效应 effect`, domain: paddedDomain([0, ...rows.flatMap((r) => [r.low, r.high])], 0.05) },
    marks: [
      Plot.barX(rows, { fx: 'method', y: 'factor', x: 'estimate', fill: barColor, fillOpacity: 0.75, insetTop: 6, insetBottom: 6 }),
      Plot.ruleY(rows, { fx: 'method', y: 'factor', x1: 'low', x2: 'high', stroke: '#222', strokeWidth: 1.5 }),
      Plot.tickX(rows, { fx: 'method', y: 'factor', x: 'low', stroke: '#222', inset: 10 }),
      Plot.tickX(rows, { fx: 'method', y: 'factor', x: 'high', stroke: '#222', inset: 10 }),
      Plot.ruleX([0], { stroke: '#555' }),
    ],
  });
}

/** Tornadoes of every outcome, one facet row each (shared factor order and x axis). */
export function allTornadoes(s: SweepData): string {
  const rows = indexRows(s).map((r) => ({ ...r, label: outcomeShort(r.outcome) }));
  const outcomes = [...new Set(rows.map((r) => r.label))];
  const order = factorOrder(rows);
  const methods = [...new Set(rows.map((r) => r.method))];
  const rowH = 14 + 16 * order.length;
  return render({
    width: 900,
    height: 80 + rowH * outcomes.length,
    marginLeft: 350,
    marginRight: 20,
    marginTop: 30,
    marginBottom: 40,
    fx: { domain: methods, label: null, axis: 'top' },
    fy: { domain: outcomes, label: null, axis: 'left', padding: 0.15 },
    y: { domain: order, axis: null, padding: 0.15 },
    color: { domain: order, legend: true },
    x: { grid: true, label: '效应 effect (90% bootstrap interval)', domain: paddedDomain([0, ...rows.flatMap((r) => [r.low, r.high])], 0.05) },
    marks: [
      Plot.frame({ stroke: '#eee' }),
      Plot.barX(rows, { fx: 'method', fy: 'label', y: 'factor', x: 'estimate', fill: 'factor', fillOpacity: 0.75 }),
      Plot.ruleY(rows, { fx: 'method', fy: 'label', y: 'factor', x1: 'low', x2: 'high', stroke: '#222' }),
      Plot.ruleX([0], { stroke: '#555' }),
    ],
  });
}

/** The main outcome against each factor's sampled value, one small scatter per factor. */
export function scatterCharts(s: SweepData, outcome: string): { factor: string; svg: string }[] {
  return s.factors.map((f) => {
    const pts = s.samplesRows.map((r) => ({ x: Number(r[f.path]), y: Number(r[outcome]) })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    return {
      factor: f.path,
      svg: render({
        width: 440,
        height: 260,
        marginLeft: 56,
        marginBottom: 40,
        x: { label: `${f.path} (${f.lo} .. ${f.hi})`, grid: true, domain: [f.lo, f.hi] },
        y: {
          label: outcomeShort(outcome),
          grid: true,
          domain: pts.length
            ? paddedDomain(
                pts.map((p) => p.y),
                1e-6,
              )
            : undefined,
        },
        marks: [
          Plot.dot(pts, { x: 'x', y: 'y', fill: COLOR.resident, fillOpacity: 0.7, r: 3 }),
          pts.length > 2 ? Plot.linearRegressionY(pts, { x: 'x', y: 'y', stroke: COLOR.target, ci: 0 }) : null,
        ],
      }),
    };
  });
}
