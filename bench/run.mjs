// Benchmarks (tinybench), reported as numbers, never as timed tests. Run: npm run bench
// Measures the world build and one full run of the baseline at the default scale.
import { Bench } from 'tinybench';
import { loadScenario } from '../dist/scenario/scenario.js';
import { prepare } from '../dist/engine/setup.js';
import { runOne } from '../dist/engine/run.js';

const { scenario } = loadScenario(new URL('../scenarios/shanxi-baseline.yaml', import.meta.url).pathname);
const prep = prepare(scenario);
const agents = prep.world.agents.count, ticks = prep.calendar.totalTicks;
let run = 0;
const bench = new Bench({ iterations: 5, warmupIterations: 1, time: 0 });
bench
  .add(`world build (scale ${scenario.scale}, ${agents} agents)`, () => { prepare(scenario); })
  .add(`one run, ${ticks} ticks`, () => { runOne(prep, run++); });
await bench.run();
for (const t of bench.tasks) {
  const r = t.result;
  if (!r || r.state !== 'completed') { console.log(`${t.name}: ${r?.state ?? 'no result'} ${r?.error ?? ''}`); continue; }
  const ms = r.latency.mean;
  const extra = t.name.startsWith('one run') ? `, ${((agents * ticks) / ms / 1000).toFixed(1)} M agent-ticks/s` : '';
  console.log(`${t.name}: mean ${ms.toFixed(0)} ms (sd ${r.latency.sd.toFixed(0)} ms, ${r.latency.samplesCount} samples)${extra}`);
}
