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
import { DEAD, Flag, Tenure } from '../world/agents.js';
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
 * The family step of a tick: children join their mothers and settle with them (see the file's
 * comment). In blocks of ids, as the agent pass (step.ts, occupancy.ts BLOCK): a loop without calls
 * finds the children with something to do (a dead mother, a successful join draw, a hukou to
 * take), which then act in id order; a call in the loop, even one rarely taken, made V8 reload the
 * columns for every agent (measured: 2.0 ms a tick at scale 100 with the calls in the loop).
 */
export const family: Rule = (w, ctx) => {
  const A = w.agents,
    P = w.places,
    par = ctx.params;
  const key = tickKey(ctx.runKey, ctx.tick, Channel.family);
  const parent = A.parent,
    place = A.place,
    age = A.age,
    months = A.months,
    hukou = A.hukouPlace,
    flags = A.flags,
    tenure = A.tenure,
    urban = P.urban;
  const DEAD_ = DEAD,
    CHILD = CHILD_AGE,
    F_permit = Flag.permit,
    F_land = Flag.landRights,
    T_dorm = Tenure.dormitory,
    schoolByPermit = par.permitOpensSchooling,
    joinTick = par.joinTick,
    joinSchoolTick = par.joinSchoolTick,
    withParent = par.moveWithParent;
  // The agent pass's candidate buffer (scratch.ts), free once the pass is over.
  const count = A.count,
    cand = ctx.scratch.pass.candidates;
  for (let from = 0; from < count; from += BLOCK) {
    const to = Math.min(count, from + BLOCK);
    let nc = 0;
    for (let i = from; i < to; i++) {
      const m = parent[i];
      // From 16 the link moves no one (and is left as it is): the mother's columns are not read.
      if (m < 0 || age[i] >= CHILD) continue;
      const p = place[i];
      if (p === DEAD_) continue;
      const d = place[m];
      if (d === DEAD_) cand[nc++] = i;
      else if (p !== d) {
        if (tenure[m] === T_dorm) continue;
        const school = hukou[m] === d || (schoolByPermit && (flags[m] & F_permit) !== 0);
        const prob = months[m] === 0 ? withParent : school ? joinSchoolTick : joinTick;
        if (drawKeyed(key, i) < prob) cand[nc++] = i;
      } else if (hukou[i] !== p && urban[p] && hukou[m] === p) cand[nc++] = i;
    }
    for (let c = 0; c < nc; c++) {
      const i = cand[c],
        m = parent[i],
        d = place[m];
      if (d === DEAD_) {
        parent[i] = -1;
        continue;
      }
      if (place[i] !== d) join(w, ctx, i, d, tenure[m]);
      if (urban[d] && hukou[m] === d && hukou[i] !== d) takeHukou(w, ctx, i, (flags[i] & F_land) !== 0 && (flags[m] & F_land) === 0);
    }
  }
};
