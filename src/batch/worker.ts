/**
 * A batch worker: builds the scenario's world once, then runs the jobs the main thread sends, one
 * at a time, until told to stop. It imports the engine only (no mathjs: it would add about a
 * second to every worker's start-up). With a posterior, run r runs on the world of its parameter
 * set (drawParameterSet), built when the set changes: the queue gives a worker the jobs of the
 * set it holds first (queue.ts), so it builds each set's world about once.
 */
import { parentPort } from 'node:worker_threads';
import { UserError } from '../core/errors.js';
import { drawParameterSet, runKey } from '../core/random.js';
import { runOne } from '../engine/run.js';
import { prepare, withLevers, type Prepared } from '../engine/setup.js';
import { withParameterSet, type ParameterSets } from '../scenario/parameters.js';
import type { LeverTables } from '../scenario/schedule.js';
import type { Scenario } from '../scenario/schema.js';
import type { FromWorker, ToWorker, Variant } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('batch/worker.js must run as a worker thread');
let scenario: Scenario | undefined;
let baseLevers: LeverTables | undefined;
let base: Prepared | undefined;
let variants: Variant[] = [];
let posterior: ParameterSets | null = null;
/** The last variant prepared with a scenario of its own (jobs come in variant order). */
let last: { index: number; prep: Prepared } | undefined;
/**
 * With a posterior, the last world built: of (the variant whose scenario it is, parameter set).
 * One only, as memory.ts counts (a prepared world and a run's clone per worker); the queue gives
 * a worker the jobs of the world it holds first (queue.ts).
 */
let lastSet: { key: string; prep: Prepared } | undefined;
let faultRuns = new Set<number>();
let check = false;
/** The batch has one run: it runs on the prepared world itself (half the memory of a clone). */
let single = false;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** The prepared world of variant v: the base world with other levers, or a world of its own. */
function preparedFor(v: number): Prepared {
  if (v === 0) return base!;
  if (last?.index === v) return last.prep;
  const spec = variants[v - 1];
  const prep = spec.scenario ? prepare(spec.scenario, spec.levers) : withLevers(base!, spec.levers);
  last = { index: v, prep };
  return prep;
}

/** The prepared world of variant v in parameter set `set` of the posterior. */
function preparedInSet(v: number, set: number, ps: ParameterSets): Prepared {
  const spec = v === 0 ? undefined : variants[v - 1];
  const own = spec?.scenario ? v : 0;
  const key = `${own}:${set}`;
  if (lastSet?.key !== key) {
    lastSet = undefined; // the previous world can be collected while the next is built
    const sc = withParameterSet(spec?.scenario ?? scenario!, ps, set);
    lastSet = { key, prep: prepare(sc, spec?.scenario ? spec.levers : baseLevers) };
  }
  return spec && !spec.scenario ? withLevers(lastSet.prep, spec.levers) : lastSet.prep;
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') {
    port.close();
    return;
  }
  if (m.type === 'init') {
    try {
      scenario = m.scenario;
      baseLevers = m.levers;
      posterior = m.posterior;
      // With a posterior no run uses the scenario's own values: each set's world is built when needed.
      if (!posterior) base = prepare(m.scenario, m.levers);
      variants = m.variants;
      faultRuns = new Set(m.faultRuns);
      check = m.check;
      single = m.single;
      send({ type: 'ready' });
    } catch (err) {
      const problems = err instanceof UserError ? err.problems : undefined;
      send({ type: 'init-failed', error: (err as Error).stack ?? String(err), problems });
    }
    return;
  }
  const { job } = m;
  const seed = runKey(scenario!.seed, job.run);
  try {
    if (faultRuns.has(job.run)) throw new Error(`fault injected into run ${job.run} (URBANIZE_FAULT_RUNS)`);
    const prep = posterior ? preparedInSet(job.variant, drawParameterSet(scenario!.seed, job.run, posterior.weights), posterior) : preparedFor(job.variant);
    const r = runOne(prep, job.run, check, single && job.variant === 0);
    send({ type: 'result', job, seed: r.seed, values: r.values }, [r.values.buffer as ArrayBuffer]);
  } catch (err) {
    send({ type: 'failed', job, seed, error: (err as Error).message });
  }
});
