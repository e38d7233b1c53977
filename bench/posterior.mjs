// The cost of a posterior (docs/scenarios.md section 7). Run: npm run build --silent && node bench/posterior.mjs
//  1. building the world of a parameter set (prepare) against one run, scale 100, 8 rounds;
//  2. the baseline's 10 runs on 2 workers, without and with a posterior of 10 sets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../dist/scenario/scenario.js';
import { prepare } from '../dist/engine/setup.js';
import { runOne } from '../dist/engine/run.js';
import { withParameterSet } from '../dist/scenario/parameters.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const baseline = join(root, 'scenarios/shanxi-baseline.yaml');
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const l = loadScenario(baseline);
const ps = { parameters: ['migration.review_rate_village'], weights: [1, 1], sets: [[0.07], [0.075]] };
const build = [],
  run = [];
for (let i = 0; i < 8; i++) {
  let t = performance.now();
  const p = prepare(withParameterSet(l.scenario, ps, i % 2), l.levers);
  build.push(performance.now() - t);
  t = performance.now();
  runOne(p, i);
  run.push(performance.now() - t);
}
const range = (a) => `${Math.min(...a).toFixed(0)}-${Math.max(...a).toFixed(0)}`;
console.log(`world of a set, scale 100: median ${median(build).toFixed(0)} ms (${range(build)}); one run: median ${median(run).toFixed(0)} ms (${range(run)})`);

const dir = mkdtempSync(join(tmpdir(), 'urbanize-bench-posterior-'));
const rows = Array.from({ length: 10 }, (_, k) => `${k},1,${(0.06 + 0.002 * k).toFixed(3)}`);
writeFileSync(join(dir, 'ten.csv'), `set,weight,migration.review_rate_village\n${rows.join('\n')}\n`);
writeFileSync(join(dir, 'ten.yaml'), `extends: ${baseline}\nname: ten\nposterior: ten.csv\n`);
for (const [name, file] of [
  ['baseline, no posterior', baseline],
  ['baseline, posterior of 10 sets', join(dir, 'ten.yaml')],
]) {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'run', file, '--out', join(dir, 'out'), '--force', '--quiet', '--workers', '2'], {
    encoding: 'utf8',
  });
  console.log(`${name}: ${(r.stdout.match(/^.*runs,.*$/m) ?? [r.stderr])[0]}`);
}
