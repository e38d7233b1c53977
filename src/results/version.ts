/** The engine's name and version, read from package.json (recorded in every manifest). */
import { readFileSync } from 'node:fs';

let cached: { name: string; version: string } | undefined;

/** Engine name and version. */
export function engineVersion(): { name: string; version: string } {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    cached = { name: pkg.name, version: pkg.version };
  }
  return cached;
}
