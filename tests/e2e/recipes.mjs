// recipes.mjs: every recipe (assets/recipes/, the page's preset buttons) opens, trains and
// draws in headless Chromium, with a clean console.
//
// The list of recipes comes from `aelab recipes` (the CLI reads the same embedded assets as
// the page; AELAB_BIN or build/native/native/aelab). For each key, one fresh page opens
// ?preset=KEY at 1280x800, waits until the model is built and has trained (the recipe's own
// autoplay, or "play" when it has none) and its test loss fell below the first one the page
// showed, checks the page kept the preset, that the test loss is finite, and saves artifacts/e2e/recipe-KEY.png (not blank). The Géron recipe
// (course-geron3d) must bring its linear AE within 2% of PCA's MSE (the course's claim that a
// linear AE trained on squared error finds PCA's subspace).
//
// Usage: node tests/e2e/recipes.mjs [web_dir]     (tests/e2e/run.sh runs it)
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs, distinctColours, aelab, waitFor } from './smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webDir = path.resolve(process.argv[2] || process.env.AELAB_WEB_DIR || path.join(root, 'build/web/playground'));
const artifacts = path.join(root, 'artifacts/e2e');
const chromiumPath = process.env.AELAB_CHROMIUM || '/usr/bin/chromium';
const cli = process.env.AELAB_BIN || path.join(root, 'build/native/native/aelab');
const log = (...a) => console.log('[e2e]', ...a);

function recipeKeys() {
  const out = execFileSync(cli, ['recipes'], { encoding: 'utf8' });
  const keys = out.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((k) => k);
  if (keys.length < 6) throw new Error(`aelab recipes listed ${keys.length} recipes:\n${out}`);
  return keys;
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const keys = recipeKeys();
  log(`${keys.length} recipes: ${keys.join(' ')}`);
  const server = await serve(webDir);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
  const failures = [];
  try {
    for (const key of keys) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
      page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
      const t0 = Date.now();
      try {
        await page.goto(`${base}index.html?preset=${encodeURIComponent(key)}`, { waitUntil: 'load' });
        await waitFor(page, () => window.aelab && window.aelab.ready === true, null, 60000, `${key}: ready`);
        let a = await aelab(page);
        if (!a.playing) await page.evaluate(() => window.aelab.command('play'));
        await waitFor(page, () => window.aelab.testLoss !== null, null, 30000, `${key}: a first test loss`);
        const first = (await aelab(page)).testLoss;
        await waitFor(page, (l0) => window.aelab.step >= 50 && window.aelab.testLoss < l0, first, 90000,
                      `${key}: 50 training steps and a lower test loss than the first (${first})`);
        if (key === 'course-geron3d') {
          await waitFor(page, () => window.aelab.pcaLoss > 0 && window.aelab.testLoss <= 1.02 * window.aelab.pcaLoss,
                        null, 60000, `${key}: linear AE within 2% of PCA's MSE`);
        }
        a = await aelab(page);
        const file = path.join(artifacts, `recipe-${key}.png`);
        const colours = await distinctColours(page, await page.screenshot({ path: file }));
        const ratio = a.pcaLoss > 0 ? ` (AE / PCA ${(a.testLoss / a.pcaLoss).toFixed(4)})` : '';
        log(`${key}: ${a.dataset} ${a.arch}, step ${a.step}, test loss ${Number(a.testLoss).toPrecision(4)}${ratio}, ` +
            `${((Date.now() - t0) / 1000).toFixed(1)} s, ${path.relative(root, file)} ${colours} colours`);
        if (a.preset !== key) errors.push(`the page left the preset (${a.preset})`);
        if (!Number.isFinite(a.testLoss)) errors.push(`test loss is not finite (${a.testLoss})`);
        if (colours < 8) errors.push(`screenshot looks blank (${colours} colours)`);
      } catch (e) {
        errors.push(e.message);
      }
      for (const e of errors) failures.push(`${key}: ${e}`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length) {
    for (const f of failures) console.error('[e2e] FAIL', f);
    process.exit(1);
  }
  log(`PASS recipes (${keys.length})`);
}

main().catch((e) => { console.error('[e2e] FAIL', e); process.exit(1); });
