/**
 * Charts with Observable Plot, rendered to SVG in Node on a linkedom document (no browser, no
 * native build). Shared pieces: the fan marks (90% band, 50% band, median), colours, year axes.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Fan } from './stats.js';

let doc: Document | undefined;

/** A DOM document for Plot to build its elements in (one for the process). */
function document(): Document {
  if (!doc) doc = parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return doc;
}

/** Renders a Plot chart to its SVG (or figure with a legend) markup. */
export function render(options: Plot.PlotOptions): string {
  const el = Plot.plot({ style: { fontFamily: 'inherit', fontSize: '11px', background: 'transparent' }, ...options, document: document() });
  return el.outerHTML;
}

/** Colours of the report (colour-blind safe pairs). */
export const COLOR = {
  resident: '#1f5fa8',
  hukou: '#d9822b',
  gap: '#6b4c9a',
  target: '#c0392b',
  history: '#222222',
  inflow: '#2e8b57',
  outflow: '#c0392b',
  net: '#6b4c9a',
  red: '#d64541',
  amber: '#f0ad4e',
  green: '#3c9d5d',
};

/** Scenario colours in a compare report, base first. */
export const SCENARIO_COLORS = ['#444444', '#1f5fa8', '#d9822b', '#2e8b57', '#6b4c9a', '#c0392b', '#17becf', '#8c564b'];

/** Colour of a probability of meeting a target: red < 20%, amber 20-80%, green > 80%. */
export function pColor(p: number | undefined): string {
  if (p === undefined) return '#bbbbbb';
  return p < 0.2 ? COLOR.red : p > 0.8 ? COLOR.green : COLOR.amber;
}

/** A white outline behind text so labels stay legible over lines and bands. */
export const HALO = { stroke: 'white', strokeWidth: 3, paintOrder: 'stroke' } as const;

/** A year series with fan quantiles. */
export type FanRow = { year: number } & Fan;

/** The marks of a fan: 90% band, 50% band (when known) and the median line. */
export function fanMarks(rows: readonly FanRow[], color: string, extra: Record<string, unknown> = {}): Plot.Markish[] {
  const with50 = rows.filter((r) => Number.isFinite(r.p25));
  return [
    Plot.areaY(rows, { x: 'year', y1: 'p05', y2: 'p95', fill: color, fillOpacity: 0.16, curve: 'monotone-x', ...extra }),
    with50.length ? Plot.areaY(with50, { x: 'year', y1: 'p25', y2: 'p75', fill: color, fillOpacity: 0.34, curve: 'monotone-x', ...extra }) : null,
    Plot.lineY(rows, { x: 'year', y: 'p50', stroke: color, strokeWidth: 2, curve: 'monotone-x', ...extra }),
  ];
}

/** An x axis of whole years: every year for short spans, else every fifth. */
export function yearAxis(first: number, last: number, label: string | null = '年 year'): Plot.ScaleOptions {
  const all: number[] = [];
  for (let y = first; y <= last; y++) all.push(y);
  const ticks = all.length > 12 ? all.filter((y) => y % 5 === 0) : all.length > 7 ? all.filter((y) => (y - first) % 2 === 0 || y === last) : all;
  return { domain: [first, last], ticks, tickFormat: 'd', label };
}

/** A y domain covering the values, padded by 8% of the span (at least `minPad`). */
export function paddedDomain(values: number[], minPad = 0.5): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  const lo = Math.min(...finite),
    hi = Math.max(...finite);
  const pad = Math.max(minPad, (hi - lo) * 0.08);
  return [lo - pad, hi + pad];
}

export { Plot };
