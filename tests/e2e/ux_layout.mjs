// ux_layout.mjs: messages in view, the responsive layout, lecture mode, share and per-panel PNG
// (issue 9 items 1, 2, 4, 9, 11; issue 8 item 4), in Debian's headless Chromium.
//
// Checks, each from the app's own report (window.aelab.ui: layout_json, web/app/layout.hpp)
// and, for the message, from the pixels of a screenshot:
//   1. ?lr=-3 gives an error message drawn inside the visible canvas at 1280x800, 800x600 and
//      in lecture mode (hide=controls): its rectangle is inside the viewport and the
//      screenshot has the error swatch colour at the swatch's centre;
//   2. a data set that fails to load (MNIST answered with HTTP 404) is an error in view, and
//      the page says which set it shows instead (a warning), not silently;
//   3. no truncated header / tab / toolbar label at 390x844 (DPR 2), 800x600 and 1280x800
//      (and the report is not vacuous: a 200 px wide window reports its cut toolbar);
//      390x844 shows one panel at a time behind tabs, the control column is a drawer;
//   4. ?panel=loss shows one panel; hiding every panel shows the notice and the controls;
//      ?arch=none&act=relu says why act has no effect;
//   5. lecture mode's "Show controls" button brings the column back;
//   6. the share URL round-trips: opening it gives the same state;
//   7. per-panel PNG: aelab.command("png=loss") and the scatter panel's PNG button give a
//      PNG of the panel's size (device pixels) that is not blank;
//   8. screenshots for the README: page-1280x800.png, page-800x600.png, page-390x844.png (DPR 2)
//      and page-embed-640x400.png (a 640x400 iframe on a host page), in artifacts/e2e/, or in
//      docs/img/ with AELAB_UPDATE_DOCS=1 (a test run never changes tracked files).
// Usage: node tests/e2e/ux_layout.mjs [web_dir]     (tests/e2e/run.sh runs it)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs, aelab } from './smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webDir = path.resolve(process.argv[2] || process.env.AELAB_WEB_DIR || path.join(root, 'build/web/playground'));
const artifacts = path.join(root, 'artifacts/e2e');
const docsImg = process.env.AELAB_UPDATE_DOCS === '1' ? path.join(root, 'docs/img') : artifacts;
const log = (...a) => console.log('[e2e]', ...a);
const failures = [];
const check = (cond, what) => { if (cond) log(`ok: ${what}`); else { failures.push(what); console.error(`[e2e] FAIL: ${what}`); } };

async function open(browser, base, query, { w = 1280, h = 800, dpr = 1, route } = {}) {
  const context = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: dpr, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  if (route) await page.route(route.pattern, route.handler);
  await page.goto(`${base}index.html${query ? '?' + query : ''}`, { waitUntil: 'load' });
  return { page, context, errors };
}

// Waits until fn(window.aelab) is true (polling in the page); returns window.aelab.
async function until(page, fn, what, timeout = 60000) {
  try {
    await page.waitForFunction(`(() => { const a = window.aelab; try { return !!a && (${fn})(a); } catch (e) { return false; } })()`,
                               null, { timeout, polling: 100 });
  } catch (e) {
    const a = await aelab(page).catch(() => ({}));
    throw new Error(`timed out waiting for ${what}; ui = ${JSON.stringify(a.ui)} message = ${a.message}`);
  }
  return aelab(page);
}

const ready = (page, extra = 'true') => until(page, `(a) => a.ready === true && a.ui && (${extra})`, 'the app to be ready');

// A few frames more (the layout of the last frame is what the report says).
const frames = (page, n = 10) => until(page, `(a) => a.frames >= ${n} + (window.__f0 ??= a.frames)`, `${n} frames`)
  .finally(() => page.evaluate(() => { delete window.__f0; }));

// The colour of the screenshot pixel at CSS (x, y), decoded by the page itself.
async function pixelAt(page, png, x, y, dpr) {
  return page.evaluate(async ({ b64, x, y }) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data;
    return [d[0], d[1], d[2]];
  }, { b64: png.toString('base64'), x: x * dpr, y: y * dpr });
}

const hex = (rgb) => rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
const near = (a, b, tol = 6) => a.every((v, i) => Math.abs(v - b[i]) <= tol);
const inside = (r, w, h) => r && r[0] >= 0 && r[1] >= 0 && r[0] + r[2] <= w + 0.5 && r[1] + r[3] <= h + 0.5 && r[2] > 0 && r[3] > 0;

async function messageInView(browser, base, query, w, h, label) {
  const { page, context } = await open(browser, base, query, { w, h });
  try {
    const a = await until(page, `(a) => a.ui && a.ui.message && a.ui.message.severity === 'error' && a.frames > 5`,
                          `an error message (${label})`);
    const m = a.ui.message;
    check(/lr/.test(m.text), `${label}: the message is about lr ("${m.text.slice(0, 70)}")`);
    check(inside(m.rect, w, h), `${label}: message rect [${m.rect.map(Math.round)}] inside the ${w}x${h} viewport`);
    check(m.rect[2] >= Math.min(300, w - 20), `${label}: the message box is wide enough to read (${Math.round(m.rect[2])} px)`);
    const png = await page.screenshot({ path: path.join(artifacts, `ux-message-${label}.png`) });
    const s = m.swatch;
    const px = await pixelAt(page, png, s[0] + s[2] / 2, s[1] + s[3] / 2, 1);
    const want = [1, 3, 5].map((i) => parseInt(m.rgb.slice(i, i + 2), 16));
    check(near(px, want), `${label}: the screenshot shows the error colour #${hex(want)} in the swatch (got #${hex(px)})`);
  } finally {
    await context.close();
  }
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  fs.mkdirSync(docsImg, { recursive: true });
  const server = await serve(webDir);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: launchArgs });
  try {
    // ---- 1. a message from ?lr=-3 in view at every size and in lecture mode -----------------------------
    await messageInView(browser, base, 'lr=-3', 1280, 800, '1280x800');
    await messageInView(browser, base, 'lr=-3', 800, 600, '800x600');
    await messageInView(browser, base, 'lr=-3&hide=controls', 1280, 800, 'lecture');

    // ---- 2. MNIST fails to load: an error in view, and a warning naming what is shown instead ---------
    {
      const route = { pattern: '**/data/mnist-*', handler: (r) => r.fulfill({ status: 404, body: 'gone' }) };
      const { page, context } = await open(browser, base, '', { route });
      const a = await until(page, `(a) => a.ready && a.ui && a.ui.message`, 'the fallback after a failed load');
      check(a.dataset !== 'mnist', `MNIST failed: the page shows another set (${a.dataset})`);
      check(a.ui.message.severity === 'warning' && /not available: showing/.test(a.ui.message.text),
            `the page says so in view: "${a.ui.message.text}"`);
      check(inside(a.ui.message.rect, 1280, 800), 'that message is inside the viewport');
      check(a.messages >= 2, `the load error is in the history too (${a.messages} messages)`);
      await context.close();
    }

    // ---- 3. no truncated labels; the small-screen layout; screenshots for the README -------------------
    for (const [w, h, dpr, q] of [[390, 844, 2, ''], [800, 600, 1, ''], [1280, 800, 1, ''], [800, 600, 1, 'preset=course-gauss2d'],
                                  [390, 844, 1, 'preset=curved-band3d']]) {
      const label = `${w}x${h}${q ? ' ' + q : ''}`;
      const { page, context } = await open(browser, base, q, { w, h, dpr });
      await ready(page);
      await frames(page, 20);
      const a = await aelab(page);
      check(a.ui.truncated.length === 0, `${label}: no truncated label (${JSON.stringify(a.ui.truncated)})`);
      for (const p of a.ui.panels) check(inside(p.rect, w, h), `${label}: panel ${p.name} inside the window`);
      if (w < 720) {
        check(a.ui.narrow && !a.ui.docked, `${label}: the control column is a drawer`);
        if (!q) check(a.ui.mode === 'tabs' && a.ui.panels.length === 1 && a.ui.tabs.length === 5,
                      `${label}: one panel at a time behind ${a.ui.tabs.length} tabs`);
        else check(a.ui.panels.every((p) => p.rect[2] >= 250 && p.rect[3] >= 170), `${label}: stacked panels, none tiny`);
      } else {
        const want = w >= 1280 ? 'grid' : 'tabs';
        check(a.ui.docked && a.ui.mode === want, `${label}: docked column, ${want} (${a.ui.mode})`);
      }
      if (!q) await page.screenshot({ path: path.join(docsImg, `page-${w}x${h}.png`) });
      if (w === 390 && !q) {  // the drawer opens over the panels from the toolbar's Controls button
        const tb = a.ui.toolbar;
        await page.mouse.move(30, tb[1] + tb[3] / 2);
        await page.mouse.down(); await page.waitForTimeout(80); await page.mouse.up();
        const b = await until(page, `(a) => a.ui.drawer === true`, 'the drawer to open');
        check(b.ui.drawer && b.ui.panels.length === 1, 'Controls opens the drawer over the panel');
        await frames(page, 5);
        check((await aelab(page)).ui.truncated.length === 0, '390x844 with the drawer open: no truncated label');
        await page.screenshot({ path: path.join(artifacts, 'ux-390x844-drawer.png') });
      }
      await context.close();
    }
    {  // the report is not vacuous: a window too narrow for the toolbar says so
      const { page, context } = await open(browser, base, 'preset=curved-band3d', { w: 200, h: 400 });
      await ready(page);
      await frames(page, 10);
      const a = await aelab(page);
      check(a.ui.truncated.includes('toolbar'), `a 200 px window reports its cut toolbar (${JSON.stringify(a.ui.truncated)})`);
      await context.close();
    }

    // ---- 4. one panel, every panel hidden, act= without a hidden layer ----------------------------------
    {
      const { page, context } = await open(browser, base, 'preset=curved-band3d&panel=loss');
      const a = await ready(page);
      check(a.ui.mode === 'solo' && a.ui.panels.length === 1 && a.ui.panels[0].name === 'loss',
            `?panel=loss shows the loss panel alone (${a.ui.mode}, ${a.ui.panels.map((p) => p.name)})`);
      check(a.ui.panels[0].rect[2] === a.ui.area[2] && a.ui.panels[0].rect[3] === a.ui.area[3], 'it fills the panel area');
      check(/panel=loss/.test(a.query), `panel=loss stays in the URL (${a.query})`);
      await context.close();
    }
    {
      const { page, context } = await open(browser, base, 'preset=curved-band3d&hide=controls,loss,scatter,recon,decoder,pca,data,gauss');
      await ready(page);
      await frames(page, 5);
      const b = await aelab(page);
      check(b.ui.panels.length === 0 && (b.ui.docked || b.ui.drawer), 'every panel hidden: no panel, and the controls are shown');
      await page.screenshot({ path: path.join(artifacts, 'ux-all-hidden.png') });
      await context.close();
    }
    {
      const { page, context } = await open(browser, base, 'preset=curved-band3d&arch=none&act=relu');
      const a = await until(page, `(a) => a.ready && /no hidden layer/.test(a.message)`, 'the act= message');
      check(/no effect/.test(a.message), `act=relu without a hidden layer says why: "${a.message}"`);
      await context.close();
    }

    // ---- 5. lecture mode: Show controls brings the column back --------------------------------------------
    {
      const { page, context } = await open(browser, base, 'preset=curved-band3d&hide=controls');
      const a = await ready(page);
      check(!a.ui.docked && a.ui.toolbar[2] > 0, 'hide=controls: no column, a toolbar');
      const tb = a.ui.toolbar;
      await page.mouse.move(40, tb[1] + tb[3] / 2);
      await page.mouse.down(); await page.waitForTimeout(80); await page.mouse.up();
      const b = await until(page, `(a) => a.ui.docked === true`, 'the column to come back');
      check(b.ui.docked && !/hide=/.test(b.query), `"Show controls" brings the column back (query ${b.query})`);
      await context.close();
    }

    // ---- 6. the share URL round-trips ------------------------------------------------------------------
    {
      const q = 'preset=curved-band3d&k=1&lr=0.005&layout=tabs';
      const { page, context } = await open(browser, base, q);
      const a = await ready(page);
      check(a.shareUrl === `${base}index.html?${a.query}`, `shareUrl is the full address (${a.shareUrl})`);
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page2 = await ctx.newPage();
      await page2.goto(a.shareUrl, { waitUntil: 'load' });
      const b = await ready(page2);
      check(b.query === a.query && b.arch === a.arch && b.dataset === a.dataset && b.ui.mode === a.ui.mode,
            `opening it gives the same state (${b.query} / ${b.arch} / ${b.ui.mode})`);
      await ctx.close();
      await context.close();
    }

    // ---- 7. per-panel PNG ---------------------------------------------------------------------------
    for (const dpr of [1, 2]) {
      const { page, context } = await open(browser, base, 'preset=curved-band3d', { dpr });
      const a = await ready(page);
      await frames(page, 10);
      const r = await page.evaluate(() => window.aelab.command('png=loss'));
      check(r === '', `command png=loss accepted (${JSON.stringify(r)})`);
      await until(page, `(a) => a.lastPng && /loss/.test(a.lastPng.name)`, 'the loss PNG', 10000);
      const loss = a.ui.panels.find((p) => p.name === 'loss').rect;
      const info = await page.evaluate(async () => {
        const bmp = await createImageBitmap(window.aelab.lastPng.blob);
        const c = document.createElement('canvas');
        c.width = bmp.width; c.height = bmp.height;
        const ctx = c.getContext('2d');
        ctx.drawImage(bmp, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length && seen.size < 500; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return { w: bmp.width, h: bmp.height, colours: seen.size, name: window.aelab.lastPng.name };
      });
      check(info.w === Math.round(loss[2] * dpr) && info.h === Math.round(loss[3] * dpr),
            `DPR ${dpr}: ${info.name} is ${info.w}x${info.h}, the panel's ${loss[2]}x${loss[3]} CSS px`);
      check(info.colours > 20, `DPR ${dpr}: the panel PNG is not blank (${info.colours} colours)`);
      const bad = await page.evaluate(() => window.aelab.command('png=nope'));
      check(/unknown panel/.test(bad), `png=nope is refused (${bad})`);
      // The scatter panel's own PNG button (top right of its header).
      const sc = a.ui.panels.find((p) => p.name === 'scatter').rect;
      await page.mouse.move(sc[0] + sc[2] - 22, sc[1] + 11);
      await page.mouse.down(); await page.waitForTimeout(80); await page.mouse.up();
      const b = await until(page, `(a) => a.lastPng && /scatter/.test(a.lastPng.name)`, 'the scatter PNG', 10000);
      check(/scatter/.test(b.lastPng.name), `DPR ${dpr}: the scatter panel's PNG button saves ${b.lastPng.name}`);
      await context.close();
    }

    // ---- 8. the 640x400 embed on a host page ----------------------------------------------------------
    {
      const context = await browser.newContext({ viewport: { width: 760, height: 560 } });
      const page = await context.newPage();
      await page.goto(`${base}index.html?preset=curved-band3d&autoplay=1`, { waitUntil: 'load' });  // same origin
      await page.setContent(`<!doctype html><html><body style="font:15px sans-serif;background:#f4f4f0;margin:20px">
        <h2 style="margin:0 0 8px">Course page: autoencoders vs PCA</h2>
        <iframe id="ae" src="${base}index.html?preset=nonlinear-mnist" width="640" height="400" style="border:1px solid #999"></iframe>
        <p>Text below the embed.</p></body></html>`);
      const frame = await (await page.$('#ae')).contentFrame();
      await frame.waitForFunction(() => window.aelab && window.aelab.ready && window.aelab.ui && window.aelab.frames > 30, null, { timeout: 60000 });
      const a = await frame.evaluate(() => JSON.parse(JSON.stringify(window.aelab)));
      check(a.ui.truncated.length === 0, `640x400 embed: no truncated label (${JSON.stringify(a.ui.truncated)})`);
      check(a.ui.mode === 'tabs' && a.ui.panels[0].rect[2] === 640, `640x400 embed: one full-width panel behind tabs (${a.ui.mode})`);
      await page.screenshot({ path: path.join(docsImg, 'page-embed-640x400.png') });
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length) {
    console.error(`[e2e] ux_layout: ${failures.length} failure(s)`);
    process.exit(1);
  }
  log('PASS ux_layout');
}

main().catch((e) => { console.error('[e2e] FAIL', e); process.exit(1); });
