/**
 * The engine's clock. A scenario starts at a census, 1 November of its start year (2010 or 2020);
 * with T ticks a year the first round(T x 2/12) ticks cover the rest of the start year, then T ticks
 * per calendar year.
 */

/**
 * The dates a scenario may start from: the 2010 and the 2020 census (both on 1 November). The
 * world is the census state of that date, built from the scenario's `world` figures.
 */
export const CENSUS_DATES = ['2010-11-01', '2020-11-01'] as const;

/** One of the census dates. */
export type CensusDate = (typeof CENSUS_DATES)[number];

/**
 * What the calendar needs of a scenario: its time span (a Scenario is one). Declared here so that
 * core imports nothing from the layers above it (scenario/schedule.ts imports yearAtTick).
 */
export interface TimeSpan {
  time: { start: string; ticks_per_year: number; end_year: number };
}

/** The calendar year of the scenario's census start (2010 or 2020). */
export const startYearOf = (sc: TimeSpan): number => Number(sc.time.start.slice(0, 4));

/** Tick layout of a scenario. */
export interface Calendar {
  ticksPerYear: number;
  /** The census year the scenario starts in (its state is the census of 1 November). */
  startYear: number;
  /** Ticks between the census and the end of the start year. */
  stubTicks: number;
  totalTicks: number;
  /** Observed years: the start year (the census state) through the end year. */
  years: number[];
}

/** Builds the calendar of a scenario. */
export function calendarOf(sc: TimeSpan): Calendar {
  const tpy = sc.time.ticks_per_year;
  const startYear = startYearOf(sc);
  const stubTicks = Math.round((tpy * 2) / 12);
  const years: number[] = [];
  for (let y = startYear; y <= sc.time.end_year; y++) years.push(y);
  return { ticksPerYear: tpy, startYear, stubTicks, totalTicks: stubTicks + tpy * (sc.time.end_year - startYear), years };
}

/** The observed year index that ends after tick t, or -1 if none does (the start year's end is not observed). */
export function yearEndingAfter(cal: Calendar, t: number): number {
  const k = t + 1 - cal.stubTicks;
  if (k <= 0 || k % cal.ticksPerYear !== 0) return -1;
  return k / cal.ticksPerYear;
}

/**
 * Calendar year (fractional) at the start of tick t of a scenario that starts at the census of
 * `startYear`: the stub ticks share November-December of the start year, then each calendar year
 * has T ticks. Lever schedules are read at this time.
 */
export function yearAtTick(t: number, ticksPerYear: number, startYear: number): number {
  const stub = Math.round((ticksPerYear * 2) / 12);
  if (t < stub) return startYear + 10 / 12 + (t * (2 / 12)) / stub;
  return startYear + 1 + (t - stub) / ticksPerYear;
}
