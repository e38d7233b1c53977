// Parallel efficiency of a batch (tinybench): N runs of the baseline at its default scale on 1 and
// on 2 worker threads, timed end to end (worker start-up and world build included).
// Run: npm run build && node bench/batch.mjs [runs=200]
import { Bench } from 'tinybench';
import { loadScenario } from '../dist/scenario/scenario.js';
import { baseJobs, startBatch } from '../dist/batch/pool.js';
import { leverTables } from '../dist/engine/setup.js';

const runs = Number(process.argv[2] ?? 200);
const { scenario } = loadScenario(new URL('../scenarios/shanxi-baseline.yaml', import.meta.url).pathname);
const ids = Array.from({ length: runs }, (_, r) => r);
const batch = async (workers) => {
  let n = 0;
  const b = startBatch({ scenario, levers: leverTables(scenario), jobs: baseJobs(ids) }, workers, {
    onResult() {
      n++;
    },
    onFailed(job, _s, e) {
      throw new Error(`run ${job.run}: ${e}`);
    },
  });
  await b.done;
  if (n !== runs) throw new Error(`${n} of ${runs} runs`);
};
const bench = new Bench({ iterations: 1, warmupIterations: 0, time: 0 });
bench.add(`${runs} runs on 1 worker`, () => batch(1)).add(`${runs} runs on 2 workers`, () => batch(2));
await bench.run();
for (const x of bench.tasks)
  if (x.result?.state !== 'completed') {
    console.log(`${x.name}: ${x.result?.state}`, x.result?.error ?? '');
    process.exit(1);
  }
const t = bench.tasks.map((x) => x.result.latency.mean);
for (const [i, x] of bench.tasks.entries()) console.log(`${x.name}: ${(t[i] / 1000).toFixed(1)} s`);
console.log(`speed-up 2 vs 1 workers: ${(t[0] / t[1]).toFixed(2)}x, parallel efficiency ${((t[0] / t[1] / 2) * 100).toFixed(0)}%`);
