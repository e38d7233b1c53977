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
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** The text of discrepancy.yaml. */
export function discrepancyYaml(estimates, horizonFrom, folder) {
  const out = [
    "# Model discrepancy: the model's own error as a normal e ~ N(0, sd(h)²) in the metric's unit,",
    '# sd(h)² = sd0² + sd1²·h, h = year − horizon_from (0 before). Written by scripts/discrepancy.mjs',
    `# from a baseline run (${folder}):`,
    '# regenerate rather than edit by hand. How it enters P(met) and the predictive bands:',
    '# docs/model.md §10. A metric and region not listed under series has no discrepancy: its P(met)',
    '# is marked "without discrepancy".',
    `horizon_from: ${horizonFrom}`,
    'series:',
  ];
  for (const e of estimates) {
    if (!e.errors.length) continue;
    const list = e.errors.map((x) => `${x.year} ${fmt(x.error, e.unit)}`).join(', ');
    out.push(
      `  - metric: ${e.metric}`,
      '    region: shanxi',
      `    unit: "${e.unit}"`,
      `    sd0: { value: 0, estimate: "${e.flow ? '0: taken as for the stocks (the flows of the first year, 14 months from the census date, are not compared)' : `0: the run starts from the ${horizonFrom} census, so the model has no error at h = 0`}" }`,
      `    sd1: { value: ${fmt(e.sd1, e.unit)}, estimate: "sqrt(mean of e²/h) over ${e.errors.length} published years, e = baseline mean - published (data/observed/province.csv, ${e.observed}): ${list}; scripts/discrepancy.mjs ${folder}" }`,
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
  const text = discrepancyYaml(
    est,
    from,
    `${manifest.scenario.name}, seed ${manifest.seed}, ${manifest.run_ids.length} runs, scale ${manifest.scenario.resolved.scale}`,
  );
  if (process.argv.includes('--write')) writeFileSync('scenarios/targets/discrepancy.yaml', text);
  else process.stdout.write(text);
}
