/**
 * urbanize reach: what it takes to reach a target, through the built CLI on a coarse baseline.
 * The files agree with each other (P(met) of a value is the mean of its runs' p_met; a crossing
 * lies in its bracket, whose values straddle the level), carry the point and run on every row,
 * are the same bytes on 1 and 2 workers and after a resume, and bad input exits 2 naming the flag.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../src/results/csv.js';
import { REACH_FILES } from '../src/results/reach-files.js';
import { smallScenario } from './helpers/batch.js';
import { cli, tempDir } from './helpers/cli.js';

const TARGET = 'urban_unemployment_rate_shanxi';
const LEVER = 'jobs.extra_job_growth=0..0.03';
let root = '',
  file = '',
  dir = '';
const search = (out: string, ...more: string[]) =>
  cli(['reach', file, '--target', TARGET, '--lever', LEVER, '--grid', '3', '--steps', '2', '--out', out, '--quiet', ...more]);
const files = (d: string) => [...Object.values(REACH_FILES), 'report.html'].map((f) => readFileSync(join(d, f), 'utf8'));

beforeAll(() => {
  root = tempDir('urbanize-reach-');
  file = smallScenario(root, { scale: 3000, runs: 4 });
  dir = join(root, 'r');
  const r = search(dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 300_000);

describe('urbanize reach', () => {
  it('has --help naming its flags', () => {
    const r = cli(['reach', '--help']);
    expect(r.code).toBe(0);
    for (const f of [
      '--target <t>',
      '--lever <PATH[=LO..HI]>',
      '--lever-factor <PATH[=LO..HI]>',
      '--levels <list>',
      '--grid <n>',
      '--steps <n>',
      '--runs <n>',
      '--resume <dir>',
    ])
      expect(r.stdout).toContain(f);
  });

  it('writes tidy files that agree: P(met) is the mean of the runs, each crossing in a bracket whose values straddle its level', () => {
    const runs = readCsv(join(dir, REACH_FILES.runs));
    const points = readCsv(join(dir, REACH_FILES.points));
    const crossings = readCsv(join(dir, REACH_FILES.crossings));
    const json = JSON.parse(readFileSync(join(dir, REACH_FILES.json), 'utf8'));
    expect(points.length).toBe(json.values_evaluated);
    expect(points.length).toBeGreaterThanOrEqual(3);
    expect(points.length).toBeLessThanOrEqual(3 + 2 * 2);
    expect(runs).toHaveLength(points.length * 4);
    for (const p of points) {
      const own = runs.filter((r) => r.point === p.point);
      expect(own.map((r) => Number(r.run))).toEqual([0, 1, 2, 3]);
      expect(own.every((r) => r.value === p.value)).toBe(true);
      // Unemployment has no discrepancy: a run meets the target (< 5.5) or not.
      for (const r of own) expect(Number(r.p_met)).toBe(Number(r.outcome) < 5.5 ? 1 : 0);
      expect(Number(p.p_met)).toBeCloseTo(own.reduce((a, r) => a + Number(r.p_met), 0) / 4, 12);
    }
    // Run r drew the same posterior set at every value (common random numbers).
    for (let r = 0; r < 4; r++) expect(new Set(runs.filter((x) => Number(x.run) === r).map((x) => x.param_set)).size).toBe(1);
    expect(points.map((p) => p.value).slice(0, 3)).toEqual(['0', '0.015', '0.03']);
    expect(crossings.map((c) => Number(c.level))).toEqual([0.5, 0.8]);
    const pAt = (v: string) => Number(points.find((p) => Number(p.value) === Number(v))!.p_met);
    for (const c of crossings.filter((x) => x.status === 'crossed')) {
      const [lo, hi, v, L] = [c.bracket_low, c.bracket_high, Number(c.value), Number(c.level)];
      expect(v).toBeGreaterThanOrEqual(Number(lo));
      expect(v).toBeLessThanOrEqual(Number(hi));
      expect(Math.min(pAt(lo), pAt(hi))).toBeLessThan(L);
      expect(Math.max(pAt(lo), pAt(hi))).toBeGreaterThanOrEqual(L);
    }
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).toContain('id="chart-reach-curve"');
    expect(report).toContain('id="reach-crossings"');
  });

  it('gives the same files on one worker, and after a resume of a folder that lost its summaries and some runs', () => {
    const one = join(root, 'one');
    expect(search(one, '--workers', '1').code).toBe(0);
    expect(files(one)).toEqual(files(dir));
    for (const f of [...Object.values(REACH_FILES), 'report.html']) rmSync(join(one, f));
    for (const r of [1, 5, 9, 13]) rmSync(join(one, 'runs', `${String(r).padStart(6, '0')}.f64`), { force: true });
    const r = cli(['reach', '--resume', one, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(files(one)).toEqual(files(dir));
  });

  it('scales a schedule by a factor, and evaluates the scenario’s own setting (factor 1)', () => {
    const out = join(root, 'factor');
    const r = cli([
      'reach',
      file,
      '--target',
      TARGET,
      '--lever-factor',
      'housing.public_rental_units_per_year=0..3',
      '--grid',
      '2',
      '--steps',
      '0',
      '--runs',
      '2',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const points = readCsv(join(out, REACH_FILES.points));
    expect(points.map((p) => [p.value, p.scenario_setting])).toEqual([
      ['0', 'no'],
      ['3', 'no'],
      ['1', 'yes'],
    ]);
    expect(r.stdout).toContain('(the scenario’s own setting)');
  });

  it('says so when a level is not reached within the range, naming the documented range', () => {
    const out = join(root, 'short');
    const r = cli([
      'reach',
      file,
      '--target',
      TARGET,
      '--lever',
      'jobs.extra_job_growth=-0.02..-0.01',
      '--grid',
      '2',
      '--steps',
      '1',
      '--runs',
      '2',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/P\(met\) does not reach 80% within -0\.02\.\.-0\.01; the documented range is -0\.5\.\.0\.5: at most/);
    expect(readCsv(join(out, REACH_FILES.crossings)).map((c) => c.status)).toContain('not_reached');
  });

  const bad: [string, string[], string][] = [
    ['no --target', ['--lever', LEVER], '--target'],
    ['an unknown target', ['--target', 'no_such_target', '--lever', LEVER], '--target'],
    ['a target the model does not compute', ['--target', 'green_space_ratio_shanxi', '--lever', LEVER], '--target'],
    ['no lever', ['--target', TARGET], '--lever'],
    ['both --lever and --lever-factor', ['--target', TARGET, '--lever', LEVER, '--lever-factor', 'jobs.training_rate'], '--lever'],
    ['an unknown lever', ['--target', TARGET, '--lever', 'jobs.magic=0..1'], '--lever'],
    ['a switch', ['--target', TARGET, '--lever', 'residence_permit.opens_schooling'], '--lever: residence_permit.opens_schooling is a switch'],
    ['a range outside the documented one', ['--target', TARGET, '--lever', 'hukou.openness_county=0..2'], '--lever: expected a range within 0..1'],
    ['a range with LO above HI', ['--target', TARGET, '--lever', 'hukou.openness_county=1..0'], '--lever'],
    ['a factor on a lever at 0 throughout', ['--target', TARGET, '--lever-factor', 'housing.affordable_rental_units_per_year'], '--lever-factor'],
    ['a level of 1', ['--target', TARGET, '--lever', LEVER, '--levels', '0.5,1'], '--levels'],
    ['a grid of 1', ['--target', TARGET, '--lever', LEVER, '--grid', '1'], '--grid'],
    ['steps that are no number', ['--target', TARGET, '--lever', LEVER, '--steps', 'many'], '--steps'],
  ];
  it.each(bad)('refuses %s: exit 2, the flag named, no stack trace, no folder', (_, args, message) => {
    const out = join(root, 'bad');
    const r = cli(['reach', file, ...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an existing folder without --force, and result-changing flags with --resume', () => {
    const r = search(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('urbanize reach --resume');
    const again = cli(['reach', '--resume', dir, '--target', TARGET]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--resume');
    const notReach = join(root, 'plain');
    expect(cli(['reach', '--resume', notReach]).code).toBe(2);
  });
});
