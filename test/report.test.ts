/**
 * urbanize report: the HTML report of a run, compare, sweep and reach folder. Unit level: every chart is
 * there and drawn, the scorecard lists every target, the page is self-contained and the same for
 * the same folder. Browser: headless Chromium (Debian's chromium or URBANIZE_BROWSER, driven by
 * playwright-core) opens each report from disk with no console error and no request, finds every
 * chart laid out with marks, and saves a full-page screenshot next to the report.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { program } from '../src/cli/program.js';
import { fanSeries, readRun } from '../src/report/data.js';
import { reportHtml, writeReport } from '../src/report/index.js';
import { BACKTEST_CSV } from '../src/results/backtest.js';
import { readCsv } from '../src/results/csv.js';
import { BROWSER_ARGS, findBrowser } from '../scripts/test-tools.mjs';
import { cli, tempDir } from './helpers/cli.js';

const CITIES = ['taiyuan', 'datong', 'yangquan', 'changzhi', 'jincheng', 'shuozhou', 'jinzhong', 'yuncheng', 'xinzhou', 'linfen', 'lvliang'];
const RUN_CHARTS = [
  'province-fan',
  'province-final',
  ...CITIES.map((c) => `city-${c}`),
  'city-central_cluster',
  'scorecard',
  'hukou',
  'gap',
  'migration-province',
  ...CITIES.map((c) => `migration-${c}`),
  'migration-central_cluster',
  'net-out-cumulative',
  'flows-sankey',
  'urban-gain',
];
const COMPARE_CHARTS = ['compare-fan', 'forest-pct', 'forest-ratio', 'forest-persons', 'regret'];
const SWEEP_CHARTS = ['tornado', 'tornado-all', 'scatter-0', 'scatter-1'];
const VARY = ['--vary', 'hukou.openness_county=0..1', '--vary', 'housing.affordable_rental_units_per_year=0..60000'];

let root = '';
const dirs = { run: '', compare: '', lhs: '', sobol: '', backtest: '', reach: '' };

function run(args: string[]): void {
  const r = cli([...args, '--scale', '3000', '--force', '--quiet']);
  if (r.code !== 0) throw new Error(`urbanize ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
}

beforeAll(() => {
  root = tempDir('urbanize-report-');
  dirs.run = join(root, 'run');
  dirs.compare = join(root, 'compare');
  dirs.lhs = join(root, 'lhs');
  dirs.sobol = join(root, 'sobol');
  dirs.backtest = join(root, 'backtest');
  dirs.reach = join(root, 'reach');
  run(['run', 'scenarios/shanxi-baseline.yaml', '--runs', '4', '--out', dirs.run]);
  run(['backtest', 'scenarios/backtest-2020.yaml', '--holdout-from', '2021', '--runs', '2', '--out', dirs.backtest]);
  run([
    'reach',
    'scenarios/shanxi-baseline.yaml',
    '--target',
    'urban_unemployment_rate_shanxi',
    '--lever',
    'jobs.extra_job_growth=0..0.03',
    '--grid',
    '3',
    '--steps',
    '1',
    '--runs',
    '2',
    '--out',
    dirs.reach,
  ]);
  run([
    'compare',
    'scenarios/shanxi-baseline.yaml',
    'scenarios/variants/housing-push.yaml',
    'scenarios/variants/hukou-open.yaml',
    '--runs',
    '3',
    '--out',
    dirs.compare,
  ]);
  run(['sweep', 'scenarios/shanxi-baseline.yaml', ...VARY, '--samples', '9', '--out', dirs.lhs]);
  // Scenario discovery on the Latin-hypercube sweep: the runs below the median rate are the cases.
  const rates = readCsv(join(dirs.lhs, 'samples.csv'))
    .map((r) => Number(r['urbanization_rate.shanxi.2025']))
    .sort((a, b) => a - b);
  const discovered = cli(['discover', dirs.lhs, '--target', 'urbanization_rate.shanxi.2025', '--below', String(rates[4])]);
  if (discovered.code !== 0) throw new Error(`urbanize discover exited ${discovered.code}: ${discovered.stderr}`);
  run(['sweep', 'scenarios/shanxi-baseline.yaml', ...VARY, '--design', 'sobol', '--samples', '33', '--out', dirs.sobol]);
}, 300_000);

/** The report's DOM (parsed in Node). */
const dom = (html: string) => parseHTML(html).document as unknown as Document;

/** Asserts that a chart figure holds an SVG with drawn marks of the given kinds (Plot's aria-labels). */
function expectChart(doc: Document, id: string, marks: string[] = []): Element {
  const fig = doc.querySelector(`figure#chart-${id}`);
  expect(fig, `chart ${id}`).toBeTruthy();
  // The chart's own SVG: the largest one (a legend's swatches are small SVGs of their own).
  const svg = [...fig!.querySelectorAll('svg')].sort((a, b) => Number(b.getAttribute('width')) - Number(a.getAttribute('width')))[0];
  expect(svg, `svg of ${id}`).toBeTruthy();
  expect(Number(svg!.getAttribute('width'))).toBeGreaterThan(0);
  const drawn = [...svg!.querySelectorAll('path, rect, circle, line')].filter(
    (e) => e.tagName.toLowerCase() !== 'path' || (e.getAttribute('d') ?? '').length > 2,
  );
  expect(drawn.length, `marks in ${id}`).toBeGreaterThan(0);
  for (const m of marks) expect(svg!.querySelectorAll(`g[aria-label="${m}"] *`).length, `${m} in ${id}`).toBeGreaterThan(0);
  return fig!;
}

describe('report.html of a run folder', () => {
  it('has every chart, drawn: fans with bands, history and target, cities, scorecard, hukou gap, migration', async () => {
    const out = await writeReport(dirs.run);
    expect(out).toBe(join(dirs.run, 'report.html'));
    const html = readFileSync(out, 'utf8');
    const doc = dom(html);
    for (const id of RUN_CHARTS) expectChart(doc, id);
    const fan = expectChart(doc, 'province-fan', ['area', 'line', 'rule', 'dot']);
    expect(fan.querySelectorAll('g[aria-label="area"]').length).toBe(2); // 90% and 50% bands
    expect(fan.textContent).toContain('55.87%');
    expect(fan.textContent).toContain('62.53%');
    expect(fan.textContent).toContain('68%');
    expectChart(doc, 'city-central_cluster', ['area', 'line', 'rule']);
    expect(doc.querySelector('#chart-city-central_cluster')!.textContent).toContain('73.5%');
    expectChart(doc, 'scorecard', ['bar']);
    expectChart(doc, 'hukou', ['area', 'line']);
    expectChart(doc, 'gap', ['area', 'line']);
    expectChart(doc, 'migration-province', ['area', 'line']);
    expectChart(doc, 'net-out-cumulative', ['bar', 'rule']);
    // Where people went: the Sankey of the last year by place type, its table, and the urban gain split.
    expectChart(doc, 'flows-sankey', ['link', 'rect', 'text']);
    expectChart(doc, 'urban-gain', ['bar', 'dot']);
    const flows = readCsv(join(dirs.run, 'flows.csv')).filter((r) => r.year === '2025');
    const total = flows.reduce((a, r) => a + Number(r.persons), 0) / 4;
    const table = doc.querySelector('table.flows')!;
    expect(table.querySelector('tbody tr:last-child td:last-child')!.textContent).toBe(Math.round(total).toLocaleString('en-US'));
    expect(total).toBeGreaterThan(0);
    const villageToDistricts =
      flows.filter((r) => r.origin_type === 'village' && r.destination_type === 'city_districts').reduce((a, r) => a + Number(r.persons), 0) / 4;
    const villageRow = [...table.querySelectorAll('tbody tr')].find((tr) => tr.querySelector('th')!.textContent!.includes('villages'))!;
    expect(villageRow.querySelectorAll('td')[0].textContent).toBe(Math.round(villageToDistricts).toLocaleString('en-US'));
    expect(doc.querySelector('#chart-flows-sankey')!.textContent).toContain('villages');
    // The fans are the predictive bands of indicators.csv: runs plus the model discrepancy, wider than the runs' own.
    const ind = readCsv(join(dirs.run, 'indicators.csv')).find((r) => r.metric === 'urbanization_rate' && r.region === 'shanxi' && r.year === '2025')!;
    const f = fanSeries(readRun(dirs.run), 'urbanization_rate', 'shanxi').find((r) => r.year === 2025)!;
    expect([f.p05, f.p50, f.p95]).toEqual([ind.pred_p05, ind.pred_p50, ind.pred_p95].map(Number));
    expect(Number(ind.discrepancy_sd)).toBeGreaterThan(0);
    expect(f.p95 - f.p05).toBeGreaterThan(Number(ind.p95) - Number(ind.p05));
  });

  it('shows a backtest on the province fan: the held-out observations, their 90% bands and the share inside', () => {
    const doc = dom(reportHtml(dirs.backtest));
    const fan = expectChart(doc, 'province-fan', ['area', 'line', 'rule', 'dot']);
    const rows = BACKTEST_CSV.read(dirs.backtest);
    const urb = rows.filter((r) => r.series === 'urbanization_rate' && r.region === 'shanxi');
    expect(urb.map((r) => r.year)).toEqual([2021, 2022, 2023, 2024]);
    const inside = (rs: typeof rows) => rs.filter((r) => r.in90).length;
    const text = fan.textContent!;
    expect(text).toContain(`${inside(urb)} / 4 (${Math.round((100 * inside(urb)) / 4)}%) held-out observations inside the 90% band`);
    expect(text).toContain(`all series ${inside(rows)} / ${rows.length} (${Math.round((100 * inside(rows)) / rows.length)}%)`);
    // One dot per held-out year besides the two history points; hollow when outside the band.
    const dots = [...fan.querySelectorAll('g[aria-label="dot"] circle')];
    expect(dots.length).toBe(2 + urb.length);
    expect(dots.filter((c) => c.getAttribute('fill') === 'white').length).toBe(urb.length - inside(urb));
    // A run folder without backtest.csv has no coverage line.
    expect(dom(reportHtml(dirs.run)).querySelector('#chart-province-fan')!.textContent).not.toContain('held-out');
  });

  it('lists every target of targets.csv in the scorecard, coloured by P(met), the unmodelled ones apart', () => {
    const doc = dom(reportHtml(dirs.run));
    const targets = readCsv(join(dirs.run, 'targets.csv'));
    expect(targets.length).toBeGreaterThan(40);
    for (const t of targets) {
      const row = doc.querySelector(`table.${t.modelled === 'yes' ? 'scorecard' : 'unmodelled'} tr[data-target="${t.target}"]`);
      expect(row, t.target).toBeTruthy();
      if (t.modelled !== 'yes') continue;
      const p = Number(t.p_met);
      const cell = row!.querySelector('td.p')!;
      expect(cell.textContent).toBe(`${Math.round(p * 100)}%`);
      expect(cell.getAttribute('style')).toContain(p < 0.2 ? '#d64541' : p > 0.8 ? '#3c9d5d' : '#f0ad4e');
      // Its 90% Monte Carlo interval, marked † when P(met) has no model discrepancy in it.
      const interval = row!.querySelector('td.pint')!.textContent!;
      expect(interval).toContain(`${Math.round(Number(t.p_met_lo) * 100)}% – ${Math.round(Number(t.p_met_hi) * 100)}%`);
      expect(interval.includes('†')).toBe(t.discrepancy !== 'included');
    }
    // The "about" target shows its tolerance; the page says what the bands include.
    const about = targets.find((t) => t.comparator === 'about' && t.modelled === 'yes')!;
    expect(doc.querySelector(`table.scorecard tr[data-target="${about.target}"]`)!.textContent).toContain(`±${Math.round(Number(about.tolerance) * 100)}%`);
    expect(doc.body.textContent).toContain('Bands and P(met) include');
    expect(doc.body.textContent).toContain('the model discrepancy of');
    expect(doc.body.textContent).toContain('without discrepancy');
  });

  it('names the scenario, seed, runs, engine version and digest; is self-contained and deterministic', async () => {
    const m = JSON.parse(readFileSync(join(dirs.run, 'manifest.json'), 'utf8'));
    const html = readFileSync(join(dirs.run, 'report.html'), 'utf8');
    for (const s of [m.scenario.name, String(m.seed), m.engine.version, m.digest, '常住人口城镇化率', 'resident urbanization rate']) expect(html).toContain(s);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|https?:/i);
    // Writing again, after other charts were drawn in this process, gives the same bytes.
    reportHtml(dirs.compare);
    await writeReport(dirs.run);
    expect(readFileSync(join(dirs.run, 'report.html'), 'utf8')).toBe(html);
    expect(readdirSync(dirs.run).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('report.html of compare and sweep folders', () => {
  it("a compare report has the scenarios' fans and a forest plot of paired differences per unit, one row per target and variant", async () => {
    const doc = dom(readFileSync(await writeReport(dirs.compare), 'utf8'));
    for (const id of COMPARE_CHARTS) expectChart(doc, id);
    const forest = expectChart(doc, 'forest-pct', ['dot', 'rule']);
    const rows = readCsv(join(dirs.compare, 'compare_targets.csv'));
    const distinct = new Set(
      rows.filter((r) => /rate|share|coverage/.test(r.metric)).map((r) => [r.variant, r.metric, r.region, r.year, r.comparator, r.value].join('|')),
    );
    expect(forest.querySelectorAll('g[aria-label="dot"] circle').length).toBe(distinct.size);
    expect(doc.querySelector('#chart-compare-fan')!.textContent).toContain('hukou-open');
    // The change in P(met) per variant, with its interval.
    expect(doc.querySelectorAll('table.pmet td.dp').length).toBeGreaterThan(0);
    expect(doc.querySelector('table.pmet thead')!.textContent).toContain('ΔP(met) hukou-open');
    // Robustness: every scenario ranked by each measure of compare_ranking.csv, a regret dot per scenario and run.
    const ranking = readCsv(join(dirs.compare, 'compare_ranking.csv'));
    const rankRows = [...doc.querySelectorAll('table.ranking tbody tr')];
    expect(rankRows.map((r) => r.querySelector('td')!.textContent)).toEqual(['shanxi-baseline', 'housing-push', 'hukou-open']);
    expect(doc.querySelectorAll('table.ranking thead th').length).toBe(1 + new Set(ranking.map((r) => r.measure)).size);
    expect(expectChart(doc, 'regret', ['dot', 'tick']).querySelectorAll('g[aria-label="dot"] circle').length).toBe(3 * 3);
    expect(doc.body.textContent).toMatch(/The measures agree|the reverse/);
  });

  it("a sweep report after urbanize discover has the peeling trajectory, the selected box marked, and the box's limits", () => {
    const doc = dom(reportHtml(dirs.lhs));
    const fig = expectChart(doc, 'prim-trajectory', ['line', 'dot', 'text']);
    const prim = JSON.parse(readFileSync(join(dirs.lhs, 'prim.json'), 'utf8'));
    expect(fig.textContent).toContain(`box 1, step ${prim.boxes[0].step}`);
    expect(fig.querySelector('g[aria-label="text"]')!.getAttribute('fill')).toBe('#000'); // the label is painted, not only its halo
    const limits = doc.querySelector('table#prim-box-1');
    const restricted = prim.boxes[0].restricted as { factor: string }[];
    if (restricted.length)
      expect([...limits!.querySelectorAll('tbody tr')].map((r) => r.querySelector('code')!.textContent)).toEqual(restricted.map((r) => r.factor));
    else expect(doc.body.textContent).toContain('The box restricts no factor');
  });

  it('a Latin-hypercube sweep report has the tornado of SRCs with intervals; a Sobol one has first and total indices', async () => {
    const lhs = dom(readFileSync(await writeReport(dirs.lhs), 'utf8'));
    for (const id of SWEEP_CHARTS) expectChart(lhs, id);
    const t = expectChart(lhs, 'tornado', ['bar', 'rule']);
    expect(t.querySelectorAll('g[aria-label="bar"] rect').length).toBe(2);
    expect(t.textContent).toContain('SRC');
    const sobol = dom(readFileSync(await writeReport(dirs.sobol), 'utf8'));
    const s = expectChart(sobol, 'tornado', ['bar', 'rule']);
    expect(s.querySelectorAll('g[aria-label="bar"] rect').length).toBe(4);
    expect(s.textContent).toContain('first-order');
    expect(s.textContent).toContain('total');
    // Every warning of sweep.json is listed in the report, with its reason.
    for (const [d, doc] of [
      [dirs.lhs, lhs],
      [dirs.sobol, sobol],
    ] as const) {
      const warnings = JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8')).warnings as { message: string }[];
      expect(doc.querySelectorAll('table.warnings tbody tr').length).toBe(warnings.length);
      for (const w of warnings) expect(doc.querySelector('table.warnings')!.textContent).toContain(w.message);
      if (!warnings.length) expect(doc.body.textContent).toContain('No warning');
    }
  });

  it('refuses a folder that is not a results folder with a UserError (exit code 2 at the CLI)', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(writeReport(empty)).rejects.toBeInstanceOf(UserError);
    await expect(writeReport(join(root, 'missing'))).rejects.toBeInstanceOf(UserError);
    const logged: string[] = [];
    await expect(program((s) => logged.push(s)).parseAsync(['report', empty], { from: 'user' })).rejects.toBeInstanceOf(UserError);
    await program((s) => logged.push(s)).parseAsync(['report', dirs.lhs], { from: 'user' });
    expect(logged).toEqual([`report: ${join(dirs.lhs, 'report.html')}`]);
  });
});

describe('report.html in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    // `npm test` installs Debian's chromium first where it can (scripts/test-tools.mjs, pretest).
    const found = findBrowser();
    if (found.error !== undefined) throw new Error(found.error);
    browser = await chromium.launch({
      executablePath: found.path,
      args: BROWSER_ARGS,
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  const cases: [keyof typeof dirs, string[]][] = [
    ['run', RUN_CHARTS],
    ['backtest', RUN_CHARTS],
    ['compare', COMPARE_CHARTS],
    ['lhs', [...SWEEP_CHARTS, 'prim-trajectory']],
    ['sobol', SWEEP_CHARTS],
    ['reach', ['reach-curve']],
  ];
  it.each(cases)(
    'the %s report opens from disk without errors or requests, every chart laid out and drawn',
    async (kind, charts) => {
      const file = await writeReport(dirs[kind]);
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const problems: string[] = [],
        requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: 'load' });
      const laidOut = await page.$$eval('figure.chart', (figs) =>
        figs.map((f) => {
          const area = (e: Element) => {
            const b = e.getBoundingClientRect();
            return b.width * b.height;
          };
          const svg = [...f.querySelectorAll('svg')].sort((a, b) => area(b) - area(a))[0];
          const box = (svg ?? f).getBoundingClientRect();
          const marks = svg
            ? [...svg.querySelectorAll('path, rect, circle, line')].filter((m) => {
                const b = m.getBoundingClientRect();
                return b.width > 0 || b.height > 0;
              }).length
            : 0;
          return { id: f.id, width: box.width, height: box.height, marks };
        }),
      );
      expect(laidOut.map((c) => c.id)).toEqual(expect.arrayContaining(charts.map((c) => `chart-${c}`)));
      for (const c of laidOut) {
        expect(c.width, c.id).toBeGreaterThan(100);
        expect(c.height, c.id).toBeGreaterThan(80);
        expect(c.marks, c.id).toBeGreaterThan(3);
      }
      const shot = join(dirs[kind], 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      await page.close();
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      expect(statSync(shot).size).toBeGreaterThan(20_000);
    },
    120_000,
  );
});
