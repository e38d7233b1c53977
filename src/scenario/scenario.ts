/**
 * Loading a scenario: the file (with `extends`), the schema, and the checks across fields that a
 * schema of single fields cannot make (the cities add up to the province, each city once, ...).
 * Every problem comes back at once, located in the file that set the field.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError, type Problem } from '../core/errors.js';
import { locate, placeOf, readWithExtends, validateWith, type SourceDoc } from './load.js';
import { readPosterior, type Posterior } from './posterior.js';
import { CITY_IDS, Scenario } from './schema.js';
import { scenarioLevers, type LeverTables } from './schedule.js';
import { checkAgainstStart } from './start.js';

/** A loaded scenario and where it came from. */
export interface LoadedScenario {
  scenario: Scenario;
  /** The scenario file as named by the user. */
  file: string;
  /** Absolute path of the targets file, resolved against the scenario file that named it. */
  targetsFile: string;
  /** The levers resolved into per-tick tables, once, here. */
  levers: LeverTables;
  /** The posterior the runs draw their parameters from (the `posterior` field), read and checked here; null without one. */
  posterior: Posterior | null;
}

/** Reads, merges, validates and cross-checks a scenario file; throws one UserError with every problem. */
export function loadScenario(file: string): LoadedScenario {
  const { data, chain } = readWithExtends(file);
  const scenario = validateWith(Scenario, data, chain);
  const problems = crossCheck(scenario, chain);
  // Schedules: resolved once here so that a bad expression is reported like any other bad field.
  const schedule: Problem[] = [];
  const levers = scenarioLevers(scenario, schedule);
  for (const p of schedule) problems.push({ ...p, ...whereIn(chain, pathSegments(p.path ?? '')) });
  const owner = chain.find((d) => locate(d, ['targets']) && definesTargets(d)) ?? chain[0];
  const targetsFile = resolve(dirname(owner.file), scenario.targets);
  const unreadable = fileProblem(targetsFile);
  if (unreadable)
    problems.push({
      code: 'file',
      ...whereIn(chain, ['targets']),
      path: 'targets',
      message: `cannot read the targets file ${targetsFile}: ${unreadable}`,
      expected: 'a targets file (resolved against the scenario file that names it)',
      found: `"${scenario.targets}"`,
    });
  const posterior = scenario.posterior ? loadPosterior(scenario, chain, problems) : null;
  if (problems.length) throw new UserError(problems);
  return { scenario, file, targetsFile, levers, posterior };
}

/** Reads the scenario's posterior, resolved against the scenario file that names it; its problems go to `problems`. */
function loadPosterior(scenario: Scenario, chain: SourceDoc[], problems: Problem[]): Posterior | null {
  const owner = chain.find((d) => Object.hasOwn((d.doc.toJS() as Record<string, unknown> | null) ?? {}, 'posterior')) ?? chain[0];
  const file = resolve(dirname(owner.file), scenario.posterior!);
  const unreadable = fileProblem(file);
  if (unreadable) {
    problems.push({
      code: 'file',
      ...whereIn(chain, ['posterior']),
      path: 'posterior',
      message: `cannot read the posterior file ${file}: ${unreadable}`,
      expected: 'a posterior CSV file (resolved against the scenario file that names it), or null for none',
      found: `"${scenario.posterior}"`,
    });
    return null;
  }
  const r = readPosterior(file, scenario, (s) => crossCheck(s, chain));
  problems.push(...r.problems);
  return r.posterior ?? null;
}

/** Why `file` cannot be read as a file, or undefined when it can be. */
function fileProblem(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? undefined : 'it is not a file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
  }
}

function definesTargets(d: SourceDoc): boolean {
  return (d.doc.toJS() as Record<string, unknown> | null)?.targets !== undefined;
}

/** `a.b[2].c` as path segments. */
function pathSegments(path: string): (string | number)[] {
  return path.split('.').flatMap((seg) =>
    seg
      .split(/[[\]]/)
      .filter(Boolean)
      .map((x, i) => (i > 0 && /^\d+$/.test(x) ? Number(x) : x)),
  );
}

/** File and position of the most derived definition of `path` (or of its nearest defined ancestor) in an extends chain. */
function whereIn(chain: SourceDoc[], path: (string | number)[]): { file?: string; line?: number; column?: number } {
  const { file, line, column } = placeOf(chain, path);
  return file === undefined ? {} : { file, line, column };
}

/** Of fields checked together, the one set by the most derived file (the one the user most likely just changed). */
function mostDerived(chain: SourceDoc[], paths: (string | number)[][]): (string | number)[] {
  const rank = (p: (string | number)[]) => {
    const at = placeOf(chain, p);
    return at.depth === p.length ? at.index : chain.length + p.length - at.depth;
  };
  return paths.reduce((best, p) => (rank(p) < rank(best) ? p : best));
}

/** Checks across fields. Relative tolerance for sums: one person in 10^9. */
export function crossCheck(sc: Scenario, chain: SourceDoc[]): Problem[] {
  const problems: Problem[] = [];
  const where = (path: (string | number)[]) => whereIn(chain, path);
  const add = (path: (string | number)[], expected: string, found: string) =>
    problems.push({
      code: 'inconsistent',
      path: path
        .map((p) => (typeof p === 'number' ? `[${p}]` : p))
        .join('.')
        .replace(/\.\[/g, '['),
      expected,
      found,
      ...where(path),
    });
  const ids = sc.world.cities.map((c) => c.id);
  CITY_IDS.forEach((id) => {
    if (!ids.includes(id)) add(['world', 'cities'], `every prefecture city once, including "${id}"`, `no city "${id}"`);
  });
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) add(['world', 'cities', i, 'id'], 'each city once', `"${id}" a second time`);
  });
  const pv = sc.world.province;
  const sumRes = sc.world.cities.reduce((a, c) => a + c.residents.value, 0);
  const sumUrb = sc.world.cities.reduce((a, c) => a + c.urban.value, 0);
  if (Math.abs(sumRes - pv.residents.value) > 1e-9 * pv.residents.value)
    add(['world', 'province', 'residents'], `the sum of the cities' residents (${sumRes})`, String(pv.residents.value));
  if (Math.abs(sumUrb - pv.urban.value) > 1e-9 * pv.urban.value)
    add(['world', 'province', 'urban'], `the sum of the cities' urban residents (${sumUrb})`, String(pv.urban.value));
  if (pv.urban.value > pv.residents.value) add(['world', 'province', 'urban'], `at most the residents (${pv.residents.value})`, String(pv.urban.value));
  sc.world.cities.forEach((c, i) => {
    if (c.urban.value > c.residents.value) add(['world', 'cities', i, 'urban'], `at most the city's residents (${c.residents.value})`, String(c.urban.value));
  });
  const ages = [pv.age, ...sc.world.cities.flatMap((c) => (c.age ? [c.age] : []))];
  ages.forEach((a, k) => {
    const sum = a.age_0_14.value + a.age_15_59.value + a.age_60_plus.value;
    const path = k === 0 ? ['world', 'province', 'age'] : ['world', 'cities', sc.world.cities.findIndex((c) => c.age === a), 'age'];
    if (Math.abs(sum - 100) > 0.05) add(path, 'age shares 0-14, 15-59 and 60+ that sum to 100', `${sum.toFixed(2)}`);
    if (a.age_65_plus.value > a.age_60_plus.value) add([...path, 'age_65_plus'], `at most the 60+ share (${a.age_60_plus.value})`, String(a.age_65_plus.value));
  });
  const rural2020 = pv.urban_disposable_income_2020.value / pv.urban_rural_income_ratio_2020.value,
    transfer = sc.behaviour.labour.rural_transfer_2020.value;
  if (!(transfer < rural2020))
    add(
      ['behaviour', 'labour', 'rural_transfer_2020'],
      `less than the 2020 rural income it is part of (urban_disposable_income_2020 / urban_rural_income_ratio_2020 = ${Math.round(rural2020)})`,
      String(transfer),
    );
  const st = sc.world.settlement;
  if (st.migrant_origin_same_county.value + st.migrant_origin_same_city.value > 1)
    add(
      ['world', 'settlement', 'migrant_origin_same_city'],
      'origin shares (same county + same city) at most 1',
      String(st.migrant_origin_same_county.value + st.migrant_origin_same_city.value),
    );
  if (st.migrant_owner_share.value + st.migrant_dormitory_share.value > 1)
    add(
      ['world', 'settlement', 'migrant_dormitory_share'],
      'migrant owner + dormitory shares at most 1',
      String(st.migrant_owner_share.value + st.migrant_dormitory_share.value),
    );
  const sk = sc.behaviour.labour;
  if (sk.youth_skill_high.value + sk.youth_skill_mid.value > 1)
    add(['behaviour', 'labour', 'youth_skill_mid'], 'youth skill shares (high + mid) at most 1', String(sk.youth_skill_high.value + sk.youth_skill_mid.value));
  const m = sc.behaviour.migration;
  if (m.min_age.value > m.max_age.value) add(['behaviour', 'migration', 'min_age'], `at most max_age (${m.max_age.value})`, String(m.min_age.value));

  // Men and women add up to the residents.
  const sexes = pv.male.value + pv.female.value;
  if (Math.abs(sexes - pv.residents.value) > 1e-9 * pv.residents.value) {
    const path = mostDerived(chain, [
      ['world', 'province', 'male'],
      ['world', 'province', 'female'],
      ['world', 'province', 'residents'],
    ]);
    add(path, `male + female equal to the residents (${pv.residents.value})`, `${pv.male.value} + ${pv.female.value} = ${sexes}`);
  }
  if (pv.urban_employed.value > pv.employed.value)
    add(['world', 'province', 'urban_employed'], `at most the employed (${pv.employed.value})`, String(pv.urban_employed.value));
  if (pv.employed.value > pv.residents.value)
    add(['world', 'province', 'employed'], `at most the residents (${pv.residents.value})`, String(pv.employed.value));
  // Divisors of the world build: a labour force of urban_employed / (1 - unemployment), stocks of occupied / (1 - vacancy).
  if (pv.urban_unemployment_rate.value >= 100)
    add(
      ['world', 'province', 'urban_unemployment_rate'],
      'a rate below 100 (the urban labour force is the employed over one minus this rate)',
      String(pv.urban_unemployment_rate.value),
    );
  for (const k of ['market_vacancy', 'owned_vacancy', 'job_vacancy'] as const) {
    if (st[k].value >= 1) add(['world', 'settlement', k], 'a share below 1 (the stock is the occupied part over one minus this share)', String(st[k].value));
  }
  // The world build's own checks, made here so that they are located and reported with the rest
  // (world/counts.ts keeps them as a last line of defence).
  sc.world.cities.forEach((c, i) => {
    const fixed = c.county_towns.reduce((a, t) => a + (t.class === 'small_1' ? st.county_town_persons_small_1.value : st.county_town_persons_small_2.value), 0);
    const towns = st.other_towns_share_of_urban.value * c.urban.value;
    const central = c.urban.value - fixed - towns;
    if (central < 0.05 * c.urban.value) {
      const classes = [...new Set(c.county_towns.map((t) => t.class))].map((k) => ['world', 'settlement', `county_town_persons_${k}`]);
      const path = mostDerived(chain, [['world', 'cities', i, 'urban'], ...classes, ['world', 'settlement', 'other_towns_share_of_urban']]);
      add(
        path,
        `${c.id}'s urban residents above its county towns' ${Math.round(fixed)} and town seats' ${Math.round(towns)}, with at least 5% left for the central districts`,
        `${c.id}: ${c.urban.value} urban residents, leaving ${Math.round(central)} for the central districts`,
      );
    }
  });
  const hukouHolders = pv.residents.value - pv.from_other_provinces.value + pv.outside_stock.value;
  const urbanHukou = (pv.hukou_urbanization_rate.value / 100) * hukouHolders;
  const localUrban =
    urbanHukou - pv.outside_urban_hukou_share.value * pv.outside_stock.value - pv.village_urban_hukou_share.value * (pv.residents.value - pv.urban.value);
  const migrants = pv.urban.value - localUrban - pv.from_other_provinces.value;
  if (migrants < 0) {
    const fields = [
      'hukou_urbanization_rate',
      'urban',
      'residents',
      'from_other_provinces',
      'outside_stock',
      'outside_urban_hukou_share',
      'village_urban_hukou_share',
    ];
    add(
      mostDerived(
        chain,
        fields.map((f) => ['world', 'province', f]),
      ),
      'urban-hukou holders living in towns fewer than the urban residents less those from other provinces',
      `${pv.hukou_urbanization_rate.value}% implies ${Math.round(localUrban)} urban-hukou town residents, more than the ${Math.round(pv.urban.value - pv.from_other_provinces.value)} urban residents of Shanxi hukou`,
    );
  }
  if (pv.from_other_provinces.value > pv.urban.value)
    add(
      ['world', 'province', 'from_other_provinces'],
      `at most the urban residents (${pv.urban.value}): people from other provinces live in towns`,
      String(pv.from_other_provinces.value),
    );
  // Dated fields come after the census the scenario starts from.
  checkAgainstStart(sc, add);
  // Events (撤县设区): each names a county town of the world, once.
  const counties = sc.world.cities.flatMap((c) => c.county_towns.map((t) => t.name));
  const named = new Set<string>();
  sc.events.county_to_district.forEach((e, k) => {
    const path = ['events', 'county_to_district', k, 'county'];
    if (!counties.includes(e.county))
      add(path, 'the name of a county town listed under world.cities[].county_towns (e.g. "清徐县")', `"${e.county}", which is no county town of the world`);
    else if (named.has(e.county)) add(path, 'each county at most once', `"${e.county}" a second time`);
    named.add(e.county);
  });
  return problems;
}
