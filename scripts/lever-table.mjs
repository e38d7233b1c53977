// Rewrites the lever tables of docs/scenarios.md §4 from the registry (src/scenario/levers.ts) and the
// baseline values of scenarios/shanxi-2020.yaml, between the `<!-- levers:begin GROUP -->` and
// `<!-- levers:end -->` markers. Reads the build: run `npm run build --silent` first.
//   node scripts/lever-table.mjs          exits 1 if the tables differ from the registry
//   node scripts/lever-table.mjs --write  rewrites them
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { withLeverTables } = await import(`${root}dist/scenario/lever-docs.js`);
const docPath = `${root}docs/scenarios.md`;
const doc = readFileSync(docPath, 'utf8');
const next = withLeverTables(doc, readFileSync(`${root}scenarios/shanxi-2020.yaml`, 'utf8'));
if (process.argv.includes('--write')) {
  if (next !== doc) writeFileSync(docPath, next);
  console.log(next === doc ? 'docs/scenarios.md: lever tables up to date' : 'docs/scenarios.md: lever tables rewritten');
} else if (next !== doc) {
  console.error('docs/scenarios.md: lever tables differ from the registry; run `node scripts/lever-table.mjs --write`');
  process.exit(1);
}
