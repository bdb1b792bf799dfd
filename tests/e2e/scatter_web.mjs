// scatter_web.mjs: the GL scatter renderer (web/app/scatter.cpp) and aelabFetchGz
// (web/data_loader.js) in Debian's headless Chromium (SwiftShader WebGL2).
//
// Serves build/web/ on a free localhost port, opens scatter_demo/index.html?n=N for each N
// (default 70000 and 6000), waits for 150 frames of moving points, reads the demo's own
// frame statistics (window.aelabScatter), hovers a point, saves
// artifacts/scatter/web_<N>.png; then fetches playground/data/*.idx.gz through
// aelabFetchGz and checks the IDX headers and sizes. Fails on any console error.
// Build first: cmake --build --preset web-release --target aelab_scatter_web_demo aelab_playground
// Usage: node tests/e2e/scatter_web.mjs [N ...]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs } from './smoke.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const webRoot = path.join(root, 'build/web');
const out = path.join(root, 'artifacts/scatter');
const mode = process.env.AELAB_SCATTER_MODE || 'points';   // points | quads
const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!counts.length) counts.push(70000, 6000);
const server = await serve(webRoot);
const base = `http://127.0.0.1:${server.address().port}`;
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: launchArgs });
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1120, height: 780 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  for (const n of counts) {
    await page.goto(`${base}/scatter_demo/index.html?n=${n}&mode=${mode}`);
    await page.waitForFunction(() => window.aelabScatter && window.aelabScatter.frames >= 150, null,
                               { timeout: 120000, polling: 250 });
    // hover the centre of cluster 0 (right of the origin): a point should be picked
    await page.mouse.move(560, 330);
    await page.waitForTimeout(300);
    const s = await page.evaluate(() => window.aelabScatter);
    await page.screenshot({ path: path.join(out, `web_${n}.png`) });
    console.log(`[scatter-web] ${mode} n=${s.n}: ${s.avgFrameMs.toFixed(2)} ms/frame (${(1000 / s.avgFrameMs).toFixed(1)} fps),` +
                ` wasm CPU ${s.cpuMs.toFixed(2)} ms/frame (ScatterWidget ${s.widgetMs.toFixed(2)} ms), hovered ${s.hovered}; artifacts/scatter/web_${n}.png`);
    // dense enough that the cursor is on a point
    if (n >= 20000 && s.hovered < 0) { console.log('[scatter-web] FAIL: hovering found no point'); failed = true; }
  }
  // aelabFetchGz on the page data
  await page.goto(`${base}/scatter_demo/index.html?n=10`);
  const files = await page.evaluate(async () => {
    const r = {};
    for (const set of ['mnist', 'fashion'])
      for (const split of ['train', 'test'])
        for (const kind of ['images', 'labels']) {
          const name = `${set}-${split}-${kind}.idx.gz`;
          try {
            const b = await aelabFetchGz(`/playground/data/${name}`);
            r[name] = { bytes: b.length, magic: Array.from(b.slice(0, 4)) };
          } catch (e) { r[name] = { error: String(e) }; }
        }
    try { await aelabFetchGz('/playground/data/nope.gz'); r.missing = 'no error'; } catch (e) { r.missing = String(e); }
    return r;
  });
  for (const [name, v] of Object.entries(files)) {
    console.log(`[scatter-web] aelabFetchGz ${name}: ${JSON.stringify(v)}`);
    if (name === 'missing') { if (!/HTTP 404/.test(v)) failed = true; continue; }
    const count = name.includes('train') ? 5000 : 1000;
    const want = name.includes('images') ? 16 + count * 784 : 8 + count;
    if (v.bytes !== want || v.magic[2] !== 8 || v.magic[3] !== (name.includes('images') ? 3 : 1)) failed = true;
  }
  const realErrors = errors.filter((e) => !e.includes('nope.gz') && !e.includes('404'));
  if (realErrors.length) { console.log('[scatter-web] console errors:\n' + realErrors.join('\n')); failed = true; }
} finally {
  await browser.close();
  server.close();
}
console.log(failed ? '[scatter-web] FAIL' : '[scatter-web] PASS');
process.exit(failed ? 1 : 0);
