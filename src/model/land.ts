/**
 * Land quota (人地挂钩, docs/model.md, "Land"): each settled person brings `m2_per_settler` square
 * metres of new construction land to the place that took them. A share of it becomes housing
 * (market rental capacity at `housing_persons_per_ha`), the rest job space (`jobs_per_ha`, split
 * over the sectors in proportion to their capacity).
 */
import { Tenure, TENURES } from '../world/agents.js';
import { SECTORS, type World } from '../world/world.js';
import type { TickContext } from './context.js';

/** Grants the land of one settled agent (scale persons) to place p and turns it into capacity. */
export function grantLand(w: World, ctx: TickContext, p: number): void {
  const par = ctx.params;
  const ha = par.haPerSettler * par.scale;
  if (ha <= 0) return;
  ctx.flows.landHa[p] += ha;
  w.housing[p * TENURES + Tenure.marketRent] += (ha * par.housingLandShare * par.housingPersonsPerHa) / par.scale;
  const jobs = (ha * (1 - par.housingLandShare) * par.jobsPerHa) / par.scale;
  const j0 = w.jobs[p * SECTORS], j1 = w.jobs[p * SECTORS + 1], tot = j0 + j1;
  const sh = tot > 0 ? j1 / tot : 0.5;
  w.jobs[p * SECTORS] += jobs * (1 - sh);
  w.jobs[p * SECTORS + 1] += jobs * sh;
}
