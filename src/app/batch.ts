/**
 * Every batch of every command runs through here, so that a signal and the progress bar behave
 * the same in run, compare, sweep, calibrate and validate-model. SIGINT (Ctrl-C) and SIGTERM (what
 * Slurm and Kubernetes send before they kill a task) are caught from the start of the command,
 * before any folder work: a signal during the set-up is noticed when the batch would start (set-up
 * is synchronous, and creates its folder atomically), a signal during a batch stops its workers;
 * the runs that finished are kept, and a run, compare or sweep folder can be resumed. The exit
 * code is 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. A second signal is not
 * caught: it ends the process at once, and a folder, whose every file is written atomically, can
 * still be resumed.
 */
import { constants } from 'node:os';
import { startBatch, type Batch, type BatchHandlers, type BatchSpec } from '../batch/pool.js';
import { resumeCommand, type BatchCommand } from '../results/documents.js';
import { progress } from './progress.js';

/** What a command's work ends with: an exit code, or 'interrupted' when a signal stopped it. */
export type CommandResult = number | 'interrupted';

/** How a batch ended: every job reported, or stopped by a signal (the runs in flight abandoned). */
export type BatchEnd = 'done' | 'interrupted';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs a command's `work` with SIGINT and SIGTERM caught; `stop` aborts on the first of them.
 * Returns work's exit code, or 128 + the signal's number when work returns 'interrupted'.
 */
export async function interruptible(work: (stop: AbortSignal) => Promise<CommandResult>): Promise<number> {
  const abort = new AbortController();
  let received: NodeJS.Signals = 'SIGINT';
  const off = () => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  function onSignal(signal: NodeJS.Signals) {
    received = signal;
    off();
    abort.abort();
  }
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    const outcome = await work(abort.signal);
    return outcome === 'interrupted' ? 128 + constants.signals[received] : outcome;
  } finally {
    off();
  }
}

/** How a batch runs: on how many worker threads, what stops it, and its progress bar. */
export interface BatchRun {
  workers: number;
  /** Aborted by interruptible's signal handler. */
  stop: AbortSignal;
  /** A progress bar on stderr over `total` runs of which `done` are already finished; none without it. */
  progress?: { total: number; done: number; quiet: boolean };
}

/**
 * Runs the jobs of `spec` until they are done or `run.stop` aborts (then the workers are
 * terminated and the runs in flight abandoned); nothing starts when `stop` has already aborted.
 */
export async function runBatch(spec: BatchSpec, h: BatchHandlers, run: BatchRun): Promise<BatchEnd> {
  if (run.stop.aborted) return 'interrupted';
  const bar = run.progress ? progress(run.progress.total, run.progress.done, run.progress.quiet) : undefined;
  let batch: Batch | undefined;
  let stopped = false;
  const onStop = () => {
    stopped = true;
    void batch?.stop();
  };
  try {
    batch = startBatch(spec, run.workers, {
      onResult(job, seed, values) {
        h.onResult(job, seed, values);
        bar?.tick();
      },
      onFailed(job, seed, error) {
        h.onFailed(job, seed, error);
        bar?.tick();
      },
    });
    run.stop.addEventListener('abort', onStop, { once: true });
    await batch.done;
  } finally {
    run.stop.removeEventListener('abort', onStop);
    bar?.stop();
  }
  return stopped ? 'interrupted' : 'done';
}

/** The line an interrupted command prints: what it kept, and the exact command that completes the folder. */
export function interruptedMessage(command: BatchCommand, dir: string, kept: number, total: number): string {
  return `interrupted: ${kept} of ${total} runs kept in ${dir}; complete it with: ${resumeCommand(command, dir)}`;
}
