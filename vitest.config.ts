import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Three projects, all run by `npm test`:
 * - unit: modules in-process (rules, loader, statistics, the fuzz test); no child processes.
 * - e2e: the built CLI in child processes and batches on worker threads (run, compare, sweep,
 *   merge, verify, report with its browser test, interruptions, bad input).
 * - system: the README's commands in a fresh copy of the repository, and a one-node Slurm cluster.
 * Each file of e2e and system names itself below; everything else under test/ is unit.
 */
const E2E = ['batch', 'cli', 'compare', 'errors', 'interrupt', 'limits', 'report', 'reproducible', 'shards', 'sweep', 'verify'];
const SYSTEM = ['readme', 'slurm'];
const files = (names: string[]) => names.map((n) => `test/${n}.test.ts`);

/** The longest files, longest first: measured 81 s, 57 s, 41 s, 36 s, 36 s in a fresh clone. */
const LONGEST = ['readme', 'report', 'slurm', 'shards', 'batch'];

/**
 * Vitest orders files by project name first (e2e, system, unit), so the system project's long
 * files started last on a fresh clone (no timing cache) and ran alone at the end: the longest
 * files go first here, then vitest's own order.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const k = LONGEST.findIndex((n) => f.moduleId.endsWith(`/test/${n}.test.ts`));
      return k < 0 ? LONGEST.length : k;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two test files at a time on a 2-core machine: most e2e time is spent waiting on child processes.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...files(E2E), ...files(SYSTEM)] } },
      { extends: true, test: { name: 'e2e', include: files(E2E) } },
      { extends: true, test: { name: 'system', include: files(SYSTEM) } },
    ],
  },
});
