/**
 * Bookkeeping shared by the rules that add, remove or move agents: every place-level stock that
 * counts agents (population, housing occupancy, filled jobs, the migrant network, job seekers and
 * farmers) is updated here and only here, so that the counts always equal what a full recount of
 * the columns would give.
 */
import { Emp, markChanged, Sector, sectorOf, TENURES } from '../world/agents.js';
import { SECTORS, type World } from '../world/world.js';

/**
 * Agents per block of the agent pass (step.ts). The loop over a block only decides, without
 * calling anything (a call in a hot loop, even one rarely taken, makes V8 reload the columns on
 * every agent); the block's events are then applied in id order. Nothing the loop reads is
 * changed by those events, so the results are those of acting at once.
 */
export const BLOCK = 4096;

/** Counts an agent of employment state `emp` at place p in (d = 1) or out (d = -1) of the place's job seekers and farmers. */
function countEmp(w: World, p: number, emp: number, d: number): void {
  if (emp === Emp.unemployed) w.seekers[p] += d;
  else if (emp === Emp.farming) w.farmers[p] += d;
}

/** Sets agent i's employment state, keeping its place's counts of job seekers and farmers (jobs are the caller's). */
export function setEmp(w: World, i: number, emp: number): void {
  const A = w.agents,
    p = A.place[i];
  countEmp(w, p, A.emp[i], -1);
  countEmp(w, p, emp, 1);
  A.emp[i] = emp;
}

/** Vacant jobs of place p in sector s: whole jobs of its capacity not filled (0 when the capacity has fallen below the filled count). */
export function vacantJobs(w: World, p: number, s: number): number {
  const k = p * SECTORS + s;
  return Math.max(0, Math.round(w.jobs[k]) - w.jobsFilled[k]);
}

/**
 * The sector of a vacancy of place p picked by x in [0, 1), in proportion to the sectors' vacancies
 * now (industry below V_industry / V, then services, then public), or -1 if there is none. Used by
 * a hire (labour.ts) and a reclassified worker (reclassify.ts).
 */
export function vacantSector(w: World, p: number, x: number): number {
  const v0 = vacantJobs(w, p, Sector.industry),
    v1 = vacantJobs(w, p, Sector.services),
    vt = v0 + v1 + vacantJobs(w, p, Sector.public);
  if (vt <= 0) return -1;
  const y = x * vt;
  return y < v0 ? Sector.industry : y < v0 + v1 ? Sector.services : Sector.public;
}

/** Releases agent i's job, if it holds one counted against a place's capacity. */
export function releaseJob(w: World, i: number): void {
  const A = w.agents,
    p = A.place[i];
  if (A.emp[i] === Emp.urbanJob && w.places.urban[p]) w.jobsFilled[p * SECTORS + sectorOf(A.flags[i])]--;
  else if (A.emp[i] === Emp.localNonFarm) w.ruralJobsFilled[p]--;
}

/** Removes agent i from its place's counts (before a move or at death); its job is released. */
export function leavePlace(w: World, i: number): void {
  const A = w.agents,
    p = A.place[i];
  markChanged(A, i);
  releaseJob(w, i);
  w.pop[p]--;
  if (A.hukouPlace[i] === p) w.localHukou[p]--;
  w.occupied[p * TENURES + A.tenure[i]]--;
  w.network[w.places.county[A.hukouPlace[i]] * w.places.n + p]--;
  countEmp(w, p, A.emp[i], -1);
}

/** Adds agent i to `place` with `tenure` in the counts and sets its place (its employment state is already set). */
export function enterPlace(w: World, i: number, place: number, tenure: number): void {
  const A = w.agents;
  markChanged(A, i);
  A.place[i] = place;
  A.tenure[i] = tenure;
  w.pop[place]++;
  if (A.hukouPlace[i] === place) w.localHukou[place]++;
  w.occupied[place * TENURES + tenure]++;
  w.network[w.places.county[A.hukouPlace[i]] * w.places.n + place]++;
  countEmp(w, place, A.emp[i], 1);
}

/** Free capacity of `tenure` at `place`, in agents. */
export function vacancy(w: World, place: number, tenure: number): number {
  const k = place * TENURES + tenure;
  return w.housing[k] - w.occupied[k];
}

/** Moves agent i from one tenure to another in the same place. */
export function changeTenure(w: World, i: number, tenure: number): void {
  const A = w.agents,
    base = A.place[i] * TENURES;
  w.occupied[base + A.tenure[i]]--;
  w.occupied[base + tenure]++;
  A.tenure[i] = tenure;
  markChanged(A, i);
}
