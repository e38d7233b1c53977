/**
 * The charts of a compare folder: the scenarios' province urbanization fans side by side, and
 * forest plots of the paired differences (variant − base on the same seeds) per target.
 */
import { fanSeries, type CompareData, type TargetRow } from './data.js';
import { HISTORY, targetsOf } from './charts-run.js';
import { direction, metricShort, regionName } from './names.js';
import { COLOR, HALO, paddedDomain, Plot, render, SCENARIO_COLORS, yearAxis } from './plot.js';
import type { CompareTargetsRow } from '../results/format.js';

/** Province urbanization rate of every scenario from the census on: median and 90% band, target. */
export function compareFan(c: CompareData): string {
  const names = c.scenarios.map((s) => s.scenario);
  const data = c.scenarios.flatMap((s) => fanSeries(s, 'urbanization_rate', 'shanxi').map((r) => ({ ...r, scenario: s.scenario })));
  const targets = c.scenarios[0] ? targetsOf(c.scenarios[0], 'urbanization_rate', 'shanxi') : [];
  const lastYear = Math.max(...data.map((r) => r.year), ...targets.map((t) => t.year));
  const firstYear = Math.min(...data.map((r) => r.year));
  const hist = HISTORY.filter((h) => h.year >= firstYear);
  return render({
    width: 900,
    height: 420,
    marginLeft: 56,
    marginRight: 40,
    marginBottom: 40,
    color: { domain: names, range: SCENARIO_COLORS.slice(0, names.length), legend: true },
    x: yearAxis(firstYear, lastYear),
    y: {
      grid: true,
      label: '常住人口城镇化率 resident urbanization rate (%)',
      domain: paddedDomain([...data.flatMap((r) => [r.p05, r.p95]), ...hist.map((h) => h.value), ...targets.map((t) => t.value)], 0.2),
    },
    marks: [
      Plot.ruleY(targets, { y: 'value', stroke: COLOR.target, strokeDasharray: '6,4' }),
      Plot.dot(targets, { x: 'year', y: 'value', symbol: 'diamond', fill: COLOR.target, r: 5 }),
      Plot.text(targets, {
        x: firstYear,
        y: 'value',
        text: (t: TargetRow) => `${t.year} 目标 target ${t.comparator === '>=' ? '≥' : t.comparator}${t.value}%`,
        textAnchor: 'start',
        dy: -7,
        fill: COLOR.target,
        fontWeight: 600,
        ...HALO,
      }),
      Plot.areaY(data, { x: 'year', y1: 'p05', y2: 'p95', fill: 'scenario', fillOpacity: 0.14, curve: 'monotone-x' }),
      Plot.lineY(data, { x: 'year', y: 'p50', stroke: 'scenario', strokeWidth: 2, curve: 'monotone-x' }),
      Plot.dot(hist, { x: 'year', y: 'value', fill: COLOR.history, r: 4 }),
      Plot.text(hist, {
        x: 'year',
        y: 'value',
        text: (h: { year: number; value: number }) => `${h.year} 普查 census ${h.value}%`,
        textAnchor: 'start',
        dx: 8,
        dy: 12,
        fill: COLOR.history,
        ...HALO,
      }),
    ],
  });
}

/** A row of the forest plot: one target, one variant. */
export interface ForestRow {
  target: string;
  label: string;
  variant: string;
  mean: number;
  lo: number;
  hi: number;
  pBetter: number;
}

/** Unit groups: the forest plots share an x axis only within a unit. */
export const UNIT_GROUPS: { unit: string; title: string; axis: string; scale: number }[] = [
  { unit: '%', title: '比率类目标 rates and shares', axis: '差值 difference variant − base (百分点 percentage points)', scale: 1 },
  { unit: 'ratio', title: '比值类目标 ratios', axis: '差值 difference variant − base', scale: 1 },
  { unit: 'persons', title: '人数类目标 persons', axis: '差值 difference variant − base (万人 10,000 persons)', scale: 1e-4 },
];

/** Forest rows of compare_targets.csv, one per distinct target (the plan states some twice) and variant. */
export function forestRows(c: CompareData): { unit: string; rows: ForestRow[] }[] {
  const meta = new Map((c.scenarios[0]?.targets ?? []).map((t) => [t.id, t]));
  const seen = new Set<string>();
  const distinct: CompareTargetsRow[] = c.targets.filter((r) => {
    const k = [r.variant, r.metric, r.region, r.year, r.comparator, r.value].join('|');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return UNIT_GROUPS.map((g) => ({
    unit: g.unit,
    rows: distinct
      .filter((r) => (meta.get(r.target)?.unit ?? '%') === g.unit)
      .map((r) => {
        return {
          target: r.target,
          label: `${direction(r.comparator)} ${metricShort(r.metric)} · ${regionName(r.region)}`,
          variant: r.variant,
          // A blank cell (a difference that is not finite) is drawn at 0.
          mean: (r.diff_mean ?? 0) * g.scale,
          lo: (r.diff_p05 ?? 0) * g.scale,
          hi: (r.diff_p95 ?? 0) * g.scale,
          pBetter: r.p_better ?? 0,
        };
      }),
  })).filter((g) => g.rows.length > 0);
}

/** A forest plot: per target a row per variant, the mean paired difference and its 90% interval. */
export function forestChart(rows: ForestRow[], unit: string, variants: string[]): string {
  const g = UNIT_GROUPS.find((x) => x.unit === unit)!;
  const labels = [...new Set(rows.map((r) => r.label))];
  const colors = variants.map((_, i) => SCENARIO_COLORS[(i + 1) % SCENARIO_COLORS.length]);
  const rowH = Math.max(22, 12 * variants.length + 10);
  return render({
    width: 900,
    height: 70 + rowH * labels.length,
    marginLeft: 330,
    marginRight: 30,
    marginTop: 10,
    marginBottom: 40,
    color: { domain: variants, range: colors, legend: true },
    fy: { domain: labels, label: null, axis: 'left', padding: 0.1 },
    y: { domain: variants, axis: null, padding: 0.3 },
    x: { grid: true, label: g.axis, axis: labels.length > 8 ? 'both' : 'bottom', domain: paddedDomain([0, ...rows.flatMap((r) => [r.lo, r.hi])], 1e-9) },
    marks: [
      Plot.frame({ stroke: '#eee', fill: '#fafafa' }),
      Plot.ruleX([0], { stroke: '#555' }),
      Plot.ruleY(rows, { fy: 'label', y: 'variant', x1: 'lo', x2: 'hi', stroke: 'variant', strokeWidth: 2 }),
      Plot.dot(rows, { fy: 'label', y: 'variant', x: 'mean', fill: 'variant', r: 3.5 }),
    ],
  });
}
