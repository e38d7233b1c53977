/**
 * Behaviour parameters by path, one definition for every command that sets them from outside the
 * scenario file: a sweep's behavioural factors (`behaviour.migration.beta_income`) and a
 * posterior's columns (`migration.beta_income`, the path under `behaviour`), and the calibration's
 * priors (every figure that is an estimate). A parameter is a
 * figure with its provenance (`{ value, source | estimate }`) or a plain number; setting it
 * replaces the value and keeps the provenance. No zod and no I/O here: batch workers import it.
 */
import type { Scenario } from './schema.js';

/** A behaviour parameter as the scenario holds it. */
export type ParameterNode = number | { value: number; source?: string; estimate?: string };

/** The parameter sets of a posterior as a batch needs them (what workers receive). */
export interface ParameterSets {
  /** Paths under `behaviour`, dotted, in the file's column order. */
  parameters: string[];
  /** The weight of each set (>= 0, positive sum). */
  weights: number[];
  /** `sets[k][j]`: the value of parameter j in set k. */
  sets: number[][];
}

/** The node at dotted `path` under the scenario's `behaviour`, when it is a behaviour parameter (a number, or a figure with a numeric value). */
export function behaviourParameter(sc: Scenario, path: string): ParameterNode | undefined {
  let node: unknown = sc.behaviour;
  for (const k of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, k)) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  if (typeof node === 'number') return node;
  if (node !== null && typeof node === 'object' && typeof (node as { value?: unknown }).value === 'number') return node as ParameterNode;
  return undefined;
}

/** A behavioural figure: its dotted path under `behaviour`, its value and its provenance. */
export interface BehaviourLeaf {
  path: string;
  value: number;
  /** How the value was made (an estimate), or undefined when it was read from data. */
  estimate?: string;
  source?: string;
}

const isMapping = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Every `{ value, ... }` figure under `behaviour`, in document order. */
export function behaviourLeaves(behaviour: unknown): BehaviourLeaf[] {
  const out: BehaviourLeaf[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!isMapping(node)) return;
    if (typeof node.value === 'number') {
      const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
      out.push({ path: path.join('.'), value: node.value, estimate: str(node.estimate), source: str(node.source) });
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(behaviour, []);
  return out;
}

/**
 * `root` with the parameter at `path` (keys from the root) set to `v`: copies only the mappings
 * on the way (the rest is shared with `root`), keeps a figure's provenance.
 */
function setAt<T>(root: T, path: readonly string[], v: number, i = 0): T {
  const node = root as Record<string, unknown>;
  const k = path[i];
  const cur = node[k];
  const next = i === path.length - 1 ? (typeof cur === 'number' ? v : { ...(cur as object), value: v }) : setAt(cur, path, v, i + 1);
  return { ...node, [k]: next } as T;
}

/** The scenario with the behaviour parameters at `paths` (dotted, under `behaviour`) set to `values`; `sc` is not changed. */
export function withParameters(sc: Scenario, paths: readonly string[], values: readonly number[]): Scenario {
  let out = sc;
  paths.forEach((p, j) => (out = setAt(out, ['behaviour', ...p.split('.')], values[j])));
  return out;
}

/** The scenario of parameter set `k` of a posterior. */
export const withParameterSet = (sc: Scenario, ps: ParameterSets, k: number): Scenario => withParameters(sc, ps.parameters, ps.sets[k]);
