import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { estimate } from '../scripts/estimate-city-urban.mjs';
import { baseline } from './helpers/scenario.js';

describe('estimated figures of the baseline', () => {
  const sc = baseline();

  it('are the output of scripts/estimate-city-urban.mjs for the eight cities without a census urban figure', () => {
    const { urban } = estimate() as { urban: Record<string, number> };
    for (const [id, v] of Object.entries(urban)) {
      const city = sc.world.cities.find((c) => c.id === id)!;
      expect(city.urban.value, id).toBe(v);
      expect(city.urban.estimate, id).toContain('scripts/estimate-city-urban.mjs');
    }
  });

  it('make the cities add up exactly to the province\'s census residents and urban residents', () => {
    expect(sc.world.cities.reduce((a, c) => a + c.residents.value, 0)).toBe(sc.world.province.residents.value);
    expect(sc.world.cities.reduce((a, c) => a + c.urban.value, 0)).toBe(sc.world.province.urban.value);
  });
});
