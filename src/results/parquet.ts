/**
 * runs.parquet: the per-run indicators in long form (run, metric, region, year, value; with a
 * posterior, param_set after run, as in runs.csv), for
 * pandas, R and DuckDB when a batch is too large for CSV to be pleasant. Written with
 * hyparquet-writer (pure JavaScript, no native build), loaded only by the batches that write it
 * (finalize.ts).
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { METRICS, REGIONS, obsIndex, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import { flowsRows } from './flows.js';

/** The Parquet bytes of runs.csv's rows. */
export function runsParquet(runs: readonly RunResult[], shape: ObsShape): Uint8Array {
  const sets = runs.some((r) => r.set !== undefined);
  const run: number[] = [],
    paramSet: number[] = [],
    metric: string[] = [],
    region: string[] = [],
    year: number[] = [],
    value: number[] = [];
  for (const r of [...runs].sort((a, b) => a.run - b.run)) {
    METRICS.forEach((m, mi) =>
      REGIONS.forEach((g, gi) =>
        shape.years.forEach((y, yi) => {
          if (m.flow && yi === 0) return;
          run.push(r.run);
          if (sets) paramSet.push(r.set ?? -1);
          metric.push(m.id);
          region.push(g);
          year.push(y);
          value.push(r.values[obsIndex(shape, mi, gi, yi)]);
        }),
      ),
    );
  }
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'run', data: run, type: 'INT32' },
      ...(sets ? [{ name: 'param_set', data: paramSet, type: 'INT32' as const }] : []),
      { name: 'metric', data: metric, type: 'STRING' },
      { name: 'region', data: region, type: 'STRING' },
      { name: 'year', data: year, type: 'INT32' },
      { name: 'value', data: value, type: 'DOUBLE' },
    ],
  });
  return new Uint8Array(buf);
}

/** The Parquet bytes of flows.csv's rows (flows.ts): run, year, origin and destination city and type, persons. */
export function flowsParquet(runs: readonly RunResult[], shape: ObsShape): Uint8Array {
  const cols = {
    run: [] as number[],
    year: [] as number[],
    oc: [] as string[],
    ot: [] as string[],
    dc: [] as string[],
    dt: [] as string[],
    persons: [] as number[],
  };
  for (const r of flowsRows(runs, shape)) {
    cols.run.push(r.run);
    cols.year.push(r.year);
    cols.oc.push(r.origin_city);
    cols.ot.push(r.origin_type);
    cols.dc.push(r.destination_city);
    cols.dt.push(r.destination_type);
    cols.persons.push(r.persons);
  }
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'run', data: cols.run, type: 'INT32' },
      { name: 'year', data: cols.year, type: 'INT32' },
      { name: 'origin_city', data: cols.oc, type: 'STRING' },
      { name: 'origin_type', data: cols.ot, type: 'STRING' },
      { name: 'destination_city', data: cols.dc, type: 'STRING' },
      { name: 'destination_type', data: cols.dt, type: 'STRING' },
      { name: 'persons', data: cols.persons, type: 'DOUBLE' },
    ],
  });
  return new Uint8Array(buf);
}
