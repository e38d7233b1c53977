/**
 * The one number formatter, the statistics that replaced mathjs in the summaries, and the one CSV
 * writer and reader: each gives what the code it replaced gave, byte for byte.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DIFFERENCE, FIT, fixed, formatNumber, formatShare, INDEX, PLAN_VALUE, REPORT_CELL } from '../src/core/format.js';
import { mean, sampleSd } from '../src/core/stats.js';
import { csvTable, parseCsv } from '../src/results/csv.js';

const VALUES = [
  0,
  -0,
  0.004,
  0.125,
  1.005,
  9.99,
  9.9951,
  10,
  68.3,
  99.995,
  999.4,
  999.5,
  -999.6,
  1000,
  4321.5,
  9999.5,
  10000,
  45122.3,
  -2.5e6,
  34535820,
  NaN,
  Infinity,
  -Infinity,
];

describe('formatNumber', () => {
  // The formatters it replaced, as they were.
  const grouped = (v: number) => Math.round(v).toLocaleString('en-US');
  const table = (v: number | undefined, unit: string) => (v === undefined ? '' : unit === 'persons' || Math.abs(v) >= 10000 ? grouped(v) : v.toFixed(2));
  const plan = (v: number, unit?: string) => (unit === 'persons' || Math.abs(v) >= 10000 ? grouped(v) : String(Number(v.toFixed(2))));
  const cell = (v: number | undefined, unit?: string) =>
    v === undefined || !Number.isFinite(v) ? '—' : unit === 'persons' || unit === 'units' || Math.abs(v) >= 10000 ? grouped(v) : v.toFixed(2);
  const diff = (v: number) => (Math.abs(v) >= 1000 ? grouped(v) : v.toFixed(Math.abs(v) >= 10 ? 1 : 3));
  const fit = (v: number) => (Math.abs(v) >= 1000 ? grouped(v) : v.toFixed(3));

  it('writes every value as the formatter it replaced did, preset by preset', () => {
    for (const v of VALUES) {
      for (const unit of ['persons', '%', 'units', '']) {
        expect(formatNumber(v, { whole: unit === 'persons' }), `table ${v} ${unit}`).toBe(table(v, unit));
        expect(formatNumber(v, { ...PLAN_VALUE, whole: unit === 'persons' }), `plan ${v} ${unit}`).toBe(plan(v, unit));
        expect(formatNumber(v, { ...REPORT_CELL, whole: unit === 'persons' || unit === 'units' }), `cell ${v} ${unit}`).toBe(cell(v, unit));
      }
      expect(formatNumber(v, DIFFERENCE), `difference ${v}`).toBe(diff(v));
      expect(formatNumber(v, FIT), `fit ${v}`).toBe(fit(v));
      expect(formatNumber(v, INDEX), `index ${v}`).toBe(v.toFixed(3));
      expect(formatNumber(v, fixed(1)), `fixed ${v}`).toBe(v.toFixed(1));
    }
    expect(formatNumber(undefined)).toBe('');
    expect(formatNumber(undefined, REPORT_CELL)).toBe('—');
  });

  it('writes a probability as a whole percentage', () => {
    expect([0, 0.005, 0.6, 1].map((p) => formatShare(p))).toEqual(['0%', '1%', '60%', '100%']);
    expect(formatShare(undefined, '—')).toBe('—');
  });
});

describe('mean and sampleSd', () => {
  const math = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
  it('give the very numbers of mathjs mean and std (n - 1)', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 300; k++) {
      const n = 2 + (k % 40);
      const scale = [1e-3, 1, 68, 1e5, 3.4e7][k % 5];
      const xs = Array.from({ length: n }, () => (rand() - 0.3) * scale);
      expect(Object.is(mean(xs), Number(math.mean(xs))), `mean of ${xs}`).toBe(true);
      expect(Object.is(sampleSd(xs), Number(math.std(xs))), `sd of ${xs}`).toBe(true);
    }
    for (const xs of [
      [NaN, 1],
      [Infinity, 1],
      [-Infinity, Infinity],
      [1e308, 1e308],
      [3, 3, 3],
    ]) {
      expect(Object.is(mean(xs), Number(math.mean(xs)))).toBe(true);
      expect(Object.is(sampleSd(xs), Number(math.std(xs)))).toBe(true);
    }
    expect(sampleSd([5])).toBe(0);
  });
});

describe('CSV', () => {
  interface Row {
    name: string;
    n: number;
    share?: number;
    ok: boolean;
  }
  const table = csvTable<Row>('x.csv', { name: 'text', n: 'number', share: 'finite', ok: 'yesno' });

  it('writes a header, the rows and a line end after each, quoting only what needs it', () => {
    const text = table.text([
      { name: 'a', n: 1.5, share: 0.25, ok: true },
      { name: '专栏1, "b"', n: NaN, share: NaN, ok: false },
      { name: '', n: 0, ok: true },
    ]);
    expect(text).toBe('name,n,share,ok\na,1.5,0.25,yes\n"专栏1, ""b""",NaN,,no\n,0,,yes\n');
    expect(table.text([])).toBe('name,n,share,ok\n');
  });

  it('reads back what it wrote, blanks as undefined, and filters rows on a column before splitting them', () => {
    const rows: Row[] = [
      { name: 'a,b', n: -2, share: 1, ok: true },
      { name: 'c', n: 3, share: undefined, ok: false },
    ];
    expect(table.parse(table.text(rows))).toEqual(rows);
    expect(table.parse(table.text(rows), { column: 'name', values: new Set(['c']) })).toEqual([rows[1]]);
    expect(parseCsv('a,b\n1,"x ""y"""\n')).toEqual([{ a: '1', b: 'x "y"' }]);
  });
});
