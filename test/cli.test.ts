import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers/cli.js';

/** A small variant of the baseline (coarse scale, short horizon) for CLI tests. */
function smallScenario(dir: string): string {
  const file = join(dir, 'small.yaml');
  writeFileSync(file, `extends: ${join(process.cwd(), 'scenarios/shanxi-baseline.yaml')}\nname: small\nscale: 2000\nruns: 2\ntime:\n  end_year: 2025\n`);
  return file;
}

describe('urbanize run', () => {
  it('writes manifest, runs, indicators, targets and summary, and prints the targets table', () => {
    const dir = tempDir(),
      out = join(dir, 'out');
    const r = cli(['run', smallScenario(dir), '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['flows.csv', 'indicators.csv', 'manifest.json', 'report.html', 'runs', 'runs.csv', 'summary.json', 'targets.csv']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.run_seeds).toHaveLength(2);
    expect(manifest.scenario.resolved.scale).toBe(2000);
    expect(readFileSync(join(out, 'runs.csv'), 'utf8').split('\n')[0]).toBe('run,param_set,metric,region,year,value');
    expect(readFileSync(join(out, 'indicators.csv'), 'utf8').split('\n')[0]).toBe(
      'metric,region,year,mean,sd,p05,p50,p95,discrepancy_sd,pred_p05,pred_p50,pred_p95',
    );
    expect(r.stdout).toContain('urbanization_rate');
    expect(r.stdout).toContain('P(met)');
  });

  it('refuses to overwrite an existing results folder without --force, and leaves it as it was', () => {
    const dir = tempDir(),
      out = join(dir, 'out');
    expect(cli(['run', smallScenario(dir), '--out', out, '--quiet', '--runs', '1']).code).toBe(0);
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    const again = cli(['run', smallScenario(dir), '--out', out, '--quiet', '--runs', '1', '--seed', '5']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(again.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(cli(['run', smallScenario(dir), '--out', out, '--quiet', '--runs', '1', '--seed', '5', '--force']).code).toBe(0);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).not.toBe(before);
  });

  it('rejects a bad flag value with exit code 2 and no stack trace', () => {
    const dir = tempDir();
    const r = cli(['run', smallScenario(dir), '--runs', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--runs must be a whole number');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a missing scenario file with exit code 2', () => {
    const r = cli(['run', 'no-such-file.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-file.yaml');
    expect(existsSync('results/small')).toBe(false);
  });
});

describe('urbanize validate', () => {
  it('accepts the baseline', () => {
    const r = cli(['validate', 'scenarios/shanxi-baseline.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok');
  });

  it('reports every problem of every file with file:line:column and field path, exit 2', () => {
    const dir = tempDir();
    const base = join(process.cwd(), 'scenarios/shanxi-baseline.yaml');
    const a = join(dir, 'a.yaml'),
      b = join(dir, 'b.yaml');
    writeFileSync(a, `extends: ${base}\nscale: -3\nseeed: 4\n`);
    writeFileSync(b, `extends: ${base}\nlevers:\n  hukou:\n    openness_county: 1.5\n`);
    const r = cli(['validate', a, b]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${a}:2:8: scale`);
    expect(r.stdout).toMatch(new RegExp(`${a}:3:1: seeed: unknown key`));
    expect(r.stdout).toContain(`${b}:4:22: levers.hukou.openness_county`);
  });

  it('reports cities that do not add up to the province', () => {
    const dir = tempDir();
    const f = join(dir, 'c.yaml');
    writeFileSync(
      f,
      `extends: ${join(process.cwd(), 'scenarios/shanxi-baseline.yaml')}\nworld:\n  province:\n    residents: { value: 35000000, source: "a typo" }\n`,
    );
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('world.province.residents');
    expect(r.stdout).toContain("the sum of the cities' residents");
  });
});
