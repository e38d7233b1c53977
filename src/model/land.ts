/**
 * Land (docs/model.md, "Land"). 人地挂钩: each settled person brings `m2_per_settler` square metres
 * of new construction land to the place that took them, and a settler who gives up rural land
 * rights (as a condition, or by paid voluntary exit, 三权退出) releases homestead land that returns
 * to the same place as quota (`exit_m2_per_person`, the 增减挂钩 link). 增存挂钩: idle
 * construction land brought back into use each year (a lever), spread over urban places by
 * residents. Land becomes capacity: a share housing (market rental at `housing_persons_per_ha`),
 * the rest job space (`jobs_per_ha`, split over the sectors in proportion to their capacity).
 */
import { Tenure, TENURES } from '../world/agents.js';
import { SECTORS, type World } from '../world/world.js';
import type { TickContext } from './context.js';

/** Turns `ha` hectares at place p into housing and job capacity. */
export function grantLand(w: World, par: TickContext['params'], p: number, ha: number): void {
  if (ha <= 0) return;
  w.housing[p * TENURES + Tenure.marketRent] += (ha * par.housingLandShare * par.housingPersonsPerHa) / par.scale;
  const jobs = (ha * (1 - par.housingLandShare) * par.jobsPerHa) / par.scale;
  const j0 = w.jobs[p * SECTORS],
    j1 = w.jobs[p * SECTORS + 1],
    tot = j0 + j1;
  const sh = tot > 0 ? j1 / tot : 0.5;
  w.jobs[p * SECTORS] += jobs * (1 - sh);
  w.jobs[p * SECTORS + 1] += jobs * sh;
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
    grantLand(w, par, p, ha);
  }
}
