// How results move with the agent scale (persons per agent): the scenario run at several scales on
// the same seed, so run r of every scale draws the same parameter set from the posterior, and
// each scale's mean of a few outcomes with its paired difference from the finest scale listed.
// docs/validation.md "Scale convergence" reports its output. Reads the build: run
// `npm run build --silent` first.
//   node scripts/scale-convergence.mjs [--scales 1000,300,100,30,10] [--runs 10] [--year 2025]
//                                       [--scenario FILE] [--out DIR]
// The runs stay in --out (a temporary folder if not given) and are reused when there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const scales = arg('--scales', '1000,300,100,30,10').split(',').map(Number);
const runs = Number(arg('--runs', '10'));
const year = Number(arg('--year', '2025'));
const scenario = resolve(arg('--scenario', join(root, 'scenarios/shanxi-baseline.yaml')));
const out = resolve(arg('--out', mkdtempSync(join(tmpdir(), 'urbanize-scale-'))));
if (scales.some((s) => !(s >= 1)) || !(runs >= 2)) {
  console.error('--scales takes numbers of at least 1, --runs at least 2');
  process.exit(2);
}

/** [metric, label, multiplier, decimals] @type {[string, string, number, number][]} */
const METRICS = [
  ['urbanization_rate', 'urbanization %', 1, 2],
  ['urban_unemployment_rate', 'unemployment %', 1, 2],
  ['resident_population', 'residents', 1, 0],
];

/** @returns {Map<string, Map<number, number>>} metric → run → value in `year`, province */
function read(dir) {
  const lines = readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n').slice(1);
  /** @type {Map<string, Map<number, number>>} */
  const byMetric = new Map(METRICS.map(([m]) => [m, new Map()]));
  for (const line of lines) {
    const [run, , metric, region, y, value] = line.split(',');
    const values = byMetric.get(metric);
    if (region === 'shanxi' && Number(y) === year && values) values.set(Number(run), Number(value));
  }
  return byMetric;
}

const results = new Map();
for (const scale of scales) {
  const dir = join(out, `scale-${scale}`);
  if (!existsSync(join(dir, 'runs.csv'))) {
    const t0 = performance.now();
    execFileSync(
      process.execPath,
      [join(root, 'dist/cli/main.js'), 'run', scenario, '--runs', String(runs), '--scale', String(scale), '--out', dir, '--force', '--quiet'],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    console.error(`scale ${scale}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  results.set(scale, read(dir));
}

const finest = Math.min(...scales);
const fmt = (x, d) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
console.log(`${year}, ${runs} runs per scale, paired differences from scale ${finest} (mean ± standard error):\n`);
console.log(`| scale | ${METRICS.map(([, label]) => label).join(' | ')} |`);
console.log(`|---|${METRICS.map(() => '---').join('|')}|`);
for (const scale of scales) {
  const cells = METRICS.map(([metric, , mult, d]) => {
    const here = results.get(scale).get(metric),
      ref = results.get(finest).get(metric);
    const ids = [...here.keys()].filter((r) => ref.has(r)).sort((a, b) => a - b);
    const m = mean(ids.map((r) => here.get(r) * mult));
    if (scale === finest) return fmt(m, d);
    const diffs = ids.map((r) => (here.get(r) - ref.get(r)) * mult);
    return `${fmt(m, d)} (${mean(diffs) >= 0 ? '+' : '−'}${fmt(Math.abs(mean(diffs)), d)} ± ${fmt(sd(diffs) / Math.sqrt(diffs.length), d)})`;
  });
  console.log(`| ${scale} | ${cells.join(' | ')} |`);
}
console.log(`\nruns: ${out}`);
