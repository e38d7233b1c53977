/** Atomic file writes: a temporary sibling, then rename (readers never see a half-written file). */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

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
