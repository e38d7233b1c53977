import { describe, expect, it } from 'vitest';
import { M, obsIndex, obsLength, REGIONS } from '../src/engine/metrics.js';
import { cityRegions, observe } from '../src/engine/observe.js';
import { SCHEDULE } from '../src/engine/run.js';
import { prepare } from '../src/engine/setup.js';
import { newContext } from '../src/model/context.js';
import { family } from '../src/model/family.js';
import { leavePlace } from '../src/model/occupancy.js';
import { perTick } from '../src/model/params.js';
import { demography } from '../src/model/step.js';
import type { Scenario } from '../src/scenario/schema.js';
import { DEAD, Emp, Flag, Tenure } from '../src/world/agents.js';
import { MAX_GAP, MIN_GAP } from '../src/world/family.js';
import { PlaceKind } from '../src/world/places.js';
import { cloneWorld, type World } from '../src/world/world.js';
import { addAgent, baselineScenario, ctxFor, miniWorld, recount, runTicks, spots, type AgentSpec } from './helpers/mini-world.js';
import { baseline, preparedBaseline } from './helpers/scenario.js';

const F = Flag.female;

/**
 * n mothers (30, female) and one child each (age 8), the child living at `childAt`; both with hukou
 * at `hukou` unless the specs say otherwise.
 */
function families(w: World, n: number, mother: AgentSpec, child: Partial<AgentSpec> = {}): { mothers: number[]; children: number[] } {
  const mothers: number[] = [],
    children: number[] = [];
  for (let k = 0; k < n; k++) {
    const m = addAgent(w, {
      age: 30,
      ...mother,
      flags: (mother.flags ?? (w.places.urban[mother.hukouPlace ?? mother.place] ? Flag.urbanHukou : Flag.landRights)) | F,
    });
    const c = addAgent(w, { age: 8, hukouPlace: mother.hukouPlace, place: mother.place, ...child });
    w.agents.parent[c] = m;
    mothers.push(m);
    children.push(c);
  }
  return { mothers, children };
}

/** The scenario with family parameters set. */
function scenario(edit: (sc: Scenario) => void = () => {}): Scenario {
  const sc = baselineScenario();
  sc.behaviour.family.join_rate.value = 0.2;
  sc.behaviour.family.schooling_join_factor.value = 2;
  sc.behaviour.family.move_with_parent.value = 0.5;
  edit(sc);
  return sc;
}

/** Children living in Datong's villages, mothers (same village hukou) in Taiyuan; the family step alone for `ticks`. */
function leftBehind(sc: Scenario, mother: Partial<AgentSpec> = {}, ticks = 12, runKey = 5) {
  const w = miniWorld(sc);
  const S = spots(w.places);
  const fam = families(w, 4000, { place: S.taiyuan, hukouPlace: S.datongVillages, ...mother }, { place: S.datongVillages });
  const ctx = ctxFor(w, sc, 0, runKey);
  runTicks(w, ctx, [family], ticks);
  const A = w.agents;
  const joined = fam.children.filter((c) => A.place[c] === S.taiyuan);
  return { w, S, ctx, ...fam, joined };
}

/** Within k standard deviations of the binomial mean n p. */
function expectBinomial(count: number, n: number, p: number, k = 4): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(count).toBeGreaterThan(n * p - k * sd);
  expect(count).toBeLessThan(n * p + k * sd);
}

describe('family rule: children join their mothers', () => {
  it('a child apart from its mother joins her at the annual join rate (closed form)', () => {
    const sc = scenario();
    const r = leftBehind(sc);
    // 12 ticks at perTick(0.2): a year's probability of exactly 0.2.
    const pYear = 1 - (1 - perTick(0.2, 12)) ** 12;
    expect(pYear).toBeCloseTo(0.2, 10);
    expectBinomial(r.joined.length, 4000, pYear);
    const A = r.w.agents;
    for (const c of r.joined) {
      expect(A.tenure[c]).toBe(Tenure.marketRent);
      expect(A.place[c]).toBe(A.place[A.parent[c]]);
      expect(A.months[c]).toBeLessThan(12);
    }
    // Counted where they joined, in the move matrix, and the place counts equal a recount.
    expect(r.ctx.flows.childrenJoined[r.S.taiyuan]).toBe(r.joined.length);
    const P = r.w.places,
      nc1 = P.nCities + 1;
    expect(r.ctx.flows.moves[P.city[r.S.datongVillages] * nc1 + P.city[r.S.taiyuan]]).toBe(r.joined.length);
    const rc = recount(r.w);
    expect(Array.from(r.w.pop)).toEqual(Array.from(rc.pop));
    expect(Array.from(r.w.occupied)).toEqual(Array.from(rc.occupied));
    expect(Array.from(r.w.network)).toEqual(Array.from(rc.network));
    expect(Array.from(r.w.localHukou)).toEqual(Array.from(rc.localHukou));
  });

  it('schooling for migrant children (permit + opens_schooling, or local hukou) raises the rate by the factor', () => {
    const closed = leftBehind(scenario(), { flags: Flag.landRights | Flag.permit });
    const open = leftBehind(
      scenario((sc) => (sc.levers.residence_permit.opens_schooling = true)),
      { flags: Flag.landRights | Flag.permit },
    );
    expectBinomial(closed.joined.length, 4000, 0.2);
    expectBinomial(open.joined.length, 4000, 0.4);
    // Common random numbers: whoever joins at the lower rate also joins at the higher one.
    const openSet = new Set(open.joined);
    expect(closed.joined.every((c) => openSet.has(c))).toBe(true);
    // A mother holding local hukou where she lives: the same factor.
    const local = leftBehind(scenario(), { hukouPlace: undefined, flags: Flag.urbanHukou });
    expectBinomial(local.joined.length, 4000, 0.4);
  });

  it('a child moves with its mother when she has just moved (move_with_parent), never to a dormitory', () => {
    const moved = leftBehind(scenario(), { months: 0 }, 1);
    expectBinomial(moved.joined.length, 4000, 0.5);
    const none = leftBehind(
      scenario((sc) => (sc.behaviour.family.move_with_parent.value = 0)),
      { months: 0 },
      1,
    );
    expect(none.joined.length).toBe(0);
    const dorm = leftBehind(scenario(), { emp: Emp.urbanJob, tenure: Tenure.dormitory, months: 0 }, 12);
    expect(dorm.joined.length).toBe(0);
    const zero = leftBehind(scenario((sc) => (sc.behaviour.family.join_rate.value = 0)));
    expect(zero.joined.length).toBe(0);
  });

  it('a child of 16 does not follow, and a dead mother’s link is cleared', () => {
    const sc = scenario((s) => (s.behaviour.family.join_rate.value = 1));
    const w = miniWorld(sc);
    const S = spots(w.places);
    const young = families(w, 50, { place: S.taiyuan, hukouPlace: S.datongVillages }, { place: S.datongVillages, age: 16 });
    const orphans = families(w, 50, { place: S.taiyuan, hukouPlace: S.datongVillages }, { place: S.datongVillages });
    const A = w.agents;
    for (const m of orphans.mothers) {
      // Dies as demography.ts does: out of the counts, then the slot is marked.
      leavePlace(w, m);
      w.homePop[w.places.county[A.hukouPlace[m]]]--;
      A.place[m] = DEAD;
    }
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [family], 12);
    for (const c of young.children) expect(A.place[c]).toBe(S.datongVillages);
    for (const c of orphans.children) {
      expect(A.place[c]).toBe(S.datongVillages);
      expect(A.parent[c]).toBe(-1);
    }
  });
});

describe('family rule: settlement with the mother', () => {
  it('a child living with a mother who holds local urban hukou takes it, counted as a settlement', () => {
    const sc = scenario();
    const w = miniWorld(sc);
    const S = spots(w.places);
    // Mothers settled in Taiyuan (local urban hukou, land rights given up); children with Datong village hukou.
    const settled = families(w, 300, { place: S.taiyuan, flags: Flag.urbanHukou }, { hukouPlace: S.datongVillages, flags: Flag.landRights });
    // Mothers still migrants: their children keep their hukou.
    const migrants = families(w, 300, { place: S.taiyuan, hukouPlace: S.datongVillages }, { hukouPlace: S.datongVillages });
    // A mother at her village: no settlement (only in urban places).
    const villagers = families(w, 300, { place: S.datongVillages }, { hukouPlace: S.datongTown, flags: Flag.urbanHukou });
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [family], 1);
    const A = w.agents;
    for (const c of settled.children) {
      expect(A.hukouPlace[c]).toBe(S.taiyuan);
      expect(A.flags[c] & Flag.urbanHukou).toBe(Flag.urbanHukou);
      expect(A.flags[c] & Flag.landRights).toBe(0);
    }
    for (const c of migrants.children) expect(A.hukouPlace[c]).toBe(S.datongVillages);
    for (const c of villagers.children) expect(A.hukouPlace[c]).toBe(S.datongTown);
    expect(ctx.flows.settlements[S.taiyuan]).toBe(300);
    expect(ctx.flows.settlements.reduce((a, b) => a + b, 0)).toBe(300);
    expect(ctx.flows.landHa[S.taiyuan]).toBeGreaterThan(0);
    const rc = recount(w);
    expect(Array.from(w.network)).toEqual(Array.from(rc.network));
    expect(Array.from(w.homePop)).toEqual(Array.from(rc.homePop));
    expect(Array.from(w.localHukou)).toEqual(Array.from(rc.localHukou));
  });

  it('a left-behind child that joins a settled mother settles with her in the same tick', () => {
    const r = leftBehind(scenario(), { hukouPlace: undefined, flags: Flag.urbanHukou });
    const A = r.w.agents;
    for (const c of r.joined) expect(A.hukouPlace[c]).toBe(r.S.taiyuan);
    expect(r.ctx.flows.settlements[r.S.taiyuan]).toBe(r.joined.length);
  });
});

describe('births and outputs', () => {
  it("a newborn's parent is its mother; a migrant mother leaves it at her hukou village with probability born_left_behind", () => {
    const run = (share: number) => {
      const sc = scenario((s) => (s.behaviour.family.born_left_behind.value = share));
      const w = miniWorld(sc);
      const S = spots(w.places);
      for (let k = 0; k < 3000; k++) addAgent(w, { place: S.datong, hukouPlace: S.datongVillages, age: 28, flags: Flag.landRights | F });
      const n0 = w.agents.count;
      runTicks(w, ctxFor(w, sc, 0, 3), [demography], 12);
      const A = w.agents;
      let home = 0,
        born = 0;
      for (let c = n0; c < A.count; c++) {
        if (A.place[c] === DEAD) continue;
        born++;
        const m = A.parent[c];
        expect(m).toBeGreaterThanOrEqual(0);
        expect(m).toBeLessThan(n0);
        expect(A.flags[m] & F).toBe(F);
        if (A.place[c] === S.datongVillages) {
          home++;
          expect(A.tenure[c]).toBe(Tenure.ruralHome);
        } else expect(A.place[c]).toBe(A.place[m]);
      }
      return { home, born };
    };
    const none = run(0),
      half = run(0.5);
    expect(none.born).toBeGreaterThan(100);
    expect(none.home).toBe(0);
    expectBinomial(half.home, half.born, 0.5);
  });

  it('counts left-behind children, children with migrant parents and the expected left-behind elderly', () => {
    const sc = scenario();
    const w = miniWorld(sc);
    const P = w.places;
    const S = spots(P);
    // 40 left behind in Datong's villages (mothers in Taiyuan), 25 living with migrant mothers in Taiyuan.
    const lb = families(w, 40, { place: S.taiyuan, hukouPlace: S.datongVillages }, { place: S.datongVillages });
    families(w, 25, { place: S.taiyuan, hukouPlace: S.datongVillages });
    // Children of local mothers, and a child whose mother died: neither counts.
    families(w, 10, { place: S.taiyuan });
    const orphan = lb.children[0];
    w.agents.parent[orphan] = -1;
    // 30 elderly at home in the villages; the village's working-age hukou holders: the 65 mothers
    // away, and 35 more at home.
    for (let k = 0; k < 30; k++) addAgent(w, { place: S.datongVillages, age: 70 });
    for (let k = 0; k < 35; k++) addAgent(w, { place: S.datongVillages, age: 40 });
    const shape = { years: [2020] };
    const values = new Float64Array(obsLength(shape));
    const regions = cityRegions([0], P.nCities);
    observe(w, ctxFor(w, sc).flows, regions, shape, 0, values);
    const at = (m: number, region: string) => values[obsIndex(shape, m, REGIONS.indexOf(region as (typeof REGIONS)[number]), 0)];
    expect(at(M.left_behind_children, 'datong')).toBe(39 * w.scale);
    expect(at(M.left_behind_children, 'taiyuan')).toBe(0);
    expect(at(M.children_with_migrant_parents, 'taiyuan')).toBe(25 * w.scale);
    expect(at(M.children_with_migrant_parents, 'shanxi')).toBe(25 * w.scale);
    // 30 elderly x 65 / 100 working-age holders away.
    expect(at(M.left_behind_elderly, 'datong')).toBeCloseTo(30 * 0.65 * w.scale, 6);
  });
});

describe('mothers at the build', () => {
  const sc = baseline({ scale: 1000, endYear: 2021 });
  const a = prepare(sc);

  it('links children to women of the same hukou, 20 to 40 years older, most at the same place, some left behind', () => {
    const A = a.world.agents,
      P = a.world.places;
    let kids = 0,
      linked = 0,
      apart = 0,
      leftBehind = 0,
      villageKids = 0;
    for (let c = 0; c < A.count; c++) {
      if (A.age[c] >= 16) {
        expect(A.parent[c]).toBe(-1);
        continue;
      }
      kids++;
      const m = A.parent[c];
      if (m < 0) continue;
      linked++;
      expect(A.flags[m] & F).toBe(F);
      expect(A.hukouPlace[m]).toBe(A.hukouPlace[c]);
      expect(A.age[m] - A.age[c]).toBeGreaterThanOrEqual(MIN_GAP);
      expect(A.age[m] - A.age[c]).toBeLessThanOrEqual(MAX_GAP);
      if (A.place[m] !== A.place[c]) {
        apart++;
        // Only village children at their hukou village are left behind.
        expect(P.kind[A.place[c]]).toBe(PlaceKind.villages);
        expect(A.hukouPlace[c]).toBe(A.place[c]);
      }
      if (P.kind[A.place[c]] === PlaceKind.villages) {
        villageKids++;
        if (A.place[m] !== A.place[c]) leftBehind++;
      }
    }
    expect(linked).toBeGreaterThan(0.9 * kids);
    expect(apart).toBe(leftBehind);
    expect(leftBehind).toBeGreaterThan(0.1 * villageKids);
    expect(leftBehind).toBeLessThan(0.7 * villageKids);
  });

  it('no left-behind share, no child apart from its mother; the same seed, the same links', () => {
    const none = baseline({ scale: 1000, endYear: 2021 });
    none.world.settlement.left_behind_share_2020.value = 0;
    const b = prepare(none);
    const A = b.world.agents;
    for (let c = 0; c < A.count; c++) if (A.parent[c] >= 0) expect(A.place[A.parent[c]]).toBe(A.place[c]);
    const again = prepare(baseline({ scale: 1000, endYear: 2021 }));
    expect(Array.from(again.world.agents.parent.subarray(0, again.world.agents.count))).toEqual(
      Array.from(a.world.agents.parent.subarray(0, a.world.agents.count)),
    );
  });
});

describe('determinism of the family step', () => {
  it('the same run key gives the same joins; another key, other children', () => {
    const sc = scenario();
    const x = leftBehind(sc, {}, 12, 9),
      y = leftBehind(sc, {}, 12, 9),
      z = leftBehind(sc, {}, 12, 10);
    expect(x.joined).toEqual(y.joined);
    expect(z.joined).not.toEqual(x.joined);
  });
});

describe('the family step reads a mother only when she changed', () => {
  it('runs with every change mark forced on (every column read, each tick) give the same agents and flows', () => {
    // The marks (Agents.marks) are an index: a hook that changed an agent's place, tenure, hukou or
    // permit without marking it would leave the step with a stale copy, and the two runs would part.
    const prep = preparedBaseline({ scale: 1000 });
    const runWith = (forceMarks: boolean) => {
      const w = cloneWorld(prep.world, prep.headroom);
      const ctx = newContext(w, { ...prep.params }, prep.levers, 77);
      const rules = SCHEDULE.map(([name, rule]) =>
        name === 'family' && forceMarks
          ? (x: World, c: typeof ctx) => {
              x.agents.marks.fill(0xffffffff);
              rule(x, c);
            }
          : rule,
      );
      runTicks(w, ctx, rules, 26);
      const A = w.agents,
        n = A.count;
      return {
        columns: [A.place, A.hukouPlace, A.parent, A.flags, A.tenure].map((c) => Array.from(c.subarray(0, n))),
        joined: Array.from(ctx.flows.childrenJoined),
        settlements: Array.from(ctx.flows.settlements),
      };
    };
    const lazy = runWith(false),
      eager = runWith(true);
    expect(lazy.joined.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(lazy).toEqual(eager);
  });
});
