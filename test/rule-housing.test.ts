import { describe, expect, it } from 'vitest';
import { housingMarket } from '../src/model/housing.js';
import { housingTenure } from '../src/model/step.js';
import type { Scenario } from '../src/scenario/schema.js';
import { Emp, Flag, Tenure, TENURES } from '../src/world/agents.js';
import { addAgents, baselineScenario, countWhere, ctxFor, miniWorld, referenceParams, runTicks, setHousing, spots } from './helpers/mini-world.js';

describe('housing rules', () => {
  it('market rent rises as market vacancy falls', () => {
    const sc = baselineScenario();
    const params = referenceParams(sc);
    const rentWith = (renters: number) => {
      const w = miniWorld(sc);
      const S = spots(w.places);
      addAgents(w, renters, { place: S.taiyuan, tenure: Tenure.marketRent });
      setHousing(w, S.taiyuan, Tenure.marketRent, 2000);
      const ctx = ctxFor(w, sc, 0, 7, params);
      housingMarket(w, ctx);
      return { rent: w.rent[S.taiyuan], base: w.baseRent[S.taiyuan] };
    };
    const slack = rentWith(1000),
      tight = rentWith(1950),
      target = rentWith(Math.round(2000 * params.marketSupplyTick * (1 - params.marketVacancyTarget)));
    expect(tight.rent).toBeGreaterThan(1.5 * slack.rent);
    // At the target vacancy the rent is the base rent (year 0).
    expect(target.rent / target.base).toBeGreaterThan(0.97);
    expect(target.rent / target.base).toBeLessThan(1.03);
    expect(slack.rent).toBeLessThan(slack.base);
    expect(tight.rent).toBeGreaterThan(tight.base);
  });

  it('affordable rental units added by the lever appear in the housing stock', () => {
    const run = (unitsPerYear: number) => {
      const sc = baselineScenario();
      sc.levers.housing.affordable_rental_units_per_year = unitsPerYear;
      const w = miniWorld(sc);
      const S = spots(w.places);
      addAgents(w, 3000, { place: S.taiyuan });
      addAgents(w, 1000, { place: S.datong });
      const ctx = ctxFor(w, sc, 0, 7);
      runTicks(w, ctx, [housingMarket], 12);
      return { taiyuan: w.housing[S.taiyuan * TENURES + Tenure.affordableRental], datong: w.housing[S.datong * TENURES + Tenure.affordableRental] };
    };
    const off = run(0),
      on = run(12000);
    expect(off.taiyuan).toBe(0);
    expect(off.datong).toBe(0);
    // 12,000 units x 2.5 persons / scale 100 = 300 agent places a year, split by population (3:1).
    expect(on.taiyuan + on.datong).toBeCloseTo(300, 6);
    expect(on.taiyuan).toBeCloseTo(225, 6);
    expect(on.datong).toBeCloseTo(75, 6);
  });

  /** Local renters, non-local renters without permit and non-local renters with a permit, with free affordable units. */
  function allocate(sc: Scenario) {
    const w = miniWorld(sc);
    const S = spots(w.places);
    const base = { place: S.taiyuan, emp: Emp.unemployed, tenure: Tenure.marketRent };
    const local = addAgents(w, 1500, { ...base, hukouPlace: S.taiyuan });
    const noPermit = addAgents(w, 1500, { ...base, hukouPlace: S.datongVillages });
    const permit = addAgents(w, 1500, { ...base, hukouPlace: S.datongVillages, flags: Flag.landRights | Flag.permit });
    setHousing(w, S.taiyuan, Tenure.marketRent, 5000);
    setHousing(w, S.taiyuan, Tenure.affordableRental, 3000);
    const ctx = ctxFor(w, sc, 0, 7);
    runTicks(w, ctx, [housingTenure], 12);
    const inAffordable = (ids: number[]) => countWhere(w, ids, (i) => w.agents.tenure[i] === Tenure.affordableRental);
    return {
      local: inAffordable(local),
      noPermit: inAffordable(noPermit),
      permit: inAffordable(permit),
      occupied: w.occupied[S.taiyuan * TENURES + Tenure.affordableRental],
    };
  }

  it('local-hukou renters move into free affordable units; migrants without eligibility do not', () => {
    const sc = baselineScenario();
    sc.levers.residence_permit.opens_affordable_housing = false;
    const r = allocate(sc);
    // Allocation rate 0.2 a year: about 300 of 1500.
    expect(r.local).toBeGreaterThan(200);
    expect(r.noPermit).toBe(0);
    expect(r.permit).toBe(0);
    expect(r.occupied).toBe(r.local);
  });

  it('with opens_affordable_housing, permit holders move into affordable units too', () => {
    const off = baselineScenario();
    off.levers.residence_permit.opens_affordable_housing = false;
    const on = baselineScenario();
    on.levers.residence_permit.opens_affordable_housing = true;
    const a = allocate(off),
      b = allocate(on);
    expect(b.permit).toBeGreaterThan(200);
    expect(a.permit).toBe(0);
    expect(b.noPermit).toBe(0);
    expect(b.local).toBe(a.local);
  });

  it('eligible renters get nothing when no affordable or public unit is free', () => {
    const sc = baselineScenario();
    const w = miniWorld(sc);
    const S = spots(w.places);
    const local = addAgents(w, 1500, { place: S.taiyuan, emp: Emp.unemployed, tenure: Tenure.marketRent });
    setHousing(w, S.taiyuan, Tenure.affordableRental, 100);
    setHousing(w, S.taiyuan, Tenure.publicRental, 50);
    const ctx = ctxFor(w, sc, 0, 7);
    runTicks(w, ctx, [housingTenure], 24);
    expect(countWhere(w, local, (i) => w.agents.tenure[i] === Tenure.affordableRental)).toBe(100);
    expect(countWhere(w, local, (i) => w.agents.tenure[i] === Tenure.publicRental)).toBe(50);
    expect(countWhere(w, local, (i) => w.agents.tenure[i] === Tenure.marketRent)).toBe(1350);
  });
});
