/**
 * A zod issue in words: each issue of a validation becomes drafts of Problems (code, field path,
 * expected, found), which load.ts then places at file:line:column.
 */
import type { core } from 'zod';
import { describeValue, type Problem } from '../core/errors.js';

/** A path segment: a key or a list index. */
export type Seg = string | number;
type Issue = core.$ZodIssue;

/** A mapping (not null, not a list). */
export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A Problem before it is placed in a file; `atKey`: point at the key rather than its value. */
export type Draft = Omit<Problem, 'path' | 'file' | 'line' | 'column'> & { path: Seg[]; atKey?: boolean };

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  array: 'a list',
  tuple: 'a list',
  set: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  null: 'null',
  undefined: 'nothing',
  void: 'nothing',
  never: 'nothing (remove this field)',
  date: 'a date',
  nonoptional: 'a value',
};

const literal = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const oneOf = (vs: readonly unknown[]): string => (vs.length === 1 ? literal(vs[0]) : `one of ${vs.map(literal).join(', ')}`);

function boundText(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const n = small ? issue.minimum : issue.maximum;
  const incl = issue.inclusive !== false;
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
    const op = small ? (incl ? '>=' : '>') : incl ? '<=' : '<';
    return `${issue.origin === 'number' ? 'a number' : 'an integer'} ${op} ${n}`;
  }
  const count = issue.exact ? 'exactly' : small ? (incl ? 'at least' : 'more than') : incl ? 'at most' : 'fewer than';
  if (issue.origin === 'array' || issue.origin === 'set' || issue.origin === 'string') {
    const [what, unit] = issue.origin === 'string' ? ['a string', 'character'] : ['a list', 'item'];
    return `${what} of ${count} ${n} ${unit}${n === 1 ? '' : 's'}`;
  }
  return `${count} ${n}`;
}

/** What the issue expected, in words; undefined when zod's message is all there is. */
function expectedOf(issue: Issue | undefined): string | undefined {
  switch (issue?.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`;
    case 'too_small':
    case 'too_big':
      return boundText(issue);
    case 'invalid_value':
      return oneOf(issue.values);
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    case 'invalid_union':
      return 'options' in issue && issue.options ? oneOf(issue.options) : undefined;
    case 'invalid_format': {
      const i = issue as { format: string; pattern?: string; prefix?: string; suffix?: string; includes?: string };
      if (i.format === 'regex') return `a string matching ${i.pattern}`;
      if (i.format === 'starts_with') return `a string starting with ${literal(i.prefix)}`;
      if (i.format === 'ends_with') return `a string ending with ${literal(i.suffix)}`;
      if (i.format === 'includes') return `a string containing ${literal(i.includes)}`;
      return `a valid ${i.format}`;
    }
    default:
      return undefined;
  }
}

function valueAt(data: unknown, path: Seg[]): unknown {
  let v = data;
  for (const seg of path) v = isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[seg] : undefined;
  return v;
}

/** The keys an object schema allows at `path`, when the schema can be followed there. */
function allowedKeys(schema: unknown, path: Seg[]): string[] | undefined {
  type Def = {
    type: string;
    shape?: Record<string, unknown>;
    innerType?: unknown;
    in?: unknown;
    element?: unknown;
    keyType?: unknown;
    valueType?: unknown;
    items?: unknown[];
    getter?: () => unknown;
  };
  let s = schema;
  let i = 0;
  for (let guard = 0; guard < 200; guard++) {
    const def = (s as { _zod?: { def?: Def } } | undefined)?._zod?.def;
    if (!def) return undefined;
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else if (def.type === 'lazy') s = def.getter?.();
    else if (i === path.length) {
      if (def.type === 'object' && def.shape) return Object.keys(def.shape);
      // A record keyed by an enum (job_growth_by_city): its keys are the enum's values.
      const keys =
        def.type === 'record' ? (def.keyType as { _zod?: { def?: { type?: string; entries?: Record<string, unknown> } } } | undefined)?._zod?.def : undefined;
      return keys?.type === 'enum' && keys.entries ? Object.values(keys.entries).map(String) : undefined;
    } else if (def.type === 'object') s = def.shape?.[String(path[i++])];
    else if (def.type === 'array') (s = def.element), i++;
    else if (def.type === 'record') (s = def.valueType), i++;
    else if (def.type === 'tuple') s = def.items?.[Number(path[i++])];
    else return undefined;
  }
  return undefined;
}

/** Turns one zod issue into drafts; `prefix` is the path of the value the issue is relative to. */
export function drafts(issue: Issue, prefix: Seg[], data: unknown, schema: unknown): Draft[] {
  const path = [...prefix, ...issue.path.map((s) => (typeof s === 'number' ? s : String(s)))];
  const value = valueAt(data, path);
  const found = describeValue(value === undefined && issue.input !== undefined ? issue.input : value);
  const expected = expectedOf(issue);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => {
        const allowed = allowedKeys(schema, path);
        const message = `unknown key "${k}"` + (allowed ? `; allowed keys: ${allowed.join(', ')}` : '');
        return { code: 'unknown_key', path: [...path, k], atKey: true, message };
      });
    case 'invalid_type':
      if (value === undefined) return [{ code: issue.code, path, expected, found, message: 'required field is missing' }];
      return [{ code: issue.code, path, expected, found }];
    case 'invalid_union': {
      if (issue.errors.length === 0) {
        if (expected) return [{ code: 'invalid_value', path, expected, found }];
        return [{ code: issue.code, path, found, message: 'matches more than one of the allowed forms' }];
      }
      // Prefer a branch whose shape matched and whose problems lie inside the value.
      const shallow = (e: Issue) => e.path.length === 0 && ['invalid_type', 'invalid_value', 'invalid_union'].includes(e.code);
      const inner = issue.errors.filter((errs) => !errs.some(shallow));
      if (inner.length > 0) {
        const best = inner.reduce((a, b) => (b.length < a.length ? b : a));
        return best.flatMap((e) => drafts(e, path, data, undefined));
      }
      const options = [...new Set(issue.errors.map((errs) => expectedOf(errs.find((e) => e.path.length === 0))))];
      if (options.includes(undefined)) return [{ code: issue.code, path, found, message: issue.message }];
      return [{ code: issue.code, path, expected: options.join(' or '), found }];
    }
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const keyExpected = issue.issues.map(expectedOf).filter(Boolean).join(' and ') || undefined;
      return [
        { code: issue.code, path, atKey: true, expected: keyExpected && `a key that is ${keyExpected}`, found: literal(key), message: `invalid key "${key}"` },
      ];
    }
    case 'custom': {
      // A refinement names its own code in params (the schema's Datum: 'provenance').
      const code = typeof issue.params?.code === 'string' ? issue.params.code : issue.code;
      return [{ code, path, message: issue.message }];
    }
    default:
      return expected ? [{ code: issue.code, path, expected, found }] : [{ code: issue.code, path, message: issue.message }];
  }
}
