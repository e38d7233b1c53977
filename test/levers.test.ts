/**
 * Every policy lever of the registry (src/scenario/levers.ts) moves its indicator in the direction
 * the plan intends. Each case compares two mini worlds that differ only in that lever's value, run
 * with the same run key (common random numbers: every agent draws the same numbers in both arms),
 * through the rules the lever acts on, in the engine's order (SCHEDULE in src/engine/run.ts).
 * The cases are keyed by lever path, so a lever added to the registry without a case here fails
 * the coverage test at the end. Schedules (steps, expressions) are tested at the end too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import type { Rule } from '../src/model/context.js';
import { leverTables } from '../src/scenario/schedule.js';
import { housingMarket } from '../src/model/housing.js';
import { housingTenure, labour, migration, settlement } from '../src/model/step.js';
import { incomeOf, labourMarket } from '../src/model/labour.js';
import { landReuse } from '../src/model/land.js';
import { growthPerTick, leverParams, perTick } from '../src/model/params.js';
import { LEVER_LIST, type LeverPath } from '../src/scenario/levers.js';
import { loadScenario } from '../src/scenario/scenario.js';
import type { Scenario } from '../src/scenario/schema.js';
import { Emp, Flag, Sector, Skill, Tenure, TENURES } from '../src/world/agents.js';
import { Tier } from '../src/world/places.js';
import { SECTORS, type World } from '../src/world/world.js';
import {
  addAgents,
  baselineScenario,
  countWhere,
  ctxFor,
  miniWorld,
  referenceParams,
  runTicks,
  setHousing,
  setJobs,
  spots,
  type AgentSpec,
  type Spots,
} from './helpers/mini-world.js';

const BASELINE = fileURLToPath(new URL('../scenarios/shanxi-baseline.yaml', import.meta.url));
/** The run key of both arms of every comparison. */
const RUN = 11;

/** The baseline scenario with `edit` applied (behaviour common to both arms, or the lever of one arm). */
function scenario(edit: (sc: Scenario) => void = () => {}): Scenario {
  const sc = baselineScenario();
  edit(sc);
  return sc;
}

/** The two arms of a comparison: `common` applies to both, `set(sc, value)` sets the lever. */
function arms<T>(values: [unknown, unknown], common: (sc: Scenario) => void, set: (sc: Scenario, v: never) => void, run: (sc: Scenario) => T): [T, T] {
  return values.map((v) =>
    run(
      scenario((sc) => {
        common(sc);
        set(sc, v as never);
      }),
    ),
  ) as [T, T];
}

/** Job capacity of place p, all sectors. */
const jobsAt = (w: World, p: number) => {
  let j = 0;
  for (let s = 0; s < SECTORS; s++) j += w.jobs[p * SECTORS + s];
  return j;
};
const housingAt = (w: World, p: number, tenure: number) => w.housing[p * TENURES + tenure];
const occupiedAt = (w: World, p: number, tenure: number) => w.occupied[p * TENURES + tenure];
/** Ample market housing in every urban place, so that no move fails for want of a home. */
const ampleHousing = (w: World) => {
  for (let p = 0; p < w.places.n; p++) if (w.places.urban[p]) setHousing(w, p, Tenure.marketRent, 100000);
};
/**
 * 1000 vacant services jobs in every urban place not in `except`. In a place without job seekers,
 * with `labourMarket` in the rules, a newcomer is then all but sure of a job within the year (a
 * destination's chance of a job follows the place's vacancies per seeker, migration.ts).
 */
const vacanciesEverywhere = (w: World, except: readonly number[] = []) => {
  for (let p = 0; p < w.places.n; p++) if (w.places.urban[p] && !except.includes(p)) setJobs(w, p, 0, 1000);
};

// ---------------------------------------------------------------------------------------------
// Settlement: 4000 rural-hukou workers of a Datong county (stable urban jobs, land rights) in each
// of Taiyuan's centre (tier taiyuan), Datong's centre (tier prefecture) and a Datong county town
// (tier county), through `ticks` ticks of the settlement rule (or of `rules`, after `setup` has
// changed each of the three places).

interface Settled {
  w: World;
  S: Spots;
  /** Taiyuan, Datong, the county town: indexed by Tier. */
  places: number[];
  ids: number[][];
  settlements: number[];
  landHa: number[];
  /** Settlers (hukou now at the place) who no longer hold land rights, by tier. */
  gaveUpLand: number[];
  /** Non-local residents holding a permit, by tier. */
  permits: number[];
}

function settleTiers(
  sc: Scenario,
  spec: (k: number) => Partial<AgentSpec> = () => ({}),
  ticks = 12,
  rules: readonly Rule[] = [settlement],
  setup: (w: World, p: number) => void = () => {},
): Settled {
  const w = miniWorld(sc, 13000);
  const S = spots(w.places);
  const places = [S.taiyuan, S.datong, S.datongTown];
  const ids = places.map((p) => {
    setJobs(w, p, 0, 4000);
    setHousing(w, p, Tenure.marketRent, 5000);
    const out: number[] = [];
    for (let k = 0; k < 4000; k++) out.push(...addAgents(w, 1, { place: p, hukouPlace: S.datongVillages, emp: Emp.urbanJob, months: 600, ...spec(k) }));
    setup(w, p);
    return out;
  });
  const ctx = ctxFor(w, sc, 0, RUN);
  runTicks(w, ctx, rules, ticks);
  const A = w.agents;
  return {
    w,
    S,
    places,
    ids,
    settlements: places.map((p) => ctx.flows.settlements[p]),
    landHa: places.map((p) => ctx.flows.landHa[p]),
    gaveUpLand: places.map((p, t) => countWhere(w, ids[t], (i) => A.hukouPlace[i] === p && (A.flags[i] & Flag.landRights) === 0)),
    permits: places.map((p, t) => countWhere(w, ids[t], (i) => A.hukouPlace[i] !== p && (A.flags[i] & Flag.permit) !== 0)),
  };
}

const TIER_NAME = ['taiyuan', 'prefecture', 'county'] as const;

/** Openness of one tier: 0.2 against 1; settlements rise in that tier's places only. */
function opennessCase(tier: number) {
  const lever = `openness_${TIER_NAME[tier]}` as const;
  const [closed, open] = arms(
    [0.2, 1],
    () => {},
    (sc, v: number) => {
      sc.levers.hukou[lever] = v;
    },
    (sc) => settleTiers(sc),
  );
  expect(closed.settlements[tier]).toBeGreaterThan(20);
  expect(open.settlements[tier]).toBeGreaterThan(2.5 * closed.settlements[tier] + 20);
  for (const other of [0, 1, 2].filter((t) => t !== tier)) {
    expect(open.settlements[other]).toBeGreaterThan(50);
    expect(open.settlements[other]).toBe(closed.settlements[other]);
  }
}

/** Required years of one tier: half the migrants have lived 2 years in place, half 6; 1 year against 4. */
function requiredYearsCase(tier: number) {
  const lever = `required_years_${TIER_NAME[tier]}` as const;
  const [lenient, strict] = arms(
    [1, 4],
    () => {},
    (sc, v: number) => {
      sc.levers.hukou[lever] = v;
    },
    (sc) => settleTiers(sc, (k) => ({ months: k % 2 === 0 ? 24 : 72 })),
  );
  // Those with six years still settle under the strict rule: about half as many in all.
  expect(strict.settlements[tier]).toBeGreaterThan(30);
  expect(lenient.settlements[tier]).toBeGreaterThan(1.6 * strict.settlements[tier]);
  for (const other of [0, 1, 2].filter((t) => t !== tier)) {
    expect(strict.settlements[other]).toBeGreaterThan(50);
    expect(strict.settlements[other]).toBe(lenient.settlements[other]);
  }
}

// ---------------------------------------------------------------------------------------------
// Housing: urban residents of Taiyuan (3/4) and Datong (1/4) through the housing rules.

interface Housed {
  w: World;
  S: Spots;
  capacity: number;
  /** Residents of each group in the tenure under test. */
  inTenure: Record<string, number>;
}

/** Who a group of residents is, given the place it lives in: `local` hukou there, or a `migrant` of a Datong county. */
type Group = Partial<AgentSpec> & { who: 'local' | 'migrant' };

/**
 * 1500 agents of each group in Taiyuan and 500 in Datong, market renters of fifty years' standing,
 * through 12 ticks of both housing rules: the capacity of `tenure` in the two places and how many
 * of each group live in it at the end.
 */
function housingYear(sc: Scenario, tenure: number, groups: Record<string, Group>): Housed {
  const w = miniWorld(sc);
  const S = spots(w.places);
  const ids: Record<string, number[]> = {};
  for (const [name, { who, ...spec }] of Object.entries(groups)) {
    ids[name] = [];
    for (const [p, n] of [
      [S.taiyuan, 1500],
      [S.datong, 500],
    ]) {
      ids[name].push(...addAgents(w, n, { place: p, hukouPlace: who === 'local' ? p : S.datongVillages, tenure: Tenure.marketRent, months: 600, ...spec }));
    }
  }
  for (const p of [S.taiyuan, S.datong]) {
    setHousing(w, p, Tenure.marketRent, 10000);
    setJobs(w, p, 2000, 4000);
  }
  const ctx = ctxFor(w, sc, 0, RUN);
  runTicks(w, ctx, [housingMarket, housingTenure], 12);
  const inTenure: Record<string, number> = {};
  for (const [name, list] of Object.entries(ids)) inTenure[name] = countWhere(w, list, (i) => w.agents.tenure[i] === tenure);
  return { w, S, capacity: housingAt(w, S.taiyuan, tenure) + housingAt(w, S.datong, tenure), inTenure };
}

const renters: Record<string, Group> = {
  local: { who: 'local', emp: Emp.unemployed },
  migrant: { who: 'migrant', emp: Emp.unemployed },
};

/** A rental lever: 0 against `units` a year; capacity appears and local renters (not migrants without a permit) move in. */
function rentalCase(tenure: number, set: (sc: Scenario, v: number) => void, units: number) {
  const [off, on] = arms(
    [0, units],
    (sc) => {
      sc.levers.housing.affordable_rental_units_per_year = 0;
      sc.levers.housing.public_rental_units_per_year = 0;
    },
    set,
    (sc) => housingYear(sc, tenure, renters),
  );
  const agentPlaces = (units * on.w.personsPerUnit) / on.w.scale;
  expect(off.capacity).toBe(0);
  expect(off.inTenure.local).toBe(0);
  // A year's units, in agent places, split over the urban places by residents (3:1).
  expect(on.capacity).toBeCloseTo(agentPlaces, 6);
  expect(housingAt(on.w, on.S.taiyuan, tenure)).toBeCloseTo(0.75 * agentPlaces, 6);
  expect(on.inTenure.local).toBeGreaterThan(0.5 * agentPlaces);
  expect(on.inTenure.migrant).toBe(0);
}

// ---------------------------------------------------------------------------------------------
// Labour.

/** A labour market in Taiyuan and a Datong county town: `workers` job holders on all the capacity plus `seekers` job seekers each. */
function labourYear(sc: Scenario, ticks = 12, workers = 1000, seekers = 2000) {
  const w = miniWorld(sc);
  const S = spots(w.places);
  const places = [S.taiyuan, S.datongTown];
  for (const p of places) {
    addAgents(w, workers, { place: p, emp: Emp.urbanJob });
    addAgents(w, seekers, { place: p, emp: Emp.unemployed });
    setJobs(w, p, workers, 0);
  }
  const ctx = ctxFor(w, sc, 0, RUN);
  runTicks(w, ctx, [labour], ticks);
  return { w, S, places, capacity: places.map((p) => jobsAt(w, p)), hires: places.map((p) => ctx.flows.hires[p]) };
}

// ---------------------------------------------------------------------------------------------
// Migration.

/**
 * 4000 farmers of a Datong county in their villages (farm income of 2020), who all review every
 * tick; `setup` builds the rest of the world. Runs `rules` for `ticks` ticks; returns how many of
 * the villagers live in an urban place of Shanxi at the end.
 */
function villagers(sc: Scenario, rules: Parameters<typeof runTicks>[2], ticks: number, setup: (w: World, S: Spots) => void) {
  sc.behaviour.migration.review_rate_village.value = 1;
  const w = miniWorld(sc, 12000);
  const S = spots(w.places);
  const ids = addAgents(w, 4000, { place: S.datongVillages, emp: Emp.farming });
  setup(w, S);
  const ctx = ctxFor(w, sc, 0, RUN);
  runTicks(w, ctx, rules, ticks);
  return {
    w,
    S,
    ctx,
    ids,
    inTowns: countWhere(w, ids, (i) => w.places.urban[w.agents.place[i]] === 1),
    left: countWhere(w, ids, (i) => w.agents.place[i] !== S.datongVillages),
  };
}

// ---------------------------------------------------------------------------------------------

interface Case {
  direction: string;
  test: () => void;
}

const CASES: Record<LeverPath, Case> = {
  'hukou.openness_taiyuan': { direction: "more settlements in Taiyuan's centre, and only there", test: () => opennessCase(Tier.taiyuan) },
  'hukou.openness_prefecture': { direction: 'more settlements in the other prefecture cities, and only there', test: () => opennessCase(Tier.prefecture) },
  'hukou.openness_county': { direction: 'more settlements in county towns and town seats, and only there', test: () => opennessCase(Tier.county) },
  'hukou.required_years_taiyuan': { direction: 'fewer settlements in Taiyuan when higher', test: () => requiredYearsCase(Tier.taiyuan) },
  'hukou.required_years_prefecture': { direction: 'fewer settlements in the prefecture cities when higher', test: () => requiredYearsCase(Tier.prefecture) },
  'hukou.required_years_county': { direction: 'fewer settlements in county towns when higher', test: () => requiredYearsCase(Tier.county) },

  'hukou.land_rights_condition': {
    direction: 'fewer settlements when settling means giving up land rights',
    test: () => {
      const [keep, give] = arms(
        [false, true],
        () => {},
        (sc, v: boolean) => {
          sc.levers.hukou.land_rights_condition = v;
        },
        (sc) => settleTiers(sc),
      );
      for (let t = 0; t < 3; t++) {
        expect(give.settlements[t]).toBeGreaterThan(15);
        // Land aversion 0.7: about 0.3 times as many.
        expect(keep.settlements[t]).toBeGreaterThan(2 * give.settlements[t]);
        expect(give.gaveUpLand[t]).toBe(give.settlements[t]);
      }
    },
  },

  'hukou.paid_land_exit_rate': {
    direction: 'more settlers give up land rights and more land quota comes to the place',
    test: () => {
      const [none, half] = arms(
        [0, 0.5],
        () => {},
        (sc, v: number) => {
          sc.levers.hukou.paid_land_exit_rate = v;
        },
        (sc) => settleTiers(sc),
      );
      const b = baselineScenario();
      const exitHa = (b.behaviour.land.exit_m2_per_person.value / 10000) * b.scale;
      for (let t = 0; t < 3; t++) {
        // Settling itself does not depend on the exit rate (common random numbers).
        expect(half.settlements[t]).toBe(none.settlements[t]);
        expect(none.settlements[t]).toBeGreaterThan(50);
        expect(none.gaveUpLand[t]).toBe(0);
        expect(half.gaveUpLand[t]).toBeGreaterThan(0.3 * half.settlements[t]);
        expect(none.landHa[t]).toBeGreaterThan(0);
        expect(half.landHa[t]).toBeCloseTo(none.landHa[t] + half.gaveUpLand[t] * exitHa, 6);
      }
    },
  },

  'residence_permit.issue_multiplier': {
    direction: 'more permit holders among non-local urban residents',
    test: () => {
      const [x1, x3] = arms(
        [1, 3],
        (sc) => {
          sc.levers.hukou.openness_taiyuan = 0;
          sc.levers.hukou.openness_prefecture = 0;
          sc.levers.hukou.openness_county = 0;
        },
        (sc, v: number) => {
          sc.levers.residence_permit.issue_multiplier = v;
        },
        (sc) => settleTiers(sc),
      );
      for (let t = 0; t < 3; t++) {
        // Permit rate 0.3 a year: about a quarter of 4000 within a year; times 3 (0.9 a year), about 90%.
        expect(x1.permits[t]).toBeGreaterThan(700);
        expect(x3.permits[t]).toBeGreaterThan(2.5 * x1.permits[t]);
      }
    },
  },

  ...(Object.fromEntries(
    (['opens_schooling', 'opens_medical'] as const).map((lever) => [
      `residence_permit.${lever}`,
      {
        direction: 'permit holders get better services, so fewer of them leave town',
        test: () => {
          // Non-local workers in Taiyuan earning its wage, all of whom review their place this tick,
          // with vacancies in the other towns to move to.
          const [off, on] = arms(
            [false, true],
            (sc) => {
              sc.behaviour.migration.review_rate.value = 1;
            },
            (sc, v: boolean) => {
              sc.levers.residence_permit[lever] = v;
            },
            (sc) => {
              const params = referenceParams(sc);
              const w = miniWorld(sc);
              const S = spots(w.places);
              ampleHousing(w);
              vacanciesEverywhere(w, [S.taiyuan]);
              const spec = { place: S.taiyuan, hukouPlace: S.datongVillages, emp: Emp.urbanJob, months: 100 };
              const noPermit = addAgents(w, 1000, { ...spec, flags: Flag.landRights });
              const permit = addAgents(w, 4000, { ...spec, flags: Flag.landRights | Flag.permit });
              // Their jobs (industry: no services flag), all filled.
              setJobs(w, S.taiyuan, 5000, 0);
              runTicks(w, ctxFor(w, sc, 0, RUN, params), [labourMarket, migration], 1);
              const left = (ids: number[]) => countWhere(w, ids, (i) => w.agents.place[i] !== S.taiyuan);
              return { servicesPermit: params.servicesPermit, leftPermit: left(permit), leftNoPermit: left(noPermit) };
            },
          );
          expect(on.servicesPermit).toBeGreaterThan(off.servicesPermit + 0.05);
          expect(off.leftPermit).toBeGreaterThan(250);
          expect(on.leftPermit).toBeLessThan(off.leftPermit - 15);
          expect(off.leftNoPermit).toBeGreaterThan(100);
          // Newcomers value the services they can expect (their yearly chance of a permit), so towns draw more villagers.
          const [offV, onV] = arms(
            [false, true],
            (sc) => {
              sc.behaviour.migration.review_rate_village.value = 1;
            },
            (sc, v: boolean) => {
              sc.levers.residence_permit[lever] = v;
            },
            (sc) => {
              const params = referenceParams(sc);
              const w = miniWorld(sc);
              const S = spots(w.places);
              ampleHousing(w);
              vacanciesEverywhere(w);
              const ids = addAgents(w, 6000, { place: S.datongVillages, emp: Emp.farming, age: 25 });
              runTicks(w, ctxFor(w, sc, 0, RUN, params), [labourMarket, migration], 1);
              return countWhere(w, ids, (i) => w.places.urban[w.agents.place[i]] === 1);
            },
          );
          expect(offV).toBeGreaterThan(200);
          expect(onV).toBeGreaterThan(offV + 20);
        },
      },
    ]),
  ) as Record<'residence_permit.opens_schooling' | 'residence_permit.opens_medical', Case>),

  'residence_permit.opens_affordable_housing': {
    direction: 'permit holders get affordable rental units',
    test: () => {
      const [off, on] = arms(
        [false, true],
        (sc) => {
          sc.levers.housing.affordable_rental_units_per_year = 40000;
        },
        (sc, v: boolean) => {
          sc.levers.residence_permit.opens_affordable_housing = v;
        },
        (sc) =>
          housingYear(sc, Tenure.affordableRental, {
            permit: { who: 'migrant', emp: Emp.unemployed, flags: Flag.landRights | Flag.permit },
            noPermit: { who: 'migrant', emp: Emp.unemployed },
          }),
      );
      expect(off.inTenure.permit).toBe(0);
      expect(on.inTenure.permit).toBeGreaterThan(300);
      expect(on.inTenure.noPermit).toBe(0);
    },
  },

  'housing.affordable_rental_units_per_year': {
    direction: 'affordable rental capacity rises and eligible renters move in',
    test: () =>
      rentalCase(
        Tenure.affordableRental,
        (sc, v) => {
          sc.levers.housing.affordable_rental_units_per_year = v;
        },
        20000,
      ),
  },
  'housing.public_rental_units_per_year': {
    direction: 'public rental capacity rises and eligible renters move in',
    test: () =>
      rentalCase(
        Tenure.publicRental,
        (sc, v) => {
          sc.levers.housing.public_rental_units_per_year = v;
        },
        20000,
      ),
  },

  'housing.shared_ownership_units_per_year': {
    direction: 'shared-ownership capacity rises and eligible working renters move in',
    test: () => {
      const groups: Record<string, Group> = {
        eligible: { who: 'local', emp: Emp.urbanJob },
        jobless: { who: 'local', emp: Emp.unemployed },
        migrant: { who: 'migrant', emp: Emp.urbanJob },
        migrantWithPermit: { who: 'migrant', emp: Emp.urbanJob, flags: Flag.landRights | Flag.permit },
      };
      const [off, on] = arms(
        [0, 40000],
        (sc) => {
          sc.levers.housing.public_rental_units_per_year = 0;
        },
        (sc, v: number) => {
          sc.levers.housing.shared_ownership_units_per_year = v;
        },
        (sc) => housingYear(sc, Tenure.sharedOwnership, groups),
      );
      const agentPlaces = (40000 * on.w.personsPerUnit) / on.w.scale;
      expect(off.capacity).toBe(0);
      expect(off.inTenure.eligible).toBe(0);
      expect(on.capacity).toBeCloseTo(agentPlaces, 6);
      // Take-up 0.1 a year of 2000 eligible: about 190 within the year.
      expect(on.inTenure.eligible).toBeGreaterThan(100);
      expect(on.inTenure.jobless).toBe(0);
      expect(on.inTenure.migrant).toBe(0);
      // Permits open shared ownership only with opens_affordable_housing (off in the baseline).
      expect(on.inTenure.migrantWithPermit).toBe(0);
    },
  },

  'housing.dormitory_places_per_year': {
    direction: 'dormitory capacity rises where the jobs are and newcomers move into it',
    test: () => {
      // No market housing in towns: without dormitories every move to a town fails. Three towns
      // have vacancies (and so draw villagers); the rest have no jobs.
      const [off, on] = arms(
        [0, 60000],
        () => {},
        (sc, v: number) => {
          sc.levers.housing.dormitory_places_per_year = v;
        },
        (sc) => {
          const r = villagers(sc, [labourMarket, housingMarket, migration], 3, (w, S) => {
            for (const p of [S.taiyuan, S.datong, S.datongTown]) setJobs(w, p, 1000, 2000);
          });
          const towns = [r.S.taiyuan, r.S.datong, r.S.datongTown];
          const blocked = r.ctx.flows.blockedMoves.reduce((a, x) => a + x, 0);
          return {
            capacity: towns.reduce((a, p) => a + housingAt(r.w, p, Tenure.dormitory), 0),
            inDorms: towns.reduce((a, p) => a + occupiedAt(r.w, p, Tenure.dormitory), 0),
            inTowns: r.inTowns,
            blocked,
          };
        },
      );
      expect(off.capacity).toBe(0);
      expect(off.inTowns).toBe(0);
      expect(off.blocked).toBeGreaterThan(100);
      // 60,000 places a year: 50 agent places a tick, all in the three towns with jobs. Newcomers
      // arrive as job seekers, who lower a town's job odds for the next ticks' movers.
      expect(on.capacity).toBeCloseTo(150, 6);
      expect(on.inDorms).toBeGreaterThan(30);
      expect(on.inTowns).toBe(on.inDorms);
    },
  },

  'housing.old_compounds_renovated_per_year': {
    direction: 'renovated compounds accumulate and more villagers choose the towns',
    test: () => {
      const [off, on] = arms(
        [0, 100000],
        () => {},
        (sc, v: number) => {
          sc.levers.housing.old_compounds_renovated_per_year = v;
        },
        (sc) => {
          const r = villagers(sc, [labourMarket, housingMarket, migration], 1, (w) => {
            ampleHousing(w);
            vacanciesEverywhere(w);
            // 100 residents past migration age in every urban place, so that the renovation is spread
            // over all of them; the 2020 stock of old compounds split by residents, as the world build does.
            const P = w.places,
              towns: number[] = [];
            for (let p = 0; p < P.n; p++) if (P.urban[p]) towns.push(p);
            for (const p of towns) addAgents(w, 100, { place: p, age: 65 });
            for (const p of towns) w.compoundStock[p] = sc.behaviour.housing.old_compounds_2020.value / towns.length;
          });
          return { compounds: r.w.compounds.reduce((a, x) => a + x, 0), inTowns: r.inTowns };
        },
      );
      expect(off.compounds).toBe(0);
      // 100,000 a year: a tick's 8,333 compounds, more than the stock of 7,701, all renovated at once
      // (amenity beta_renovation = 0.3 in every town: the odds of a town over the village rise by e^0.3).
      expect(on.compounds).toBeCloseTo(100000 / 12, 6);
      expect(off.inTowns).toBeGreaterThan(500);
      expect(on.inTowns).toBeGreaterThan(1.08 * off.inTowns + 20);
    },
  },

  'jobs.extra_job_growth': {
    direction: 'job capacity grows faster and more of the unemployed are hired over a year',
    test: () => {
      const [base, extra] = arms(
        [0, 0.2],
        () => {},
        (sc, v: number) => {
          sc.levers.jobs.extra_job_growth = v;
        },
        (sc) => labourYear(sc),
      );
      for (let k = 0; k < 2; k++) {
        expect(extra.capacity[k]).toBeGreaterThan(base.capacity[k] + 150);
        expect(base.hires[k]).toBeGreaterThan(10);
        expect(extra.hires[k]).toBeGreaterThan(base.hires[k] + 100);
      }
    },
  },

  'jobs.county_town_job_growth': {
    direction: 'job capacity and hires grow faster in county towns, and only there',
    test: () => {
      const [base, extra] = arms(
        [0, 0.2],
        () => {},
        (sc, v: number) => {
          sc.levers.jobs.county_town_job_growth = v;
        },
        (sc) => labourYear(sc),
      );
      // [Taiyuan, county town]
      expect(extra.capacity[1]).toBeGreaterThan(base.capacity[1] + 150);
      expect(extra.hires[1]).toBeGreaterThan(base.hires[1] + 100);
      expect(base.hires[0]).toBeGreaterThan(10);
      expect(extra.capacity[0]).toBe(base.capacity[0]);
      expect(extra.hires[0]).toBe(base.hires[0]);
    },
  },

  'jobs.training_rate': {
    direction: 'more urban workers become skilled',
    test: () => {
      const [none, much] = arms(
        [0, 0.5],
        () => {},
        (sc, v: number) => {
          sc.levers.jobs.training_rate = v;
        },
        (sc) => {
          const w = miniWorld(sc);
          const S = spots(w.places);
          const ids = addAgents(w, 2000, { place: S.taiyuan, skill: Skill.low, emp: Emp.unemployed });
          runTicks(w, ctxFor(w, sc, 0, RUN), [labour], 12);
          return countWhere(w, ids, (i) => w.agents.skill[i] > Skill.low);
        },
      );
      expect(none).toBe(0);
      // 0.5 a year: about 1000 of 2000.
      expect(much).toBeGreaterThan(700);
    },
  },

  'jobs.employment_services': {
    direction: 'more hires per tick of the same job seekers and vacancies',
    test: () => {
      const [base, more] = arms(
        [0, 1],
        () => {},
        (sc, v: number) => {
          sc.levers.jobs.employment_services = v;
        },
        (sc) => {
          const w = miniWorld(sc);
          const S = spots(w.places);
          addAgents(w, 2000, { place: S.taiyuan, emp: Emp.unemployed });
          setJobs(w, S.taiyuan, 500, 1000);
          const ctx = ctxFor(w, sc, 0, RUN);
          runTicks(w, ctx, [labour], 1);
          return ctx.flows.hires[S.taiyuan];
        },
      );
      // Matching 6 a year, V/U = 0.75: 1 - exp(-0.375) = 31% of 2000 in a tick; doubled efficiency 53%.
      expect(base).toBeGreaterThan(450);
      expect(more).toBeGreaterThan(1.4 * base);
    },
  },

  'land.m2_per_settler': {
    direction: 'more construction land per settlement, so more job or housing capacity where land is what holds it back',
    test: () => {
      // Settlement with the labour and housing markets before it (the engine's order), in places
      // where construction land is scarce (none but what settlement brings) or plentiful, and job
      // demand above capacity (the services trend at twice the 4000 jobs) or not (the trend at the
      // jobs, not growing: the wage curve of a labour market without seekers puts demand below it).
      const run = (landHa: number, demandAbove: boolean) =>
        arms(
          [0, 100],
          (sc) => {
            sc.levers.hukou.paid_land_exit_rate = 0;
            if (!demandAbove) sc.behaviour.labour.job_growth.value = 0;
          },
          (sc, v: number) => {
            sc.levers.land.m2_per_settler = v;
          },
          (sc) => {
            const r = settleTiers(sc, undefined, 12, [labourMarket, housingMarket, settlement], (w, p) => {
              setJobs(w, p, 0, 4000, landHa);
              w.jobTrend[p * SECTORS + Sector.services] = demandAbove ? 8000 : 4000;
            });
            return {
              ...r,
              jobs: r.places.map((p) => jobsAt(r.w, p)),
              market: r.places.map((p) => housingAt(r.w, p, Tenure.marketRent) + housingAt(r.w, p, Tenure.owned)),
              landAvail: r.places.map((p) => r.w.landAvail[p]),
            };
          },
        );
      // 150 jobs and 300 residents a hectare, 100 persons an agent.
      const jobsPerHa = 1.5,
        residentsPerHa = 3;
      const [none, some] = run(0, true);
      for (let t = 0; t < 3; t++) {
        expect(some.settlements[t]).toBe(none.settlements[t]);
        expect(none.settlements[t]).toBeGreaterThan(50);
        expect(none.landHa[t]).toBe(0);
        // 100 m2 x 100 persons = 1 ha per settling agent.
        expect(some.landHa[t]).toBeCloseTo(some.settlements[t] * 1, 6);
        // Without quota no land, and capacity stays where it was; with it, the land goes to the jobs
        // that demand calls for (the last tick's land, granted after the markets, is left).
        expect(none.jobs[t]).toBe(4000);
        expect(none.market[t]).toBe(5000);
        expect(some.landAvail[t]).toBeGreaterThanOrEqual(0);
        expect(some.landAvail[t]).toBeLessThan(0.5 * some.landHa[t]);
        expect(some.jobs[t]).toBeCloseTo(4000 + (some.landHa[t] - some.landAvail[t]) * jobsPerHa, 6);
        expect(some.jobs[t]).toBeGreaterThan(none.jobs[t] + 50);
      }
      // Job demand below capacity: the same quota builds no jobs but market housing.
      const [noneHousing, someHousing] = run(0, false);
      for (let t = 0; t < 3; t++) {
        expect(someHousing.jobs[t]).toBe(noneHousing.jobs[t]);
        expect(noneHousing.market[t]).toBe(5000);
        expect(someHousing.market[t]).toBeCloseTo(5000 + (someHousing.landHa[t] - someHousing.landAvail[t]) * residentsPerHa, 6);
        expect(someHousing.market[t]).toBeGreaterThan(noneHousing.market[t] + 30);
      }
      // Plentiful land: the quota is added to it, and changes no capacity.
      const [noneAmple, someAmple] = run(1e6, true);
      for (let t = 0; t < 3; t++) {
        expect(someAmple.landHa[t]).toBeGreaterThan(50);
        expect(someAmple.landAvail[t]).toBeCloseTo(noneAmple.landAvail[t] + someAmple.landHa[t], 6);
        expect(someAmple.jobs[t]).toBe(noneAmple.jobs[t]);
        expect(someAmple.jobs[t]).toBeGreaterThan(some.jobs[t] + 1000);
        expect(someAmple.market[t]).toBe(noneAmple.market[t]);
      }
    },
  },

  'land.idle_land_reuse_ha_per_year': {
    direction: 'idle land is reused: more construction land in the towns, so more job or housing capacity where land is what holds it back',
    test: () => {
      // Idle land reuse after the labour and housing markets (the engine's order), in Taiyuan and
      // Datong (residents 3:1) with construction land scarce (none but the reused) or plentiful,
      // and job demand above capacity (trends at twice the jobs) or not (trends at the jobs, not
      // growing: the wage curve of a labour market without seekers puts demand below them).
      const run = (landHa: number, demandAbove: boolean) =>
        arms(
          [0, 120],
          (sc) => {
            if (!demandAbove) sc.behaviour.labour.job_growth.value = 0;
          },
          (sc, v: number) => {
            sc.levers.land.idle_land_reuse_ha_per_year = v;
          },
          (sc) => {
            const w = miniWorld(sc);
            const S = spots(w.places);
            addAgents(w, 3000, { place: S.taiyuan });
            addAgents(w, 1000, { place: S.datong });
            const places = [S.taiyuan, S.datong];
            for (const p of places) {
              const trendFactor = demandAbove ? 2 : 1;
              setJobs(w, p, 1000 * trendFactor, 2000 * trendFactor, landHa);
              w.jobs[p * SECTORS + Sector.industry] = 1000;
              w.jobs[p * SECTORS + Sector.services] = 2000;
              setHousing(w, p, Tenure.marketRent, 5000);
            }
            const ctx = ctxFor(w, sc, 0, RUN);
            runTicks(w, ctx, [labourMarket, housingMarket, landReuse], 12);
            return {
              S,
              idle: Array.from(ctx.flows.idleLandHa),
              idleAt: places.map((p) => ctx.flows.idleLandHa[p]),
              landAvail: places.map((p) => w.landAvail[p]),
              market: places.map((p) => housingAt(w, p, Tenure.marketRent)),
              jobs: places.map((p) => jobsAt(w, p)),
            };
          },
        );
      const jobsPerHa = 1.5;
      const [none, some] = run(0, true);
      expect(none.idle.every((x) => x === 0)).toBe(true);
      expect(some.idle.reduce((a, x) => a + x, 0)).toBeCloseTo(120, 6);
      // Spread by residents, 3:1.
      expect(some.idle[some.S.taiyuan]).toBeCloseTo(90, 6);
      expect(some.idle[some.S.datong]).toBeCloseTo(30, 6);
      for (let k = 0; k < 2; k++) {
        // Without reuse no land, and capacity stays where it was; with it, the land goes to the
        // jobs that demand calls for (the last tick's land, reused after the markets, is left).
        expect(none.jobs[k]).toBe(3000);
        expect(none.market[k]).toBe(5000);
        expect(some.landAvail[k]).toBeCloseTo(some.idleAt[k] / 12, 6);
        expect(some.jobs[k]).toBeCloseTo(3000 + (some.idleAt[k] - some.landAvail[k]) * jobsPerHa, 6);
        expect(some.jobs[k]).toBeGreaterThan(none.jobs[k] + 20);
      }
      // Job demand below capacity: the reused land builds no jobs but market housing.
      const [noneHousing, someHousing] = run(0, false);
      for (let k = 0; k < 2; k++) {
        expect(someHousing.jobs[k]).toBe(noneHousing.jobs[k]);
        expect(noneHousing.market[k]).toBe(5000);
        expect(someHousing.market[k]).toBeGreaterThan(noneHousing.market[k] + 20);
      }
      // Plentiful land: the reused land is added to it, and changes no capacity.
      const [noneAmple, someAmple] = run(1e6, true);
      for (let k = 0; k < 2; k++) {
        expect(someAmple.landAvail[k]).toBeCloseTo(noneAmple.landAvail[k] + someAmple.idleAt[k], 6);
        expect(someAmple.jobs[k]).toBe(noneAmple.jobs[k]);
        expect(someAmple.jobs[k]).toBeGreaterThan(some.jobs[k] + 500);
        expect(someAmple.market[k]).toBe(noneAmple.market[k]);
      }
    },
  },

  'fiscal.transfer_per_settler': {
    direction: 'settlements fund services for non-local residents, so fewer of them leave',
    test: () => {
      const [none, some] = arms(
        [0, 300000],
        (sc) => {
          sc.behaviour.migration.review_rate_unemployed.value = 1;
          // The rest of China's wage path held, so that leaving for it does not swamp the services at stake.
          sc.behaviour.migration.outside_wage_gap_trend.value = 0;
        },
        (sc, v: number) => {
          sc.levers.fiscal.transfer_per_settler = v;
        },
        (sc) => {
          const w = miniWorld(sc);
          const S = spots(w.places);
          ampleHousing(w);
          // A year of settlement by stable workers past migration age (they stay put afterwards).
          addAgents(w, 4000, { place: S.taiyuan, hukouPlace: S.datongVillages, age: 65, emp: Emp.urbanJob, months: 600 });
          setJobs(w, S.taiyuan, 0, 4000);
          const ctx = ctxFor(w, sc, 0, RUN);
          runTicks(w, ctx, [housingMarket, settlement], 12);
          const settled = ctx.flows.settlements[S.taiyuan],
            fund = w.fund[S.taiyuan];
          // Then, in the next tick, non-local job seekers without a permit (all of whom review their
          // place) decide, after the housing market has set this tick's coverage.
          const seekers = addAgents(w, 3000, { place: S.taiyuan, hukouPlace: S.datongVillages, emp: Emp.unemployed, months: 100, flags: Flag.landRights });
          runTicks(w, ctx, [housingMarket, migration], 1);
          const left = countWhere(w, seekers, (i) => w.agents.place[i] !== S.taiyuan);
          return { settled, fund, coverage: w.coverage[S.taiyuan], left };
        },
      );
      expect(some.settled).toBe(none.settled);
      expect(none.settled).toBeGreaterThan(50);
      expect(none.fund).toBe(0);
      expect(none.coverage).toBe(0);
      expect(some.fund).toBeGreaterThan(0);
      expect(some.coverage).toBeGreaterThan(0.2);
      expect(none.left).toBeGreaterThan(500);
      expect(some.left).toBeLessThan(0.9 * none.left);
    },
  },

  'rural.rural_income_growth': {
    direction: 'farm income per farmer rises faster and fewer villagers leave',
    test: () => {
      const [flat, growing] = arms(
        [0, 0.3],
        () => {},
        (sc, v: number) => {
          sc.levers.rural.rural_income_growth = v;
        },
        (sc) => {
          sc.behaviour.migration.review_rate_village.value = 1;
          const params = referenceParams(sc);
          const w = miniWorld(sc, 12000);
          const S = spots(w.places);
          ampleHousing(w);
          const ids = addAgents(w, 4000, { place: S.datongVillages, emp: Emp.farming });
          const ctx = ctxFor(w, sc, 0, RUN, params);
          // A year of farming, then two ticks in which every villager reviews where to live.
          runTicks(w, ctx, [labour], 12);
          const income = incomeOf(w, ids[0]);
          runTicks(w, ctx, [labour, migration], 2);
          return { income, ruralLevel: ctx.ruralLevel, left: countWhere(w, ids, (i) => w.agents.place[i] !== S.datongVillages) };
        },
      );
      // The last labour tick of the year (tick 11) paid at the level of eleven ticks of growth.
      expect(growing.income / flat.income).toBeCloseTo(Math.pow(growthPerTick(0.3, 12), 11), 4);
      expect(growing.income).toBeGreaterThan(1.2 * flat.income);
      expect(flat.left).toBeGreaterThan(200);
      expect(growing.left).toBeLessThan(0.9 * flat.left);
    },
  },
};

describe('policy levers move their indicators in the intended direction', () => {
  for (const { path } of LEVER_LIST) {
    const c = CASES[path];
    it(`${path}: ${c?.direction ?? '(no case)'}`, () => {
      expect(c, `no case for lever ${path}`).toBeDefined();
      c.test();
    });
  }

  it('every lever of the registry has a case, and every case a lever', () => {
    expect(Object.keys(CASES).sort()).toEqual(LEVER_LIST.map((l) => l.path).sort());
  });
});

describe('lever schedules', () => {
  it('steps: openness_county 0 until 2021-12, 1 from 2022-01 (tick 14), and settlement follows', () => {
    const sc = scenario((s) => {
      s.levers.hukou.openness_county = {
        steps: [
          { from: '2020-11', value: 0 },
          { from: '2022-01', value: 1 },
        ],
      };
    });
    const tables = leverTables(sc);
    const table = tables['hukou.openness_county'];
    for (let t = 0; t < 14; t++) expect(table[t]).toBe(0);
    for (let t = 14; t < table.length; t++) expect(table[t]).toBe(1);
    // End to end at the params level, as the engine does: parameters follow the tables tick by tick.
    const w = miniWorld(sc);
    const S = spots(w.places);
    addAgents(w, 4000, { place: S.datongTown, hukouPlace: S.datongVillages, emp: Emp.urbanJob, months: 600 });
    setJobs(w, S.datongTown, 0, 4000);
    const params = referenceParams(sc);
    expect(params.openness[Tier.county]).toBe(0);
    const ctx = ctxFor(w, sc, 0, RUN, params);
    const byTick: number[] = [];
    for (let t = 0; t < 24; t++) {
      if (t > 0)
        Object.assign(
          params,
          leverParams(params, w, (path) => tables[path][t]),
        );
      expect(params.openness[Tier.county]).toBe(t < 14 ? 0 : 1);
      const before = ctx.flows.settlements[S.datongTown];
      runTicks(w, ctx, [settlement], 1);
      byTick.push(ctx.flows.settlements[S.datongTown] - before);
    }
    expect(byTick.slice(0, 14).reduce((a, x) => a + x, 0)).toBe(0);
    expect(byTick.slice(14).reduce((a, x) => a + x, 0)).toBeGreaterThan(80);
  });

  it('expr: training_rate = 0.1 * (year - 2020) at tick 0 and tick 12', () => {
    const sc = scenario((s) => {
      s.levers.jobs.training_rate = { expr: '0.1 * (year - 2020)' };
    });
    const tables = leverTables(sc);
    const table = tables['jobs.training_rate'];
    // Tick 0 starts at 2020-11 (year 2020 + 10/12); tick 12 a year later.
    expect(table[0]).toBeCloseTo(0.1 * (10 / 12), 12);
    expect(table[12]).toBeCloseTo(0.1 * (1 + 10 / 12), 12);
    const w = miniWorld(sc, 1);
    expect(leverParams(referenceParams(sc), w, (path) => tables[path][12]).trainingTick).toBeCloseTo(perTick(0.1 * (1 + 10 / 12), 12), 12);
  });

  it('expr leaving the lever range: loadScenario reports levers.jobs.training_rate.expr at its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'urbanize-levers-'));
    try {
      const file = join(dir, 'bad-training.yaml');
      writeFileSync(
        file,
        [`extends: ${JSON.stringify(BASELINE)}`, 'name: bad training expression', 'levers:', '  jobs:', '    training_rate: { expr: "2" }', ''].join('\n'),
      );
      let err: unknown;
      try {
        loadScenario(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      const problems = (err as UserError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ code: 'out_of_range', path: 'levers.jobs.training_rate.expr', file, line: 5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
