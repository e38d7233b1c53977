/**
 * Parsing scenario text (YAML or JSON) into plain data plus a positioned document, so that a
 * field path can be mapped back to `file:line:column` when something about it is wrong.
 */
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';
import { UserError, type Problem } from '../core/errors.js';

/** A parsed document with positions: lets callers map a field path back to file:line:column. */
export interface SourceDoc {
  /** The file as the user named it (or as resolved from `extends`). */
  file: string;
  /** The YAML document tree (JSON files are parsed as YAML for positions). */
  doc: Document;
  /** Turns character offsets in `doc` into 1-based line/column. */
  lineCounter: LineCounter;
}

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Where a path leads in one document: the deepest node reached and how many segments matched. */
export interface Found {
  node: Node | null;
  /** The key node of the mapping pair that holds `node`, if it came from a mapping. */
  key?: Node;
  /** Number of leading path segments that exist in the document. */
  depth: number;
}

/** Line/column of a character offset in `text`, 1-based. */
function posAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Removes yaml's "at line N, column M:" suffix and code excerpt; our Problem carries those. */
function plainMessage(e: YAMLError): string {
  if (e.code === 'MULTIPLE_DOCS') return 'a scenario file holds one document, but a second one starts here';
  return e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
}

function yamlProblem(file: string, e: YAMLError): Problem {
  const at = e.linePos?.[0];
  return {
    code: e.code === 'DUPLICATE_KEY' ? 'duplicate_key' : 'syntax',
    file,
    line: at?.line,
    column: at?.col,
    message: plainMessage(e),
  };
}

/**
 * Parses YAML or JSON text (JSON is YAML, but report JSON syntax errors well too). Throws UserError
 * on syntax errors, empty file (code 'empty_file'), binary content (NUL bytes -> 'binary_file'),
 * with line/column. A file whose name ends in `.json` is checked as strict JSON.
 */
export function parseSource(file: string, raw: string): { data: unknown; doc: SourceDoc } {
  const text = raw.replace(/^\uFEFF/, '');
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    // UTF-16 (as some Windows editors save) read as UTF-8: a mangled byte-order mark, or every other byte NUL.
    const utf16 = text.startsWith('\uFFFD\uFFFD') || /^(?:[^\0]\0|\0[^\0]){4}/.test(text);
    const message = utf16
      ? 'this looks like UTF-16 text; save the file as UTF-8'
      : 'this looks like a binary file (it contains NUL bytes); scenarios are UTF-8 YAML or JSON text';
    throw new UserError([{ code: 'binary_file', file, ...posAt(text, nul), message }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, version: '1.2', schema: 'core' });
  if (doc.contents === null) {
    throw new UserError([{ code: 'empty_file', file, line: 1, column: 1, message: 'the file is empty (or holds only comments)' }]);
  }
  const source: SourceDoc = { file, doc, lineCounter };
  const isJson = /\.json$/i.test(file);
  if (isJson) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      const found = findJsonError(text) ?? { offset: 0, message: (err as Error).message };
      throw new UserError([{ code: 'syntax', file, ...posAt(text, found.offset), message: `invalid JSON: ${found.message}` }]);
    }
    const dups = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
    if (dups.length > 0) throw new UserError(dups.map((e) => yamlProblem(file, e)));
    return { data, doc: source };
  }
  const issues = [...doc.errors, ...doc.warnings];
  if (issues.length > 0) throw new UserError(issues.map((e) => yamlProblem(file, e)));
  try {
    return { data: doc.toJS(), doc: source };
  } catch (err) {
    // toJS fails on aliases that expand to too much data (a "billion laughs"): point at the first alias.
    let at: Position = { line: 1, column: 1 };
    visit(doc, {
      Alias(_, node) {
        if (node.range) {
          const { line, col } = lineCounter.linePos(node.range[0]);
          at = { line, column: col };
        }
        return visit.BREAK;
      },
    });
    throw new UserError([{ code: 'syntax', file, ...at, message: (err as Error).message }]);
  }
}

/** Follows `path` through the document as far as it exists. */
export function findNode(source: SourceDoc, path: readonly (string | number)[]): Found {
  const deref = (n: unknown): Node | null => (isAlias(n) ? (n.resolve(source.doc) ?? null) : (n as Node | null));
  let node = deref(source.doc.contents);
  let key: Node | undefined;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      key = pair.key as Node;
      node = deref(pair.value);
    } else if (isSeq(node) && Number.isInteger(Number(seg)) && Number(seg) < node.items.length) {
      key = undefined;
      node = deref(node.items[Number(seg)]);
    } else break;
    depth++;
  }
  return { node, key, depth };
}

/**
 * Position of a found node. Scalars and flow collections point at their value; block collections
 * and empty values point at their key (the line a reader looks for). `atKey` forces the key.
 */
export function positionOf(source: SourceDoc, found: Found, atKey = false): Position | undefined {
  const { node, key } = found;
  const range = node?.range;
  const blockOrEmpty = !range || range[0] === range[1] || (isCollection(node) && !node.flow);
  const target = key && (atKey || blockOrEmpty) ? key : node;
  const offset = target?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/** Position of the node at `path` in doc (or its nearest existing ancestor). */
export function locate(doc: SourceDoc, path: (string | number)[]): { line: number; column: number } | undefined {
  return positionOf(doc, findNode(doc, path));
}

/** Finds the first JSON syntax error in `text` (Node 20's JSON.parse does not say where). */
function findJsonError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const here = (): string => (i >= text.length ? 'end of file' : JSON.stringify(/^[A-Za-z_]\w*/.exec(text.slice(i))?.[0] ?? text[i]));
  const fail = (message: string, at = i): never => {
    throw { offset: at, message };
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const str = (): void => {
    const start = i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') return void i++;
      if (c === '\n' || c < ' ') fail('line break or control character inside a string');
      if (c === '\\') {
        if (/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(i + 1, i + 6))) i += text[i + 1] === 'u' ? 6 : 2;
        else fail('invalid escape sequence');
      } else i++;
    }
    fail('unterminated string', start);
  };
  const list = (close: string, item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      ws();
      if (text[i] === close) return void i++;
      if (text[i] !== ',') fail(`expected "," or "${close}", found ${here()}`);
      i++;
      ws();
      if (text[i] === close) fail(`trailing comma before "${close}"`);
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      return list('}', () => {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted key, found ${here()}`);
        str();
        ws();
        if (text[i] !== ':') fail(`expected ":" after the key, found ${here()}`);
        i++;
        value();
      });
    }
    if (c === '[') return list(']', value);
    if (c === '"') return str();
    const lit = /(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)(?![\w.])/y;
    lit.lastIndex = i;
    if (lit.test(text)) return void (i = lit.lastIndex);
    fail(`expected a value, found ${here()}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${here()} after the end of the JSON value`);
  } catch (e) {
    if (e && typeof e === 'object' && 'offset' in e) return e as { offset: number; message: string };
    throw e;
  }
  return undefined;
}
