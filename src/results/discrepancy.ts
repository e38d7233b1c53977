/**
 * Loading the model-discrepancy file a targets file names (`discrepancy: FILE`, resolved against
 * the targets file): validated like a scenario, every problem located. What the numbers mean and
 * how P(met) uses them: probability.ts; how they were estimated: the file itself and
 * docs/validation.md.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { UserError, type Problem } from '../core/errors.js';
import { METRICS, REGIONS } from '../engine/metrics.js';
import { locate, readWithExtends, validateWith, type SourceDoc } from '../scenario/load.js';
import type { ModelDiscrepancy } from './probability.js';

const Estimated = z.strictObject({ value: z.number().min(0), estimate: z.string().min(3) });

const DiscrepancyFile = z.strictObject({
  horizon_from: z.number().int().min(2000).max(2100),
  series: z.array(
    z.strictObject({
      metric: z.string().min(1),
      region: z.string().min(1),
      unit: z.string().min(1),
      sd0: Estimated,
      sd1: Estimated,
    }),
  ),
  no_history: z.array(z.strictObject({ metric: z.string().min(1), region: z.string().min(1), why: z.string().min(3) })).default([]),
});

/** Why `file` cannot be read as a file, or undefined when it can be. */
function unreadable(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? undefined : 'it is not a file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : (err as Error).message;
  }
}

/**
 * Loads the discrepancy file `name` that `owner` (the targets file) names at its `discrepancy`
 * key: a missing file is reported there; each series must name a metric and region the model
 * computes, once.
 */
export function loadDiscrepancy(name: string, owner: SourceDoc): ModelDiscrepancy {
  const file = resolve(dirname(owner.file), name);
  const why = unreadable(file);
  if (why)
    throw new UserError([
      {
        code: 'file',
        file: owner.file,
        ...locate(owner, ['discrepancy']),
        path: 'discrepancy',
        message: `cannot read the discrepancy file ${file}: ${why}`,
        expected: 'a discrepancy file (resolved against the targets file)',
        found: `"${name}"`,
      },
    ]);
  const { data, chain } = readWithExtends(file);
  const parsed = validateWith(DiscrepancyFile, data, chain);
  const problems: Problem[] = [];
  const metricIds = METRICS.map((m) => m.id as string),
    regionIds = REGIONS as readonly string[];
  const seen = new Set<string>();
  const check = (list: 'series' | 'no_history', i: number, metric: string, region: string) => {
    const at = (field: string) => ({ file: chain[0].file, ...locate(chain[0], [list, i, field]), path: `${list}[${i}].${field}` });
    if (!metricIds.includes(metric)) problems.push({ code: 'unknown_metric', ...at('metric'), expected: 'a metric the model computes', found: `"${metric}"` });
    if (!regionIds.includes(region))
      problems.push({ code: 'unknown_region', ...at('region'), expected: `one of ${regionIds.join(', ')}`, found: `"${region}"` });
    if (seen.has(`${metric}|${region}`))
      problems.push({ code: 'duplicate', ...at('metric'), expected: 'each metric and region once in the file', found: `${metric} ${region} again` });
    seen.add(`${metric}|${region}`);
  };
  parsed.series.forEach((s, i) => check('series', i, s.metric, s.region));
  parsed.no_history.forEach((s, i) => check('no_history', i, s.metric, s.region));
  if (problems.length) throw new UserError(problems);
  return { file: name, ...parsed };
}
