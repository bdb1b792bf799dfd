// smoke.mjs: the playground page renders in Debian's headless Chromium.
//
// Serves the built page (default build/web/playground, or argv[2] / AELAB_WEB_DIR) from a tiny
// localhost http server on a free port, opens it with playwright-core driving
// /usr/bin/chromium (SwiftShader WebGL2), waits until the app has drawn frames, fails on
// any console error / page error / failed request, saves a screenshot to
// artifacts/e2e/smoke.png and checks that it is not a single colour.
//
// Usage: node tests/e2e/smoke.mjs [web_dir]     (tests/e2e/run.sh wraps it)
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const webDir = path.resolve(process.argv[2] || process.env.AELAB_WEB_DIR || path.join(root, 'build/web/playground'));
const artifacts = path.join(root, 'artifacts/e2e');
const chromiumPath = process.env.AELAB_CHROMIUM || '/usr/bin/chromium';
const log = (...a) => console.log('[e2e]', ...a);

export const launchArgs = ['--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const mime = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.css': 'text/css',
  '.data': 'application/octet-stream' };

export function serve(dir) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'Content-Type': mime[path.extname(file)] || 'application/octet-stream', 'Content-Length': body.length,
                           'Cache-Control': 'no-store' });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Counts distinct colours in a PNG screenshot via the page itself (no image library needed),
// stopping at `cap`.
// The app's published state (window.aelab) as plain data.
export const aelab = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.aelab || {})));

// waitForFunction that prints the app's state when it times out.
export async function waitFor(page, fn, arg, timeout, what) {
  try {
    await page.waitForFunction(fn, arg, { timeout });
  } catch (e) {
    const a = await aelab(page).catch(() => ({}));
    throw new Error(`timed out waiting for ${what}; window.aelab = ${JSON.stringify(a)}`);
  }
}

export async function distinctColours(page, png, cap = 1000) {
  return page.evaluate(async ({ b64, cap }) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length && seen.size < cap; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, { b64: png.toString('base64'), cap });
}

async function main() {
  if (!fs.existsSync(path.join(webDir, 'index.html'))) throw new Error(`no index.html in ${webDir}: build web-release first`);
  fs.mkdirSync(artifacts, { recursive: true });
  const server = await serve(webDir);
  const url = `http://127.0.0.1:${server.address().port}/index.html`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); else log(`console.${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    log(`opening ${url}`);
    await page.goto(url, { waitUntil: 'load' });
    // The app is running when the Emscripten runtime is up and the canvas has a WebGL2 context;
    // then let it draw a few dozen frames (SwiftShader: ~40 fps).
    await page.waitForFunction(() => typeof Module !== 'undefined' && Module.calledRun === true, null, { timeout: 60000 });
    const frames = await page.evaluate(() => new Promise((resolve) => {
      let n = 0; const t0 = performance.now();
      const tick = () => { if (++n >= 60 || performance.now() - t0 > 5000) resolve(n); else requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    }));
    const glOk = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      return { w: c.width, h: c.height, dpr: window.devicePixelRatio };
    });
    log(`ran ${frames} animation frames; canvas ${glOk.w}x${glOk.h} (dpr ${glOk.dpr})`);
    const shot = path.join(artifacts, 'smoke.png');
    const png = await page.screenshot({ path: shot });
    const colours = await distinctColours(page, png);
    log(`screenshot ${path.relative(root, shot)}: ${colours} distinct colours`);
    if (glOk.w < 100 || glOk.h < 100) problems.push(`canvas too small: ${glOk.w}x${glOk.h}`);
    if (colours < 8) problems.push(`screenshot looks blank (${colours} distinct colours)`);
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length) {
    for (const p of problems) console.error('[e2e] FAIL', p);
    process.exit(1);
  }
  log('PASS smoke');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((e) => { console.error('[e2e] FAIL', e); process.exit(1); });
}
