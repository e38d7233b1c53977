/**
 * Households (docs/model.md, 5.10): children under 16 and their mothers (the `parent` column).
 * The step runs after the agent pass; for each living child whose mother is alive:
 *  - joining (随迁): a child living at another place than its mother joins her with per-tick
 *    probability
 *        move_with_parent                        if she moved in this tick (months = 0),
 *        perTick(min(1, join_rate x F))          otherwise,
 *    F = schooling_join_factor where her place schools migrants' children (she holds local hukou
 *    there, or a permit and levers.residence_permit.opens_schooling), else 1. Never to a mother in
 *    a dormitory. One keyed draw per separated child and tick (channel `family`). The child takes
 *    her place and tenure without a capacity check (as at birth: it lives in her home), through
 *    the occupancy bookkeeping, its months in place restart and its permit ends; the move is
 *    counted in the move matrix and in `childrenJoined` at the place joined.
 *  - settlement with the mother: a child living with its mother in an urban place where she holds
 *    local hukou, with its hukou elsewhere, takes her hukou (a settlement, settlement.ts
 *    `takeHukou`, counted with its transfer and land quota); it gives up its land rights if she
 *    holds none.
 * A dead mother's link is cleared (for a child under 16). From 16 the link no longer moves anyone
 * and is no longer read here: the young adult decides for itself (migration).
 */
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import { DEAD, Flag, markChanged, Tenure } from '../world/agents.js';
import { CHILD_AGE } from '../world/family.js';
import { flowClass, flowClasses } from '../world/places.js';
import type { World } from '../world/world.js';
import type { Rule, TickContext } from './context.js';
import { BLOCK, enterPlace, leavePlace } from './occupancy.js';
import { takeHukou } from './settlement.js';

/** Child i joins its mother at place d with her tenure t. */
function join(w: World, ctx: TickContext, i: number, d: number, t: number): void {
  const A = w.agents,
    P = w.places,
    f = ctx.flows;
  const p = A.place[i];
  leavePlace(w, i);
  A.flags[i] &= ~Flag.permit;
  A.months[i] = 0;
  enterPlace(w, i, d, t);
  const nc1 = P.nCities + 1;
  f.moves[P.city[p] * nc1 + P.city[d]]++;
  f.odMoves[flowClass(P, p) * flowClasses(P.nCities) + flowClass(P, d)]++;
  f.childrenJoined[d]++;
  // The urban gain by migration (context.ts `urbanMoves`): a child's move counts like any other.
  if (P.urban[p]) f.urbanMoves[p]--;
  if (P.urban[d]) f.urbanMoves[d]++;
}

/**
 * The children the family step visits: ids with a mother link, under 16 and alive, in id order, in
 * the run's scratch (scratch.ts, FamilyScratch), with their mother's id, and their own and their
 * mother's place and hukou as the step last read them. Those states never come back (a cleared link
 * is never set again, age only grows, the dead stay dead), so a child leaves the list for good when
 * it loses one of them; the agents added since the last call (`seen`: the newborns, or at the first
 * call every agent) are appended, in id order, so the list is always sorted.
 */
function children(w: World, ctx: TickContext): void {
  const A = w.agents,
    F = ctx.scratch.family,
    parent = A.parent,
    age = A.age,
    place = A.place,
    hukou = A.hukouPlace,
    count = A.count,
    CHILD = CHILD_AGE;
  for (let i = F.seen; i < count; i++) {
    const m = parent[i];
    if (m < 0 || age[i] >= CHILD || place[i] === DEAD) continue;
    if (2 * F.n === F.pairs.length) {
      F.pairs = grown(F.pairs, new Int32Array(2 * F.pairs.length));
      F.states = grown(F.states, new Uint16Array(2 * F.states.length));
    }
    const k = F.n++;
    F.pairs[2 * k] = i;
    F.pairs[2 * k + 1] = m;
    F.states[4 * k] = place[i];
    F.states[4 * k + 1] = hukou[i];
    F.states[4 * k + 2] = place[m];
    F.states[4 * k + 3] = hukou[m];
  }
  F.seen = count;
}

/** `to` holding `from` at its start. */
function grown<T extends Int32Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * The family step of a tick: children join their mothers and settle with them (see the file's
 * comment). It visits the children of the run's list (`children`), not every agent, and reads the
 * child's and the mother's place and hukou only when they may have changed: they are kept in the
 * list, and re-read when the agent's change mark is set (Agents.marks: its place, tenure, hukou or
 * permit changed since the step's last pass; every other column of the mother's that the step reads
 * is read directly where it decides). A mother lives elsewhere in the columns, so each read of hers
 * is a cache miss: over every agent, reading her place for every child, the step cost 3.3 ns an
 * agent-tick at scale 100 and 6.9 at scale 1. The list's entries are packed (`pairs`, `states`):
 * the step repeated on one tick's world (scale 100, 2022) took 14-16 ns per child with one typed
 * array per field, 10.5 packed. In blocks of ids, as the agent pass (step.ts, occupancy.ts BLOCK):
 * a loop without calls finds the block's children with something to do (a dead mother, a successful
 * join draw, a hukou to take), which then act in id order, so that the results are those of a loop
 * over every id; a call in the loop, even one rarely taken, made V8 reload the columns for every
 * agent (measured: 2.0 ms a tick at scale 100 with the calls in the loop). After the pass every
 * mark is cleared, and those of the children that acted are set again: a child that acted may be
 * the mother (at 15) of a child the pass had already visited.
 */
export const family: Rule = (w, ctx) => {
  const A = w.agents,
    P = w.places,
    par = ctx.params;
  children(w, ctx);
  const key = tickKey(ctx.runKey, ctx.tick, Channel.family);
  const parent = A.parent,
    place = A.place,
    age = A.age,
    months = A.months,
    hukou = A.hukouPlace,
    flags = A.flags,
    tenure = A.tenure,
    marks = A.marks,
    urban = P.urban;
  const DEAD_ = DEAD,
    CHILD = CHILD_AGE,
    F_permit = Flag.permit,
    F_land = Flag.landRights,
    T_dorm = Tenure.dormitory,
    schoolByPermit = par.permitOpensSchooling,
    joinTick = par.joinTick,
    joinSchoolTick = par.joinSchoolTick,
    withParent = par.moveWithParent,
    joinMax = Math.max(joinTick, joinSchoolTick);
  // The agent pass's candidate buffer (scratch.ts), free once the pass is over.
  const cand = ctx.scratch.pass.candidates,
    F = ctx.scratch.family,
    pairs = F.pairs,
    states = F.states,
    n = F.n;
  let kept = 0,
    nActed = 0;
  for (let at = 0; at < n; ) {
    // The children of one block of ids [from, from + BLOCK).
    const from = pairs[2 * at] - (pairs[2 * at] % BLOCK),
      to = from + BLOCK;
    let nc = 0;
    for (; at < n; at++) {
      const i = pairs[2 * at];
      if (i >= to) break;
      // From 16 the link moves no one: the child leaves the list.
      if (age[i] >= CHILD) continue;
      const m = pairs[2 * at + 1];
      let p = states[4 * at],
        hc = states[4 * at + 1],
        d = states[4 * at + 2],
        hm = states[4 * at + 3];
      // The child's or the mother's columns, only if they changed since the last pass (marks).
      if ((marks[i >>> 5] & (1 << (i & 31))) !== 0) {
        p = place[i];
        if (p === DEAD_) continue;
        hc = hukou[i];
      }
      const changed = (marks[m >>> 5] & (1 << (m & 31))) !== 0;
      if (changed) {
        d = place[m];
        hm = hukou[m];
      }
      // A dead mother: the link is cleared below, and the child leaves the list.
      if (d === DEAD_) {
        cand[nc++] = i;
        continue;
      }
      pairs[2 * kept] = i;
      pairs[2 * kept + 1] = m;
      states[4 * kept] = p;
      states[4 * kept + 1] = hc;
      states[4 * kept + 2] = d;
      states[4 * kept++ + 3] = hm;
      if (p !== d) {
        // The draw first (keyed: it is the same whenever it is made). Over both join rates only a
        // mother who moved in this tick (months 0) can take the child; such a mother is marked:
        // the tick's agent pass (SCHEDULE, run.ts) has counted every living agent's months up
        // before this step, so months 0 here means a move in this tick, and a move marks
        // (enterPlace).
        const u = drawKeyed(key, i);
        if (u >= joinMax) {
          if (changed && months[m] === 0 && u < withParent && tenure[m] !== T_dorm) cand[nc++] = i;
          continue;
        }
        if (tenure[m] === T_dorm) continue;
        const school = hm === d || (schoolByPermit && (flags[m] & F_permit) !== 0);
        const prob = months[m] === 0 ? withParent : school ? joinSchoolTick : joinTick;
        if (u < prob) cand[nc++] = i;
      } else if (hc !== p && urban[p] && hm === p) cand[nc++] = i;
    }
    for (let c = 0; c < nc; c++) {
      const i = cand[c],
        m = parent[i],
        d = place[m];
      if (d === DEAD_) {
        parent[i] = -1;
        continue;
      }
      if (F.acted.length === nActed) F.acted = grown(F.acted, new Int32Array(2 * nActed));
      F.acted[nActed++] = i;
      if (place[i] !== d) join(w, ctx, i, d, tenure[m]);
      if (urban[d] && hukou[m] === d && hukou[i] !== d) takeHukou(w, ctx, i, (flags[i] & F_land) !== 0 && (flags[m] & F_land) === 0);
    }
  }
  F.n = kept;
  marks.fill(0);
  for (let k = 0; k < nActed; k++) markChanged(A, F.acted[k]);
};
