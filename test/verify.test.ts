import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyFolder } from '../src/app/verify.js';
import { UserError } from '../src/core/errors.js';
import { cli, tempDir } from './helpers/cli.js';

let fresh: string;
let root: string;

beforeAll(() => {
  root = tempDir('urbanize-verify-');
  fresh = join(root, 'fresh');
  const r = cli(['run', 'scenarios/shanxi-baseline.yaml', '--runs', '2', '--scale', '3000', '--out', fresh, '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

/** A copy of the fresh folder to damage. */
function copy(name: string): string {
  const dir = join(root, name);
  cpSync(fresh, dir, { recursive: true });
  return dir;
}

/** verifyFolder's exit code and what it logged. */
async function verify(dir: string): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await verifyFolder(dir, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const writeManifest = (dir: string, m: unknown) => writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');

describe('urbanize verify', () => {
  it('accepts a fresh results folder', async () => {
    const r = await verify(fresh);
    expect(r.out).toContain('verified: 2 runs');
    expect(r.out).toContain(manifest(fresh).digest);
    expect(r.code).toBe(0);
  });

  it('finds one flipped byte in a run file: the digest and runs.csv no longer match', async () => {
    const dir = copy('flipped');
    const file = join(dir, 'runs', '000001.f64');
    const bytes = readFileSync(file);
    bytes[1000] ^= 0x01;
    writeFileSync(file, bytes);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the digest of the run files is [0-9a-f]{64}, but the manifest says/);
    expect(r.out).toMatch(/runs\.csv does not match the run files: line \d+ is "1,/);
    expect(r.out).toContain('NOT VERIFIED');
  });

  it('reports a deleted runs.csv', async () => {
    const dir = copy('no-csv');
    rmSync(join(dir, 'runs.csv'));
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('runs.csv is missing');
  });

  it('reports an edited digest in the manifest', async () => {
    const dir = copy('digest');
    const m = manifest(dir);
    m.digest = '0'.repeat(64);
    writeManifest(dir, m);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`but the manifest says ${'0'.repeat(64)}`);
  });

  it('reports a partial folder and its missing run', async () => {
    const dir = copy('partial');
    const m = manifest(dir);
    m.status = 'partial';
    m.digest = null;
    writeManifest(dir, m);
    rmSync(join(dir, 'runs', '000001.f64'));
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('status is "partial", not "complete"');
    expect(r.out).toContain('urbanize run --resume');
    expect(r.out).toContain('runs/000001.f64 is missing');
  });

  it('reports a run file of the wrong size', async () => {
    const dir = copy('short');
    truncateSync(join(dir, 'runs', '000000.f64'), 800);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/runs\/000000\.f64 holds 800 bytes, but a run of this scenario holds \d+/);
  });

  it('reports a run seed that the master seed does not give', async () => {
    const dir = copy('seed');
    const m = manifest(dir);
    m.run_seeds[1].seed += 1;
    writeManifest(dir, m);
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the seed of run 1 is \d+, but master seed 20201101 gives \d+/);
  });

  it('reports an edited summary.json and indicators.csv', async () => {
    const dir = copy('summary');
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    s.runs = 3;
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(s, null, 2) + '\n');
    writeFileSync(
      join(dir, 'indicators.csv'),
      readFileSync(join(dir, 'indicators.csv'), 'utf8').replace(/\n(urbanization_rate,shanxi,2025),[^,]+,/, '\n$1,99,'),
    );
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/summary\.json does not match the run files: line \d+ is "  \\"runs\\": 3,"/);
    expect(r.out).toMatch(/indicators\.csv does not match the run files: line \d+ is "urbanization_rate,shanxi,2025,99,/);
  });

  it('refuses a folder that is not a results folder with a UserError (exit code 2)', async () => {
    await expect(verify(join(root, 'nowhere'))).rejects.toThrow(UserError);
    await expect(verify(root)).rejects.toThrow(/not a results folder/);
    const dir = tempDir();
    writeFileSync(join(dir, 'manifest.json'), '{"name": "some web app"}');
    await expect(verify(dir)).rejects.toThrow(UserError);
  });

  it('runs from the command line: 0, 1 and 2', () => {
    const ok = cli(['verify', fresh]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('verified');
    const dir = copy('cli-digest');
    const m = manifest(dir);
    m.digest = 'f'.repeat(64);
    writeManifest(dir, m);
    const bad = cli(['verify', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('digest');
    const none = cli(['verify', join(root, 'nowhere')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('nowhere: not a results folder');
    expect(none.stderr).not.toMatch(/\n\s+at /);
  });
});
