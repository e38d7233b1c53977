/**
 * A backtest on a fan chart: the held-out observations of backtest.csv (urbanize backtest) with
 * the backtest's 90% predictive interval at each, a filled dot for an observation inside it and
 * a hollow one outside, and a line giving the share inside: of this series, and of all series (and
 * the error growth the bands include, when the backtest took one from another, --growth-from).
 */
import { formatNumber, fixed } from '../core/format.js';
import type { BacktestRow } from '../results/backtest.js';
import type { RunData } from './data.js';
import { COLOR, HALO, Plot } from './plot.js';

/** The held-out rows of a series and region (none without backtest.csv). */
export const heldOut = (d: RunData, series: string, region: string): BacktestRow[] =>
  (d.backtest ?? []).filter((r) => r.series === series && r.region === region);

/** The coverage line: "k of n held-out observations inside the 90% band", this series and all. */
export function coverageText(d: RunData, series: string, region: string): string {
  const all = d.backtest ?? [],
    mine = heldOut(d, series, region);
  const share = (rs: BacktestRow[]) =>
    `${rs.filter((r) => r.in90).length} / ${rs.length} (${formatNumber((100 * rs.filter((r) => r.in90).length) / rs.length, fixed(0))}%)`;
  const g = mine.find((r) => r.growth_sd1 !== undefined)?.growth_sd1;
  const grown = g === undefined ? '' : `; bands grow by ${formatNumber(g, fixed(2))}·√years, another backtest's error growth`;
  return `回测 backtest: ${share(mine)} held-out observations inside the 90% band; all series ${share(all)}${grown}`;
}

/** The marks of the held-out observations and the coverage line; none when there are none. */
export function heldOutMarks(d: RunData, series: string, region: string): Plot.Markish[] {
  const rows = heldOut(d, series, region);
  if (!rows.length) return [];
  return [
    Plot.ruleX(rows, { x: 'year', y1: 'pred_p05', y2: 'pred_p95', stroke: COLOR.history, strokeWidth: 1.2, strokeOpacity: 0.7 }),
    Plot.dot(rows, {
      x: 'year',
      y: 'observed',
      r: 4.5,
      stroke: COLOR.history,
      strokeWidth: 1.5,
      fill: (r: BacktestRow) => (r.in90 ? COLOR.history : 'white'),
      title: (r: BacktestRow) => `${r.year}: observed ${r.observed}, 90% band ${formatNumber(r.pred_p05, fixed(2))} .. ${formatNumber(r.pred_p95, fixed(2))}`,
    }),
    Plot.text([coverageText(d, series, region)], { frameAnchor: 'bottom-right', dx: -4, dy: -24, fill: COLOR.history, fontWeight: 600, ...HALO }),
  ];
}

/** The values the y domain must include for the held-out marks. */
export const heldOutValues = (d: RunData, series: string, region: string): number[] =>
  heldOut(d, series, region).flatMap((r) => [r.observed, r.pred_p05, r.pred_p95]);
