/**
 * The world of the 2010 census (scenarios/shanxi-2010.yaml): it builds from the scenario's own
 * figures, with the province's and every city's residents and urban residents, and its clock and
 * yearly levels count from 2010.
 */
import { describe, expect, it } from 'vitest';
import { M, obsIndex } from '../src/engine/metrics.js';
import { runOne } from '../src/engine/run.js';
import { prepare } from '../src/engine/setup.js';
import { yearAtTick } from '../src/core/calendar.js';
import { calendarYear, fertilityLevel, mortalityLevel } from '../src/model/demography.js';
import { newContext } from '../src/model/context.js';
import { loadScenario } from '../src/scenario/scenario.js';

const loaded = loadScenario('scenarios/shanxi-2010.yaml');

describe('the world of the 2010 census', () => {
  const sc = structuredClone(loaded.scenario);
  sc.scale = 200;
  sc.time.end_year = 2011;
  const prep = prepare(sc);
  const w = prep.world,
    P = w.places,
    s = sc.scale;

  it('starts at 2010-11-01 and observes 2010 and 2011', () => {
    expect(sc.time.start).toBe('2010-11-01');
    expect(prep.calendar.startYear).toBe(2010);
    expect(prep.calendar.years).toEqual([2010, 2011]);
    expect(yearAtTick(0, prep.calendar.ticksPerYear, 2010)).toBeCloseTo(2010 + 10 / 12, 12);
  });

  it("has the 2010 province total (35,712,111) and every city's residents and urban residents the scenario gives", () => {
    expect(sc.world.province.residents.value).toBe(35712111);
    let res = 0,
      urb = 0;
    sc.world.cities.forEach((city, c) => {
      let cr = 0,
        cu = 0;
      for (let p = 0; p < P.n; p++)
        if (P.city[p] === c) {
          cr += w.pop[p];
          if (P.urban[p]) cu += w.pop[p];
        }
      expect(Math.abs(cr * s - city.residents.value), city.id).toBeLessThanOrEqual(s / 2);
      expect(Math.abs(cu * s - city.urban.value), city.id).toBeLessThanOrEqual(s / 2);
      res += cr;
      urb += cu;
    });
    expect(Math.abs(res * s - sc.world.province.residents.value)).toBeLessThanOrEqual((s / 2) * sc.world.cities.length);
    expect(Math.abs(urb * s - sc.world.province.urban.value)).toBeLessThanOrEqual((s / 2) * sc.world.cities.length);
  });

  it('observes 48.05% urbanization and the 2010 residents in its first year', () => {
    const r = runOne(prep, 0);
    const shape = { years: prep.calendar.years };
    expect(r.values[obsIndex(shape, M.urbanization_rate, 0, 0)]).toBeCloseTo(48.05, 1);
    expect(r.values[obsIndex(shape, M.resident_population, 0, 0)]).toBeCloseTo(35712111, -3);
  });

  it("reads its demographic levels from 2010: the start's, held (no yearly levels of 2021-2024 left from the base)", () => {
    expect(Object.keys(sc.behaviour.demography.mortality_index_by_year)).toEqual([]);
    expect(Object.keys(sc.behaviour.demography.fertility_index_by_year)).toEqual([]);
    const tpy = prep.params.tpy;
    const at = (tick: number) => newContext(w, prep.params, loaded.levers, 1, tick);
    expect(calendarYear(at(0))).toBe(2010);
    expect(calendarYear(at(2))).toBe(2011);
    expect(calendarYear(at(2 + 4 * tpy))).toBe(2015);
    expect(mortalityLevel(at(2 + 9 * tpy))).toBe(1);
    expect(fertilityLevel(at(2 + 9 * tpy))).toBe(1);
  });

  it('issues no residence permits before 2016 (the national regulation), then at the behavioural rate', () => {
    const t = loaded.levers['residence_permit.issue_multiplier'];
    const tpy = sc.time.ticks_per_year;
    expect(t[2 + 5 * tpy - 1]).toBe(0);
    expect(t[2 + 5 * tpy]).toBe(1);
  });
});
