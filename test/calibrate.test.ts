/**
 * `urbanize calibrate` end to end, on a tiny calibration (3 priors, coarse scale): a calibration
 * killed with kill -9 resumes to the same posterior byte for byte; the budget is spent exactly and a
 * budget below the method's minimum exits 2 naming it; a finished folder is not replaced without
 * --force; a targets or priors file with a mistake exits 2 with its file:line.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cli, cliAsync, tempDir } from './helpers/cli.js';
import { startCli, until } from './helpers/signal.js';

const HISTORY = join(process.cwd(), 'scenarios/targets/history.yaml');
const FREE = ['migration.review_rate_village', 'labour.separation_rate', 'reclassification.village_rate'];

/** A priors file with three priors, every other estimate fixed. */
function smallPriors(dir: string): string {
  const full = parse(readFileSync('scenarios/targets/priors.yaml', 'utf8')) as { parameters: Record<string, unknown>; fixed: Record<string, string> };
  const fixed = { ...full.fixed };
  for (const p of Object.keys(full.parameters)) if (!FREE.includes(p)) fixed[p] = 'held at its value in the tests (a tiny calibration)';
  const file = join(dir, 'priors.yaml');
  writeFileSync(file, stringify({ parameters: Object.fromEntries(FREE.map((p) => [p, full.parameters[p]])), fixed }));
  return file;
}

/** The history targets of 2021 only (the runs end at 2021), with the data files' paths made absolute. */
function targets2021(dir: string): string {
  const h = parse(readFileSync(HISTORY, 'utf8')) as { targets: { years: number[]; measure: string; data: { file: string } }[] };
  const kept = h.targets.filter((t) => t.measure !== 'change_per_year' && t.years.includes(2021));
  for (const t of kept) (t.years = [2021]), (t.data.file = join(process.cwd(), t.data.file.replace('../../', '')));
  const file = join(dir, 'history-2021.yaml');
  writeFileSync(file, stringify({ targets: kept }));
  return file;
}

const dir = tempDir();
const priors = smallPriors(dir);
const history = targets2021(dir);
/** 4 replicates + 2 x 3 priors + 2 generations of 6: the minimum is 22; 30 gives 3 generations, the last of 8. */
const args = (out: string, o: { budget?: number; targets?: string; priors?: string } = {}) => [
  'calibrate',
  'scenarios/shanxi-baseline.yaml',
  ...['--scale', '20000', '--budget', String(o.budget ?? 30), '--particles', '6', '--keep', '3', '--out', out, '--quiet'],
  ...['--priors', o.priors ?? priors, '--targets', o.targets ?? history],
];
const stored = (out: string) => (existsSync(join(out, 'sims')) ? readdirSync(join(out, 'sims')).filter((f) => f.endsWith('.json')).length : 0);
const outputs = (out: string) => ['posterior.csv', 'posterior.json', 'fit.csv', 'screening.csv'].map((f) => readFileSync(join(out, f), 'utf8'));

describe('urbanize calibrate', () => {
  const reference = join(dir, 'whole');
  const whole = cliAsync([...args(reference), '--workers', '2']);

  it('spends the budget exactly and writes a posterior in the agreed format', async () => {
    const r = await whole;
    expect(r.code, r.stderr).toBe(0);
    expect(stored(reference)).toBe(30);
    const meta = JSON.parse(readFileSync(join(reference, 'posterior.json'), 'utf8'));
    expect(meta.simulations).toBe(30);
    expect(meta.generations.map((g: { simulations: number }) => g.simulations)).toEqual([6, 6, 8]);
    const [head, ...rows] = readFileSync(join(reference, 'posterior.csv'), 'utf8').trim().split('\n');
    expect(head).toBe(`set,weight,${FREE.join(',')}`);
    expect(rows.length).toBe(4); // 3 of 6, kept in the same share of the last generation's 8
    rows.forEach((row, i) => expect(row.split(',')[0]).toBe(String(i)));
  }, 60_000);

  it('after kill -9 in the middle, --resume ends at the same posterior, byte for byte', async () => {
    const out = join(dir, 'killed');
    const { child, ended } = startCli([...args(out), '--workers', '1']);
    await until(() => stored(out) >= 12);
    child.kill('SIGKILL');
    await ended;
    expect(stored(out)).toBeLessThan(30);
    expect(existsSync(join(out, 'posterior.csv'))).toBe(false);
    const r = await cliAsync(['calibrate', '--resume', out, '--quiet', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect((await whole).code).toBe(0);
    expect(outputs(out)).toEqual(outputs(reference));
  }, 60_000);

  it('refuses to replace a finished calibration without --force', async () => {
    expect((await whole).code).toBe(0);
    const r = cli(args(reference));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists');
  }, 60_000);

  it('a budget below the minimum exits 2 naming the minimum, and creates nothing', () => {
    const out = join(dir, 'small-budget');
    const r = cli(args(out, { budget: 21 }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: --budget: expected at least 22 simulations (screening 4 + 2 x 3 priors, generation 0 and one more of 6 particles each), found 21\n',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a targets file with an unknown metric or series exits 2 with file:line:column', () => {
    const bad = join(dir, 'history-bad.yaml');
    const text = readFileSync(HISTORY, 'utf8')
      .replace('metric: urbanization_rate', 'metric: urbanisation')
      .replace('series: birth_rate }', 'series: birth_rates }');
    writeFileSync(bad, text.replace(/\.\.\/\.\.\/data\//g, `${process.cwd()}/data/`));
    const line = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;
    const r = cli(args(join(dir, 'bad-targets'), { targets: bad }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:${line('metric: urbanisation')}:`);
    expect(r.stderr).toContain('targets.0.metric');
    expect(r.stderr).toContain(`${bad}:${line('series: birth_rates')}:`);
    expect(r.stderr).toContain('none for 2021, 2022, 2023, 2024');
    expect(r.stderr).not.toContain('    at ');
  });

  it('levels must fall after the scenario census: 2020 is refused from the 2020 world, 2015-2020 taken from the 2010 world', () => {
    const h = parse(readFileSync(join(process.cwd(), 'scenarios/targets/history-2010.yaml'), 'utf8')) as { targets: { data: { file: string } }[] };
    for (const t of h.targets) t.data.file = join(process.cwd(), t.data.file.replace('../../', ''));
    const file = join(dir, 'history-2010.yaml');
    const text = stringify(h);
    writeFileSync(file, text);
    const r = cli(args(join(dir, 'levels-2020'), { targets: file }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:${text.split('\n').findIndex((l) => l.trim() === 'years:') + 1}:`);
    expect(r.stderr).toContain('years after the census (2021 on): the model starts at the 2020 census, found [2015,2020]');
    // The same targets and the 2010 priors on the 2010 world: accepted, so the budget is what is refused.
    const out = join(dir, 'levels-2010');
    const ok = cli([
      ...['calibrate', 'scenarios/shanxi-2010.yaml', '--budget', '21', '--out', out, '--quiet'],
      ...['--targets', file, '--priors', 'scenarios/targets/priors-2010.yaml'],
    ]);
    expect(ok.code).toBe(2);
    expect(ok.stderr).toMatch(/^error: --budget: expected at least \d+ simulations \(screening 4 \+ 2 x 89 priors/);
    expect(existsSync(out)).toBe(false);
  });

  it('a priors file with a range the scenario refuses exits 2 with file:line:column', () => {
    const bad = join(dir, 'priors-bad.yaml');
    const text = readFileSync(priors, 'utf8').replace(/(migration\.review_rate_village:\n\s+lo: )[\d.]+/, '$1-0.5');
    writeFileSync(bad, text);
    const r = cli(args(join(dir, 'bad-priors'), { priors: bad }));
    expect(r.code).toBe(2);
    const line = text.split('\n').findIndex((l) => l.includes('lo: -0.5')) + 1;
    expect(r.stderr).toContain(`${bad}:${line}:`);
    expect(r.stderr).toContain('parameters.migration.review_rate_village.lo');
  });

  it('a prior whose end the scenario refuses with the other parameters at its values (youth skill shares above 1) exits 2 with file:line', () => {
    const full = parse(readFileSync(priors, 'utf8')) as { parameters: Record<string, unknown>; fixed: Record<string, string> };
    const { 'labour.youth_skill_high': _, ...fixed } = full.fixed;
    const bad = join(dir, 'priors-skill.yaml');
    const text = stringify({
      parameters: { ...full.parameters, 'labour.youth_skill_high': { lo: 0.3, hi: 0.7, reason: 'a range whose top and the mid share add up to more than 1' } },
      fixed,
    });
    writeFileSync(bad, text);
    const r = cli(args(join(dir, 'bad-skill'), { priors: bad }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('parameters.labour.youth_skill_high.hi');
    expect(r.stderr).toContain('youth skill shares (high + mid) at most 1');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
