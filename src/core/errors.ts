/**
 * Errors a user can cause, from one place. Each problem names where it is (file, line, column,
 * field path), what was expected and what was found. The CLI prints them without a stack trace
 * and exits with code 2; anything that is not a UserError is a bug and keeps its stack.
 */

/** One problem in a user's input. Location fields are optional: a CLI flag has no line. */
export interface Problem {
  /** Stable machine-readable kind, e.g. `unknown_key`, `invalid_type`, `too_small`, `file`. */
  code: string;
  /** The file the problem is in, as the user named it (or resolved from `extends`). */
  file?: string;
  /** 1-based line and column of the offending node, when the input has positions. */
  line?: number;
  column?: number;
  /** Field path inside the document, e.g. `levers.hukou.openness_taiyuan`. */
  path?: string;
  /** What was expected and what was found, in words a researcher reads. */
  expected?: string;
  found?: string;
  /** Free text when expected/found does not fit (a cycle in `extends`, say). */
  message?: string;
}

/** Renders a problem as `file:line:column: path: message`, the format editors understand. */
export function formatProblem(p: Problem): string {
  let where = p.file ?? '';
  if (p.file && p.line !== undefined) where += `:${p.line}:${p.column ?? 1}`;
  const parts: string[] = [];
  if (where) parts.push(where);
  if (p.path) parts.push(p.path);
  let what = p.message ?? '';
  if (p.expected !== undefined || p.found !== undefined) {
    const ef = `expected ${p.expected ?? '?'}, found ${p.found ?? '?'}`;
    what = what ? `${what} (${ef})` : ef;
  }
  parts.push(what || p.code);
  return parts.join(': ');
}

/** A user's mistake: one or more problems. Exit code 2 at the CLI. */
export class UserError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'UserError';
    this.problems = problems;
  }
}

/** Shorthand for a single problem. */
export function userError(p: Problem): UserError {
  return new UserError([p]);
}

/** Describes a value for an error message: its type and a short rendering. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 37) + '...' : v}"`;
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}
