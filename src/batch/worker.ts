/**
 * A batch worker: builds the scenario's world once, then runs the run ids the main thread sends,
 * one at a time, until told to stop. It imports the engine only (no mathjs: it would add about a
 * second to every worker's start-up).
 */
import { parentPort } from 'node:worker_threads';
import { runKey } from '../core/random.js';
import { runOne } from '../engine/run.js';
import { prepare, type Prepared } from '../engine/setup.js';
import type { FromWorker, ToWorker } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('batch/worker.js must run as a worker thread');
let prep: Prepared | undefined;
let faultRuns = new Set<number>();
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') { port.close(); return; }
  if (m.type === 'init') {
    try {
      prep = prepare(m.scenario, m.levers);
      faultRuns = new Set(m.faultRuns);
      send({ type: 'ready' });
    } catch (err) {
      send({ type: 'init-failed', error: (err as Error).stack ?? String(err) });
    }
    return;
  }
  const seed = runKey(prep!.scenario.seed, m.run);
  try {
    if (faultRuns.has(m.run)) throw new Error(`fault injected into run ${m.run} (URBANIZE_FAULT_RUNS)`);
    const r = runOne(prep!, m.run);
    send({ type: 'result', run: r.run, seed: r.seed, values: r.values }, [r.values.buffer as ArrayBuffer]);
  } catch (err) {
    send({ type: 'failed', run: m.run, seed, error: (err as Error).message });
  }
});
