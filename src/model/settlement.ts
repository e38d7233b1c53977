/**
 * Hukou settlement (落户) and residence permits (居住证) (docs/model.md, "Hukou settlement").
 * An urban resident whose hukou is elsewhere settles with per-tick probability
 *
 *   p = q * openness_tier * [months >= required_tier] * (1 + b_J job) * (1 + b_O owner) * L
 *
 * q the base rate, openness and required time the levers of the place's tier (Taiyuan, other
 * prefecture cities, county towns and town seats), job = an urban job and a year in the place, owner = an
 * owned home, L = 1 - land aversion when settling means giving up rural land rights (the
 * land-rights lever) and the agent holds them. A settler's hukou moves to the place and becomes
 * urban; the land it brings is granted to the place (land.ts) and so is the fiscal transfer per
 * settled person (市民化奖励), which funds services for residents without local hukou. Residents without local hukou get
 * a permit after a minimum stay with a per-tick probability (the permit lever scales it).
 */
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import { DEAD, Emp, Flag, Tenure } from '../world/agents.js';
import type { World } from '../world/world.js';
import type { TickContext } from './context.js';
import { grantLand } from './land.js';
import { BLOCK } from './occupancy.js';

/** The settlers of one block of the pass. */
const settlers = new Int32Array(BLOCK);

/**
 * Applies one tick of permit issuing and hukou settlement. The pass runs in blocks (occupancy.ts,
 * BLOCK): the loop over a block issues permits and draws who settles; the block's settlers then
 * settle in id order (`settle`). The loop reads no stock that a settlement alters, so the results
 * are those of settling at once.
 */
export function settlement(w: World, ctx: TickContext): void {
  const A = w.agents, P = w.places, par = ctx.params;
  const kDraw = tickKey(ctx.runKey, ctx.tick, Channel.settle);
  const kExit = tickKey(ctx.runKey, ctx.tick, Channel.landExit);
  const place = A.place, hukouPlace = A.hukouPlace, urban = P.urban, flagsCol = A.flags, monthsCol = A.months;
  const empCol = A.emp, tenureCol = A.tenure, tierOf = P.tier;
  const permitMinMonths = par.permitMinMonths, permitFrom = 1 - par.permitTick, settleTick = par.settleTick;
  const openness = par.openness, requiredMonths = par.requiredMonths, stableJobBoost = par.stableJobBoost;
  const ownedHomeBoost = par.ownedHomeBoost, landCondition = par.landCondition, landAversion = par.landAversion;
  // Constants in locals: an imported object's property read in the loop costs a load each time (measured ~1 ns per agent).
  const DEAD_ = DEAD, E_urbanJob = Emp.urbanJob, F_landRights = Flag.landRights, F_permit = Flag.permit, T_owned = Tenure.owned, T_sharedOwnership = Tenure.sharedOwnership;
  const count = A.count;
  for (let start = 0; start < count; start += BLOCK) {
    const end = Math.min(count, start + BLOCK);
    let n = 0;
    for (let i = start; i < end; i++) {
      const p = place[i];
      if (p === DEAD_ || !urban[p]) continue;
      if (hukouPlace[i] === p) continue;
      const months = monthsCol[i];
      const flags = flagsCol[i];
      // One draw decides both: settling below the settlement probability, a permit at or above
      // 1 - the permit rate (fixed ends of [0, 1): a lever that changes one rate leaves the other
      // decision of every agent as it was).
      const u = drawKeyed(kDraw, i);
      if (!(flags & F_permit) && months >= permitMinMonths && u >= permitFrom) flagsCol[i] = flags | F_permit;
      const tier = tierOf[p];
      let prob = settleTick * openness[tier];
      if (prob > 0 && months >= requiredMonths[tier]) {
        if (empCol[i] === E_urbanJob && months >= 12) prob *= 1 + stableJobBoost;
        const t = tenureCol[i];
        if (t === T_owned || t === T_sharedOwnership) prob *= 1 + ownedHomeBoost;
        if (landCondition && (flags & F_landRights) !== 0) prob *= 1 - landAversion;
        if (u < prob) settlers[n++] = i;
      }
    }
    for (let k = 0; k < n; k++) settle(w, ctx, settlers[k], kExit);
  }
}

/** Agent i takes local urban hukou at the place it lives in (it may give up its rural land rights). */
function settle(w: World, ctx: TickContext, i: number, kExit: number): void {
  const A = w.agents, P = w.places, par = ctx.params, f = ctx.flows, n = P.n;
  const p = A.place[i], hp = A.hukouPlace[i];
  let flags = A.flags[i];
  const hasLand = (flags & Flag.landRights) !== 0;
  const oldHome = P.county[hp], newHome = P.county[p];
  w.network[oldHome * n + p]--;
  w.network[newHome * n + p]++;
  w.homePop[oldHome]--;
  w.homePop[newHome]++;
  A.hukouPlace[i] = p;
  flags = (flags | Flag.urbanHukou) & ~Flag.permit;
  w.localHukou[p]++;
  f.settlements[p]++;
  w.fund[p] += par.transferPerSettler * par.scale;
  let ha = par.haPerSettler * par.scale;
  if (hasLand && (par.landCondition || drawKeyed(kExit, i) < par.paidLandExit)) {
    flags &= ~Flag.landRights;
    ha += par.haExitPerPerson * par.scale;
  }
  A.flags[i] = flags;
  f.landHa[p] += ha;
  grantLand(w, par, p, ha);
}
