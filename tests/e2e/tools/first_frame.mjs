// first_frame.mjs: how long the playground takes to its first frame in headless Chromium,
// and where that time goes. A measurement tool, not a test (run.sh does not run it);
// README's quality-bar table quotes its output.
//
// Opens the default page N times (a fresh browser context each time, so nothing is cached)
// and prints, per run, window.aelab.firstFrameMs (performance.now() at the first published
// frame, i.e. after navigation start) and the page's start-up marks (window.aelab.startup:
// when the wasm script was requested, the runtime was ready, main() began, the app was
// initialised), then the median and range.
//
// Usage: node tests/e2e/tools/first_frame.mjs [runs=5] [web_dir] [query]
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs } from '../smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const runs = +(process.argv[2] || 5);
const webDir = path.resolve(process.argv[3] || process.env.AELAB_WEB_DIR || path.join(here, '../../../build/web/playground'));
const query = process.argv[4] || '';
const server = await serve(webDir);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.AELAB_CHROMIUM || '/usr/bin/chromium', args: launchArgs });
const firsts = [];
for (let i = 0; i < runs; ++i) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}index.html${query ? '?' + query : ''}`);
  await page.waitForFunction(() => window.aelab && window.aelab.firstFrameMs !== undefined, null, { timeout: 60000 });
  const a = await page.evaluate(() => ({ first: window.aelab.firstFrameMs, startup: window.aelab.startup || {} }));
  firsts.push(a.first);
  const marks = Object.entries(a.startup).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
  console.log(`run ${i + 1}: first frame ${Math.round(a.first)} ms${marks ? ` (${marks})` : ''}`);
  await context.close();
}
firsts.sort((x, y) => x - y);
console.log(`first frame over ${runs} runs: median ${Math.round(firsts[Math.floor(runs / 2)])} ms, ` +
            `range ${Math.round(firsts[0])}-${Math.round(firsts[runs - 1])} ms`);
await browser.close();
server.close();
