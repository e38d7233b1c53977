/**
 * Demography: ageing, deaths and births (docs/model.md, "Demography").
 *  - Ageing: agent i turns a year older in the tick where tick mod T = i mod T (T ticks a year),
 *    which spreads birthdays evenly over the year without a draw. The agent pass (step.ts) ages.
 *  - Deaths: Gompertz hazard m(a) = A exp(B a), A calibrated so the first year's crude death rate
 *    equals the census year's.
 *  - Births: women 15-49 give birth with probability f(a) (1 + trend)^years; the child takes the
 *    mother's place, housing and hukou (place and type): births are registered to the mother's hukou.
 *    The child's parent link is its mother (model/family.ts); a mother living away from her Shanxi
 *    hukou village may leave the child there (left behind, 留守).
 * Death and birth are the two lowest bands of the agent's one draw of the tick (step.ts).
 */
import { drawKeyed } from '../core/random.js';
import { DEAD, Emp, Flag, Tenure } from '../world/agents.js';
import { PlaceKind } from '../world/places.js';
import type { World } from '../world/world.js';
import type { Flows, TickContext } from './context.js';
import { enterPlace, leavePlace } from './occupancy.js';

/** The fertility multiplier of the tick, (1 + trend)^years. */
export const fertilityMultiplier = (ctx: TickContext): number => Math.pow(1 + ctx.params.fertilityTrend, ctx.years);

/** The width of the death and birth bands by (sex, age), index (female flag << 7) | age: death(age) + birth(sex, age). */
export function demographyWidths(ctx: TickContext, out: Float64Array): void {
  const par = ctx.params,
    mult = fertilityMultiplier(ctx);
  for (let k = 0; k < 512; k++) out[k] = par.deathTick[k & 255] + par.fertBySexAge[k] * mult;
}

/** Agent i dies: it leaves its place's counts (and job), and its slot is marked dead. */
export function die(w: World, f: Flows, i: number): void {
  const A = w.agents,
    P = w.places,
    p = A.place[i];
  if (A.emp[i] === Emp.urbanJob && P.urban[p]) f.attrition[p]++;
  leavePlace(w, i);
  w.homePop[P.county[A.hukouPlace[i]]]--;
  A.place[i] = DEAD;
  f.deaths[p]++;
}

/**
 * Appends the child of mother m (after the agent pass, so that no column is reallocated while the
 * pass holds it). A mother living away from her Shanxi hukou village leaves the child there (a
 * left-behind child, with a rural home) with probability `born_left_behind` (draw `kLeft`).
 */
export function bear(w: World, ctx: TickContext, m: number, kSex: number, kLeft: number): void {
  const A = w.agents,
    P = w.places;
  const c = A.add();
  const hukou = A.hukouPlace[m];
  A.hukouPlace[c] = hukou;
  A.age[c] = 0;
  A.skill[c] = 0;
  A.emp[c] = Emp.outOfLabourForce;
  A.months[c] = 0;
  A.parent[c] = m;
  let flags = A.flags[m] & Flag.urbanHukou;
  if (!flags && hukou !== P.outside) flags |= Flag.landRights;
  if (drawKeyed(kSex, c) < ctx.params.femaleBirthShare) flags |= Flag.female;
  A.flags[c] = flags;
  const p = A.place[m];
  if (p !== hukou && P.kind[hukou] === PlaceKind.villages && drawKeyed(kLeft, c) < ctx.params.bornLeftBehind) enterPlace(w, c, hukou, Tenure.ruralHome);
  else enterPlace(w, c, p, A.tenure[m] === Tenure.dormitory ? Tenure.marketRent : A.tenure[m]);
  w.homePop[P.county[hukou]]++;
  ctx.flows.births[p]++;
}
