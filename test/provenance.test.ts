import { describe, expect, it } from 'vitest';
import { estimate } from '../scripts/estimate-city-urban.mjs';
import { estimate as estimate2010 } from '../scripts/estimate-2010-world.mjs';
import { loadScenario } from '../src/scenario/scenario.js';
import { baseline } from './helpers/scenario.js';

describe('estimated figures of the baseline', () => {
  const sc = baseline();

  it('are the output of scripts/estimate-city-urban.mjs for the eight cities without a census urban figure', () => {
    const { urban } = estimate() as { urban: Record<string, number> };
    for (const [id, v] of Object.entries(urban)) {
      const city = sc.world.cities.find((c) => c.id === id)!;
      expect(city.urban.value, id).toBe(v);
      expect(city.urban.estimate, id).toContain('scripts/estimate-city-urban.mjs');
    }
  });

  it("make the cities add up exactly to the province's census residents and urban residents", () => {
    expect(sc.world.cities.reduce((a, c) => a + c.residents.value, 0)).toBe(sc.world.province.residents.value);
    expect(sc.world.cities.reduce((a, c) => a + c.urban.value, 0)).toBe(sc.world.province.urban.value);
  });
});

describe('provenance of every figure', () => {
  it('every number under world and behaviour of the baseline carries a source or an estimate', () => {
    const sc = baseline();
    const bare: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) {
        node.forEach((x, i) => walk(x, `${path}[${i}]`));
        return;
      }
      if (node === null || typeof node !== 'object') {
        if (typeof node === 'number') bare.push(path);
        return;
      }
      const o = node as Record<string, unknown>;
      if (typeof o.value === 'number') {
        const why = (o.source ?? o.estimate) as string | undefined;
        if (!why || why.trim().length < 3) bare.push(path);
        return;
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
    };
    walk(sc.world, 'world');
    walk(sc.behaviour, 'behaviour');
    expect(bare).toEqual([]);
  });

  it('a figure without a source or an estimate is refused when the scenario loads', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadScenario } = await import('../src/scenario/scenario.js');
    const dir = mkdtempSync(join(tmpdir(), 'prov-'));
    const f = join(dir, 'v.yaml');
    // A copy of the uncalibrated scenario with the source of the province's residents removed.
    const text = readFileSync('scenarios/shanxi-2020.yaml', 'utf8').replace(
      'residents: { value: 34915616, source: "7th census bulletin no. 1 (data/reference/shanxi-data.md, Province)" }',
      'residents: { value: 34915616 }',
    );
    writeFileSync(f, text.replace('targets: targets/plan-2025.yaml', `targets: ${join(process.cwd(), 'scenarios/targets/plan-2025.yaml')}`));
    expect(text).toContain('residents: { value: 34915616 }');
    expect(() => loadScenario(f)).toThrow(/exactly one of "source".*or "estimate"/);
  });

  it('calibrated values say how they were made', () => {
    const sc = baseline();
    expect(sc.behaviour.migration.beta_income.estimate).toContain('urbanize calibrate');
    expect(sc.behaviour.settlement.base_rate.estimate).toContain('Nelder-Mead');
  });
});

describe('estimated figures of the 2010 world (scenarios/shanxi-2010.yaml)', () => {
  const sc = loadScenario('scenarios/shanxi-2010.yaml').scenario;
  const e = estimate2010();

  it('are the output of scripts/estimate-2010-world.mjs', () => {
    const pv = sc.world.province;
    for (const c of sc.world.cities) {
      expect(c.residents.value, c.id).toBe(e.residents[c.id]);
      expect(c.urban.value, c.id).toBe(e.cityUrban[c.id]);
    }
    expect(pv.urban.value).toBe(e.urban);
    expect(pv.hukou_urbanization_rate.value).toBe(Number(e.hukou.rate.toFixed(2)));
    for (const k of ['age_0_14', 'age_15_59', 'age_60_plus', 'age_65_plus'] as const) expect(pv.age[k].value, k).toBe(e.age[k]);
    expect(pv.male.value).toBe(e.male);
    expect(pv.from_other_provinces.value).toBe(e.fromOtherProvinces);
    expect(pv.floating_within_province.value).toBe(e.floatingWithin);
    expect(pv.employed.value).toBe(e.employed);
    expect(pv.urban_employed.value).toBe(e.urbanEmployed);
    expect(pv.wage_2020.value).toBe(e.wage2010);
    expect(pv.urban_disposable_income_2020.value).toBe(e.urbanIncome);
    expect(pv.urban_rural_income_ratio_2020.value).toBe(e.incomeRatio);
    expect(sc.world.settlement.county_town_persons_small_1.value).toBe(e.countyTownSmall1);
    expect(sc.world.settlement.county_town_persons_small_2.value).toBe(e.countyTownSmall2);
    const d = sc.behaviour.demography,
      lab = sc.behaviour.labour;
    expect(d.birth_rate_2020.value).toBe(e.birthRate);
    expect(d.death_rate_2020.value).toBe(e.deathRate);
    expect(lab.farm_income_2020.value).toBe(e.farmIncome);
    expect(lab.rural_nonfarm_wage_2020.value).toBe(e.ruralNonFarmWage);
    expect(lab.urban_pension_2020.value).toBe(e.urbanPension);
    expect(lab.rural_pension_2020.value).toBe(e.ruralPension);
    expect(lab.rural_transfer_2020.value).toBe(e.ruralTransfer);
  });

  it('give the seven cities of the 2010 census their census figure and split the residual among the other four', () => {
    const cited = sc.world.cities.filter((c) => c.residents.source !== undefined).map((c) => c.id);
    expect(cited.sort()).toEqual(['changzhi', 'datong', 'jincheng', 'linfen', 'lvliang', 'taiyuan', 'yuncheng']);
    const others = sc.world.cities.filter((c) => c.residents.estimate !== undefined);
    expect(others.reduce((a, c) => a + c.residents.value, 0)).toBe(e.residual);
  });

  it("make the cities add up exactly to the province's 2010 residents and urban residents", () => {
    expect(sc.world.cities.reduce((a, c) => a + c.residents.value, 0)).toBe(35712111);
    expect(sc.world.cities.reduce((a, c) => a + c.urban.value, 0)).toBe(sc.world.province.urban.value);
  });
});
