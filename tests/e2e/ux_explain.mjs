// ux_explain.mjs: browser end-to-end tests of the playground's explanations and safe controls
// (issue 9, items 7, 8 and 12), reading the page's own report (window.aelab):
//   1. every explained control reports where it is drawn (window.aelab.controls, keyed by
//      its help key in assets/help/) and no help lookup missed (helpMissing = 0);
//   2. hovering a control shows its tooltip: window.aelab.tooltip is that control's key
//      (learning rate, latent size, steps/frame, a panel caption), and "" over empty space;
//   3. the learning-rate slider is logarithmic: dragging it through 25 %, 50 % and 75 % of
//      its width gives learning rates with equal ratios (not equal differences) and values
//      within 15 % of LogScale{1e-5, 10} at the grab's position (web/app/safety.hpp);
//   4. after more than 1,000 training steps, "+ hidden layer" asks first (confirmRebuild);
//      "Keep model" keeps the step count and the architecture; asking again and "Rebuild"
//      builds the new shape from step 0;
//   5. dragging the learning rate to 10 makes training diverge: the warning shows
//      (warning = "diverged") and "Undo to last good" clears it and brings the test loss
//      (recorded at once for the restored weights) back to within 2x of what it was;
//   6. screenshots of each preset family (images, Fashion-MNIST, 3-D, the 2-D Gaussian) for
//      the README: docs/img/page-explain-*.png (with AELAB_UPDATE_DOCS=1), else artifacts/e2e/.
// Usage: node tests/e2e/ux_explain.mjs [web_dir]     (tests/e2e/run.sh runs every *.mjs)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs, aelab, waitFor } from './smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webDir = path.resolve(process.argv[2] || process.env.AELAB_WEB_DIR || path.join(root, 'build/web/playground'));
const artifacts = path.join(root, 'artifacts/e2e');
const docsImg = process.env.AELAB_UPDATE_DOCS === '1' ? path.join(root, 'docs/img') : artifacts;
const chromiumPath = process.env.AELAB_CHROMIUM || '/usr/bin/chromium';
const log = (...a) => console.log('[e2e]', ...a);
const failures = [];
const check = (cond, what) => { if (cond) log(`ok: ${what}`); else { failures.push(what); console.error(`[e2e] FAIL: ${what}`); } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const GAUSS = 'dataset=gauss2d&arch=none&k=1&code=linear&out=linear&loss=mse&opt=adam&lr=0.03&batch=32&seed=1';
const centre = (r) => [(r[0] + r[2]) / 2, (r[1] + r[3]) / 2];
const lrOf = (a) => { const m = /(?:^|&)lr=([^&]+)/.exec(a.query || ''); return m ? Number(m[1]) : NaN; };

// The rectangle of the control with help key `key` (waits until it is drawn).
async function rectOf(page, key) {
  await waitFor(page, (k) => window.aelab && window.aelab.controls && window.aelab.controls[k], key, 20000,
                `control ${key} drawn`);
  return (await aelab(page)).controls[key];
}

async function hover(page, key) {
  const [x, y] = centre(await rectOf(page, key));
  await page.mouse.move(x, y);
  try {
    await page.waitForFunction((k) => window.aelab.tooltip === k, key, { timeout: 15000 });
    return true;
  } catch { return false; }
}

async function click(page, key) {
  const [x, y] = centre(await rectOf(page, key));
  await page.mouse.move(x, y);
  await sleep(150);
  await page.mouse.down();
  await sleep(250);          // a press and its release in different frames
  await page.mouse.up();
  await sleep(150);
}

const server = await serve(webDir);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
fs.mkdirSync(artifacts, { recursive: true });
fs.mkdirSync(docsImg, { recursive: true });
try {
  // A tall window: the whole control column is in view (nothing to scroll to).
  const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } }); // the control column (with the contractive slider) fits without a scrollbar
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}index.html?${GAUSS}&speed=4`, { waitUntil: 'load' });
  await waitFor(page, () => window.aelab && window.aelab.ready === true && window.aelab.step > 0, null, 90000, 'ready');

  // ---- 1. controls report their place; no help text missing ----------------------------------
  let a = await aelab(page);
  const keys = Object.keys(a.controls || {});
  check(keys.length >= 25, `${keys.length} explained controls report their rectangle (>= 25)`);
  for (const k of ['opt.lr', 'opt.batch', 'opt.optimizer', 'model.latent', 'model.loss', 'model.tied', 'model.seed',
                   'model.code_act', 'model.out_act', 'reg.noise', 'reg.sparsity', 'reg.weight_decay', 'train.speed',
                   'train.budget', 'panel.loss', 'panel.data', 'panel.gauss'])
    check(keys.includes(k), `control "${k}" is explained and drawn`);
  check(a.helpMissing === 0, `no help lookup missed (helpMissing = ${a.helpMissing})`);

  // ---- 2. hovering shows the control's tooltip -----------------------------------------------
  for (const k of ['opt.lr', 'model.latent', 'train.speed', 'panel.loss'])
    check(await hover(page, k), `hovering "${k}" shows its tooltip (window.aelab.tooltip = "${k}")`);
  await page.screenshot({ path: path.join(artifacts, 'ux-explain-tooltip.png') });
  await page.mouse.move(1275, 1395);
  await sleep(500);
  a = await aelab(page);
  check(a.tooltip === '', `no tooltip over empty space (tooltip = "${a.tooltip}")`);

  // ---- 3. the learning-rate slider is logarithmic --------------------------------------------
  {
    const r = await rectOf(page, 'opt.lr.frame');  // the slider without its label
    const y = (r[1] + r[3]) / 2;
    const xAt = (f) => r[0] + f * (r[2] - r[0]);
    // ImGui's slider: the grab's centre runs from x0 + 2 + g/2 to x1 - 2 - g/2 (grab g = 5 px).
    const tOf = (x) => (x - (r[0] + 2 + 2.5)) / (r[2] - r[0] - 4 - 5);
    const expected = (x) => 1e-5 * Math.pow(1e6, Math.min(1, Math.max(0, tOf(x))));
    const lrs = [];
    await page.mouse.move(xAt(0.25), y);
    await sleep(300);
    await page.mouse.down();
    for (const f of [0.25, 0.5, 0.75]) {
      await page.mouse.move(xAt(f), y, { steps: 4 });
      // Wait for the value to settle (a few frames on a loaded machine).
      let v = NaN, prev = -1;
      for (let i = 0; i < 20 && v !== prev; ++i) { prev = v; await sleep(300); v = lrOf(await aelab(page)); }
      lrs.push(v);
    }
    await page.mouse.up();
    log(`lr at 25 / 50 / 75 % of the slider: ${lrs.join(', ')}`);
    const r1 = Math.log10(lrs[1] / lrs[0]), r2 = Math.log10(lrs[2] / lrs[1]);
    check(lrs.every((v) => v > 0) && Math.abs(r1 - r2) < 0.1 * Math.max(r1, r2),
          `equal drags multiply the lr by equal factors (x${(10 ** r1).toFixed(1)}, x${(10 ** r2).toFixed(1)})`);
    check(r1 > 1, `a quarter of the slider is more than a decade (${r1.toFixed(2)} decades)`);
    [0.25, 0.5, 0.75].forEach((f, i) => {
      const e = expected(xAt(f));
      check(Math.abs(lrs[i] / e - 1) < 0.15, `lr at ${f * 100} % = ${lrs[i]} matches LogScale{1e-5, 10} (${e.toPrecision(3)})`);
    });
  }

  // ---- 4. a shape change after training asks first ---------------------------------------------
  await page.evaluate((q) => window.aelab.command(`query=${q}&speed=1000`), GAUSS);
  await waitFor(page, () => window.aelab.ready && window.aelab.step > 1100, null, 120000, 'more than 1,100 steps');
  await click(page, 'model.add');
  await waitFor(page, () => window.aelab.confirmRebuild === true, null, 20000, 'the rebuild question');
  a = await aelab(page);
  const stepAsked = a.step, archBefore = a.arch;
  check(a.confirmRebuild && a.step > 1000, `"+ hidden layer" at step ${a.step} asks before rebuilding`);
  await page.screenshot({ path: path.join(artifacts, 'ux-explain-confirm.png') });
  await click(page, 'confirm.keep');
  await waitFor(page, () => window.aelab.confirmRebuild === false, null, 20000, 'the question closed');
  await sleep(500);
  a = await aelab(page);
  check(a.step >= stepAsked && a.arch === archBefore,
        `"Keep model" keeps the model: step ${a.step} >= ${stepAsked}, arch ${a.arch} = ${archBefore}`);
  await click(page, 'model.add');
  await waitFor(page, () => window.aelab.confirmRebuild === true, null, 20000, 'the rebuild question again');
  await click(page, 'confirm.rebuild');
  await waitFor(page, (b) => window.aelab.arch && window.aelab.arch !== b, archBefore, 20000, 'the new shape');
  a = await aelab(page);
  check(a.step < stepAsked && a.arch !== archBefore, `"Rebuild" builds ${a.arch} from step 0 (now step ${a.step})`);

  // ---- 4b. on a narrow page the question is answerable over the drawer ---------------------------
  // (390 px wide: the controls are a drawer over the panels; the modal sits where the drawer
  // is, and the drawer, status line and toast must not be raised above it.)
  {
    const narrow = await browser.newContext({ viewport: { width: 390, height: 1600 } });
    const np = await narrow.newPage();
    await np.goto(`${base}index.html?${GAUSS}&speed=1000`, { waitUntil: 'load' });
    await waitFor(np, () => window.aelab && window.aelab.ready && window.aelab.step > 1100, null, 120000,
                  'narrow page: more than 1,100 steps');
    const tb = (await aelab(np)).ui.toolbar;
    await np.mouse.move(30, tb[1] + tb[3] / 2);
    await np.mouse.down(); await sleep(150); await np.mouse.up();
    await waitFor(np, () => window.aelab.ui && window.aelab.ui.drawer === true, null, 20000, 'the drawer open');
    await click(np, 'model.add');
    await waitFor(np, () => window.aelab.confirmRebuild === true, null, 20000, 'narrow page: the rebuild question');
    await sleep(500);  // a few frames: a buried modal would now be under the drawer
    await np.screenshot({ path: path.join(artifacts, 'ux-explain-confirm-390.png') });
    await click(np, 'confirm.keep');
    let answered = true;
    try {
      await waitFor(np, () => window.aelab.confirmRebuild === false, null, 10000, 'narrow page: the question answered');
    } catch (e) { answered = false; }
    check(answered, '390 px wide with the drawer open: "Keep model" answers the question (the modal stays on top)');
    await narrow.close();
  }

  // ---- 5. a learning rate of 10 diverges; undo brings the good weights back --------------------
  await page.evaluate((q) => window.aelab.command(`query=${q}&speed=200`), GAUSS);
  await waitFor(page, () => window.aelab.ready && window.aelab.step > 600 && window.aelab.arch === '2-1-2', null, 120000,
                '600 steps');
  a = await aelab(page);
  const goodLoss = a.testLoss;
  for (let attempt = 0; attempt < 3 && lrOf(await aelab(page)) < 10; ++attempt) {
    const r = await rectOf(page, 'opt.lr.frame');
    await page.mouse.move(r[2] - 6, (r[1] + r[3]) / 2);
    await sleep(400);
    await page.mouse.down();
    await sleep(300);
    await page.mouse.move(r[2] + 40, (r[1] + r[3]) / 2, { steps: 3 });  // past the end: 10
    await sleep(500);
    await page.mouse.up();
    await sleep(300);
  }
  log(`lr now ${lrOf(await aelab(page))}`);
  await waitFor(page, () => window.aelab.warning === 'diverged', null, 60000, 'the divergence warning');
  check(true, `lr 10 after ${a.step} steps: the page warns "diverged" (test loss was ${goodLoss.toPrecision(3)})`);
  await page.screenshot({ path: path.join(artifacts, 'ux-explain-diverged.png') });
  await click(page, 'guard.undo');
  await waitFor(page, () => window.aelab.warning === '', null, 20000, 'the warning cleared');
  await sleep(500);
  a = await aelab(page);
  check(Number.isFinite(a.testLoss) && a.testLoss < 2 * goodLoss,
        `"Undo to last good": warning cleared, test loss ${a.testLoss.toPrecision(3)} < 2 x ${goodLoss.toPrecision(3)}`);
  check(/weights back to step/.test(a.message), `the undo says what it did ("${a.message}")`);
  check(errors.length === 0, `no page errors (${errors.join('; ')})`);
  await context.close();

  // ---- 6. one screenshot per preset family (1280x800) ------------------------------------------
  for (const [name, preset, secs] of [['images', 'nonlinear-mnist', 12], ['fashion', 'nonlinear-fashion', 12],
                                      ['3d', 'curved-band3d', 8], ['gauss', 'course-gauss2d', 8]]) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    await p.goto(`${base}index.html?preset=${preset}`, { waitUntil: 'load' });
    await waitFor(p, () => window.aelab && window.aelab.ready === true, null, 90000, `${preset} ready`);
    await sleep(secs * 1000);
    const file = path.join(docsImg, `page-explain-${name}.png`);
    await p.screenshot({ path: file });
    const st = await aelab(p);
    check(st.helpMissing === 0 && st.preset === preset, `${preset}: drawn, every help text found (${file})`);
    await ctx.close();
  }
} catch (e) {
  failures.push(String(e && e.stack || e));
  console.error('[e2e] ERROR', e);
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.error(`[e2e] ux_explain: ${failures.length} failure(s)`);
  process.exit(1);
}
log('ux_explain: all checks passed');
