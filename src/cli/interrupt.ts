/**
 * Stopping a batch command by a signal, in one place for run, compare and sweep. SIGINT (Ctrl-C)
 * and SIGTERM (what Slurm and Kubernetes send before they kill a task) are caught from the start
 * of the command, before any folder work: a signal during the set-up is noticed when the batch
 * would start (set-up is synchronous, and creates its folder atomically), a signal during the
 * batch stops the workers; the runs that finished are kept and the folder can be resumed. The
 * exit code is 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. A second signal is
 * not caught: it ends the process at once, and the folder, whose every file is written
 * atomically, can still be resumed.
 */
import { constants } from 'node:os';
import { startBatch, type BatchHandlers, type BatchSpec } from '../batch/pool.js';
import { resumeCommand, type BatchCommand } from '../results/folder.js';

/** What a command's work ends with: an exit code, or 'interrupted' when a signal stopped it. */
export type CommandResult = number | 'interrupted';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs a batch command's `work` with SIGINT and SIGTERM caught; `stop` aborts on the first of
 * them. Returns work's exit code, or 128 + the signal's number when work returns 'interrupted'.
 */
export async function interruptible(work: (stop: AbortSignal) => Promise<CommandResult>): Promise<number> {
  const abort = new AbortController();
  let received: NodeJS.Signals = 'SIGINT';
  const off = () => { for (const s of SIGNALS) process.off(s, onSignal); };
  function onSignal(signal: NodeJS.Signals) { received = signal; off(); abort.abort(); }
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    const outcome = await work(abort.signal);
    return outcome === 'interrupted' ? 128 + constants.signals[received] : outcome;
  } finally {
    off();
  }
}

/**
 * Runs the jobs of `spec` on `workers` threads until they are done or `stop` aborts (then the
 * workers are terminated and the runs in flight abandoned); nothing starts when `stop` has
 * already aborted.
 */
export async function runUntilStopped(spec: BatchSpec, workers: number, h: BatchHandlers, stop: AbortSignal): Promise<'done' | 'interrupted'> {
  if (stop.aborted) return 'interrupted';
  const batch = startBatch(spec, workers, h);
  let stopped = false;
  const onStop = () => { stopped = true; void batch.stop(); };
  stop.addEventListener('abort', onStop, { once: true });
  try {
    await batch.done;
  } finally {
    stop.removeEventListener('abort', onStop);
  }
  return stopped ? 'interrupted' : 'done';
}

/** The line an interrupted command prints: what it kept, and the exact command that completes the folder. */
export function interruptedMessage(command: BatchCommand, dir: string, kept: number, total: number): string {
  return `interrupted: ${kept} of ${total} runs kept in ${dir}; complete it with: ${resumeCommand(command, dir)}`;
}
