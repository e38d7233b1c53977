import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserError, type Problem } from '../src/core/errors.js';
import { loadFile, locate, parseSource, readWithExtends, validateWith } from '../src/scenario/load.js';

const dir = fileURLToPath(new URL('./fixtures/scenarios/', import.meta.url));
const fixture = (name: string): string => join(dir, name);

const City = z.strictObject({ name: z.string(), urban: z.number().min(0).max(1) });
const Scenario = z.strictObject({
  name: z.string(),
  seed: z.number().int(),
  world: z.strictObject({ year: z.number(), cities: z.array(City).min(1) }),
  levers: z.strictObject({ hukou: z.enum(['strict', 'open']), subsidy: z.number().min(0) }).optional(),
  tags: z.array(z.string()).max(3).optional(),
});

/** Runs fn, expects a UserError, returns its problems with file names shortened to base names. */
function problemsOf(fn: () => unknown): Problem[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).problems.map((p) => (p.file ? { ...p, file: basename(p.file) } : p));
  }
  throw new Error('expected a UserError');
}

describe('validation problems', () => {
  it('reports all three mistakes in one YAML file with line, column and path', () => {
    const problems = problemsOf(() => loadFile(fixture('three-mistakes.yaml'), Scenario));
    expect(problems).toEqual([
      { code: 'invalid_type', file: 'three-mistakes.yaml', line: 2, column: 7, path: 'seed', expected: 'an integer', found: '7.5' },
      { code: 'too_big', file: 'three-mistakes.yaml', line: 9, column: 14, path: 'world.cities[1].urban', expected: 'a number <= 1', found: '1.7' },
      { code: 'invalid_value', file: 'three-mistakes.yaml', line: 11, column: 10, path: 'levers.hukou', expected: 'one of "strict", "open"', found: '"loose"' },
    ]);
  });

  it('formats problems as file:line:column: path: expected/found', () => {
    try {
      loadFile(fixture('three-mistakes.yaml'), Scenario);
    } catch (err) {
      expect((err as Error).message).toContain('three-mistakes.yaml:2:7: seed: expected an integer, found 7.5');
      return;
    }
    throw new Error('expected a UserError');
  });

  it('reports each unknown key at its own line, naming it and the allowed keys', () => {
    const problems = problemsOf(() => loadFile(fixture('unknown-key.yaml'), Scenario));
    expect(problems).toEqual([
      { code: 'unknown_key', file: 'unknown-key.yaml', line: 5, column: 3, path: 'world.citys', message: 'unknown key "citys"; allowed keys: year, cities' },
      {
        code: 'unknown_key',
        file: 'unknown-key.yaml',
        line: 9,
        column: 7,
        path: 'world.cities[0].urbn',
        message: 'unknown key "urbn"; allowed keys: name, urban',
      },
    ]);
  });

  it('reports a missing required field at its nearest defined ancestor', () => {
    const { data, chain } = readWithExtends(fixture('good.json'));
    const problems = problemsOf(() => validateWith(Scenario.extend({ region: z.string() }), data, chain));
    expect(problems).toEqual([
      {
        code: 'invalid_type',
        file: 'good.json',
        line: 1,
        column: 1,
        path: 'region',
        expected: 'a string',
        found: 'nothing',
        message: 'required field is missing',
      },
    ]);
  });

  it('lets .nan and .inf reach zod as NaN and Infinity, which z.number() rejects', () => {
    const problems = problemsOf(() => loadFile(fixture('nan.yaml'), Scenario));
    expect(problems).toMatchObject([
      { code: 'invalid_type', line: 4, column: 9, path: 'world.year', expected: 'a number', found: 'NaN' },
      { code: 'invalid_type', line: 7, column: 14, path: 'world.cities[0].urban', expected: 'a number', found: 'Infinity' },
    ]);
  });

  it('describes union mismatches by their alternatives', () => {
    const { data, chain } = readWithExtends(fixture('good.json'));
    const schema = z.object({ seed: z.union([z.string(), z.boolean()]) });
    expect(problemsOf(() => validateWith(schema, data, chain))).toMatchObject([
      { code: 'invalid_union', path: 'seed', expected: 'a string or a boolean (true or false)', found: '3' },
    ]);
  });
});

describe('JSON files', () => {
  it('loads a valid JSON scenario', () => {
    const scenario = loadFile(fixture('good.json'), Scenario);
    expect(scenario.world.cities[0]).toEqual({ name: 'taiyuan', urban: 0.89 });
  });

  it('reports validation errors in JSON with lines and columns', () => {
    const problems = problemsOf(() => loadFile(fixture('bad.json'), Scenario));
    expect(problems).toEqual([
      { code: 'invalid_type', file: 'bad.json', line: 3, column: 11, path: 'seed', expected: 'a number', found: '"seven"' },
      { code: 'too_small', file: 'bad.json', line: 6, column: 15, path: 'world.cities', expected: 'a list of at least 1 item', found: 'a list of 0' },
    ]);
  });

  it('reports a JSON syntax error (trailing comma) with line and column', () => {
    const problems = problemsOf(() => readWithExtends(fixture('bad-syntax.json')));
    expect(problems).toEqual([{ code: 'syntax', file: 'bad-syntax.json', line: 4, column: 1, message: 'invalid JSON: trailing comma before "}"' }]);
  });
});

describe('extends', () => {
  it('overrides a nested value, inherits the rest, and replaces lists rather than concatenating', () => {
    const { data, chain } = readWithExtends(fixture('variant.yaml'));
    expect(data).toEqual({
      name: 'open-hukou',
      seed: 1,
      world: {
        year: 2020,
        cities: [
          { name: 'taiyuan', urban: 0.89 },
          { name: 'datong', urban: 0.6 },
        ],
      },
      levers: { hukou: 'open', subsidy: 100 },
      tags: ['c'],
    });
    expect(chain.map((d) => basename(d.file))).toEqual(['variant.yaml', 'base.yaml']);
  });

  it('removes a key of the base that the variant sets to null, and keeps a null the base does not have', () => {
    const d = mkdtempSync(join(tmpdir(), 'urbanize-null-'));
    writeFileSync(join(d, 'base.yaml'), 'name: base\nlevels: { 2021: 1, 2022: 2 }\nseed: 1\n');
    writeFileSync(join(d, 'variant.yaml'), 'extends: base.yaml\nlevels: { 2021: null, 2011: 3 }\nextra: null\n');
    const { data } = readWithExtends(join(d, 'variant.yaml'));
    expect(data).toEqual({ name: 'base', levels: { 2022: 2, 2011: 3 }, seed: 1, extra: null });
  });

  it('reports an error in the base with the base file and one in the variant with the variant file', () => {
    const problems = problemsOf(() => loadFile(fixture('bad-variant.yaml'), Scenario));
    expect(problems).toMatchObject([
      { file: 'bad-base.yaml', line: 7, column: 14, path: 'world.cities[0].urban', expected: 'a number >= 0', found: '-0.5' },
      { file: 'bad-variant.yaml', line: 3, column: 10, path: 'levers.hukou', found: '"loose"' },
    ]);
  });

  it('places errors under a list the variant replaced in the variant, not in the base', () => {
    const problems = problemsOf(() => loadFile(fixture('list-variant.yaml'), Scenario));
    expect(problems).toMatchObject([{ file: 'list-variant.yaml', line: 4, column: 7, path: 'world.cities[0].urban', found: 'nothing' }]);
  });

  it('reports a cycle a -> b -> a as extends_cycle with the chain', () => {
    const [p, ...rest] = problemsOf(() => readWithExtends(fixture('cycle-a.yaml')));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'extends_cycle', file: 'cycle-b.yaml', line: 1, column: 10 });
    expect(p.message).toMatch(/cycle-a\.yaml -> \S*cycle-b\.yaml -> \S*cycle-a\.yaml$/);
  });

  it('names the extending file and the line of its extends key when the target is missing', () => {
    const [p] = problemsOf(() => readWithExtends(fixture('missing-extends.yaml')));
    expect(p).toMatchObject({ code: 'file', file: 'missing-extends.yaml', line: 2, column: 10, path: 'extends' });
    expect(p.message).toContain('no-such-base.yaml');
  });

  it('names the file when the file itself is missing', () => {
    const [p] = problemsOf(() => readWithExtends(fixture('nowhere.yaml')));
    expect(p).toMatchObject({ code: 'file', file: 'nowhere.yaml' });
    expect(p.message).toContain('no such file');
  });

  it('rejects an extends that is not a string', () => {
    expect(problemsOf(() => readWithExtends(fixture('extends-number.yaml')))).toMatchObject([
      { code: 'invalid_type', file: 'extends-number.yaml', line: 1, column: 10, path: 'extends', found: '42' },
    ]);
  });
});

describe('parseSource', () => {
  it('reports a YAML syntax error (tab indentation) with line and column', () => {
    expect(problemsOf(() => readWithExtends(fixture('syntax.yaml')))).toEqual([
      { code: 'syntax', file: 'syntax.yaml', line: 4, column: 1, message: 'Tabs are not allowed as indentation' },
    ]);
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(problemsOf(() => readWithExtends(fixture('duplicate-key.yaml')))).toMatchObject([
      { code: 'duplicate_key', file: 'duplicate-key.yaml', line: 3, column: 1 },
    ]);
  });

  it('reports an empty (comments-only) file as empty_file', () => {
    expect(problemsOf(() => readWithExtends(fixture('empty.yaml')))).toMatchObject([{ code: 'empty_file', file: 'empty.yaml' }]);
  });

  it('reports a file with NUL bytes as binary_file with the position of the first NUL', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'urbanize-load-')), 'scenario.yaml');
    writeFileSync(file, Buffer.from([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x89, 0x50, 0x00, 0x01]));
    expect(problemsOf(() => readWithExtends(file))).toMatchObject([{ code: 'binary_file', line: 2, column: 3 }]);
  });

  it('uses YAML 1.2: yes/no stay strings, .nan/.inf become numbers', () => {
    const { data } = parseSource('x.yaml', 'a: yes\nb: no\nc: .nan\nd: -.inf\n');
    expect(data).toEqual({ a: 'yes', b: 'no', c: NaN, d: -Infinity });
  });

  it('locates a path, or its nearest existing ancestor', () => {
    const { doc } = parseSource('x.yaml', 'world:\n  cities:\n    - name: a\n      urban: 0.5\n');
    expect(locate(doc, ['world', 'cities', 0, 'urban'])).toEqual({ line: 4, column: 14 });
    expect(locate(doc, ['world', 'cities', 0, 'nope'])).toEqual({ line: 3, column: 7 });
    expect(locate(doc, ['world'])).toEqual({ line: 1, column: 1 });
  });
});
