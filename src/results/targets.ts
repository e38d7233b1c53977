/**
 * The plan's targets: loading the targets file (validated like a scenario, every problem located)
 * and the model-discrepancy file it names (discrepancy.ts). Judging a simulated value against a
 * target is in attainment.ts and probability.ts (no zod: `verify` loads them).
 */
import { z } from 'zod';
import { UserError, type Problem } from '../core/errors.js';
import { METRICS, REGIONS } from '../engine/metrics.js';
import { locate, readWithExtends, validateWith } from '../scenario/load.js';
import { loadDiscrepancy } from './discrepancy.js';
import type { ModelDiscrepancy } from './probability.js';

const Target = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/),
  section: z.string().min(1),
  label: z.string().min(1),
  metric: z.string().regex(/^[a-z0-9_]+$/),
  region: z.string().min(1),
  year: z.number().int().min(2021).max(2050),
  comparator: z.enum(['>=', '>', '<=', '<', 'about']),
  value: z.number(),
  unit: z.string().min(1),
  tolerance: z.number().min(0).max(1).optional(),
  modelled: z.boolean(),
  baseline_2020: z.number().optional(),
  note: z.string().optional(),
});
/** One target of the plan. */
export type Target = z.infer<typeof Target>;

const TargetsFileSchema = z.strictObject({
  plan: z.string().min(1),
  source: z.string().min(1),
  /** The model-discrepancy file (discrepancy.ts), resolved against the targets file. */
  discrepancy: z.string().min(1).optional(),
  targets: z.array(Target).min(1),
});
/**
 * A targets file: the plan, its source and its targets, with the model-discrepancy file it names
 * loaded in (so that a results folder's manifest holds the numbers its P(met) used).
 */
export type TargetsFile = Omit<z.infer<typeof TargetsFileSchema>, 'discrepancy'> & { discrepancy?: ModelDiscrepancy };

/** Loads and checks a targets file: ids unique; a modelled target names a metric and region the model computes. */
export function loadTargets(file: string): TargetsFile {
  const { data, chain } = readWithExtends(file);
  const parsed = validateWith(TargetsFileSchema, data, chain);
  const problems: Problem[] = [];
  const metricIds = METRICS.map((m) => m.id as string),
    regionIds = REGIONS as readonly string[];
  const seen = new Set<string>();
  parsed.targets.forEach((t, i) => {
    const at = (field: string) => ({ file: chain[0].file, ...locate(chain[0], ['targets', i, field]), path: `targets[${i}].${field}` });
    if (seen.has(t.id)) problems.push({ code: 'duplicate', ...at('id'), expected: 'a unique target id', found: `"${t.id}" again` });
    seen.add(t.id);
    if (!t.modelled) return;
    if (!metricIds.includes(t.metric))
      problems.push({ code: 'unknown_metric', ...at('metric'), expected: `a metric the model computes (${metricIds.join(', ')})`, found: `"${t.metric}"` });
    if (!regionIds.includes(t.region))
      problems.push({ code: 'unknown_region', ...at('region'), expected: `one of ${regionIds.join(', ')}`, found: `"${t.region}"` });
    if (t.comparator === 'about' && t.tolerance === undefined)
      problems.push({ code: 'missing', ...at('comparator'), expected: 'a tolerance with comparator "about"', found: 'none' });
  });
  if (problems.length) throw new UserError(problems);
  if (parsed.discrepancy === undefined) return { ...parsed, discrepancy: undefined };
  const owner = chain.find((d) => locate(d, ['discrepancy'])) ?? chain[0];
  return { ...parsed, discrepancy: loadDiscrepancy(parsed.discrepancy, owner) };
}

export { gap, meets } from './attainment.js';
