/**
 * Every indicator (src/engine/metrics.ts, METRICS) gets a finite value for every region in an
 * observed year: the observation array starts as NaN here, so a metric that observe.ts never
 * writes (a rule's new indicator forgotten) stays NaN and is named.
 */
import { describe, expect, it } from 'vitest';
import { METRICS, obsIndex, obsLength, REGIONS } from '../src/engine/metrics.js';
import { cityRegions, observe } from '../src/engine/observe.js';
import { SCHEDULE } from '../src/engine/run.js';
import { newContext } from '../src/model/context.js';
import { CITY_IDS } from '../src/scenario/constants.js';
import { cloneWorld } from '../src/world/world.js';
import { preparedBaseline } from './helpers/scenario.js';

describe('observed indicators', () => {
  it('after a year of the schedule, every metric has a finite value for every region, at the start and at the year end', () => {
    const prep = preparedBaseline({ scale: 1000, endYear: 2021 });
    const world = cloneWorld(prep.world, prep.headroom);
    const ctx = newContext(world, { ...prep.params }, prep.levers, 1);
    const shape = { years: [2020, 2021] };
    const values = new Float64Array(obsLength(shape)).fill(NaN);
    const regions = cityRegions(
      prep.scenario.world.central_cluster.map((id) => CITY_IDS.indexOf(id)),
      world.places.nCities,
    );
    observe(world, ctx.flows, regions, shape, 0, values);
    for (let t = 0; t < prep.calendar.ticksPerYear; t++) {
      ctx.tick = t;
      for (const [, rule] of SCHEDULE) rule(world, ctx);
    }
    observe(world, ctx.flows, regions, shape, 1, values);
    const missing: string[] = [];
    METRICS.forEach((m, k) =>
      REGIONS.forEach((r, j) => {
        // Flows have no value in the census year (2020): nothing has happened yet.
        for (let y = m.flow ? 1 : 0; y < 2; y++) if (!Number.isFinite(values[obsIndex(shape, k, j, y)])) missing.push(`${m.id} ${r} ${shape.years[y]}`);
      }),
    );
    expect(missing).toEqual([]);
  });
});
