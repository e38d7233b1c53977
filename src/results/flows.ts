/**
 * flows.csv (and flows.parquet beside runs.parquet): the yearly origin-destination moves of every
 * run in tidy form, one row per run, year, origin (city, place type) and destination (city, place
 * type) with at least one mover, in persons (agents × scale). A cell with no movers has no row:
 * read a missing row as 0. The rows come from the origin-destination block of the run files
 * (engine/metrics.ts `odIndex`), so `urbanize verify` recomputes them like runs.csv. Also the
 * means across runs that `urbanize flows` prints and the report draws.
 */
import { FLOW_CLASSES, odIndex, type ObsShape } from '../engine/metrics.js';
import type { RunResult } from '../engine/run.js';
import { CITY_IDS } from '../scenario/constants.js';
import { classOfFlow, FLOW_TYPES } from '../world/places.js';
import { csvTable } from './csv.js';

/** The city column's value for the rest of China. */
export const OUTSIDE_CITY = 'outside';

/** A row of flows.csv: the movers of one run and year from one (city, place type) to another. */
export interface FlowsRow {
  run: number;
  year: number;
  origin_city: string;
  origin_type: string;
  destination_city: string;
  destination_type: string;
  persons: number;
}
/** flows.csv. */
export const FLOWS_CSV = csvTable<FlowsRow>('flows.csv', {
  run: 'number',
  year: 'number',
  origin_city: 'text',
  origin_type: 'text',
  destination_city: 'text',
  destination_type: 'text',
  persons: 'number',
});

/** Each flow class's city id and place type, by class index. */
const CLASSES = Array.from({ length: FLOW_CLASSES }, (_, k) => {
  const { city, type } = classOfFlow(k, CITY_IDS.length);
  return { city: city < CITY_IDS.length ? CITY_IDS[city] : OUTSIDE_CITY, type: FLOW_TYPES[type] };
});

/** The rows of flows.csv: runs in run order, then years, origin classes and destination classes, cells with movers only. */
export function* flowsRows(runs: readonly RunResult[], shape: ObsShape): Generator<FlowsRow> {
  for (const r of [...runs].sort((a, b) => a.run - b.run)) {
    for (let y = 1; y < shape.years.length; y++) {
      for (let o = 0; o < FLOW_CLASSES; o++) {
        for (let d = 0; d < FLOW_CLASSES; d++) {
          const persons = r.values[odIndex(shape, y, o, d)];
          if (persons === 0) continue;
          const a = CLASSES[o],
            b = CLASSES[d];
          yield { run: r.run, year: shape.years[y], origin_city: a.city, origin_type: a.type, destination_city: b.city, destination_type: b.type, persons };
        }
      }
    }
  }
}

/** Each flow class as its two CSV fields, `city,type` (ids without commas or quotes: no quoting needed). */
const CLASS_FIELDS = CLASSES.map((c) => `${c.city},${c.type}`);

/**
 * The bytes of flows.csv (UTF-8): FLOWS_CSV's header and the rows of `flowsRows`, written line by
 * line from the run values rather than through FLOWS_CSV.line (the same text; for the baseline's
 * 10 runs 113 ms through it, 41 to 46 ms this way, on a shared machine). Built in chunks, not as one string: at about 900 rows per
 * run and year (measured on the baseline) a batch of a few thousand runs would pass V8's longest string.
 */
export function flowsCsv(runs: readonly RunResult[], shape: ObsShape): Uint8Array {
  const chunks: Buffer[] = [Buffer.from(FLOWS_CSV.header + '\n', 'utf8')];
  for (const r of [...runs].sort((a, b) => a.run - b.run)) {
    for (let y = 1; y < shape.years.length; y++) {
      const lines: string[] = [],
        head = `${r.run},${shape.years[y]},`,
        base = odIndex(shape, y, 0, 0);
      for (let o = 0; o < FLOW_CLASSES; o++) {
        for (let d = 0; d < FLOW_CLASSES; d++) {
          const persons = r.values[base + o * FLOW_CLASSES + d];
          if (persons !== 0) lines.push(`${head}${CLASS_FIELDS[o]},${CLASS_FIELDS[d]},${persons}`);
        }
      }
      if (lines.length) chunks.push(Buffer.from(lines.join('\n') + '\n', 'utf8'));
    }
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** How `urbanize flows` and the report group the classes: by place type (over all cities) or by city (over all types). */
export type FlowsBy = 'type' | 'city';

/** The groups of a grouping, in order: the place types, or the cities then `outside`. */
export const flowGroups = (by: FlowsBy): readonly string[] => (by === 'type' ? FLOW_TYPES : [...CITY_IDS, OUTSIDE_CITY]);

/** Mean movers across runs from each group to each group in one year: `from` → `to` → persons. */
export interface FlowMatrix {
  year: number;
  by: FlowsBy;
  runs: number;
  groups: readonly string[];
  /** Mean persons per run, at origin group × groups + destination group. */
  mean: Float64Array;
}

/** The mean origin-destination matrix of `year` across `runs` runs from flows.csv rows, grouped `by` place type or city. */
export function flowMatrix(rows: readonly FlowsRow[], runs: number, year: number, by: FlowsBy): FlowMatrix {
  const groups = flowGroups(by),
    n = groups.length,
    index = new Map(groups.map((g, i) => [g, i]));
  const mean = new Float64Array(n * n);
  for (const r of rows) {
    if (r.year !== year) continue;
    const o = index.get(by === 'type' ? r.origin_type : r.origin_city)!,
      d = index.get(by === 'type' ? r.destination_type : r.destination_city)!;
    mean[o * n + d] += r.persons;
  }
  for (let k = 0; k < mean.length; k++) mean[k] /= Math.max(1, runs);
  return { year, by, runs, groups, mean };
}
