import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { checkFinitePlaces, checkObservations, checkWorld, InvariantError } from '../src/engine/check.js';
import { checkMemory, estimateMemory } from '../src/engine/memory.js';
import { M, REGIONS, obsIndex, obsLength } from '../src/engine/metrics.js';
import { runOne, SCHEDULE } from '../src/engine/run.js';
import { newContext, type TickContext } from '../src/model/context.js';
import { enterPlace, leavePlace, vacancy } from '../src/model/occupancy.js';
import { DEAD, Emp, Tenure, TENURES } from '../src/world/agents.js';
import { cloneWorld, type World } from '../src/world/world.js';
import { baseline, preparedBaseline } from './helpers/scenario.js';

const GiB = 2 ** 30;

/** A fresh clone of the prepared baseline at a coarse scale, and a context to run its rules. */
function fresh(): { w: World; ctx: TickContext } {
  const prep = preparedBaseline({ scale: 20000, endYear: 2021 });
  const w = cloneWorld(prep.world, prep.headroom);
  const ctx = newContext(w, { ...prep.params }, prep.levers, 7);
  return { w, ctx };
}

/** Runs fn, expects an InvariantError, returns it. */
function invariantError(fn: () => void): InvariantError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvariantError);
    return err as InvariantError;
  }
  throw new Error('expected an InvariantError');
}

/** A living agent of Shanxi that lives somewhere else than `place`. */
function someoneElsewhere(w: World, place: number): number {
  const A = w.agents;
  for (let i = 0; i < A.count; i++) if (A.place[i] !== DEAD && A.place[i] !== place && A.place[i] !== w.places.outside) return i;
  throw new Error('no agent');
}

describe('checkWorld', () => {
  it('passes on the prepared baseline and after every rule of the schedule for six ticks', () => {
    const { w, ctx } = fresh();
    checkWorld(w, -1, 'setup');
    for (let t = 0; t < 6; t++) {
      ctx.tick = t;
      ctx.years = t / 12;
      for (const [name, rule] of SCHEDULE) {
        rule(w, ctx);
        checkFinitePlaces(w, t, name);
        checkWorld(w, t, name);
      }
    }
  });

  it('passes a whole baseline run to 2025 audited after every rule (runOne with check)', () => {
    const prep = preparedBaseline({ scale: 20000 });
    const { values } = runOne(prep, 0, true);
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('names the tick, rule and place when a population count is off by one', () => {
    const { w } = fresh();
    w.pop[5] += 1;
    const e = invariantError(() => checkWorld(w, 3, 'migration'));
    expect(e).toMatchObject({ tick: 3, rule: 'migration', place: 5, placeName: w.places.names[5], stock: 'pop' });
    expect(e.message).toContain('tick 3');
    expect(e.message).toContain('"migration"');
    expect(e.message).toContain(`place 5 (${w.places.names[5]})`);
    expect(e.message).toContain('recount');
  });

  it('stops a NaN or an infinite rent, in the cheap check too', () => {
    const { w } = fresh();
    w.rent[7] = NaN;
    for (const check of [checkFinitePlaces, checkWorld]) {
      const e = invariantError(() => check(w, 11, 'housing market'));
      expect(e).toMatchObject({ tick: 11, rule: 'housing market', place: 7, stock: 'rent' });
      expect(e.message).toContain('NaN');
    }
    w.rent[7] = 100;
    w.housing[9 * TENURES + Tenure.owned] = Infinity;
    expect(invariantError(() => checkFinitePlaces(w, 2, 'land reuse'))).toMatchObject({ place: 9, stock: 'housing[owned]' });
  });

  it('rejects a coverage share outside [0, 1]', () => {
    const { w } = fresh();
    w.coverage[3] = 1.5;
    const e = invariantError(() => checkWorld(w, 0, 'housing market'));
    expect(e).toMatchObject({ place: 3, stock: 'coverage' });
    expect(e.message).toContain('1.5');
  });

  it('rejects a negative stock', () => {
    const { w } = fresh();
    w.fund[4] = -1;
    expect(invariantError(() => checkWorld(w, 0, 'settlement'))).toMatchObject({ place: 4, stock: 'fund' });
  });

  it('rejects a NaN income: a wage or farm income of the tick, or a pension', () => {
    const { w } = fresh();
    w.farmNow[7] = NaN;
    expect(invariantError(() => checkFinitePlaces(w, 1, 'labour'))).toMatchObject({ place: 7, stock: 'farmNow' });
    w.farmNow[7] = 1;
    w.wageNow[3 * 5 + 2] = Infinity;
    expect(invariantError(() => checkFinitePlaces(w, 1, 'labour'))).toMatchObject({ place: 5, stock: 'wageNow' });
    w.wageNow[3 * 5 + 2] = 1;
    w.ruralPensionNow = NaN;
    expect(invariantError(() => checkFinitePlaces(w, 1, 'labour'))).toMatchObject({ place: -1, stock: 'ruralPensionNow' });
  });

  it('rejects a move into a full home, but not a birth into one', () => {
    const { w } = fresh();
    const P = w.places,
      A = w.agents;
    const p = P.cityCentral[0],
      k = p * TENURES + Tenure.marketRent;
    checkWorld(w, -1, 'setup');
    // Fill Taiyuan's market rental housing exactly: capacity = occupancy.
    w.housing[k] = w.occupied[k];
    expect(vacancy(w, p, Tenure.marketRent)).toBe(0);
    checkWorld(w, 0, 'housing market');
    // A newborn in a full home is not a violation: the child is born into its mother's tenure.
    const c = A.add();
    A.hukouPlace[c] = p;
    A.age[c] = 0;
    enterPlace(w, c, p, Tenure.marketRent);
    w.homePop[P.county[p]]++;
    checkWorld(w, 1, 'demography');
    // A move into it is.
    const i = someoneElsewhere(w, p);
    leavePlace(w, i);
    w.agents.emp[i] = Emp.outOfLabourForce;
    enterPlace(w, i, p, Tenure.marketRent);
    const e = invariantError(() => checkWorld(w, 1, 'migration'));
    expect(e).toMatchObject({ tick: 1, rule: 'migration', place: p, stock: 'occupied[marketRent]' });
    expect(e.message).toContain('above a capacity');
  });

  it('names the metric, region and year of a NaN observation', () => {
    const { w } = fresh();
    const shape = { years: [2020, 2021] };
    const values = new Float64Array(obsLength(shape));
    checkObservations(w, values, shape, 13);
    values[obsIndex(shape, M.urbanization_rate, REGIONS.indexOf('datong'), 1)] = NaN;
    const e = invariantError(() => checkObservations(w, values, shape, 13));
    expect(e).toMatchObject({ tick: 13, rule: 'observe', place: -1, stock: 'urbanization_rate.datong.2021' });
  });

  it('lets a cell stay above a shrinking capacity, but not gain occupants there', () => {
    const { w } = fresh();
    const A = w.agents,
      p = w.places.cityCentral[1],
      k = p * TENURES + Tenure.publicRental;
    // The first check of a world only records occupancy: a run may start checking after births.
    w.housing[k] = w.occupied[k] - 1;
    checkWorld(w, 0, 'demography');
    checkWorld(w, 0, 'labour');
    // An allocation into the over-full cell is a violation.
    const i = someoneElsewhere(w, p);
    leavePlace(w, i);
    A.emp[i] = Emp.outOfLabourForce;
    enterPlace(w, i, p, Tenure.publicRental);
    expect(invariantError(() => checkWorld(w, 4, 'housing tenure'))).toMatchObject({
      tick: 4,
      rule: 'housing tenure',
      place: p,
      stock: 'occupied[publicRental]',
    });
  });
});

describe('memory', () => {
  it('grows about linearly with 1 / scale', () => {
    const sc = baseline();
    const at = (scale: number) => estimateMemory({ ...sc, scale }, 2);
    const a = at(100),
      b = at(50),
      c = at(10);
    expect(b.agents / a.agents).toBeCloseTo(2, 2);
    expect(c.agents / a.agents).toBeCloseTo(10, 2);
    expect(b.perWorker / a.perWorker).toBeGreaterThan(1.95);
    expect(b.perWorker / a.perWorker).toBeLessThan(2.05);
    // Not quite 10: the place tables of each world do not shrink with the scale.
    const ratio = (c.bytes - c.fixed) / (a.bytes - a.fixed);
    expect(ratio).toBeGreaterThan(9.5);
    expect(ratio).toBeLessThan(10.3);
    // 389,361 agents at scale 100 (bench/RESULTS.md). At scale 1 a worker holds the world and a
    // run's clone; a batch of one run holds the world only (measured peak 0.51 GiB to 2021, 0.55 GiB to 2035, bench/RESULTS.md).
    expect(a.agents).toBeGreaterThan(385000);
    expect(a.agents).toBeLessThan(395000);
    const one = estimateMemory({ ...sc, scale: 1 }, 1);
    expect(one.bytes / 2 ** 30).toBeGreaterThan(0.9);
    // 1.47 GiB with the flows kept per run and year (FLOWS_BYTES_PER_RUN_YEAR); a batch of one
    // run at scale 1 to 2025 on 1 worker measured 816 MB resident (docs/validation.md, scale).
    expect(one.bytes / 2 ** 30).toBeLessThan(1.6);
    const single = estimateMemory({ ...sc, scale: 1 }, 1, 1);
    expect(single.bytes / 2 ** 30).toBeGreaterThan(0.45);
    expect(single.bytes / 2 ** 30).toBeLessThan(0.8);
    expect(single.perWorker / one.perWorker).toBeCloseTo(0.5, 5);
  });

  it('lets a single scale-1 run on a machine where a batch of runs at scale 1 would not fit', () => {
    const sc = { ...baseline(), scale: 1, runs: 1 };
    expect(() => checkMemory(sc, 1, 1.1 * GiB, 2)).toThrow(UserError);
    expect(() => checkMemory(sc, 1, 1.1 * GiB, 1)).not.toThrow();
  });

  it('refuses scale 1 on a 1 GiB machine with a suggestion, and accepts it on 24 GiB', () => {
    const sc = { ...baseline(), scale: 1, runs: 8 };
    let err: unknown;
    try {
      checkMemory(sc, 8, GiB);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const [p] = (err as UserError).problems;
    expect(p.code).toBe('memory');
    expect(p.path).toBe('scale');
    expect(p.message).toMatch(/scale 1 /);
    expect(p.message).toMatch(/--scale \d+ or larger/);
    expect(p.expected).toContain('1.00 GB');
    expect(p.found).toMatch(/about [\d.]+ GB needed/);
    expect(() => checkMemory(sc, 8, 24 * GiB)).not.toThrow();
    // The suggested scale fits.
    const suggested = Number(/--scale (\d+)/.exec(p.message!)![1]);
    expect(() => checkMemory({ ...sc, scale: suggested }, 8, GiB)).not.toThrow();
    expect(() => checkMemory({ ...sc, scale: suggested - 1 }, 8, GiB)).toThrow(UserError);
  });
});
