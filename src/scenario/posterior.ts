/**
 * A scenario's posterior: the CSV file of parameter sets a calibration wrote (`set,weight,` then
 * one column per behaviour parameter, docs/scenarios.md), read and checked once, on the main
 * thread, when the scenario is loaded. Every problem is reported at once with the CSV file, line,
 * column and column name: a column that is not a behaviour parameter the scenario estimates, a
 * value that is not a number or lies outside the range the scenario schema allows for that
 * parameter (the schema's own definition, applied to the value), a set that would break a check
 * across fields, a negative weight or weights that sum to zero, `set` not 0, 1, 2, ... in order.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ZodType } from 'zod';
import { describeValue, formatProblem, type Problem } from '../core/errors.js';
import { drafts } from './issues.js';
import { behaviourParameter, withParameterSet, type ParameterSets } from './parameters.js';
import { Scenario } from './schema.js';

/** A loaded posterior: its parameter sets, where they came from, and the calibration's metadata. */
export interface Posterior extends ParameterSets {
  /** The CSV file, resolved against the scenario file that names it. */
  file: string;
  /** SHA-256 of the file's bytes. */
  digest: string;
  /** The sidecar NAME.json beside NAME.csv, as written by the calibration; null when there is none. */
  metadata: unknown;
}

/** Problems listed per file at most; the rest are counted. */
const MAX_PROBLEMS = 30;
/** A number as `String(x)` writes it (no hex, no blanks, no Infinity). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** One line of the CSV split into cells, each with its 1-based column. */
interface Line {
  line: number;
  cells: { text: string; column: number }[];
}

/** The file's non-blank lines (trailing blank lines and a byte-order mark ignored; \r\n read as \n). */
function splitLines(text: string): Line[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.map((l, i) => {
    const cells: Line['cells'] = [];
    let column = 1;
    for (const raw of l.replace(/\r$/, '').split(',')) {
      cells.push({ text: raw.trim(), column });
      column += raw.length + 1;
    }
    return { line: i + 1, cells };
  });
}

/** The zod schema of the field at `path` in the scenario schema (through optional, default and pipe wrappers). */
function schemaAt(path: readonly string[]): ZodType | undefined {
  type Def = { type: string; shape?: Record<string, unknown>; innerType?: unknown; in?: unknown; valueType?: unknown };
  let s: unknown = Scenario;
  for (let i = 0; s; ) {
    const def = (s as { _zod?: { def?: Def } })._zod?.def;
    if (!def) return undefined;
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else if (i === path.length) return s as ZodType;
    else if (def.type === 'object') s = def.shape?.[path[i++]];
    else if (def.type === 'record') (s = def.valueType), i++;
    else return undefined;
  }
  return undefined;
}

/** The sidecar metadata beside `file` (NAME.json for NAME.csv), or null. */
function readMetadata(file: string, problems: Problem[]): unknown {
  const side = file.replace(/\.csv$/i, '') + '.json';
  if (side === file || !existsSync(side)) return null;
  try {
    return JSON.parse(readFileSync(side, 'utf8')) as unknown;
  } catch (err) {
    problems.push({ code: 'invalid_json', file: side, message: `the posterior's metadata is not JSON: ${(err as Error).message}` });
    return null;
  }
}

/**
 * Reads posterior `file` (which must exist) for scenario `sc`. `crossCheck` gives the problems of
 * a whole scenario across fields; a set is checked with it, and a problem the scenario itself
 * does not have is reported at the set's row. Returns the posterior, or the problems.
 */
export function readPosterior(file: string, sc: Scenario, crossCheck: (s: Scenario) => Problem[]): { posterior?: Posterior; problems: Problem[] } {
  const bytes = readFileSync(file);
  const problems: Problem[] = [];
  const at = (line: number, column: number, path: string | undefined, p: Omit<Problem, 'file' | 'line' | 'column' | 'path'>) =>
    problems.push({ ...p, file, line, column, ...(path === undefined ? {} : { path }) });
  const lines = splitLines(bytes.toString('utf8'));
  const header = lines[0]?.cells ?? [];
  const names = header.map((c) => c.text);
  for (const need of ['set', 'weight'])
    if (!names.includes(need))
      at(1, 1, need, {
        code: 'missing_column',
        message: `no column "${need}"`,
        expected: 'a header set,weight, then one column per behaviour parameter (e.g. set,weight,migration.beta_income)',
        found: lines.length ? `"${names.join(',')}"` : 'an empty file',
      });
  const parameters: { name: string; index: number; schema: ZodType; node: Exclude<ReturnType<typeof behaviourParameter>, undefined> }[] = [];
  header.forEach(({ text: name, column }, index) => {
    if (name === 'set' || name === 'weight') {
      if (names.indexOf(name) !== index) at(1, column, name, { code: 'duplicate', expected: 'each column once', found: `"${name}" a second time` });
      return;
    }
    const node = behaviourParameter(sc, name);
    const schema = node === undefined ? undefined : schemaAt(['behaviour', ...name.split('.')]);
    if (node === undefined || !schema) {
      const found = name.startsWith('behaviour.') ? `"${name}" (write the path under behaviour, without "behaviour.")` : `"${name}"`;
      at(1, column, name, {
        code: 'unknown_column',
        message: 'unknown column',
        expected: 'a behaviour parameter of the scenario, e.g. migration.beta_income',
        found,
      });
    } else if (typeof node === 'object' && node.estimate === undefined)
      at(1, column, name, {
        code: 'not_estimate',
        message: 'a figure read from data ({ value, source }) is not a parameter to calibrate',
        expected: 'a parameter that the scenario gives as { value, estimate }',
        found: `{ value: ${node.value}, source: ... }`,
      });
    else if (names.indexOf(name) !== index) at(1, column, name, { code: 'duplicate', expected: 'each column once', found: `"${name}" a second time` });
    else parameters.push({ name, index, schema, node });
  });
  if (lines.length === 1 && header.length)
    at(2, 1, undefined, { code: 'no_rows', message: 'the posterior has no parameter sets', expected: 'a row per set', found: 'the header alone' });
  if (problems.length) return { problems };
  const setCol = names.indexOf('set'),
    weightCol = names.indexOf('weight');
  const ps: ParameterSets = { parameters: parameters.map((p) => p.name), weights: [], sets: [] };
  const base = new Set(crossCheck(sc).map(formatProblem));
  for (const { line, cells } of lines.slice(1)) {
    if (problems.length >= MAX_PROBLEMS) break;
    const k = ps.sets.length;
    if (cells.length !== header.length) {
      at(line, 1, undefined, { code: 'columns', message: `set ${k}`, expected: `${header.length} cells, as in the header`, found: String(cells.length) });
      ps.sets.push([]);
      ps.weights.push(0);
      continue;
    }
    const numberAt = (c: number, name: string): number | undefined => {
      const { text, column } = cells[c];
      if (NUMBER.test(text)) return Number(text);
      at(line, column, name, { code: 'invalid_type', message: `set ${k}`, expected: 'a number', found: describeValue(text) });
      return undefined;
    };
    const set = numberAt(setCol, 'set');
    if (set !== undefined && set !== k)
      at(line, cells[setCol].column, 'set', {
        code: 'set_order',
        message: 'the sets must be numbered 0, 1, 2, ... in order',
        expected: String(k),
        found: cells[setCol].text,
      });
    const weight = numberAt(weightCol, 'weight');
    if (weight !== undefined && !(weight >= 0 && Number.isFinite(weight)))
      at(line, cells[weightCol].column, 'weight', { code: 'too_small', message: `set ${k}`, expected: 'a finite weight >= 0', found: cells[weightCol].text });
    const values = parameters.map((p) => {
      const v = numberAt(p.index, p.name);
      if (v === undefined) return NaN;
      const r = p.schema.safeParse(typeof p.node === 'number' ? v : { ...p.node, value: v });
      if (!r.success) {
        const d = r.error.issues.flatMap((i) => drafts(i, [], v, p.schema))[0];
        at(line, cells[p.index].column, p.name, {
          code: d?.code ?? 'out_of_range',
          message: `set ${k} outside the range the scenario allows`,
          expected: d?.expected,
          found: cells[p.index].text,
        });
      }
      return v;
    });
    ps.sets.push(values);
    ps.weights.push(weight ?? 0);
    if (values.every(Number.isFinite))
      for (const p of crossCheck(withParameterSet(sc, ps, k))) {
        if (base.has(formatProblem(p))) continue;
        const col = parameters.find((q) => p.path === `behaviour.${q.name}`);
        at(line, col ? cells[col.index].column : 1, p.path, { code: p.code, message: `set ${k}`, expected: p.expected, found: p.found });
      }
  }
  if (!problems.length && !(ps.weights.reduce((a, w) => a + w, 0) > 0))
    at(1, header[weightCol].column, 'weight', {
      code: 'weights',
      message: 'the weights must have a positive sum',
      expected: 'at least one weight above 0',
      found: 'all 0',
    });
  if (problems.length > MAX_PROBLEMS) problems.splice(MAX_PROBLEMS, Infinity, { code: 'more', file, message: `and more problems in ${file}` });
  const metadata = readMetadata(file, problems);
  if (problems.length) return { problems };
  const digest = createHash('sha256').update(bytes).digest('hex');
  return { posterior: { file, digest, ...ps, metadata }, problems };
}
