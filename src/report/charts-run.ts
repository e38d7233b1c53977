/**
 * The charts of a run folder: the province's urbanization fan with its history and target, the
 * cities and the central cluster against their 专栏2 / 第四章第六节 targets, the scorecard of
 * P(met), resident vs hukou urbanization and their gap (migration across region borders:
 * charts-migration.ts).
 */
import { fixed, formatNumber } from '../core/format.js';
import { heldOutMarks, heldOutValues } from './charts-backtest.js';
import { derivedSeries, fanSeries, type RunData, type TargetRow } from './data.js';
import { CITY_NAMES, direction, metricShort, regionName } from './names.js';
import { COLOR, fanMarks, HALO, paddedDomain, pColor, Plot, render, yearAxis, type FanRow } from './plot.js';

/** The two census-consistent points of the province's urbanization rate (plan text 第一章第一节). */
export const HISTORY = [
  { year: 2015, value: 55.87 },
  { year: 2020, value: 62.53 },
];
/** Hukou urbanization rate, 2020 (provincial census bulletin as quoted, data/reference/shanxi-data.md). */
export const HUKOU_2020 = 42.9;

const cmpText = (c: string) => (c === 'about' ? '≈' : c === '>=' ? '≥' : c === '<=' ? '≤' : c);
export const last = <T>(xs: readonly T[]): T | undefined => xs[xs.length - 1];

/** Targets of a metric and region, one per distinct (year, comparator, value). */
export function targetsOf(d: RunData, metric: string, region: string): TargetRow[] {
  const seen = new Set<string>();
  return d.targets.filter((t) => {
    const k = `${t.year}|${t.comparator}|${t.value}`;
    if (t.metric !== metric || t.region !== region || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Target marks: a dashed line at the value, a diamond at the target year and a label. */
function targetMarks(targets: TargetRow[], xStart: number, small = false): Plot.Markish[] {
  return [
    Plot.ruleY(targets, { y: 'value', stroke: COLOR.target, strokeDasharray: '6,4', strokeWidth: 1.2 }),
    Plot.dot(targets, { x: 'year', y: 'value', symbol: 'diamond', fill: COLOR.target, r: small ? 3.5 : 5 }),
    Plot.text(targets, {
      x: xStart,
      y: 'value',
      textAnchor: 'start',
      dy: -7,
      fill: COLOR.target,
      fontWeight: 600,
      ...HALO,
      text: (t: TargetRow) => (small ? `目标 target ${cmpText(t.comparator)}${t.value}%` : `${t.year} 目标 target ${cmpText(t.comparator)}${t.value}%`),
    }),
  ];
}

/** Label at the end of the median line. */
export function endLabel(rows: FanRow[], color: string, prefix: string, digits = 1, suffix = '%'): Plot.Markish {
  const l = last(rows);
  return l
    ? Plot.text([l], {
        x: 'year',
        y: 'p50',
        text: () => `${prefix}${formatNumber(l.p50, fixed(digits))}${suffix}`,
        textAnchor: 'start',
        dx: 6,
        fill: color,
        fontWeight: 600,
        ...HALO,
      })
    : null;
}

/** Fan of the province's resident urbanization rate, history 2015-2020 and the plan's targets. */
export function provinceFan(d: RunData): string {
  const rows = fanSeries(d, 'urbanization_rate', 'shanxi');
  const targets = targetsOf(d, 'urbanization_rate', 'shanxi');
  const lastYear = Math.max(...d.years, ...targets.map((t) => t.year));
  const firstYear = Math.min(HISTORY[0].year, ...d.years);
  return render({
    width: 900,
    height: 420,
    marginLeft: 56,
    marginRight: 130,
    marginBottom: 40,
    x: yearAxis(firstYear, lastYear),
    y: {
      grid: true,
      label: '常住人口城镇化率 resident urbanization rate (%)',
      domain: paddedDomain([
        ...rows.flatMap((r) => [r.p05, r.p95]),
        ...HISTORY.map((h) => h.value),
        ...targets.map((t) => t.value),
        ...heldOutValues(d, 'urbanization_rate', 'shanxi'),
      ]),
    },
    marks: [
      ...targetMarks(targets, firstYear),
      ...fanMarks(rows, COLOR.resident),
      ...heldOutMarks(d, 'urbanization_rate', 'shanxi'),
      Plot.lineY(HISTORY, { x: 'year', y: 'value', stroke: COLOR.history, strokeDasharray: '2,3' }),
      Plot.dot(HISTORY, { x: 'year', y: 'value', fill: COLOR.history, r: 4 }),
      Plot.text(HISTORY, {
        x: 'year',
        y: 'value',
        text: (h: { year: number; value: number }) => `${h.year} 普查口径 census-consistent ${h.value}%`,
        textAnchor: 'start',
        dx: 8,
        dy: 12,
        fill: COLOR.history,
        ...HALO,
      }),
      endLabel(rows, COLOR.resident, '中位数 median '),
    ],
  });
}

/** Each run's province urbanization rate in the target year (or the last year), against the target. */
export function provinceFinal(d: RunData): string {
  const targets = targetsOf(d, 'urbanization_rate', 'shanxi').filter((t) => d.years.includes(t.year));
  const year = targets[0]?.year ?? d.years[d.years.length - 1];
  const f = fanSeries(d, 'urbanization_rate', 'shanxi').find((r) => r.year === year);
  const values = d.values.get('urbanization_rate|shanxi')?.get(year) ?? (f ? [f.p05, f.p50, f.p95] : []);
  const qs = f ? [f.p05, f.p50, f.p95].map((v) => ({ v })) : [];
  return render({
    width: 900,
    height: 150,
    marginLeft: 56,
    marginRight: 40,
    marginTop: 28,
    marginBottom: 40,
    x: {
      grid: true,
      label: `${year} 常住人口城镇化率 resident urbanization rate (%), 每点一次运行 one dot per run`,
      domain: paddedDomain([...values, ...qs.map((q) => q.v), ...targets.map((t) => t.value)], 0.05),
    },
    marks: [
      Plot.ruleX(targets, { x: 'value', stroke: COLOR.target, strokeDasharray: '6,4', strokeWidth: 1.5 }),
      Plot.text(targets, {
        x: 'value',
        text: (t: TargetRow) => `目标 target ${cmpText(t.comparator)}${t.value}%`,
        frameAnchor: 'top',
        dy: -18,
        fill: COLOR.target,
        fontWeight: 600,
      }),
      Plot.tickX(qs, { x: 'v', stroke: '#888', strokeWidth: 1.5 }),
      Plot.dotX(values, Plot.dodgeY({ x: (v: number) => v, fill: COLOR.resident, fillOpacity: 0.75, r: 4, anchor: 'middle' })),
    ],
  });
}

/** One small chart per city and one for the central cluster, each against its own targets. */
export function cityMultiples(d: RunData): { region: string; title: string; svg: string }[] {
  const regions = [
    ...Object.keys(CITY_NAMES).filter((c) => d.values.has(`urbanization_rate|${c}`) || d.indicators.has(`urbanization_rate|${c}`)),
    'central_cluster',
  ];
  return regions.map((region) => {
    const rows = fanSeries(d, 'urbanization_rate', region);
    const targets = targetsOf(d, 'urbanization_rate', region);
    const first = rows[0]?.year ?? d.years[0];
    const lastYear = Math.max(last(rows)?.year ?? first, ...targets.map((t) => t.year));
    const svg = render({
      width: 290,
      height: 190,
      marginLeft: 40,
      marginRight: 48,
      marginTop: 14,
      marginBottom: 26,
      x: yearAxis(first, lastYear, null),
      y: { grid: true, label: null, domain: paddedDomain([...rows.flatMap((r) => [r.p05, r.p95]), ...targets.map((t) => t.value)], 0.4) },
      marks: [...targetMarks(targets, first, true), ...fanMarks(rows, COLOR.resident), endLabel(rows, COLOR.resident, '')],
    });
    return { region, title: regionName(region), svg };
  });
}

/** Horizontal bars of P(met) for each distinct computed target, coloured red / amber / green, with its 90% Monte Carlo interval as a line. */
export function scorecardChart(rows: TargetRow[]): string {
  const label = (t: TargetRow) => `${direction(t.comparator)} ${metricShort(t.metric)} · ${regionName(t.region)}`;
  const data = rows.map((t) => ({
    label: label(t),
    p: t.p_met ?? 0,
    lo: t.p_met_lo ?? t.p_met ?? 0,
    hi: t.p_met_hi ?? t.p_met ?? 0,
    color: pColor(t.p_met),
  }));
  return render({
    width: 900,
    height: 40 + 22 * data.length,
    marginLeft: 330,
    marginRight: 50,
    marginTop: 30,
    x: { domain: [0, 1], label: '达标概率 P(target met)', tickFormat: '.0%', grid: true, axis: 'top' },
    y: { label: null, domain: data.map((r) => r.label) },
    marks: [
      Plot.barX(data, { y: 'label', x: 'p', fill: 'color', insetTop: 3, insetBottom: 3 }),
      Plot.ruleX([0.2, 0.8], { stroke: '#999', strokeDasharray: '3,3' }),
      Plot.ruleX([0]),
      // The 90% Monte Carlo interval of P(met).
      Plot.ruleY(data, { y: 'label', x1: 'lo', x2: 'hi', stroke: '#333', strokeWidth: 1.5 }),
      Plot.text(data, {
        y: 'label',
        x: (r: { hi: number }) => r.hi,
        text: (r: { p: number }) => `${Math.round(r.p * 100)}%`,
        textAnchor: 'start',
        dx: 4,
        fill: 'color',
        fontWeight: 600,
      }),
    ],
  });
}

/** Resident (常住) and hukou (户籍) urbanization of the province, both as fans. */
export function hukouChart(d: RunData): string {
  const res = fanSeries(d, 'urbanization_rate', 'shanxi'),
    huk = fanSeries(d, 'hukou_urbanization_rate', 'shanxi');
  const hist = [{ year: 2020, value: HUKOU_2020 }];
  return render({
    width: 900,
    height: 380,
    marginLeft: 56,
    marginRight: 170,
    marginBottom: 40,
    x: yearAxis(res[0]?.year ?? d.years[0], last(d.years) ?? 2025),
    y: { grid: true, label: '城镇化率 urbanization rate (%)', domain: paddedDomain([...res, ...huk].flatMap((r) => [r.p05, r.p95])) },
    marks: [
      ...fanMarks(res, COLOR.resident),
      ...fanMarks(huk, COLOR.hukou),
      endLabel(res, COLOR.resident, '常住 resident '),
      endLabel(huk, COLOR.hukou, '户籍 hukou '),
      Plot.dot(hist, { x: 'year', y: 'value', fill: COLOR.history, r: 4 }),
      Plot.text(hist, {
        x: 'year',
        y: 'value',
        text: () => `2020 普查 census ${HUKOU_2020}%`,
        textAnchor: 'start',
        dx: 8,
        dy: 12,
        fill: COLOR.history,
        ...HALO,
      }),
    ],
  });
}

/** The gap 常住 − 户籍 in percentage points, per run, as a fan. */
export function gapChart(d: RunData): string {
  const rows = d.perRun
    ? derivedSeries(d, 'urbanization_rate', 'hukou_urbanization_rate', 'shanxi', (a, b) => a - b)
    : fanSeries(d, 'urbanization_rate', 'shanxi').map((r) => {
        const h = fanSeries(d, 'hukou_urbanization_rate', 'shanxi').find((x) => x.year === r.year)!;
        const v = r.p50 - h.p50;
        return { ...r, p05: v, p25: NaN, p50: v, p75: NaN, p95: v };
      });
  return render({
    width: 900,
    height: 260,
    marginLeft: 56,
    marginRight: 170,
    marginBottom: 40,
    x: yearAxis(rows[0]?.year ?? d.years[0], last(d.years) ?? 2025),
    y: {
      grid: true,
      label: '差距 gap (百分点 percentage points)',
      domain: paddedDomain(
        rows.flatMap((r) => [r.p05, r.p95]),
        0.3,
      ),
    },
    marks: [...fanMarks(rows, COLOR.gap), endLabel(rows, COLOR.gap, '差距 gap ', 2, ' pp')],
  });
}
