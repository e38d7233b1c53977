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
import { BLOCK, enterPlace, leavePlace } from './occupancy.js';

let mothers = new Int32Array(1024);
/** The deaths and births of one block of the pass (ids; a birth's id is stored as -1 - mother). */
const events = new Int32Array(BLOCK);

/**
 * Applies one tick of ageing, deaths and births. Newborns are appended after the pass; the later
 * rules of the same tick see them.
 *
 * The pass runs in blocks of BLOCK agents: the loop over a block only decides (draws and
 * compares, no calls), and the block's deaths are applied after it, in id order. Nothing the loop
 * reads is changed by a death, so the results are those of applying each death at once
 * (occupancy.ts, BLOCK).
 */
export function demography(w: World, ctx: TickContext): void {
  const A = w.agents, P = w.places, par = ctx.params, f = ctx.flows;
  const tpy = par.tpy;
  const kDraw = tickKey(ctx.runKey, ctx.tick, Channel.demography);
  const fertMult = Math.pow(1 + par.fertilityTrend, ctx.years);
  // Columns in locals: the loop body then reads typed arrays directly (measured 2x faster than
  // going through the Agents object each time). Births are recorded and appended after the loop,
  // so that no column is reallocated while the loop holds it.
  const place = A.place, ageCol = A.age, flags = A.flags, deathTick = par.deathTick, fertBySexAge = par.fertBySexAge;
  const n = A.count;
  let nMothers = 0;
  // Constants in locals: an imported object's property read in the loop costs a load each time (measured ~1 ns per agent).
  const DEAD_ = DEAD, E_urbanJob = Emp.urbanJob, F_female = Flag.female;
  let phase = (n === 0 ? 0 : ((0 - ctx.tick) % tpy) + tpy) % tpy; // i mod tpy == tick mod tpy <=> phase == 0
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    let nEvents = 0;
    for (let i = start; i < end; i++, phase = phase === tpy - 1 ? 0 : phase + 1) {
      if (place[i] === DEAD_) continue;
      let age = ageCol[i];
      if (phase === 0 && age < 255) ageCol[i] = ++age;
      // One draw decides both: death below the death rate, a birth at or above 1 - the birth rate
      // (0 for men: cheaper than a branch on sex). The bands sit at fixed ends of [0, 1), so a
      // change of one rate leaves the other decision of every agent as it was.
      const u = drawKeyed(kDraw, i);
      if (u < deathTick[age]) events[nEvents++] = i;
      else if (u >= 1 - fertBySexAge[((flags[i] & F_female) << 7) | age] * fertMult) events[nEvents++] = -1 - i;
    }
    for (let k = 0; k < nEvents; k++) {
      const e = events[k];
      if (e < 0) {
        if (nMothers === mothers.length) { const m = new Int32Array(mothers.length * 2); m.set(mothers); mothers = m; }
        mothers[nMothers++] = -1 - e;
        continue;
      }
      const p = place[e];
      if (A.emp[e] === E_urbanJob && P.urban[p]) f.attrition[p]++;
      leavePlace(w, e);
      w.homePop[P.county[A.hukouPlace[e]]]--;
      place[e] = DEAD_;
      f.deaths[p]++;
    }
  }
  const kSex = tickKey(ctx.runKey, ctx.tick, Channel.birthSex);
  for (let k = 0; k < nMothers; k++) bear(w, ctx, mothers[k], kSex);
}

/** Appends the child of mother m. */
function bear(w: World, ctx: TickContext, m: number, kSex: number): void {
  const A = w.agents, P = w.places;
  const c = A.add();
  const hukou = A.hukouPlace[m];
  A.hukouPlace[c] = hukou;
  A.age[c] = 0;
  A.skill[c] = 0;
  A.emp[c] = Emp.outOfLabourForce;
  A.months[c] = 0;
  let flags = A.flags[m] & Flag.urbanHukou;
  if (!flags && hukou !== P.outside) flags |= Flag.landRights;
  if (drawKeyed(kSex, c) < ctx.params.femaleBirthShare) flags |= Flag.female;
  A.flags[c] = flags;
  const p = A.place[m];
  enterPlace(w, c, p, A.tenure[m] === Tenure.dormitory ? Tenure.marketRent : A.tenure[m]);
  w.homePop[P.county[hukou]]++;
  ctx.flows.births[p]++;
}
