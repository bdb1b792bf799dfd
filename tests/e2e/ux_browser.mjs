// ux_browser.mjs: the page as a browser shell (issue 9 items 3, 5, 6, 10, 13), in Debian's
// headless Chromium, reading the page's own state (window.aelab):
//   1. title and keys: the tab title contains "autoencoder" once the app runs (SDL used to
//      set it to "aelab"); Space toggles window.aelab.playing; '?' shows and hides the keys
//      overlay (aelab.keysShown); the canvas has a role and a label; the off-screen live
//      region's text changes when training is paused and names the step;
//   2. loading: the MNIST request reports its bytes (aelab.dataLoaded === aelab.dataTotal,
//      the four files' sizes) and the startup marks are in order; on a throttled line
//      (400 kB/s) the bytes are known while they download (screenshot: the bar);
//   3. quick click: a mousedown and a mouseup dispatched in one JavaScript task on the
//      decoder panel's "Interpolate" tab switch the tab (the panel's pixels change), which
//      ImGui 1.86 alone misses;
//   4. model history: train, save, reload the page, load the file: the loss curve has as
//      many points (aelab.lossPoints) as when it was saved;
//   5. wheel in an iframe: on a tall host page with the playground (hide=controls) in a
//      640x400 iframe, the wheel over the toolbar scrolls the host page, the wheel over the
//      latent scatter zooms the scatter (pixels change) and the host does not scroll;
//   6. no WebGL: Chromium with --disable-webgl --disable-3d-apis shows the HTML message
//      (what is wrong, what to do) and never loads the wasm's glue.
// Screenshots: artifacts/e2e/ux-*.png.
// Usage: node tests/e2e/ux_browser.mjs [web_dir]     (tests/e2e/run.sh runs every *.mjs)
//        AELAB_UX_TESTS=3,5 node tests/e2e/ux_browser.mjs   runs only those parts
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs, aelab, waitFor } from './smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webDir = path.resolve(process.argv[2] || process.env.AELAB_WEB_DIR || path.join(root, 'build/web/playground'));
const artifacts = path.join(root, 'artifacts/e2e');
const chromiumPath = process.env.AELAB_CHROMIUM || '/usr/bin/chromium';
const log = (...a) => console.log('[e2e]', ...a);
const failures = [];
const check = (cond, what) => { if (cond) log(`ok: ${what}`); else { failures.push(what); console.error(`[e2e] FAIL: ${what}`); } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const only = (process.env.AELAB_UX_TESTS || '').split(',').filter(Boolean).map(Number);
const want = (n) => only.length === 0 || only.includes(n);

// The host page of test 5: a course page taller than the window with the playground in an iframe.
const hostPage = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>course page</title></head>
<body style="margin:0;font:16px sans-serif">
<p style="height:60px;margin:0">A course page. The playground is embedded below.</p>
<iframe id="pg" src="index.html?preset=linear-mnist&hide=controls" width="640" height="400"
        style="display:block;border:0;margin-left:20px"></iframe>
<div style="height:3000px">More course text.</div></body></html>`;

// Bytes of a screenshot of a clip of the page (to compare pictures).
const clipShot = (page, clip, name) => page.screenshot({ clip, path: name ? path.join(artifacts, name) : undefined });

async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: opts.w || 1280, height: opts.h || 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return { context, page, errors };
}

const waitReady = (page, what = 'the app to be ready') =>
  waitFor(page, () => window.aelab && window.aelab.ready === true && window.aelab.frames > 2, null, 60000, what);

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const server = await serve(webDir);
  const base = `http://127.0.0.1:${server.address().port}/`;
  // Test 5's server: the host page plus the playground's files.
  const files = await serve(webDir);
  const hostServer = http.createServer((req, res) => {
    if (req.url === '/host.html') { res.writeHead(200, { 'Content-Type': 'text/html' }).end(hostPage); return; }
    const up = http.request({ host: '127.0.0.1', port: files.address().port, path: req.url, method: req.method }, (r) => {
      res.writeHead(r.statusCode, r.headers); r.pipe(res);
    });
    up.end();
  });
  await new Promise((r) => hostServer.listen(0, '127.0.0.1', r));
  const hostBase = `http://127.0.0.1:${hostServer.address().port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
  try {
    // ---- 1. title, keys, accessibility ----------------------------------------------------------
    if (want(1)) {
      const { context, page, errors } = await newPage(browser);
      await page.goto(`${base}index.html`);
      await waitReady(page);
      const title = await page.title();
      check(/autoencoder/i.test(title), `the tab title stays descriptive ("${title}")`);
      const canvas = await page.evaluate(() => {
        const c = document.getElementById('canvas');
        return { role: c.getAttribute('role'), label: c.getAttribute('aria-label') || '' };
      });
      check(canvas.role === 'application' && canvas.label.length > 40, `the canvas has a role and a label (${canvas.role})`);
      // Startup marks in order, and the data's bytes reported (test 2).
      const a0 = await aelab(page);
      const m = a0.startup || {};
      const order = ['wasmCompiled', 'wasmInstantiated', 'mainStart', 'glContext', 'appInit', 'firstFrame'];
      check(order.every((k, i) => typeof m[k] === 'number' && (i === 0 || m[k] >= m[order[i - 1]])),
            `start-up marks in order (${order.map((k) => `${k} ${Math.round(m[k])}`).join(', ')})`);
      check(a0.dataTotal > 800000 && a0.dataLoaded === a0.dataTotal,
            `loading MNIST reported its bytes (${a0.dataLoaded} of ${a0.dataTotal})`);
      await page.mouse.move(700, 300);  // the pointer over the panels (not a text field)
      await page.waitForFunction(() => window.aelab.playing === true && window.aelab.step > 0, null, { timeout: 20000 });
      await waitFor(page, () => /^Training, step \d+/.test(document.getElementById('live').textContent), null, 10000,
                    'the live region to report training');
      const live0 = await page.evaluate(() => document.getElementById('live').textContent);
      await page.keyboard.press('Space');
      await waitFor(page, () => window.aelab.playing === false, null, 5000, 'Space to pause');
      check(true, 'Space pauses training (aelab.playing false)');
      await waitFor(page, (t) => document.getElementById('live').textContent !== t, live0, 5000, 'the live region to change after Space');
      const live1 = await page.evaluate(() => document.getElementById('live').textContent);
      check(/^Paused, step [1-9]\d*, test loss [0-9.]+/.test(live1), `the live region says the new state ("${live1.slice(0, 80)}...")`);
      await page.keyboard.press('Space');
      await waitFor(page, () => window.aelab.playing === true, null, 5000, 'Space to play again');
      check(true, 'Space plays again (aelab.playing true)');
      await page.keyboard.press('?');
      await waitFor(page, () => window.aelab.keysShown === true, null, 5000, "'?' to show the keys");
      await page.screenshot({ path: path.join(artifacts, 'ux-keys.png') });
      check(true, "'?' shows the keys overlay (artifacts/e2e/ux-keys.png)");
      await page.keyboard.press('?');
      await waitFor(page, () => window.aelab.keysShown === false, null, 5000, "'?' to hide the keys");
      check(true, "'?' again hides it");
      await page.keyboard.press('2');
      await waitFor(page, () => window.aelab.preset === 'nonlinear-mnist', null, 10000, "'2' to load the second preset");
      check(true, "'2' loads the second preset (nonlinear-mnist)");
      check(errors.length === 0, `no console errors (${errors.join('; ')})`);
      await context.close();
    }

    // ---- 2. loading on a slow line: bytes and a bar while MNIST downloads --------------------------
    if (want(2)) {
      const { context, page, errors } = await newPage(browser);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 50, downloadThroughput: 400000, uploadThroughput: 100000 });
      await page.goto(`${base}index.html`);
      await waitFor(page, () => window.aelab && window.aelab.dataTotal > 0 && window.aelab.dataLoaded < window.aelab.dataTotal,
                    null, 60000, 'the data download in progress');
      const a = await aelab(page);
      await page.screenshot({ path: path.join(artifacts, 'ux-loading.png') });
      check(a.dataLoaded < a.dataTotal && a.dataTotal > 800000 && a.ready === false && a.playing === true,
            `while MNIST downloads the page knows its bytes (${a.dataLoaded} of ${a.dataTotal}; bar and disabled Play in ux-loading.png)`);
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await waitReady(page);
      check(errors.length === 0, `no console errors (${errors.join('; ')})`);
      await context.close();
    }

    // ---- 3. a quick click (press and release in one task) on a tab ------------------------------------
    if (want(3)) {
      const { context, page, errors } = await newPage(browser);
      await page.goto(`${base}index.html?preset=linear-mnist&autoplay=0`);
      await waitReady(page);
      await sleep(1500);  // pictures drawn
      // 1280x800, MNIST: control column 320 px; the second row's middle panel (640-960,
      // 400-800) is the decoder with tabs Manifold | Interpolate | Draw under its title.
      const panel = { x: 640, y: 400, width: 320, height: 400 };
      const tab = { x: 640 + 126, y: 400 + 19 + 12 };  // "Interpolate"
      const before = await clipShot(page, panel, 'ux-tab-before.png');
      await page.mouse.move(tab.x, tab.y + 200);  // elsewhere: the tap comes with its own move
      await sleep(300);
      await page.evaluate(({ x, y }) => {
        const c = document.getElementById('canvas');
        const o = { clientX: x, clientY: y, button: 0, buttons: 1, bubbles: true, cancelable: true, view: window };
        c.dispatchEvent(new MouseEvent('mousemove', { ...o, buttons: 0 }));
        c.dispatchEvent(new MouseEvent('mousedown', o));
        c.dispatchEvent(new MouseEvent('mouseup', { ...o, buttons: 0 }));
      }, tab);
      await sleep(800);
      await page.mouse.move(tab.x, tab.y + 300);  // no hover highlight in the picture
      await sleep(500);
      const after = await clipShot(page, panel, 'ux-tab-after.png');
      check(!before.equals(after), 'a press and release in one task on the "Interpolate" tab switch the tab (ux-tab-before/after.png)');
      check(errors.length === 0, `no console errors (${errors.join('; ')})`);
      await context.close();
    }

    // ---- 4. a loaded model keeps its loss curve --------------------------------------------------------
    if (want(4)) {
      const { context, page, errors } = await newPage(browser);
      await page.goto(`${base}index.html?preset=linear-mnist`);
      await waitReady(page);
      await waitFor(page, () => window.aelab.lossPoints >= 8, null, 30000, 'a loss curve of 8 points');
      await page.evaluate(() => window.aelab.command('pause'));
      await sleep(300);
      const [download] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.aelab.command('save'))]);
      await sleep(300);
      const saved = await aelab(page);
      const file = path.join(artifacts, 'ux-history-model.aelab');
      await download.saveAs(file);
      await page.reload();
      await waitReady(page);
      const msgs = (await aelab(page)).messages;
      await page.setInputFiles('#model-file', file);
      await waitFor(page, (n) => window.aelab.messages > n && /loaded/.test(window.aelab.message), msgs, 20000, 'the model to load');
      await sleep(300);
      const loaded = await aelab(page);
      check(loaded.lossPoints === saved.lossPoints && loaded.step === saved.step,
            `the loaded model shows its whole loss curve (${loaded.lossPoints} points at step ${loaded.step}; saved ${saved.lossPoints} at step ${saved.step})`);
      await page.screenshot({ path: path.join(artifacts, 'ux-loaded-history.png') });
      check(errors.length === 0, `no console errors (${errors.join('; ')})`);
      await context.close();
    }

    // ---- 5. the wheel in an embedded page -------------------------------------------------------------
    if (want(5)) {
      const { context, page, errors } = await newPage(browser, { w: 1000, h: 700 });
      await page.goto(`${hostBase}host.html`);
      const frame = await (await page.$('#pg')).contentFrame();
      await waitFor(frame, () => window.aelab && window.aelab.ready === true && window.aelab.testLoss !== null, null, 60000, 'the embedded app');
      await frame.evaluate(() => window.aelab.command('pause'));
      await sleep(1500);
      const box = await (await page.$('#pg')).boundingBox();
      // Over the toolbar (top strip of the iframe): the host page scrolls.
      await page.mouse.move(box.x + 300, box.y + 12);
      await sleep(300);
      const y0 = await page.evaluate(() => window.scrollY);
      await page.mouse.wheel(0, 240);
      await sleep(800);
      const y1 = await page.evaluate(() => window.scrollY);
      check(y1 > y0, `the wheel over the embedded toolbar scrolls the host page (scrollY ${y0} -> ${y1})`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await sleep(500);
      // Over the AE's latent scatter (left half of the first row's two-unit panel): it zooms.
      const box2 = await (await page.$('#pg')).boundingBox();
      // (The plot starts below the projection combo's row, ~135 px down in a 640x400 embed.)
      const at = { x: box2.x + 110, y: box2.y + 210 };
      const clip = { x: box2.x, y: box2.y + 40, width: 420, height: 260 };
      await page.mouse.move(at.x, at.y);
      await sleep(500);
      const wants = await frame.evaluate(() => window.aelab.wantsWheel);
      const before = await clipShot(page, clip, 'ux-wheel-before.png');
      const s0 = await page.evaluate(() => window.scrollY);
      await page.mouse.wheel(0, -240);
      await sleep(1000);
      const s1 = await page.evaluate(() => window.scrollY);
      const after = await clipShot(page, clip, 'ux-wheel-after.png');
      check(wants === true, 'the app wants the wheel over the scatter (aelab.wantsWheel)');
      check(!before.equals(after), 'the wheel over the latent scatter zooms it (ux-wheel-before/after.png)');
      check(s1 === s0, `and the host page does not scroll (scrollY ${s0} -> ${s1})`);
      check(errors.length === 0, `no console errors (${errors.join('; ')})`);
      await context.close();
    }
  } finally {
    await browser.close();
  }

  // ---- 6. no WebGL: the HTML message ---------------------------------------------------------------------
  if (want(6)) {
    const noGl = await chromium.launch({ executablePath: chromiumPath, args: [...launchArgs, '--disable-webgl', '--disable-3d-apis'] });
    try {
      const page = await noGl.newPage({ viewport: { width: 1280, height: 800 } });
      const requested = [];
      page.on('request', (r) => requested.push(r.url()));
      await page.goto(`${base}index.html`);
      await sleep(1500);
      const r = await page.evaluate(() => {
        const el = document.getElementById('nowebgl');
        return { shown: getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 100,
                 text: el.innerText, canvasShown: getComputedStyle(document.getElementById('canvas')).display !== 'none' };
      });
      await page.screenshot({ path: path.join(artifacts, 'ux-nowebgl.png') });
      check(r.shown && !r.canvasShown, 'without WebGL the page shows the HTML message instead of the canvas (ux-nowebgl.png)');
      check(/WebGL 2/.test(r.text) && /hardware acceleration/.test(r.text) && /desktop/i.test(r.text),
            'the message says what is wrong and what to do (hardware acceleration, another browser, the desktop build)');
      check(!requested.some((u) => u.endsWith('aelab_playground.js')), 'and the app is never started (no aelab_playground.js request)');
    } finally {
      await noGl.close();
    }
  }
  server.close(); files.close(); hostServer.close();
  if (failures.length) {
    console.error(`[e2e] ux_browser: ${failures.length} failure(s)`);
    process.exit(1);
  }
  log('PASS ux_browser');
}

main().catch((e) => { console.error('[e2e] FAIL', e); process.exit(1); });
