/**
 * The scenario-discovery section of a sweep report, when `urbanize discover` wrote its files into
 * the folder (results/prim-files.ts): the peeling trajectory of each box as coverage against
 * density, the selected box marked, and a table of each selected box's limits.
 */
import { POSTERIOR_NOTE, type PrimFiles } from '../results/prim-files.js';
import { esc, figure } from './html.js';
import { COLOR, HALO, Plot, render, SCENARIO_COLORS } from './plot.js';

/** Coverage against density along every box's peeling trajectory; the selected boxes ringed and labelled. */
export function trajectoryChart(p: PrimFiles): string {
  const rows = p.trajectory.map((r) => ({ ...r, label: `box ${r.box}` }));
  const boxes = [...new Set(rows.map((r) => r.label))];
  const selected = rows.filter((r) => r.selected);
  return render({
    width: 900,
    height: 440,
    marginLeft: 60,
    marginBottom: 48,
    x: { domain: [0, 1], grid: true, label: '覆盖率 coverage (cases in the box / all cases) →', tickFormat: '.0%' },
    y: { domain: [0, 1], grid: true, label: '↑ 密度 density (cases in the box / runs in the box)', tickFormat: '.0%' },
    color: { domain: boxes, range: SCENARIO_COLORS.slice(1), legend: true },
    marks: [
      Plot.ruleY([p.json.options.threshold], { stroke: COLOR.target, strokeDasharray: '4 3' }),
      Plot.line(rows, { x: 'coverage', y: 'density', stroke: 'label', z: 'label', strokeWidth: 1.5 }),
      Plot.dot(rows, {
        x: 'coverage',
        y: 'density',
        fill: 'label',
        r: 2.5,
        title: (r: (typeof rows)[number]) => `step ${r.step}: ${r.restricted || 'no restriction'}`,
      }),
      Plot.dot(selected, { x: 'coverage', y: 'density', stroke: '#000', r: 7, strokeWidth: 2 }),
      Plot.text(selected, {
        x: 'coverage',
        y: 'density',
        text: (r: (typeof rows)[number]) => `${r.label}, step ${r.step}`,
        dx: 10,
        dy: -10,
        textAnchor: 'start',
        fill: '#000',
        ...HALO,
      }),
    ],
  });
}

const fmt = (x: number | undefined) =>
  x === undefined ? '—' : Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : Number(x.toPrecision(4)).toString();
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The limits of each selected box: every factor it restricts, its range over the runs and the quasi-p-value. */
export function boxTables(p: PrimFiles): string {
  return p.json.boxes
    .map((b) => {
      const rows = p.boxes
        .filter((r) => r.box === b.box && r.restricted)
        .map(
          (r) =>
            `<tr><td><code>${esc(r.factor)}</code></td><td class="num">${fmt(r.lo)} – ${fmt(r.hi)}</td><td class="num">${fmt(r.min)} – ${fmt(r.max)}</td><td class="num">${r.quasi_p === undefined ? '—' : r.quasi_p.toExponential(1)}</td></tr>`,
        )
        .join('');
      const head = `<h3>框 Box ${b.box}: 覆盖率 coverage ${pct(b.coverage)} · 密度 density ${pct(b.density)} · 质量 mass ${pct(b.mass)} <small>(step ${b.step}, ${b.n_interest} / ${b.n} runs${b.pasted ? ', pasted' : ''})</small></h3>`;
      return rows
        ? `${head}<table class="prim-box" id="prim-box-${b.box}"><thead><tr><th>因子 factor</th><th>框的范围 box limits</th><th>运行的范围 range of the runs</th><th>准 p 值 quasi-p</th></tr></thead><tbody>${rows}</tbody></table>`
        : `${head}<p class="note">不限制任何因子 The box restricts no factor.</p>`;
    })
    .join('\n');
}

/** The section: what a case is, the trajectory chart and the boxes' limits. */
export function primSection(p: PrimFiles, n: number): string {
  const j = p.json;
  const o = j.options;
  return `<h2>${n}. 何时未达标 When it fails: scenario discovery (PRIM)</h2>
<p>关注的情形 Case of interest: <b>${esc(j.case.label)}</b>, in ${j.cases} of ${j.points} runs (${pct(j.cases / j.points)}). PRIM peels ${o.alpha * 100}% of the runs in the box at a time from one side of one factor, keeping the peel that leaves the highest density, down to ${o.min_mass * 100}% of the runs; the selected box is ${
    o.box !== null ? `step ${o.box}, chosen with --box` : `the first with density ≥ ${o.threshold} (or the densest)`
  }${o.paste ? ', then pasted' : ''}. Factors: ${j.factors.length}${j.constant.length ? ` (${j.constant.length} constant, left out)` : ''}. Files: prim_trajectory.csv, prim_boxes.csv, prim_cases.csv, prim.json.</p>
${j.posterior_sets > 1 ? `<p class="note">注意 Note: ${esc(POSTERIOR_NOTE(j.posterior_sets))}.</p>` : ''}
${figure('prim-trajectory', '剥离轨迹 Peeling trajectory: each dot a box, from all runs (coverage 100%) to the smallest; ringed = selected; dashed = density threshold', trajectoryChart(p))}
${boxTables(p)}
<p class="note">准 p 值 The quasi-p-value of a restriction is the chance that the box without it, at the density it would have, holds as many cases of interest as the box does (binomial; Bryant and Lempert 2010): small means the restriction matters. Coverage and density count runs, and the runs of one design point share its factors' values.</p>`;
}
