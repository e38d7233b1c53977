/**
 * urbanize backtest through the built CLI: bad input exits 2 naming the flag and writes nothing;
 * a small backtest (2 runs at a coarse scale to 2022) writes backtest.csv with one row per
 * held-out observation, prints the pooled coverage, and refuses to overwrite without --force.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKTEST_CSV } from '../src/results/backtest.js';
import { cli, tempDir } from './helpers/cli.js';

function smallScenario(dir: string): string {
  const file = join(dir, 'small.yaml');
  writeFileSync(file, `extends: ${join(process.cwd(), 'scenarios/backtest-2020.yaml')}\nname: small\nscale: 3000\nruns: 2\ntime:\n  end_year: 2022\n`);
  return file;
}

describe('urbanize backtest: bad input', () => {
  it('exits 2 without --holdout-from, naming it', () => {
    const r = cli(['backtest', 'scenarios/backtest-2020.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--holdout-from');
  });

  it('exits 2 on a holdout that is not a year, naming the flag', () => {
    const r = cli(['backtest', 'scenarios/backtest-2020.yaml', '--holdout-from', '20x1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--holdout-from must be a year');
  });

  it('exits 2 on a holdout outside the scenario, with the years it allows, and writes nothing', () => {
    const dir = tempDir(),
      out = join(dir, 'out');
    const r = cli(['backtest', smallScenario(dir), '--holdout-from', '2030', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--holdout-from: expected a year from 2021 to 2022');
    expect(r.stderr).toContain('found 2030');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 when --growth-from is not a backtest folder, naming the flag, and writes nothing', () => {
    const dir = tempDir(),
      out = join(dir, 'out');
    for (const from of [join(dir, 'none'), dir]) {
      const r = cli(['backtest', smallScenario(dir), '--holdout-from', '2021', '--growth-from', from, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--growth-from: expected a folder written by urbanize backtest (with backtest.csv)');
      expect(r.stderr).toContain(from === dir ? 'without backtest.csv' : 'which does not exist');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('urbanize backtest: a small run', () => {
  it('writes backtest.csv for the held-out years, prints the pooled coverage and refuses to overwrite', () => {
    const dir = tempDir(),
      out = join(dir, 'out');
    const r = cli(['backtest', smallScenario(dir), '--holdout-from', '2021', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = BACKTEST_CSV.read(out);
    // 2021-2022 in data/observed/province.csv: urbanization, residents, birth and death rates (2 each), income ratio and new urban jobs (2022).
    expect(rows.map((x) => `${x.series} ${x.year}`)).toEqual([
      'urbanization_rate 2021',
      'urbanization_rate 2022',
      'residents 2021',
      'residents 2022',
      'birth_rate 2021',
      'birth_rate 2022',
      'death_rate 2021',
      'death_rate 2022',
      'income_ratio 2022',
      'new_urban_jobs 2022',
    ]);
    const urb = rows[0];
    expect(urb.naive_years).toBe('2015;2020');
    expect(urb.naive_pace).toBeCloseTo(62.53 + 6.66 / 5, 10);
    expect(urb.pred_p05).toBeLessThan(urb.p05);
    expect(urb.in90).toBe(urb.observed >= urb.pred_p05 && urb.observed <= urb.pred_p95);
    expect(rows.find((x) => x.series === 'new_urban_jobs')!.naive_pace).toBeUndefined();
    const in90 = rows.filter((x) => x.in90).length;
    expect(r.stdout).toContain(`| **pooled** | 10 | `);
    expect(r.stdout).toContain(`| ${Math.round((100 * in90) / 10)}% |`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('held-out');
    const again = cli(['backtest', smallScenario(dir), '--holdout-from', '2021', '--out', out, '--quiet']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');

    // Another backtest's error growth widens each band by sd1·√h, h the years since 2020.
    const grown = join(dir, 'grown');
    const g = cli(['backtest', smallScenario(dir), '--holdout-from', '2021', '--growth-from', out, '--out', grown, '--quiet']);
    expect(g.code).toBe(0);
    expect(g.stdout).toContain(`error growth from ${out} (started 2020)`);
    const wide = BACKTEST_CSV.read(grown);
    for (const [i, x] of wide.entries()) {
      const same = rows.filter((y) => y.series === x.series && y.region === x.region);
      const sd1 = Math.sqrt(same.reduce((s, y) => s + y.error ** 2 / (y.year - 2020), 0) / same.length);
      expect(x.growth_sd1).toBeCloseTo(sd1, 6);
      expect(x.band_sd).toBeCloseTo(Math.hypot(rows[i].band_sd, sd1 * Math.sqrt(x.year - 2020)), 6);
      expect(x.p50).toBe(rows[i].p50);
      expect(x.pred_p95 - x.pred_p05).toBeGreaterThan(rows[i].pred_p95 - rows[i].pred_p05);
    }
    expect(rows.every((x) => x.growth_sd1 === undefined)).toBe(true);
  });
});
