/**
 * Loading a scenario: the file (with `extends`), the schema, and the checks across fields that a
 * schema of single fields cannot make (the cities add up to the province, each city once, ...).
 * Every problem comes back at once, located in the file that set the field.
 */
import { dirname, resolve } from 'node:path';
import { UserError, type Problem } from '../core/errors.js';
import { locate, readWithExtends, validateWith, type SourceDoc } from './load.js';
import { CITY_IDS, Scenario } from './schema.js';
import { resolveLevers } from './schedule.js';
import { calendarOf } from '../core/calendar.js';

/** A loaded scenario and where it came from. */
export interface LoadedScenario {
  scenario: Scenario;
  /** The scenario file as named by the user. */
  file: string;
  /** Absolute path of the targets file, resolved against the scenario file that named it. */
  targetsFile: string;
}

/** Reads, merges, validates and cross-checks a scenario file; throws one UserError with every problem. */
export function loadScenario(file: string): LoadedScenario {
  const { data, chain } = readWithExtends(file);
  const scenario = validateWith(Scenario, data, chain);
  const problems = crossCheck(scenario, chain);
  // Schedules: resolved once here so that a bad expression is reported like any other bad field.
  const schedule: Problem[] = [];
  const cal = calendarOf(scenario);
  resolveLevers(scenario.levers, cal.totalTicks, cal.ticksPerYear, schedule);
  for (const p of schedule) problems.push({ ...p, ...whereIn(chain, pathSegments(p.path ?? '')) });
  if (problems.length) throw new UserError(problems);
  const owner = chain.find((d) => locate(d, ['targets']) && definesTargets(d)) ?? chain[0];
  return { scenario, file, targetsFile: resolve(dirname(owner.file), scenario.targets) };
}

function definesTargets(d: SourceDoc): boolean {
  return (d.doc.toJS() as Record<string, unknown> | null)?.targets !== undefined;
}

/** `a.b[2].c` as path segments. */
function pathSegments(path: string): (string | number)[] {
  return path.split('.').flatMap((seg) => seg.split(/[[\]]/).filter(Boolean).map((x, i) => (i > 0 && /^\d+$/.test(x) ? Number(x) : x)));
}

/** File and position of the most derived definition of `path` in an extends chain. */
function whereIn(chain: SourceDoc[], path: (string | number)[]): { file?: string; line?: number; column?: number } {
  for (const d of chain) {
    const pos = locate(d, path);
    if (pos) return { file: d.file, ...pos };
  }
  return {};
}

/** Checks across fields. Relative tolerance for sums: one person in 10^9. */
export function crossCheck(sc: Scenario, chain: SourceDoc[]): Problem[] {
  const problems: Problem[] = [];
  const where = (path: (string | number)[]) => whereIn(chain, path);
  const add = (path: (string | number)[], expected: string, found: string) =>
    problems.push({ code: 'inconsistent', path: path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '['), expected, found, ...where(path) });
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
  if (Math.abs(sumRes - pv.residents.value) > 1e-9 * pv.residents.value) add(['world', 'province', 'residents'], `the sum of the cities' residents (${sumRes})`, String(pv.residents.value));
  if (Math.abs(sumUrb - pv.urban.value) > 1e-9 * pv.urban.value) add(['world', 'province', 'urban'], `the sum of the cities' urban residents (${sumUrb})`, String(pv.urban.value));
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
  const st = sc.world.settlement;
  if (st.migrant_origin_same_county.value + st.migrant_origin_same_city.value > 1) add(['world', 'settlement', 'migrant_origin_same_city'], 'origin shares (same county + same city) at most 1', String(st.migrant_origin_same_county.value + st.migrant_origin_same_city.value));
  if (st.migrant_owner_share.value + st.migrant_dormitory_share.value > 1) add(['world', 'settlement', 'migrant_dormitory_share'], 'migrant owner + dormitory shares at most 1', String(st.migrant_owner_share.value + st.migrant_dormitory_share.value));
  const sk = sc.behaviour.labour;
  if (sk.youth_skill_high.value + sk.youth_skill_mid.value > 1) add(['behaviour', 'labour', 'youth_skill_mid'], 'youth skill shares (high + mid) at most 1', String(sk.youth_skill_high.value + sk.youth_skill_mid.value));
  const m = sc.behaviour.migration;
  if (m.min_age.value > m.max_age.value) add(['behaviour', 'migration', 'min_age'], `at most max_age (${m.max_age.value})`, String(m.min_age.value));
  return problems;
}
