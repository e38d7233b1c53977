/**
 * `urbanize validate FILE...`: checks every file (and the targets file each names) and reports
 * every problem at once; returns false if any file is invalid.
 */
import { formatProblem, UserError } from '../core/errors.js';
import { loadTargets } from '../results/targets.js';
import { loadScenario } from '../scenario/scenario.js';

/** Validates the files, printing one line per problem; true when all are valid. */
export function validateCommand(files: string[], log: (s: string) => void): boolean {
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
