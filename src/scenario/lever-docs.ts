/**
 * The lever tables of docs/scenarios.md §4, made from the registry (levers.ts) and the baseline values
 * of scenarios/shanxi-2020.yaml. Each group's table sits between `<!-- levers:begin GROUP -->` and
 * `<!-- levers:end -->`; `node scripts/lever-table.mjs --write` rewrites them and
 * test/lever-docs.test.ts fails when they differ.
 */

import { parseDocument } from 'yaml';
import { LEVER_LIST, LEVERS, type LeverGroup } from './levers.js';

/** The command that rewrites the tables. */
export const LEVER_TABLE_COMMAND = 'npm run build --silent && node scripts/lever-table.mjs --write';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** 1e7 as 10⁷ (powers of ten from 10⁵), other numbers as they are. */
function num(x: number): string {
  const e = Math.log10(x);
  return x >= 1e5 && Number.isInteger(e) ? `10${[...String(e)].map((d) => SUPERSCRIPT[Number(d)]).join('')}` : String(x);
}

/** A lever's range as the tables write it: `switch`, `0–20`, `0–10⁷`, `−0.5 to 0.5`. */
function rangeText(def: { min: number; max: number; boolean?: boolean }): string {
  if (def.boolean) return 'switch';
  if (def.min < 0) return `−${num(-def.min)} to ${num(def.max)}`;
  return `${num(def.min)}–${num(def.max)}`;
}

/** The markdown table of each lever group, with the baseline values read from `baselineYaml` as written there. */
export function leverTables(baselineYaml: string): Record<LeverGroup, string> {
  const doc = parseDocument(baselineYaml);
  const rows = Object.fromEntries(
    Object.keys(LEVERS).map((g) => [g, ['| path | unit | range | baseline | meaning | plan | rule and equation |', '|---|---|---|---|---|---|---|']]),
  ) as Record<LeverGroup, string[]>;
  for (const { path, def } of LEVER_LIST) {
    const [group, name] = path.split('.') as [LeverGroup, string];
    const node = doc.getIn(['levers', group, name], true) as { range?: [number, number] } | undefined;
    if (!node?.range) throw new Error(`lever ${path}: no baseline value under levers.${path} in the baseline file`);
    const baseline = baselineYaml.slice(node.range[0], node.range[1]);
    rows[group].push(`| \`${path}\` | ${[def.unit, rangeText(def), baseline, def.meaning, def.plan, def.enters].join(' | ')} |`);
  }
  return Object.fromEntries(Object.entries(rows).map(([g, r]) => [g, r.join('\n')])) as Record<LeverGroup, string>;
}

/** `markdown` with each group's table between its markers replaced by the generated one. */
export function withLeverTables(markdown: string, baselineYaml: string): string {
  const tables = leverTables(baselineYaml);
  const seen = new Set<string>();
  const out = markdown.replace(/<!-- levers:begin ([a-z_]+) -->\n[\s\S]*?<!-- levers:end -->/g, (_, group: string) => {
    if (!(group in tables)) throw new Error(`<!-- levers:begin ${group} -->: no lever group ${group} in the registry`);
    seen.add(group);
    return `<!-- levers:begin ${group} -->\n${tables[group as LeverGroup]}\n<!-- levers:end -->`;
  });
  const missing = Object.keys(tables).filter((g) => !seen.has(g));
  if (missing.length) throw new Error(`no <!-- levers:begin GROUP --> ... <!-- levers:end --> markers for lever group(s) ${missing.join(', ')}`);
  return out;
}
