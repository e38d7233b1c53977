import { describe, expect, it } from 'vitest';
import { CITY_IDS } from '../src/scenario/schema.js';
import { loadTargets, meets } from '../src/results/targets.js';

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
