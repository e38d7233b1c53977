/**
 * Progress of a batch on stderr (runs done, runs per second, time left) with cli-progress; silent
 * when stderr is not a terminal or with --quiet, so logs and pipes stay clean.
 */
import cliProgress from 'cli-progress';

/** A progress reporter: `tick()` per finished run, `stop()` at the end. */
export interface Progress {
  tick(): void;
  stop(): void;
}

/** Starts a bar for `total` runs, `done` of which are already finished. */
export function progress(total: number, done: number, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY || total === 0) return { tick() {}, stop() {} };
  const start = Date.now();
  let n = done;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'runs {bar} {value}/{total} | {rate} runs/s | ETA {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, done, { rate: '0.0' });
  return {
    tick() {
      n++;
      const secs = (Date.now() - start) / 1000;
      bar.update(n, { rate: ((n - done) / Math.max(secs, 1e-3)).toFixed(1) });
    },
    stop() {
      bar.stop();
    },
  };
}
