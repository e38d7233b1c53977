/**
 * The commands and their flags. An action only turns its flags into options, calls its use case
 * (src/app) and sets the exit code from what it returns. Each action imports its use case when it
 * runs (`await import`), so that a command loads only what it uses: `--version`, `validate` and
 * `verify` never load Observable Plot, linkedom or mathjs, and every spawn of the CLI starts fast.
 */
import { Command, InvalidArgumentError } from 'commander';
import { userError } from '../core/errors.js';
import { engineVersion } from '../results/version.js';
import { MAX_RUNS, MAX_SCALE } from '../scenario/constants.js';

/**
 * A whole number >= 1 for flag `name`, at most `max`: a number above it is refused with a one-line
 * UserError naming the limit (commander would print its help after the message), before anything
 * is allocated for it.
 */
const positiveInt =
  (name: string, max = Infinity, what = '') =>
  (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`${name} must be a whole number >= 1, found "${v}"`);
    if (Number(v) > max) throw userError({ code: 'too_large', path: name, expected: `at most ${max}${what}`, found: v });
    return Number(v);
  };
/** The default budget of `calibrate` (app/calibrate.ts CALIBRATION_DEFAULTS; not imported, so that --help loads nothing). */
const CALIBRATION_BUDGET = 1500;
const runsArg = positiveInt('--runs', MAX_RUNS, " (the limit of a batch, as for the scenario's runs)");
const scaleArg = positiveInt('--scale', MAX_SCALE, " persons per agent (as for the scenario's scale)");
const seedArg = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) > 2 ** 32 - 1) throw new InvalidArgumentError(`the seed must be a whole number from 0 to 4294967295, found "${v}"`);
  return Number(v);
};

const yearArg = (v: string) => {
  if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError(`--holdout-from must be a year (four digits), found "${v}"`);
  return Number(v);
};

/** The options every batch command shares; `whose` names where their defaults come from. */
function batchOptions(cmd: Command, whose: string): Command {
  return cmd
    .option('--seed <s>', `master seed (default: ${whose})`, seedArg)
    .option('--scale <n>', `persons per agent (default: ${whose}; 1 = one agent per person)`, scaleArg)
    .option('--workers <w>', "worker threads (default: the machine's cores)", positiveInt('--workers'))
    .option('--force', 'replace an existing results folder')
    .option('--quiet', 'no progress bar on stderr');
}

/** Builds the program; `exitOverride` turns commander's own exits into exceptions that main maps to exit codes. */
export function program(log: (s: string) => void): Command {
  const p = new Command('urbanize')
    .description('Agent-based simulation of urbanization policy in Shanxi, 2020 census to the plan targets')
    .version(engineVersion().version)
    .exitOverride()
    .showHelpAfterError();
  const run = p
    .command('run')
    .description("run a scenario's Monte Carlo runs on worker threads and write a results folder")
    .argument('[scenario]', 'scenario file (YAML or JSON)')
    .option('--runs <n>', "number of runs (default: the scenario's)", runsArg)
    .option('--out <dir>', 'results folder (default: results/<scenario name>)')
    .option('--shard <I/N>', 'run only shard I of N (0-based; "auto" takes them from Slurm or Kubernetes)')
    .option('--resume <dir>', 'complete an interrupted results folder')
    .option('--parquet', 'also write runs.parquet and flows.parquet (always for 100 runs or more)')
    .option('--check', 'audit the world after every rule of every tick (slower)');
  batchOptions(run, "the scenario's").action(async (file: string | undefined, opts) => {
    process.exitCode = await (await import('../app/run.js')).runScenario(file, opts, log);
  });
  const compare = p
    .command('compare')
    .description('run a base and variants on the same seeds and report paired differences')
    .argument('[scenarios...]', 'the base scenario, then the variants')
    .option('--runs <n>', "runs per scenario (default: the base's)", runsArg)
    .option('--out <dir>', 'results folder (default: results/compare-<names>)')
    .option('--resume <dir>', 'complete an interrupted compare folder');
  batchOptions(compare, "the base's").action(async (files: string[], opts) => {
    process.exitCode = await (await import('../app/compare.js')).compareScenarios(files, opts, log);
  });
  const sweep = p
    .command('sweep')
    .description('a Latin-hypercube or Sobol design over levers and parameters, ranking their effects')
    .argument('[scenario]', 'scenario file')
    .option(
      '--vary <PATH=LO..HI>',
      'a lever (hukou.openness_county=0.5..1) or parameter (behaviour.migration.beta_income=1..2); repeatable',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option('--design <d>', 'lhs (standardized regression coefficients, the default) or sobol (Sobol indices)')
    .option(
      '--samples <n>',
      'design points (lhs: 50, at least factors + 4 and enough for the bootstrap; sobol: 64 base points, at least 33, N (k + 2) runs in all)',
      positiveInt('--samples', MAX_RUNS, ' (a sweep runs at most ' + MAX_RUNS + ' runs in all)'),
    )
    .option('--runs <n>', 'runs per design point, on the same seeds for every point (default 1)', runsArg)
    .option('--out <dir>', 'results folder (default: results/sweep-<scenario name>)')
    .option('--resume <dir>', 'complete an interrupted sweep folder');
  batchOptions(sweep, "the scenario's").action(async (file: string | undefined, opts) => {
    process.exitCode = await (await import('../app/sweep.js')).sweepScenario(file, opts, log);
  });
  const backtest = p
    .command('backtest')
    .description(
      'run a scenario and score its forecasts of the observed figures from --holdout-from on: error, 50% and 90% coverage, skill against two naive forecasts (backtest.csv)',
    )
    .argument('[scenario]', 'scenario file (e.g. scenarios/calibrated.yaml)')
    .requiredOption(
      '--holdout-from <year>',
      'the first held-out year: figures of that year and later are scored, earlier ones make the naive forecasts',
      yearArg,
    )
    .option('--runs <n>', "number of runs (default: the scenario's)", runsArg)
    .option('--targets <file>', "targets file stating each series' observation error and discrepancy (default scenarios/targets/history.yaml)")
    .option(
      '--growth-from <dir>',
      "another backtest's folder: each series' error growth there (sd1 = sqrt(mean error²/h)) widens this one's bands, sd² + sd1²·h",
    )
    .option('--out <dir>', 'results folder (default: results/backtest-<scenario name>)');
  batchOptions(backtest, "the scenario's").action(async (file: string | undefined, opts) => {
    process.exitCode = await (await import('../app/backtest.js')).backtestScenario(file, opts, log);
  });
  p.command('calibrate')
    .description(
      'ABC-SMC calibration of the estimated behavioural parameters to history: writes a posterior (posterior.csv, posterior.json) and the fit into a new folder',
    )
    .argument('[scenario]', 'the scenario to calibrate (e.g. scenarios/shanxi-baseline.yaml)')
    .option(
      '--budget <n>',
      `simulations in all, spent exactly (default ${CALIBRATION_BUDGET}; too few for the method exits 2 naming the minimum)`,
      positiveInt('--budget'),
    )
    .option('--particles <n>', 'particles per generation (default 200)', positiveInt('--particles'))
    .option('--keep <n>', 'particles kept per generation, the posterior size (default half of --particles)', positiveInt('--keep'))
    .option('--replicates <n>', 'screening runs at the scenario values, for the Monte Carlo sd (default 4)', positiveInt('--replicates'))
    .option('--free <n>', 'at most this many parameters calibrated, the most influential (default 10)', positiveInt('--free'))
    .option('--runs <n>', 'runs per simulation, averaged (default 1)', runsArg)
    .option('--scale <n>', 'persons per agent (default 100, the forecast scale)', scaleArg)
    .option('--seed <s>', "master seed (default: the scenario's)", seedArg)
    .option('--targets <file>', 'targets file (default scenarios/targets/history.yaml)')
    .option('--priors <file>', 'priors file (default scenarios/targets/priors.yaml)')
    .option('--workers <w>', "worker threads (default: the machine's cores)", positiveInt('--workers'))
    .option('--out <dir>', 'calibration folder (default results/calibration-NAME)')
    .option('--resume <dir>', 'continue a stopped calibration in its folder')
    .option('--force', 'replace an existing folder')
    .option('--quiet', 'no progress on stderr')
    .action(async (file: string | undefined, opts) => {
      process.exitCode = await (await import('../app/calibrate.js')).calibrate(file, opts, log);
    });
  p.command('validate-model')
    .description('runs the baseline and the uncalibrated scenario against the history targets and writes the table (a new file: results/validation-model.md)')
    .option('--baseline <file>', 'calibrated scenario (default scenarios/shanxi-baseline.yaml)')
    .option('--prior <file>', 'uncalibrated scenario (default scenarios/shanxi-2020.yaml)')
    .option('--targets <file>', 'targets file (default scenarios/targets/history.yaml)')
    .option('--runs <n>', 'runs per scenario (default 10)', runsArg)
    .option('--scale <n>', 'persons per agent (default 100)', scaleArg)
    .option('--workers <w>', "worker threads (default: the machine's cores)", positiveInt('--workers'))
    .option('--out <file>', 'report file (default results/validation-model.md)')
    .option('--force', 'replace an existing report file')
    .action(async (opts) => {
      process.exitCode = await (await import('../app/validate-model.js')).validateModel(opts, log);
    });
  p.command('merge')
    .description('combine the shard folders of one batch into one results folder')
    .argument('<dirs...>', 'shard results folders')
    .requiredOption('--out <dir>', 'merged results folder')
    .option('--force', 'replace an existing folder')
    .action(async (dirs: string[], opts: { out: string; force?: boolean }) => {
      process.exitCode = await (await import('../app/merge.js')).mergeShards(dirs, opts.out, opts.force ?? false, log);
    });
  p.command('validate')
    .description('check scenario files and report every problem with file:line:column')
    .argument('<files...>', 'scenario files')
    .action(async (files: string[]) => {
      if (!(await import('../app/validate.js')).validateFiles(files, log)) process.exitCode = 2;
    });
  p.command('report')
    .description('write report.html (charts of fans, targets, migration; compare and sweep effects) into a results folder')
    .argument('<dir>', 'results folder of run, compare, sweep or reach')
    .action(async (dir: string) => {
      log(`report: ${await (await import('../report/index.js')).writeReport(dir)}`);
    });
  p.command('flows')
    .description(
      "where people went: a run folder's mean yearly movers from each place type (or city) to each, from its flows.csv, and the province's urban gain split into migration, reclassification and natural change",
    )
    .argument('<dir>', 'a complete run folder (urbanize run or merge, or a scenario folder of a compare)')
    .option('--year <y>', 'the year (default: the last simulated year)')
    .option('--by <grouping>', 'type (village, county town, city districts, other towns, other provinces; the default) or city')
    .action(async (dir: string, opts: { year?: string; by?: string }) => {
      process.exitCode = (await import('../app/flows.js')).printFlows(dir, opts, log);
    });
  p.command('discover')
    .description(
      "scenario discovery on a finished sweep folder: PRIM finds the boxes of factor values (levers, parameters, the posterior's parameters) in which the runs miss a target; writes prim.json, prim_trajectory.csv, prim_boxes.csv, prim_cases.csv and the report's section",
    )
    .argument('<dir>', 'a finished sweep folder (urbanize sweep)')
    .option(
      '--target <t>',
      'a target id of the plan (urbanization_rate_shanxi) or its outcome column (urbanization_rate.shanxi.2025); with --below or --above, any outcome column of samples.csv',
    )
    .option('--met', 'the runs that meet the target are the cases of interest (default: the runs that miss it)')
    .option('--below <v>', 'the runs whose outcome is below V are the cases of interest, instead of a target')
    .option('--above <v>', 'the runs whose outcome is above V are the cases of interest, instead of a target')
    .option('--targets <file>', "targets file (default: the one the sweep's scenario names)")
    .option('--factors <which>', "all (the default), sweep (the varied factors) or posterior (the parameters of the posterior's set each run drew)")
    .option('--alpha <a>', 'share of the points in the box one peel removes (default 0.05)')
    .option('--min-mass <m>', 'least share of all runs a box keeps; peeling stops there (default 0.05)')
    .option('--threshold <d>', 'the selected box is the first of the trajectory with at least this density (default 0.8)')
    .option('--box <k>', 'select step K of the first peeling trajectory instead (0 = all runs)')
    .option('--boxes <n>', 'find up to N boxes, each on the runs the earlier ones leave (default 1)')
    .option('--paste', 'widen each selected box by pasting while its density rises')
    .action(async (dir: string, opts) => {
      process.exitCode = await (await import('../app/discover.js')).discover(dir, opts, log);
    });
  const reach = p
    .command('reach')
    .description(
      'what it takes: the value of a lever (or a factor on its schedule) at which P(met) of a target reaches 50% and 80%, with intervals, found by bisection on common random numbers; writes reach.csv, reach_points.csv, reach_runs.csv, reach.json and report.html',
    )
    .argument('[scenario]', 'scenario file (e.g. scenarios/shanxi-baseline.yaml)')
    .option('--target <t>', 'a modelled target of the plan: its id (urbanization_rate_shanxi) or outcome (urbanization_rate.shanxi.2025)')
    .option('--lever <PATH[=LO..HI]>', "the lever's value, one for the whole simulation, searched over LO..HI (default: its documented range)")
    .option(
      '--lever-factor <PATH[=LO..HI]>',
      "a factor on the lever's schedule, searched over LO..HI (default: the factors that keep it within its documented range)",
    )
    .option('--levels <list>', 'the P(met) levels to reach, comma-separated (default 0.5,0.8)')
    .option('--grid <n>', 'lever values of the first grid, evenly over the range (default 5, at least 2)', positiveInt('--grid', 100))
    .option('--steps <n>', 'bisection steps after the grid, each one value per level still open (default 6)', (v: string) => {
      if (!/^\d+$/.test(v) || Number(v) > 30) throw new InvalidArgumentError(`--steps must be a whole number from 0 to 30, found "${v}"`);
      return Number(v);
    })
    .option('--runs <n>', "runs per lever value, the same runs at every value (default: the scenario's)", runsArg)
    .option('--out <dir>', 'results folder (default: results/reach-<scenario name>-<target>)')
    .option('--resume <dir>', 'complete an interrupted reach folder');
  batchOptions(reach, "the scenario's").action(async (file: string | undefined, opts) => {
    process.exitCode = await (await import('../app/reach.js')).reachTarget(file, opts, log);
  });
  p.command('verify')
    .description('check that a results folder is complete and that its files match its run files')
    .argument('<dir>', 'results folder')
    .action(async (dir: string) => {
      process.exitCode = await (await import('../app/verify.js')).verifyFolder(dir, log);
    });
  return p;
}
