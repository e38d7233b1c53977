/**
 * The backtest's arithmetic on small cases with known answers: the points the naive forecasts use,
 * the pace and the logistic and exponential trends (recovering the parameters of noiseless
 * curves), the intervals and coverage of one observation, skill, and the growth of the error
 * with the horizon that --growth-from takes from another backtest.
 */
import { describe, expect, it } from 'vitest';
import { BACKTEST_CSV, errorGrowth, scoreObservation, scoreRows, skill, type BacktestRow } from '../src/results/backtest.js';
import { fitExponential, fitLogistic, naivePoints, paceForecast, trendForecast } from '../src/results/naive.js';

const logistic = (k: number, t0: number) => (t: number) => 100 / (1 + Math.exp(-k * (t - t0)));

describe('naive forecasts', () => {
  it('use the points of the five years of pace before the holdout, else the latest two before it', () => {
    const pts = [2010, 2015, 2019, 2020, 2021].map((year) => ({ year, value: year - 2000 }));
    expect(naivePoints(pts, 2021).map((p) => p.year)).toEqual([2015, 2019, 2020]);
    expect(naivePoints(pts, 2016).map((p) => p.year)).toEqual([2010, 2015]);
    const gappy = [2010, 2020, 2021].map((year) => ({ year, value: 1 }));
    expect(naivePoints(gappy, 2021).map((p) => p.year)).toEqual([2010, 2020]);
    expect(naivePoints([{ year: 2020, value: 1 }], 2021)).toHaveLength(1);
  });

  it('continue the pace of the first and last points used', () => {
    const used = [
      { year: 2015, value: 55.87 },
      { year: 2020, value: 62.53 },
    ];
    expect(paceForecast(used, 2024)).toBeCloseTo(62.53 + (4 * 6.66) / 5, 10);
    expect(paceForecast(used.slice(1), 2024)).toBeNaN();
    expect(trendForecast(used.slice(1), 2024, 'logistic')).toBeNaN();
  });

  it('recover the rate and midpoint of a logistic curve, and forecast it exactly', () => {
    const f = logistic(0.08, 2012.5);
    const used = [2014, 2016, 2018, 2020].map((year) => ({ year, value: f(year) }));
    const { k, t0 } = fitLogistic(used);
    expect(k).toBeCloseTo(0.08, 10);
    expect(t0).toBeCloseTo(2012.5, 8);
    expect(trendForecast(used, 2024, 'logistic')).toBeCloseTo(f(2024), 10);
  });

  it('fit a logistic by least squares on the logit when the points are not on one curve', () => {
    // logits -1, 0, 2 at 0, 1, 2: slope 1.5, mean logit 1/3 at t = 1, so t0 = 1 - (1/3)/1.5.
    const used = [-1, 0, 2].map((l, i) => ({ year: i, value: 100 / (1 + Math.exp(-l)) }));
    const { k, t0 } = fitLogistic(used);
    expect(k).toBeCloseTo(1.5, 12);
    expect(t0).toBeCloseTo(1 - 1 / 3 / 1.5, 12);
  });

  it('recover the growth rate of an exponential', () => {
    const used = [2010, 2015, 2020].map((year) => ({ year, value: 3.5e7 * Math.exp(-0.002 * (year - 2010)) }));
    const { g, tRef, level } = fitExponential(used);
    expect(g).toBeCloseTo(-0.002, 12);
    expect(level).toBeCloseTo(3.5e7 * Math.exp(-0.002 * (tRef - 2010)), 4);
    expect(trendForecast(used, 2024, 'exponential')).toBeCloseTo(3.5e7 * Math.exp(-0.028), 4);
  });
});

describe('scoring an observation', () => {
  it('puts the runs-only band at the runs quantiles and widens the predictive band by the sd', () => {
    const runs = [10, 10, 10, 10];
    const s = scoreObservation(runs, 1, 11);
    expect([s.p05, s.p50, s.p95]).toEqual([10, 10, 10]);
    // N(10, 1): the 75% quantile is 10.674, the 95% quantile 11.645.
    expect(s.pred_p75).toBeCloseTo(10.6745, 3);
    expect(s.pred_p95).toBeCloseTo(11.6449, 3);
    expect([s.in50, s.in90, s.runs_in50, s.runs_in90]).toEqual([false, true, false, false]);
    expect(s.error).toBe(-1);
  });

  it('counts an observation inside the runs band without an sd', () => {
    const s = scoreObservation([1, 2, 3, 4, 5], 0, 3.2);
    expect([s.in50, s.in90, s.runs_in50, s.runs_in90]).toEqual([true, true, true, true]);
  });
});

describe('coverage and skill', () => {
  const row = (error: number, in90: boolean, in50: boolean, error_pace?: number, error_trend?: number): BacktestRow =>
    ({ error, in90, in50, runs_in50: false, runs_in90: in90 && in50, error_pace, error_trend }) as BacktestRow;

  it('gives the shares inside the intervals and 1 - MAE(model) / MAE(naive) over the rows with a naive forecast', () => {
    const rows = [row(1, true, true, 2, -4), row(-3, true, false, -2, undefined), row(2, false, false, undefined, 1)];
    const s = scoreRows(rows);
    expect(s.n).toBe(3);
    expect(s.in90).toBeCloseTo(2 / 3, 12);
    expect(s.in50).toBeCloseTo(1 / 3, 12);
    expect(s.runsIn90).toBeCloseTo(1 / 3, 12);
    expect(s.mae).toBeCloseTo(2, 12);
    // pace: rows 1-2, MAE model 2, naive 2 -> 0; trend: rows 1 and 3, model 1.5, naive 2.5 -> 0.4.
    expect(s.skillPace).toBeCloseTo(0, 12);
    expect(s.skillTrend).toBeCloseTo(0.4, 12);
    expect(skill([row(1, true, true)], (r) => r.error_pace)).toBeUndefined();
  });

  it('writes blank cells for missing naive forecasts and reads them back as undefined', () => {
    const r = { ...row(1, true, false), series: 's', region: 'shanxi', year: 2021, unit: '%', observed: 1, naive_years: '', naive_pace: NaN, source: 'x, y' };
    const back = BACKTEST_CSV.parse(BACKTEST_CSV.text([r as BacktestRow]))[0];
    expect(back.naive_pace).toBeUndefined();
    expect(back.source).toBe('x, y');
    expect(back.in90).toBe(true);
  });
});

describe('error growth with the horizon', () => {
  const row = (series: string, region: string, year: number, error: number) => ({ series, region, year, error }) as BacktestRow;

  it('is sqrt(mean error²/h) per series and region, h counted from the start year', () => {
    // Errors 1 at h 1 and -4 at h 4: (1/1 + 16/4) / 2 = 2.5.
    const g = errorGrowth([row('u', 'shanxi', 2021, 1), row('u', 'shanxi', 2024, -4), row('c', 'taiyuan', 2022, 3), row('c', 'datong', 2022, 0)], 2020);
    expect(g.get('u|shanxi')!.sd1).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(g.get('u|shanxi')!.years).toEqual([
      { year: 2021, h: 1, error: 1 },
      { year: 2024, h: 4, error: -4 },
    ]);
    expect(g.get('c|taiyuan')!.sd1).toBeCloseTo(3 / Math.sqrt(2), 12);
    expect(g.get('c|datong')!.sd1).toBe(0);
    expect([...g.keys()]).toEqual(['u|shanxi', 'c|taiyuan', 'c|datong']);
  });

  it('leaves out observations at or before the start, and a series with none after it', () => {
    const g = errorGrowth([row('u', 'shanxi', 2020, 9), row('u', 'shanxi', 2022, 2), row('b', 'shanxi', 2019, 1)], 2020);
    expect(g.get('u|shanxi')!.sd1).toBeCloseTo(Math.sqrt(2), 12);
    expect(g.has('b|shanxi')).toBe(false);
  });
});
