/**
 * Every kind of user mistake, through the real command line: `urbanize validate FILE` and
 * `urbanize run FILE` both exit with code 2 and name the file, line, column and field path, with
 * what was expected and what was found, and no stack trace; `run` writes no results folder.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBatch, baseJobs } from '../src/batch/pool.js';
import { UserError } from '../src/core/errors.js';
import { leverTables } from '../src/scenario/schedule.js';
import { loadScenario } from '../src/scenario/scenario.js';
import { cliAsync, tempDir, type CliResult } from './helpers/cli.js';

const BASE = join(process.cwd(), 'scenarios/shanxi-baseline.yaml');
const TARGETS = join(process.cwd(), 'scenarios/targets/plan-2025.yaml');
const STACK = /\n\s+at /;

/** Where a problem must be reported: `file:line:column: path`, and words the message must hold. */
interface Where {
  file?: string;
  line?: number;
  column?: number;
  path?: string;
  says?: (string | RegExp)[];
}

/** Writes `content` to `name` in a fresh folder; returns its path. */
function write(name: string, content: string | Buffer, dir = tempDir('urbanize-errors-')): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** The location prefix a problem at `w` prints. */
function prefix(file: string, w: Where): string {
  let s = w.file ?? file;
  if (w.line !== undefined) s += `:${w.line}:${w.column}`;
  if (w.path !== undefined) s += `: ${w.path}`;
  return s;
}

function expectReported(r: CliResult, text: string, file: string, w: Where): void {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(2);
  expect(text).toContain(prefix(file, w));
  for (const s of w.says ?? []) expect(text).toMatch(typeof s === 'string' ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : s);
  expect(r.stdout + r.stderr).not.toMatch(STACK);
}

/** Runs validate and run on `file` (side by side) and checks both report the mistake at `w`. */
async function expectMistake(file: string, w: Where): Promise<void> {
  const out = join(tempDir('urbanize-errors-out-'), 'results');
  const [v, r] = await Promise.all([cliAsync(['validate', file]), cliAsync(['run', file, '--out', out, '--quiet', '--runs', '1', '--scale', '20000'])]);
  expectReported(v, v.stdout, file, w);
  expectReported(r, r.stderr, file, w);
  expect(r.stderr).toMatch(/^error: /);
  expect(existsSync(out)).toBe(false);
}

/** A variant of the baseline: `extends` on line 1, then `body` from line 2. */
const variant = (body: string, name = 'mistake.yaml') => write(name, `extends: ${BASE}\n${body}`);

describe.concurrent('every user mistake: exit code 2, file:line:column, field path, no stack trace', () => {
  it('a wrong type', async () => {
    await expectMistake(variant('seed: twenty\n'), { line: 2, column: 7, path: 'seed', says: ['expected a number, found "twenty"'] });
  });

  it('a value out of range', async () => {
    await expectMistake(variant('levers:\n  hukou:\n    openness_county: 1.5\n'), {
      line: 4,
      column: 22,
      path: 'levers.hukou.openness_county',
      says: ['expected a number <= 1, found 1.5'],
    });
  });

  it('an unknown key, with the keys allowed there', async () => {
    await expectMistake(variant('levers:\n  hukou:\n    openess_county: 0.5\n'), {
      line: 4,
      column: 5,
      path: 'levers.hukou.openess_county',
      says: ['unknown key "openess_county"', /allowed keys: .*openness_county/],
    });
  });

  it('a missing file', async () => {
    const file = join(tempDir(), 'no-such-scenario.yaml');
    await expectMistake(file, { says: ['cannot read', 'no such file'] });
  });

  it('an unreadable file (a folder where a file should be)', async () => {
    const file = join(tempDir(), 'folder.yaml');
    mkdirSync(file);
    await expectMistake(file, { says: ['it is a directory'] });
  });

  it('a missing base named by extends', async () => {
    const file = write('orphan.yaml', 'name: orphan\nextends: ./no-such-base.yaml\n');
    await expectMistake(file, { line: 2, column: 10, path: 'extends', says: ['no-such-base.yaml', 'no such file'] });
  });

  it('circular extends', async () => {
    const dir = tempDir();
    write('b.yaml', 'extends: a.yaml\nname: b\n', dir);
    const a = write('a.yaml', 'extends: b.yaml\nname: a\n', dir);
    await expectMistake(a, { file: join(dir, 'b.yaml'), line: 1, column: 10, path: 'extends', says: [/circle: .*a\.yaml -> .*b\.yaml -> .*a\.yaml/] });
  });

  it('invalid YAML', async () => {
    await expectMistake(variant('name: small\nlevers:\n  hukou: [0.5,\n    openness: 1\n'), {
      line: 6,
      column: 1,
      says: ['Flow sequence in block collection must be sufficiently indented and end with a ]'],
    });
  });

  it('invalid JSON', async () => {
    const file = write('mistake.json', `{\n  "extends": ${JSON.stringify(BASE)},\n  "name": "json",\n}\n`);
    await expectMistake(file, { line: 4, column: 1, says: ['invalid JSON: trailing comma before "}"'] });
  });

  it('a duplicate key', async () => {
    await expectMistake(variant('name: one\nseed: 1\nname: two\n'), { line: 4, column: 1, says: ['Map keys must be unique'] });
  });

  it('NaN', async () => {
    await expectMistake(variant('behaviour:\n  migration:\n    beta_income: { value: .nan, estimate: "typo" }\n'), {
      line: 4,
      column: 27,
      path: 'behaviour.migration.beta_income.value',
      says: ['expected a number, found NaN'],
    });
  });

  it('an infinite number', async () => {
    await expectMistake(variant('levers:\n  housing:\n    public_rental_units_per_year: -.inf\n'), {
      line: 4,
      column: 35,
      path: 'levers.housing.public_rental_units_per_year',
      says: ['found -Infinity'],
    });
  });

  it('a negative population', async () => {
    await expectMistake(variant('world:\n  province:\n    in_migrant_pool: { value: -1620518, estimate: "sign typo" }\n'), {
      line: 4,
      column: 31,
      path: 'world.province.in_migrant_pool.value',
      says: ['expected a number >= 0, found -1620518'],
    });
  });

  it('a share outside [0, 1]', async () => {
    await expectMistake(variant('world:\n  settlement:\n    market_vacancy: { value: 8, estimate: "percent, not share" }\n'), {
      line: 4,
      column: 30,
      path: 'world.settlement.market_vacancy.value',
      says: ['expected a number <= 1, found 8'],
    });
  });

  it('shares that should sum to one and do not', async () => {
    await expectMistake(variant('world:\n  province:\n    age:\n      age_0_14: { value: 26.35, source: "typo of 16.35" }\n'), {
      line: 4,
      column: 5,
      path: 'world.province.age',
      says: ['age shares 0-14, 15-59 and 60+ that sum to 100', 'found 110.00'],
    });
  });

  it('parts that should add up to a whole and do not (men and women, residents)', async () => {
    await expectMistake(variant('world:\n  province:\n    female: { value: 17110486, source: "digits swapped" }\n'), {
      line: 4,
      column: 13,
      path: 'world.province.female',
      says: ['male + female equal to the residents (34915616)'],
    });
  });

  it('a city that does not exist', async () => {
    await expectMistake(variant('world:\n  central_cluster: [taiyuan, jinzhong, beijing]\n'), {
      line: 3,
      column: 40,
      path: 'world.central_cluster[2]',
      says: [/expected one of "taiyuan", .*found "beijing"/],
    });
  });

  it('a place that does not exist (a city key of job growth)', async () => {
    await expectMistake(variant('behaviour:\n  labour:\n    job_growth_by_city:\n      tianjin: { value: 0.01, estimate: "wrong province" }\n'), {
      line: 5,
      column: 7,
      path: 'behaviour.labour.job_growth_by_city.tianjin',
      says: ['unknown key "tianjin"', /allowed keys: taiyuan, datong/],
    });
  });

  it('a gap in the years of a demographic level path', async () => {
    await expectMistake(variant('behaviour:\n  demography:\n    fertility_index_by_year:\n      2026: { value: 0.8, estimate: "after a gap" }\n'), {
      line: 4,
      column: 5,
      path: 'behaviour.demography.fertility_index_by_year',
      says: ['the years must follow one another', 'found 2021, 2022, 2023, 2024, 2026'],
    });
  });

  it('an end before the start', async () => {
    await expectMistake(variant('time:\n  end_year: 2019\n'), {
      line: 3,
      column: 13,
      path: 'time.end_year',
      says: ['expected a year after the census year 2020 (time.start 2020-11-01), found 2019'],
    });
  });

  it('a start that is not a census date', async () => {
    await expectMistake(variant('time:\n  start: "2015-11-01"\n'), {
      line: 3,
      column: 10,
      path: 'time.start',
      says: ['"2010-11-01"', '"2020-11-01"', '2015-11-01'],
    });
  });

  it('a yearly level path that does not start the year after the census', async () => {
    await expectMistake(variant('time:\n  start: "2010-11-01"\n  end_year: 2020\n'), {
      file: join(process.cwd(), 'scenarios/shanxi-2020.yaml'),
      line: 247,
      column: 13,
      path: 'behaviour.demography.mortality_index_by_year.2021',
      says: ['yearly levels relative to the census year 2010 (time.start 2010-11-01), from 2011 on, found a first year 2021'],
    });
  });

  it('an empty file', async () => {
    await expectMistake(write('empty.yaml', '# only a comment\n\n'), { line: 1, column: 1, says: ['the file is empty'] });
  });

  it('a binary file', async () => {
    await expectMistake(write('image.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])), {
      line: 3,
      column: 1,
      says: ['binary file (it contains NUL bytes)'],
    });
  });

  it('an impossible world: county towns larger than their cities (found before any world is built)', async () => {
    await expectMistake(variant('world:\n  settlement:\n    county_town_persons_small_1: { value: 1800000, estimate: "an extra zero" }\n'), {
      line: 4,
      column: 34,
      path: 'world.settlement.county_town_persons_small_1',
      says: ["yangquan's urban residents above its county towns' 1860000", 'left for the central districts'],
    });
  });

  it("a lever schedule that leaves the lever's range", async () => {
    await expectMistake(variant('levers:\n  hukou:\n    openness_county: { expr: "0.5 + 0.2 * t" }\n'), {
      line: 4,
      column: 30,
      path: 'levers.hukou.openness_county.expr',
      says: ['expected a value from 0 to 1', /found 1\.\d+ at 2023/],
    });
  });

  it('a missing targets file', async () => {
    await expectMistake(variant('targets: ./no-targets.yaml\n'), {
      line: 2,
      column: 10,
      path: 'targets',
      says: ['cannot read the targets file', 'no such file'],
    });
  });

  it('a targets file whose modelled target names a metric and a region that do not exist', async () => {
    const dir = tempDir();
    const text = readFileSync(TARGETS, 'utf8').replace(
      '    metric: urbanization_rate\n    region: shanxi\n',
      '    metric: urbanisation_rate\n    region: shanxi_province\n',
    );
    const targets = write('targets.yaml', text, dir);
    const line = text.split('\n').findIndex((l) => l.includes('urbanisation_rate')) + 1;
    const file = write('scenario.yaml', `extends: ${BASE}\ntargets: targets.yaml\n`, dir);
    await expectMistake(file, {
      file: targets,
      line,
      column: 13,
      path: 'targets[0].metric',
      says: [/expected a metric the model computes \(resident_population, .*found "urbanisation_rate"/],
    });
    await expectMistake(file, {
      file: targets,
      line: line + 1,
      column: 13,
      path: 'targets[0].region',
      says: [/expected one of shanxi, taiyuan, .*found "shanxi_province"/],
    });
  });

  it('bad command-line flags', async () => {
    const file = variant('name: flags\n');
    const bad: [string[], string][] = [
      [['--runs', 'many'], '--runs must be a whole number >= 1, found "many"'],
      [['--scale', '0'], '--scale must be a whole number >= 1, found "0"'],
      [['--seed', '-3'], 'the seed must be a whole number'],
      [['--workers', '1.5'], '--workers must be a whole number >= 1'],
      [['--shard', '3/2'], '--shard: expected I/N with 0 <= I < N'],
      [['--speed', 'fast'], "unknown option '--speed'"],
    ];
    const results = await Promise.all(bad.map(([flags]) => cliAsync(['run', file, '--out', join(tempDir(), 'out'), '--quiet', ...flags])));
    results.forEach((r, k) => {
      expect(r.code, bad[k][0].join(' ')).toBe(2);
      expect(r.stderr).toContain(bad[k][1]);
      expect(r.stderr).not.toMatch(STACK);
    });
    const none = await cliAsync(['run', '--quiet']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('run: expected a scenario file, or --resume DIR');
    const unknown = await cliAsync(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('a mistake only the world build can see', () => {
  it('reaches the main thread from a worker as a UserError, not a crash', async () => {
    const sc = loadScenario(BASE).scenario;
    sc.scale = 20000;
    // Past the loader's checks (as a scenario object, not a file): county towns larger than their cities.
    sc.world.settlement.county_town_persons_small_1.value = 1.8e6;
    const batch = startBatch({ scenario: sc, levers: leverTables(sc), jobs: baseJobs([0]) }, 1, { onResult() {}, onFailed() {} });
    const err = await batch.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).problems[0]).toMatchObject({ code: 'inconsistent', path: 'world.cities[2].urban' });
  });
});
