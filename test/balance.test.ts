import { describe, expect, it } from 'vitest';
import { M, REGIONS, obsIndex } from '../src/engine/metrics.js';
import { runOne } from '../src/engine/run.js';
import { prepare } from '../src/engine/setup.js';
import { baseline, preparedBaseline } from './helpers/scenario.js';

describe('population accounting', () => {
  it('each year, for the province, each city and the cluster: change = births - deaths + in - out, exactly', () => {
    const prep = preparedBaseline({ scale: 500, endYear: 2024 });
    const r = runOne(prep, 0);
    const shape = { years: prep.calendar.years };
    const v = (m: number, g: number, y: number) => r.values[obsIndex(shape, m, g, y)];
    let checked = 0;
    for (let g = 0; g < REGIONS.length; g++) {
      for (let y = 1; y < shape.years.length; y++) {
        const change = v(M.resident_population, g, y) - v(M.resident_population, g, y - 1);
        const flows = v(M.births, g, y) - v(M.deaths, g, y) + v(M.in_migration, g, y) - v(M.out_migration, g, y);
        expect(change, `${REGIONS[g]} ${shape.years[y]}`).toBe(flows);
        expect(v(M.net_out_migration, g, y)).toBe(v(M.out_migration, g, y) - v(M.in_migration, g, y));
        checked++;
      }
    }
    expect(checked).toBe(REGIONS.length * 4);
    // The identity is not vacuous: people do move and are born and die.
    expect(v(M.in_migration, 1, 1)).toBeGreaterThan(0);
    expect(v(M.deaths, 0, 1)).toBeGreaterThan(0);
  });
});

describe('other calendars', () => {
  it.each([
    ['monthly ticks to 2035', 12, 2035],
    ['quarterly ticks to 2027', 4, 2027],
    ['weekly ticks to 2022', 52, 2022],
  ])('%s: the accounting identity holds every year', (_name, tpy, endYear) => {
    const sc = baseline({ scale: 5000, endYear });
    sc.time.ticks_per_year = tpy;
    const prep = prepare(sc);
    const r = runOne(prep, 0);
    const shape = { years: prep.calendar.years };
    expect(shape.years.at(-1)).toBe(endYear);
    const v = (m: number, y: number) => r.values[obsIndex(shape, m, 0, y)];
    for (let y = 1; y < shape.years.length; y++) {
      expect(v(M.resident_population, y) - v(M.resident_population, y - 1)).toBe(
        v(M.births, y) - v(M.deaths, y) + v(M.in_migration, y) - v(M.out_migration, y),
      );
    }
    expect(v(M.urbanization_rate, shape.years.length - 1)).toBeGreaterThan(v(M.urbanization_rate, 0));
  });
});
