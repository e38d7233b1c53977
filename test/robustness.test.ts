import { describe, expect, it } from 'vitest';
import { disagreements, ranks, regretsOf, robustness, type TargetRuns } from '../src/results/robustness.js';

const target = (id: string, comparator: '>=' | '<=', value: number, metric = id) => ({ id, metric, region: 'shanxi', year: 2025, comparator, value });

/** Three variants over runs 3, 5 and 7; the expected numbers are worked out by hand in the comments. */
function synthetic() {
  const targets: TargetRuns[] = [
    // met by A in runs 3 and 7, by B always, by C in run 7: shares 2/3, 1, 1/3
    {
      target: target('t1', '>=', 10),
      values: [
        [11, 9, 12],
        [10, 10, 10],
        [8, 9, 20],
      ],
      sd: undefined,
    },
    // met by A always, B never, C in runs 3 and 7
    {
      target: target('t2', '<=', 5),
      values: [
        [4, 4, 4],
        [6, 6, 6],
        [5, 6, 4],
      ],
      sd: undefined,
    },
    // the same target stated twice by the plan: counted once in the measures
    {
      target: { ...target('t2_again', '<=', 5), metric: 't2' },
      values: [
        [4, 4, 4],
        [6, 6, 6],
        [5, 6, 4],
      ],
      sd: undefined,
    },
    // on the threshold with a discrepancy of sd 1: every run meets it, P(met) is 1/2
    {
      target: target('t3', '>=', 0),
      values: [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
      sd: 1,
    },
  ];
  const urbanization = {
    id: 'urbanization_rate.shanxi.2025',
    unit: 'pp',
    values: [
      [60, 61, 62],
      [61, 61, 61],
      [62, 60, 60],
    ],
  };
  return robustness(['A', 'B', 'C'], [3, 5, 7], targets, urbanization);
}

describe('robustness of variants over common runs', () => {
  it('gives each variant its share of runs that meet a target and its P(met) with the discrepancy', () => {
    const r = synthetic();
    const of = (v: string, t: string) => r.targets.find((x) => x.variant === v && x.target.id === t)!;
    expect([of('A', 't1').shareMet, of('B', 't1').shareMet, of('C', 't1').shareMet]).toEqual([2 / 3, 1, 1 / 3]);
    expect([of('A', 't2').pMet, of('B', 't2').pMet, of('C', 't2').pMet]).toEqual([1, 0, 2 / 3]);
    expect(of('A', 't3').shareMet).toBe(1);
    expect(of('A', 't3').pMet).toBeCloseTo(0.5, 12);
    expect(of('A', 't3').withDiscrepancy).toBe(true);
  });

  it('gives each variant its regret against the best variant run by run, with the run id on every row', () => {
    const r = synthetic();
    expect(r.regrets).toHaveLength(4 * 3 * 3 + 3 * 3 + 3 * 3);
    for (const row of r.regrets) expect([3, 5, 7]).toContain(row.run);
    // expected targets met per run (t1 + t2 + t3 at 1/2): A 2.5, 1.5, 2.5; B 1.5, 1.5, 1.5; C 1.5, 0.5, 2.5
    const met = r.regrets.filter((x) => x.measure === 'targets_met');
    expect(met.map((x) => [x.run, x.variant, x.value, x.best, x.regret])).toEqual([
      [3, 'A', 2.5, 2.5, 0],
      [5, 'A', 1.5, 1.5, 0],
      [7, 'A', 2.5, 2.5, 0],
      [3, 'B', 1.5, 2.5, 1],
      [5, 'B', 1.5, 1.5, 0],
      [7, 'B', 1.5, 2.5, 1],
      [3, 'C', 1.5, 2.5, 1],
      [5, 'C', 0.5, 1.5, 1],
      [7, 'C', 2.5, 2.5, 0],
    ]);
    const short = r.regrets.filter((x) => x.measure === 'urbanization_rate.shanxi.2025' && x.variant === 'C');
    expect(short.map((x) => x.regret)).toEqual([0, 1, 2]);
    expect(short.every((x) => x.unit === 'pp')).toBe(true);
  });

  it('ranks the variants by each measure and names the measures that disagree', () => {
    const r = synthetic();
    const table = Object.fromEntries(['A', 'B', 'C'].map((v) => [v, r.ranking.filter((x) => x.variant === v).map((x) => [x.measure, x.value, x.rank])]));
    expect(table.A).toEqual([
      ['share_targets_p80', 1 / 3, 1], // t2 only, of the distinct t1, t2, t3
      ['max_regret_targets', 0, 1],
      ['mean_regret_targets', 0, 1],
      ['max_shortfall_urbanization', 2, 2],
    ]);
    expect(table.B.map((x) => x[2])).toEqual([1, 2, 2, 1]);
    expect(table.C).toEqual([
      ['share_targets_p80', 0, 3],
      ['max_regret_targets', 1, 2],
      ['mean_regret_targets', 2 / 3, 2],
      ['max_shortfall_urbanization', 2, 2],
    ]);
    // A beats B on regret in targets, B beats A on the urbanization shortfall; ties are no disagreement.
    expect(r.disagreements).toEqual([
      { first: 'max_regret_targets', second: 'max_shortfall_urbanization', above: 'A', below: 'B' },
      { first: 'mean_regret_targets', second: 'max_shortfall_urbanization', above: 'A', below: 'B' },
    ]);
  });

  it('ranks ties alike (1224) and finds no disagreement between identical rankings', () => {
    expect(ranks([3, 1, 3, 2], 'higher')).toEqual([1, 4, 1, 3]);
    expect(ranks([3, 1, 3, 2], 'lower')).toEqual([3, 1, 3, 2]);
    expect(
      regretsOf([
        [1, 5],
        [2, 4],
      ]),
    ).toEqual({
      best: [2, 5],
      regret: [
        [1, 0],
        [0, 1],
      ],
    });
    const same = ['x', 'y'].flatMap((variant, i) => ['m1', 'm2'].map((measure) => ({ variant, measure, value: i, rank: i + 1, better: 'lower' as const })));
    expect(disagreements(['x', 'y'], same)).toEqual([]);
  });
});
