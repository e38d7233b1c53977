/**
 * The scenario file loader: reads YAML or JSON, follows `extends`, validates with a zod schema and
 * reports every problem at once, each with file:line:column and field path.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap } from 'yaml';
import type { ZodType } from 'zod';
import { describeValue, formatProblem, UserError, type Problem } from '../core/errors.js';
import { drafts, isRecord, type Draft, type Seg } from './issues.js';
import { findNode, parseSource, positionOf, type Found, type SourceDoc } from './source.js';

export { locate, parseSource, type SourceDoc } from './source.js';

/** A figure with its provenance (`{ value, source }` or `{ value, estimate }`): it replaces a base's figure whole. */
const isDatum = (v: Record<string, unknown>): boolean => Object.hasOwn(v, 'value') && (Object.hasOwn(v, 'source') || Object.hasOwn(v, 'estimate'));

/**
 * Base then variant: mappings merge key by key; anything else in the variant replaces, and so
 * does a figure with its provenance (so that a variant can replace a sourced figure by an estimate).
 * A key whose value in the variant is `null` while the base has it is removed (so that a scenario
 * started at the 2010 census can drop the base's yearly levels of 2021-2024, relative to 2020).
 */
function merge(base: unknown, variant: unknown): unknown {
  if (!isRecord(base) || !isRecord(variant) || isDatum(variant)) return variant;
  const keys = [...new Set([...Object.keys(base), ...Object.keys(variant)])].filter((k) => !(Object.hasOwn(base, k) && variant[k] === null));
  return Object.fromEntries(keys.map((k) => [k, Object.hasOwn(variant, k) ? (Object.hasOwn(base, k) ? merge(base[k], variant[k]) : variant[k]) : base[k]]));
}

/** The problem's location fields for the node at `path` in `doc`. */
function at(doc: SourceDoc, path: Seg[]): Pick<Problem, 'file' | 'line' | 'column'> {
  return { file: doc.file, ...positionOf(doc, findNode(doc, path)) };
}

function readText(file: string, from?: SourceDoc): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    if (!from) throw new UserError([{ code: 'file', file, message: `cannot read ${file}: ${reason}` }]);
    const message = `cannot read ${file} (named by extends): ${reason}`;
    throw new UserError([{ code: 'file', ...at(from, ['extends']), path: 'extends', message }]);
  }
}

/**
 * Reads FILE (and, recursively, the file named by its top-level `extends:` key, resolved relative
 * to the extending file), deep-merges base then variant (mappings merge key by key, recursively;
 * lists and scalars in the variant replace the base's; a `null` in the variant removes the base's key; a
 * figure with its provenance, `{ value, source | estimate }`, replaces the base's figure whole),
 * removes the `extends` key, and returns the merged plain object plus the chain of docs (most
 * derived first). Errors: missing/unreadable file ('file', naming the file and, when it came from
 * extends, the extending file:line of the extends key), circular extends ('extends_cycle', listing
 * the chain a.yaml -> b.yaml -> a.yaml), extends not a string ('invalid_type').
 */
export function readWithExtends(file: string): { data: Record<string, unknown>; chain: SourceDoc[] } {
  const chain: SourceDoc[] = [];
  const layers: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  let current = file;
  for (let from: SourceDoc | undefined; ; ) {
    if (seen.has(resolve(current))) {
      const cycle = [...chain.map((d) => d.file), current].join(' -> ');
      throw new UserError([{ code: 'extends_cycle', ...at(from!, ['extends']), path: 'extends', message: `extends goes round in a circle: ${cycle}` }]);
    }
    seen.add(resolve(current));
    const { data, doc } = parseSource(current, readText(current, from));
    if (!isRecord(data)) {
      const expected = 'a mapping of settings (key: value lines) at the top level';
      throw new UserError([{ code: 'invalid_type', ...at(doc, []), expected, found: describeValue(data) }]);
    }
    const { extends: ext, ...rest } = data;
    chain.push(doc);
    layers.push(rest);
    if (!Object.hasOwn(data, 'extends')) break;
    if (typeof ext !== 'string' || ext.trim() === '') {
      const expected = 'the name of a scenario file (a string)';
      throw new UserError([{ code: 'invalid_type', ...at(doc, ['extends']), path: 'extends', expected, found: describeValue(ext) }]);
    }
    current = isAbsolute(ext) ? ext : join(dirname(current), ext);
    from = doc;
  }
  const merged = layers.reduceRight<unknown>((acc, layer) => merge(acc, layer), undefined);
  return { data: merged as Record<string, unknown>, chain };
}

/**
 * The most derived doc that defines `path` (or its nearest defined ancestor), following the merge:
 * once a doc sets a prefix to a list or scalar, less derived docs no longer contribute below it.
 */
function owner(chain: SourceDoc[], path: Seg[]): { doc: SourceDoc; found: Found } | undefined {
  let best = chain[0] && { doc: chain[0], found: findNode(chain[0], []) };
  let candidates = chain;
  for (let depth = 1; depth <= path.length; depth++) {
    const prefix = path.slice(0, depth);
    const defining = candidates.map((doc) => ({ doc, found: findNode(doc, prefix) })).filter((d) => d.found.depth === depth);
    if (defining.length === 0) break;
    best = defining[0];
    const mapRun = defining.findIndex((d) => !isMap(d.found.node));
    candidates = defining.slice(0, mapRun === 0 ? 1 : mapRun < 0 ? undefined : mapRun).map((d) => d.doc);
  }
  return best;
}

/** `world.cities[3].urban` */
const pathText = (path: Seg[]): string =>
  path
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');

function place(d: Draft, chain: SourceDoc[]): Problem {
  const own = owner(chain, d.path);
  const pos = own && positionOf(own.doc, own.found, d.atKey === true && own.found.depth === d.path.length);
  const p: Problem = {
    code: d.code,
    file: own?.doc.file,
    line: pos?.line,
    column: pos?.column,
    path: pathText(d.path) || undefined,
    expected: d.expected,
    found: d.found,
    message: d.message,
  };
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Problem;
}

/**
 * Where a field is set in an extends chain: the file, line and column of the most derived doc that
 * defines `path` (or its nearest defined ancestor), following the merge as validation errors do.
 * `depth`: how many segments of `path` that doc defines; `index`: its place in the chain (0 = the
 * file the user named).
 */
export function placeOf(chain: SourceDoc[], path: Seg[]): { file?: string; line?: number; column?: number; depth: number; index: number } {
  const own = owner(chain, path);
  if (!own) return { depth: 0, index: -1 };
  const pos = positionOf(own.doc, own.found);
  return { file: own.doc.file, ...pos, depth: own.found.depth, index: chain.indexOf(own.doc) };
}

/** Problem order: file, then line, then column. */
function byPlace(a: Problem, b: Problem): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Validates merged data with the zod schema. Each zod issue becomes a Problem with the field path
 * (`world.cities[3].urban`), the file and line:column of the most derived file in `chain` that
 * defines that path (or its nearest defined ancestor), and expected/found in words. Unknown keys
 * (z.strictObject) give one 'unknown_key' problem per key, placed at the key. Returns the parsed
 * value or throws ONE UserError with ALL problems, sorted by file, line and column.
 */
export function validateWith<T>(schema: ZodType<T>, data: unknown, chain: SourceDoc[]): T {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const placed = result.error.issues.flatMap((i) => drafts(i, [], data, schema)).map((d) => place(d, chain));
  const unique = [...new Map(placed.map((p) => [formatProblem(p), p])).values()];
  throw new UserError(unique.sort(byPlace));
}

/** Reads FILE with its `extends` chain (readWithExtends) and validates it (validateWith). */
export function loadFile<T>(file: string, schema: ZodType<T>): T {
  const { data, chain } = readWithExtends(file);
  return validateWith(schema, data, chain);
}
