import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxResultRuns } from '../src/engine/memory.js';
import { MAX_RUNS, Scenario } from '../src/scenario/schema.js';
import { cliAsync, tempDir } from './helpers/cli.js';
import { baseline, BASELINE } from './helpers/scenario.js';

/** Runs `urbanize ARGS` in a fresh folder's `out`; the result and whether `out` was created. */
async function refused(args: string[]) {
  const out = join(tempDir(), 'out');
  const r = await cliAsync([...args, '--out', out]);
  return { ...r, created: existsSync(out) };
}

describe('the runs limit', () => {
  it('is one constant for the scenario and the flags: 100,000 runs', () => {
    expect(MAX_RUNS).toBe(100000);
  });

  it('refuses --runs above it on every command, with exit 2, one line naming the flag, the limit and the value, and no folder', async () => {
    const vary = ['--vary', 'hukou.openness_county=0..1'];
    const commands = [['run', BASELINE], ['compare', BASELINE, BASELINE], ['sweep', BASELINE, ...vary], ['calibrate', BASELINE], ['validate-model']];
    const results = await Promise.all(commands.map((c) => refused([...c, '--runs', '1000000000'])));
    results.forEach((r, k) => {
      expect(r.code, commands[k][0]).toBe(2);
      expect(r.stderr).toBe("error: --runs: expected at most 100000 (the limit of a batch, as for the scenario's runs), found 1000000000\n");
      expect(r.created).toBe(false);
    });
  });

  it('refuses a sweep whose samples x runs (x (factors + 2) for Sobol) exceed it', async () => {
    const vary = ['--vary', 'hukou.openness_county=0..1'];
    const [lhs, sobol] = await Promise.all([
      refused(['sweep', BASELINE, ...vary, '--samples', '5000', '--runs', '30']),
      refused(['sweep', BASELINE, ...vary, '--design', 'sobol', '--samples', '40000']),
    ]);
    expect(lhs.code).toBe(2);
    expect(lhs.stderr).toBe('error: --samples: expected a sweep of at most 100000 runs in all (--samples x --runs), found 5000 x 30 = 150000\n');
    expect(sobol.code).toBe(2);
    expect(sobol.stderr).toContain('found 40000 x 3 x 1 = 120000');
    expect(lhs.created || sobol.created).toBe(false);
  });

  it("bounds a scenario's runs as it bounds the flag", () => {
    expect(Scenario.safeParse({ ...baseline(), runs: MAX_RUNS }).success).toBe(true);
    const r = Scenario.safeParse({ ...baseline(), runs: MAX_RUNS + 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['runs']);
  });
});

describe('a batch whose results would not fit', () => {
  it('is refused before anything is allocated: exit 2, naming --runs and how many fit', async () => {
    const r = await refused(['run', BASELINE, '--runs', String(MAX_RUNS)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: --runs: the results of 100000 runs to 2025 \(\d+ values each\) would not fit in the one process that summarizes them \(expected at most \d+ runs to 2025, found 100000\)\n$/,
    );
    expect(r.created).toBe(false);
  });

  it('means about 2,600 runs to 2025 with a 4 GB heap (values and flows), half as many with half of it, and no more than runs.csv holds in one string', () => {
    const sc = baseline(),
      GiB = 2 ** 30;
    const at4 = maxResultRuns(sc, 4 * GiB);
    expect(at4).toBeGreaterThan(2300);
    expect(at4).toBeLessThan(2900);
    expect(Math.abs(2 * maxResultRuns(sc, 2 * GiB) - at4)).toBeLessThanOrEqual(2);
    expect(maxResultRuns(sc, 64 * GiB)).toBeLessThan(4500);
    expect(maxResultRuns({ ...sc, time: { ...sc.time, end_year: 2021 } }, 4 * GiB)).toBeGreaterThan(8500);
  });
});
