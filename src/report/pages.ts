/**
 * The report pages of a run, compare and sweep folder: charts in order, with the text that says
 * what each shows, where its numbers come from and what the results do not break down.
 */
import { basename } from 'node:path';
import { cityMultiples, gapChart, provinceFinal, hukouChart, provinceFan, scorecardChart } from './charts-run.js';
import { migrationCities, migrationProvince, netOutByCity } from './charts-migration.js';
import { flowSankey, flowTable, urbanGainChart, urbanGainTable } from './charts-flows.js';
import { compareFan, forestChart, forestRows, UNIT_GROUPS } from './charts-compare.js';
import { allTornadoes, mainOutcome, r2Of, scatterCharts, tornadoChart } from './charts-sweep.js';
import { primSection } from './charts-prim.js';
import type { CompareData, RunData, SweepData } from './data.js';
import { robustnessSection } from './robustness.js';
import {
  esc,
  fanLegend,
  figure,
  HISTORY_KEY,
  metaTable,
  NO_DISCREPANCY_KEY,
  NO_DISCREPANCY_MARK,
  page,
  planValue,
  scorecardTable,
  TARGET_KEY,
  targetKey,
  unmodelledTable,
} from './html.js';
import { formatChange, formatNumber, INDEX } from '../core/format.js';
import { WARNINGS_ADVICE } from '../results/sensitivity-checks.js';
import { fmtNum, fmtP, outcomeName, regionName } from './names.js';
import { pColor, SCENARIO_COLORS } from './plot.js';

/** The title of every report. */
export const TITLE = '山西省新型城镇化政策模拟报告';
const SWEEP_BANDS =
  '<p class="note">区间只反映各次蒙特卡洛运行之间的差异。 Intervals show the spread across Monte Carlo runs (bootstrap intervals of the indices).</p>';

/** What a run folder's bands and P(met) include: Monte Carlo, the posterior's parameter sets, the model discrepancy. */
export function bandsNote(d: RunData | undefined): string {
  const series = d?.discrepancy?.series ?? [];
  const post = d?.posterior;
  const params = post
    ? `各次运行的行为参数取自后验 behavioural parameters drawn from the posterior ${code(basename(post.file))}: each run took its values of ${post.parameters.length} parameters (${esc(post.parameters.join(', '))}) from one of the posterior's ${post.sets} sets; the other behavioural parameters are fixed at the scenario's values`
    : '不含行为参数的不确定性（情景未指定后验） not the uncertainty of the behavioural parameters (the scenario names no posterior; its description says how they were set)';
  const disc = series.length
    ? `模型偏差 the model discrepancy of ${code(d!.discrepancy!.file)} (a normal error whose sd grows with the years since ${d!.discrepancy!.horizon_from}) for ${series.map((x) => `${esc(x.metric)} (${esc(regionName(x.region))})`).join(', ')}; 其他序列不含 other series without it (marked ${NO_DISCREPANCY_MARK} in the tables)`
    : '不含模型偏差 no model discrepancy (the targets file names no discrepancy file)';
  return `<p class="note">区间与达标概率包括 Bands and P(met) include: 蒙特卡洛运行之间的差异 the spread across Monte Carlo runs; ${params}; ${disc}. 达标概率 = 各次运行“取值加模型偏差满足目标”的概率的均值 P(met) is the mean over runs of the probability that the run's value plus the discrepancy meets the target; its 90% Monte Carlo interval says how much more runs could move it.</p>`;
}

const code = (s: string) => `<code>${esc(s)}</code>`;

/** Provenance rows of a run folder. */
function runMeta(d: RunData): [string, string][] {
  return [
    ['情景 scenario', `<b>${esc(d.scenario)}</b>${d.description ? ` — ${esc(d.description)}` : ''}`],
    ['种子 seed', esc(d.seed)],
    ['运行次数 runs', `${d.runs}${d.failed ? ` (${d.failed} 次失败 failed)` : ''}`],
    ['比例 scale', `${esc(d.scale)} 人/代理 persons per agent`],
    ['模拟年份 years', `${d.years[0]}–${d.years[d.years.length - 1]}`],
    ['引擎 engine', esc(d.engine)],
    ['摘要 digest', d.digest ? code(d.digest) : '无 none (folder not complete)'],
    ...(d.posterior
      ? [['后验 posterior', `${code(basename(d.posterior.file))} (${d.posterior.sets} sets; SHA-256 ${code(d.posterior.digest)})`] as [string, string]]
      : []),
    ['状态 status', esc(d.status)],
    ['规划 plan', `${esc(d.plan)} (${esc(d.planSource)})`],
  ];
}

/** The flows part of section 5: the Sankey and table of the last year's moves by place type, and the urban gain split. */
function flowsSection(d: RunData): string {
  const last = d.flows[d.flows.length - 1];
  const moves = last
    ? `<p>每次迁移按迁出地与迁入地的地点类型计一次（flows.csv，每行一次运行、一年、一对 (市, 类型)）；下图为 ${last.year} 年 ${last.runs} 次运行的均值。 Every move is counted once, from the place type it left to the one it reached (flows.csv: one row per run, year and pair of (city, place type); <code>urbanize flows DIR --by city</code> gives the same by city). The chart and table are the means over the ${last.runs} runs for ${last.year}; a child joining its mother is a move, a reclassification (村改居, 撤县设区) is not. ${last.year === d.years[1] ? '2021 counts 14 months (from the census date).' : ''}</p>
${figure('flows-sankey', `${last.year} 年各类地点之间的迁移（人，每次运行均值；左为迁出地，右为迁入地） Movers in ${last.year} from each place type (left) to each (right), persons, mean per run; a band's width is its flow`, flowSankey(last))}
${flowTable(last)}`
    : '<p>此结果文件夹没有 flows.csv（旧版引擎所写）。 This folder has no flows.csv (written by an older engine): the moves by place type are not shown.</p>';
  return `${moves}
<h3>城镇人口增量的构成 Where the urban gain came from</h3>
<p>全省每年城镇人口的增量分为迁移（净迁入城镇地点）、就地转换（村改居、撤县设区）与自然增长（出生减死亡）；三者之和等于城镇人口的年变化（runs.csv 的 urban_gain_*，每次运行均值）。 Shanxi's yearly urban gain split into migration (net moves into urban places), reclassification (村改居, 撤县设区) and natural change (births − deaths), means over runs of runs.csv's urban_gain_* metrics; the three add up to the year's change of the urban population (the dot).</p>
${figure('urban-gain', '全省城镇人口年增量的构成（万人，每次运行均值；点为合计） The yearly urban gain of the province by component (10,000 persons, mean per run; dot: the total)', urbanGainChart(d))}
${urbanGainTable(d)}`;
}

/** The body sections of a run folder's report (also used for nothing else: compare has its own). */
export function runPage(d: RunData): string {
  const computed = d.targets.filter((t) => t.computed);
  const seen = new Set<string>();
  const distinct = computed.filter((t) => (seen.has(targetKey(t)) ? false : (seen.add(targetKey(t)), true)));
  const bands = d.perRun
    ? '各年份预测分布的分位数（由 runs.csv 与模型偏差计算） quantiles of the predictive distribution per year: runs from runs.csv, plus the model discrepancy where there is one'
    : '只有 indicators.csv：无 50% 区间 only indicators.csv (no runs.csv, its predictive columns): no 50% band';
  const cities = cityMultiples(d)
    .map((c) => figure(`city-${c.region}`, esc(c.title), c.svg))
    .join('\n');
  const body = `
<h1>${TITLE}<small>urbanize report — urbanization policy simulation for Shanxi · scenario ${esc(d.scenario)}</small></h1>
${metaTable(runMeta(d))}
${bandsNote(d)}
<h2>1. 全省常住人口城镇化率 Province resident urbanization rate</h2>
<p>${fanLegend('#1f5fa8')}${HISTORY_KEY}${TARGET_KEY}</p>
${figure('province-fan', `中位数与 50%、90% 区间（${esc(d.runs)} 次运行） Median and 50% / 90% bands across ${esc(d.runs)} runs (${bands}). 历史：2015 年 55.87%、2020 年 62.53%（规划第一章第一节；与普查口径一致）。 History: the plan text (第一章第一节), census-consistent; the annual sample estimates before 2020 are not comparable with the census and are not shown.`, provinceFan(d))}
${figure('province-final', "目标年份各次运行的取值（灰线：预测分布的 5%、中位数、95%） The target year, run by run (dots: the runs' own values; grey ticks: the predictive 5th percentile, median and 95th, with the model discrepancy): how far each run ends from the target", provinceFinal(d))}
<h2>2. 各市与中部城市群 Cities and the central cluster</h2>
<p>专栏2 各市 2025 年目标，第四章第六节 中部城市群 73.5%。每个小图纵轴各自缩放。 Each city against its 专栏2 target and the central cluster (${esc(d.cluster.map(regionName).join('、'))}) against 73.5% (第四章第六节); each panel has its own y axis. 2020 is the starting state (census for Taiyuan, Datong, Xinzhou; estimates for the other eight cities, see the scenario).</p>
<p>${fanLegend('#1f5fa8')}${TARGET_KEY}</p>
<div class="grid">
${cities}
</div>
<h2>3. 目标记分卡 Target scorecard</h2>
<p>达标概率 = 各次运行取值加模型偏差满足目标的概率的均值，括号外为其 90% 蒙特卡洛区间。 P(met) is the mean over runs of the probability that the run's value plus the model discrepancy meets the target in its year; the next column is its 90% Monte Carlo interval; the band is the predictive 90% band (runs and discrepancy). “≈” targets show their tolerance. ${NO_DISCREPANCY_KEY} <span class="key" style="background:${pColor(0)}"></span>&lt; 20% <span class="key" style="background:${pColor(0.5)}"></span>20–80% <span class="key" style="background:${pColor(1)}"></span>&gt; 80%</p>
${figure('scorecard', `已建模目标 ${distinct.length} 项（重复列出的只画一次） The ${distinct.length} distinct modelled targets (targets the plan states twice are drawn once); 线 = 90% 蒙特卡洛区间 line = 90% Monte Carlo interval`, scorecardChart(distinct))}
${scorecardTable(d.targets)}
<h3>未计算的目标 Targets not computed (${d.targets.length - computed.length})</h3>
${unmodelledTable(d.targets)}
<h2>4. 常住与户籍人口城镇化率 Resident vs hukou urbanization</h2>
<p><span class="key line" style="background:#1f5fa8"></span>常住 resident<span class="key line" style="background:#d9822b"></span>户籍 hukou (median, 50% and 90% bands)${HISTORY_KEY}</p>
${figure('hukou', "全省常住与户籍人口城镇化率 The province's resident and hukou urbanization rates. 户籍 2020: 42.90%（普查公报 census bulletin）", hukouChart(d))}
${figure('gap', '二者之差（百分点），逐次运行计算后取分位数 The gap resident − hukou in percentage points, computed run by run, then its quantiles', gapChart(d))}
<h2>5. 人口流动 Where people moved</h2>
${flowsSection(d)}
<h3>跨地区边界的迁入与迁出 Moves across region borders</h3>
<p>按地区的迁入、迁出与净迁出：跨越地区边界的流动（全省为与外省之间的流动；各市为与其他市和外省之间的流动）。 In-migration, out-migration and net out-migration per region: moves across the region's border (for the province, to and from the rest of China; for a city, to and from other cities and outside Shanxi). 2021 年的流量从 2020-11-01 算起（14 个月）。 The 2021 flows cover 14 months (from the census date).</p>
${figure('migration-province', '全省每年迁入、迁出与净迁出（中位数，50%/90% 区间） Province: yearly in-migration from the rest of China, out-migration to it, and net out-migration', migrationProvince(d))}
<h3>各市 Cities (万人/年 10,000 persons per year, shared y axis)</h3>
<p><span class="key line" style="background:#2e8b57"></span>迁入 in-migration<span class="key line" style="background:#c0392b"></span>迁出 out-migration (median, 50% and 90% bands): moves across the city's border, to and from other cities and outside Shanxi.</p>
<div class="grid">
${migrationCities(d)
  .map((c) => figure(`migration-${c.region}`, esc(c.title), c.svg))
  .join('\n')}
</div>
${figure('net-out-cumulative', `累计净迁出 ${d.years[1] ?? ''}–${d.years[d.years.length - 1]}（中位数与 90% 区间） Cumulative net out-migration over the simulated years per run: median (bar) and 90% interval (line). 全省只计跨省流动，各市还包括市际流动。 The province counts only moves to and from the rest of China; a city also counts moves to and from other cities, which cancel in the province`, netOutByCity(d))}
<h2>说明 Notes</h2>
<ul>
<li>区间为预测分布的分位数：各次运行的取值加上模型偏差（正态，二分法求分位数）；没有偏差估计的序列为跨运行分位数（线性插值）。 Bands are quantiles of the predictive distribution: the mixture over runs of a normal around each run's value with the model discrepancy's sd (found by bisection); a series with no discrepancy estimate shows the quantiles across runs (linear interpolation). The resident − hukou gap and the migration flows have no discrepancy estimate. docs/validation.md says how the discrepancy was estimated.</li>
<li>数据来源 Sources (files in the urbanize repository, listed in data/README.md): ${esc(d.planSource)}; data/reference/shanxi-data.md (2020 census, provincial bulletins).</li>
<li>本报告只依赖结果文件夹，没有时间戳。 The report depends only on the results folder: no timestamp, no network.</li>
</ul>`;
  return page(`${TITLE} — ${d.scenario}`, body);
}

/** The report of a compare folder. */
export function comparePage(c: CompareData): string {
  const base = c.scenarios[0];
  const scen = c.scenarios
    .map(
      (s, i) =>
        `<tr><td><span class="key" style="background:${SCENARIO_COLORS[i % SCENARIO_COLORS.length]}"></span>${esc(s.scenario)}${i === 0 ? ' (基准 base)' : ''}</td><td>${esc(s.description)}</td><td class="num">${s.runs}</td><td>${esc(s.engine)}</td><td>${s.digest ? code(s.digest) : '—'}</td></tr>`,
    )
    .join('');
  const byScenario = new Map(c.scenarios.map((s) => [s.scenario, new Map(s.targets.map((t) => [t.id, t]))]));
  const seen = new Set<string>();
  const distinct = (base?.targets ?? []).filter((t) => t.computed && (seen.has(targetKey(t)) ? false : (seen.add(targetKey(t)), true)));
  const change = new Map(c.targets.map((r) => [`${r.variant}|${r.target}`, r]));
  const signed = (p: number | undefined) => formatChange(p, '—');
  const deltaCell = (variant: string, id: string) => {
    const r = change.get(`${variant}|${id}`);
    if (!r) return '<td class="num">—</td>';
    const mark = r.discrepancy === 'included' ? '' : ` ${NO_DISCREPANCY_MARK}`;
    return `<td class="num dp">${signed(r.diff_p_met)}<br><span class="note">${signed(r.diff_p_met_lo)} … ${signed(r.diff_p_met_hi)}${mark}</span></td>`;
  };
  const pRows = distinct
    .map(
      (t) =>
        `<tr data-target="${esc(t.id)}"><td>${esc(t.label)}<br><code>${esc(t.id)}</code></td><td>${esc(regionName(t.region))}</td><td class="num">${esc(planValue(t))}</td>` +
        c.scenarios
          .map((s) => {
            const p = byScenario.get(s.scenario)?.get(t.id)?.p_met;
            return `<td class="p" style="background:${pColor(p)}">${fmtP(p)}</td>`;
          })
          .join('') +
        c.variants.map((v) => deltaCell(v, t.id)).join('') +
        '</tr>',
    )
    .join('');
  const groups = forestRows(c);
  const forests = groups
    .map((g) => {
      const u = UNIT_GROUPS.find((x) => x.unit === g.unit)!;
      return `<h3>${esc(u.title)}</h3>\n${figure(`forest-${g.unit === '%' ? 'pct' : g.unit}`, `${esc(u.axis)}; 点 = 均值 dot = mean paired difference, 线 = 90% 区间 line = 90% interval`, forestChart(g.rows, g.unit, c.variants))}`;
    })
    .join('\n');
  const meta = new Map((base?.targets ?? []).map((t) => [t.id, t]));
  const diffRows = groups
    .flatMap((g) => g.rows)
    .map((r) => {
      const t = meta.get(r.target),
        scale = UNIT_GROUPS.find((x) => x.unit === (t?.unit ?? '%'))?.scale ?? 1;
      const f = (v: number) => fmtNum(v / scale, t?.unit);
      const dp = change.get(`${r.variant}|${r.target}`);
      return `<tr><td>${esc(r.variant)}</td><td>${esc(r.label)}</td><td class="num">${f(r.mean)}</td><td class="num">${f(r.lo)} – ${f(r.hi)}</td><td class="num">${fmtP(r.pBetter)}</td><td class="num">${signed(dp?.diff_p_met)} (${signed(dp?.diff_p_met_lo)} … ${signed(dp?.diff_p_met_hi)})</td></tr>`;
    })
    .join('');
  const body = `
<h1>${TITLE}<small>urbanize compare report — ${esc(c.base)} vs ${esc(c.variants.join(', '))}</small></h1>
${metaTable([
  ['基准 base', esc(c.base)],
  ['变体 variants', esc(c.variants.join(', '))],
  ['种子 seed', esc(c.seed)],
  ['运行次数 runs', `${esc(c.runs)} 每个情景 per scenario, 相同种子 same seeds`],
  ['比例 scale', `${esc(c.scale)} 人/代理 persons per agent`],
])}
<table><thead><tr><th>情景 scenario</th><th>说明 description</th><th>runs</th><th>引擎 engine</th><th>摘要 digest</th></tr></thead><tbody>${scen}</tbody></table>
${bandsNote(base)}
<h2>1. 各情景全省常住人口城镇化率 Province urbanization rate by scenario</h2>
<p>中位数与 90% 区间 median and 90% band${HISTORY_KEY}${TARGET_KEY}</p>
${figure('compare-fan', "2020 年起（2015–2020 历史见各情景报告） From the census on (the 2015–2020 history is in each scenario's report); 各情景用相同的随机数 every scenario on the same seeds (common random numbers)", compareFan(c))}
<h2>2. 达标概率 P(target met) by scenario</h2>
<p>右侧各列：达标概率的变化（变体减基准，逐次运行配对）及其 90% 区间。 The right-hand columns: the change in P(met), variant − base, from the paired per-run probabilities (run r of each on the same seed), with its 90% interval. ${NO_DISCREPANCY_KEY}</p>
<table class="pmet"><thead><tr><th>目标 target</th><th>地区 region</th><th>规划 plan</th>${c.scenarios.map((s) => `<th>${esc(s.scenario)}</th>`).join('')}${c.variants.map((v) => `<th>ΔP(met) ${esc(v)}</th>`).join('')}</tr></thead><tbody>${pRows}</tbody></table>
<h2>3. 配对差异 Paired differences per target</h2>
<p>每次运行：变体减基准（相同种子），再取均值与 5%–95% 分位。 Per run: variant minus base on the same seed; the mean and the 5th–95th percentiles of those differences. 单位不同的目标分图展示。 Targets of different units are in separate plots. 重复列出的目标只画一次。 Targets the plan states twice are drawn once.</p>
${forests}
<table><thead><tr><th>变体 variant</th><th>目标 target</th><th>均值差 mean diff</th><th>90% 区间 interval</th><th>更好的概率 P(better)</th><th>达标概率变化 ΔP(met) (90%)</th></tr></thead><tbody>${diffRows}</tbody></table>
<p class="note">各情景的完整报告 Each scenario's own report: <code>urbanize report ${esc(c.base)}</code> inside this folder, and likewise for the variants.</p>
<h3>未计算的目标 Targets not computed</h3>
${base ? unmodelledTable(base.targets) : ''}
${robustnessSection(c)}`;
  return page(`${TITLE} — compare ${c.base}`, body);
}

/** The warnings on a sweep's indices: why some cannot be trusted (or that none was raised). */
function sweepWarnings(s: SweepData): string {
  const head = '<h3>可信度 Can the indices be trusted?</h3>';
  if (!s.warnings.length)
    return `${head}<p class="note">无警告 No warning: every 90% interval is at most 0.5 wide${s.design === 'sobol' ? ', every index lies within [0, 1] (±0.05) and no total index is below its first-order one' : ' and R² ≥ 0.7 for every outcome'}.</p>`;
  const rows = s.warnings
    .map((w) => `<tr><td>${esc(outcomeName(w.outcome))}</td><td>${w.factor ? code(w.factor) : '—'}</td><td>${esc(w.message)}</td></tr>`)
    .join('');
  return `${head}<p class="warn">${s.warnings.length} 条警告 warnings: ${esc(WARNINGS_ADVICE)}.</p><table class="warnings"><thead><tr><th>结果 outcome</th><th>因子 factor</th><th>原因 reason</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The report of a sweep folder. */
export function sweepPage(s: SweepData): string {
  const main = mainOutcome(s);
  const r2 = r2Of(s);
  const lhs = s.design !== 'sobol';
  const method = lhs
    ? '标准化回归系数（SRC）及其 90% 自助法区间 standardized regression coefficients with 90% bootstrap intervals'
    : '一阶与总效应 Sobol 指数及其 90% 自助法区间 first-order and total Sobol indices with 90% bootstrap intervals';
  const factors = s.factors.map((f) => `<tr><td>${code(f.path)}</td><td>${esc(f.kind)}</td><td class="num">${esc(f.lo)} – ${esc(f.hi)}</td></tr>`).join('');
  const r2Rows = [...r2].map(([o, v]) => `<tr><td>${esc(outcomeName(o))}</td><td class="num">${formatNumber(v, INDEX)}</td></tr>`).join('');
  const scatters = scatterCharts(s, main)
    .map((x, i) => figure(`scatter-${i}`, esc(x.factor), x.svg))
    .join('\n');
  const body = `
<h1>${TITLE}<small>urbanize sweep report — lever effects · scenario ${esc(s.scenario)}</small></h1>
${metaTable([
  ['情景 scenario', esc(s.scenario)],
  ['种子 seed', esc(s.seed)],
  ['设计 design', esc(s.design)],
  ['运行次数 runs', `${s.samples} 设计点 design points × ${s.runsPerSample} = ${s.samples * s.runsPerSample}`],
  ['比例 scale', `${esc(s.scale)} 人/代理 persons per agent`],
  ['引擎 engine', 'sweep.json 未记录 not recorded in sweep.json'],
  [
    '内容摘要 content digest',
    `${code(s.contentDigest)}<br><span class="note">SHA-256 of sweep.json, sensitivity.csv, samples.csv (sweep.json records no digest)</span>`,
  ],
])}
<table><thead><tr><th>因子 factor</th><th>类型 kind</th><th>范围 range</th></tr></thead><tbody>${factors}</tbody></table>
${SWEEP_BANDS}
<h2>1. 杠杆效应 Lever effects: ${esc(outcomeName(main))}</h2>
<p>${method}.</p>
${figure('tornado', `按效应大小排序 Factors by size of effect${lhs && r2.has(main) ? `; R² = ${formatNumber(r2.get(main)!, INDEX)}` : ''}`, tornadoChart(s, main))}
${sweepWarnings(s)}
<h2>2. 所有结果 All outcomes</h2>
${figure('tornado-all', '每行一个结果 One row of bars per outcome; 线 = 90% 区间 line = 90% interval', allTornadoes(s))}
${r2Rows ? `<h3>线性模型解释的方差 R² of the linear model</h3><table><tbody>${r2Rows}</tbody></table>` : ''}
<h2>3. 样本 Samples: ${esc(outcomeName(main))}</h2>
<div class="grid2">
${scatters}
</div>
${s.prim ? primSection(s.prim, 4) : ''}`;
  return page(`${TITLE} — sweep ${s.scenario}`, body);
}
