// Simulations per minute of a calibration (tinybench): N simulations as `urbanize calibrate` runs
// them (each a scenario of its own with every prior drawn, the baseline at scale 100 from the census
// to the end of 2024, its world built in the worker), on W worker threads, timed end to end.
// Run: npm run build && node bench/calibrate.mjs [simulations=16] [workers=2] [scale=100]
import { Bench } from 'tinybench';
import { setupCalibration } from '../dist/app/calibrate.js';
import { startBatch } from '../dist/batch/pool.js';
import { stream } from '../dist/calibrate/kernel.js';
import { withBehaviour } from '../dist/calibrate/priors.js';
import { leverTables } from '../dist/scenario/schedule.js';

const [sims, workers, scale] = [16, 2, 100].map((d, i) => Number(process.argv[2 + i] ?? d));
const { sc, priors } = setupCalibration('scenarios/shanxi-baseline.yaml', { scale, budget: 1e9 });
const u = stream(sc.seed, 'bench');
const variants = Array.from({ length: sims }, () => {
  const s = withBehaviour(
    sc,
    priors.map((p) => p.path),
    priors.map((p) => p.lo + u() * (p.hi - p.lo)),
  );
  return { scenario: s, levers: leverTables(s) };
});
const jobs = variants.map((_, v) => ({ run: v, variant: v + 1 }));
const batch = async () => {
  let n = 0;
  const b = startBatch({ scenario: sc, levers: leverTables(sc), variants, jobs }, workers, {
    onResult() {
      n++;
    },
    onFailed(job, _s, e) {
      throw new Error(`simulation ${job.variant}: ${e}`);
    },
  });
  await b.done;
  if (n !== sims) throw new Error(`${n} of ${sims} simulations`);
};
const bench = new Bench({ iterations: 1, warmupIterations: 0, time: 0 });
bench.add(`${sims} simulations at scale ${scale} to ${sc.time.end_year} on ${workers} workers`, batch);
await bench.run();
const [task] = bench.tasks;
if (task.result?.state !== 'completed') {
  console.log(`${task.name}: ${task.result?.state}`, task.result?.error ?? '');
  process.exit(1);
}
const secs = task.result.latency.mean / 1000;
console.log(`${task.name}: ${secs.toFixed(1)} s, ${((sims * 60) / secs).toFixed(1)} simulations a minute`);
