import { describe, expect, it } from 'vitest';
import { estimate } from '../scripts/estimate-city-urban.mjs';
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
