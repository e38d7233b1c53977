import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { M, obsIndex, REGIONS } from '../src/engine/metrics.js';
import { runOne } from '../src/engine/run.js';
import { prepare } from '../src/engine/setup.js';
import { countyTowns, reclassify } from '../src/model/reclassify.js';
import { loadScenario } from '../src/scenario/scenario.js';
import type { Scenario } from '../src/scenario/schema.js';
import { Emp, Flag, Tenure, TENURES } from '../src/world/agents.js';
import type { Places } from '../src/world/places.js';
import { SECTORS, type World } from '../src/world/world.js';
import { addAgents, baselineScenario, countWhere, ctxFor, miniWorld, recount, runTicks, setHousing, setJobs, spots } from './helpers/mini-world.js';

const FIXTURE = resolve('test/fixtures/scenarios/county-to-district.yaml');

/** The baseline's prior scenario with the reclassification parameters (and events) set. */
function scenario(rate: number, factor = 3, events: Scenario['events']['county_to_district'] = []): Scenario {
  const sc = baselineScenario();
  sc.behaviour.reclassification.village_rate.value = rate;
  sc.behaviour.reclassification.district_area_factor.value = factor;
  sc.events.county_to_district = events;
  return sc;
}

/** The district-area county of city c (its town is the central districts). */
function districtCounty(P: Places, c: number): number {
  for (let k = 0; k < P.nCounties; k++) if (P.countyTown[k] === P.cityCentral[c]) return k;
  throw new Error(`no district area for city ${c}`);
}

/** Every stock that the rules keep incrementally equals a recount of the columns. */
function expectConsistent(w: World): void {
  const r = recount(w);
  expect(Array.from(w.pop)).toEqual(Array.from(r.pop));
  expect(Array.from(w.occupied)).toEqual(Array.from(r.occupied));
  expect(Array.from(w.jobsFilled)).toEqual(Array.from(r.jobsFilled));
  expect(Array.from(w.ruralJobsFilled)).toEqual(Array.from(r.ruralJobsFilled));
  expect(Array.from(w.network)).toEqual(Array.from(r.network));
  expect(Array.from(w.homePop)).toEqual(Array.from(r.homePop));
  expect(Array.from(w.localHukou)).toEqual(Array.from(r.localHukou));
  expect(Array.from(w.seekers)).toEqual(Array.from(r.seekers));
  expect(Array.from(w.farmers)).toEqual(Array.from(r.farmers));
  for (let k = 0; k < w.occupied.length; k++) if (w.places.urban[Math.floor(k / TENURES)]) expect(w.occupied[k]).toBeLessThanOrEqual(w.housing[k]);
}

describe('reclassification of villagers (村改居)', () => {
  it('with rate 0 and no event nothing is reclassified', () => {
    const sc = scenario(0);
    const w = miniWorld(sc);
    const S = spots(w.places);
    const ids = addAgents(w, 2000, { place: S.datongVillages, emp: Emp.farming });
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [reclassify], 24);
    expect(countWhere(w, ids, (i) => w.agents.place[i] !== S.datongVillages)).toBe(0);
    expect(ctx.flows.reclassified.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('each villager has one turn a year, in the tick where tick mod T = id mod T', () => {
    const sc = scenario(1, 1);
    const w = miniWorld(sc);
    const S = spots(w.places);
    const ids = addAgents(w, 1200, { place: S.datongVillages });
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [reclassify], 5);
    // Rate 1: exactly the ids 0..4 mod 12 have been reclassified after 5 ticks, all after 12.
    expect(ids.filter((i) => w.agents.place[i] === S.datongTown)).toEqual(ids.filter((i) => i % 12 < 5));
    runTicks(w, ctx, [reclassify], 7);
    expect(countWhere(w, ids, (i) => w.agents.place[i] === S.datongTown)).toBe(1200);
  });

  it('a year reclassifies the annual rate of a county’s villagers, and the rate times the factor in a district area', () => {
    const sc = scenario(0.1, 3);
    const w = miniWorld(sc);
    const P = w.places,
      S = spots(P);
    const dc = districtCounty(P, 1),
      districtVillages = P.countyVillages[dc];
    const county = addAgents(w, 4000, { place: S.datongVillages });
    const district = addAgents(w, 4000, { place: districtVillages });
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [reclassify], 12);
    const n1 = countWhere(w, county, (i) => w.agents.place[i] === S.datongTown);
    const n2 = countWhere(w, district, (i) => w.agents.place[i] === S.datong);
    // Binomial(4000, 0.1): 400 +- 19; Binomial(4000, 0.3): 1200 +- 29 (4 standard deviations).
    expect(Math.abs(n1 - 400)).toBeLessThan(76);
    expect(Math.abs(n2 - 1200)).toBeLessThan(116);
    // Nobody went anywhere else, and the flow counts them at the town they joined.
    expect(countWhere(w, county, (i) => w.agents.place[i] !== S.datongTown && w.agents.place[i] !== S.datongVillages)).toBe(0);
    expect(ctx.flows.reclassified[S.datongTown]).toBe(n1);
    expect(ctx.flows.reclassified[S.datong]).toBe(n2);
    expectConsistent(w);
  });

  it('a reclassified villager stays where it is: the town’s resident in an owned home, with the town’s urban hukou, months kept', () => {
    const sc = scenario(1, 1);
    const w = miniWorld(sc);
    const S = spots(w.places);
    const ids = addAgents(w, 120, { place: S.datongVillages, months: 321, flags: Flag.landRights | Flag.female });
    const owned0 = w.housing[S.datongTown * TENURES + Tenure.owned];
    runTicks(w, ctxFor(w, sc), [reclassify], 12);
    const A = w.agents;
    for (const i of ids) {
      expect(A.place[i]).toBe(S.datongTown);
      expect(A.hukouPlace[i]).toBe(S.datongTown);
      expect(A.tenure[i]).toBe(Tenure.owned);
      expect(A.months[i]).toBe(321);
      expect(A.flags[i] & Flag.urbanHukou).toBe(Flag.urbanHukou);
      // Land rights (collective shares) and sex are kept.
      expect(A.flags[i] & (Flag.landRights | Flag.female)).toBe(Flag.landRights | Flag.female);
    }
    expect(w.housing[S.datongTown * TENURES + Tenure.owned]).toBe(owned0 + 120);
    expect(w.localHukou[S.datongTown]).toBe(120);
    expectConsistent(w);
  });

  it('workers take the town’s vacant jobs in id order, the rest seek work; the retired, the old and children stay out of the labour force', () => {
    const sc = scenario(1, 1);
    const w = miniWorld(sc);
    const S = spots(w.places);
    const farmers = addAgents(w, 150, { place: S.datongVillages, emp: Emp.farming });
    const rural = addAgents(w, 150, { place: S.datongVillages, emp: Emp.localNonFarm });
    const old = addAgents(w, 100, { place: S.datongVillages, emp: Emp.farming, age: 65 });
    const children = addAgents(w, 100, { place: S.datongVillages, age: 10 });
    w.ruralJobs[S.datongVillages] = 150;
    setJobs(w, S.datongTown, 40, 60);
    const ctx = ctxFor(w, sc);
    runTicks(w, ctx, [reclassify], 12);
    const A = w.agents,
      workers = [...farmers, ...rural];
    const hired = workers.filter((i) => A.emp[i] === Emp.urbanJob);
    expect(hired.length).toBe(100);
    expect(countWhere(w, workers, (i) => A.emp[i] === Emp.unemployed)).toBe(200);
    expect(countWhere(w, [...old, ...children], (i) => A.emp[i] === Emp.outOfLabourForce)).toBe(200);
    // The jobs were filled as they were free: the first reclassified (by tick, then id) got them.
    const order = workers.slice().sort((a, b) => (a % 12) - (b % 12) || a - b);
    expect(hired.sort((a, b) => a - b)).toEqual(order.slice(0, 100).sort((a, b) => a - b));
    expect(w.jobsFilled[S.datongTown * SECTORS] + w.jobsFilled[S.datongTown * SECTORS + 1]).toBe(100);
    expect(ctx.flows.hires[S.datongTown]).toBe(100);
    expect(w.ruralJobsFilled[S.datongVillages]).toBe(0);
    expectConsistent(w);
  });

  it('an agent’s draw is its own: adding other villagers changes nobody’s outcome', () => {
    const run = (extra: number) => {
      const sc = scenario(0.2, 3);
      const w = miniWorld(sc);
      const S = spots(w.places);
      const ids = addAgents(w, 1000, { place: S.datongVillages });
      addAgents(w, extra, { place: w.places.countyVillages[districtCounty(w.places, 1)] });
      runTicks(w, ctxFor(w, sc), [reclassify], 12);
      return ids.filter((i) => w.agents.place[i] === S.datongTown);
    };
    const alone = run(0);
    expect(alone.length).toBeGreaterThan(100);
    expect(run(3000)).toEqual(alone);
  });
});

describe('county to district (撤县设区)', () => {
  /** Datong's first county town made a district at the start of 2021 (tick 2), half its villagers reclassified then. */
  function merged(rate = 0) {
    const sc0 = baselineScenario();
    const name = sc0.world.cities[1].county_towns[0].name;
    const sc = scenario(rate, 3, [{ county: name, year: 2021, village_share: 0.5 }]);
    const w = miniWorld(sc);
    const P = w.places,
      S = spots(P);
    setJobs(w, S.datongTown, 60, 60);
    setHousing(w, S.datongTown, Tenure.marketRent, 300);
    setHousing(w, S.datongTown, Tenure.owned, 50);
    setHousing(w, S.taiyuan, Tenure.marketRent, 20);
    const workers = addAgents(w, 50, { place: S.datongTown, emp: Emp.urbanJob, flags: Flag.urbanHukou | Flag.services });
    const seekers = addAgents(w, 30, { place: S.datongTown, emp: Emp.unemployed });
    const owners = addAgents(w, 20, { place: S.datongTown, tenure: Tenure.owned });
    const away = addAgents(w, 20, { place: S.taiyuan, hukouPlace: S.datongTown });
    const villagers = addAgents(w, 1000, { place: S.datongVillages });
    const ctx = ctxFor(w, sc);
    return { sc, w, P, S, ctx, workers, seekers, owners, away, villagers, townResidents: [...workers, ...seekers, ...owners] };
  }

  it('before the event nothing happens; at its tick the town’s residents and hukou move to the central districts with their state', () => {
    const r = merged();
    const { w, P, S, ctx } = r;
    const A = w.agents;
    runTicks(w, ctx, [reclassify], 2);
    expect(w.pop[S.datongTown]).toBe(100);
    runTicks(w, ctx, [reclassify], 1);
    expect(w.pop[S.datongTown]).toBe(0);
    for (const i of r.townResidents) {
      expect(A.place[i]).toBe(S.datong);
      expect(A.hukouPlace[i]).toBe(S.datong);
    }
    expect(countWhere(w, r.workers, (i) => A.emp[i] === Emp.urbanJob && A.tenure[i] === Tenure.marketRent)).toBe(50);
    expect(countWhere(w, r.seekers, (i) => A.emp[i] === Emp.unemployed)).toBe(30);
    expect(countWhere(w, r.owners, (i) => A.tenure[i] === Tenure.owned)).toBe(20);
    // Hukou registered at the town, living elsewhere, moves too; they stay where they live.
    for (const i of r.away) {
      expect(A.place[i]).toBe(S.taiyuan);
      expect(A.hukouPlace[i]).toBe(S.datong);
    }
    // The town's stocks went to the central districts: the place is empty.
    for (let k = 0; k < TENURES; k++) expect(w.housing[S.datongTown * TENURES + k]).toBe(0);
    expect(w.jobs[S.datongTown * SECTORS] + w.jobs[S.datongTown * SECTORS + 1]).toBe(0);
    expect(w.jobsFilled[S.datong * SECTORS + 1]).toBe(50);
    expect(w.homePop[P.county[S.datongTown]]).toBe(1000 - countWhere(w, r.villagers, (i) => A.hukouPlace[i] === S.datong));
    expectConsistent(w);
  });

  it('the event reclassifies its share of the county’s villagers into the central districts, and later years reclassify them there at the district rate', () => {
    const r = merged();
    const { w, S, ctx } = r;
    const A = w.agents;
    runTicks(w, ctx, [reclassify], 3);
    const moved = countWhere(w, r.villagers, (i) => A.place[i] === S.datong);
    // Binomial(1000, 0.5): 500 +- 16.
    expect(Math.abs(moved - 500)).toBeLessThan(64);
    expect(countWhere(w, r.villagers, (i) => A.place[i] === S.datong && A.hukouPlace[i] === S.datong && (A.flags[i] & Flag.urbanHukou) !== 0)).toBe(moved);
    expect(ctx.flows.reclassified[S.datong]).toBe(moved);
    // The county's town is the central districts from the event's tick on (2 = the stub of Nov-Dec 2020).
    const county = w.places.county[S.datongVillages];
    expect(countyTowns(w, ctx.params, 1)[county]).toBe(S.datongTown);
    expect(countyTowns(w, ctx.params, 2)[county]).toBe(S.datong);
    expectConsistent(w);
  });

  it('after the event, the yearly rule takes the county’s villagers to the central districts at the district-area rate', () => {
    const r = merged(0.1);
    const { w, S, ctx } = r;
    const A = w.agents;
    runTicks(w, ctx, [reclassify], 3);
    const left = r.villagers.filter((i) => A.place[i] === S.datongVillages);
    runTicks(w, ctx, [reclassify], 12);
    const moved = countWhere(w, left, (i) => A.place[i] === S.datong);
    // Each of them has one turn in ticks 3..14, at rate 0.1 x factor 3; none goes to the empty county town.
    expect(countWhere(w, left, (i) => A.place[i] === S.datongTown)).toBe(0);
    expect(Math.abs(moved - 0.3 * left.length)).toBeLessThan(4 * Math.sqrt(left.length * 0.3 * 0.7) + 10);
    expect(w.pop[S.datongTown]).toBe(0);
    expectConsistent(w);
  });

  it('a scenario naming a county town that does not exist is refused with the field and the name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reclass-'));
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      `extends: ${resolve('scenarios/shanxi-baseline.yaml')}\nname: bad\nevents:\n  county_to_district:\n    - { county: 不存在县, year: 2023, village_share: 0.3 }\n`,
    );
    let problems: UserError['problems'] = [];
    try {
      loadScenario(f);
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      problems = (err as UserError).problems;
    }
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('events.county_to_district[0].county');
    expect(problems[0].found).toContain('不存在县');
    expect(problems[0].line).toBe(5);
  });

  it('the baseline lists no event', () => {
    expect(loadScenario('scenarios/shanxi-baseline.yaml').scenario.events.county_to_district).toEqual([]);
  });
});

describe('the split of the urban gain', () => {
  it('reclassification + migration + natural increase = the yearly change of urban population, in every region (a run with an event, audited)', () => {
    const sc = loadScenario(FIXTURE).scenario;
    sc.scale = 2000;
    const prep = prepare(sc);
    const shape = { years: prep.calendar.years };
    const { values } = runOne(prep, 0, true);
    const at = (m: number, r: number, y: number) => values[obsIndex(shape, m, r, y)];
    let reclassified = 0;
    for (let r = 0; r < REGIONS.length; r++) {
      for (let y = 1; y < shape.years.length; y++) {
        const change = at(M.urban_population, r, y) - at(M.urban_population, r, y - 1);
        const parts = at(M.urban_gain_reclassification, r, y) + at(M.urban_gain_migration, r, y) + at(M.urban_gain_natural, r, y);
        expect(parts, `${REGIONS[r]} ${shape.years[y]}`).toBe(change);
        reclassified += at(M.urban_gain_reclassification, r, y);
      }
    }
    expect(reclassified).toBeGreaterThan(0);
    // Taiyuan's reclassification jumps in the event's year (2023: 清徐县's villagers).
    const taiyuan = REGIONS.indexOf('taiyuan'),
      y2023 = shape.years.indexOf(2023);
    expect(at(M.urban_gain_reclassification, taiyuan, y2023)).toBeGreaterThan(2 * at(M.urban_gain_reclassification, taiyuan, y2023 + 1));
  });
});
