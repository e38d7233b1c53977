/**
 * Demography: ageing, deaths and births (docs/model.md, "Demography").
 *  - Ageing: agent i turns a year older in the tick where tick mod T = i mod T (T ticks a year),
 *    which spreads birthdays evenly over the year without a draw.
 *  - Deaths: Gompertz hazard m(a) = A exp(B a), A calibrated so the first year's crude death rate
 *    equals the census year's.
 *  - Births: women 15-49 give birth with probability f(a) (1 + trend)^years; the child takes the
 *    mother's place, housing and hukou (place and type): births are registered to the mother's hukou.
 */
import { Channel, drawKeyed, tickKey } from '../core/random.js';
import { DEAD, Emp, Flag, Tenure } from '../world/agents.js';
import type { World } from '../world/world.js';
import type { TickContext } from './context.js';
import { enterPlace, leavePlace } from './occupancy.js';

/** Applies one tick of ageing, deaths and births. Newborns are appended and first act next tick. */
export function demography(w: World, ctx: TickContext): void {
  const A = w.agents, P = w.places, par = ctx.params, f = ctx.flows;
  const tpy = par.tpy, birthday = ctx.tick % tpy;
  const kDeath = tickKey(ctx.runKey, ctx.tick, Channel.death);
  const kBirth = tickKey(ctx.runKey, ctx.tick, Channel.birth);
  const kSex = tickKey(ctx.runKey, ctx.tick, Channel.birthSex);
  const fertMult = Math.pow(1 + par.fertilityTrend, ctx.years);
  const n = A.count;
  for (let i = 0; i < n; i++) {
    const p = A.place[i];
    if (p === DEAD) continue;
    let age = A.age[i];
    if (i % tpy === birthday && age < 255) A.age[i] = ++age;
    if (drawKeyed(kDeath, i) < par.deathTick[age]) {
      if (A.emp[i] === Emp.urbanJob && P.urban[p]) f.attrition[p]++;
      leavePlace(w, i);
      w.homePop[P.county[A.hukouPlace[i]]]--;
      A.place[i] = DEAD;
      f.deaths[p]++;
      continue;
    }
    if (A.flags[i] & Flag.female && drawKeyed(kBirth, i) < par.fertTick[age] * fertMult) {
      const c = A.add();
      const hukou = A.hukouPlace[i];
      A.hukouPlace[c] = hukou;
      A.age[c] = 0;
      A.skill[c] = 0;
      A.emp[c] = Emp.outOfLabourForce;
      A.months[c] = 0;
      A.income[c] = 0;
      let flags = A.flags[i] & Flag.urbanHukou;
      if (!flags && hukou !== P.outside) flags |= Flag.landRights;
      if (drawKeyed(kSex, c) < par.femaleBirthShare) flags |= Flag.female;
      A.flags[c] = flags;
      enterPlace(w, c, p, A.tenure[i] === Tenure.dormitory ? Tenure.marketRent : A.tenure[i]);
      w.homePop[P.county[hukou]]++;
      f.births[p]++;
    }
  }
}
