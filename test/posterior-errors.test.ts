/**
 * Every mistake in a scenario's posterior file, through the real command line: `urbanize validate`
 * and `urbanize run` both exit with code 2 and name the CSV file, line, column and column name,
 * with what was expected and what was found, and no stack trace; `run` writes no results folder.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliAsync, tempDir } from './helpers/cli.js';

const BASE = join(process.cwd(), 'scenarios/shanxi-baseline.yaml');
const STACK = /\n\s+at /;

/** A scenario extending the baseline with posterior `csv` (written beside it as p.csv); returns both paths. */
function withPosterior(csv: string, extra = ''): { scenario: string; csv: string } {
  const dir = tempDir('urbanize-posterior-');
  const file = join(dir, 'p.csv');
  writeFileSync(file, csv);
  const scenario = join(dir, 'scenario.yaml');
  writeFileSync(scenario, `extends: ${BASE}\nposterior: p.csv\n${extra}`);
  return { scenario, csv: file };
}

/** `validate` and `run` both report `file:line:column: path` with the words of `says`, exit 2, no stack, no folder. */
async function expectMistake(scenario: string, where: string, says: string[]): Promise<void> {
  const out = join(tempDir('urbanize-posterior-out-'), 'results');
  const [v, r] = await Promise.all([cliAsync(['validate', scenario]), cliAsync(['run', scenario, '--out', out, '--quiet', '--runs', '1', '--scale', '20000'])]);
  for (const [res, text] of [
    [v, v.stdout],
    [r, r.stderr],
  ] as const) {
    expect(res.code, res.stdout + res.stderr).toBe(2);
    expect(text).toContain(where);
    for (const s of says) expect(text).toContain(s);
    expect(res.stdout + res.stderr).not.toMatch(STACK);
  }
  expect(existsSync(out)).toBe(false);
}

describe.concurrent('a bad posterior: exit code 2, the CSV file:line:column and column, no stack trace', () => {
  it('a posterior file that does not exist (reported at the scenario field)', async () => {
    const dir = tempDir('urbanize-posterior-');
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(scenario, `extends: ${BASE}\nposterior: posteriors/none.csv\n`);
    await expectMistake(scenario, `${scenario}:2:12: posterior`, ['cannot read the posterior file', join(dir, 'posteriors/none.csv'), 'no such file']);
  });

  it('no set column', async () => {
    const p = withPosterior('weight,migration.beta_income\n1,1.5\n');
    await expectMistake(p.scenario, `${p.csv}:1:1: set`, ['no column "set"', 'expected a header set,weight,']);
  });

  it('no weight column', async () => {
    const p = withPosterior('set,migration.beta_income\n0,1.5\n');
    await expectMistake(p.scenario, `${p.csv}:1:1: weight`, ['no column "weight"']);
  });

  it('an unknown column', async () => {
    const p = withPosterior('set,weight,migration.beta_incom\n0,1,1.5\n');
    await expectMistake(p.scenario, `${p.csv}:1:12: migration.beta_incom`, ['unknown column', 'expected a behaviour parameter of the scenario']);
  });

  it('a column with the behaviour. prefix', async () => {
    const p = withPosterior('set,weight,behaviour.migration.beta_income\n0,1,1.5\n');
    await expectMistake(p.scenario, `${p.csv}:1:12: behaviour.migration.beta_income`, ['without "behaviour."']);
  });

  it('a column that is a figure read from data, not an estimate', async () => {
    const p = withPosterior('set,weight,migration.beta_income,demography.birth_rate_2020\n0,1,1.5,7\n');
    await expectMistake(p.scenario, `${p.csv}:1:34: demography.birth_rate_2020`, [
      'is not a parameter to calibrate',
      'expected a parameter that the scenario gives as { value, estimate }',
    ]);
  });

  it('a value that is not a number', async () => {
    const p = withPosterior('set,weight,migration.beta_income\n0,1,1.5\n1,1,high\n');
    await expectMistake(p.scenario, `${p.csv}:3:5: migration.beta_income`, ['set 1', 'expected a number, found "high"']);
  });

  it("a value outside the parameter's range in the scenario schema", async () => {
    const p = withPosterior('set,weight,migration.review_rate_village\n0,1,0.07\n1,1,1.2\n');
    await expectMistake(p.scenario, `${p.csv}:3:5: migration.review_rate_village`, [
      'set 1 outside the range the scenario allows',
      'expected a number <= 1, found 1.2',
    ]);
  });

  it('a set that breaks a check across fields (skill shares above 1)', async () => {
    const p = withPosterior('set,weight,labour.youth_skill_mid\n0,1,0.99\n');
    await expectMistake(p.scenario, `${p.csv}:2:5: behaviour.labour.youth_skill_mid`, ['set 0', 'youth skill shares (high + mid) at most 1']);
  });

  it('no rows', async () => {
    const p = withPosterior('set,weight,migration.beta_income\n');
    await expectMistake(p.scenario, `${p.csv}:2:1`, ['the posterior has no parameter sets']);
  });

  it('an empty file', async () => {
    const p = withPosterior('');
    await expectMistake(p.scenario, `${p.csv}:1:1: set`, ['no column "set"', 'found an empty file']);
  });

  it('a negative weight', async () => {
    const p = withPosterior('set,weight,migration.beta_income\n0,1,1.5\n1,-0.5,2\n');
    await expectMistake(p.scenario, `${p.csv}:3:3: weight`, ['set 1', 'expected a finite weight >= 0, found -0.5']);
  });

  it('weights that sum to zero', async () => {
    const p = withPosterior('set,weight,migration.beta_income\n0,0,1.5\n1,0,2\n');
    await expectMistake(p.scenario, `${p.csv}:1:5: weight`, ['the weights must have a positive sum']);
  });

  it('sets not numbered 0, 1, 2, ... in order', async () => {
    const p = withPosterior('set,weight,migration.beta_income\n0,1,1.5\n2,1,2\n');
    await expectMistake(p.scenario, `${p.csv}:3:1: set`, ['numbered 0, 1, 2, ... in order', 'expected 1, found 2']);
  });

  it('a row with a cell too few', async () => {
    const p = withPosterior('set,weight,migration.beta_income\n0,1\n');
    await expectMistake(p.scenario, `${p.csv}:2:1`, ['expected 3 cells, as in the header, found 2']);
  });

  it('a sidecar NAME.json that is not JSON', async () => {
    const p = withPosterior('set,weight,migration.beta_income\n0,1,1.5\n');
    const side = p.csv.replace(/\.csv$/, '.json');
    writeFileSync(side, '{ "method": ');
    await expectMistake(p.scenario, side, ["the posterior's metadata is not JSON"]);
  });

  it('a sweep factor that the posterior draws for each run', async () => {
    const p = withPosterior('set,weight,migration.beta_income\n0,1,1.5\n');
    const r = await cliAsync(['sweep', p.scenario, '--vary', 'behaviour.migration.beta_income=1..2', '--out', join(tempDir(), 'sweep'), '--quiet']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("--vary: behaviour.migration.beta_income is drawn from the scenario's posterior");
    expect(r.stderr).not.toMatch(STACK);
  });
});
