/**
 * Judging a simulated value against a target of the plan: whether it meets it, and by how much it
 * misses it. Apart from the targets file's schema (targets.ts), so that the summaries load no zod.
 */

/** What a target asks: a comparator, a value and, for "about", a relative tolerance. */
export interface Threshold {
  comparator: '>=' | '>' | '<=' | '<' | 'about';
  value: number;
  tolerance?: number;
}

/** Whether a simulated value meets a target. "about" means within `tolerance` (relative) of the value. */
export function meets(t: Threshold, v: number): boolean {
  switch (t.comparator) {
    case '>=':
      return v >= t.value;
    case '>':
      return v > t.value;
    case '<=':
      return v <= t.value;
    case '<':
      return v < t.value;
    case 'about':
      return Math.abs(v - t.value) <= (t.tolerance ?? 0) * Math.abs(t.value);
  }
}

/** Signed gap from a value to its target, positive when the target is missed (in the target's unit). */
export function gap(t: Threshold, v: number): number {
  switch (t.comparator) {
    case '>=':
    case '>':
      return Math.max(0, t.value - v);
    case '<=':
    case '<':
      return Math.max(0, v - t.value);
    case 'about':
      return Math.max(0, Math.abs(v - t.value) - (t.tolerance ?? 0) * Math.abs(t.value));
  }
}
