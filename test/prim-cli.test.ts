/**
 * urbanize discover DIR: PRIM on a small sweep folder, through the built CLI. The files it writes
 * agree with each other and with samples.csv, carry the box id (or sample and run) on every row,
 * are the same byte for byte when run again, and the report gets the section; bad input exits 2
 * naming the flag or folder, without a stack trace.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../src/results/csv.js';
import { PRIM_FILES } from '../src/results/prim-files.js';
import { cli, tempDir } from './helpers/cli.js';

const OUTCOME = 'urbanization_rate.shanxi.2025';
let root = '',
  dir = '',
  median = 0;

beforeAll(() => {
  root = tempDir('urbanize-prim-');
  dir = join(root, 'sw');
  const r = cli([
    'sweep',
    'scenarios/shanxi-baseline.yaml',
    '--vary',
    'housing.affordable_rental_units_per_year=0..100000',
    '--vary',
    'hukou.openness_county=0..1',
    '--samples',
    '16',
    '--runs',
    '2',
    '--scale',
    '3000',
    '--out',
    dir,
    '--quiet',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const v = readCsv(join(dir, 'samples.csv'))
    .map((x) => Number(x[OUTCOME]))
    .sort((a, b) => a - b);
  median = (v[15] + v[16]) / 2;
}, 300_000);

const files = () => Object.values(PRIM_FILES).map((f) => readFileSync(join(dir, f), 'utf8'));

describe('urbanize discover', () => {
  it('has --help naming its flags', () => {
    const r = cli(['discover', '--help']);
    expect(r.code).toBe(0);
    for (const f of [
      '--target <t>',
      '--met',
      '--below <v>',
      '--above <v>',
      '--alpha <a>',
      '--min-mass <m>',
      '--threshold <d>',
      '--box <k>',
      '--boxes <n>',
      '--paste',
      '--factors <which>',
    ])
      expect(r.stdout).toContain(f);
  });

  it('writes tidy files that agree with samples.csv and each other, and the report section; the same again byte for byte', () => {
    const args = ['discover', dir, '--target', OUTCOME, '--below', String(median), '--boxes', '2'];
    const r = cli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${OUTCOME} < ${median}: 16 of 32 runs (50.0%) are cases of interest`);
    const samples = readCsv(join(dir, 'samples.csv'));
    const cases = readCsv(join(dir, PRIM_FILES.cases));
    expect(cases.map((c) => `${c.sample}/${c.run}`)).toEqual(samples.map((s) => `${s.sample}/${s.run}`));
    cases.forEach((c, i) => expect(c.interest).toBe(Number(samples[i][OUTCOME]) < median ? 'yes' : 'no'));
    const json = JSON.parse(files()[0]);
    expect(json.points).toBe(32);
    expect(json.cases).toBe(16);
    const trajectory = readCsv(join(dir, PRIM_FILES.trajectory));
    const boxes = readCsv(join(dir, PRIM_FILES.boxes));
    for (const row of [...trajectory, ...boxes]) expect(Number(row.box)).toBeGreaterThanOrEqual(1);
    for (const b of json.boxes) {
      // The selected row of the trajectory, the box's summary and the runs prim_cases.csv puts in it agree.
      const sel = trajectory.filter((t) => Number(t.box) === b.box && t.selected === 'yes');
      expect(sel).toHaveLength(1);
      expect(Number(sel[0].step)).toBe(b.step);
      expect(Number(sel[0].n)).toBe(b.n);
      const held = cases.filter((c) => Number(c.box) === b.box);
      expect(held).toHaveLength(b.n);
      expect(held.filter((c) => c.interest === 'yes')).toHaveLength(b.n_interest);
      expect(b.coverage).toBeCloseTo(b.n_interest / 16, 12);
      expect(b.density).toBeCloseTo(b.n_interest / b.n, 12);
      expect(boxes.filter((x) => Number(x.box) === b.box && x.restricted === 'yes').map((x) => x.factor)).toEqual(
        b.restricted.map((x: { factor: string }) => x.factor),
      );
    }
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).toContain('id="chart-prim-trajectory"');
    expect(report).toContain('When it fails: scenario discovery (PRIM)');
    const first = files();
    expect(cli(args).code).toBe(0);
    expect(files()).toEqual(first);
  });

  it('judges a plan target by its comparator: --met takes the runs that meet it', () => {
    const r = cli(['discover', dir, '--target', 'urban_unemployment_rate_shanxi', '--met', '--factors', 'sweep']);
    const values = readCsv(join(dir, 'samples.csv')).map((s) => Number(s['urban_unemployment_rate.shanxi.2025']));
    const met = values.filter((v) => v < 5.5).length;
    expect(met).toBeGreaterThan(0); // the sweep has runs on both sides of the target (6 of 32 when written)
    expect(met).toBeLessThan(values.length);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`urban_unemployment_rate.shanxi.2025 meets < 5.5 (target urban_unemployment_rate_shanxi): ${met} of 32 runs`);
    const json = JSON.parse(files()[0]);
    expect(json.factors).toEqual(['housing.affordable_rental_units_per_year', 'hukou.openness_county']);
    expect(json.case).toMatchObject({ kind: 'met', comparator: '<', value: 5.5, target: 'urban_unemployment_rate_shanxi' });
    const cases = readCsv(join(dir, PRIM_FILES.cases));
    cases.forEach((c, i) => expect(c.interest).toBe(values[i] < 5.5 ? 'yes' : 'no'));
  });

  it('with the posterior, its parameters are factors too, and the console says what they can tell apart', () => {
    const r = cli(['discover', dir, '--target', OUTCOME, '--below', String(median)]);
    expect(r.code).toBe(0);
    const json = JSON.parse(files()[0]);
    expect(json.factors.slice(0, 2)).toEqual(['housing.affordable_rental_units_per_year', 'hukou.openness_county']);
    expect(json.factors.length + json.constant.length).toBeGreaterThan(2);
    expect(json.factors.slice(2).every((f: string) => f.startsWith('behaviour.'))).toBe(true);
    expect(json.posterior_sets).toBe(new Set(readCsv(join(dir, 'samples.csv')).map((s) => s.param_set)).size);
    if (json.posterior_sets > 1) expect(r.stdout).toContain(`note: the posterior's parameters take ${json.posterior_sets} sets here`);
  });

  const bad: [string, string[], string][] = [
    ['a folder that is no sweep folder', ['discover', 'NOTSWEEP', '--target', OUTCOME, '--below', '66'], 'DIR'],
    ['no --target', ['discover', 'SWEEP'], '--target'],
    ['an unknown outcome column', ['discover', 'SWEEP', '--target', 'urbanization_rate.mars.2025', '--below', '66'], '--target'],
    ['an unknown target id', ['discover', 'SWEEP', '--target', 'no_such_target'], '--target'],
    ['no case of interest at all', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '0'], '--target: no run of the sweep is a case of interest'],
    ['every run a case of interest', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '100'], '--target: every run of the sweep is a case of interest'],
    ['alpha out of range', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '66', '--alpha', '0.7'], '--alpha'],
    ['alpha not a number', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '66', '--alpha', 'abc'], '--alpha'],
    ['min-mass of 1', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '66', '--min-mass', '1'], '--min-mass'],
    ['a threshold above 1', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '66', '--threshold', '1.5'], '--threshold'],
    ['zero boxes', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '66', '--boxes', '0'], '--boxes'],
    ['a step past the trajectory', ['discover', 'SWEEP', '--target', OUTCOME, '--below', 'MEDIAN', '--box', '999'], '--box'],
    ['both --below and --above', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '66', '--above', '60'], '--below'],
    ['--met with --below', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '66', '--met'], '--met'],
    ['an unknown --factors', ['discover', 'SWEEP', '--target', OUTCOME, '--below', '66', '--factors', 'levers'], '--factors'],
  ];
  it.each(bad)('refuses %s: exit 2, naming it, no stack trace', (_, args, named) => {
    const notSweep = join(root, 'plain');
    mkdirSync(notSweep, { recursive: true });
    const r = cli(args.map((a) => (a === 'SWEEP' ? dir : a === 'NOTSWEEP' ? notSweep : a === 'MEDIAN' ? String(median) : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toContain(named);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
