// soak.mjs: the playground trains for a long time without leaking or slowing down.
//
// Drives the real page (build/web/playground) in Debian's headless Chromium for
// AELAB_SOAK_SECONDS (default 600; CI runs the full 600): training all the time, switching
// preset every 30 s (a cycle through all six, so both MNIST and Fashion-MNIST are loaded
// again and again) and, in every period, saving the model (the page's download) and loading
// those bytes back through the page's own upload path (the Load button's: the "load"
// command opens the chooser of <input type=file id="model-file">), then checking the step
// count survived. Hostile uploads go the
// same way, at the start and every fifth period: a malformed file, a file above the page's
// size cap (window.aelab.maxModelBytes, refused before it is read) and an upload while
// WASM memory is "exhausted" (_malloc made to return 0): each must be refused with a
// message while the current model keeps training.
//
// Every 30 s it samples WASM memory (wasmMemory.buffer.byteLength), the JS heap (CDP
// Runtime.getHeapUsage after HeapProfiler.collectGarbage, so the figure is live data) and
// the app's fps over the last seconds of the period, and prints the samples as a table.
// It fails when (the first three need three full preset cycles, >= 540 s)
//   * WASM memory still grows in the last full preset cycle (its maximum is above the
//     high-water mark of everything before it), or exceeds 128 MB. (WASM memory never
//     shrinks; it steps up when a switch between data sets, both briefly in memory, finds no
//     free block big enough, in the first 2-3 cycles; a leak grows in every cycle.)
//   * the JS heap at the end is more than 2x its size at that high-water sample;
//   * fps in the last 2 minutes falls below 70% of fps in the first 2 minutes, compared
//     preset by preset (each sample against the first sample of the same preset, since a
//     2-D preset draws faster than an MNIST one);
//   * any console error, page error or failed request, or a hostile upload is not refused.
// Results: artifacts/e2e/soak.json (samples and verdicts).
//
// Usage: AELAB_SOAK_SECONDS=600 node tests/e2e/soak.mjs [web_dir]   (tests/e2e/run.sh runs it)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs, aelab, waitFor } from './smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webDir = path.resolve(process.argv[2] || process.env.AELAB_WEB_DIR || path.join(root, 'build/web/playground'));
const artifacts = path.join(root, 'artifacts/e2e');
const chromiumPath = process.env.AELAB_CHROMIUM || '/usr/bin/chromium';
const totalSeconds = Number(process.env.AELAB_SOAK_SECONDS || 600);
const periodSeconds = 30;
const presets = ['linear-mnist', 'nonlinear-mnist', 'course-gauss2d', 'curved-band3d', 'swissroll',
                 'nonlinear-fashion'];
const log = (...a) => console.log('[soak]', ...a);
const failures = [];
const check = (cond, what) => { if (cond) log(`ok: ${what}`); else { failures.push(what); console.error(`[soak] FAIL: ${what}`); } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!(totalSeconds >= periodSeconds)) {
  console.error(`[soak] AELAB_SOAK_SECONDS must be at least ${periodSeconds} (got ${process.env.AELAB_SOAK_SECONDS})`);
  process.exit(2);
}


// Waits until the app has shown one more message than `before`; returns the newest one.
async function nextMessage(page, before, what) {
  await waitFor(page, (m) => window.aelab.messages > m, before, 15000, what);
  return (await aelab(page)).message;
}

// The Load button's path: the app's "load" command opens the file chooser of the page's
// <input type=file> (clearing its value first), and the chosen file goes to aelab.uploadModel.
async function upload(page, file) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.evaluate(() => window.aelab.command('load'))]);
  await chooser.setFiles(file);
}

// Saves the model through the page's download and loads the file back through the upload
// input. Returns {step, size}.
async function saveAndLoad(page, tmp, n) {
  await page.evaluate(() => window.aelab.command('pause'));
  await sleep(200);
  const m0 = (await aelab(page)).messages;
  const [download] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.aelab.command('save'))]);
  const file = path.join(tmp, `soak-model-${n}.aelab`);
  await download.saveAs(file);
  await download.delete();
  // window.aelab is published once per frame: wait for the frame that shows the save.
  await waitFor(page, (m) => window.aelab.messages > m, m0, 15000, 'the save message');
  const before = await aelab(page);
  const size = fs.statSync(file).size;
  await upload(page, file);
  const msg = await nextMessage(page, before.messages, 'the saved model to load');
  await waitFor(page, (s) => window.aelab.ready && window.aelab.step === s, before.step, 30000, 'the loaded model');
  check(/^loaded /.test(msg), `period save/load: ${size} bytes back at step ${before.step} ("${msg.slice(0, 70)}")`);
  await page.evaluate(() => window.aelab.command('play'));
  return { step: before.step, size };
}

// Malformed, oversized and out-of-memory uploads: refused with a message, model kept.
async function hostileUploads(page, tmp, tag) {
  await page.evaluate(() => window.aelab.command('pause'));
  await sleep(200);
  const a0 = await aelab(page);
  const bad = path.join(tmp, 'malformed.aelab');
  fs.writeFileSync(bad, Buffer.from('AELABCK1 this is not a model file'));
  await upload(page, bad);
  let msg = await nextMessage(page, a0.messages, 'the malformed upload to be refused');
  let a = await aelab(page);
  check(/could not load malformed\.aelab/.test(msg) && /current model kept/.test(msg) && a.arch === a0.arch &&
        a.step === a0.step, `${tag}: a malformed upload is refused, model kept ("${msg.slice(0, 80)}")`);
  // Oversized: a 64 MB + 1 byte File made in the page, through the input's own handler path.
  const n1 = a.messages;
  const cap = await page.evaluate(() => window.aelab.maxModelBytes);
  check(cap === 64 * 1024 * 1024, `${tag}: the page states its model file cap (${cap} bytes)`);
  await page.evaluate((c) => window.aelab.uploadModel(new File([new Uint8Array(c + 1)], 'huge.aelab')), cap);
  msg = await nextMessage(page, n1, 'the oversized upload to be refused');
  a = await aelab(page);
  check(/could not load huge\.aelab/.test(msg) && /64 MB/.test(msg) && a.arch === a0.arch && a.step === a0.step,
        `${tag}: an upload above the cap is refused, model kept ("${msg.slice(0, 80)}")`);
  // Out of memory: _malloc returning 0 (as with exhausted WASM memory) must not be written to.
  const n2 = a.messages;
  const [download] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.aelab.command('save'))]);
  const file = path.join(tmp, 'oom-model.aelab');
  await download.saveAs(file);
  await download.delete();
  const b64 = fs.readFileSync(file).toString('base64');  // (a JSON array of 2.5 MB bytes takes ~30 s)
  const delivered = await page.evaluate((b) => {
    const u8 = Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
    const malloc = Module._malloc;
    Module._malloc = () => 0;
    try { return window.aelab.deliverModel(u8, 'oom.aelab'); } finally { Module._malloc = malloc; }
  }, b64);
  msg = await nextMessage(page, n2 + 1, 'the out-of-memory refusal');  // +1: the save's own message
  a = await aelab(page);
  check(delivered === false && /out of memory/.test(msg) && a.arch === a0.arch && a.step === a0.step,
        `${tag}: an upload that finds no WASM memory is refused, model kept ("${msg.slice(0, 80)}")`);
  await page.evaluate(() => window.aelab.command('play'));
}

async function sample(page, cdp, t0, label) {
  // fps over the last 3 s of the period, from the app's frame counter.
  const fps = await page.evaluate(() => new Promise((resolve) => {
    const f0 = window.aelab.frames, t = performance.now();
    setTimeout(() => resolve((window.aelab.frames - f0) * 1000 / (performance.now() - t)), 3000);
  }));
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => (typeof wasmMemory !== 'undefined' ? wasmMemory.buffer.byteLength : HEAP8.length));
  const a = await aelab(page);
  return { t: Math.round((Date.now() - t0) / 1000), preset: label, wasm_mb: wasm / 1048576,
           js_heap_mb: heap.usedSize / 1048576, fps, step: a.step, test_mse: a.testLoss };
}

function printTable(samples) {
  const pad = (s, n) => String(s).padStart(n);
  console.log('[soak]     t  preset               wasm MB  JS heap MB    fps      step   test MSE');
  for (const s of samples)
    console.log(`[soak] ${pad(s.t, 5)}  ${s.preset.padEnd(19)} ${pad(s.wasm_mb.toFixed(1), 8)} ${pad(s.js_heap_mb.toFixed(1), 11)}` +
                ` ${pad(s.fps.toFixed(1), 6)} ${pad(s.step, 9)} ${pad(s.test_mse === null ? '-' : s.test_mse.toFixed(5), 10)}`);
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aelab-soak-'));
  const server = await serve(webDir);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
  const errors = [];
  const samples = [];
  let saves = 0;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    await page.goto(`${base}index.html?preset=${presets[0]}`, { waitUntil: 'load' });
    await waitFor(page, () => window.aelab && window.aelab.ready === true, null, 60000, 'the first model');
    log(`soak for ${totalSeconds} s: preset switch and save/load every ${periodSeconds} s`);
    await hostileUploads(page, tmp, 'start');
    const t0 = Date.now();
    const periods = Math.floor(totalSeconds / periodSeconds);
    for (let i = 0; i < periods; ++i) {
      const key = presets[i % presets.length];
      const end = t0 + (i + 1) * periodSeconds * 1000;
      if (i > 0) {
        await page.evaluate((k) => window.aelab.command('preset=' + k), key);
        await waitFor(page, (k) => window.aelab.preset === k && window.aelab.ready, key, 60000, `preset ${key}`);
      }
      await sleep(Math.max(0, Math.min(8000, end - Date.now() - 12000)));
      await saveAndLoad(page, tmp, i);
      ++saves;
      if (i % 5 === 4) await hostileUploads(page, tmp, `period ${i + 1}`);
      await sleep(Math.max(0, end - Date.now() - 4000));
      const s = await sample(page, cdp, t0, key);
      samples.push(s);
      log(`t=${s.t}s ${key}: wasm ${s.wasm_mb.toFixed(1)} MB, JS heap ${s.js_heap_mb.toFixed(1)} MB, ${s.fps.toFixed(1)} fps, step ${s.step}`);
      if (errors.length) break;
    }
    await context.close();
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  printTable(samples);
  check(errors.length === 0, `no console errors, page errors or failed requests ${errors.slice(0, 5).join('; ')}`);
  check(samples.length === Math.floor(totalSeconds / periodSeconds), `${samples.length} samples, ${saves} save/load round trips`);
  const verdict = { seconds: totalSeconds, samples };
  const cycle = presets.length * periodSeconds;
  const wasmCapMb = 128;  // the page's data sets and models need about 76 MB at the most
  if (samples.length >= 2 && totalSeconds < 3 * cycle) {
    log(`memory and fps checks skipped: they need three full preset cycles (AELAB_SOAK_SECONDS >= ${3 * cycle})`);
  } else if (samples.length >= 2) {
    // WASM memory never shrinks: it steps up to a high-water mark whenever a data-set switch
    // (e.g. Fashion-MNIST back to MNIST, both sets in memory for a moment) finds no free block
    // big enough, which happened in the 2nd or 3rd cycle in our runs (35.6 -> 51.3 -> 63.1
    // -> 75.7 MB). A leak grows in every cycle; so the last full cycle, which makes every
    // transition once more, must not raise the high-water mark, and memory stays under an
    // absolute cap.
    const last = samples[samples.length - 1];
    const before = samples.filter((s) => s.t <= last.t - cycle);
    const lastCycle = samples.filter((s) => s.t > last.t - cycle);
    const base = before.reduce((a, s) => (s.wasm_mb >= a.wasm_mb ? s : a), before[0]);
    const wasmMax = Math.max(...lastCycle.map((s) => s.wasm_mb));
    verdict.wasm_growth = wasmMax / base.wasm_mb - 1;
    verdict.wasm_max_mb = Math.max(wasmMax, base.wasm_mb);
    verdict.js_heap_ratio = last.js_heap_mb / base.js_heap_mb;
    log(`WASM memory: ${samples[0].wasm_mb.toFixed(1)} MB at t=${samples[0].t}s, ${Math.max(...samples.filter((s) => s.t <= cycle).map((s) => s.wasm_mb)).toFixed(1)} MB max in the first cycle`);
    check(verdict.wasm_growth <= 0,
          `WASM memory in the last cycle (t > ${last.t - cycle}s): max ${wasmMax.toFixed(1)} MB, high-water mark before it ${base.wasm_mb.toFixed(1)} MB (t=${base.t}s): ${verdict.wasm_growth > 0 ? 'still growing' : 'no growth'}`);
    check(verdict.wasm_max_mb <= wasmCapMb,
          `WASM memory at most ${verdict.wasm_max_mb.toFixed(1)} MB (limit ${wasmCapMb} MB)`);
    check(verdict.js_heap_ratio <= 2,
          `JS heap: ${base.js_heap_mb.toFixed(1)} MB at t=${base.t}s -> ${last.js_heap_mb.toFixed(1)} MB at the end (x${verdict.js_heap_ratio.toFixed(2)}, limit 2)`);
    // fps: samples of the last 2 minutes, each against the first sample of its preset.
    const first = new Map();
    for (const s of samples) if (!first.has(s.preset)) first.set(s.preset, s);
    const tail = samples.filter((s) => s.t > last.t - 120 && first.get(s.preset) !== s);
    if (tail.length) {
      const ratios = tail.map((s) => s.fps / first.get(s.preset).fps);
      verdict.fps_ratio = ratios.reduce((x, y) => x + y, 0) / ratios.length;
      const firstFps = tail.map((s) => first.get(s.preset).fps), lastFps = tail.map((s) => s.fps);
      const mean = (v) => v.reduce((x, y) => x + y, 0) / v.length;
      check(verdict.fps_ratio >= 0.7,
            `fps in the last 2 min vs the same presets' first samples: ${mean(lastFps).toFixed(1)} vs ${mean(firstFps).toFixed(1)} (ratio ${verdict.fps_ratio.toFixed(2)}, limit 0.70)`);
    }
  }
  fs.writeFileSync(path.join(artifacts, 'soak.json'), JSON.stringify(verdict, null, 2) + '\n');
  if (failures.length) {
    console.error(`[soak] ${failures.length} check(s) failed`);
    process.exit(1);
  }
  log('PASS soak');
}

main().catch((e) => { console.error('[soak] FAIL', e); process.exit(1); });
