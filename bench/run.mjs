// urbanize benchmarks (tinybench). Run: npm run bench
//                                       BENCH_FULL=1 npm run bench   (adds the 100-run batches and the scale-1 run to 2035; 12 minutes here)
// Writes bench/RESULTS.md with the figures, the machine and the command. Numbers, not timed tests.
//  1. the tick: agent-ticks per second of the full model, default scale and scale 1
//  2. a minimal kernel in the same process (one keyed draw, one typed-array read, one write per
//     agent per tick; the draw decides a rare event, p = 1%, like the model's deaths, hires and
//     moves, so the branch is predictable): the ratio full model / kernel says how close the
//     engine is to the limit; and the floor of a one-pass design (2b below)
//  3. a batch on 1 and on 2 workers: parallel efficiency
//  4. memory: bytes per agent, peak resident memory of a scale-1 run
//  5. scenario load and world build time
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { loadScenario } from '../dist/scenario/scenario.js';
import { prepare } from '../dist/engine/setup.js';
import { leverTables } from '../dist/scenario/schedule.js';
import { runOne } from '../dist/engine/run.js';
import { RULES } from '../dist/model/step.js';
import { newContext } from '../dist/model/context.js';
import { cloneWorld } from '../dist/world/world.js';
import { baseJobs, startBatch } from '../dist/batch/pool.js';
import { Agents } from '../dist/world/agents.js';
import { drawKeyed, runKey, tickKey } from '../dist/core/random.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const baselineFile = `${root}scenarios/shanxi-baseline.yaml`;
const full = process.env.BENCH_FULL === '1';
const lines = [];
const say = (s = '') => {
  console.log(s);
  lines.push(s);
};

/** Mean latency (ms) of a completed tinybench task, or throws its error. */
const meanMs = (task) => {
  if (task.result?.state !== 'completed') throw new Error(`${task.name}: ${task.result?.state} ${task.result?.error ?? ''}`);
  return task.result.latency.mean;
};
/** Agent-ticks of a run: agent slots (living and dead) visited per tick times ticks. */
const agentTicks = (prep) => prep.world.agents.count * prep.calendar.totalTicks;

// 5. Scenario load and world build.
const load = new Bench({ iterations: 5, warmupIterations: 1, time: 0 });
let scenario;
load.add('scenario load (YAML, schema, cross-checks, lever tables)', () => {
  scenario = loadScenario(baselineFile).scenario;
  leverTables(scenario);
});
await load.run();
const build = new Bench({ iterations: 5, warmupIterations: 1, time: 0 });
let prep;
build.add('world build, default scale', () => {
  prep = prepare(scenario);
});
await build.run();

// 1. The tick at the default scale, and 2. the minimal kernel over the same number of agents.
// The machine's speed drifts by 10-20% over minutes (other tenants of the host), so the three
// tasks run in ROUNDS rounds, one after the other in each, and the figures are the medians over
// the rounds of each task's median; the ratio full model / kernel is the median of the rounds'
// ratios, each taken within one round.
const ROUNDS = 3;
let run = 0;
const n = prep.world.agents.count,
  ticks = prep.calendar.totalTicks;
const tickTasks = [];
tickTasks.push([
  'full model: one run 2020-11 to 2025-12',
  () => {
    runOne(prep, run++);
  },
]);
const col = new Uint16Array(n),
  out = new Uint16Array(n);
for (let i = 0; i < n; i++) col[i] = i & 0xffff;
tickTasks.push([
  'minimal kernel: draw + read + write, same agents and ticks',
  () => {
    for (let t = 0; t < ticks; t++) {
      const key = tickKey(12345, t, 6);
      for (let i = 0; i < n; i++) {
        const x = col[i];
        out[i] = drawKeyed(key, i) < 0.01 ? x + 1 : x;
      }
    }
  },
]);
// 2b. The floor of the one-pass design (src/model/step.ts): what it must do per living agent and
// tick besides the events themselves, in a single pass over copies of the world's columns: the
// dead check, ageing on the birthday, months in place, counts by (place, employment), one keyed
// draw against a bound looked up by (place, employment, local hukou) and (sex, age). Agents under
// the bound are only counted (the events' own work is not in it). Not the engine: the reference
// for how much of the engine's time per agent-tick goes to the events (the slow path).
const W = prep.world,
  A0 = W.agents,
  np = W.places.n;
const fPlace = A0.place.slice(0, n),
  fAge = A0.age.slice(0, n),
  fFlags = A0.flags.slice(0, n),
  fEmp = A0.emp.slice(0, n);
const fHukou = A0.hukouPlace.slice(0, n),
  fMonths = A0.months.slice(0, n);
const bound = new Float64Array(np * 10).fill(0.02),
  demoBound = new Float64Array(512).fill(0.001);
const byEmp = new Int32Array(np * 5);
let underBound = 0;
tickTasks.push([
  'one-pass floor: upkeep + one draw against a bound, same agents and ticks',
  () => {
    for (let t = 0; t < ticks; t++) {
      const key = tickKey(12345, t, 1);
      let phase = t % 12,
        runKey = 0,
        run = 0;
      for (let i = 0; i < n; i++, phase = phase === 11 ? 0 : phase + 1) {
        const p = fPlace[i];
        if (p === 0xffff) continue;
        let age = fAge[i];
        if (phase === 0 && age < 255) fAge[i] = ++age;
        const e = fEmp[i];
        const b = bound[((p * 5 + e) << 1) | (fHukou[i] === p ? 1 : 0)] + demoBound[((fFlags[i] & 2) << 7) | age];
        if (drawKeyed(key, i) < b) underBound++;
        const m = fMonths[i];
        if (m < 65535) fMonths[i] = m + 1;
        const k = p * 5 + e;
        if (k !== runKey) {
          byEmp[runKey] += run;
          runKey = k;
          run = 0;
        }
        run++;
      }
      byEmp[runKey] += run;
    }
  },
]);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b),
    m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const tick = new Bench({ iterations: 5, warmupIterations: 1, time: 0 });
  for (const [name, fn] of tickTasks) tick.add(name, fn);
  await tick.run();
  rounds.push(
    tick.tasks.map((t) => {
      meanMs(t);
      return t.result.latency.p50;
    }),
  );
}
const fullMs = median(rounds.map((r) => r[0])),
  kernelMs = median(rounds.map((r) => r[1])),
  floorMs = median(rounds.map((r) => r[2]));
const fullRange = [Math.min(...rounds.map((r) => r[0])), Math.max(...rounds.map((r) => r[0]))];
const kernelRatio = median(rounds.map((r) => r[0] / r[1])),
  floorRatio = median(rounds.map((r) => r[2] / r[1]));

// Where the time goes: each rule alone over the run's ticks, on a fresh clone of the world (an
// agent rule alone is the agent pass with only that rule's bands, so each pays the pass's upkeep).
const perRule = new Bench({ iterations: 3, warmupIterations: 1, time: 0 });
for (const [name, rule] of RULES) {
  let w, ctx;
  const fresh = () => {
    w = cloneWorld(prep.world, prep.headroom);
    ctx = newContext(w, { ...prep.params }, prep.levers, runKey(scenario.seed, 0));
  };
  perRule.add(
    name,
    () => {
      for (let t = 0; t < ticks; t++) {
        ctx.tick = t;
        ctx.years = t / prep.params.tpy;
        rule(w, ctx);
      }
    },
    { beforeEach: fresh },
  );
}
await perRule.run();
const fullRate = agentTicks(prep) / fullMs / 1000,
  kernelRate = (n * ticks) / kernelMs / 1000;

// 3. A batch of 20 runs on 1 and on 2 workers (start-up and world builds included), and with
// BENCH_FULL a batch of 100: the workers' start-up (module load, world build, the first runs before
// V8 has optimized the engine) is a fixed cost that weighs more in a short batch. The figure is
// tinybench's measured iteration; its warm-up also runs each batch (with `warmup: false`, tinybench
// 6.2 timed batches that overlapped each other, so the warm-up stays).
const batchRuns = Number(process.env.BENCH_BATCH_RUNS ?? 20);
const runBatch = async (workers, runs) => {
  const b = startBatch({ scenario, levers: leverTables(scenario), jobs: baseJobs(Array.from({ length: runs }, (_, r) => r)) }, workers, {
    onResult() {},
    onFailed(job, _s, e) {
      throw new Error(`run ${job.run}: ${e}`);
    },
  });
  await b.done;
};
const timeBatches = async (runs) => {
  const batch = new Bench({ iterations: 1, warmupIterations: 0, time: 0 });
  batch.add(`${runs} runs on 1 worker`, () => runBatch(1, runs)).add(`${runs} runs on 2 workers`, () => runBatch(2, runs));
  await batch.run();
  return [meanMs(batch.tasks[0]), meanMs(batch.tasks[1])];
};
// The short batch in three rounds (the drift again): its figures are the round with the median
// efficiency, the efficiency of each round taken within it.
const batchRounds = [await timeBatches(batchRuns), await timeBatches(batchRuns), await timeBatches(batchRuns)].sort((x, y) => x[0] / x[1] - y[0] / y[1]);
const [b1, b2] = batchRounds[1];
const efficiency = b1 / b2 / 2;
const longRuns = 100;
const long = full ? await timeBatches(longRuns) : undefined;
const longEfficiency = long ? long[0] / long[1] / 2 : undefined;

// 1 and 4 at scale 1, in a child process so that its peak resident memory is its own. The world
// is built for a run to 2035 either way, so the peak counts the room kept for 2035's births.
const child = (endYear) => {
  const code = `
    import { loadScenario } from '${root}dist/scenario/scenario.js';
    import { prepare } from '${root}dist/engine/setup.js';
    import { runOne } from '${root}dist/engine/run.js';
    import { calendarOf } from '${root}dist/core/calendar.js';
    const { scenario } = loadScenario('${baselineFile}');
    // The world of a run to 2035 (with room for the births to 2035), run to ${endYear}.
    scenario.scale = 1; scenario.time.end_year = 2035;
    const t0 = performance.now();
    const prep = prepare(scenario);
    prep.calendar = calendarOf({ ...scenario, time: { ...scenario.time, end_year: ${endYear} } });
    const t1 = performance.now();
    const agents = prep.world.agents.count; // before the run: in place, it appends the newborn
    runOne(prep, 0, false, true); // in place, as a batch of one run does
    const t2 = performance.now();
    console.log(JSON.stringify({ agents, ticks: prep.calendar.totalTicks, buildMs: t1 - t0, runMs: t2 - t1, maxRssKb: process.resourceUsage().maxRSS }));`;
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', '--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
};
// Three children, for the drift: the figures are those of the child with the median run time.
const s1Runs = [child(2021), child(2021), child(2021)].sort((a, b) => a.runMs - b.runMs);
const s1 = s1Runs[1];
const s1Rate = (s1.agents * s1.ticks) / s1.runMs / 1000;
const s1Range = [s1Runs[2], s1Runs[0]].map((c) => (c.agents * c.ticks) / c.runMs / 1000);
const s2035 = full ? child(2035) : undefined;

// Bytes per agent: the columns, plus the place tables and run state shared out over the agents.
const bytesPerAgent = Agents.BYTES_PER_AGENT;
const s1Bytes = (s1.maxRssKb * 1024) / s1.agents;

const cpu = cpus()[0]?.model ?? 'unknown cpu';
say('# Benchmark results');
say();
say(
  `Produced by \`${full ? 'BENCH_FULL=1 ' : ''}npm run bench\` (bench/run.mjs, tinybench) on ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
);
say(`The baseline scenario (scenarios/shanxi-baseline.yaml). Agent-ticks count every agent slot (living or dead) visited per tick.`);
say();
say('| measure | result |');
say('|---|---|');
say(`| scenario load (YAML, schema, cross-checks, lever tables) | ${meanMs(load.tasks[0]).toFixed(0)} ms |`);
say(`| world build, default scale ${scenario.scale} (${n.toLocaleString('en-US')} agents) | ${meanMs(build.tasks[0]).toFixed(0)} ms |`);
say(`| world build, scale 1 (${s1.agents.toLocaleString('en-US')} agents) | ${(s1.buildMs / 1000).toFixed(1)} s |`);
const rateOf = (ms) => agentTicks(prep) / ms / 1000;
say(
  `| full model, default scale: one run of ${ticks} ticks (median of ${ROUNDS} rounds; rounds ${rateOf(fullRange[1]).toFixed(1)} to ${rateOf(fullRange[0]).toFixed(1)} M) | ${fullMs.toFixed(0)} ms, **${fullRate.toFixed(1)} M agent-ticks/s** |`,
);
say(
  `| full model, scale 1: ${s1.ticks} ticks (2020-11 to 2021-12; median of 3 runs, ${s1Range[0].toFixed(1)} to ${s1Range[1].toFixed(1)} M) | ${(s1.runMs / 1000).toFixed(1)} s, **${s1Rate.toFixed(1)} M agent-ticks/s** |`,
);
say(
  `| minimal kernel (keyed draw + read + write, rare event p = 1%), same agents and ticks | ${kernelMs.toFixed(0)} ms, **${kernelRate.toFixed(1)} M agent-ticks/s** |`,
);
say(`| full model / minimal kernel (median over the rounds of the ratio within a round) | **${kernelRatio.toFixed(1)}x** slower |`);
const nsPerAgentTick = (ms) => (ms * 1e6) / (n * ticks);
say(
  `| one-pass floor (not the engine: the upkeep every agent needs each tick, in one pass, plus one keyed draw against a bound; bench/run.mjs 2b), same agents and ticks | ${floorMs.toFixed(0)} ms, ${((n * ticks) / floorMs / 1000).toFixed(1)} M agent-ticks/s, ${nsPerAgentTick(floorMs).toFixed(1)} ns per agent-tick (${floorRatio.toFixed(1)}x the kernel) |`,
);
say(
  `| each rule alone (its place-level step and the agent pass with only its bands), default scale, ns per agent-tick (the full model: ${nsPerAgentTick(fullMs).toFixed(1)}; the kernel: ${nsPerAgentTick(kernelMs).toFixed(1)}) | ${perRule.tasks.map((t) => `${t.name} ${nsPerAgentTick(meanMs(t)).toFixed(1)}`).join(', ')} |`,
);
say(`| batch of ${batchRuns} runs, 1 worker | ${(b1 / 1000).toFixed(1)} s |`);
say(
  `| batch of ${batchRuns} runs, 2 workers | ${(b2 / 1000).toFixed(1)} s (speed-up ${(b1 / b2).toFixed(2)}x, **parallel efficiency ${(efficiency * 100).toFixed(0)}%**; the median of 3 rounds, which gave ${batchRounds.map(([x, y]) => `${((x / y / 2) * 100).toFixed(0)}%`).join(', ')}) |`,
);
if (long)
  say(
    `| batch of ${longRuns} runs, 1 worker / 2 workers | ${(long[0] / 1000).toFixed(1)} s / ${(long[1] / 1000).toFixed(1)} s (speed-up ${(long[0] / long[1]).toFixed(2)}x, **parallel efficiency ${(longEfficiency * 100).toFixed(0)}%**) |`,
  );
say(`| agent columns | **${bytesPerAgent} bytes per agent** |`);
say(
  `| peak resident memory, scale-1 run to 2021 | ${(s1.maxRssKb / 2 ** 20).toFixed(2)} GiB (${s1Bytes.toFixed(0)} bytes per agent, all included: the world with room for the births of the horizon, which a batch of one run uses in place, place tables, Node) |`,
);
if (s2035) {
  say(
    `| scale-1 run 2020-11 to 2035-12, ${s2035.ticks} monthly ticks, one core | build ${(s2035.buildMs / 1000).toFixed(0)} s + run ${(s2035.runMs / 1000).toFixed(0)} s (${((s2035.agents * s2035.ticks) / s2035.runMs / 1000).toFixed(1)} M agent-ticks/s); peak ${(s2035.maxRssKb / 2 ** 20).toFixed(2)} GiB (${((s2035.maxRssKb * 1024) / s2035.agents).toFixed(1)} bytes per agent) |`,
  );
}
say();
say('## Goals (issue 6)');
say();
const goal = (ok, text) => say(`- ${ok ? 'met' : 'NOT met'}: ${text}`);
const slowest = Math.min(fullRate, s1Rate);
goal(
  slowest >= 50,
  `at least 50 M agent-ticks/s per core for the full model, at the default scale and at scale 1: ${fullRate.toFixed(1)} M at the default scale, ${s1Rate.toFixed(1)} M at scale 1${slowest >= 50 ? '' : ` (gap: ${(50 / slowest).toFixed(2)}x)`}.`,
);
goal(kernelRatio <= 3, `the full model within 3x of the minimal kernel: ${kernelRatio.toFixed(1)}x.`);
const projected = s2035 ? (s2035.buildMs + s2035.runMs) / 1000 : (s1.buildMs + s1.runMs * (182 / s1.ticks)) / 1000;
goal(
  projected < 120,
  `a scale-1 run 2020-2035 in under 2 minutes on one core: ${s2035 ? 'measured' : 'projected from the 2021 run (x 182/' + s1.ticks + ' ticks)'} ${projected.toFixed(0)} s.`,
);
const peakBytes = s2035 ? (s2035.maxRssKb * 1024) / s2035.agents : s1Bytes;
goal(
  peakBytes <= 24,
  `that run in at most 24 bytes per agent: ${bytesPerAgent} bytes per agent of agent state; peak resident memory ${peakBytes.toFixed(1)} bytes per agent, counting everything, ${s2035 ? 'of the run to 2035' : 'of the run to 2021 (in a world built for 2035)'}.`,
);
if (long)
  goal(
    longEfficiency >= 0.9,
    `parallel efficiency on 2 workers of at least 90%: ${(longEfficiency * 100).toFixed(0)}% on a batch of ${longRuns} runs; ${(efficiency * 100).toFixed(0)}% on a batch of ${batchRuns} (${(b1 / 1000).toFixed(1)} s of work on one worker), where the workers' start-up weighs more.`,
  );
else
  goal(
    efficiency >= 0.9,
    `parallel efficiency on 2 workers of at least 90%: ${(efficiency * 100).toFixed(0)}% on a batch of ${batchRuns} runs (BENCH_FULL=1 adds a batch of 100).`,
  );
writeFileSync(`${root}bench/RESULTS.md`, lines.join('\n') + '\n');
