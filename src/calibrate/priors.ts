/**
 * Priors of the calibration: a uniform range [lo, hi] with its reason for every behavioural
 * parameter of the scenario that is an estimate (`{ value, estimate }`), read from a priors file
 * (scenarios/targets/priors.yaml). An estimate that is not to be varied is listed under `fixed`
 * with its reason; an estimate in neither list, a path that is not an estimate of the scenario, or
 * a range the scenario's schema refuses is an error with file:line:column.
 */
import { z } from 'zod';
import { UserError, type Problem } from '../core/errors.js';
import { placeOf, readWithExtends, validateWith } from '../scenario/load.js';
import { behaviourLeaves, withParameters } from '../scenario/parameters.js';
import { crossCheck } from '../scenario/scenario.js';
import { Scenario } from '../scenario/schema.js';

const Range = z.strictObject({ lo: z.number(), hi: z.number(), reason: z.string().min(10) });

/** The priors file. */
export const PriorsFile = z.strictObject({
  parameters: z.record(z.string(), Range),
  fixed: z.record(z.string(), z.string().min(10)).default({}),
});

/** A parameter's prior: uniform on [lo, hi]; `value` is the scenario's own. */
export interface Prior {
  path: string;
  lo: number;
  hi: number;
  value: number;
  reason: string;
}

/** The scenario with behaviour parameters set (`sc` is not changed). */
export const withBehaviour = (sc: Scenario, paths: readonly string[], values: ArrayLike<number>): Scenario => withParameters(sc, paths, Array.from(values));

/** Reads the priors file and checks it against scenario `sc`; the priors in the order of the file. */
export function loadPriors(file: string, sc: Scenario): { priors: Prior[]; fixed: Record<string, string> } {
  const { data, chain } = readWithExtends(file);
  const spec = validateWith(PriorsFile, data, chain);
  const problems: Problem[] = [];
  const bad = (path: string[], expected: string, found: string) => {
    const at = placeOf(chain, path);
    problems.push({ code: 'invalid_prior', file: at.file ?? file, line: at.line, column: at.column, path: path.join('.'), expected, found });
  };
  const estimates = new Map(behaviourLeaves(sc.behaviour).flatMap((l) => (l.estimate ? [[l.path, l.value] as const] : [])));
  const priors: Prior[] = [];
  for (const [path, r] of Object.entries(spec.parameters)) {
    const value = estimates.get(path);
    if (value === undefined) {
      bad(['parameters', path], 'a behavioural parameter that is an estimate ({ value, estimate }) in the scenario', `"${path}"`);
      continue;
    }
    if (path in spec.fixed) bad(['fixed', path], 'a parameter either with a prior or fixed, not both', `"${path}" in both`);
    if (!(r.lo < r.hi)) {
      bad(['parameters', path, 'lo'], 'lo below hi', `${r.lo} .. ${r.hi}`);
      continue;
    }
    for (const end of ['lo', 'hi'] as const) {
      const probe = Scenario.safeParse(withBehaviour(sc, [path], [r[end]]));
      if (!probe.success) bad(['parameters', path, end], `a value the scenario accepts for ${path}`, `${r[end]}: ${probe.error.issues[0]?.message}`);
      else {
        // The screening runs each end with the other parameters at the scenario's values.
        const across = crossCheck(probe.data, []);
        if (across.length)
          bad(
            ['parameters', path, end],
            `a value the scenario accepts for ${path} with the others at its values`,
            `${r[end]}: ${across[0].expected}, found ${across[0].found}`,
          );
      }
    }
    priors.push({ path, lo: r.lo, hi: r.hi, value, reason: r.reason });
  }
  for (const path of Object.keys(spec.fixed))
    if (!estimates.has(path)) bad(['fixed', path], 'a behavioural parameter that is an estimate ({ value, estimate }) in the scenario', `"${path}"`);
  for (const path of estimates.keys())
    if (!(path in spec.parameters) && !(path in spec.fixed))
      bad(['parameters'], `a prior for ${path} (an estimate in the scenario), or an entry under fixed with the reason it is not varied`, 'none');
  if (problems.length) throw new UserError(problems);
  return { priors, fixed: spec.fixed };
}
