/**
 * Behavioural parameters by path: the one definition of how a dotted path under the scenario's
 * `behaviour` mapping (`migration.beta_income`, `demography.fertility_index_by_year.2021`) names a
 * `{ value, source | estimate }` figure, used by `sweep --vary behaviour.PATH`, by the calibration
 * (its priors and the columns of the posterior files it writes) and by whatever applies a
 * posterior to a scenario.
 */
import { isRecord } from './issues.js';

/** A behavioural figure: its dotted path under `behaviour`, its value and its provenance. */
export interface BehaviourLeaf {
  path: string;
  value: number;
  /** How the value was made (an estimate), or undefined when it was read from data. */
  estimate?: string;
  source?: string;
}

/** Every `{ value, ... }` figure under `behaviour`, in document order. */
export function behaviourLeaves(behaviour: unknown): BehaviourLeaf[] {
  const out: BehaviourLeaf[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!isRecord(node)) return;
    if (typeof node.value === 'number') {
      out.push({
        path: path.join('.'),
        value: node.value,
        estimate: typeof node.estimate === 'string' ? node.estimate : undefined,
        source: typeof node.source === 'string' ? node.source : undefined,
      });
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(behaviour, []);
  return out;
}

/** The figure at `path` under `behaviour` (an object with a numeric `value`), or undefined. */
export function behaviourFigure(behaviour: unknown, path: string): { value: number } | undefined {
  let node: unknown = behaviour;
  for (const k of path.split('.')) node = isRecord(node) ? node[k] : undefined;
  return isRecord(node) && typeof node.value === 'number' ? (node as { value: number }) : undefined;
}

/** Sets the value of the figure at `path` under `behaviour` (in place); throws if there is none. */
export function setBehaviourValue(behaviour: unknown, path: string, value: number): void {
  const fig = behaviourFigure(behaviour, path);
  if (!fig) throw new Error(`no behavioural figure at ${path}`);
  fig.value = value;
}
