/**
 * `urbanize report DIR`: one self-contained report.html in a results folder (run, compare, sweep
 * or reach), with charts drawn by Observable Plot as inline SVG. The page depends only on the
 * folder: no timestamp, nothing fetched when it opens.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../results/atomic.js';
import { FILES } from '../results/format.js';
import { readFolder } from './data.js';
import { stableIds } from './html.js';
import { comparePage, runPage, sweepPage, TITLE } from './pages.js';
import { reachPage } from './charts-reach.js';

export { detect, readFolder } from './data.js';

/** The report's HTML for a results folder (a UserError if DIR is not one). */
export function reportHtml(dir: string): string {
  const f = readFolder(dir);
  const html = f.kind === 'run' ? runPage(f) : f.kind === 'compare' ? comparePage(f) : f.kind === 'reach' ? reachPage(f, TITLE) : sweepPage(f);
  return stableIds(html);
}

/** Writes DIR/report.html atomically and returns its path. */
export async function writeReport(dir: string): Promise<string> {
  const html = reportHtml(dir);
  const out = join(dir, FILES.report);
  writeFileAtomic(out, html);
  return out;
}
