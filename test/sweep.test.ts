import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/report/data.js';
import { smallScenario } from './helpers/batch.js';
import { cli, cliAsync, tempDir } from './helpers/cli.js';
import { differingFiles, startCli, storedIn, until } from './helpers/signal.js';

describe('urbanize sweep', () => {
  it('keeps the sample table and ranks hukou openness first for the hukou urbanization rate', () => {
    const dir = tempDir(),
      out = join(dir, 'sw');
    const r = cli([
      'sweep',
      'scenarios/shanxi-baseline.yaml',
      '--vary',
      'hukou.openness_county=0..1',
      '--vary',
      'housing.affordable_rental_units_per_year=0..60000',
      '--samples',
      '12',
      '--scale',
      '3000',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const samples = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n');
    expect(samples).toHaveLength(1 + 12);
    expect(samples[0]).toMatch(
      /^sample,run,param_set,hukou\.openness_county,housing\.affordable_rental_units_per_year,urbanization_rate\.shanxi\.2025,hukou_urbanization_rate\.shanxi\.2025/,
    );
    const sweep = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    const hukou = sweep.outcomes.find((o: { outcome: string }) => o.outcome === 'hukou_urbanization_rate.shanxi.2025');
    const src = Object.fromEntries(hukou.factors.map((f: { factor: string; index: { estimate: number } }) => [f.factor, f.index.estimate]));
    expect(src['hukou.openness_county']).toBeGreaterThan(0.5);
    expect(Math.abs(src['hukou.openness_county'])).toBeGreaterThan(3 * Math.abs(src['housing.affordable_rental_units_per_year']));
    expect(readFileSync(join(out, 'sensitivity.csv'), 'utf8')).toContain('hukou_urbanization_rate.shanxi.2025,hukou.openness_county,src,');
  });

  it('interrupted by SIGINT, then completed with sweep --resume, has the same files as an uninterrupted sweep', async () => {
    const dir = tempDir(),
      file = smallScenario(dir, { scale: 5000, endYear: 2021 });
    const args = (out: string) => ['sweep', file, '--vary', 'hukou.openness_county=0..1', '--samples', '8', '--out', out, '--workers', '1', '--quiet'];
    const out = join(dir, 'sw'),
      whole = join(dir, 'whole');
    const uninterrupted = cliAsync(args(whole));
    const { child, ended } = startCli(args(out));
    await until(() => storedIn(out) >= 1);
    child.kill('SIGINT');
    const r = await ended;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain(`complete it with: urbanize sweep --resume ${out}`);
    expect(storedIn(out)).toBeLessThan(8);
    expect(() => detect(out)).toThrow(`complete it with urbanize sweep --resume ${out}`);
    expect((await cliAsync(['sweep', '--resume', out, '--workers', '1', '--quiet'])).code).toBe(0);
    expect((await uninterrupted).code).toBe(0);
    expect(readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 8);
    expect(differingFiles(out, whole)).toEqual([]);
  });

  it('refuses a design too small to estimate its indices, with exit code 2, the minimum and no folder', () => {
    const dir = tempDir();
    const vary = ['--vary', 'hukou.openness_county=0..1', '--vary', 'housing.affordable_rental_units_per_year=0..60000'];
    const one = cli(['sweep', 'scenarios/shanxi-baseline.yaml', ...vary, '--samples', '1', '--out', join(dir, 'a')]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('--samples: a Latin-hypercube sweep of 2 factors needs at least 9 samples');
    expect(one.stderr).toContain('found 1');
    const sobol = cli(['sweep', 'scenarios/shanxi-baseline.yaml', ...vary, '--design', 'sobol', '--samples', '4', '--out', join(dir, 'b')]);
    expect(sobol.code).toBe(2);
    expect(sobol.stderr).toContain('a Sobol sweep of 2 factors needs at least 33 samples');
    expect(sobol.stderr).not.toContain('    at '); // no stack trace
    expect(existsSync(join(dir, 'a')) || existsSync(join(dir, 'b'))).toBe(false);
  });

  it('warns, with the reason, on a valid but noisy design, and prints R² on the console', () => {
    const dir = tempDir(),
      // The point values: with the posterior, every sample's run draws one set and the noise is another.
      file = smallScenario(dir, { scale: 5000, endYear: 2021, pointValues: true }),
      out = join(dir, 'sw');
    const r = cli([
      'sweep',
      file,
      '--vary',
      'hukou.openness_county=0..1',
      '--vary',
      'housing.affordable_rental_units_per_year=0..60000',
      '--samples',
      '9',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/urbanization_rate\.shanxi\.2021 \(R² of the linear model 0\.\d{3}\)/);
    const sweep = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    const kinds = sweep.warnings.map((w: { outcome: string; kind: string }) => `${w.outcome}|${w.kind}`);
    expect(kinds).toContain('urbanization_rate.shanxi.2021|low_r2');
    expect(kinds).toContain('urbanization_rate.shanxi.2021|wide_interval');
    expect(r.stdout).toMatch(/warning: R² = 0\.\d{3} is below 0\.7/);
    expect(r.stdout).toMatch(/warning: hukou\.openness_county: SRC .* is wider than 0\.5/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('is wider than 0.5');
  });

  it("rejects a factor that is neither a lever nor a parameter, and a range outside the lever's, with exit code 2", () => {
    const a = cli(['sweep', 'scenarios/shanxi-baseline.yaml', '--vary', 'hukou.opennes_county=0..1']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--vary');
    const b = cli(['sweep', 'scenarios/shanxi-baseline.yaml', '--vary', 'hukou.openness_county=0..2']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('within 0..1');
  });
});
