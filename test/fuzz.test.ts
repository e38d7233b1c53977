/**
 * Fuzzing the scenario loader: a thousand malformed scenarios in CI (250 in a local `npm test`), made by mutating the real
 * ones (the baseline and every variant) as parsed documents and as text, each must end either in
 * a valid scenario or in a clean UserError: every problem with a code and words for what is wrong.
 * A mutant that validates is prepared at a coarse scale, run for the first simulated year with
 * the full invariant audit after every rule, and its observations must be finite: a scenario the
 * loader accepts must not be able to break the engine. The seed is fixed, so the mutants (and the
 * summary it logs) are the same on every run.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem, UserError, type Problem } from '../src/core/errors.js';
import { InvariantError } from '../src/engine/check.js';
import { checkMemory } from '../src/engine/memory.js';
import { runOne } from '../src/engine/run.js';
import { prepare } from '../src/engine/setup.js';
import { loadTargets } from '../src/results/targets.js';
import { parseSource } from '../src/scenario/load.js';
import { loadScenario } from '../src/scenario/scenario.js';
import { tempDir } from './helpers/cli.js';

/**
 * How many mutants: 1000 in CI (where CI=true), 250 in a developer's `npm test` to keep the suite
 * quick (the first 250 of the same seeded sequence); URBANIZE_FUZZ_MUTANTS=N sets any count.
 */
const MUTANTS = Number(process.env.URBANIZE_FUZZ_MUTANTS ?? (process.env.CI === 'true' ? 1000 : 250));
/** The real scenarios: the baseline, the files it is built from, and every variant. */
const SOURCES = ['scenarios', 'scenarios/variants'].flatMap((d) =>
  readdirSync(d)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => resolve(d, f)),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Rng = () => number;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** A node of a document: its parent, its key there, its value and its path (`world.cities[3].urban`). */
interface DocNode {
  parent: Json[] | Record<string, Json>;
  key: string | number;
  value: Json;
  path: string;
}

/** Every node of a document (the root excluded). */
function nodes(doc: Json): DocNode[] {
  const out: DocNode[] = [];
  const walk = (v: Json, path: string) => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        const p = `${path}[${i}]`;
        out.push({ parent: v, key: i, value: x, path: p });
        walk(x, p);
      });
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        out.push({ parent: v, key: k, value: x, path: p });
        walk(x, p);
      }
  };
  walk(doc, '');
  return out;
}

/** What the mutations of the current mutant did, for the failure message. */
let did: string[] = [];
const show = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v.slice(0, 30)) : Array.isArray(v) ? 'a list' : v && typeof v === 'object' ? 'a mapping' : String(v);

/** Sets an own property (even `__proto__`) or a list item. */
function put(parent: Json[] | Record<string, Json>, key: string | number, value: Json, path = String(key)): void {
  did.push(`${path} = ${show(value)}`);
  if (Array.isArray(parent)) parent[key as number] = value;
  else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

const STRANGE_NUMBERS = [NaN, Infinity, -Infinity, -1, 1e12, 0, -1e-9, 0.5, 2 ** 53, 1e308, -0];
const STRANGE_KEYS = ['__proto__', 'constructor', 'toString', 'valu', 'sourc', '', '0', 'extends', 'value ', 'Value', '城市', 'name'];
const randomValue = (rng: Rng): Json =>
  pick(rng, [
    () => null,
    () => true,
    () => 'text',
    () => '',
    () => pick(rng, STRANGE_NUMBERS),
    () => [],
    () => ({}),
    () => [1, 'a'],
    () => ({ value: 1 }),
    () => ({ value: 1, source: 'abc' }),
  ])();

/** Structural mutations on the parsed document; each returns a label for the statistics. */
const DOC_MUTATIONS: Record<string, (doc: Record<string, Json>, rng: Rng) => void> = {
  'delete key': (doc, rng) => {
    const maps = nodes(doc).filter((n) => !Array.isArray(n.parent));
    if (!maps.length) return;
    const n = pick(rng, maps);
    did.push(`delete ${n.path}`);
    delete (n.parent as Record<string, Json>)[n.key];
  },
  'unknown key': (doc, rng) => {
    const maps = [doc as Json, ...nodes(doc).map((n) => n.value)].filter((v) => v && typeof v === 'object' && !Array.isArray(v)) as Record<string, Json>[];
    put(pick(rng, maps), pick(rng, STRANGE_KEYS) + (rng() < 0.5 ? '' : 'x'), randomValue(rng));
  },
  'change type': (doc, rng) => {
    const all = nodes(doc);
    if (!all.length) return;
    const n = pick(rng, all);
    put(n.parent, n.key, randomValue(rng), n.path);
  },
  'strange number': (doc, rng) => {
    const nums = nodes(doc).filter((n) => typeof n.value === 'number');
    if (!nums.length) return;
    const n = pick(rng, nums);
    put(n.parent, n.key, rng() < 0.85 ? pick(rng, STRANGE_NUMBERS) : String(n.value), n.path);
  },
  'scale number': (doc, rng) => {
    const nums = nodes(doc).filter((n) => typeof n.value === 'number');
    if (!nums.length) return;
    const n = pick(rng, nums);
    put(n.parent, n.key, (n.value as number) * pick(rng, [-1, 0.5, 2, 10, 1.0001, 0.9999]), n.path);
  },
  'swap list and map': (doc, rng) => {
    const cols = nodes(doc).filter((n) => n.value && typeof n.value === 'object');
    if (!cols.length) return;
    const n = pick(rng, cols);
    put(
      n.parent,
      n.key,
      Array.isArray(n.value) ? Object.fromEntries(n.value.map((x, i) => [String(i), x])) : Object.values(n.value as Record<string, Json>),
      n.path,
    );
  },
  'empty a list': (doc, rng) => {
    const lists = nodes(doc).filter((n) => Array.isArray(n.value));
    if (lists.length) (pick(rng, lists).value as Json[]).length = 0;
  },
  'duplicate list item': (doc, rng) => {
    const lists = nodes(doc).filter((n) => Array.isArray(n.value) && (n.value as Json[]).length > 0);
    if (!lists.length) return;
    const l = pick(rng, lists).value as Json[];
    l.push(structuredClone(pick(rng, l)));
  },
  'strange string': (doc, rng) => {
    const strs = nodes(doc).filter((n) => typeof n.value === 'string');
    if (!strs.length) return;
    const n = pick(rng, strs);
    put(n.parent, n.key, pick(rng, ['', ' ', 'beijing', '2020-13', '9999', 'x'.repeat(5000), '\u0000', '../', 'min(1,', '1/0', 'year * NaN']), n.path);
  },
  'break extends': (doc, rng) => {
    put(doc, 'extends', pick(rng, ['no-such-base.yaml', '', 42, ['a.yaml'], { file: 'a' }, null, '/', 'self', 'cycle', 'empty', 'binary']) as Json);
  },
};

/** Text mutations on the serialized mutant. */
const TEXT_MUTATIONS: Record<string, (text: Buffer, rng: Rng) => Buffer> = {
  truncate: (b, rng) => b.subarray(0, Math.floor(rng() * b.length)),
  'garbage bytes': (b, rng) => {
    const at = Math.floor(rng() * b.length),
      n = 1 + Math.floor(rng() * 8);
    const junk = Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256)));
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  },
  'duplicate line': (b, rng) => {
    const lines = b.toString('utf8').split('\n');
    const i = Math.floor(rng() * lines.length);
    lines.splice(i, 0, lines[i]);
    return Buffer.from(lines.join('\n'));
  },
  'delete line': (b, rng) => {
    const lines = b.toString('utf8').split('\n');
    lines.splice(Math.floor(rng() * lines.length), 1);
    return Buffer.from(lines.join('\n'));
  },
  'tab indent': (b, rng) => {
    const lines = b.toString('utf8').split('\n');
    const i = Math.floor(rng() * lines.length);
    lines[i] = lines[i].replace(/^ +/, '\t');
    return Buffer.from(lines.join('\n'));
  },
  'utf-16': (b) => Buffer.from(b.toString('utf8'), 'utf16le'),
};

/** A problem a researcher can act on: a code, words, no leaked internals. */
function expectClean(p: Problem, label: string): void {
  expect(p.code, label).toMatch(/^[a-z_]+$/);
  expect(p.message || p.expected, `${label}: a message or an expectation`).toBeTruthy();
  const text = formatProblem(p);
  expect(text, label).not.toMatch(/undefined|\[object Object\]|\n\s+at /);
}

describe('fuzzing the scenario loader', () => {
  it(`turns ${MUTANTS} malformed scenarios into valid ones or clean user errors`, { timeout: 120_000 }, () => {
    const t0 = performance.now();
    const rng = seedrandom.xor4096('urbanize-fuzz-issue-8');
    const dir = tempDir('urbanize-fuzz-');
    writeFileSync(join(dir, 'empty.yaml'), '# nothing here\n');
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    const docs = SOURCES.map((f) => {
      const data = parseSource(f, readFileSync(f, 'utf8')).data as Record<string, Json>;
      // The mutants live elsewhere: their bases and targets files are named by absolute paths.
      if (typeof data.extends === 'string') data.extends = resolve(dirname(f), data.extends);
      if (typeof data.targets === 'string') data.targets = resolve(dirname(f), data.targets);
      return data;
    });
    const byCode = new Map<string, number>(),
      byMutation = new Map<string, { valid: number; invalid: number }>();
    let valid = 0,
      invalid = 0,
      ran = 0,
      withoutLine = 0;
    const broken: string[] = [];
    const unlocated = new Map<string, number>();
    for (let k = 0; k < MUTANTS; k++) {
      const source = Math.floor(rng() * docs.length);
      const doc = structuredClone(docs[source]);
      const labels: string[] = [];
      did = [];
      const times = 1 + Math.floor(rng() * rng() * 3);
      for (let m = 0; m < times; m++) {
        const name = pick(rng, Object.keys(DOC_MUTATIONS));
        DOC_MUTATIONS[name](doc, rng);
        labels.push(name);
      }
      const json = rng() < 0.2;
      const file = join(dir, json ? 'mutant.json' : 'mutant.yaml');
      // 'break extends' placeholders: the mutant itself, a two-file cycle, an empty or binary base.
      if (doc.extends === 'self') doc.extends = file;
      else if (doc.extends === 'cycle') {
        doc.extends = join(dir, 'other.yaml');
        writeFileSync(join(dir, 'other.yaml'), `extends: ${file}\n`);
      } else if (doc.extends === 'empty' || doc.extends === 'binary') doc.extends = join(dir, `${doc.extends}.yaml`);
      let text: Buffer = Buffer.from(json ? JSON.stringify(doc, null, 2) : stringify(doc));
      if (rng() < 0.3) {
        const name = pick(rng, Object.keys(TEXT_MUTATIONS));
        text = TEXT_MUTATIONS[name](text, rng);
        labels.push(name);
      }
      writeFileSync(file, text);
      const label = `mutant ${k} (${labels.join(' + ')}: ${did.join('; ')}; from ${SOURCES[source]})`;
      const tally = (ok: boolean) => {
        for (const l of new Set(labels)) {
          const t = byMutation.get(l) ?? { valid: 0, invalid: 0 };
          t[ok ? 'valid' : 'invalid']++;
          byMutation.set(l, t);
        }
      };
      try {
        const loaded = loadScenario(file);
        loadTargets(loaded.targetsFile);
        const sc = loaded.scenario;
        sc.scale = 20000;
        sc.time.end_year = 2021;
        sc.runs = 1;
        checkMemory(sc, 1, 4 * 2 ** 30);
        const prep = prepare(sc);
        // The first simulated year with the full audit after every rule (runOne's `check`), and finite observations.
        runOne(prep, 0, true);
        valid++;
        ran++;
        tally(true);
      } catch (err) {
        if (err instanceof InvariantError) {
          broken.push(`${label} validated, but broke the engine: ${err.message}`);
          tally(true);
          continue;
        }
        if (!(err instanceof UserError)) throw new Error(`${label} threw ${(err as Error).name}, not a UserError: ${(err as Error).stack}`);
        expect(err.problems.length, label).toBeGreaterThan(0);
        for (const p of err.problems) {
          expectClean(p, label);
          byCode.set(p.code, (byCode.get(p.code) ?? 0) + 1);
          if (p.line === undefined) {
            withoutLine++;
            unlocated.set(p.code, (unlocated.get(p.code) ?? 0) + 1);
          }
        }
        invalid++;
        tally(false);
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const codes = [...byCode]
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    const mutations = [...byMutation]
      .sort()
      .map(([m, t]) => `${m} ${t.valid}/${t.valid + t.invalid}`)
      .join(', ');
    console.log(
      `fuzz: ${MUTANTS} mutants in ${seconds.toFixed(1)} s: ${valid} validated (and ran a year with every invariant checked), ${invalid} refused with a UserError`,
    );
    console.log(`fuzz: problems by code: ${codes}`);
    console.log(`fuzz: validated/total by mutation: ${mutations}`);
    console.log(`fuzz: problems without a line: ${withoutLine} (${[...unlocated].map(([c, n]) => `${c} ${n}`).join(', ') || 'none'})`);
    expect(broken).toEqual([]);
    expect(valid + invalid).toBe(MUTANTS);
    expect(ran).toBeGreaterThan(MUTANTS / 20);
    expect(invalid).toBeGreaterThan(MUTANTS / 2);
    // Every problem of a file the loader could read names a line: only the memory refusal has none.
    expect([...unlocated.keys()].filter((c) => c !== 'memory')).toEqual([]);
    expect(byCode.size).toBeGreaterThan(10);
  });
});
