// frame_intervals.mjs: the distribution of the page's frame intervals while a model trains, in
// headless Chromium. A measurement tool, not a test (run.sh does not run it); README's frame
// pacer section quotes it (web/app/frame_pacer.hpp).
//
// Opens ?QUERY, waits until the model trains and has a test loss, then records every
// requestAnimationFrame interval for 5 s and prints: fps, steps/s, a histogram of the intervals
// in 60 Hz vsyncs (16.7 ms each: 1 = 60 fps, 2 = 30 fps, 3 = 20 fps, ...), the share of frames
// within two vsyncs, and the page's profile (ending in the pacer's "pace" and "interval").
//
// Usage: node tests/e2e/tools/frame_intervals.mjs [web_dir] [query]
//   e.g. node tests/e2e/tools/frame_intervals.mjs build/web/playground \
//          'dataset=mnist&model=vae&arch=500-500&k=2&act=elu&loss=bce&lr=0.001&batch=100'
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs, waitFor } from '../smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(process.argv[2] || path.join(here, '../../../build/web/playground'));
const query = process.argv[3] || 'dataset=mnist&model=vae&arch=500-500&k=2&act=elu&loss=bce&lr=0.001&batch=100';
const server = await serve(dir);
const browser = await chromium.launch({ executablePath: process.env.AELAB_CHROMIUM || '/usr/bin/chromium', args: launchArgs });
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/index.html?${query}`, { waitUntil: 'load' });
  await waitFor(page, () => window.aelab && window.aelab.ready && window.aelab.step > 0 && window.aelab.testLoss !== null,
    null, 120000, 'training with a test loss');
  const r = await page.evaluate(() => new Promise((resolve) => {
    const iv = []; const t0 = performance.now(); let last = t0;
    const f0 = window.aelab.frames, s0 = window.aelab.step;
    const tick = (t) => {
      iv.push(t - last); last = t;
      if (t - t0 < 5000) requestAnimationFrame(tick);
      else resolve({ iv, fps: (window.aelab.frames - f0) * 1000 / (t - t0), sps: (window.aelab.step - s0) * 1000 / (t - t0),
                     profile: window.aelab.profile });
    };
    requestAnimationFrame(tick);
  }));
  const vsync = 1000 / 60;
  const hist = {};
  for (const x of r.iv) { const k = Math.max(1, Math.round(x / vsync)); hist[k] = (hist[k] || 0) + 1; }
  const within2 = r.iv.filter((x) => x <= 2.5 * vsync).length / r.iv.length;
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`${r.fps.toFixed(1)} fps, ${r.sps.toFixed(1)} steps/s, load ${load}`);
  console.log(`frames by vsyncs (16.7 ms each): ${Object.entries(hist).map(([k, n]) => `${k}: ${n}`).join(', ')}; ` +
    `within two vsyncs: ${(100 * within2).toFixed(0)}%`);
  console.log(`profile: ${r.profile}`);
} finally {
  await browser.close();
  server.close();
}
