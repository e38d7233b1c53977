/**
 * mathjs, loaded on first use: it takes about a second to import, and most commands (validate,
 * verify, merge of a small batch) must not pay for it at start-up. Workers never load it.
 */
import { createRequire } from 'node:module';

type MathJs = typeof import('mathjs');
let cached: MathJs | undefined;

/** The mathjs module. */
export function math(): MathJs {
  cached ??= createRequire(import.meta.url)('mathjs') as MathJs;
  return cached;
}
