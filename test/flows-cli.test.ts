/**
 * urbanize flows DIR and the flow files of a run folder: flows.csv and flows.parquet hold the same
 * rows with the run id on each; the command prints a year's mean moves by place type or city that
 * agree with flows.csv and runs.csv; a bad flag exits 2 naming it; verify checks flows.csv.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../src/results/csv.js';
import { cli, tempDir } from './helpers/cli.js';

let root = '',
  dir = '';

beforeAll(() => {
  root = tempDir('urbanize-flows-');
  dir = join(root, 'run');
  const r = cli(['run', 'scenarios/shanxi-baseline.yaml', '--runs', '2', '--scale', '3000', '--out', dir, '--quiet', '--parquet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

const sum = (rows: Record<string, string>[], col: string) => rows.reduce((a, r) => a + Number(r[col]), 0);

describe('urbanize flows', () => {
  it('has --help naming its flags', () => {
    const r = cli(['flows', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--year <y>');
    expect(r.stdout).toContain('--by <grouping>');
  });

  it('prints the mean movers by place type, as flows.csv gives them, and the urban gain split of runs.csv', () => {
    const r = cli(['flows', dir, '--year', '2023']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const flows = readCsv(join(dir, 'flows.csv')).filter((x) => x.year === '2023');
    const villages = flows.filter((x) => x.origin_type === 'village');
    const row = r.stdout.split('\n').find((l) => l.startsWith('village '))!;
    expect(row.trim().split(/\s+/).at(-1)).toBe(Math.round(sum(villages, 'persons') / 2).toLocaleString('en-US'));
    const gain = readCsv(join(dir, 'runs.csv')).filter((x) => x.region === 'shanxi' && x.year === '2023' && x.metric.startsWith('urban_gain_'));
    expect(r.stdout).toContain(`total ${Math.round(sum(gain, 'value') / 2).toLocaleString('en-US')}`);
  });

  it("by city: the rest of China's row is the province's in-migration, its column the out-migration (runs.csv)", () => {
    const r = cli(['flows', dir, '--by', 'city']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const outside = lines
      .find((l) => l.startsWith('outside '))!
      .trim()
      .split(/\s+/);
    const total = lines
      .find((l) => l.startsWith('total '))!
      .trim()
      .split(/\s+/);
    const runs = readCsv(join(dir, 'runs.csv')).filter((x) => x.region === 'shanxi' && x.year === '2025');
    const mean = (m: string) =>
      Math.round(
        sum(
          runs.filter((x) => x.metric === m),
          'value',
        ) / 2,
      ).toLocaleString('en-US');
    expect(outside.at(-1)).toBe(mean('in_migration'));
    expect(total.at(-2)).toBe(mean('out_migration'));
  });

  it.each([
    [['--year', '2020'], /^error: --year: expected a year with flows in this folder, 2021 to 2025, found "2020"\n$/],
    [['--year', 'next'], /^error: --year: expected a year with flows in this folder, 2021 to 2025, found "next"\n$/],
    [['--by', 'county'], /^error: --by: expected "type" or "city", found "county"\n$/],
  ])('refuses %j with exit 2, naming the flag', (flags, message) => {
    const r = cli(['flows', dir, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a folder that is not a results folder with exit 2', () => {
    const r = cli(['flows', join(root, 'nothing')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*is not a results folder/);
  });
});

describe('flows.csv and flows.parquet', () => {
  it('hold the same rows, each with its run id', async () => {
    const csv = readCsv(join(dir, 'flows.csv'));
    expect(new Set(csv.map((x) => x.run))).toEqual(new Set(['0', '1']));
    const { parquetReadObjects } = await import('hyparquet');
    const buf = readFileSync(join(dir, 'flows.parquet'));
    const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer });
    expect(rows).toHaveLength(csv.length);
    const c = csv[77];
    expect(rows[77]).toEqual({ ...c, run: Number(c.run), year: Number(c.year), persons: Number(c.persons) });
  });

  it('are checked by verify: an edited or deleted flows.csv is reported', () => {
    const edited = join(root, 'edited');
    cpSync(dir, edited, { recursive: true });
    const file = join(edited, 'flows.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[5] = lines[5].replace(/,(\d+)$/, (_, n) => `,${Number(n) + 3000}`);
    writeFileSync(file, lines.join('\n'));
    const r = cli(['verify', edited]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/flows\.csv does not match the run files: line 6 is "0,2021,/);
    rmSync(file);
    const gone = cli(['verify', edited]);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toContain('flows.csv is missing');
  });
});
