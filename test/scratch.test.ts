import { describe, expect, it } from 'vitest';
import { SCHEDULE } from '../src/engine/run.js';
import { runKey } from '../src/core/random.js';
import { newContext, type TickContext } from '../src/model/context.js';
import { growthPerTick } from '../src/model/params.js';
import { cloneWorld, type World } from '../src/world/world.js';
import { preparedBaseline } from './helpers/scenario.js';

/** Advances the clock of ctx by one tick, as the engine does. */
function advance(ctx: TickContext): void {
  ctx.ruralLevel *= growthPerTick(ctx.params.ruralIncomeGrowth, ctx.params.tpy);
  ctx.tick++;
  ctx.years = ctx.tick / ctx.params.tpy;
}

/** The agent columns and the place stocks of a world, as plain arrays. */
function state(w: World): Record<string, number[]> {
  const A = w.agents,
    n = A.count,
    out: Record<string, number[]> = {};
  for (const k of ['place', 'hukouPlace', 'age', 'skill', 'emp', 'tenure', 'flags', 'months'] as const) out[k] = Array.from(A[k].subarray(0, n));
  for (const k of ['jobs', 'jobsFilled', 'housing', 'occupied', 'pop', 'network', 'seekers', 'farmers', 'rent', 'fund'] as const) out[k] = Array.from(w[k]);
  return out;
}

describe('scratch', () => {
  it('keeps two runs in one thread apart: stepped in turn, rule by rule, each ends as it does alone', () => {
    const prep = preparedBaseline({ scale: 20000, endYear: 2021 });
    const ticks = 14;
    const start = (run: number) => {
      const w = cloneWorld(prep.world, prep.headroom);
      return { w, ctx: newContext(w, { ...prep.params }, prep.levers, runKey(prep.scenario.seed, run)) };
    };
    const alone = [0, 1].map((run) => {
      const { w, ctx } = start(run);
      for (let t = 0; t < ticks; t++) {
        for (const [, rule] of SCHEDULE) rule(w, ctx);
        advance(ctx);
      }
      return state(w);
    });
    // Run 1's labour market step comes between run 0's and run 0's agent pass, and so on.
    const both = [start(0), start(1)];
    for (let t = 0; t < ticks; t++) {
      for (const [, rule] of SCHEDULE) for (const { w, ctx } of both) rule(w, ctx);
      for (const { ctx } of both) advance(ctx);
    }
    expect(state(both[0].w)).toEqual(alone[0]);
    expect(state(both[1].w)).toEqual(alone[1]);
    expect(alone[0]).not.toEqual(alone[1]);
  });
});
