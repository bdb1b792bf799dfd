// first_frame.mjs: how long the playground takes to its first frame in headless Chromium,
// and where that time goes. A measurement tool, not a test (run.sh does not run it);
// README's quality-bar table quotes its output.
//
// Opens the default page N times per build (a fresh browser context each time, so nothing is
// cached; with several builds the runs take turns, so a busy machine slows each alike) and
// prints, per run, window.aelab.firstFrameMs (performance.now() at the first published frame,
// i.e. after navigation start) and the start-up marks (window.aelab.startup: webglChecked,
// wasmCompiled, wasmInstantiated, mainStart, glContext, appInit, firstFrame; older builds
// have none), then each build's median and range.
//
// Usage: node tests/e2e/tools/first_frame.mjs [runs=5] [web_dir ...]
//   e.g. node tests/e2e/tools/first_frame.mjs 5 /path/to/old/build/web/playground build/web/playground
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs } from '../smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const runs = +(process.argv[2] || 5);
const dirs = (process.argv.length > 3 ? process.argv.slice(3)
  : [process.env.AELAB_WEB_DIR || path.join(here, '../../../build/web/playground')]).map((d) => path.resolve(d));
const servers = await Promise.all(dirs.map((d) => serve(d)));
const browser = await chromium.launch({ executablePath: process.env.AELAB_CHROMIUM || '/usr/bin/chromium', args: launchArgs });
const firsts = dirs.map(() => []);
for (let i = 0; i < runs; ++i) {
  for (let d = 0; d < dirs.length; ++d) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${servers[d].address().port}/index.html`);
    await page.waitForFunction(() => window.aelab && window.aelab.firstFrameMs !== undefined, null, { timeout: 60000 });
    const a = await page.evaluate(() => ({ first: window.aelab.firstFrameMs, startup: window.aelab.startup || {} }));
    firsts[d].push(a.first);
    const marks = Object.entries(a.startup).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
    console.log(`${dirs[d]} run ${i + 1}: first frame ${Math.round(a.first)} ms${marks ? ` (${marks})` : ''}`);
    await context.close();
  }
}
for (let d = 0; d < dirs.length; ++d) {
  const f = [...firsts[d]].sort((x, y) => x - y);
  console.log(`${dirs[d]}: first frame over ${runs} runs: median ${Math.round(f[Math.floor(runs / 2)])} ms, ` +
              `range ${Math.round(f[0])}-${Math.round(f[runs - 1])} ms (${firsts[d].map(Math.round).join(', ')})`);
}
await browser.close();
for (const s of servers) s.close();
