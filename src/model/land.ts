/**
 * Land quota (人地挂钩, docs/model.md, "Land"): each settled person brings `m2_per_settler` square
 * metres of new construction land to the place that took them, and a settler who gives up rural
 * land rights (as a condition, or by paid voluntary exit, 三权退出) releases homestead land that
 * returns to the same place as quota (`exit_m2_per_person`, the 增减挂钩 link). A share of it becomes housing
 * (market rental capacity at `housing_persons_per_ha`), the rest job space (`jobs_per_ha`, split
 * over the sectors in proportion to their capacity).
 */
import { Tenure, TENURES } from '../world/agents.js';
import { SECTORS, type World } from '../world/world.js';
import type { TickContext } from './context.js';

/** Grants `haPerPerson` hectares per person of one agent (scale persons) to place p and turns it into capacity. */
export function grantLand(w: World, ctx: TickContext, p: number, haPerPerson: number): void {
  const par = ctx.params;
  const ha = haPerPerson * par.scale;
  if (ha <= 0) return;
  ctx.flows.landHa[p] += ha;
  w.housing[p * TENURES + Tenure.marketRent] += (ha * par.housingLandShare * par.housingPersonsPerHa) / par.scale;
  const jobs = (ha * (1 - par.housingLandShare) * par.jobsPerHa) / par.scale;
  const j0 = w.jobs[p * SECTORS], j1 = w.jobs[p * SECTORS + 1], tot = j0 + j1;
  const sh = tot > 0 ? j1 / tot : 0.5;
  w.jobs[p * SECTORS] += jobs * (1 - sh);
  w.jobs[p * SECTORS + 1] += jobs * sh;
}
