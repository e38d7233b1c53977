import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestOf, smallScenario } from './helpers/batch.js';
import { cli, tempDir } from './helpers/cli.js';

describe('batches on worker threads', () => {
  it('give byte-identical digests and files on 1 and on 2 workers', () => {
    const dir = tempDir(),
      sc = smallScenario(dir);
    expect(cli(['run', sc, '--workers', '1', '--out', join(dir, 'w1'), '--quiet']).code).toBe(0);
    expect(cli(['run', sc, '--workers', '2', '--out', join(dir, 'w2'), '--quiet']).code).toBe(0);
    expect(manifestOf(join(dir, 'w1')).digest).toMatch(/^[0-9a-f]{64}$/);
    expect(manifestOf(join(dir, 'w2')).digest).toBe(manifestOf(join(dir, 'w1')).digest);
    for (const f of ['runs.csv', 'indicators.csv', 'targets.csv', 'flows.csv'])
      expect(readFileSync(join(dir, 'w2', f), 'utf8')).toBe(readFileSync(join(dir, 'w1', f), 'utf8'));
  });

  it('record a run that throws as failed, with run id, seed and error, finish the others and exit 1', () => {
    const dir = tempDir(),
      out = join(dir, 'out');
    const r = cli(['run', smallScenario(dir), '--out', out, '--quiet', '--workers', '2'], { URBANIZE_FAULT_RUNS: '2' });
    expect(r.code).toBe(1);
    const m = manifestOf(out);
    expect(m.failed).toHaveLength(1);
    expect(m.failed[0]).toMatchObject({ run: 2, error: expect.stringContaining('fault injected') });
    expect(m.failed[0].seed).toBeGreaterThan(0);
    expect(m.status).toBe('complete');
    const runsCsv = readFileSync(join(out, 'runs.csv'), 'utf8');
    expect(runsCsv).toMatch(/^5,/m);
    expect(runsCsv).not.toMatch(/^2,/m);
    expect(r.stdout).toContain('run 2');
  });

  it('retry failed runs on --resume, ending with the digest of a batch that never failed', () => {
    const dir = tempDir(),
      sc = smallScenario(dir);
    expect(cli(['run', sc, '--out', join(dir, 'clean'), '--quiet']).code).toBe(0);
    expect(cli(['run', sc, '--out', join(dir, 'faulty'), '--quiet'], { URBANIZE_FAULT_RUNS: '1,4' }).code).toBe(1);
    expect(cli(['run', '--resume', join(dir, 'faulty'), '--quiet']).code).toBe(0);
    expect(manifestOf(join(dir, 'faulty')).failed).toEqual([]);
    expect(manifestOf(join(dir, 'faulty')).digest).toBe(manifestOf(join(dir, 'clean')).digest);
  });

  it('write runs.parquet with the rows of runs.csv', async () => {
    const dir = tempDir(),
      out = join(dir, 'out');
    expect(cli(['run', smallScenario(dir, { runs: 2 }), '--out', out, '--quiet', '--parquet']).code).toBe(0);
    const { parquetReadObjects } = await import('hyparquet');
    const buf = readFileSync(join(out, 'runs.parquet'));
    const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer });
    const csv = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(csv.length);
    // The baseline draws from a posterior, so every row names its parameter set.
    const [run, paramSet, metric, region, year, value] = csv[123].split(',');
    expect(rows[123]).toEqual({ run: Number(run), param_set: Number(paramSet), metric, region, year: Number(year), value: Number(value) });
  });
});

describe('targets.csv', () => {
  it('lists every target of 专栏1, 专栏2 and 第二章第三节, modelled or marked not modelled', () => {
    const dir = tempDir(),
      out = join(dir, 'out');
    expect(cli(['run', smallScenario(dir, { runs: 2 }), '--out', out, '--quiet']).code).toBe(0);
    const lines = readFileSync(join(out, 'targets.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'target,section,metric,region,year,comparator,value,modelled,p_met,mean,p05,p95,tolerance,p_met_lo,p_met_hi,p_met_mc_only,discrepancy,discrepancy_sd,pred_p05,pred_p95',
    );
    const rows = lines.slice(1).map((l) => l.split(','));
    const targets = readFileSync('scenarios/targets/plan-2025.yaml', 'utf8').match(/^ {2}- id: /gm)!.length;
    expect(rows).toHaveLength(targets);
    for (const k of [1, 2, 3, 4, 5, 6, 7, 8]) expect(rows.some((r) => r[1] === `专栏1 row ${k}`)).toBe(true);
    expect(rows.filter((r) => r[1] === '专栏2')).toHaveLength(11);
    expect(rows.filter((r) => r[1] === '第二章第三节').length).toBeGreaterThan(10);
    const modelled = rows.filter((r) => r[7] === 'yes');
    expect(modelled.length).toBeGreaterThan(15);
    for (const r of modelled) expect(Number(r[8])).toBeGreaterThanOrEqual(0);
    for (const r of rows.filter((x) => x[7] === 'no')) expect(r[8]).toBe('');
  });
});
