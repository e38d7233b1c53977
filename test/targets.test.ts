import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, UserError } from '../src/core/errors.js';
import { CITY_IDS } from '../src/scenario/schema.js';
import { loadTargets, meets } from '../src/results/targets.js';
import { tempDir } from './helpers/cli.js';

describe("the plan's targets", () => {
  const t = loadTargets('scenarios/targets/plan-2025.yaml').targets;

  it('include every city of 专栏2 with its 2025 urbanization rate, modelled', () => {
    for (const id of CITY_IDS) {
      const row = t.find((x) => x.section.startsWith('专栏2') && x.region === id);
      expect(row?.metric, id).toBe('urbanization_rate');
      expect(row?.modelled).toBe(true);
    }
  });

  it('include all eight rows of 专栏1', () => {
    for (let k = 1; k <= 8; k++)
      expect(
        t.some((x) => x.section === `专栏1 row ${k}`),
        `row ${k}`,
      ).toBe(true);
  });

  it('include the 68% urbanization target and the 2.3 income ratio', () => {
    expect(t.find((x) => x.id === 'urbanization_rate_shanxi')).toMatchObject({ comparator: '>=', value: 68, year: 2025 });
    expect(t.find((x) => x.metric === 'urban_rural_income_ratio')).toMatchObject({ comparator: '<=', value: 2.3 });
  });

  it('judge values by their comparator', () => {
    expect(meets({ comparator: '>=', value: 68 }, 68)).toBe(true);
    expect(meets({ comparator: '>=', value: 68 }, 67.99)).toBe(false);
    expect(meets({ comparator: '<', value: 5.5 }, 5.5)).toBe(false);
    expect(meets({ comparator: 'about', value: 5e6, tolerance: 0.1 }, 4.6e6)).toBe(true);
    expect(meets({ comparator: 'about', value: 5e6, tolerance: 0.1 }, 4.4e6)).toBe(false);
  });
});

describe('the model-discrepancy file the targets file names', () => {
  it('is loaded into the targets, each sd with how it was estimated', () => {
    const d = loadTargets('scenarios/targets/plan-2025.yaml').discrepancy!;
    expect(d.file).toBe('discrepancy.yaml');
    const u = d.series.find((s) => s.metric === 'urbanization_rate' && s.region === 'shanxi')!;
    expect(u.sd1.value).toBeGreaterThan(0);
    expect(u.sd1.estimate).toContain('scripts/discrepancy.mjs');
    expect(d.no_history.some((s) => s.metric === 'urban_unemployment_rate')).toBe(true);
  });

  /** The problems of loading a targets file that names `discrepancy` with text `body` (undefined: no such file). */
  const problems = (body: string | undefined): string[] => {
    const dir = tempDir('urbanize-disc-');
    const targets = join(dir, 'targets.yaml');
    writeFileSync(
      targets,
      'plan: p\nsource: s\ndiscrepancy: d.yaml\ntargets:\n  - { id: a, section: s, label: l, metric: urbanization_rate, region: shanxi, year: 2025, comparator: ">=", value: 68, unit: "%", modelled: true }\n',
    );
    if (body !== undefined) writeFileSync(join(dir, 'd.yaml'), body);
    try {
      loadTargets(targets);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return (e as UserError).problems.map(formatProblem);
    }
    return [];
  };

  it("refuses a missing file at the targets file's discrepancy key, and an unknown metric or region, a negative sd, a missing estimate at theirs", () => {
    const [missing] = problems(undefined);
    expect(missing).toMatch(/targets\.yaml:3:\d+/);
    expect(missing).toContain('cannot read the discrepancy file');
    const bad = problems(
      'horizon_from: 2020\nseries:\n  - { metric: urbanisation, region: shanxi, unit: "%", sd0: { value: 0, estimate: "none" }, sd1: { value: 0.4, estimate: "test" } }\n  - { metric: urbanization_rate, region: mars, unit: "%", sd0: { value: 0, estimate: "none" }, sd1: { value: 0.4, estimate: "test" } }\n',
    );
    expect(bad.join('\n')).toMatch(/d\.yaml:3:\d+.*series\[0\]\.metric/);
    expect(bad.join('\n')).toMatch(/d\.yaml:4:\d+.*series\[1\]\.region/);
    const invalid = problems(
      'horizon_from: 2020\nseries:\n  - { metric: urbanization_rate, region: shanxi, unit: "%", sd0: { value: -1, estimate: "none" }, sd1: { value: 0.4 } }\n',
    );
    expect(invalid.join('\n')).toContain('series[0].sd0.value');
    expect(invalid.join('\n')).toContain('series[0].sd1.estimate');
  });
});
