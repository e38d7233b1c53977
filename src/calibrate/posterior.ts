/**
 * The files a calibration ends with, as text: posterior.csv in the agreed format (set, weight, one
 * column per parameter path under `behaviour`), the per-target fit (fit.csv) and the screening
 * table (screening.csv). Numbers are written with String(x), which round-trips.
 */
import { weightedQuantile } from './kernel.js';
import type { HistoryTarget } from './history.js';
import type { Prior } from './priors.js';
import type { SmcResult } from './smc.js';

/** posterior.csv: one row per kept particle, in the order of their simulation ids. */
export function posteriorCsv(priors: Prior[], r: SmcResult): string {
  const rows = [...r.particles].sort((a, b) => a.sim - b.sim);
  const W = rows.reduce((a, p) => a + p.weight, 0);
  const equal = rows.every((p) => p.weight === rows[0].weight);
  const lines = [['set', 'weight', ...priors.map((p) => p.path)].join(',')];
  rows.forEach((p, i) => lines.push([String(i), equal ? '1' : String((p.weight * rows.length) / W), ...p.values.map(String)].join(',')));
  return lines.join('\n') + '\n';
}

/** A target's fit: observed, posterior median and 90% interval, signed implausibility. */
export interface TargetFit {
  target: HistoryTarget;
  atScenario: number;
  median: number;
  q05: number;
  q95: number;
  tolerance: number;
  mcSd: number;
  /** (median - observed) / tolerance. */
  implausibility: number;
  /** Why it does not fit, when |implausibility| > 3; empty otherwise. */
  cause: string;
}

/** The fit of every target over the posterior particles (weighted). */
export function fitOf(targets: HistoryTarget[], r: SmcResult): TargetFit[] {
  const w = r.particles.map((p) => p.weight);
  return targets.map((t, k) => {
    const v = r.particles.map((p) => p.simulated[k]);
    const [q05, median, q95] = [0.05, 0.5, 0.95].map((q) => weightedQuantile(v, w, q));
    const tolerance = r.tolerance[k];
    const implausibility = (median - t.observed) / tolerance;
    let cause = '';
    if (Math.abs(implausibility) > 3) {
      const closest = Math.min(...v.map((x) => Math.abs(x - t.observed) / tolerance));
      const side = v.every((x) => x > t.observed)
        ? 'every posterior run is above it'
        : v.every((x) => x < t.observed)
          ? 'every posterior run is below it'
          : 'the posterior runs straddle it';
      cause = `${side}; the closest misses by ${closest.toFixed(1)} tolerances: the fit trades it against the other targets, or the model lacks what moves it`;
    }
    return { target: t, atScenario: r.screening.atScenario[k], median, q05, q95, tolerance, mcSd: r.screening.mcSd[k], implausibility, cause };
  });
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** fit.csv: one row per target. */
export function fitCsv(fits: TargetFit[]): string {
  const head =
    'target,label,unit,observed,obs_error,discrepancy,mc_sd,tolerance,at_scenario_values,posterior_median,posterior_q05,posterior_q95,implausibility,cause,source';
  const rows = fits.map((f) =>
    [
      f.target.id,
      csvField(f.target.label),
      csvField(f.target.unit),
      ...[f.target.observed, f.target.obsError, f.target.discrepancy, f.mcSd, f.tolerance, f.atScenario, f.median, f.q05, f.q95, f.implausibility].map(String),
      csvField(f.cause),
      csvField(f.target.source),
    ].join(','),
  );
  return [head, ...rows].join('\n') + '\n';
}

/** fit.md: the fit as a Markdown table (for docs/validation.md), numbers as `format` writes them. */
export function fitMarkdown(fits: TargetFit[], format: (v: number) => string): string {
  const rows = fits.map(
    (f) =>
      `| ${f.target.label} (${f.target.unit}) | ${format(f.target.observed)} | ${format(f.atScenario)} | ${format(f.median)} (${format(f.q05)} .. ${format(f.q95)}) | ${f.implausibility.toFixed(1)} |`,
  );
  const misses = fits.filter((f) => f.cause).map((f) => `- **${f.target.id}** (I = ${f.implausibility.toFixed(1)}): ${f.cause}.`);
  return (
    ['| target | observed | at the scenario values | posterior median (90% interval) | implausibility |', '|---|---|---|---|---|', ...rows, '', ...misses].join(
      '\n',
    ) + '\n'
  );
}

/** screening.csv: each prior's influence, whether it was calibrated, and its range. */
export function screeningCsv(priors: Prior[], targets: HistoryTarget[], r: SmcResult): string {
  const rows = r.screening.influence.map((x, i) =>
    [
      x.path,
      String(x.influence),
      targets[x.target].id,
      r.screening.free.includes(x.path) ? 'calibrated' : 'prior',
      String(priors[i].lo),
      String(priors[i].hi),
      String(priors[i].value),
    ].join(','),
  );
  return ['parameter,influence,moves_most,role,lo,hi,scenario_value', ...rows].join('\n') + '\n';
}
