// Full-page screenshot of a report in headless Chromium (Debian's chromium, or URBANIZE_BROWSER).
// Run: node scripts/screenshot.mjs REPORT.html OUT.png
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { BROWSER_ARGS, findBrowser } from './test-tools.mjs';

const [html, png] = process.argv.slice(2);
const found = findBrowser();
if (found.error) {
  console.error(`error: ${found.error}`);
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: found.path,
  args: BROWSER_ARGS,
});
const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
await page.goto(pathToFileURL(resolve(html)).href);
await page.screenshot({ path: png, fullPage: true });
await browser.close();
