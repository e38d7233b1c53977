// Estimates the model discrepancy of scenarios/targets/discrepancy.yaml from a baseline run's
// errors against the published figures of data/observed/province.csv, and writes the file (so a
// later calibration regenerates it the same way, from its own run).
//
// Model: the error of year y is e ~ N(0, sd(h)²), sd(h)² = sd0² + sd1²·h, h = y − horizon_from.
// The world starts from the 2020 census, so sd0 = 0 and the error grows like a random walk of
// yearly errors (sd1·√h). With errors e_h (mean over runs − published) at horizons h, the
// maximum-likelihood sd1 is sqrt(mean over the years of e_h²/h). The mean error is not removed: a
// bias the model has is part of its discrepancy.
//
// Run: node dist/cli/main.js run scenarios/shanxi-baseline.yaml --out /tmp/pm-b --force --quiet
//      node scripts/discrepancy.mjs /tmp/pm-b [--write]
//
// For a model calibrated to history up to year C (the baseline with its posterior, C = 2024), the
// folder is instead a backtest: a run of a model fitted only to years before its start (today
// scenarios/calibrated.yaml, fitted to 2010-2020 paces), whose errors after the start are out of
// sample. Then horizon_from = C, sd1 is that backtest's error growth, and sd0, the error a
// calibrated model keeps in the years it was fitted to, is sqrt(obs_error² + discrepancy²) of the
// series in the calibration's history file (the published figure around the truth, and the truth
// around the model):
//      node scripts/discrepancy.mjs /tmp/bt20 --calibrated-to 2024 --history scenarios/targets/history.yaml [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The model's metrics with a published province series for the years after the start, and that series. */
export const SERIES = [
  { metric: 'urbanization_rate', observed: 'urbanization_rate', unit: '%' },
  { metric: 'resident_population', observed: 'residents', unit: 'persons' },
  { metric: 'urban_population', observed: 'urban_residents', unit: 'persons' },
  { metric: 'urban_rural_income_ratio', observed: 'urban_rural_income_ratio', unit: 'ratio' },
  // Flows: the model's first year runs from the census date (14 months), so it is left out.
  { metric: 'urban_new_jobs', observed: 'new_urban_jobs', unit: 'persons', flow: true },
  { metric: 'births', observed: 'births', unit: 'persons', flow: true },
  { metric: 'deaths', observed: 'deaths', unit: 'persons', flow: true },
];

/** Metrics of the plan's targets with no published series after the start, and why. */
export const NO_HISTORY = [
  [
    'urban_unemployment_rate',
    'shanxi',
    'only the registered rate of 2020 is in data/observed (3.11%), a different measure from the surveyed rate the model computes; nothing after 2020',
  ],
  ['residence_permit_coverage', 'shanxi', 'no published series'],
  ['hukou_urbanization_rate', 'shanxi', 'published to 2020 only (data/observed/province.csv)'],
  ...['taiyuan', 'datong', 'yangquan', 'changzhi', 'jincheng', 'shuozhou', 'jinzhong', 'yuncheng', 'xinzhou', 'linfen', 'lvliang', 'central_cluster'].map(
    (r) => ['urbanization_rate', r, 'no per-city figure after the 2020 census in data/observed (cities-annual.csv holds sample estimates up to 2020)'],
  ),
  ...['taiyuan', 'datong', 'changzhi', 'linfen'].map((r) => ['central_city_population', r, 'no published 城区人口 series after 2020 in data/observed']),
];

/** Splits a CSV line with double-quoted fields. */
function fields(line) {
  const out = [];
  let cur = '',
    q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

/** Rows of a CSV text as objects. */
function rows(text) {
  const [head, ...lines] = text.split('\n').filter((l) => l !== '');
  const h = fields(head);
  return lines.map((l) => Object.fromEntries(fields(l).map((v, i) => [h[i], v])));
}

const FACTOR = { '%': 1, ratio: 1, persons: 1, '10k persons': 1e4 };

/** Per series: the errors by year and sd1, from indicators.csv's text and province.csv's text. */
export function estimate(indicatorsText, observedText, horizonFrom, lastYear = 2024) {
  const sim = new Map(
    rows(indicatorsText)
      .filter((r) => r.region === 'shanxi')
      .map((r) => [`${r.metric}|${r.year}`, Number(r.mean)]),
  );
  const obs = rows(observedText);
  return SERIES.map((s) => {
    const errors = [];
    for (const o of obs) {
      const y = Number(o.year);
      if (o.series !== s.observed || y <= horizonFrom || y > lastYear || (s.flow && y === horizonFrom + 1)) continue;
      const f = FACTOR[o.unit];
      if (f === undefined) throw new Error(`unknown unit ${o.unit} of ${o.series} ${y}`);
      const m = sim.get(`${s.metric}|${y}`);
      if (m === undefined) continue;
      errors.push({ year: y, h: y - horizonFrom, simulated: m, observed: Number(o.value) * f, error: m - Number(o.value) * f });
    }
    const sd1 = errors.length ? Math.sqrt(errors.reduce((a, e) => a + (e.error * e.error) / e.h, 0) / errors.length) : NaN;
    return { ...s, errors, sd1 };
  });
}

const sig = (x) => Number(x.toPrecision(4));
const fmt = (x, unit) => (unit === 'persons' ? String(Math.round(x)) : String(sig(x)));

/**
 * sd0 per metric of SERIES from a calibration's history file: sqrt(obs_error² + discrepancy²) of
 * its level target, in the metric's unit. Births and deaths are per-mille targets there: × the
 * population of `population` persons / 1000. Urban population has no target of its own: it is
 * urbanization × residents, so sd0² = (N·sd_u/100)² + (u/100·sd_N)² at N persons and u %.
 */
export function historySd0(historyText, population, urbanization) {
  const targets = parse(historyText).targets;
  const of = (metric) => {
    const t = targets.find((x) => x.metric === metric && (x.measure === 'level' || x.measure === 'per_mille'));
    if (!t) return undefined;
    const sd = Math.hypot(t.obs_error.value, t.discrepancy.value);
    return t.measure === 'per_mille'
      ? { value: (sd * population) / 1000, how: `sqrt(${t.obs_error.value}² + ${t.discrepancy.value}²) = ${sig(sd)} per mille of ${population} persons` }
      : { value: sd, how: `sqrt(${t.obs_error.value}² + ${t.discrepancy.value}²)` };
  };
  const out = new Map();
  for (const s of SERIES) {
    const x = of(s.metric);
    if (x) out.set(s.metric, { ...x, how: `${x.how}: obs_error and discrepancy of target ${s.metric} in the history file` });
  }
  const u = out.get('urbanization_rate'),
    n = out.get('resident_population');
  if (u && n && !out.has('urban_population'))
    out.set('urban_population', {
      value: Math.hypot((population * u.value) / 100, (urbanization / 100) * n.value),
      how: `urbanization × residents: sqrt((${population} × ${sig(u.value)}%)² + (${urbanization}% × ${Math.round(n.value)})²)`,
    });
  return out;
}

/**
 * The text of discrepancy.yaml.
 * @param {ReturnType<typeof estimate>} estimates
 * @param {number} horizonFrom
 * @param {string} folder
 * @param {Map<string, { value: number, how: string }>} [sd0] from historySd0, for a calibrated model
 */
export function discrepancyYaml(estimates, horizonFrom, folder, sd0) {
  const out = [
    "# Model discrepancy: the model's own error as a normal e ~ N(0, sd(h)²) in the metric's unit,",
    '# sd(h)² = sd0² + sd1²·h, h = year − horizon_from (0 before). Written by scripts/discrepancy.mjs',
    sd0
      ? `# for a model calibrated to history up to ${horizonFrom}: sd0 from the calibration's history file, sd1 from a backtest (${folder}):`
      : `# from a baseline run (${folder}):`,
    '# regenerate rather than edit by hand. How it enters P(met) and the predictive bands:',
    '# docs/model.md §10. A metric and region not listed under series has no discrepancy: its P(met)',
    '# is marked "without discrepancy".',
    `horizon_from: ${horizonFrom}`,
    'series:',
  ];
  for (const e of estimates) {
    if (!e.errors.length) continue;
    const list = e.errors.map((x) => `${x.year} ${fmt(x.error, e.unit)}`).join(', ');
    const z = sd0?.get(e.metric);
    if (sd0 && !z) continue;
    out.push(
      `  - metric: ${e.metric}`,
      '    region: shanxi',
      `    unit: "${e.unit}"`,
      z
        ? `    sd0: { value: ${fmt(z.value, e.unit)}, estimate: "${z.how}" }`
        : `    sd0: { value: 0, estimate: "${e.flow ? '0: taken as for the stocks (the flows of the first year, 14 months from the census date, are not compared)' : `0: the run starts from the ${horizonFrom} census, so the model has no error at h = 0`}" }`,
      `    sd1: { value: ${fmt(e.sd1, e.unit)}, estimate: "sqrt(mean of e²/h) over ${e.errors.length} published years, e = ${sd0 ? 'backtest' : 'baseline'} mean - published (data/observed/province.csv, ${e.observed}): ${list}; scripts/discrepancy.mjs ${folder}" }`,
    );
  }
  out.push('no_history:');
  for (const [metric, region, why] of NO_HISTORY) out.push(`  - { metric: ${metric}, region: ${region}, why: "${why}" }`);
  return out.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const folder = process.argv[2];
  if (!folder) {
    console.error('usage: node scripts/discrepancy.mjs RESULTS_FOLDER [--write]');
    process.exit(2);
  }
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  const from = Number(String(manifest.scenario.resolved.time.start).slice(0, 4));
  const est = estimate(readFileSync(join(folder, 'indicators.csv'), 'utf8'), readFileSync('data/observed/province.csv', 'utf8'), from);
  for (const e of est)
    console.log(
      `${e.metric}: sd1 ${e.errors.length ? fmt(e.sd1, e.unit) : 'none'}; errors ${e.errors.map((x) => `${x.year} (h ${x.h}) ${fmt(x.error, e.unit)}`).join(', ')}`,
    );
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const calibratedTo = arg('--calibrated-to');
  let sd0;
  if (calibratedTo) {
    const history = arg('--history') ?? 'scenarios/targets/history.yaml';
    const last = (series) => {
      const r = rows(readFileSync('data/observed/province.csv', 'utf8')).filter((x) => x.series === series && Number(x.year) <= Number(calibratedTo));
      const x = r[r.length - 1];
      return Number(x.value) * FACTOR[x.unit];
    };
    sd0 = historySd0(readFileSync(history, 'utf8'), Math.round(last('residents')), last('urbanization_rate'));
  }
  const text = discrepancyYaml(
    est,
    calibratedTo ? Number(calibratedTo) : from,
    `${manifest.scenario.name}, seed ${manifest.seed}, ${manifest.run_ids.length} runs, scale ${manifest.scenario.resolved.scale}`,
    sd0,
  );
  if (process.argv.includes('--write')) writeFileSync('scenarios/targets/discrepancy.yaml', text);
  else process.stdout.write(text);
}
