/**
 * Every lever of the registry (src/scenario/levers.ts) is read by the model: a year of the engine's
 * schedule on a prepared baseline, with the lever values of each tick served by functions that
 * record the paths read, both ways a rule gets a lever: `ctx.lever` (place-level rules) and
 * `leverParams` (the tables the agent pass reads per agent). A lever declared but never read would
 * be a knob that does nothing: this test names it.
 */
import { describe, expect, it } from 'vitest';
import { SCHEDULE } from '../src/engine/run.js';
import { newContext } from '../src/model/context.js';
import { leverParams } from '../src/model/params.js';
import { LEVER_LIST, type LeverPath } from '../src/scenario/levers.js';
import { cloneWorld } from '../src/world/world.js';
import { preparedBaseline } from './helpers/scenario.js';

describe('lever reads', () => {
  it('a year of the schedule reads every lever of the registry', () => {
    const prep = preparedBaseline({ scale: 1000, endYear: 2021 });
    const world = cloneWorld(prep.world, prep.headroom);
    const params = { ...prep.params };
    const ctx = newContext(world, params, prep.levers, 1);
    const read = new Set<LeverPath>();
    ctx.lever = (path) => {
      read.add(path);
      return prep.levers[path][ctx.tick];
    };
    for (let t = 0; t < prep.calendar.ticksPerYear; t++) {
      ctx.tick = t;
      ctx.years = t / prep.calendar.ticksPerYear;
      const lv = (path: LeverPath) => {
        read.add(path);
        return prep.levers[path][t];
      };
      Object.assign(params, leverParams(params, world, lv));
      for (const [, rule] of SCHEDULE) rule(world, ctx);
    }
    expect(LEVER_LIST.map((l) => l.path).filter((p) => !read.has(p))).toEqual([]);
  });
});
