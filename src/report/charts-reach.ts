/**
 * The report of a reach folder (`urbanize reach`): P(met) against the lever value, each value's
 * 90% Monte Carlo interval, the levels as dashed lines, and each crossing marked with its interval;
 * then the table of crossings and the values evaluated.
 */
import type { ReachCrossingRow, ReachPointRow } from '../results/reach-files.js';
import type { ReachData } from './data.js';
import { esc, figure, metaTable, page } from './html.js';
import { COLOR, HALO, Plot, render, SCENARIO_COLORS } from './plot.js';

const num = (x: number) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toPrecision(4))));
const pct = (p: number) => `${(100 * p).toFixed(1)}%`;
const LEVEL_COLORS = SCENARIO_COLORS.slice(1, 5);

/** P(met) against the lever value, with the levels and the crossings. */
export function reachChart(d: ReachData): string {
  const pts = [...d.points].sort((a, b) => a.value - b.value);
  const { lo, hi } = d.json.lever;
  const crossed = d.crossings.filter((c) => c.status === 'crossed' && c.value !== undefined);
  const colorOf = (level: number) => LEVEL_COLORS[d.crossings.findIndex((c) => c.level === level) % LEVEL_COLORS.length];
  return render({
    width: 900,
    height: 420,
    marginLeft: 60,
    marginBottom: 48,
    x: { domain: [lo, hi], grid: true, label: `${d.json.lever.path}${d.json.lever.mode === 'factor' ? ' (factor on its schedule)' : ''} →` },
    y: { domain: [0, 1], grid: true, label: '↑ P(met)', tickFormat: '.0%' },
    marks: [
      // Each crossing's interval as a band, open ends drawn to the range's edge.
      ...crossed.map((c) =>
        Plot.rectX([c], { x1: (r: ReachCrossingRow) => r.low ?? lo, x2: (r: ReachCrossingRow) => r.high ?? hi, fill: colorOf(c.level), fillOpacity: 0.15 }),
      ),
      Plot.ruleY(
        d.crossings.map((c) => c.level),
        { stroke: (l: number) => colorOf(l), strokeDasharray: '4 3' },
      ),
      Plot.ruleX(pts, { x: 'value', y1: 'p_lo', y2: 'p_hi', stroke: COLOR.resident, strokeOpacity: 0.6 }),
      Plot.line(pts, { x: 'value', y: 'p_met', stroke: COLOR.resident, strokeWidth: 1.5 }),
      Plot.dot(pts, {
        x: 'value',
        y: 'p_met',
        fill: (r: ReachPointRow) => (r.scenario_setting ? COLOR.target : COLOR.resident),
        r: 3.5,
        title: (r: ReachPointRow) => `${num(r.value)}: P(met) ${pct(r.p_met)} (${pct(r.p_lo)}-${pct(r.p_hi)}), step ${r.step}`,
      }),
      Plot.ruleX(crossed, { x: 'value', stroke: (c: ReachCrossingRow) => colorOf(c.level), strokeWidth: 2 }),
      Plot.text(crossed, {
        x: 'value',
        y: 'level',
        text: (c: ReachCrossingRow) => `${Math.round(100 * c.level)}%: ${num(c.value!)}`,
        dx: 6,
        dy: -8,
        textAnchor: 'start',
        fill: '#000',
        ...HALO,
      }),
    ],
  });
}

/** The crossings as a table. */
function crossingTable(d: ReachData): string {
  const { lever } = d.json;
  const end = (b: number | undefined, side: 'low' | 'high') =>
    b === undefined ? (side === 'low' ? `&lt; ${num(lever.lo)}` : `&gt; ${num(lever.hi)}`) : num(b);
  const rows = d.crossings
    .map((c) => {
      const what =
        c.status === 'crossed'
          ? `<td class="num">${num(c.value!)}</td><td class="num">${end(c.low, 'low')} – ${end(c.high, 'high')}</td>`
          : c.status === 'met_throughout'
            ? `<td colspan="2">已达到 met over the whole range (at ${num(c.value!)} already)</td>`
            : `<td colspan="2">范围内达不到 not reached within ${num(lever.lo)} – ${num(lever.hi)}</td>`;
      return `<tr><td class="num">${pct(c.level)}</td>${what}<td class="num">${c.bracket_low === undefined ? '—' : `${num(c.bracket_low)} – ${num(c.bracket_high!)}`}</td><td class="num">${pct(c.crossed_share)}</td></tr>`;
    })
    .join('');
  return `<table id="reach-crossings"><thead><tr><th>P(met) 水平 level</th><th>杠杆值 lever value</th><th>90% 区间 interval</th><th>括号 bracket evaluated</th><th>自助样本中穿越 bootstrap crossing within range</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The values evaluated, in lever order. */
function pointTable(d: ReachData): string {
  const rows = [...d.points]
    .sort((a, b) => a.value - b.value)
    .map(
      (p) =>
        `<tr${p.scenario_setting ? ' class="own"' : ''}><td class="num">${num(p.value)}${p.scenario_setting ? ' (scenario)' : ''}</td><td class="num">${pct(p.p_met)}</td><td class="num">${pct(p.p_lo)} – ${pct(p.p_hi)}</td><td class="num">${num(p.outcome_mean)}</td><td class="num">${p.step}</td></tr>`,
    )
    .join('');
  return `<table id="reach-points"><thead><tr><th>杠杆值 value</th><th>P(met)</th><th>90% 区间 interval</th><th>结果均值 mean outcome</th><th>步 step</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The page of a reach folder. */
export function reachPage(d: ReachData, title: string): string {
  const j = d.json;
  const t = j.target;
  const e = j.endpoint_effect;
  const body = `
<h1>${title}<small>urbanize reach report — what it takes · scenario ${esc(j.scenario)}</small></h1>
${metaTable([
  ['情景 scenario', esc(j.scenario)],
  [
    '目标 target',
    `${esc(t.id)}: <code>${esc(t.outcome)}</code> ${esc(t.comparator)} ${esc(t.value)}${t.discrepancy_sd ? ` (model discrepancy sd ${num(t.discrepancy_sd)})` : ' (no discrepancy)'}`,
  ],
  [
    '杠杆 lever',
    `<code>${esc(j.lever.path)}</code>${j.lever.mode === 'factor' ? ', a factor on its schedule' : ', one value for the whole simulation'}; searched ${num(j.lever.lo)} – ${num(j.lever.hi)}; documented ${num(j.lever.documented[0])} – ${num(j.lever.documented[1])} (${esc(j.lever.unit)})`,
  ],
  ['种子 seed', esc(j.seed)],
  [
    '运行次数 runs',
    `${j.values_evaluated} 杠杆值 values × ${j.runs_per_value} = ${j.runs_in_all}${j.posterior_sets ? `; ${j.posterior_sets} posterior sets` : ''}`,
  ],
  ['比例 scale', `${esc(j.scale)} 人/代理 persons per agent`],
])}
<p class="note">每个杠杆值用同一批运行（同样的种子、代理抽样和后验参数组）。 Every lever value runs on the same runs: run r has the same seed, agent draws and posterior parameter set at every value (common random numbers). P(met) at a value is the mean over the runs of each run's chance of meeting the target, with the model's discrepancy where its metric has an estimate (else 0 or 1: the share of runs that meet it); its 90% interval is the Monte Carlo interval of that mean. A crossing's 90% interval comes from 1,000 bootstrap resamples of the runs (bisection and interpolation repeated on each); an interval end at the range's edge means some resamples do not cross within the range.</p>
<h2>1. 达标概率与杠杆 P(met) against the lever</h2>
<p>P(met) ${j.direction === 1 ? 'rises' : 'falls'} with the lever: from ${num(j.lever.lo)} to ${num(j.lever.hi)} by ${(100 * e.diff).toFixed(1)} points (90% ${(100 * e.lo).toFixed(1)} .. ${(100 * e.hi).toFixed(1)}, paired runs).</p>
${figure('reach-curve', '点 = 评估的杠杆值及其 90% 区间；虚线 = 水平；竖线与阴影 = 穿越点及其区间；红点 = 情景自身的设置 Dots: values evaluated with their 90% intervals; dashed: the levels; vertical lines and bands: the crossings and their intervals; red: the scenario’s own setting', reachChart(d))}
<h2>2. 穿越点 Crossings</h2>
${crossingTable(d)}
<h2>3. 评估的杠杆值 Values evaluated</h2>
${pointTable(d)}
<p class="note">Files: reach.csv (crossings), reach_points.csv (each value), reach_runs.csv (each run at each value, with its parameter set), reach.json.</p>`;
  return page(`${title} — reach ${j.scenario}`, body);
}
