/**
 * Numbers as text, one way for the whole project: the console tables, the report and the files
 * the commands write (docs/validation.md). A value is written either whole, rounded, with en-US
 * thousands separators (450,000), or with a fixed number of decimals (68.30). Which of the two,
 * and how many decimals, is each call site's choice; the presets below name the choices in use,
 * so that every table keeps the look it has always had:
 *
 * | preset       | where                                   | whole from | decimals below           |
 * |--------------|-----------------------------------------|------------|--------------------------|
 * | (defaults)   | run's console tables, report tables     | 10,000     | 2                        |
 * | `PLAN_VALUE` | a target's value as the plan states it  | 10,000     | 2, trailing zeros dropped|
 * | `DIFFERENCE` | compare's console table                 | 1,000      | 1 from 10, else 3        |
 * | `FIT`        | calibrate's table, docs/validation.md   | 1,000      | 3                        |
 * | `INDEX`      | sensitivity indices and R²              | never      | 3                        |
 * | `fixed(d)`   | z-scores, objectives, chart labels      | never      | d                        |
 *
 * A unit counted in persons (or housing units) is always written whole: pass `whole`.
 */

/** How to write a number. */
export interface NumberFormat {
  /** Write the value whole whatever its size (counts of persons, units). */
  whole?: boolean;
  /** Values at least this large in magnitude are written whole (default 10,000; Infinity: never). */
  wholeFrom?: number;
  /** Decimals of the other values (default 2), or a function of their magnitude. */
  decimals?: number | ((magnitude: number) => number);
  /** Drop trailing zeros of the decimals: 68 rather than 68.00, 89.5 rather than 89.50. */
  trim?: boolean;
  /** The text of a missing value (default ''). */
  missing?: string;
  /** The text of NaN and ±Infinity; without it they are written like any other value ('NaN', '∞'). */
  nonFinite?: string;
}

/** A target's value as the plan states it: 68, 89.5, 450,000. */
export const PLAN_VALUE: NumberFormat = { trim: true };
/** Paired differences and their standard errors (compare's console table). */
export const DIFFERENCE: NumberFormat = { wholeFrom: 1000, decimals: (m) => (m >= 10 ? 1 : 3) };
/** Observed and simulated calibration targets (calibrate's table, docs/validation.md). */
export const FIT: NumberFormat = { wholeFrom: 1000, decimals: 3 };
/** Always `d` decimals, however large the value (z-scores, objectives, chart labels). */
export const fixed = (d: number): NumberFormat => ({ wholeFrom: Infinity, decimals: d });
/** Sensitivity indices, their intervals and R². */
export const INDEX: NumberFormat = fixed(3);
/** A cell of the report's tables: a dash where there is no finite value. */
export const REPORT_CELL: NumberFormat = { missing: '—', nonFinite: '—' };

/** Writes `v` as `f` says. */
export function formatNumber(v: number | undefined, f: NumberFormat = {}): string {
  if (v === undefined) return f.missing ?? '';
  if (f.nonFinite !== undefined && !Number.isFinite(v)) return f.nonFinite;
  const magnitude = Math.abs(v),
    from = f.wholeFrom ?? 10000;
  if (f.whole || (from < Infinity && magnitude >= from)) return Math.round(v).toLocaleString('en-US');
  const d = typeof f.decimals === 'function' ? f.decimals(magnitude) : (f.decimals ?? 2);
  return f.trim ? String(Number(v.toFixed(d))) : v.toFixed(d);
}

/** A probability as a whole percentage (57%); `missing` for none. */
export function formatShare(p: number | undefined, missing = ''): string {
  return p === undefined ? missing : `${Math.round(p * 100)}%`;
}

/** A change of probability in percentage points with its sign and one decimal (+5.3 pp, -0.2 pp, 0.0 pp); `missing` for none. */
export function formatChange(p: number | undefined, missing = ''): string {
  if (p === undefined || !Number.isFinite(p)) return missing;
  const v = Math.round(p * 1000) / 10;
  return `${v > 0 ? '+' : v < 0 ? '-' : ''}${Math.abs(v).toFixed(1)} pp`;
}
