/**
 * A batch worker: builds the scenario's world once, then runs the jobs the main thread sends, one
 * at a time, until told to stop. It imports the engine only (no mathjs: it would add about a
 * second to every worker's start-up).
 */
import { parentPort } from 'node:worker_threads';
import { UserError } from '../core/errors.js';
import { runKey } from '../core/random.js';
import { runOne } from '../engine/run.js';
import { prepare, withLevers, type Prepared } from '../engine/setup.js';
import type { FromWorker, ToWorker, Variant } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('batch/worker.js must run as a worker thread');
let base: Prepared | undefined;
let variants: Variant[] = [];
/** The last variant prepared with a scenario of its own (jobs come in variant order). */
let last: { index: number; prep: Prepared } | undefined;
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

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') {
    port.close();
    return;
  }
  if (m.type === 'init') {
    try {
      base = prepare(m.scenario, m.levers);
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
  const seed = runKey(base!.scenario.seed, job.run);
  try {
    if (faultRuns.has(job.run)) throw new Error(`fault injected into run ${job.run} (URBANIZE_FAULT_RUNS)`);
    const r = runOne(preparedFor(job.variant), job.run, check, single && job.variant === 0);
    send({ type: 'result', job, seed: r.seed, values: r.values }, [r.values.buffer as ArrayBuffer]);
  } catch (err) {
    send({ type: 'failed', job, seed, error: (err as Error).message });
  }
});
