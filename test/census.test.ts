import { describe, expect, it } from 'vitest';
import { M, REGIONS, obsIndex } from '../src/engine/metrics.js';
import { runOne } from '../src/engine/run.js';
import { DEAD, Flag } from '../src/world/agents.js';
import { preparedBaseline } from './helpers/scenario.js';

describe('the world at the start reproduces the 2020 census', () => {
  const prep = preparedBaseline({ endYear: 2021 });
  const sc = prep.scenario,
    w = prep.world,
    P = w.places;
  const s = sc.scale;
  let first: ReturnType<typeof runOne> | undefined;
  /** Run 0 of the prepared baseline, made once for the tests that read its first observation. */
  const run0 = () => (first ??= runOne(prep, 0));

  it("has every city's residents and urban residents within the rounding of the agent scale", () => {
    sc.world.cities.forEach((city, c) => {
      let res = 0,
        urb = 0;
      for (let p = 0; p < P.n; p++)
        if (P.city[p] === c) {
          res += w.pop[p];
          if (P.urban[p]) urb += w.pop[p];
        }
      expect(Math.abs(res * s - city.residents.value)).toBeLessThanOrEqual(s / 2);
      expect(Math.abs(urb * s - city.urban.value)).toBeLessThanOrEqual(s / 2);
    });
  });

  it("has the province's 62.53% urbanization in its first observation", () => {
    const r = run0();
    const shape = { years: prep.calendar.years };
    const rate = r.values[obsIndex(shape, M.urbanization_rate, 0, 0)];
    expect(rate).toBeCloseTo(62.53, 1);
    expect(r.values[obsIndex(shape, M.resident_population, 0, 0)]).toBeCloseTo(sc.world.province.residents.value, -3);
  });

  it('has a hukou urbanization rate of 42.90% among Shanxi hukou holders', () => {
    let holders = 0,
      urban = 0;
    for (let i = 0; i < w.agents.count; i++) {
      if (w.agents.place[i] === DEAD || w.agents.hukouPlace[i] === P.outside) continue;
      holders++;
      if (w.agents.flags[i] & Flag.urbanHukou) urban++;
    }
    expect((100 * urban) / holders).toBeCloseTo(42.9, 1);
  });

  it('counts residents from other provinces as the census does', () => {
    let nonShanxi = 0;
    for (let i = 0; i < w.agents.count; i++) if (w.agents.hukouPlace[i] === P.outside && w.agents.place[i] !== P.outside) nonShanxi++;
    expect(Math.abs(nonShanxi * s - sc.world.province.from_other_provinces.value)).toBeLessThanOrEqual(s);
  });

  it('observes every region at the start', () => {
    const r = run0();
    const shape = { years: prep.calendar.years };
    for (let g = 0; g < REGIONS.length; g++) expect(r.values[obsIndex(shape, M.resident_population, g, 0)]).toBeGreaterThan(0);
  });
});
