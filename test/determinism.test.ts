import { describe, expect, it } from 'vitest';
import { runOne } from '../src/engine/run.js';
import { digestRuns } from '../src/results/digest.js';
import { prepare } from '../src/engine/setup.js';
import { baseline } from './helpers/scenario.js';

describe('determinism', () => {
  const changes = { scale: 1000, endYear: 2022 };

  it('gives the same digest for the same scenario and seed, from a fresh build each time', () => {
    const a = prepare(baseline(changes)),
      b = prepare(baseline(changes));
    expect(digestRuns([runOne(a, 0), runOne(a, 1)])).toBe(digestRuns([runOne(b, 0), runOne(b, 1)]));
  });

  it('gives a different digest for another seed', () => {
    const a = prepare(baseline(changes)),
      b = prepare(baseline({ ...changes, seed: 7 }));
    expect(digestRuns([runOne(a, 0)])).not.toBe(digestRuns([runOne(b, 0)]));
  });

  it('gives run r the same result whether or not other runs came before it', () => {
    const a = prepare(baseline(changes));
    const alone = runOne(a, 1);
    runOne(a, 0);
    expect(digestRuns([runOne(a, 1)])).toBe(digestRuns([alone]));
  });

  it('gives a run on the prepared world itself (a batch of one run) the result of a run on a clone, without growing the columns', () => {
    const a = prepare(baseline({ ...changes, endYear: 2025 })),
      b = prepare(baseline({ ...changes, endYear: 2025 }));
    const capacity = b.world.agents.capacity,
      columns = b.world.agents.place;
    const inPlace = runOne(b, 2, false, true);
    expect(digestRuns([inPlace])).toBe(digestRuns([runOne(a, 2)]));
    // The births of the horizon fitted in the room prepare reserved: no column was reallocated.
    expect(b.world.agents.capacity).toBe(capacity);
    expect(b.world.agents.place).toBe(columns);
    expect(b.world.agents.count).toBeGreaterThan(a.world.agents.count);
  });

  it('gives different runs different trajectories', () => {
    const a = prepare(baseline(changes));
    expect(digestRuns([{ ...runOne(a, 0), run: 0, seed: 0 }])).not.toBe(digestRuns([{ ...runOne(a, 1), run: 0, seed: 0 }]));
  });
});
