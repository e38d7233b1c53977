/**
 * The clock from either census: ticks map to the same calendar months after a 2010 start as after a
 * 2020 start, ten years earlier, and lever schedules read `year` and `t` from the scenario's start.
 */
import { describe, expect, it } from 'vitest';
import { calendarOf, yearAtTick, yearEndingAfter } from '../src/core/calendar.js';
import { LEVER_LIST } from '../src/scenario/levers.js';
import { resolveLevers, type LeverValue } from '../src/scenario/schedule.js';

const span = (start: string, end_year: number, ticks_per_year = 12) => ({ time: { start, end_year, ticks_per_year } });

describe('the calendar of a 2010 start', () => {
  it('observes 2010 (the census state) through the end year', () => {
    const cal = calendarOf(span('2010-11-01', 2020));
    expect(cal.startYear).toBe(2010);
    expect(cal.years).toEqual([2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020]);
    expect(cal.stubTicks).toBe(2);
    expect(cal.totalTicks).toBe(2 + 12 * 10);
  });

  it('maps ticks to calendar years: Nov-Dec 2010, then twelve ticks a year', () => {
    expect(yearAtTick(0, 12, 2010)).toBeCloseTo(2010 + 10 / 12, 12);
    expect(yearAtTick(1, 12, 2010)).toBeCloseTo(2010 + 11 / 12, 12);
    expect(yearAtTick(2, 12, 2010)).toBe(2011);
    expect(yearAtTick(2 + 12 * 4 + 6, 12, 2010)).toBe(2015.5);
    for (let t = 0; t < 122; t++) expect(yearAtTick(t, 12, 2010)).toBeCloseTo(yearAtTick(t, 12, 2020) - 10, 12);
  });

  it('ends each observed year at the same tick as a 2020 start does', () => {
    const a = calendarOf(span('2010-11-01', 2020)),
      b = calendarOf(span('2020-11-01', 2030));
    const ends = (cal: typeof a) => Array.from({ length: cal.totalTicks }, (_, t) => yearEndingAfter(cal, t)).filter((k) => k >= 0);
    expect(ends(a)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ends(a)).toEqual(ends(b));
    // Index 5 of a 2010 start is the end of 2015.
    expect(a.years[5]).toBe(2015);
  });
});

describe('schedules from a 2010 start', () => {
  const path = LEVER_LIST.find((l) => !l.def.boolean)!;
  const [g, n] = path.path.split('.');
  /** The table of one lever set to `v`, the others at their minimum, over 2010-11 to the end of 2020. */
  const table = (v: LeverValue, startYear = 2010) => {
    const levers: Record<string, Record<string, LeverValue>> = {};
    for (const l of LEVER_LIST) {
      const [gg, nn] = l.path.split('.');
      (levers[gg] ??= {})[nn] = l.def.boolean ? false : l.def.min;
    }
    levers[g][n] = v;
    const problems: { path?: string; expected?: string }[] = [];
    const t = resolveLevers(levers, 2 + 12 * 10, 12, startYear, problems as never);
    return { values: t[path.path], problems };
  };

  it('reads `year` as the calendar year and `t` as the years since the 2010 census', () => {
    const lo = path.def.min;
    const y = table({ expr: `year > 2014.99 ? ${lo + (path.def.max - lo) / 2} : ${lo}` }).values;
    // Tick 2 + 12 * 4 is the start of 2015.
    expect(y[2 + 12 * 4 - 1]).toBe(lo);
    expect(y[2 + 12 * 4]).toBe(lo + (path.def.max - lo) / 2);
    const t = table({ expr: `t >= 1 ? ${path.def.max} : ${lo}` }).values;
    // One year after 2010-11 is 2011-11: the tick of November 2011 is 2 + 10.
    expect(t[2 + 10 - 1]).toBe(lo);
    expect(t[2 + 10]).toBe(path.def.max);
  });

  it('applies steps from their month of the 2010s, and asks for a first step at or before the 2010 census', () => {
    const { values, problems } = table({
      steps: [
        { from: '2010', value: path.def.min },
        { from: '2016-01', value: path.def.max },
      ],
    });
    expect(problems).toEqual([]);
    expect(values[2 + 12 * 5 - 1]).toBe(path.def.min);
    expect(values[2 + 12 * 5]).toBe(path.def.max);
    const late = table({ steps: [{ from: '2012', value: path.def.min }] });
    expect(late.problems.map((p) => p.expected)).toEqual(['a first step at or before the census (2010-11)']);
  });
});
