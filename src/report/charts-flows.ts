/**
 * The flow charts of a run folder: a Sankey diagram of a year's mean movers from each place type
 * to each (flows.csv), and the province's yearly urban gain split into migration,
 * reclassification and natural change (runs.csv's urban_gain_* metrics).
 *
 * Why a Sankey and not a chord diagram: the flows are directed and mostly one way (villages to
 * towns and city districts, Shanxi to the rest of China and back), and a Sankey puts origins on
 * the left and destinations on the right, so direction reads without arrows and a type's outflow
 * and inflow are two bars one can compare; a chord diagram draws both directions of a pair as one
 * ribbon and shows direction only by the ribbon's ends. Observable Plot has no Sankey or chord
 * mark; a two-column Sankey is rects for the types and `link` marks (bump curve) as wide as their
 * flow, laid out here, whereas chord ribbons would need d3-chord and hand-built SVG paths.
 */
import type { FlowMatrix } from '../results/flows.js';
import type { RunData } from './data.js';
import { esc } from './html.js';
import { HALO, Plot, render } from './plot.js';

/** Names of the place types in the charts. */
export const TYPE_NAMES: Record<string, string> = {
  city_districts: '市辖区 city districts',
  county_town: '县城 county towns',
  other_towns: '其他镇区 other towns',
  village: '乡村 villages',
  other_provinces: '外省 other provinces',
};
const TYPE_COLORS = ['#1f5fa8', '#d9822b', '#6b4c9a', '#2e8b57', '#777777'];

const HEIGHT = 460,
  MARGIN = 20,
  GAP = 0.04;

/** A two-column Sankey of `m`: origins on the left, destinations on the right, band widths in persons (mean per run). */
export function flowSankey(m: FlowMatrix): string {
  const n = m.groups.length,
    v = (o: number, d: number) => m.mean[o * n + d];
  const out = m.groups.map((_, o) => m.groups.reduce((a, _g, d) => a + v(o, d), 0));
  const into = m.groups.map((_, d) => m.groups.reduce((a, _g, o) => a + v(o, d), 0));
  const total = out.reduce((a, x) => a + x, 0) || 1;
  const gap = total * GAP,
    span = total + gap * (n - 1);
  const k = (HEIGHT - 2 * MARGIN) / span; // pixels per person
  const stack = (sizes: number[]) => {
    let y = 0;
    return sizes.map((s) => {
      const node = { y1: y, y2: y + s };
      y += s + gap;
      return node;
    });
  };
  const left = stack(out),
    right = stack(into);
  const nodes = [
    ...left.map((b, i) => ({ ...b, x1: 0, x2: 0.03, i, label: `${TYPE_NAMES[m.groups[i]] ?? m.groups[i]} ${fmt(out[i])}`, anchor: 'end', lx: -0.01 })),
    ...right.map((b, i) => ({ ...b, x1: 0.97, x2: 1, i, label: `${TYPE_NAMES[m.groups[i]] ?? m.groups[i]} ${fmt(into[i])}`, anchor: 'start', lx: 1.01 })),
  ].filter((b) => b.y2 > b.y1);
  const lcur = left.map((b) => b.y1),
    rcur = right.map((b) => b.y1);
  const links: { o: number; d: number; f: number; y1: number; y2: number; w: number }[] = [];
  for (let o = 0; o < n; o++) {
    for (let d = 0; d < n; d++) {
      const f = v(o, d);
      if (f <= 0) continue;
      links.push({ o, d, f, y1: lcur[o] + f / 2, y2: 0, w: f * k });
      lcur[o] += f;
    }
  }
  // Destinations take their inflows in the order of the origins.
  for (let d = 0; d < n; d++)
    for (const l of links)
      if (l.d === d) {
        l.y2 = rcur[d] + l.f / 2;
        rcur[d] += l.f;
      }
  return render({
    width: 900,
    height: HEIGHT,
    marginLeft: 190,
    marginRight: 190,
    marginTop: MARGIN,
    marginBottom: MARGIN,
    x: { domain: [0, 1], axis: null },
    y: { domain: [span, 0], axis: null },
    color: { domain: m.groups.map((_, i) => i), range: TYPE_COLORS },
    marks: [
      Plot.link(links, { x1: 0.03, x2: 0.97, y1: 'y1', y2: 'y2', stroke: 'o', strokeWidth: 'w', strokeOpacity: 0.4, curve: 'bump-x' }),
      Plot.rect(nodes, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'i' }),
      ...(['end', 'start'] as const).map((anchor) =>
        Plot.text(
          nodes.filter((b) => b.anchor === anchor),
          { x: 'lx', y: (b: { y1: number; y2: number }) => (b.y1 + b.y2) / 2, text: 'label', textAnchor: anchor, fill: '#222', ...HALO },
        ),
      ),
    ],
  });
}

const fmt = (x: number): string => (x >= 1e4 ? `${(x / 1e4).toFixed(1)}万` : String(Math.round(x)));

/** The components of the urban gain, their names and colours. */
const GAIN = [
  { metric: 'urban_gain_migration', name: '迁移 migration', color: '#2e8b57' },
  { metric: 'urban_gain_reclassification', name: '就地转换 reclassification', color: '#d9822b' },
  { metric: 'urban_gain_natural', name: '自然增长 natural change', color: '#6b4c9a' },
];

/** The mean of a metric across runs for Shanxi in each flow year (runs.csv, or indicators.csv's mean without it). */
function meanSeries(d: RunData, metric: string): { year: number; value: number }[] {
  const byYear = d.values.get(`${metric}|shanxi`),
    fans = d.indicators.get(`${metric}|shanxi`);
  return d.years.slice(1).map((year) => {
    const xs = byYear?.get(year) ?? [];
    return { year, value: xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : (fans?.get(year)?.mean ?? 0) };
  });
}

/** The rows of the urban gain chart and table: per year, each component's mean and their sum. */
export function urbanGainRows(d: RunData): { year: number; component: string; value: number; color: string }[] {
  return GAIN.flatMap((g) => meanSeries(d, g.metric).map((r) => ({ ...r, component: g.name, color: g.color })));
}

/** Stacked bars of Shanxi's yearly urban gain by component (means across runs, 万人), with the total as a dot. */
export function urbanGainChart(d: RunData): string {
  const rows = urbanGainRows(d).map((r) => ({ ...r, value: r.value / 1e4 }));
  const totals = d.years.slice(1).map((year) => ({ year, value: rows.filter((r) => r.year === year).reduce((a, r) => a + r.value, 0) }));
  return render({
    width: 900,
    height: 320,
    marginLeft: 56,
    marginBottom: 40,
    x: { type: 'band', label: '年 year', tickFormat: 'd' },
    y: { grid: true, label: '万人 10,000 persons per year' },
    color: { domain: GAIN.map((g) => g.name), range: GAIN.map((g) => g.color), legend: true },
    marks: [
      Plot.barY(rows, Plot.stackY({ x: 'year', y: 'value', fill: 'component', order: GAIN.map((g) => g.name) })),
      Plot.ruleY([0]),
      Plot.dot(totals, { x: 'year', y: 'value', fill: '#111', r: 4 }),
    ],
  });
}

const cellOf = (x: number): string => Math.round(x).toLocaleString('en-US');

/** The table of a mean origin-destination matrix by place type: rows origins, columns destinations, with totals. */
export function flowTable(m: FlowMatrix): string {
  const n = m.groups.length,
    name = (g: string) => esc(TYPE_NAMES[g] ?? g);
  const colTotals = m.groups.map((_, d) => m.groups.reduce((a, _g, o) => a + m.mean[o * n + d], 0));
  const rows = m.groups.map((g, o) => {
    const row = [...m.mean.subarray(o * n, o * n + n)];
    return `<tr><th>${name(g)}</th>${row.map((x) => `<td>${cellOf(x)}</td>`).join('')}<td><b>${cellOf(row.reduce((a, x) => a + x, 0))}</b></td></tr>`;
  });
  rows.push(
    `<tr><th>合计 total</th>${colTotals.map((x) => `<td><b>${cellOf(x)}</b></td>`).join('')}<td><b>${cellOf(colTotals.reduce((a, x) => a + x, 0))}</b></td></tr>`,
  );
  return `<table class="flows"><thead><tr><th>从 from \\ 到 to</th>${m.groups.map((g) => `<th>${name(g)}</th>`).join('')}<th>合计 total</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The table of the urban gain split: per year, each component's mean and their sum (persons). */
export function urbanGainTable(d: RunData): string {
  const rows = urbanGainRows(d);
  const body = d.years.slice(1).map((year) => {
    const parts = GAIN.map((g) => rows.find((r) => r.year === year && r.component === g.name)?.value ?? 0);
    return `<tr><th>${year}</th>${parts.map((x) => `<td>${cellOf(x)}</td>`).join('')}<td><b>${cellOf(parts.reduce((a, x) => a + x, 0))}</b></td></tr>`;
  });
  return `<table class="flows"><thead><tr><th>年 year</th>${GAIN.map((g) => `<th>${esc(g.name)}</th>`).join('')}<th>城镇人口变化 change of the urban population</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}
