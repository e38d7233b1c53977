/**
 * Land (docs/model.md 5.7). Each urban place holds a stock of construction land available for new
 * workplaces and housing (`landAvail`, hectares): a reserve at the census date, then what 人地挂钩
 * brings — `m2_per_settler` square metres of new construction-land quota for each person who
 * settles there — plus homestead land released when a settler gives up rural land rights (增减挂钩,
 * `exit_m2_per_person`) and idle land brought back into use (增存挂钩, a lever, spread over urban
 * places by residents). Land creates nothing by itself: job capacity (labour.ts) and market housing
 * (housing.ts) grow towards their demand only as far as land is available (`useLand`), at
 * `jobs_per_ha` jobs and `housing_persons_per_ha` residents per hectare.
 */
import type { World } from '../world/world.js';
import type { TickContext } from './context.js';

/** Adds `ha` hectares of construction land to urban place p's available stock. */
export function grantLand(w: World, p: number, ha: number): void {
  if (ha > 0) w.landAvail[p] += ha;
}

/**
 * Uses place p's available land for `units` agent units of capacity at `haPerUnit` hectares each:
 * returns the units the land allows (all of them, or as many as the land left takes) and takes
 * their land from the stock.
 */
export function useLand(w: World, p: number, units: number, haPerUnit: number): number {
  if (!(units > 0)) return 0;
  const need = units * haPerUnit,
    avail = w.landAvail[p];
  if (need <= avail) {
    w.landAvail[p] = avail - need;
    return units;
  }
  w.landAvail[p] = 0;
  return avail > 0 ? avail / haPerUnit : 0;
}

/** 增存挂钩: this tick's idle land reuse, spread over urban places by their residents. */
export function landReuse(w: World, ctx: TickContext): void {
  const par = ctx.params,
    P = w.places;
  const idleHaPerTick = ctx.lever('land.idle_land_reuse_ha_per_year') / par.tpy;
  if (idleHaPerTick <= 0) return;
  let urbanPop = 0;
  for (let p = 0; p < P.n; p++) if (P.urban[p]) urbanPop += w.pop[p];
  for (let p = 0; p < P.n; p++) {
    if (!P.urban[p] || urbanPop === 0) continue;
    const ha = (idleHaPerTick * w.pop[p]) / urbanPop;
    ctx.flows.idleLandHa[p] += ha;
    grantLand(w, p, ha);
  }
}
