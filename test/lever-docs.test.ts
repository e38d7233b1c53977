/**
 * The lever tables of docs/scenarios.md §4 are made from the registry (src/scenario/levers.ts) and the
 * baseline values of scenarios/shanxi-2020.yaml: this fails when the doc differs from what they give.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEVER_TABLE_COMMAND, leverTables, withLeverTables } from '../src/scenario/lever-docs.js';
import { LEVER_LIST } from '../src/scenario/levers.js';

const doc = readFileSync('docs/scenarios.md', 'utf8');
const baseline = readFileSync('scenarios/shanxi-2020.yaml', 'utf8');

describe('docs/scenarios.md lever tables', () => {
  it('are the ones the registry generates', () => {
    expect(doc, `docs/scenarios.md's lever tables differ from the registry: run \`${LEVER_TABLE_COMMAND}\``).toBe(withLeverTables(doc, baseline));
  });

  it('have one row per lever of the registry, with its baseline value', () => {
    const rows = Object.values(leverTables(baseline)).flatMap((t) => t.split('\n').slice(2));
    expect(rows.map((r) => /^\| `([a-z_.0-9]+)`/.exec(r)?.[1])).toEqual(LEVER_LIST.map((l) => l.path));
    expect(rows[0]).toContain('| `hukou.openness_taiyuan` | share of full openness, 0-1 | 0–1 | 0.8 |');
  });

  it('fail on missing markers', () => {
    expect(() => withLeverTables(doc.replace('<!-- levers:begin rural -->', ''), baseline)).toThrow(/rural/);
  });
});
