/**
 * The files a finished calibration writes into its folder, each atomically, and the fit table it
 * prints: posterior.csv and posterior.json (the agreed posterior format: copy both to
 * scenarios/posteriors/ and name the CSV in a scenario's `posterior:`), fit.csv, screening.csv.
 * Nothing here depends on the clock or the order simulations finished in.
 */
import { join, relative } from 'node:path';
import { FIT, fixed, formatNumber } from '../core/format.js';
import type { HistoryTarget } from '../calibrate/history.js';
import { fitCsv, fitMarkdown, fitOf, posteriorCsv, screeningCsv } from '../calibrate/posterior.js';
import type { Prior } from '../calibrate/priors.js';
import type { SmcResult, SmcSettings } from '../calibrate/smc.js';
import { writeFileAtomic } from '../results/atomic.js';
import { jsonText } from '../results/documents.js';
import { render } from '../results/table.js';
import { engineVersion } from '../results/version.js';
import type { Scenario } from '../scenario/schema.js';
import type { Log } from './log.js';

/** What fixes a calibration's results: plan.json of its folder. */
export interface CalibrationPlan {
  format: 1;
  command: 'calibrate';
  scenario: string;
  targets: string;
  priors: string;
  scale: number;
  runs_per_simulation: number;
  settings: SmcSettings;
  target_ids: string[];
  prior_ranges: { path: string; lo: number; hi: number; value: number }[];
}

/** A finished calibration. */
export interface Finished {
  sc: Scenario;
  targets: HistoryTarget[];
  priors: Prior[];
  plan: CalibrationPlan;
  result: SmcResult;
}

/** The command that makes this calibration. */
export function commandOf(plan: CalibrationPlan): string {
  const s = plan.settings;
  return `urbanize calibrate ${plan.scenario} --budget ${s.budget} --particles ${s.particles} --keep ${s.keep} --replicates ${s.replicates} --free ${s.maxFree} --scale ${plan.scale} --runs ${plan.runs_per_simulation} --seed ${s.seed} --targets ${plan.targets} --priors ${plan.priors}`;
}

/** Writes posterior.csv, posterior.json, fit.csv and screening.csv into `dir`; prints the fit. */
export function writeCalibration(dir: string, f: Finished, log: Log): void {
  const { targets, priors, plan, result: r } = f;
  const fits = fitOf(targets, r);
  const data = [...new Map(targets.map((t) => [`${t.data.file}|${t.data.series}`, t.data])).values()].map((d) => ({
    file: relative(process.cwd(), d.file),
    series: d.series,
    years: [...new Set(targets.filter((t) => t.data.file === d.file && t.data.series === d.series).map((t) => Number(t.id.split('.').at(-1))))],
  }));
  const meta = {
    method:
      'ABC-SMC with adaptive tolerance (APMC, Lenormand et al. 2013): one-at-a-time screening of every prior, then generations of weighted particles moved by a multivariate normal kernel (twice the weighted covariance of the kept particles); distance sqrt(mean z^2), z = (sim - obs) / sqrt(obs_error^2 + discrepancy^2 + Monte Carlo variance); parameters not calibrated drawn from their priors',
    scenario: plan.scenario,
    data,
    targets: fits.map((x) => ({
      id: x.target.id,
      observed: x.target.observed,
      obs_error: x.target.obsError,
      discrepancy: x.target.discrepancy,
      mc_sd: x.mcSd,
      tolerance: x.tolerance,
      posterior_median: x.median,
      implausibility: x.implausibility,
    })),
    generations: r.generations,
    simulations: r.simulations,
    budget: plan.settings.budget,
    seed: plan.settings.seed,
    scale: plan.scale,
    runs_per_simulation: plan.runs_per_simulation,
    particles: { per_generation: plan.settings.particles, kept: plan.settings.keep, in_posterior: r.particles.length },
    calibrated: r.screening.free,
    from_prior: priors.map((p) => p.path).filter((p) => !r.screening.free.includes(p)),
    screening: { replicates: plan.settings.replicates, threshold: plan.settings.threshold, noise: r.screening.noise, max_calibrated: plan.settings.maxFree },
    targets_file: plan.targets,
    priors_file: plan.priors,
    priors: plan.prior_ranges,
    command: commandOf(plan),
    engine_version: engineVersion().version,
  };
  writeFileAtomic(join(dir, 'posterior.csv'), posteriorCsv(priors, r));
  writeFileAtomic(join(dir, 'fit.csv'), fitCsv(fits));
  writeFileAtomic(
    join(dir, 'fit.md'),
    fitMarkdown(fits, (v) => formatNumber(v, FIT)),
  );
  writeFileAtomic(join(dir, 'screening.csv'), screeningCsv(priors, targets, r));
  writeFileAtomic(join(dir, 'posterior.json'), jsonText(meta));
  const n = (v: number) => formatNumber(v, FIT);
  log(
    render([
      ['target', 'observed', 'median', '90% interval', 'I'],
      ...fits.map((x) => [x.target.id, n(x.target.observed), n(x.median), `${n(x.q05)} .. ${n(x.q95)}`, formatNumber(x.implausibility, fixed(1))]),
    ]),
  );
  for (const x of fits.filter((y) => y.cause)) log(`cannot fit ${x.target.id} (I = ${x.implausibility.toFixed(1)}): ${x.cause}`);
  log(`calibrated: ${r.screening.free.join(', ') || 'none'}; ${priors.length - r.screening.free.length} others drawn from their priors`);
  log(`written: ${join(dir, 'posterior.csv')}, posterior.json, fit.csv, fit.md, screening.csv`);
}
