import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/report/data.js';
import { createDirAtomic } from '../src/results/atomic.js';
import { resumeCommand } from '../src/results/documents.js';
import { manifestOf, smallScenario } from './helpers/batch.js';
import { cli, cliAsync, tempDir } from './helpers/cli.js';
import { startCli, storedIn, until } from './helpers/signal.js';

/** A scenario and the digest of its uninterrupted batch (computed once, on first use). */
function withReference(opts: Parameters<typeof smallScenario>[1]) {
  const dir = tempDir(),
    file = smallScenario(dir, opts);
  let digest: Promise<string | null> | undefined;
  const reference = () =>
    (digest ??= cliAsync(['run', file, '--out', join(dir, 'whole'), '--quiet']).then((r) => {
      expect(r.code).toBe(0);
      return manifestOf(join(dir, 'whole')).digest;
    }));
  return { file, reference };
}

describe('interrupted batches', () => {
  // A run at scale 5000 to 2021 takes about 0.1 s: eight of them on one worker are caught in the middle.
  const mid = withReference({ scale: 5000, runs: 8, endYear: 2021 });

  it('after kill -9 in the middle of a batch, --resume ends with the digest of an uninterrupted batch', async () => {
    const out = join(tempDir(), 'killed');
    const reference = mid.reference();
    const { child, ended } = startCli(['run', mid.file, '--workers', '1', '--out', out, '--quiet']);
    await until(() => storedIn(out) >= 2);
    child.kill('SIGKILL');
    await ended;
    const kept = storedIn(out);
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(8);
    expect(manifestOf(out).status).toBe('running');
    expect(manifestOf(out).digest).toBeNull();
    expect(cli(['run', '--resume', out, '--quiet']).code).toBe(0);
    expect(manifestOf(out).status).toBe('complete');
    expect(manifestOf(out).digest).toBe(await reference);
  });

  it('SIGTERM, which Slurm and Kubernetes send, stops cleanly: exit 143, runs kept, folder partial, report names the resume command, --resume completes it', async () => {
    const out = join(tempDir(), 'term');
    const reference = mid.reference();
    const { child, ended } = startCli(['run', mid.file, '--workers', '1', '--out', out, '--quiet']);
    await until(() => storedIn(out) >= 1);
    child.kill('SIGTERM');
    const r = await ended;
    expect(r.code).toBe(143);
    expect(r.stdout).toMatch(new RegExp(`^interrupted: \\d of 8 runs kept in ${out}; complete it with: urbanize run --resume ${out}\n$`));
    expect(manifestOf(out).status).toBe('partial');
    expect(storedIn(out)).toBeGreaterThanOrEqual(1);
    expect(() => detect(out)).toThrow(
      `${out}: the run in this folder is not complete (status "partial": it was interrupted): complete it with urbanize run --resume ${out}`,
    );
    expect((await cliAsync(['run', '--resume', out, '--quiet'])).code).toBe(0);
    expect(manifestOf(out).digest).toBe(await reference);
  });

  it('Ctrl-C (SIGINT) stops the same way with exit 130', async () => {
    const out = join(tempDir(), 'int');
    const { child, ended } = startCli(['run', mid.file, '--workers', '1', '--out', out, '--quiet']);
    await until(() => storedIn(out) >= 1);
    child.kill('SIGINT');
    const r = await ended;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain(`complete it with: urbanize run --resume ${out}`);
    expect(manifestOf(out).status).toBe('partial');
  });

  it('a signal at any moment of the set-up leaves no folder, or one that --resume completes', async () => {
    const parent = tempDir();
    // From before the handlers exist (node starting) to the batch; the last one as soon as the folder appears.
    const delays = [0, 400];
    const tries = [...delays, -1].map(async (delay, k) => {
      const out = join(parent, `out-${k}`);
      const { child, ended } = startCli(['run', mid.file, '--workers', '1', '--out', out, '--quiet']);
      if (delay >= 0) await new Promise((r) => setTimeout(r, delay));
      else await until(() => existsSync(out));
      child.kill('SIGTERM');
      return { out, end: await ended };
    });
    const results = await Promise.all(tries);
    const reference = await mid.reference();
    for (const { out, end } of results) {
      // Killed by the default action only before the command started (no folder) or after it ended (a complete one); otherwise 143, or 0 if it had finished.
      if (end.signal === 'SIGTERM') expect(!existsSync(out) || manifestOf(out).status === 'complete', out).toBe(true);
      else expect([0, 143], `${out}: ${end.stderr}`).toContain(end.code);
      if (existsSync(out)) expect(['partial', 'complete']).toContain(manifestOf(out).status);
    }
    const folders = results.map(({ out }) => out).filter((out) => existsSync(out));
    const resumed = await Promise.all(folders.map((out) => cliAsync(['run', '--resume', out, '--workers', '1', '--quiet'])));
    folders.forEach((out, k) => {
      expect(resumed[k].code, resumed[k].stderr).toBe(0);
      expect(manifestOf(out).digest, out).toBe(reference);
    });
    expect(readdirSync(parent).filter((f) => /\.(tmp|old)-\d+$/.test(f))).toEqual([]);
    // At least one signal came during the set-up or the batch, not all before node started the command.
    expect(results.some(({ end }) => end.code === 143)).toBe(true);
  });

  it('a signal as soon as the folder of a large batch appears leaves it partial, with every run listed, and --resume takes it up', async () => {
    // 5,000 runs: creating the folder and its manifest takes long enough to be caught (it left no manifest before the folder was created atomically).
    const dir = tempDir(),
      file = smallScenario(dir, { scale: 5000, runs: 5000, endYear: 2021 }),
      out = join(dir, 'large');
    const { child, ended } = startCli(['run', file, '--workers', '1', '--out', out, '--quiet']);
    await until(() => existsSync(out));
    child.kill('SIGTERM');
    expect((await ended).code).toBe(143);
    expect(manifestOf(out).status).toBe('partial');
    expect(manifestOf(out).run_ids).toHaveLength(5000);
    // --resume takes the folder up (and is itself interrupted, again resumable).
    const before = storedIn(out);
    const resumed = startCli(['run', '--resume', out, '--workers', '1', '--quiet']);
    await until(() => storedIn(out) > before);
    resumed.child.kill('SIGTERM');
    expect((await resumed.ended).code).toBe(143);
    expect(manifestOf(out).status).toBe('partial');
  });

  it('--resume refuses a folder that is not a results folder, with exit code 2', () => {
    const r = cli(['run', '--resume', tempDir(), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a results folder');
  });
});

describe('creating a folder atomically', () => {
  it('replaces an existing folder only once the new one is whole: a failure half-way leaves the old one as it was', () => {
    const dir = join(tempDir(), 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'old.txt'), 'old');
    expect(() =>
      createDirAtomic(dir, (tmp) => {
        writeFileSync(join(tmp, 'new.txt'), 'new');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(readdirSync(dir)).toEqual(['old.txt']);
    createDirAtomic(dir, (tmp) => writeFileSync(join(tmp, 'new.txt'), 'new'));
    expect(readdirSync(dir)).toEqual(['new.txt']);
    expect(readFileSync(join(dir, 'new.txt'), 'utf8')).toBe('new');
    expect(readdirSync(join(dir, '..'))).toEqual(['out']);
  });
});

describe('the resume command', () => {
  it('is printed exactly, the folder quoted for the shell when its name needs it', () => {
    expect(resumeCommand('run', 'results/shanxi-baseline')).toBe('urbanize run --resume results/shanxi-baseline');
    expect(resumeCommand('compare', "/tmp/my results/it's")).toBe("urbanize compare --resume '/tmp/my results/it'\\''s'");
  });
});
