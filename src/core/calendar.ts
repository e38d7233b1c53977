/**
 * The engine's clock. The census date is 2020-11-01; with T ticks a year the first
 * round(T x 2/12) ticks cover the rest of 2020, then T ticks per calendar year.
 */
export const START_YEAR = 2020;

/**
 * What the calendar needs of a scenario: its time span (a Scenario is one). Declared here so that
 * core imports nothing from the layers above it (scenario/schedule.ts imports yearAtTick).
 */
export interface TimeSpan {
  time: { ticks_per_year: number; end_year: number };
}

/** Tick layout of a scenario. */
export interface Calendar {
  ticksPerYear: number;
  /** Ticks between the census and the end of 2020. */
  stubTicks: number;
  totalTicks: number;
  /** Observed years: 2020 (the census state) through the end year. */
  years: number[];
}

/** Builds the calendar of a scenario. */
export function calendarOf(sc: TimeSpan): Calendar {
  const tpy = sc.time.ticks_per_year;
  const stubTicks = Math.round((tpy * 2) / 12);
  const years: number[] = [];
  for (let y = START_YEAR; y <= sc.time.end_year; y++) years.push(y);
  return { ticksPerYear: tpy, stubTicks, totalTicks: stubTicks + tpy * (sc.time.end_year - START_YEAR), years };
}

/** The observed year index that ends after tick t, or -1 if none does (2020's end is not observed). */
export function yearEndingAfter(cal: Calendar, t: number): number {
  const k = t + 1 - cal.stubTicks;
  if (k <= 0 || k % cal.ticksPerYear !== 0) return -1;
  return k / cal.ticksPerYear;
}

/**
 * Calendar year (fractional) at the start of tick t: the stub ticks share Nov-Dec 2020, then each
 * calendar year has T ticks. Lever schedules are read at this time.
 */
export function yearAtTick(t: number, ticksPerYear: number): number {
  const stub = Math.round((ticksPerYear * 2) / 12);
  if (t < stub) return 2020 + 10 / 12 + (t * (2 / 12)) / stub;
  return 2021 + (t - stub) / ticksPerYear;
}
