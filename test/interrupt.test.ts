import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestOf, smallScenario } from './helpers/batch.js';
import { cli, tempDir } from './helpers/cli.js';

/** Starts a batch in the background and waits until `atLeast` runs are stored. */
async function startAndWait(args: string[], out: string, atLeast: number) {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'run', ...args, '--out', out, '--quiet'], { stdio: 'ignore' });
  const exited = new Promise<number | null>((res) => child.on('exit', (code, signal) => res(code ?? (signal ? -1 : null))));
  const deadline = Date.now() + 60_000;
  const stored = () => (existsSync(join(out, 'runs')) ? readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.f64')).length : 0);
  while (stored() < atLeast && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return { child, exited, stored };
}

describe('interrupted batches', () => {
  // Scale 400: each run takes long enough (a few hundred ms) to be caught in the middle.
  const opts = { scale: 400, runs: 8, endYear: 2023 };

  it('after kill -9 in the middle of a batch, --resume ends with the digest of an uninterrupted batch', async () => {
    const dir = tempDir(), sc = smallScenario(dir, opts), out = join(dir, 'killed');
    const { child, exited, stored } = await startAndWait([sc, '--workers', '1'], out, 2);
    child.kill('SIGKILL');
    await exited;
    const kept = stored();
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(8);
    expect(manifestOf(out).status).toBe('running');
    expect(manifestOf(out).digest).toBeNull();
    expect(cli(['run', '--resume', out, '--quiet']).code).toBe(0);
    expect(cli(['run', sc, '--out', join(dir, 'whole'), '--quiet']).code).toBe(0);
    expect(manifestOf(out).status).toBe('complete');
    expect(manifestOf(out).digest).toBe(manifestOf(join(dir, 'whole')).digest);
  });

  it('Ctrl-C stops cleanly: exit 130, completed runs kept, folder marked partial, --resume completes it', async () => {
    const dir = tempDir(), sc = smallScenario(dir, opts), out = join(dir, 'int');
    const { child, exited, stored } = await startAndWait([sc, '--workers', '1'], out, 1);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(manifestOf(out).status).toBe('partial');
    expect(stored()).toBeGreaterThanOrEqual(1);
    expect(cli(['run', '--resume', out, '--quiet']).code).toBe(0);
    expect(cli(['run', sc, '--out', join(dir, 'whole'), '--quiet']).code).toBe(0);
    expect(manifestOf(out).digest).toBe(manifestOf(join(dir, 'whole')).digest);
  });

  it('--resume refuses a folder that is not a results folder, with exit code 2', () => {
    const r = cli(['run', '--resume', tempDir(), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a results folder');
  });
});
