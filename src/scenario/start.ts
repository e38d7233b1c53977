/**
 * The checks that tie a scenario's dated fields to its start, `time.start` (the 2010 or the 2020
 * census): every calendar year a scenario names must come after the census year. Called from
 * crossCheck (scenario.ts), which locates each problem in the file that set the field.
 */
import { startYearOf } from '../core/calendar.js';
import type { Scenario } from './schema.js';

/** Reports one problem: the field path, what was expected and what was found. */
export type AddProblem = (path: (string | number)[], expected: string, found: string) => void;

/**
 * Checks the end year, the first year of each yearly index (demography) and the year of each
 * 撤县设区 event against the census year the scenario starts in.
 */
export function checkAgainstStart(sc: Scenario, add: AddProblem): void {
  const start = startYearOf(sc);
  if (sc.time.end_year <= start) add(['time', 'end_year'], `a year after the census year ${start} (time.start ${sc.time.start})`, String(sc.time.end_year));
  const d = sc.behaviour.demography;
  for (const k of ['mortality_index_by_year', 'fertility_index_by_year'] as const) {
    const years = Object.keys(d[k]).map(Number);
    if (years.length === 0) continue;
    const first = Math.min(...years);
    if (first !== start + 1)
      add(
        ['behaviour', 'demography', k, String(first)],
        `yearly levels relative to the census year ${start} (time.start ${sc.time.start}), from ${start + 1} on`,
        `a first year ${first}`,
      );
  }
  sc.events.county_to_district.forEach((e, i) => {
    if (e.year <= start)
      add(['events', 'county_to_district', i, 'year'], `a year after the census year ${start} (time.start ${sc.time.start})`, String(e.year));
  });
}
