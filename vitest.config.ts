import { defineConfig } from 'vitest/config';

/**
 * Three projects, all run by `npm test`:
 * - unit: modules in-process (rules, loader, statistics, the fuzz test); no child processes.
 * - e2e: the built CLI in child processes and batches on worker threads (run, compare, sweep,
 *   merge, verify, report with its browser test, interruptions, bad input).
 * - system: the README's commands in a fresh copy of the repository, and a one-node Slurm cluster.
 * Each file of e2e and system names itself below; everything else under test/ is unit.
 */
const E2E = [
  'backtest-cli',
  'batch',
  'cli',
  'compare',
  'errors',
  'flows-cli',
  'interrupt',
  'limits',
  'posterior',
  'posterior-errors',
  'reach-cli',
  'report',
  'reproducible',
  'shards',
  'sweep',
  'verify',
];
const SYSTEM = ['readme', 'slurm'];
const files = (names: string[]) => names.map((n) => `test/${n}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two test files at a time on a 2-core machine: most e2e time is spent waiting on child processes.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...files(E2E), ...files(SYSTEM)] } },
      { extends: true, test: { name: 'e2e', include: files(E2E) } },
      { extends: true, test: { name: 'system', include: files(SYSTEM) } },
    ],
  },
});
