import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/report/data.js';
import { paired } from '../src/results/compare.js';
import { smallScenario } from './helpers/batch.js';
import { cli, cliAsync, tempDir } from './helpers/cli.js';
import { differingFiles, startCli, storedIn, until } from './helpers/signal.js';

const rowsOf = (file: string) => {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
};

describe('urbanize compare', () => {
  it('runs base and variant on the same seeds; common random numbers shrink the standard error of the difference', () => {
    const dir = tempDir(),
      out = join(dir, 'cmp');
    const r = cli([
      'compare',
      'scenarios/shanxi-baseline.yaml',
      'scenarios/variants/housing-push.yaml',
      '--runs',
      '6',
      '--scale',
      '2000',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('housing-push vs shanxi-baseline');
    const seeds = (name: string) => JSON.parse(readFileSync(join(out, name, 'manifest.json'), 'utf8')).run_seeds;
    expect(seeds('housing-push')).toEqual(seeds('shanxi-baseline'));
    const row = rowsOf(join(out, 'compare.csv')).find((x) => x.metric === 'urbanization_rate' && x.region === 'shanxi' && x.year === '2025')!;
    expect(Number(row.diff_mean)).toBeGreaterThan(0);
    expect(Number(row.se_crn)).toBeLessThan(Number(row.se_independent));
    const t = rowsOf(join(out, 'compare_targets.csv'));
    expect(t.length).toBeGreaterThan(15);
    for (const x of t) {
      expect(Number(x.p_better)).toBeGreaterThanOrEqual(0);
      // The change in P(met) lies inside its paired 90% interval.
      expect(Number(x.diff_p_met_lo)).toBeLessThanOrEqual(Number(x.diff_p_met));
      expect(Number(x.diff_p_met_hi)).toBeGreaterThanOrEqual(Number(x.diff_p_met));
      expect(['included', 'without discrepancy']).toContain(x.discrepancy);
    }
    const u = t.find((x) => x.target === 'urbanization_rate_shanxi')!;
    expect(u.discrepancy).toBe('included');
    expect(r.stdout).toContain('ΔP(met) (90%)');
    // Robustness: every scenario's share of runs and P(met) per target, the regret run by run (a run id on every row), the ranking.
    const runIds = seeds('shanxi-baseline').map((s: { run: number }) => String(s.run));
    const regret = rowsOf(join(out, 'compare_regret.csv'));
    expect(regret.length).toBeGreaterThan(2 * 6 * 15);
    for (const x of regret) {
      expect(runIds).toContain(x.run);
      expect(Number(x.regret)).toBeCloseTo(Number(x.best) - Number(x.value), 12);
      expect(Number(x.regret)).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(regret.map((x) => x.run)).size).toBe(6);
    expect(regret.filter((x) => x.measure === 'targets_met')).toHaveLength(2 * 6);
    const robust = rowsOf(join(out, 'compare_robustness.csv'));
    expect(new Set(robust.map((x) => x.variant))).toEqual(new Set(['shanxi-baseline', 'housing-push']));
    const base = robust.find((x) => x.variant === 'housing-push' && x.target === 'urbanization_rate_shanxi')!;
    expect(Number(base.p_met)).toBeCloseTo(Number(u.variant_p_met), 12);
    const ranking = rowsOf(join(out, 'compare_ranking.csv'));
    expect(new Set(ranking.map((x) => x.measure)).size).toBeGreaterThanOrEqual(2);
    for (const x of ranking) expect(['1', '2']).toContain(x.rank);
    expect(r.stdout).toContain('robustness over 6 common runs');
    expect(r.stdout).toMatch(/the measures agree|disagree, /);
  });

  it('compares a scenario with an identical copy as zero difference with zero standard error', () => {
    const dir = tempDir(),
      out = join(dir, 'cmp');
    const copy = join(dir, 'copy.yaml');
    writeFileSync(copy, `extends: ${join(process.cwd(), 'scenarios/shanxi-baseline.yaml')}\nname: copy\n`);
    expect(cli(['compare', 'scenarios/shanxi-baseline.yaml', copy, '--runs', '3', '--scale', '3000', '--out', out, '--quiet']).code).toBe(0);
    for (const x of rowsOf(join(out, 'compare.csv'))) {
      expect(Number(x.diff_mean)).toBe(0);
      expect(Number(x.se_crn)).toBe(0);
    }
    const targets = rowsOf(join(out, 'compare_targets.csv'));
    expect(targets.length).toBeGreaterThan(15);
    for (const x of targets) expect([x.diff_p_met, x.diff_p_met_lo, x.diff_p_met_hi].map(Number)).toEqual([0, 0, 0]);
  });

  it('interrupted by SIGTERM, then completed with compare --resume, has the same files as an uninterrupted compare', async () => {
    const dir = tempDir(),
      base = smallScenario(dir, { scale: 5000, runs: 3, endYear: 2021 });
    const variant = join(dir, 'open.yaml');
    writeFileSync(variant, `extends: small.yaml\nname: open\nlevers:\n  hukou:\n    openness_county: 1\n`);
    const out = join(dir, 'cmp'),
      whole = join(dir, 'whole');
    const uninterrupted = cliAsync(['compare', base, variant, '--out', whole, '--workers', '1', '--quiet']);
    const { child, ended } = startCli(['compare', base, variant, '--out', out, '--workers', '1', '--quiet']);
    await until(() => storedIn(join(out, 'small')) >= 1);
    child.kill('SIGTERM');
    const r = await ended;
    expect(r.code).toBe(143);
    expect(r.stdout).toContain(`complete it with: urbanize compare --resume ${out}`);
    expect(() => detect(out)).toThrow(
      `the compare in this folder is not complete (it was interrupted, or is still running): complete it with urbanize compare --resume ${out}`,
    );
    expect((await cliAsync(['compare', '--resume', out, '--workers', '1', '--quiet'])).code).toBe(0);
    expect((await uninterrupted).code).toBe(0);
    expect(readFileSync(join(out, 'compare.csv'), 'utf8').length).toBeGreaterThan(1000);
    expect(differingFiles(out, whole)).toEqual([]);
  });

  it('refuses fewer than two scenarios', () => {
    const r = cli(['compare', 'scenarios/shanxi-baseline.yaml']);
    expect(r.code).toBe(2);
  });
});

describe('paired statistics', () => {
  it('give the mean difference, the share of runs where the variant is better, and both standard errors', () => {
    const base = [1, 2, 3, 4],
      variant = [1.5, 2.5, 3.4, 4.6];
    const p = paired(base, variant, (v, b) => v > b);
    expect(p.diffMean).toBeCloseTo(0.5, 12);
    expect(p.pBeats).toBe(1);
    expect(p.seCrn).toBeCloseTo(Math.sqrt((0 ** 2 + 0 ** 2 + 0.1 ** 2 + 0.1 ** 2) / 3 / 4), 12);
    expect(p.seIndependent).toBeGreaterThan(10 * p.seCrn);
  });
});
