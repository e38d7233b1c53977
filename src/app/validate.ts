/**
 * Validating scenario files: every file (and the targets file each names) is checked and every
 * problem of every file reported at once.
 */
import { formatProblem, UserError } from '../core/errors.js';
import { loadTargets } from '../results/targets.js';
import { loadScenario } from '../scenario/scenario.js';
import type { Log } from './log.js';

/** Validates the files, logging `FILE: ok` or one line per problem; true when all are valid. */
export function validateFiles(files: string[], log: Log): boolean {
  let ok = true;
  for (const file of files) {
    try {
      const loaded = loadScenario(file);
      loadTargets(loaded.targetsFile);
      log(`${file}: ok`);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      ok = false;
      for (const p of err.problems) log(formatProblem(p));
    }
  }
  return ok;
}
