/**
 * mathjs, loaded on first use: it takes about a second to import, and only a sweep's regression
 * (sensitivity.ts) needs it; the summaries compute their statistics themselves (core/stats.ts).
 * Workers never load it.
 */
import { createRequire } from 'node:module';

type MathJs = typeof import('mathjs');
let cached: MathJs | undefined;

/** The mathjs module. */
export function math(): MathJs {
  cached ??= createRequire(import.meta.url)('mathjs') as MathJs;
  return cached;
}
