// The lever-effect table of docs/model.md §11: each lever moved by one step from the baseline, on
// common random numbers, its paired effect on five 2025 outcomes with the 90% interval of the
// paired differences. Reads the build: run `npm run build --silent` first.
//   node scripts/lever-effects.mjs [--runs N] [--base FILE] [--save CSV]   prints the table (markdown)
//   node scripts/lever-effects.mjs --from CSV   prints it again from a saved compare.csv
// The variants are written to a temporary folder and compared in one `urbanize compare`, so run r
// of every variant has the same seed, agents and (with a posterior) parameter set as the base's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('--runs', '20'));
const base = resolve(arg('--base', join(root, 'scenarios/shanxi-baseline.yaml')));
const save = arg('--save'),
  from = arg('--from');

/**
 * One step per lever, in the direction the plan pushes it (docs/scenarios.md §4 gives the levers'
 * ranges and plan sections), with the direction of effect the model's docs argue for on each
 * outcome: + raises it, − lowers it, 0 none or either way. Baseline values: scenarios/shanxi-2020.yaml.
 */
/** @type {[string, number | boolean, string, ...string[]][]} */
const STEPS = [
  ['hukou.openness_taiyuan', 1, 'from 0.8', '+', '+', '0', '0', '+'],
  ['hukou.openness_prefecture', 0.6, 'from 1.0 (a closing)', '−', '−', '0', '0', '−'],
  ['hukou.required_years_taiyuan', 0, 'from 1', '+', '+', '0', '0', '+'],
  ['hukou.required_years_county', 3, 'from 0 (a tightening)', '−', '−', '0', '0', '−'],
  ['hukou.land_rights_condition', true, 'from false', '−', '−', '0', '0', '−'],
  ['hukou.paid_land_exit_rate', 0.2, 'from 0.02', '0', '0', '0', '0', '0'],
  ['residence_permit.issue_multiplier', 3, 'from 1', '+', '0', '+', '0', '0'],
  ['residence_permit.opens_schooling', true, 'from false', '+', '0', '+', '0', '0'],
  ['residence_permit.opens_medical', true, 'from false', '+', '0', '+', '0', '0'],
  ['residence_permit.opens_affordable_housing', true, 'from false', '0', '0', '0', '0', '0'],
  ['housing.affordable_rental_units_per_year', 50000, 'from 0', '+', '0', '+', '0', '0'],
  ['housing.public_rental_units_per_year', 30000, 'from 10,000', '+', '0', '+', '0', '0'],
  ['housing.shared_ownership_units_per_year', 20000, 'from 0', '+', '0', '+', '0', '0'],
  ['housing.dormitory_places_per_year', 50000, 'from 0', '0', '0', '0', '0', '0'],
  ['jobs.extra_job_growth', 0.01, 'from 0', '+', '+', '−', '+', '+'],
  ['jobs.county_town_job_growth', 0.02, 'from 0', '+', '+', '−', '+', '+'],
  ['jobs.training_rate', 0.05, 'from 0.01', '0', '0', '0', '+', '0'],
  ['jobs.employment_services', 1, 'from 0', '+', '0', '−', '+', '0'],
  ['land.m2_per_settler', 150, 'from 50', '0', '0', '−', '0', '0'],
  ['land.idle_land_reuse_ha_per_year', 2000, 'from 0', '0', '0', '−', '0', '0'],
  ['fiscal.transfer_per_settler', 20000, 'from 1,000', '+', '+', '+', '0', '+'],
  ['rural.rural_income_growth', 0.15, 'from the baseline', '−', '0', '0', '−', '−'],
];
const OUTCOMES = [
  ['urbanization_rate', 'urbanization (pp)', 2],
  ['hukou_urbanization_rate', 'hukou urbanization (pp)', 2],
  ['urban_unemployment_rate', 'unemployment (pp)', 2],
  ['urban_rural_income_ratio', 'income ratio', 3],
  ['settlements', 'settlements (persons, 2025)', 0],
];

const dir = mkdtempSync(join(tmpdir(), 'lever-effects-'));
try {
  const files = STEPS.map(([path, value], i) => {
    const [group, name] = path.split('.');
    const file = join(dir, `v${String(i).padStart(2, '0')}.yaml`);
    writeFileSync(file, `extends: ${JSON.stringify(base)}\nname: ${group}-${name.replaceAll('_', '-')}\nlevers:\n  ${group}:\n    ${name}: ${value}\n`);
    return file;
  });
  const out = join(dir, 'compare');
  if (!from)
    execFileSync('node', [join(root, 'dist/cli/main.js'), 'compare', base, ...files, '--runs', String(runs), '--out', out, '--quiet'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  const csv = readFileSync(from ?? join(out, 'compare.csv'), 'utf8');
  if (save) writeFileSync(save, csv);
  const [head, ...rows] = csv.trim().split('\n');
  const col = Object.fromEntries(head.split(',').map((c, i) => [c, i]));
  const effect = new Map();
  for (const line of rows) {
    const c = line.split(',');
    if (c[col.region] !== 'shanxi' || c[col.year] !== '2025') continue;
    effect.set(`${c[col.variant]}|${c[col.metric]}`, c);
  }
  const fmt = (x, d) => Number(x).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  console.log(`| lever | step | ${OUTCOMES.map(([, label]) => label).join(' | ')} |`);
  console.log(`|---|---|${OUTCOMES.map(() => '---').join('|')}|`);
  STEPS.forEach(([path, value, from, ...dirs], i) => {
    const [group, name] = path.split('.');
    const variant = `${group}-${name.replaceAll('_', '-')}`;
    const cells = OUTCOMES.map(([metric, , d], k) => {
      const c = effect.get(`${variant}|${metric}`);
      if (!c) return 'n/a';
      const lo = Number(c[col.diff_p05]),
        hi = Number(c[col.diff_p95]);
      const sign = lo > 0 ? '+' : hi < 0 ? '−' : '0';
      const agrees = dirs[k] === sign || dirs[k] === '0' ? '' : ` (docs: ${dirs[k]})`;
      return `${fmt(c[col.diff_mean], d)} (${fmt(lo, d)} .. ${fmt(hi, d)})${agrees}`;
    });
    console.log(`| \`${path}\` | ${value} ${from} | ${cells.join(' | ')} |`);
  });
  if (!from) console.log(`\n${runs} paired runs per variant, base ${base.slice(root.length)}, seed and scale of the base.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
