/**
 * The origin-destination flows (model/context.ts `odMoves`, engine/metrics.ts `odIndex`,
 * results/flows.ts): each mover is counted once, from the (city, place type) it left to the one it
 * reached; the flows add up to the in- and out-migration and to the urban gain by migration, which
 * other counters measure; flows.csv holds exactly the run's matrices.
 */
import { describe, expect, it } from 'vitest';
import { M, obsIndex, odIndex, FLOW_CLASSES, REGIONS } from '../src/engine/metrics.js';
import { cityRegions } from '../src/engine/observe.js';
import { runOne, SCHEDULE } from '../src/engine/run.js';
import { newContext } from '../src/model/context.js';
import { flowMatrix, flowsCsv, FLOWS_CSV } from '../src/results/flows.js';
import { CITY_IDS } from '../src/scenario/constants.js';
import { DEAD } from '../src/world/agents.js';
import { classOfFlow, flowClass } from '../src/world/places.js';
import { cloneWorld } from '../src/world/world.js';
import { preparedBaseline } from './helpers/scenario.js';

describe('origin-destination flows', () => {
  it('count every mover of a tick once, from the class of the place it left to the class of the place it reached', () => {
    const prep = preparedBaseline({ scale: 2000, endYear: 2021 });
    const world = cloneWorld(prep.world, prep.headroom);
    const ctx = newContext(world, { ...prep.params }, prep.levers, 3);
    const A = world.agents,
      P = world.places;
    const seen = new Int32Array(FLOW_CLASSES * FLOW_CLASSES);
    for (let t = 0; t < 6; t++) {
      ctx.tick = t;
      for (const [name, rule] of SCHEDULE) {
        // Reclassification changes places without a move (5.9): it is no flow.
        const before = name === 'reclassification' ? undefined : A.place.slice(0, A.count);
        rule(world, ctx);
        if (!before) continue;
        for (let i = 0; i < before.length; i++) {
          const p = before[i],
            d = A.place[i];
          if (p !== DEAD && d !== DEAD && p !== d) seen[flowClass(P, p) * FLOW_CLASSES + flowClass(P, d)]++;
        }
      }
    }
    const total = seen.reduce((a, v) => a + v, 0);
    expect(total).toBeGreaterThan(100);
    expect([...ctx.flows.odMoves]).toEqual([...seen]);
    // The city-pair matrix counts the same moves.
    expect(ctx.flows.moves.reduce((a, v) => a + v, 0)).toBe(total);
  });

  it("add up, every year and region, to in_migration, out_migration and urban_gain_migration; flows.csv holds the run's matrices", () => {
    const prep = preparedBaseline({ scale: 2000, endYear: 2022 });
    const r = runOne(prep, 0);
    const shape = { years: prep.calendar.years };
    const nCities = CITY_IDS.length;
    const cluster = prep.scenario.world.central_cluster.map((id) => CITY_IDS.indexOf(id));
    const regionsOf = (k: number): number[] => {
      const c = classOfFlow(k, nCities).city;
      return c < nCities ? cityRegions(cluster, nCities)[c] : [];
    };
    const urban = (k: number) => classOfFlow(k, nCities).type <= 2 && classOfFlow(k, nCities).city < nCities;
    for (let y = 1; y < shape.years.length; y++) {
      const inMig = new Float64Array(REGIONS.length),
        outMig = new Float64Array(REGIONS.length),
        urbanNet = new Float64Array(REGIONS.length);
      for (let o = 0; o < FLOW_CLASSES; o++) {
        for (let d = 0; d < FLOW_CLASSES; d++) {
          const v = r.values[odIndex(shape, y, o, d)];
          const ro = regionsOf(o),
            rd = regionsOf(d);
          for (const g of rd) if (!ro.includes(g)) inMig[g] += v;
          for (const g of ro) if (!rd.includes(g)) outMig[g] += v;
          if (urban(d)) for (const g of rd) urbanNet[g] += v;
          if (urban(o)) for (const g of ro) urbanNet[g] -= v;
        }
      }
      REGIONS.forEach((region, g) => {
        const at = (m: number) => r.values[obsIndex(shape, m, g, y)];
        expect(inMig[g], `in_migration ${region} ${shape.years[y]}`).toBe(at(M.in_migration));
        expect(outMig[g], `out_migration ${region} ${shape.years[y]}`).toBe(at(M.out_migration));
        expect(urbanNet[g], `urban_gain_migration ${region} ${shape.years[y]}`).toBe(at(M.urban_gain_migration));
      });
      expect(inMig[0]).toBeGreaterThan(0);
    }
    // flows.csv: the cells with movers, in persons; the mean matrix of one run is its own matrix.
    const rows = FLOWS_CSV.parse(Buffer.from(flowsCsv([r], shape)).toString('utf8'));
    expect(rows.every((x) => x.run === 0 && x.persons > 0 && x.persons % prep.scenario.scale === 0)).toBe(true);
    let sum = 0;
    for (let k = odIndex(shape, 1, 0, 0); k < r.values.length; k++) sum += r.values[k];
    expect(rows.reduce((a, x) => a + x.persons, 0)).toBe(sum);
    const byType = flowMatrix(rows, 1, 2022, 'type');
    const village = byType.groups.indexOf('village'),
      districts = byType.groups.indexOf('city_districts');
    let expected = 0;
    for (let o = 0; o < FLOW_CLASSES; o++)
      for (let d = 0; d < FLOW_CLASSES; d++)
        if (classOfFlow(o, nCities).type === 3 && classOfFlow(d, nCities).type === 0) expected += r.values[odIndex(shape, 2, o, d)];
    expect(byType.mean[village * byType.groups.length + districts]).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });
});
