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

/** Applies one tick of permit issuing and hukou settlement. */
export function settlement(w: World, ctx: TickContext): void {
  const A = w.agents, P = w.places, par = ctx.params, f = ctx.flows, n = P.n;
  const kSettle = tickKey(ctx.runKey, ctx.tick, Channel.settle);
  const kPermit = tickKey(ctx.runKey, ctx.tick, Channel.permit);
  const kExit = tickKey(ctx.runKey, ctx.tick, Channel.landExit);
  const place = A.place, hukouPlace = A.hukouPlace, urban = P.urban;
  for (let i = 0; i < A.count; i++) {
    const p = place[i];
    if (p === DEAD || !urban[p]) continue;
    const hp = hukouPlace[i];
    if (hp === p) continue;
    let flags = A.flags[i];
    if (!(flags & Flag.permit) && A.months[i] >= par.permitMinMonths && drawKeyed(kPermit, i) < par.permitTick) {
      flags |= Flag.permit;
    }
    const tier = P.tier[p];
    let prob = par.settleTick * par.openness[tier];
    if (prob > 0 && A.months[i] >= par.requiredMonths[tier]) {
      if (A.emp[i] === Emp.urbanJob && A.months[i] >= 12) prob *= 1 + par.stableJobBoost;
      if (A.tenure[i] === Tenure.owned || A.tenure[i] === Tenure.sharedOwnership) prob *= 1 + par.ownedHomeBoost;
      const hasLand = (flags & Flag.landRights) !== 0;
      if (par.landCondition && hasLand) prob *= 1 - par.landAversion;
      if (drawKeyed(kSettle, i) < prob) {
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
        f.landHa[p] += ha;
        grantLand(w, par, p, ha);
      }
    }
    A.flags[i] = flags;
  }
}
