/**
 * The page: one self-contained HTML file (inline CSS and SVG, no script, no font or image to
 * fetch), its header of provenance, chart figures and the tables around them.
 */
import type { TargetRow } from './data.js';
import { fmtNum, fmtP, fmtPlan, regionName, unitSuffix } from './names.js';
import { pColor } from './plot.js';

/** Escapes text for HTML content and attribute values. */
export function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; color: #222; margin: 0; background: #fff; }
main { max-width: 940px; margin: 0 auto; padding: 20px 20px 60px; }
h1 { font-size: 24px; margin: 8px 0 4px; } h1 small { display: block; font-size: 15px; color: #555; font-weight: 400; }
h2 { font-size: 19px; margin: 34px 0 6px; border-bottom: 2px solid #1f5fa8; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 4px; }
p, li { font-size: 14px; line-height: 1.5; } .note { color: #555; font-size: 13px; } .warn { color: #a33; font-weight: 600; } td.best { font-weight: 600; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; width: 100%; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f5f8; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.p { color: #fff; font-weight: 700; text-align: center; white-space: nowrap; }
table.meta { width: auto; } table.meta th { background: none; width: 12em; }
figure.chart { margin: 14px 0; } figure.chart figcaption { font-size: 13px; color: #444; margin: 2px 0 6px; }
figure.chart svg { font-family: inherit; max-width: 100%; height: auto; overflow: visible; }
figure.chart h2 { border: none; font-size: 15px; margin: 0; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4px 10px; }
.grid figure.chart { margin: 4px 0; } .grid figcaption { font-weight: 600; color: #222; }
.grid2 { display: grid; grid-template-columns: repeat(2, 1fr); gap: 4px 16px; }
.key { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
.key.line { height: 3px; } .key.dash { height: 0; border-top: 2px dashed #c0392b; background: none !important; }
.key.dot { width: 9px; height: 9px; border-radius: 50%; }
code { font-size: 12px; background: #f3f3f3; padding: 1px 3px; word-break: break-all; }
`;

/** The whole page. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** A chart in a figure; `id` names it for tests and links. */
export function figure(id: string, caption: string, svg: string): string {
  return `<figure class="chart" id="chart-${esc(id)}" data-chart="${esc(id)}">${caption ? `<figcaption>${caption}</figcaption>` : ''}\n${svg}\n</figure>`;
}

/** The legend of a fan chart, as HTML. */
export function fanLegend(color: string, extra = ''): string {
  return (
    `<span class="key" style="background:${color};opacity:.25"></span>90% 区间 interval` +
    `<span class="key" style="background:${color};opacity:.5"></span>50% 区间 interval` +
    `<span class="key line" style="background:${color}"></span>中位数 median${extra}`
  );
}

/** The legend key of a plan target's dashed line. */
export const TARGET_KEY = '<span class="key dash"></span>规划目标 plan target';
/** The legend key of the census-consistent history's dots. */
export const HISTORY_KEY = '<span class="key dot" style="background:#222"></span>历史 history (普查口径 census-consistent)';

/** A two-column table of provenance facts. */
export function metaTable(rows: [string, string][]): string {
  return `<table class="meta">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

const cmp = (c: string) => (c === 'about' ? '≈' : c === '>=' ? '≥' : c === '<=' ? '≤' : c);

/** "≥ 68%" for a target; an "about" target with its tolerance, "≈ 5,000,000 ±10%". */
export function planValue(t: Pick<TargetRow, 'comparator' | 'value' | 'unit'> & { tolerance?: number }): string {
  if (t.unit === 'qualitative') return '定性 qualitative';
  const tol = t.comparator === 'about' && t.tolerance !== undefined ? ` ±${fmtP(t.tolerance)}` : '';
  return `${cmp(t.comparator)} ${fmtPlan(t.value, t.unit)}${unitSuffix(t.unit)}${tol}`;
}

/** The mark of a P(met) without model discrepancy, and its key. */
export const NO_DISCREPANCY_MARK = '†';
export const NO_DISCREPANCY_KEY =
  "† 不含模型偏差 without discrepancy: 偏差文件未给出该指标的估计，达标概率为满足目标的运行所占比例 the discrepancy file gives no estimate for the metric and region, so P(met) is the share of runs that meet the target and the band is the runs' spread.";

/** A P(met)'s 90% Monte Carlo interval, marked † when it has no model discrepancy in it. */
export function pInterval(t: Pick<TargetRow, 'p_met_lo' | 'p_met_hi' | 'withDiscrepancy'>): string {
  const range = t.p_met_lo === undefined ? '—' : `${fmtP(t.p_met_lo)} – ${fmtP(t.p_met_hi)}`;
  return range + (t.withDiscrepancy ? '' : ` ${NO_DISCREPANCY_MARK}`);
}

/** Key of a target's content: the plan states some targets twice (专栏1 and 第二章第三节). */
export const targetKey = (t: Pick<TargetRow, 'metric' | 'region' | 'year' | 'comparator' | 'value'>) =>
  [t.metric, t.region, t.year, t.comparator, t.value].join('|');

/** The scorecard table: every computed target with P(met), coloured; repeats point at their first listing. */
export function scorecardTable(targets: TargetRow[]): string {
  const first = new Map<string, TargetRow>();
  const rows = targets
    .filter((t) => t.computed)
    .map((t) => {
      const k = targetKey(t),
        f = first.get(k);
      if (!f) first.set(k, t);
      const dup = f ? `<br><span class="note">同 same as ${esc(f.section)}</span>` : '';
      return (
        `<tr id="target-${esc(t.id)}" data-target="${esc(t.id)}"><td>${esc(t.section)}</td><td>${esc(t.label)}${dup}<br><code>${esc(t.id)}</code></td>` +
        `<td>${esc(regionName(t.region))}</td><td class="num">${t.year}</td><td class="num">${esc(planValue(t))}</td>` +
        `<td class="num">${fmtNum(t.mean, t.unit)}</td><td class="num">${fmtNum(t.pred_p05, t.unit)} – ${fmtNum(t.pred_p95, t.unit)}</td>` +
        `<td class="p" style="background:${pColor(t.p_met)}">${fmtP(t.p_met)}</td><td class="num pint">${pInterval(t)}</td></tr>`
      );
    });
  return `<table class="scorecard"><thead><tr><th>节 section</th><th>目标 target</th><th>地区 region</th><th>年 year</th><th>规划 plan</th><th>均值 mean</th><th>90% 预测区间 predictive band</th><th>达标概率 P(met)</th><th>90% 蒙特卡洛区间 MC interval</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The targets the run does not compute: not modelled, or outside the simulated years. */
export function unmodelledTable(targets: TargetRow[]): string {
  const rows = targets
    .filter((t) => !t.computed)
    .map((t) => {
      const why = t.modelled ? '已建模，但不在模拟年份内 modelled, but outside the simulated years' : '未建模 not modelled';
      const at = t.note.indexOf('Not modelled'),
        note = (at >= 0 ? t.note.slice(at) : t.note).trim();
      return (
        `<tr id="target-${esc(t.id)}" data-target="${esc(t.id)}"><td>${esc(t.section)}</td><td>${esc(t.label)}<br><code>${esc(t.id)}</code></td>` +
        `<td class="num">${t.year}</td><td class="num">${esc(planValue(t))}</td><td>${esc(why)}${note ? `<br><span class="note">${esc(note)}</span>` : ''}</td></tr>`
      );
    });
  if (rows.length === 0) return '<p>每个目标都已建模 every target is modelled.</p>';
  return `<table class="unmodelled"><thead><tr><th>节 section</th><th>目标 target</th><th>年 year</th><th>规划 plan</th><th>原因 why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Renumbers Plot's process-wide element ids (clip paths, markers, patterns) in page order, so the page depends only on the folder. */
export function stableIds(html: string): string {
  const ids = new Map<string, string>();
  return html.replace(/plot-(clip|pattern|marker)-\d+/g, (m, kind: string) => {
    if (!ids.has(m)) ids.set(m, `plot-${kind}-r${ids.size + 1}`);
    return ids.get(m)!;
  });
}
