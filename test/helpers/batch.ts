/** Helpers for batch tests: a small scenario file and reading a folder's manifest. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a variant of the baseline at a coarse scale into `dir` and returns its path. */
export function smallScenario(dir: string, opts: { scale?: number; runs?: number; endYear?: number; name?: string; pointValues?: boolean } = {}): string {
  const file = join(dir, `${opts.name ?? 'small'}.yaml`);
  const base = join(process.cwd(), 'scenarios/shanxi-baseline.yaml');
  writeFileSync(
    file,
    `extends: ${base}\nname: ${opts.name ?? 'small'}\n${opts.pointValues ? 'posterior: null\n' : ''}scale: ${opts.scale ?? 2000}\nruns: ${opts.runs ?? 6}\ntime:\n  end_year: ${opts.endYear ?? 2025}\n`,
  );
  return file;
}

/** The parsed manifest.json of a results folder. */
export function manifestOf(dir: string): { digest: string | null; status: string; failed: { run: number; seed: number; error: string }[]; run_ids: number[] } {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
}
