/**
 * Screening: which priors move the fit enough to calibrate. R replicate runs at the scenario's own
 * values on run seeds 0..R-1 measure the Monte Carlo sd of each target; then each parameter is set
 * to the low and the high end of its prior, the others at the scenario's values, on run seed 0
 * (one at a time, common random numbers). A parameter's influence is the largest change across its
 * prior of any target, in units of that target's tolerance; the most influential ones above the
 * threshold are calibrated, the others keep their prior in the posterior.
 */
import type { Prior } from './priors.js';

/** A simulation to run: its id (its key in the store), its run seed index and the priors' values. */
export interface SimRequest {
  id: number;
  run: number;
  values: number[];
}

/** What a target needs for scoring: observed value and stated sds. */
export interface Scored {
  observed: number;
  obsError: number;
  discrepancy: number;
}

/** The screening simulations: `replicates` at the scenario's values, then low and high of each prior. */
export function screeningRequests(priors: Prior[], replicates: number): SimRequest[] {
  const at = priors.map((p) => p.value);
  const out: SimRequest[] = [];
  for (let r = 0; r < replicates; r++) out.push({ id: r, run: r, values: at });
  priors.forEach((p, i) => {
    for (const end of [p.lo, p.hi]) out.push({ id: out.length, run: 0, values: at.map((v, j) => (j === i ? end : v)) });
  });
  return out;
}

/** One parameter's screening result. */
export interface Influence {
  path: string;
  /** max over targets of |sim(hi) - sim(lo)| / tolerance. */
  influence: number;
  /** The target it moves most. */
  target: number;
}

/** The outcome of the screening. */
export interface Screening {
  /** Monte Carlo sd of each target (over the replicates). */
  mcSd: number[];
  /** Mean of the replicates: the fit at the scenario's own values. */
  atScenario: number[];
  influence: Influence[];
  /** Largest difference between two replicates on different seeds, in tolerances: the noise floor. */
  noise: number;
  /** Paths calibrated, most influential first. */
  free: string[];
}

/** The tolerance of each target: sqrt(obs_error^2 + discrepancy^2 + Monte Carlo variance). */
export const tolerances = (targets: Scored[], mcSd: number[]): number[] =>
  targets.map((t, k) => Math.sqrt(t.obsError ** 2 + t.discrepancy ** 2 + mcSd[k] ** 2));

/** Analyses the screening simulations (in the order of screeningRequests). */
export function analyseScreening(priors: Prior[], targets: Scored[], sims: number[][], replicates: number, maxFree: number, threshold: number): Screening {
  const reps = sims.slice(0, replicates);
  const atScenario = targets.map((_, k) => reps.reduce((a, s) => a + s[k], 0) / replicates);
  const mcSd = targets.map((_, k) => Math.sqrt(reps.reduce((a, s) => a + (s[k] - atScenario[k]) ** 2, 0) / Math.max(1, replicates - 1)));
  const tol = tolerances(targets, mcSd);
  let noise = 0;
  for (let a = 0; a < replicates; a++)
    for (let b = a + 1; b < replicates; b++) for (let k = 0; k < targets.length; k++) noise = Math.max(noise, Math.abs(reps[a][k] - reps[b][k]) / tol[k]);
  const influence = priors.map((p, i) => {
    const lo = sims[replicates + 2 * i],
      hi = sims[replicates + 2 * i + 1];
    let best = 0,
      target = 0;
    for (let k = 0; k < targets.length; k++) {
      const e = Math.abs(hi[k] - lo[k]) / tol[k];
      if (e > best) (best = e), (target = k);
    }
    return { path: p.path, influence: best, target };
  });
  const free = [...influence]
    .filter((x) => x.influence >= threshold)
    .sort((a, b) => b.influence - a.influence || a.path.localeCompare(b.path))
    .slice(0, maxFree)
    .map((x) => x.path);
  return { mcSd, atScenario, influence, noise, free };
}
