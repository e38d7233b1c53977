/**
 * Atomic writes: a temporary sibling, then rename (readers never see a half-written file or a
 * half-built folder).
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Writes `data` to `path` atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Creates folder `dir` atomically: `fill` builds it under a temporary sibling name
 * (`DIR.tmp-PID`), which is then renamed into place, so that `dir` either does not exist or has
 * everything `fill` wrote. An existing `dir` is replaced (the caller decides whether it may be):
 * it is renamed aside (`DIR.old-PID`) before the new one is renamed in and only then deleted, so
 * that a kill half-way loses neither (the old one is then found under its aside name).
 */
export function createDirAtomic(dir: string, fill: (tmp: string) => void): void {
  const path = resolve(dir); // no trailing separator: the siblings must not land inside `dir`
  const tmp = `${path}.tmp-${process.pid}`,
    old = `${path}.old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    fill(tmp);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const replacing = existsSync(path);
  if (replacing) renameSync(path, old);
  renameSync(tmp, path);
  if (replacing) rmSync(old, { recursive: true, force: true });
}
