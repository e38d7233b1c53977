// The data the project cites ships inside it (data/, described in data/README.md): every file a
// provenance string names exists in the repository, the CSVs in data/ parse with their declared
// columns and name a source for every row, every figure can be found in the file it cites, and
// the scenario, the calibration and the targets hold the same figures as the data files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadHistory } from '../src/calibrate/history.js';

const PLAN = 'data/plan/shanxi-new-urbanization-plan-2021-2025.txt';

/** The columns of every CSV in data/ (data/README.md describes them). */
const COLUMNS: Record<string, string[]> = {
  'data/plan/targets-2025.csv': [
    'section',
    'item',
    'line',
    'indicator',
    'region',
    'region_name',
    'base_year',
    'base_value',
    'target_year',
    'target_value',
    'qualifier',
    'unit',
    'kind',
    'plan_text',
    'targets_yaml_id',
    'source',
    'note',
  ],
  'data/plan/city-size-classes-2025.csv': ['section', 'line', 'size_class', 'size_range', 'class_count', 'place', 'note', 'source'],
  'data/observed/province.csv': ['series', 'year', 'value', 'unit', 'source', 'note'],
  'data/observed/cities-census.csv': ['city', 'city_name', 'area', 'series', 'year', 'value', 'unit', 'source', 'note'],
  'data/observed/cities-annual.csv': ['city', 'city_name', 'series', 'year', 'value', 'unit', 'source', 'note'],
};

type Row = Record<string, string>;

/** RFC 4180: fields separated by commas, quoted with "" when they hold a comma, a quote or a newline. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function readCsv(file: string): Row[] {
  const [header, ...records] = parseCsv(readFileSync(file, 'utf8'));
  expect(header, `${file}: header`).toEqual(COLUMNS[file]);
  records.forEach((r, i) => expect(r.length, `${file}: row ${i + 2} has ${r.length} fields`).toBe(header.length));
  return records.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
}

const walkFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walkFiles(p) : [p];
  });

/** The file names in a provenance string: anything that looks like a path with a known extension. */
const FILE_RE = /(?:[\w.-]+\/)*[\w-]+(?:\.[\w-]+)*\.(?:md|txt|csv|ya?ml|json|mjs|ts)\b/g;
const filesNamed = (s: string) => s.match(FILE_RE) ?? [];
/** A named file exists in the repository, as a path from its root or, failing that, from the citing file's folder. */
const exists = (name: string, citedFrom: string) => existsSync(name) || existsSync(join(dirname(citedFrom), name));

/** Every source/estimate string in a parsed scenario or targets file, with its path. */
function provenanceStrings(node: unknown, path = ''): [string, string][] {
  if (Array.isArray(node)) return node.flatMap((x, i) => provenanceStrings(x, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) =>
    (k === 'source' || k === 'estimate') && typeof v === 'string' ? [[`${path}.${k}`, v] as [string, string]] : provenanceStrings(v, `${path}.${k}`),
  );
}

const SCENARIO_FILES = ['scenarios', 'scenarios/variants', 'scenarios/targets'].flatMap((d) =>
  readdirSync(d)
    .filter((n) => /\.(ya?ml|json)$/.test(n))
    .map((n) => join(d, n)),
);
const parsed = (file: string): unknown => (file.endsWith('.json') ? JSON.parse(readFileSync(file, 'utf8')) : parse(readFileSync(file, 'utf8')));

describe('provenance strings name files that are in the repository', () => {
  it('the scenario files and the targets file exist and have provenance strings to check', () => {
    expect(SCENARIO_FILES).toContain('scenarios/shanxi-2020.yaml');
    expect(SCENARIO_FILES).toContain('scenarios/targets/plan-2025.yaml');
    expect(SCENARIO_FILES).toContain('scenarios/calibrated.json');
    expect(provenanceStrings(parsed('scenarios/shanxi-2020.yaml')).length).toBeGreaterThan(100);
  });

  it('every source and estimate in every scenario and targets file', () => {
    const missing: string[] = [];
    let named = 0;
    for (const file of SCENARIO_FILES) {
      for (const [path, s] of provenanceStrings(parsed(file))) {
        for (const name of filesNamed(s)) {
          named++;
          if (!exists(name, file)) missing.push(`${file}${path}: ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(named).toBeGreaterThan(50);
  });

  it('the targets file names the plan text in data/plan/', () => {
    const t = parsed('scenarios/targets/plan-2025.yaml') as { source: string };
    expect(t.source).toBe(PLAN);
    expect(existsSync(PLAN)).toBe(true);
  });

  it('every calibration target of scenarios/targets/history.yaml names a source file that exists', () => {
    const targets = loadHistory('scenarios/targets/history.yaml', 2020);
    expect(targets.length).toBeGreaterThan(20);
    const missing = targets.flatMap((t) =>
      filesNamed(t.source)
        .filter((n) => !existsSync(n))
        .map((n) => `${t.id}: ${n}`),
    );
    expect(missing).toEqual([]);
  });

  it('the report header names data files that exist', () => {
    const line = readFileSync('src/report/pages.ts', 'utf8')
      .split('\n')
      .find((l) => l.includes('数据来源 Sources'));
    expect(line).toBeDefined();
    const names = filesNamed(line!);
    expect(names).toContain('data/reference/shanxi-data.md');
    for (const n of names) expect(existsSync(n), n).toBe(true);
  });

  it('nothing in src/, scenarios/, docs/ or scripts/ cites shared/, the old plan file name or a bare shanxi-data.md', () => {
    const bad: string[] = [];
    for (const file of ['src', 'scenarios', 'docs', 'scripts'].flatMap(walkFiles)) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((l, i) => {
          if (/(^|[^\w])shared\/|000_73e80744cce0764a|(?<![\w/.-])shanxi-(data|2021-2024)\.md/.test(l)) bad.push(`${file}:${i + 1}: ${l.trim().slice(0, 120)}`);
        });
    }
    expect(bad).toEqual([]);
  });
});

describe('the CSVs in data/', () => {
  const csvs = walkFiles('data')
    .filter((f) => f.endsWith('.csv'))
    .map((f) => relative('.', f))
    .sort();

  it('are the declared ones, each described in data/README.md', () => {
    expect(csvs).toEqual(Object.keys(COLUMNS).sort());
    const readme = readFileSync('data/README.md', 'utf8');
    for (const f of walkFiles('data').map((p) => relative('data', p))) if (f !== 'README.md') expect(readme, f).toContain(f);
  });

  it.each(Object.keys(COLUMNS))('%s parses with its columns; every row names a source file that exists', (file) => {
    const rows = readCsv(file);
    expect(rows.length).toBeGreaterThan(0);
    rows.forEach((r, i) => {
      expect(r.source.trim(), `${file} row ${i + 2}: source`).not.toBe('');
      const named = filesNamed(r.source);
      expect(named.length, `${file} row ${i + 2}: the source names a file`).toBeGreaterThan(0);
      for (const n of named) expect(existsSync(n), `${file} row ${i + 2}: ${n}`).toBe(true);
    });
  });

  it.each(['data/observed/province.csv', 'data/observed/cities-census.csv', 'data/observed/cities-annual.csv'])(
    '%s: numeric values, whole years, one row per series and year, each value written in the file its source names',
    (file) => {
      const rows = readCsv(file);
      const norm = (t: string) => t.replace(/(\d),(?=\d{3})/g, '$1');
      const text = new Map<string, string>();
      const keys = new Set<string>();
      for (const r of rows) {
        const where = `${file}: ${r.city ?? ''}${r.area ? `/${r.area}` : ''} ${r.series} ${r.year}`;
        expect(r.value, where).toMatch(/^-?\d+(\.\d+)?$/);
        expect(r.year, where).toMatch(/^(19|20)\d\d$/);
        expect(r.unit, where).not.toBe('');
        const key = [r.city, r.area, r.series, r.year].join('|');
        expect(keys.has(key), `${where}: duplicate`).toBe(false);
        keys.add(key);
        const cited = filesNamed(r.source)[0]!;
        if (!text.has(cited)) text.set(cited, norm(readFileSync(cited, 'utf8')));
        const re = new RegExp(`(^|[^\\d.])${r.value.replace('.', '\\.')}(?!\\d)`);
        expect(re.test(text.get(cited)!), `${where}: ${r.value} is not written in ${cited}`).toBe(true);
      }
    },
  );
});

describe("the plan's targets as tables", () => {
  const lines = readFileSync(PLAN, 'utf8').split('\n');
  const rows = readCsv('data/plan/targets-2025.csv');

  it('every row quotes the plan text of the line it names, and its figures are in that quote', () => {
    for (const r of rows) {
      const where = `${r.section} ${r.item} ${r.region} ${r.indicator}`;
      expect(lines[Number(r.line) - 1], where).toContain(r.plan_text);
      // 百万以上 (a million or more) is the one figure written in words: 100 万人.
      if (r.qualifier === '百万以上') expect([r.target_value, r.unit, r.plan_text.includes('百万以上')], where).toEqual(['100', '万人', true]);
      else if (/^\d/.test(r.target_value)) expect(r.plan_text, where).toMatch(new RegExp(`(^|[^\\d.])${r.target_value.replace('.', '\\.')}(?![\\d.]*\\d)`));
      else expect(r.plan_text, where).toContain(r.target_value);
      if (r.base_value) expect(r.plan_text, where).toContain(` ${r.base_value} `);
      if (r.kind) expect(r.plan_text, where).toContain(r.kind);
      expect(['专栏1', '专栏2', '第二章第三节', '第四章第六节']).toContain(r.section);
    }
  });

  it('agree with scenarios/targets/plan-2025.yaml, which encodes each of them once', () => {
    const yaml = parsed('scenarios/targets/plan-2025.yaml') as {
      targets: { id: string; section: string; region: string; year: number; value: number; unit: string; baseline_2020?: number; note?: string }[];
    };
    expect(rows.map((r) => r.targets_yaml_id).sort()).toEqual(yaml.targets.map((t) => t.id).sort());
    for (const t of yaml.targets) {
      const r = rows.find((x) => x.targets_yaml_id === t.id)!;
      expect(t.section.replace(/ row (\d+)$/, ''), t.id).toBe(r.section);
      if (r.item) expect(t.section, t.id).toBe(`${r.section} row ${r.item}`);
      expect(t.region, t.id).toBe(r.region);
      expect(t.year, t.id).toBe(Number(r.target_year));
      if (/^\d/.test(r.target_value)) expect(t.value, t.id).toBe(Number(r.target_value) * (r.unit === '万人' ? 10000 : 1));
      else expect(t.id === 'public_services_for_unregistered_residents' || t.unit === 'qualitative', t.id).toBe(true);
      if (r.kind) expect(t.note ?? '', t.id).toMatch(new RegExp(`^${r.kind}`));
      // A 2020 value in the targets file is one the plan states for the same target (专栏1).
      if (t.baseline_2020 !== undefined) {
        expect(
          rows.some((x) => x.region === r.region && x.target_value === r.target_value && Number(x.base_value) === t.baseline_2020 && x.base_value !== ''),
          t.id,
        ).toBe(true);
      } else expect(r.base_value, t.id).toBe('');
    }
  });

  it("专栏3 lists as many places per size class as the plan says, and the scenario's county towns have the plan's classes", () => {
    const places = readCsv('data/plan/city-size-classes-2025.csv');
    const byClass = new Map<string, Row[]>();
    for (const p of places) {
      expect(lines[Number(p.line) - 1], p.place).toContain(p.place);
      expect(lines[Number(p.line) - 1], p.place).toContain(`${p.size_class} (${p.size_range}) | ${p.class_count} |`);
      byClass.set(p.size_class, [...(byClass.get(p.size_class) ?? []), p]);
    }
    for (const [cls, ps] of byClass) expect(ps.length, cls).toBe(Number(ps[0].class_count));
    expect(places.length).toBe(1 + 3 + 7 + 20 + 71);
    const classOf = new Map(places.map((p) => [p.place === '孟县' ? '盂县' : p.place, p.size_class]));
    const sc = parsed('scenarios/shanxi-2020.yaml') as { world: { cities: { county_towns: { name: string; class: string }[] }[] } };
    const towns = sc.world.cities.flatMap((c) => c.county_towns);
    expect(towns.length).toBe(91);
    for (const t of towns) expect(classOf.get(t.name), t.name).toBe(t.class === 'small_1' ? 'I 型小城市' : 'II 型小城市');
  });
});

describe('the scenario and the calibration hold the figures of data/observed', () => {
  const province = readCsv('data/observed/province.csv');
  const census = readCsv('data/observed/cities-census.csv');
  const annual = readCsv('data/observed/cities-annual.csv');
  const UNIT: Record<string, number> = {
    persons: 1,
    '10k persons': 10000,
    '%': 1,
    'per mille': 1,
    ratio: 1,
    'yuan per year': 1,
    'per 100000 persons': 1,
    '10k units': 10000,
  };
  const obs = (rows: Row[], series: string, year: number, city = '', area = '') => {
    const r = rows.filter((x) => x.series === series && Number(x.year) === year && (x.city ?? '') === city && (x.area ?? '') === area);
    expect(r.length, `${city} ${series} ${year}`).toBe(1);
    expect(UNIT[r[0].unit], `${series}: unit ${r[0].unit}`).toBeDefined();
    return Number(r[0].value) * UNIT[r[0].unit];
  };
  type Fig = { value: number; source?: string; estimate?: string };
  const sc = parsed('scenarios/shanxi-2020.yaml') as {
    world: {
      province: Record<string, Fig> & { age: Record<string, Fig> };
      cities: { id: string; residents: Fig; urban: Fig; wage_2019: Fig; share_65_plus?: Fig; age?: Record<string, Fig> }[];
    };
    behaviour: { demography: Record<string, Fig> };
  };
  const p = sc.world.province;

  it('the province in 2020 (e.g. residents 34915616, urban 21831494)', () => {
    expect(p.residents.value).toBe(34915616);
    expect(obs(province, 'residents', 2020)).toBe(p.residents.value);
    expect(obs(province, 'urban_residents', 2020)).toBe(21831494);
    expect(obs(province, 'urban_residents', 2020)).toBe(p.urban.value);
    expect(obs(province, 'hukou_urbanization_rate', 2020)).toBe(p.hukou_urbanization_rate.value);
    expect(obs(province, 'floating_population_from_other_provinces', 2020)).toBe(p.from_other_provinces.value);
    expect(obs(province, 'floating_population_from_within_province', 2020)).toBe(p.floating_within_province.value);
    expect(obs(province, 'males', 2020)).toBe(p.male.value);
    expect(obs(province, 'females', 2020)).toBe(p.female.value);
    for (const a of ['0_14', '15_59', '60_plus', '65_plus']) expect(obs(province, `age_share_${a}`, 2020), a).toBe(p.age[`age_${a}`].value);
    expect(obs(province, 'university_per_100k', 2020)).toBe(p.university_per_100k.value);
    expect(obs(province, 'senior_high_per_100k', 2020)).toBe(p.senior_high_per_100k.value);
    expect(obs(province, 'employed', 2020)).toBe(p.employed.value);
    expect(obs(province, 'urban_employed', 2020)).toBe(p.urban_employed.value);
    expect(obs(province, 'employment_share_primary', 2020)).toBe(p.farm_share_of_employed.value);
    expect(obs(province, 'average_wage_non_private', 2020)).toBe(p.wage_2020.value);
    expect(obs(province, 'average_wage_non_private', 2019)).toBe(p.wage_2019.value);
    expect(obs(province, 'urban_rural_income_ratio', 2020)).toBe(p.urban_rural_income_ratio_2020.value);
    expect(obs(province, 'public_rental_started_cumulative', 2020)).toBeCloseTo(p.public_rental_units.value, 6);
    expect(obs(province, 'birth_rate', 2020)).toBe(sc.behaviour.demography.birth_rate_2020.value);
    expect(obs(province, 'death_rate', 2020)).toBe(sc.behaviour.demography.death_rate_2020.value);
  });

  it('every city in 2020, and the cities add up to the province', () => {
    expect(sc.world.cities.length).toBe(11);
    for (const c of sc.world.cities) {
      expect(obs(census, 'residents', 2020, c.id), c.id).toBe(c.residents.value);
      expect(obs(annual, 'average_wage_non_private', 2019, c.id), c.id).toBe(c.wage_2019.value);
      const u = census.filter((r) => r.city === c.id && r.area === '' && r.series === 'urban_residents' && r.year === '2020');
      if (u.length) expect(Number(u[0].value), c.id).toBe(c.urban.value);
      else expect(c.urban.source, `${c.id}: an urban figure not in the census file is an estimate`).toBeUndefined();
      if (c.share_65_plus) expect(obs(census, 'age_share_65_plus', 2020, c.id), c.id).toBe(c.share_65_plus.value);
      for (const [k, v] of Object.entries(c.age ?? {})) expect(obs(census, k.replace('age_', 'age_share_'), 2020, c.id), `${c.id} ${k}`).toBe(v.value);
    }
    const cities2020 = census.filter((r) => r.series === 'residents' && r.year === '2020' && r.area === '');
    expect(cities2020.reduce((a, r) => a + Number(r.value), 0)).toBe(obs(province, 'residents', 2020));
  });

  it("the calibration targets' observed figures are those of the CSVs, in the model's units", () => {
    const targets = loadHistory('scenarios/targets/history.yaml', 2020);
    const target = (id: string) => targets.find((t) => t.id === id)!.observed;
    expect(target('urbanization.shanxi.2024')).toBe(obs(province, 'urbanization_rate', 2024));
    expect(target('residents.shanxi.2023')).toBeCloseTo(obs(province, 'residents', 2023), 6);
    expect(target('birth_rate.shanxi.2022')).toBe(obs(province, 'birth_rate', 2022));
    expect(target('new_urban_jobs.shanxi.2024')).toBeCloseTo(obs(province, 'new_urban_jobs', 2024), 6);
    expect(target('hukou_urbanization_pace.shanxi.2020')).toBe(
      (obs(province, 'hukou_urbanization_rate', 2020) - obs(province, 'hukou_urbanization_rate', 2017)) / 3,
    );
    const cityTargets = targets.filter((t) => t.group === 'city_population_change');
    expect(cityTargets.length).toBeGreaterThan(0);
    for (const t of cityTargets) {
      const id = t.id.split('.')[1];
      expect(t.observed, id).toBe((obs(census, 'residents', 2020, id) - obs(census, 'residents', 2010, id)) / 10);
    }
  });
});
