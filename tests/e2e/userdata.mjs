// userdata.mjs: "Your data" in the real page: CSV uploads, hostile files, codes CSV and PNG exports.
//
// Drives build/web/playground in Debian's headless Chromium (playwright-core) and checks,
// reading the page's own stats (window.aelab):
//   1. scikit-learn's breast-cancer CSV (569 x 30 + a 0/1 label; its first line is a count
//      line "569,30,malignant,benign", so the test sends the page's own option
//      aelab.command("data-options=skip=1&label=last&scaling=standard") first, as a user
//      would set "skip lines" = 1) is uploaded through the page's <input id=data-file>: the
//      data set becomes "user", the model is rebuilt for 30 inputs, it trains (step > 50,
//      finite test loss) and the URL does not name the file;
//   2. scikit-learn's wine CSV (178 x 13, 3 classes) the same way (model rebuilt for 13);
//   3. hostile files (ragged rows, a NaN cell, binary bytes, 20 MB) each give a visible
//      message naming the problem, and the wine model is kept (same arch, still training);
//   4. "codes as CSV" downloads index,label,z1..zk for every test sample (36 for wine);
//   5. "frame as PNG" downloads a PNG of the page (kept as artifacts/e2e/userdata-frame.png).
// The console stays clean (no console error, page error or failed request).
// Usage: node tests/e2e/userdata.mjs [web_dir]     (tests/e2e/run.sh runs every *.mjs)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs, aelab, waitFor } from './smoke.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webDir = path.resolve(process.argv[2] || process.env.AELAB_WEB_DIR || path.join(root, 'build/web/playground'));
const chromiumPath = process.env.AELAB_CHROMIUM || '/usr/bin/chromium';
const sk = process.env.AELAB_SKLEARN_DATA || '/usr/lib/python3/dist-packages/sklearn/datasets/data';
const log = (...a) => console.log('[e2e]', ...a);
const failures = [];
const check = (cond, what) => { if (cond) log(`ok: ${what}`); else { failures.push(what); console.error(`[e2e] FAIL: ${what}`); } };

// Uploads `file` through the page's data input; resolves when the app said something about it.
async function upload(page, file) {
  const before = (await aelab(page)).messages || 0;
  await page.setInputFiles('#data-file', file);
  await waitFor(page, (n) => window.aelab && window.aelab.messages > n, before, 30000, `a message about ${path.basename(file)}`);
  return aelab(page);
}

async function trainsOn(page, arch0, what) {
  await waitFor(page, (a) => window.aelab.ready && window.aelab.dataset === 'user' && window.aelab.arch.startsWith(a),
                arch0, 30000, `${what}: model rebuilt for ${arch0}`);
  await waitFor(page, () => window.aelab.step > 50 && Number.isFinite(window.aelab.testLoss), null, 60000,
                `${what}: step > 50`);
  return aelab(page);
}

async function main() {
  for (const f of ['breast_cancer.csv', 'wine_data.csv'])
    if (!fs.existsSync(path.join(sk, f))) throw new Error(`${sk}/${f} missing (python3-sklearn)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aelab-userdata-'));
  const server = await serve(webDir);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(`${base}index.html?preset=curved-band3d`, { waitUntil: 'load' });
    await waitFor(page, () => window.aelab && window.aelab.ready === true, null, 60000, 'the page ready');

    // 1. breast cancer
    const opt = await page.evaluate(() => window.aelab.command('data-options=skip=1&label=last&scaling=standard'));
    check(opt === '', `data-options accepted (${JSON.stringify(opt)})`);
    let t0 = Date.now();
    let a = await upload(page, path.join(sk, 'breast_cancer.csv'));
    check(a.message.includes('569 rows, 30 features, 2 classes'), `breast cancer summary: "${a.message}"`);
    a = await trainsOn(page, '30-', 'breast cancer');
    log(`breast cancer: arch ${a.arch}, step ${a.step}, test MSE ${a.testLoss} after ${Date.now() - t0} ms`);
    check(a.step > 50 && Number.isFinite(a.testLoss), 'breast cancer trains (step > 50, finite loss)');
    check(!a.query.includes('user') && !page.url().includes('user'), `the URL does not name the file (${a.query})`);

    // 2. wine
    t0 = Date.now();
    a = await upload(page, path.join(sk, 'wine_data.csv'));
    check(a.message.includes('178 rows, 13 features, 3 classes; 142 train / 36 test'), `wine summary: "${a.message}"`);
    a = await trainsOn(page, '13-', 'wine');
    log(`wine: arch ${a.arch}, step ${a.step}, test MSE ${a.testLoss} after ${Date.now() - t0} ms`);
    check(a.step > 50 && Number.isFinite(a.testLoss), 'wine trains (step > 50, finite loss)');

    // 3. hostile files: a message each, the wine model kept
    check(await page.evaluate(() => window.aelab.command('data-options=skip=0')) === '', 'data-options skip=0');
    const bin = Buffer.alloc(4096);
    for (let i = 0; i < bin.length; ++i) bin[i] = (i * 131 + 7) & 255;
    const hostile = [
      ['ragged.csv', '1,2,3\n4,5\n6,7,8\n', 'row 2 has 2 fields'],
      ['nan.csv', '1,2,3\n4,NaN,6\n6,7,8\n', 'row 2, column 2'],
      ['binary.csv', bin, 'binary'],
      ['big.csv', Buffer.alloc(20 * 1024 * 1024, 0x31), 'more than the 16 MB'],
    ];
    for (const [name, body, expect] of hostile) {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, body);
      const before = await aelab(page);
      const b = await upload(page, file);
      check(b.message.includes(name) && b.message.includes(expect) && b.message.includes('kept'),
            `${name}: message "${b.message}"`);
      await page.waitForTimeout(300);
      const after = await aelab(page);
      check(after.dataset === 'user' && after.arch === before.arch && after.step >= before.step && after.ready,
            `${name}: the wine model is kept (arch ${after.arch}, step ${before.step} -> ${after.step})`);
    }

    // 4. codes as CSV
    const [dl] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.aelab.command('codes'))]);
    const codes = path.join(tmp, dl.suggestedFilename());
    await dl.saveAs(codes);
    const lines = fs.readFileSync(codes, 'utf8').trim().split('\n');
    log(`codes: ${dl.suggestedFilename()}, ${lines.length} lines, first "${lines[0]}", second "${lines[1]}"`);
    check(/^aelab-codes-user-k\d+-step\d+\.csv$/.test(dl.suggestedFilename()), 'codes file named by data, k and step');
    check(lines[0].startsWith('index,label,z1') && lines.length === 37, 'codes CSV: header + 36 wine test samples');
    check(lines.slice(1).every((l) => l.split(',').length === lines[0].split(',').length &&
                                      l.split(',').slice(2).every((v) => Number.isFinite(Number(v)))), 'codes are finite numbers');

    // 5. frame as PNG
    const [shot] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.aelab.command('screenshot'))]);
    const png = path.join(tmp, shot.suggestedFilename());
    await shot.saveAs(png);
    const head = fs.readFileSync(png).subarray(0, 8).toString('hex');
    const size = fs.statSync(png).size;
    log(`frame: ${shot.suggestedFilename()}, ${size} bytes`);
    check(head === '89504e470d0a1a0a' && size > 10000 && /^aelab-user-13-.*\.png$/.test(shot.suggestedFilename()),
          'frame PNG downloaded, named by what it shows');
    fs.mkdirSync(path.join(root, 'artifacts/e2e'), { recursive: true });
    fs.copyFileSync(png, path.join(root, 'artifacts/e2e/userdata-frame.png'));
    log('the downloaded frame is kept as artifacts/e2e/userdata-frame.png');
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  check(errors.length === 0, `console clean (${errors.join('; ') || 'no errors'})`);
  if (failures.length) {
    console.error(`[e2e] userdata: ${failures.length} failure(s)`);
    process.exit(1);
  }
  log('PASS userdata');
}

main().catch((e) => { console.error('[e2e] FAIL', e); process.exit(1); });
