/**
 * The migration charts of a run folder: yearly in-, out- and net out-migration across the borders
 * of the province, of each city and of the central cluster.
 */
import { cumulative, fanSeries, type RunData } from './data.js';
import { endLabel, last } from './charts-run.js';
import { CITY_NAMES, regionName } from './names.js';
import { COLOR, fanMarks, paddedDomain, Plot, render, yearAxis, type FanRow } from './plot.js';

const wan = (rows: FanRow[]): FanRow[] =>
  rows.map((r) => ({ ...r, p05: r.p05 / 1e4, p25: r.p25 / 1e4, p50: r.p50 / 1e4, p75: r.p75 / 1e4, p95: r.p95 / 1e4, mean: r.mean / 1e4 }));

/** Yearly in-migration, out-migration and net out-migration of the province (across its border). */
export function migrationProvince(d: RunData): string {
  const series = [
    { rows: wan(fanSeries(d, 'in_migration', 'shanxi')), color: COLOR.inflow, name: '迁入 in ' },
    { rows: wan(fanSeries(d, 'out_migration', 'shanxi')), color: COLOR.outflow, name: '迁出 out ' },
    { rows: wan(fanSeries(d, 'net_out_migration', 'shanxi')), color: COLOR.net, name: '净迁出 net out ' },
  ];
  const all = series.flatMap((s) => s.rows);
  return render({
    width: 900,
    height: 340,
    marginLeft: 56,
    marginRight: 170,
    marginBottom: 40,
    x: yearAxis(all[0]?.year ?? d.years[1], last(d.years) ?? 2025),
    y: { grid: true, label: '万人 10,000 persons per year', domain: paddedDomain([0, ...all.flatMap((r) => [r.p05, r.p95])], 0.1) },
    marks: [Plot.ruleY([0]), ...series.flatMap((s) => [...fanMarks(s.rows, s.color, { curve: 'linear' }), endLabel(s.rows, s.color, s.name, 2, '万')])],
  });
}

/** Yearly in- and out-migration of each city and the central cluster (medians, 50% and 90% bands), one small chart each on a shared y axis. */
export function migrationCities(d: RunData): { region: string; title: string; svg: string }[] {
  const regions = [...Object.keys(CITY_NAMES), 'central_cluster'];
  const series = regions.map((region) => ({ region, inflow: wan(fanSeries(d, 'in_migration', region)), outflow: wan(fanSeries(d, 'out_migration', region)) }));
  const top = Math.max(0, ...series.flatMap((s) => [...s.inflow, ...s.outflow].map((r) => r.p95)).filter(Number.isFinite));
  const years = series[0]?.inflow.map((r) => r.year) ?? [];
  return series.map((s) => ({
    region: s.region,
    title: regionName(s.region),
    svg: render({
      width: 290,
      height: 170,
      marginLeft: 40,
      marginRight: 16,
      marginTop: 14,
      marginBottom: 26,
      x: yearAxis(years[0] ?? 2021, years[years.length - 1] ?? 2025, null),
      y: { grid: true, label: null, domain: [0, top * 1.05 || 1] },
      marks: [...fanMarks(s.inflow, COLOR.inflow, { curve: 'linear' }), ...fanMarks(s.outflow, COLOR.outflow, { curve: 'linear' })],
    }),
  }));
}

/** Net out-migration 2021-end summed per run, by city: median and 90% interval. */
export function netOutByCity(d: RunData): string {
  const data = [...Object.keys(CITY_NAMES), 'central_cluster', 'shanxi'].flatMap((region) => {
    const f =
      cumulative(d, 'net_out_migration', region) ??
      (() => {
        const rows = fanSeries(d, 'net_out_migration', region);
        if (!rows.length) return undefined;
        const s = rows.reduce((a, r) => a + r.mean, 0);
        return { p05: s, p25: s, p50: s, p75: s, p95: s, mean: s, n: 0 };
      })();
    return f ? [{ name: regionName(region), p05: f.p05 / 1e4, p50: f.p50 / 1e4, p95: f.p95 / 1e4 }] : [];
  });
  return render({
    width: 900,
    height: 70 + 26 * data.length,
    marginLeft: 190,
    marginRight: 40,
    marginBottom: 46,
    x: { grid: true, label: '累计净迁出 cumulative net out-migration (万人 10,000 persons)' },
    y: { label: null, domain: data.map((r) => r.name) },
    marks: [
      Plot.barX(data, {
        y: 'name',
        x: 'p50',
        fill: (r: { p50: number }) => (r.p50 >= 0 ? COLOR.outflow : COLOR.inflow),
        fillOpacity: 0.7,
        insetTop: 4,
        insetBottom: 4,
      }),
      Plot.ruleY(data, { y: 'name', x1: 'p05', x2: 'p95', stroke: '#222', strokeWidth: 1.5 }),
      Plot.ruleX([0]),
    ],
  });
}
