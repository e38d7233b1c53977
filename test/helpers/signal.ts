/** Helpers for interruption tests: a CLI in the background, waiting for a folder's state, comparing folders byte for byte. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** How a background CLI ended: its exit code, or the signal that killed it (code null), and its output. */
export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `urbanize ARGS` in the background. */
export function startCli(args: string[]): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(process.execPath, ['dist/cli/main.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '',
    stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const ended = new Promise<Ended>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, ended };
}

/** Run files stored in `dir`/runs. */
export const storedIn = (dir: string): number => (existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.f64')).length : 0);

/** Waits until `ready()` holds (or 60 s pass), looking every 5 ms: a signal meant for a moment must not come much later. */
export async function until(ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

/** Every file under `dir` (relative paths, sorted) with its bytes. */
function filesOf(dir: string, prefix = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = join(prefix, name);
    if (statSync(join(dir, rel)).isDirectory()) for (const [k, v] of filesOf(dir, rel)) out.set(k, v);
    else out.set(rel, readFileSync(join(dir, rel)));
  }
  return out;
}

/** The files that are not the same, byte for byte, in folders `a` and `b` (missing from either, or different). */
export function differingFiles(a: string, b: string): string[] {
  const fa = filesOf(a),
    fb = filesOf(b);
  return [...new Set([...fa.keys(), ...fb.keys()])].filter((f) => !fa.get(f) || !fb.get(f) || !fa.get(f)!.equals(fb.get(f)!));
}
