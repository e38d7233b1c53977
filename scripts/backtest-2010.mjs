// Prints the tables of docs/validation.md, "Backtest from the 2010 census": a results folder of
// scenarios/shanxi-2010.yaml (indicators.csv) beside the observed figures of data/observed/.
// Run: node dist/cli/main.js run scenarios/shanxi-2010.yaml --out /tmp/backtest-2010 --force --quiet
//      node scripts/backtest-2010.mjs /tmp/backtest-2010
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Rows of a CSV file with a header line, as objects; double-quoted fields may hold commas. */
export function readCsv(file) {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const split = (line) => {
    const out = [];
    let cur = '',
      quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const head = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i], v])));
}

/** The backtest's numbers from the results folder `dir`. */
export function backtest(dir) {
  const ind = readCsv(join(dir, 'indicators.csv'));
  const sim = (metric, region, year) => {
    const r = ind.find((x) => x.metric === metric && x.region === region && Number(x.year) === year);
    if (!r) throw new Error(`${metric} ${region} ${year} not in ${dir}/indicators.csv`);
    return { mean: Number(r.mean), p05: Number(r.p05), p95: Number(r.p95) };
  };
  const province = readCsv('data/observed/province.csv');
  const obs = (series, year) => {
    const r = province.find((x) => x.series === series && Number(x.year) === year);
    if (!r) throw new Error(`${series} ${year} not in data/observed/province.csv`);
    return Number(r.value) * (r.unit === '10k persons' ? 1e4 : 1);
  };
  const census = readCsv('data/observed/cities-census.csv').filter((r) => r.series === 'residents' && r.area === '' && r.year === '2020');
  const row = (label, observed, simulated) => ({ label, observed, simulated });
  const rows = [
    row('urbanization 2015, %', obs('urbanization_rate', 2015), sim('urbanization_rate', 'shanxi', 2015)),
    row('urbanization 2020, %', obs('urbanization_rate', 2020), sim('urbanization_rate', 'shanxi', 2020)),
    row('residents 2020', obs('residents', 2020), sim('resident_population', 'shanxi', 2020)),
    row('hukou urbanization 2017, %', obs('hukou_urbanization_rate', 2017), sim('hukou_urbanization_rate', 'shanxi', 2017)),
    row('hukou urbanization 2020, %', obs('hukou_urbanization_rate', 2020), sim('hukou_urbanization_rate', 'shanxi', 2020)),
    row('urban:rural income ratio 2015', obs('urban_rural_income_ratio', 2015), sim('urban_rural_income_ratio', 'shanxi', 2015)),
    row('urban:rural income ratio 2020', obs('urban_rural_income_ratio', 2020), sim('urban_rural_income_ratio', 'shanxi', 2020)),
  ];
  const cities = census.map((r) => row(r.city, Number(r.value), sim('resident_population', r.city, 2020)));
  const sumYears = (metric) => {
    let s = 0;
    for (let y = 2011; y <= 2020; y++) s += sim(metric, 'shanxi', y).mean;
    return s;
  };
  const gain = {
    observed: obs('urban_residents', 2020) - sim('urban_population', 'shanxi', 2010).mean,
    simulated: sim('urban_population', 'shanxi', 2020).mean - sim('urban_population', 'shanxi', 2010).mean,
    migration: sumYears('urban_gain_migration'),
    reclassification: sumYears('urban_gain_reclassification'),
    natural: sumYears('urban_gain_natural'),
    points: sim('urbanization_rate', 'shanxi', 2020).mean - sim('urbanization_rate', 'shanxi', 2010).mean,
    observedPoints: obs('urbanization_rate', 2020) - obs('urbanization_rate', 2010),
  };
  const flows = { births: sumYears('births'), deaths: sumYears('deaths'), netOut: sumYears('net_out_migration') };
  return { rows, cities, gain, flows };
}

const fmt = (x) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2));
const pct = (a, b) => `${(((a - b) / b) * 100).toFixed(1)}%`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, cities, gain, flows } = backtest(process.argv[2] ?? '/tmp/backtest-2010');
  console.log('| figure | observed | simulated mean (90% interval) | simulated - observed |\n|---|---|---|---|');
  for (const { label, observed: o, simulated: s } of rows)
    console.log(`| ${label} | ${fmt(o)} | ${fmt(s.mean)} (${fmt(s.p05)} .. ${fmt(s.p95)}) | ${fmt(s.mean - o)} |`);
  console.log('\n| city | 2020 census residents | simulated mean (90% interval) | simulated - census |\n|---|---|---|---|');
  for (const { label: c, observed: o, simulated: s } of cities)
    console.log(`| ${c} | ${fmt(o)} | ${fmt(s.mean)} (${fmt(s.p05)} .. ${fmt(s.p95)}) | ${fmt(s.mean - o)} (${pct(s.mean, o)}) |`);
  const parts = gain.migration + gain.reclassification + gain.natural;
  console.log('\n| urban gain, 2010 census to end-2020 | persons | share of the simulated gain |\n|---|---|---|');
  console.log(`| observed (2020 census less the 2010 world's urban residents) | ${fmt(gain.observed)} | |`);
  console.log(`| simulated | ${fmt(gain.simulated)} | |`);
  for (const k of ['migration', 'reclassification', 'natural']) console.log(`| of which ${k} | ${fmt(gain[k])} | ${((100 * gain[k]) / parts).toFixed(1)}% |`);
  console.log(`\nurbanization gained: simulated ${gain.points.toFixed(2)} points, observed ${gain.observedPoints.toFixed(2)}`);
  console.log(`2011-2020 sums: births ${fmt(flows.births)}, deaths ${fmt(flows.deaths)}, net out-migration ${fmt(flows.netOut)}`);
}
