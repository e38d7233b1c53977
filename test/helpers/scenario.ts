/** Shared helpers: the baseline scenario, coarsened for fast tests. */
import { loadScenario } from '../../src/scenario/scenario.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { prepare, type Prepared } from '../../src/engine/setup.js';

export const BASELINE = 'scenarios/shanxi-baseline.yaml';

/** The baseline scenario with some top-level fields changed (a fresh copy each call). */
export function baseline(changes: Partial<Pick<Scenario, 'scale' | 'runs' | 'seed'>> & { endYear?: number } = {}): Scenario {
  const sc = structuredClone(loadScenario(BASELINE).scenario);
  if (changes.scale !== undefined) sc.scale = changes.scale;
  if (changes.runs !== undefined) sc.runs = changes.runs;
  if (changes.seed !== undefined) sc.seed = changes.seed;
  if (changes.endYear !== undefined) sc.time.end_year = changes.endYear;
  return sc;
}

const cache = new Map<string, Prepared>();
/** A prepared baseline world, cached per key of changes (runs clone it, so sharing is safe). */
export function preparedBaseline(changes: Parameters<typeof baseline>[0] = {}): Prepared {
  const key = JSON.stringify(changes);
  let p = cache.get(key);
  if (!p) cache.set(key, (p = prepare(baseline(changes))));
  return p;
}
