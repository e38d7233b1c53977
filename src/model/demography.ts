/**
 * Demography: ageing, deaths and births (docs/model.md 5.1).
 *  - Ageing: agent i turns a year older in the tick where tick mod T = i mod T (T ticks a year),
 *    which spreads birthdays evenly over the year without a draw. The agent pass (step.ts) ages.
 *  - Deaths: Gompertz hazard m_s(a) = A r_s exp(B a) M(y), r_s the male mortality ratio for men and
 *    1 for women, M(y) the mortality level of the calendar year; A calibrated so the census year's
 *    crude death rate is reproduced on the starting population.
 *  - Births: women 15-49 give birth at the annual rate F f_c(a) Φ(y), f_c the age curve of their
 *    residence (urban or rural), Φ(y) the fertility level of the year; the child takes the mother's
 *    place, housing and hukou (place and type): births are registered to the mother's hukou.
 *    The child's parent link is its mother (model/family.ts); a mother living away from her Shanxi
 *    hukou village may leave the child there (left behind, 留守).
 * Death and birth are the two lowest bands of the agent's one draw of the tick (step.ts).
 */
import { yearAtTick } from '../core/calendar.js';
import { drawKeyed } from '../core/random.js';
import { DEAD, Emp, Flag, Tenure } from '../world/agents.js';
import { PlaceKind } from '../world/places.js';
import type { World } from '../world/world.js';
import type { Flows, TickContext } from './context.js';
import { enterPlace, leavePlace } from './occupancy.js';
import { levelInYear, perTick } from './params.js';

/** The calendar year of the tick (the two stub ticks of Nov-Dec of the census year are that year). */
export const calendarYear = (ctx: TickContext): number => Math.floor(yearAtTick(ctx.tick, ctx.params.tpy, ctx.params.startYear));

/** The mortality level M(y) of the tick's year relative to the census year's: the path's last year's level is held after it. */
export const mortalityLevel = (ctx: TickContext): number => levelInYear(ctx.params.mortalityPath, 0, calendarYear(ctx), ctx.params.startYear);

/** The fertility level Φ(y) of the tick's year relative to the census year's: after the path, its last level times (1 + trend)^years. */
export const fertilityLevel = (ctx: TickContext): number =>
  levelInYear(ctx.params.fertilityPath, ctx.params.fertilityTrend, calendarYear(ctx), ctx.params.startYear);

/**
 * The tick's death and birth probabilities: `death` by (female flag << 7) | age, `birth` by
 * (residence << 9) | (female flag << 7) | age (params.ts, URBAN_FERTILITY), and `demo`, the width
 * of both bands together, by the birth table's index.
 */
export function demographyWidths(ctx: TickContext, death: Float64Array, birth: Float64Array, demo: Float64Array): void {
  const par = ctx.params,
    tpy = par.tpy,
    mD = mortalityLevel(ctx),
    mF = fertilityLevel(ctx);
  for (let k = 0; k < 512; k++) death[k] = perTick(par.deathYear[k] * mD, tpy);
  for (let k = 0; k < 1024; k++) {
    birth[k] = perTick(par.fertYear[k] * mF, tpy);
    demo[k] = death[k & 511] + birth[k];
  }
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
  // Counted where the child lives (its mother's place, or her hukou village if left behind), so
  // that each region's population changes by its births, deaths and moves exactly.
  ctx.flows.births[A.place[c]]++;
}
