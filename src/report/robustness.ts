/**
 * The robustness section of a compare report: every scenario ranked by each robustness measure
 * (compare_ranking.csv), the measures that disagree (compare.json), and each scenario's regret in
 * the expected number of targets met, run by run (the targets_met rows of compare_regret.csv).
 */
import { DIFFERENCE, formatNumber, formatShare } from '../core/format.js';
import type { CompareData } from './data.js';
import { esc, figure } from './html.js';
import { Plot, render, SCENARIO_COLORS } from './plot.js';

/** Each scenario's regret in targets met, one dot per run, a tick at its largest. */
export function regretChart(c: CompareData): string {
  const names = c.scenarios.map((s) => s.scenario);
  const rows = (c.robustness?.regret ?? []).map((r) => ({ run: r.run, scenario: r.variant, regret: r.regret }));
  const max = names.map((scenario) => ({ scenario, regret: Math.max(0, ...rows.filter((r) => r.scenario === scenario).map((r) => r.regret)) }));
  return render({
    width: 900,
    height: 70 + 40 * names.length,
    marginLeft: 180,
    marginBottom: 40,
    x: {
      grid: true,
      label: '遗憾 regret: 该次运行最佳情景达标数减本情景 targets met by the best scenario in the run − this one',
      domain: [0, Math.max(0.1, ...max.map((m) => m.regret)) * 1.05],
    },
    y: { domain: names, label: null },
    color: { domain: names, range: SCENARIO_COLORS },
    marks: [
      Plot.dot(rows, { x: 'regret', y: 'scenario', fill: 'scenario', fillOpacity: 0.6, r: 3.5 }),
      Plot.tickX(max, { x: 'regret', y: 'scenario', stroke: '#c0392b', strokeWidth: 2 }),
      Plot.ruleX([0], { stroke: '#555' }),
    ],
  });
}

/** Section 4 of a compare report. */
export function robustnessSection(c: CompareData): string {
  const head = '<h2>4. 稳健性 Which scenario is robust</h2>';
  const r = c.robustness;
  if (!r) return `${head}<p class="note">此文件夹无稳健性结果 This folder has no robustness files (made before they were added): run the compare again.</p>`;
  const measures = r.summary.measures.filter((m) => r.ranking.some((x) => x.measure === m.id));
  const cell = (variant: string, measure: string) => {
    const x = r.ranking.find((y) => y.variant === variant && y.measure === measure);
    if (!x) return '<td class="num">—</td>';
    const v = measure.startsWith('share') ? formatShare(x.value) : formatNumber(x.value, DIFFERENCE);
    return `<td class="num${x.rank === 1 ? ' best' : ''}">${esc(v)} <span class="note">(${x.rank})</span></td>`;
  };
  const rows = c.scenarios.map((s) => `<tr><td>${esc(s.scenario)}</td>${measures.map((m) => cell(s.scenario, m.id)).join('')}</tr>`).join('');
  const meaning = measures
    .map((m) => `<li><code>${esc(m.id)}</code>: ${esc(m.meaning)}; ${m.better === 'higher' ? '越高越好 higher is better' : '越低越好 lower is better'}.</li>`)
    .join('');
  const dis = r.summary.disagreements;
  const disagree = dis.length
    ? `<ul class="disagree">${dis.map((d) => `<li><code>${esc(d.first)}</code> 把 ${esc(d.above)} 排在 ${esc(d.below)} 之前 puts ${esc(d.above)} above ${esc(d.below)}; <code>${esc(d.second)}</code> 相反 the reverse.</li>`).join('')}</ul>`
    : '<p>各指标排序一致 The measures agree: none orders a pair of scenarios the opposite way to another.</p>';
  return `${head}
<p>所有情景（含基准）在 ${r.summary.runs} 次共同运行上比较：每次运行是一个可能的世界（相同种子${c.scenarios[0]?.posterior ? '与参数组' : ''}）。 Every scenario, the base included, over the ${r.summary.runs} runs they all have: each run is one possible world (the same seed${c.scenarios[0]?.posterior ? ' and parameter set' : ''} for every scenario). 遗憾 Regret in a run = the best scenario's value in that run minus this scenario's. 括号内为排名 rank in brackets, 1 = best. Files: <code>compare_robustness.csv</code> (share of runs that meet each target and P(met)), <code>compare_regret.csv</code> (run by run), <code>compare_ranking.csv</code>.</p>
<table class="ranking"><thead><tr><th>情景 scenario</th>${measures.map((m) => `<th>${esc(m.id)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
<ul class="note">${meaning}</ul>
<h3>指标分歧 Where the measures disagree</h3>
${disagree}
${figure('regret', '每次运行的遗憾（期望达标数） Regret in the expected number of distinct targets met, one dot per run; 红线 = 最大遗憾 red tick = the largest', regretChart(c))}`;
}
