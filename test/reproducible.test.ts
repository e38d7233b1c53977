/**
 * Derived files are the same bytes for the same runs: one quantile function without randomness,
 * three identical batches with identical folders, and `verify` that passes every time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyFolder } from '../src/app/verify.js';
import { quantiles } from '../src/core/stats.js';
import { cliAsync, tempDir } from './helpers/cli.js';

/** Every file under dir, by relative path, with its bytes. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('quantiles', () => {
  it('never read Math.random and give the same bits for any order of the same values', () => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random was called');
    });
    // Values a few ulps apart around the median: mathjs's quantileSeq returned 165.3,
    // 165.29999999999998 or 165.29999999999995 for them, depending on its random pivots.
    const values = [165.29999999999998, 165.3, 165.1, 165.5, 164.9, 165.30000000000001, 165.7, 165.29999999999995];
    const want = quantiles(values, [0.05, 0.5, 0.95]).map(String);
    for (let k = 0; k < 50; k++) {
      const shuffled = values
        .map((v, i) => [v, (i * 2654435761 + k * 40503) % 4294967296] as const)
        .sort((a, b) => a[1] - b[1])
        .map((x) => x[0]);
      expect(quantiles(shuffled, [0.05, 0.5, 0.95]).map(String)).toEqual(want);
    }
    expect(want).toEqual(['164.97', '165.3', '165.63']);
  });

  it('interpolate linearly between order statistics and leave their input unsorted', () => {
    const v = [4, 1, 3, 2];
    expect(quantiles(v, [0, 0.5, 1, 0.1])).toEqual([1, 2.5, 4, 1.3]);
    expect(v).toEqual([4, 1, 3, 2]);
    expect(quantiles([], [0.5])[0]).toBeNaN();
  });
});

describe('identical batches', () => {
  it('write identical files, byte for byte, and verify passes 20 times out of 20', async () => {
    const root = tempDir('urbanize-repro-');
    const dirs = ['a', 'b', 'c'].map((n) => join(root, n));
    for (const d of dirs) {
      const r = await cliAsync([
        'run',
        'scenarios/shanxi-baseline.yaml',
        '--runs',
        '6',
        '--scale',
        '6000',
        '--workers',
        '2',
        '--parquet',
        '--out',
        d,
        '--quiet',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const [a, b, c] = dirs.map(files);
    expect([...a.keys()]).toEqual(
      expect.arrayContaining([
        'indicators.csv',
        'targets.csv',
        'runs.csv',
        'flows.csv',
        'summary.json',
        'runs.parquet',
        'flows.parquet',
        'report.html',
        'manifest.json',
      ]),
    );
    for (const other of [b, c]) {
      expect([...other.keys()]).toEqual([...a.keys()]);
      for (const [name, bytes] of a) {
        expect(other.get(name)!.equals(bytes), name).toBe(true);
      }
    }
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) codes.push(await verifyFolder(dirs[0], () => {}));
    expect(codes).toEqual(Array(20).fill(0));
  });
});
