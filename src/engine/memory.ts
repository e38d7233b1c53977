/**
 * Impossible sizes: `estimateMemory` / `checkMemory` refuse, before any world is built, a batch
 * whose worlds would not fit in the machine's memory, or whose results would not fit in the one
 * process that summarizes them: a scale-1 run on a laptop, or a million runs, is a user's choice
 * to correct, not a crash half an hour in.
 */
import { constants as buffers } from 'node:buffer';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { calendarOf } from '../core/calendar.js';
import { userError } from '../core/errors.js';
import { MAX_SCALE, type Scenario } from '../scenario/schema.js';
import { Agents, TENURES } from '../world/agents.js';
import { SECTORS } from '../world/world.js';
import { FLOW_CLASSES, obsLength } from './metrics.js';
import { birthHeadroom } from './setup.js';

/** What a batch's worlds need in memory, by the estimate of `estimateMemory`. */
export interface MemoryEstimate {
  /** Total bytes: the fixed part plus `workers` times the per-worker part. */
  bytes: number;
  /** Agents of one world at the start (residents + Shanxi people outside + in-migrant pool, over the scale). */
  agents: number;
  /** Bytes of agent columns and place tables per worker (its prepared world and one run's clone with births headroom). */
  perWorker: number;
  /** Bytes that do not depend on the scale: the main thread (with `results`) and each worker's own runtime. */
  fixed: number;
  /** Bytes the main thread needs to summarize the folder's runs (part of `fixed`). */
  results: number;
  workers: number;
}

/** Runtime of the main thread (Node, yaml, zod, mathjs for the summaries), measured at about 90 MB. */
const MAIN_BYTES = 96 * 2 ** 20;
/** Runtime of one worker thread (its own V8 isolate and the engine's modules). */
const WORKER_BYTES = 48 * 2 ** 20;
/**
 * Main-thread heap per stored value while a folder is finalized (every run's values, the summaries,
 * runs.csv and runs.parquet are built in memory). Measured: finalizing 2,000 runs to 2025
 * (3.59 M values) ran out of a 1,000 MB heap and passed with 1,400 MB, about 390 bytes a value.
 */
const FINALIZE_BYTES_PER_VALUE = 400;
/** Characters of runs.csv per value (44 measured over 5,000 runs to 2025), which is built as one string. */
const CSV_CHARS_PER_VALUE = 48;

/** Observed values of one run: every metric, region and observed year of the scenario's horizon. */
const valuesPerRun = (sc: Scenario): number => obsLength({ years: calendarOf(sc).years });
/**
 * Main-thread bytes per run and simulated year for the origin-destination moves: the run's
 * FLOW_CLASSES² values (8 bytes each) and flows.csv's rows, built in chunks of bytes rather than one
 * string (about 49 KB a run-year, 2,454,201 bytes for 10 runs to 2025 on the baseline; counted twice
 * for the lines and their bytes). An estimate from that one measurement.
 */
const FLOWS_BYTES_PER_RUN_YEAR = 8 * FLOW_CLASSES * FLOW_CLASSES + 2 * 50_000;
/** Main-thread bytes one run's results take while its folder is finalized. */
const resultBytesPerRun = (sc: Scenario): number => valuesPerRun(sc) * FINALIZE_BYTES_PER_VALUE + (calendarOf(sc).years.length - 1) * FLOWS_BYTES_PER_RUN_YEAR;

/**
 * Estimates the memory of a batch of `sc` on `workers` worker threads (default 1). Each worker
 * builds the scenario's world once (agents = round(residents / scale) + outside stock / scale +
 * in-migrant pool / scale, at Agents.BYTES_PER_AGENT bytes each, with room for the births of the
 * horizon as `prepare` reserves it) and runs on one clone of it at a time, or, for a batch of
 * `runs` = 1, on the world itself; place tables likewise. The main thread holds no world, but
 * finalizes the folder's `results` runs (default: `runs`, or the scenario's when `runs` is not
 * given; 0 for a sweep, which keeps a few outcomes a run). Compared with measurements in
 * bench/RESULTS.md (peak resident memory of a scale-1 run).
 */
export function estimateMemory(sc: Scenario, workers = 1, runs = Infinity, results = Number.isFinite(runs) ? runs : sc.runs): MemoryEstimate {
  const pv = sc.world.province,
    s = sc.scale;
  const residents = sc.world.cities.reduce((a, c) => a + Math.round(c.residents.value / s), 0);
  const agents = residents + Math.round(pv.outside_stock.value / s) + Math.round(pv.in_migrant_pool.value / s);
  const headroom = birthHeadroom(sc, agents);
  // Place tables: ~220 places; the network table (counties x places, int32) dominates.
  const places = 16 + sc.world.cities.reduce((a, c) => a + 2 * c.county_towns.length + 3, 0);
  const counties = 1 + sc.world.cities.reduce((a, c) => a + c.county_towns.length + 1, 0);
  const placeBytes = places * (counties * 4 + TENURES * 12 + SECTORS * 12 + 200);
  const worlds = runs === 1 ? 1 : 2;
  const perWorker = worlds * ((agents + headroom) * Agents.BYTES_PER_AGENT + placeBytes);
  const w = Math.max(1, Math.floor(workers));
  const resultBytes = results * resultBytesPerRun(sc);
  const fixed = MAIN_BYTES + resultBytes + w * WORKER_BYTES;
  return { bytes: fixed + w * perWorker, agents, perWorker, fixed, results: resultBytes, workers: w };
}

/** The memory this process may use: the machine's, or the container's limit when lower. */
export function machineMemory(): number {
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const total = totalmem();
  return limit && limit > 0 && limit < total ? limit : total;
}

/**
 * The most runs of `sc` whose results one process can finalize: their values must fit in Node's
 * heap (`heap`, default this process's limit, about 4 GB unless --max-old-space-size raises it)
 * and runs.csv in one string (buffer.constants.MAX_STRING_LENGTH, 512 M characters), with
 * the origin-destination moves and flows.csv beside them (FLOWS_BYTES_PER_RUN_YEAR).
 */
export function maxResultRuns(sc: Scenario, heap = getHeapStatistics().heap_size_limit): number {
  return Math.max(1, Math.floor(Math.min(heap / resultBytesPerRun(sc), buffers.MAX_STRING_LENGTH / CSV_CHARS_PER_VALUE / valuesPerRun(sc))));
}

const gb = (b: number): string => `${(b / 2 ** 30).toFixed(b < 10 * 2 ** 30 ? 2 : 1)} GB`;

/** Share of the machine's memory a batch may plan to use. */
export const MEMORY_SHARE = 0.8;

/**
 * Refuses a batch that would not fit, before anything is allocated for it: throws a UserError
 * (exit 2) when the folder's `results` runs are more than one process can summarize (code
 * 'too_many_runs', path --runs, see maxResultRuns), or when estimateMemory exceeds 80% of
 * `available` (code 'memory'; default: the machine's memory, or the container's limit). The
 * memory message names the scale, the estimate and what the machine has, and suggests the
 * smallest scale that fits (and, when it helps, fewer workers, or fewer runs). `workers`: the
 * worker threads that will start (at most one per run: pass min(--workers, runs to do)); `jobs`:
 * the runs the batch will do (a batch of one run needs no clone of the world); `results`: the runs
 * the folder will hold when it is finalized (a resumed folder holds more than it runs; a sweep 0).
 */
export function checkMemory(
  sc: Scenario,
  workers: number,
  available = machineMemory(),
  jobs = Infinity,
  results = Number.isFinite(jobs) ? jobs : sc.runs,
): void {
  const most = maxResultRuns(sc);
  if (results > most) {
    throw userError({
      code: 'too_many_runs',
      path: '--runs',
      message: `the results of ${results} runs to ${sc.time.end_year} (${valuesPerRun(sc)} values each) would not fit in the one process that summarizes them`,
      expected: `at most ${most} runs to ${sc.time.end_year}`,
      found: String(results),
    });
  }
  const w = Math.max(1, Math.min(Math.floor(workers), sc.runs));
  const est = estimateMemory(sc, w, jobs, results);
  const budget = MEMORY_SHARE * available;
  if (est.bytes <= budget) return;
  const fits = (scale: number, k: number, kept = results) => estimateMemory({ ...sc, scale }, k, jobs, kept).bytes <= budget;
  let hint: string;
  if (fits(MAX_SCALE, w)) {
    let lo = sc.scale,
      hi = MAX_SCALE;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(mid, w)) hi = mid;
      else lo = mid;
    }
    hint = `use --scale ${hi} or larger`;
    if (w > 1) {
      let k = w - 1;
      while (k > 1 && !fits(sc.scale, k)) k--;
      if (fits(sc.scale, k)) hint += `, or keep scale ${sc.scale} with --workers ${k}`;
    }
  } else if (fits(MAX_SCALE, 1)) hint = 'use fewer --workers and a larger --scale';
  else if (fits(MAX_SCALE, 1, 0)) hint = 'use fewer --runs';
  else hint = 'this machine has too little memory for even the coarsest scale';
  throw userError({
    code: 'memory',
    path: 'scale',
    message: `not enough memory for scale ${sc.scale} (${est.agents.toLocaleString('en-US')} agents per world) on ${w} worker${w === 1 ? '' : 's'}: ${hint}`,
    expected: `a batch that fits in ${Math.round(MEMORY_SHARE * 100)}% of this machine's ${gb(available)} (${gb(budget)})`,
    found: `about ${gb(est.bytes)} needed`,
  });
}
