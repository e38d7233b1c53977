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
import { drawKeyed } from '../core/random.js';
import { Emp, Flag, markChanged, Tenure } from '../world/agents.js';
import type { World } from '../world/world.js';
import type { TickContext } from './context.js';
import { grantLand } from './land.js';

/**
 * The most a settlement probability can be in this scenario's parameters, whatever the levers
 * (openness is at most 1 and the land condition only lowers it): the width of the settlement
 * band of the agent pass (step.ts), reserved for every urban resident without local hukou, so
 * that the hukou levers never shift another rule's band.
 */
export const settleCap = (par: TickContext['params']): number => par.settleTick * (1 + Math.max(0, par.stableJobBoost)) * (1 + Math.max(0, par.ownedHomeBoost));

/**
 * The per-tick settlement probability of urban resident i without local hukou:
 * q x openness of the tier, if its months in place reach the tier's requirement, raised by a
 * stable job and an owned home, lowered by land aversion where settling costs land rights.
 */
export function settleProbability(w: World, par: TickContext['params'], i: number): number {
  const A = w.agents,
    tier = w.places.tier[A.place[i]],
    months = A.months[i];
  let prob = par.settleTick * par.openness[tier];
  if (!(prob > 0) || months < par.requiredMonths[tier]) return 0;
  if (A.emp[i] === Emp.urbanJob && months >= 12) prob *= 1 + par.stableJobBoost;
  const t = A.tenure[i];
  if (t === Tenure.owned || t === Tenure.sharedOwnership) prob *= 1 + par.ownedHomeBoost;
  if (par.landCondition && (A.flags[i] & Flag.landRights) !== 0) prob *= 1 - par.landAversion;
  return prob;
}

/** Urban resident i without local hukou gets a residence permit if it has none and has stayed the minimum time. */
export function grantPermit(w: World, par: TickContext['params'], i: number): void {
  const A = w.agents;
  if (!(A.flags[i] & Flag.permit) && A.months[i] >= par.permitMinMonths) {
    A.flags[i] |= Flag.permit;
    markChanged(A, i);
  }
}

/** Agent i takes local urban hukou at the place it lives in (it may give up its rural land rights). */
export function settle(w: World, ctx: TickContext, i: number, kExit: number): void {
  const par = ctx.params,
    hasLand = (w.agents.flags[i] & Flag.landRights) !== 0;
  takeHukou(w, ctx, i, hasLand && (par.landCondition || drawKeyed(kExit, i) < par.paidLandExit));
}

/**
 * The bookkeeping of a settlement: agent i's hukou moves to the place it lives in and becomes
 * urban, its permit ends, it gives up its land rights if `dropLand`; the settlement is counted,
 * and the place receives the transfer per settler and the land quota (and the homestead land given
 * up). Used by `settle` and by a child's settlement with its mother (family.ts).
 */
export function takeHukou(w: World, ctx: TickContext, i: number, dropLand: boolean): void {
  const A = w.agents,
    P = w.places,
    par = ctx.params,
    f = ctx.flows,
    n = P.n;
  const p = A.place[i],
    hp = A.hukouPlace[i];
  let flags = A.flags[i];
  const oldHome = P.county[hp],
    newHome = P.county[p];
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
  if (dropLand) {
    flags &= ~Flag.landRights;
    ha += par.haExitPerPerson * par.scale;
  }
  A.flags[i] = flags;
  markChanged(A, i);
  f.landHa[p] += ha;
  grantLand(w, p, ha);
}
