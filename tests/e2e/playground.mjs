// playground.mjs: browser end-to-end tests of the playground's behaviour.
//
// Drives the real page (build/web/playground) in Debian's headless Chromium through
// playwright-core and checks, reading the page's own stats (window.aelab):
//   1. the default page loads without console errors, draws (screenshot not blank) and
//      training makes the test loss fall; MEASURED and printed (not timed assertions):
//      first frame after navigation, data ready time, fps while training, steps/s, and the
//      bytes transferred for the default preset (all responses' body sizes); the page fetched
//      its wasm gzip-compressed (aelab_playground.wasm.gz, not the plain .wasm); without
//      DecompressionStream (deleted by an init script) it falls back to the plain .wasm and
//      still draws a frame;
//   2. URL parameters take effect (and the page rewrites its URL); hostile values give
//      messages, not crashes;
//   3. a preset loads by command (and by postMessage);
//   4. save / load round-trips the model (download, then upload through <input type=file>);
//      a corrupt file is refused with a message and the current model kept;
//   5. lecture mode (hide=controls) and the 2-D / 3-D course presets render.
// Screenshots: artifacts/e2e/*.png. Measurements: artifacts/e2e/measurements.json.
//
// Usage: node tests/e2e/playground.mjs [web_dir]     (tests/e2e/run.sh runs every *.mjs)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs, distinctColours as distinctColoursCapped, aelab, waitFor } from './smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webDir = path.resolve(process.argv[2] || process.env.AELAB_WEB_DIR || path.join(root, 'build/web/playground'));
const artifacts = path.join(root, 'artifacts/e2e');
const chromiumPath = process.env.AELAB_CHROMIUM || '/usr/bin/chromium';
const log = (...a) => console.log('[e2e]', ...a);
const failures = [];
const check = (cond, what) => { if (cond) log(`ok: ${what}`); else { failures.push(what); console.error(`[e2e] FAIL: ${what}`); } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const distinctColours = (page, png) => distinctColoursCapped(page, png, 5000);

// A page with error collection, byte counting and the requested URLs (st.urls).
// opts.initScript: a function run in the page before its own scripts.
async function open(browser, base, query, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true,
                                             deviceScaleFactor: opts.dpr || 1 });
  if (opts.initScript) await context.addInitScript(opts.initScript);
  const page = await context.newPage();
  const st = { errors: [], bytes: 0, responses: 0, urls: [] };
  page.on('request', (r) => st.urls.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') st.errors.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => st.errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => st.errors.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) st.errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  // Bytes on the wire: body + headers of every finished request (Playwright's sizes()).
  page.on('requestfinished', async (req) => {
    try { const z = await req.sizes(); st.bytes += z.responseBodySize + z.responseHeadersSize; st.responses++; } catch { /* closed */ }
  });
  const t0 = Date.now();
  await page.goto(`${base}index.html${query ? '?' + query : ''}`, { waitUntil: 'load' });
  st.page = page; st.context = context; st.t0 = t0;
  return st;
}


async function waitReady(page, timeout = 60000) {
  await page.waitForFunction(() => window.aelab && window.aelab.ready === true, null, { timeout });
}

async function shot(page, name) {
  const file = path.join(artifacts, name);
  const png = await page.screenshot({ path: file });
  const colours = await distinctColours(page, png);
  log(`screenshot ${path.relative(root, file)}: ${colours} distinct colours`);
  return colours;
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const server = await serve(webDir);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
  const measured = {};
  try {
    // ---- 1. default page: load, draw, train, measure ------------------------------------------------
    {
      const st = await open(browser, base, '');
      const { page } = st;
      await page.waitForFunction(() => window.aelab && window.aelab.firstFrameMs !== undefined, null, { timeout: 30000 });
      await waitReady(page);
      let a = await aelab(page);
      measured.first_frame_ms = Math.round(a.firstFrameMs);
      measured.ready_ms = Math.round(a.readyMs);
      measured.data_load_ms = Math.round(a.dataLoadMs || 0);
      log(`first frame ${measured.first_frame_ms} ms after navigation start; data + model ready at ${measured.ready_ms} ms`);
      check(a.preset === 'linear-mnist' && a.dataset === 'mnist', `default preset is linear-mnist (got ${a.preset}/${a.dataset})`);
      check(a.playing === true, 'the default preset autoplays');
      const loss0 = await page.evaluate(() => new Promise((resolve) => {
        const t = () => (window.aelab.testLoss !== null ? resolve(window.aelab.testLoss) : requestAnimationFrame(t)); t(); }));
      // fps while training, measured over 5 s of requestAnimationFrame callbacks.
      const perf = await page.evaluate(() => new Promise((resolve) => {
        let n = 0; const t0 = performance.now(); const f0 = window.aelab.frames; const s0 = window.aelab.step;
        const tick = () => {
          n++;
          const dt = performance.now() - t0;
          if (dt >= 5000) resolve({ raf_fps: n * 1000 / dt, app_fps: (window.aelab.frames - f0) * 1000 / dt,
                                    steps_per_sec: (window.aelab.step - s0) * 1000 / dt, frame_ms: window.aelab.frameTimeMs,
                                    train_ms: window.aelab.trainMs });
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }));
      measured.fps_training = Math.round(perf.app_fps * 10) / 10;
      measured.steps_per_sec = Math.round(perf.steps_per_sec);
      measured.frame_ms = Math.round(perf.frame_ms * 10) / 10;
      log(`while training (linear-mnist): ${measured.fps_training} fps, ${measured.steps_per_sec} steps/s, frame ${measured.frame_ms} ms`);
      await sleep(3000);
      a = await aelab(page);
      log(`test MSE ${loss0.toFixed(5)} -> ${a.testLoss.toFixed(5)} after ${a.step} steps (PCA bound ${a.pcaLoss.toFixed(5)}, max angle ${a.maxAngleDeg?.toFixed(2)} deg)`);
      check(a.testLoss < loss0 * 0.9, 'training makes the test loss fall');
      check(a.testLoss < a.pcaLoss * 1.5, 'the linear AE approaches the PCA bound');
      measured.default_bytes = st.bytes;
      log(`bytes transferred for the default preset: ${st.bytes} (${(st.bytes / 1048576).toFixed(2)} MiB, ${st.responses} responses)`);
      check(st.bytes <= 3 * 1024 * 1024, 'default preset transfers at most 3 MB');
      const wasmUrls = st.urls.filter((u) => /\/aelab_playground\.wasm(\.gz)?$/.test(u)).map((u) => u.slice(base.length));
      const wasmSource = await page.evaluate(() => window.aelab.wasmSource);
      check(wasmUrls.join(',') === 'aelab_playground.wasm.gz' && wasmSource === 'aelab_playground.wasm.gz',
            `the page fetched its wasm gzip-compressed, not the plain .wasm (requests: ${wasmUrls.join(', ')}; aelab.wasmSource ${wasmSource})`);
      check((await shot(page, 'default.png')) > 50, 'default page screenshot is not blank');
      const url = await page.evaluate(() => window.location.search);
      check(url === '?preset=linear-mnist', `the page mirrors its state into the URL (${url})`);
      check(st.errors.length === 0, `no console errors on the default page ${st.errors.join('; ')}`);
      // ---- 3. presets by command and postMessage ------------------------------------------------------
      await page.evaluate(() => window.aelab.command('preset=nonlinear-mnist'));
      await page.waitForFunction(() => window.aelab.preset === 'nonlinear-mnist' && window.aelab.ready, null, { timeout: 30000 });
      a = await aelab(page);
      check(a.arch === '784-128-32-2-32-128-784', `preset nonlinear-mnist builds its model (${a.arch})`);
      const l1 = await page.evaluate(() => new Promise((resolve) => {
        const t = () => (window.aelab.testLoss !== null ? resolve(window.aelab.testLoss) : requestAnimationFrame(t)); t(); }));
      const perf2 = await page.evaluate(() => new Promise((resolve) => {
        const t0 = performance.now(); const f0 = window.aelab.frames; const s0 = window.aelab.step;
        setTimeout(() => { const dt = performance.now() - t0;
          resolve({ fps: (window.aelab.frames - f0) * 1000 / dt, sps: (window.aelab.step - s0) * 1000 / dt }); }, 8000);
      }));
      a = await aelab(page);
      measured.fps_training_nonlinear = Math.round(perf2.fps * 10) / 10;
      measured.steps_per_sec_nonlinear = Math.round(perf2.sps);
      log(`nonlinear-mnist: ${measured.fps_training_nonlinear} fps, ${measured.steps_per_sec_nonlinear} steps/s; test MSE ${l1.toFixed(4)} -> ${a.testLoss.toFixed(4)} at step ${a.step} (PCA ${a.pcaLoss.toFixed(4)})`);
      check(a.testLoss < l1, 'nonlinear preset trains');
      await shot(page, 'nonlinear.png');
      await page.evaluate(() => window.postMessage({ aelab: 'preset=course-gauss2d' }, '*'));
      await page.waitForFunction(() => window.aelab.preset === 'course-gauss2d' && window.aelab.ready, null, { timeout: 10000 });
      check(true, 'postMessage({aelab: "preset=course-gauss2d"}) switches the preset');
      await sleep(2500);
      await shot(page, 'course-gauss2d.png');
      check(st.errors.length === 0, `no console errors after preset switches ${st.errors.join('; ')}`);
      // ---- 4. save / load round trip -----------------------------------------------------------------
      await page.evaluate(() => window.aelab.command('preset=curved-band3d'));
      await page.waitForFunction(() => window.aelab.preset === 'curved-band3d' && window.aelab.ready && window.aelab.step > 200, null, { timeout: 20000 });
      await page.evaluate(() => window.aelab.command('pause'));
      await sleep(300);
      const [download] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.aelab.command('save'))]);
      await sleep(300);
      const before = await aelab(page);  // saving records the test loss of exactly the saved weights
      const saved = path.join(artifacts, 'saved-model.aelab');
      await download.saveAs(saved);
      const size = fs.statSync(saved).size;
      log(`saved ${download.suggestedFilename()} (${size} bytes) at step ${before.step}, test MSE ${before.testLoss}`);
      await page.evaluate(() => window.aelab.command('reset'));
      await waitFor(page, () => window.aelab.ready && window.aelab.step === 0, null, 10000, 'reset');
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.evaluate(() => window.aelab.command('load'))]);
      await chooser.setFiles(saved);
      await waitFor(page, (s) => window.aelab.ready && window.aelab.step === s, before.step, 10000, 'the loaded model');
      const after = await aelab(page);
      check(after.step === before.step && Math.abs(after.testLoss - before.testLoss) < 1e-6 * Math.max(1, before.testLoss),
            `save/load round-trips (step ${after.step}, test MSE ${after.testLoss} vs ${before.testLoss})`);
      // Corrupt file: refused with a message, model kept.
      const bad = Buffer.from(fs.readFileSync(saved)); bad[Math.floor(bad.length / 2)] ^= 0x5a;
      const badFile = path.join(artifacts, 'corrupt-model.aelab'); fs.writeFileSync(badFile, bad);
      const msgs0 = after.messages;
      await page.setInputFiles('#model-file', badFile);
      await page.waitForFunction((m) => window.aelab.messages > m, msgs0, { timeout: 10000 });
      const after2 = await aelab(page);
      check(/could not load/.test(after2.message) && after2.step === before.step,
            `a corrupt model file is refused with a message and the model kept ("${after2.message.slice(0, 90)}...")`);
      check(st.errors.length === 0, `no console errors during save/load ${st.errors.join('; ')}`);
      await st.context.close();
    }
    // ---- 1b. no DecompressionStream: the plain .wasm, and the page still draws ----------------------
    {
      const st = await open(browser, base, '', { initScript: () => { delete window.DecompressionStream; } });
      await waitFor(st.page, () => window.aelab && window.aelab.frames > 0 && window.aelab.startup.firstFrame !== undefined,
                    null, 30000, 'the first frame without DecompressionStream');
      const wasmUrls = st.urls.filter((u) => /\/aelab_playground\.wasm(\.gz)?$/.test(u)).map((u) => u.slice(base.length));
      const r = await st.page.evaluate(() => ({ ds: typeof window.DecompressionStream, source: window.aelab.wasmSource,
                                                compiled: window.aelab.startup.wasmCompiled }));
      check(r.ds === 'undefined' && wasmUrls.join(',') === 'aelab_playground.wasm' && r.source === 'aelab_playground.wasm' &&
            typeof r.compiled === 'number',
            `without DecompressionStream the page loads the plain .wasm and draws a frame (requests: ${wasmUrls.join(', ')})`);
      check(st.errors.length === 0, `no console errors on the fallback path ${st.errors.join('; ')}`);
      await st.context.close();
    }
    // ---- 2. URL parameters ------------------------------------------------------------------------------
    {
      // The old key course-curved3d (renamed curved-band3d) keeps working, as course pages link to it.
      const st = await open(browser, base, 'preset=course-curved3d&lr=0.005&batch=16&seed=3&k=1&autoplay=0');
      await waitReady(st.page);
      const a = await aelab(st.page);
      check(a.dataset === 'curved3d' && a.arch === '3-1-3' && a.playing === false && a.preset === 'curved-band3d',
            `URL parameters take effect (dataset ${a.dataset}, arch ${a.arch}, playing ${a.playing}, preset ${a.preset})`);
      check(/lr=0.005/.test(a.query) && /batch=16/.test(a.query) && /seed=3/.test(a.query), `state query ${a.query}`);
      const search = await st.page.evaluate(() => window.location.search);
      check(search === '?' + a.query, `page URL follows the state (${search})`);
      await st.page.evaluate(() => window.aelab.command('step'));
      await st.page.waitForFunction(() => window.aelab.step === 1, null, { timeout: 5000 });
      check(true, 'single step while paused');
      check(st.errors.length === 0, `no console errors with URL parameters ${st.errors.join('; ')}`);
      await st.context.close();
    }
    {
      const st = await open(browser, base, 'lr=abc&dataset=imagenet&k=-3&arch=1-2-3-4-5-6&act=%00%ff&batch=1e99&hide=everything&zzz=1');
      await waitReady(st.page);
      const a = await aelab(st.page);
      check(a.messages >= 5 && a.preset === 'linear-mnist', `hostile URL values give messages (${a.messages}) and defaults`);
      await sleep(500);
      await shot(st.page, 'hostile-url.png');
      check(st.errors.length === 0, `no console errors with hostile URL values ${st.errors.join('; ')}`);
      await st.context.close();
    }
    // ---- 5. lecture mode and HiDPI ---------------------------------------------------------------------------
    {
      const st = await open(browser, base, 'preset=course-curved3d&hide=controls', { dpr: 2 });
      await waitReady(st.page);
      await sleep(3000);
      const dims = await st.page.evaluate(() => ({ w: document.getElementById('canvas').width, h: document.getElementById('canvas').height }));
      check(dims.w === 2560 && dims.h === 1600, `HiDPI canvas is CSS size x devicePixelRatio (${dims.w}x${dims.h})`);
      await shot(st.page, 'lecture-curved3d-hidpi.png');
      await st.page.setViewportSize({ width: 900, height: 600 });
      await sleep(800);
      const d2 = await st.page.evaluate(() => ({ w: document.getElementById('canvas').width, h: document.getElementById('canvas').height }));
      check(d2.w === 1800 && d2.h === 1200, `canvas follows a resize (${d2.w}x${d2.h})`);
      check(st.errors.length === 0, `no console errors in lecture mode ${st.errors.join('; ')}`);
      await st.context.close();
    }
    {
      const st = await open(browser, base, 'preset=swissroll');
      await waitReady(st.page);
      await sleep(4000);
      await shot(st.page, 'swissroll.png');
      await st.context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  fs.writeFileSync(path.join(artifacts, 'measurements.json'), JSON.stringify(measured, null, 2) + '\n');
  log('measurements', JSON.stringify(measured));
  if (failures.length) {
    console.error(`[e2e] ${failures.length} check(s) failed`);
    process.exit(1);
  }
  log('PASS playground');
}

main().catch((e) => { console.error('[e2e] FAIL', e); process.exit(1); });
