import { describe, expect, it } from 'vitest';
import { settlement } from '../src/model/step.js';
import type { Scenario } from '../src/scenario/schema.js';
import { Emp, Flag } from '../src/world/agents.js';
import type { World } from '../src/world/world.js';
import { addAgents, baselineScenario, countWhere, ctxFor, miniWorld, runTicks, setJobs, spots, type AgentSpec, type Spots } from './helpers/mini-world.js';

/**
 * 4000 rural-hukou migrants from a Datong county with stable jobs in Taiyuan's centre (tier
 * taiyuan), run through `ticks` ticks of the settlement rule alone (months do not advance: the
 * migration rule counts them).
 */
function settle(sc: Scenario, spec: Partial<AgentSpec> = {}, ticks = 12, place?: (S: Spots) => number) {
  const w = miniWorld(sc);
  const S = spots(w.places);
  const p = place ? place(S) : S.taiyuan;
  const ids = addAgents(w, 4000, { place: p, hukouPlace: S.datongVillages, emp: Emp.urbanJob, months: 600, ...spec });
  setJobs(w, p, 0, 4000);
  const ctx = ctxFor(w, sc, 0, 5);
  const before = { network: w.network.slice(), homePop: w.homePop.slice() };
  runTicks(w, ctx, [settlement], ticks);
  const A = w.agents;
  const settlers = ids.filter((i) => A.hukouPlace[i] === p);
  return { w, S, p, ids, ctx, settlers, before, count: ctx.flows.settlements[p] };
}

const withLevers = (edit: (sc: Scenario) => void): Scenario => {
  const sc = baselineScenario();
  edit(sc);
  return sc;
};

describe('settlement rule', () => {
  it('more openness of the tier means more settlements', () => {
    const low = settle(withLevers((sc) => (sc.levers.hukou.openness_taiyuan = 0.3)));
    const high = settle(withLevers((sc) => (sc.levers.hukou.openness_taiyuan = 0.9)));
    expect(low.count).toBeGreaterThan(30);
    expect(high.count).toBeGreaterThan(2 * low.count);
    // Common random numbers: whoever settles under the closed policy also settles under the open one.
    const highSet = new Set(high.settlers);
    expect(low.settlers.every((i) => highSet.has(i))).toBe(true);
  });

  it('the permit lever changes who gets a permit, not who settles (one draw, fixed bands)', () => {
    const slow = settle(withLevers((sc) => (sc.levers.residence_permit.issue_multiplier = 0.2)));
    const fast = settle(withLevers((sc) => (sc.levers.residence_permit.issue_multiplier = 3)));
    const permits = (r: typeof slow) => countWhere(r.w, r.ids, (i) => (r.w.agents.flags[i] & Flag.permit) !== 0);
    expect(permits(fast)).toBeGreaterThan(2 * permits(slow));
    expect(slow.count).toBeGreaterThan(30);
    expect(fast.settlers).toEqual(slow.settlers);
  });

  it('each tier answers to its own openness lever', () => {
    const sc = withLevers((s) => {
      s.levers.hukou.openness_county = 0;
      s.levers.hukou.openness_taiyuan = 1;
    });
    const town = settle(sc, {}, 12, (S) => S.datongTown);
    const taiyuan = settle(sc);
    expect(town.count).toBe(0);
    expect(taiyuan.count).toBeGreaterThan(30);
  });

  it('no one settles before the required years of residence', () => {
    const strict = settle(
      withLevers((sc) => (sc.levers.hukou.required_years_taiyuan = 3)),
      { months: 24 },
    );
    const lenient = settle(
      withLevers((sc) => (sc.levers.hukou.required_years_taiyuan = 2)),
      { months: 24 },
    );
    expect(strict.count).toBe(0);
    expect(lenient.count).toBeGreaterThan(30);
  });

  it('making settlers give up land rights means fewer settlements, and settlers lose them', () => {
    const keep = settle(withLevers((sc) => (sc.levers.hukou.land_rights_condition = false)));
    const give = settle(withLevers((sc) => (sc.levers.hukou.land_rights_condition = true)));
    const A = give.w.agents;
    expect(give.count).toBeGreaterThan(20);
    // Land aversion 0.7: about 0.3 times as many.
    expect(keep.count).toBeGreaterThan(2 * give.count);
    expect(give.settlers.every((i) => (A.flags[i] & Flag.landRights) === 0)).toBe(true);
    // Without the condition, only the paid-exit share (2% of settlers) gives land up.
    const kept = keep.settlers.filter((i) => (keep.w.agents.flags[i] & Flag.landRights) !== 0).length;
    expect(kept).toBeGreaterThan(0.9 * keep.count);
    expect(kept).toBeLessThan(keep.count + 1);
  });

  it('a settler takes its hukou to the place, becomes urban-hukou and moves in the network counts', () => {
    const r = settle(
      withLevers((sc) => (sc.levers.hukou.openness_taiyuan = 1)),
      { flags: Flag.landRights | Flag.permit },
    );
    const { w, S, p, settlers, before } = r;
    const A = w.agents,
      P = w.places;
    expect(settlers.length).toBeGreaterThan(100);
    expect(settlers.length).toBe(r.count);
    for (const i of settlers) {
      expect(A.flags[i] & Flag.urbanHukou).toBe(Flag.urbanHukou);
      expect(A.flags[i] & Flag.permit).toBe(0);
      expect(A.place[i]).toBe(p);
    }
    const origin = S.datongCounty,
      dest = P.county[p],
      n = P.n;
    expect(w.network[origin * n + p]).toBe(before.network[origin * n + p] - settlers.length);
    expect(w.network[dest * n + p]).toBe(before.network[dest * n + p] + settlers.length);
    expect(w.homePop[origin]).toBe(before.homePop[origin] - settlers.length);
    expect(w.homePop[dest]).toBe(before.homePop[dest] + settlers.length);
  });

  it('a stable job makes settling more likely', () => {
    const sc = baselineScenario();
    const jobless = settle(sc, { emp: Emp.unemployed });
    const working = settle(sc, { emp: Emp.urbanJob });
    expect(jobless.count).toBeGreaterThan(30);
    expect(working.count).toBeGreaterThan(1.5 * jobless.count);
  });

  it('permits are issued only after permit_min_months of residence, and never to local hukou', () => {
    const closed = withLevers((sc) => {
      sc.levers.hukou.openness_taiyuan = 0;
    });
    const min = closed.behaviour.settlement.permit_min_months.value;
    const permits = (r: ReturnType<typeof settle>) => countWhere(r.w, r.ids, (i) => (r.w.agents.flags[i] & Flag.permit) !== 0);
    const fresh = settle(closed, { months: min - 1 });
    const settled = settle(closed, { months: min });
    expect(permits(fresh)).toBe(0);
    // Permit rate 0.3 a year: about a quarter of 4000 within twelve ticks.
    expect(permits(settled)).toBeGreaterThan(600);
    const w: World = miniWorld(closed);
    const S = spots(w.places);
    const own = addAgents(w, 2000, { place: S.taiyuan, months: 600 });
    runTicks(w, ctxFor(w, closed, 0, 5), [settlement], 12);
    expect(countWhere(w, own, (i) => (w.agents.flags[i] & Flag.permit) !== 0)).toBe(0);
  });
});
