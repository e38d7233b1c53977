/**
 * Lever schedules: every lever becomes a table of its value at each tick. A number (or switch) is
 * constant; `steps` hold from their month on; an `expr` is evaluated with mathjs at each tick's
 * calendar time and must stay finite and within the lever's range. Tables are built on the main
 * thread and sent to workers, which therefore never load mathjs.
 */
import { createRequire } from 'node:module';
import { calendarOf, yearAtTick, type TimeSpan } from '../core/calendar.js';
import { UserError, type Problem } from '../core/errors.js';
import { LEVER_LIST, type LeverPath } from './levers.js';

/** A lever's value in a scenario file. */
export type LeverValue = number | boolean | { steps: { from: string; value: number | boolean }[] } | { expr: string };

/** Per-tick values of every lever (switches as 0/1). */
export type LeverTables = Record<LeverPath, Float64Array>;

/** "2023" or "2023-07" as a fractional year. */
export function parseMonth(s: string): number {
  const [y, m] = s.split('-').map(Number);
  return y + ((m ?? 1) - 1) / 12;
}

type MathJs = { compile(expr: string): { evaluate(scope: Record<string, number>): unknown } };
let mathjs: MathJs | undefined;
/** mathjs, loaded only when a scenario has an expression (it takes about a second to load). */
function math(): MathJs {
  mathjs ??= createRequire(import.meta.url)('mathjs') as MathJs;
  return mathjs;
}

const TOLERANCE = 1e-9;

/** What the resolver reads of a scenario: its levers and its time span. */
export type LeverSource = TimeSpan & { levers: Record<string, Record<string, LeverValue>> };

/**
 * The one resolver of a scenario's levers into per-tick tables, collecting problems (loadScenario
 * locates them in the file). Everything else gets the tables from the loaded scenario, or from
 * `leverTables` for a scenario built in code (a sweep's or calibration's variant, a resumed folder).
 */
export function scenarioLevers(sc: LeverSource, problems: Problem[]): LeverTables {
  const cal = calendarOf(sc);
  return resolveLevers(sc.levers, cal.totalTicks, cal.ticksPerYear, cal.startYear, problems);
}

/** The lever tables of a validated scenario; a bad schedule is the user's error. */
export function leverTables(sc: LeverSource): LeverTables {
  const problems: Problem[] = [];
  const t = scenarioLevers(sc, problems);
  if (problems.length) throw new UserError(problems);
  return t;
}

/**
 * Resolves the levers of a scenario into per-tick tables over `ticks` ticks of a scenario that
 * starts at the census of `startYear` (`year` in a schedule is the calendar year, `t` the years
 * since the census). Problems (a step
 * before the census missing, an expression that does not parse, is not a number or leaves the
 * lever's range) are collected with their field paths; the caller locates and throws them.
 */
export function resolveLevers(
  levers: Record<string, Record<string, LeverValue>>,
  ticks: number,
  ticksPerYear: number,
  startYear: number,
  problems: Problem[],
): LeverTables {
  const yearAt = (t: number) => yearAtTick(t, ticksPerYear, startYear);
  const out = {} as LeverTables;
  for (const { path, def } of LEVER_LIST) {
    const [g, n] = path.split('.');
    const v = levers[g][n];
    const table = new Float64Array(Math.max(1, ticks));
    out[path] = table;
    const fieldPath = `levers.${path}`;
    const check = (x: number, where: string, at: string): boolean => {
      if (!Number.isFinite(x) || x < def.min - TOLERANCE || x > def.max + TOLERANCE) {
        problems.push({
          code: 'out_of_range',
          path: `${fieldPath}.${where}`,
          expected: `a value from ${def.min} to ${def.max} (${def.unit})`,
          found: `${Number.isNaN(x) ? 'NaN' : Number(x.toPrecision(6))} ${at}`,
        });
        return false;
      }
      return true;
    };
    if (typeof v === 'number' || typeof v === 'boolean') table.fill(Number(v));
    else if ('steps' in v) {
      const steps = v.steps.map((s) => ({ at: parseMonth(s.from), value: Number(s.value) }));
      if (steps.some((s, i) => i > 0 && s.at <= steps[i - 1].at))
        problems.push({
          code: 'invalid_value',
          path: `${fieldPath}.steps`,
          expected: 'steps in increasing order of `from`',
          found: v.steps.map((s) => s.from).join(', '),
        });
      if (steps[0].at > yearAt(0) + TOLERANCE)
        problems.push({
          code: 'invalid_value',
          path: `${fieldPath}.steps[0].from`,
          expected: `a first step at or before the census (${startYear}-11)`,
          found: `"${v.steps[0].from}"`,
        });
      for (let t = 0; t < table.length; t++) {
        const y = yearAt(t);
        let val = steps[0].value;
        for (const s of steps) if (s.at <= y + TOLERANCE) val = s.value;
        table[t] = val;
      }
    } else {
      let code: { evaluate(scope: Record<string, number>): unknown };
      try {
        code = math().compile(v.expr);
      } catch (err) {
        problems.push({
          code: 'invalid_expression',
          path: `${fieldPath}.expr`,
          expected: 'a mathjs expression in `year` and `t`',
          found: `"${v.expr}" (${(err as Error).message})`,
        });
        continue;
      }
      for (let t = 0; t < table.length; t++) {
        const year = yearAt(t);
        let x: unknown;
        try {
          x = code.evaluate({ year, t: year - yearAt(0) });
        } catch (err) {
          problems.push({
            code: 'invalid_expression',
            path: `${fieldPath}.expr`,
            expected: 'an expression that evaluates with `year` and `t`',
            found: `"${v.expr}" (${(err as Error).message})`,
          });
          break;
        }
        if (typeof x !== 'number') {
          problems.push({
            code: 'invalid_expression',
            path: `${fieldPath}.expr`,
            expected: 'an expression that gives a number',
            found: `${x === undefined ? 'nothing' : x === null ? 'null' : typeof x === 'object' ? `a ${(x as object).constructor?.name ?? 'value'}` : typeof x} at ${year.toFixed(2)}`,
          });
          break;
        }
        if (!check(x, 'expr', `at ${year.toFixed(2)}`)) break;
        table[t] = x;
      }
    }
  }
  return out;
}
