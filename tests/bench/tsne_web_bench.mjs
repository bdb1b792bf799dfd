// tests/bench/tsne_web_bench.mjs — t-SNE in the browser: aelab's WASM against the npm
// packages tsne-js and umap-js, side by side in one headless Chromium page (issue 11, item 5).
//
// What: bundles tsne-js and umap-js for the browser (esbuild, from tests/bench/node_modules;
// tsne-js's one Node built-in, 'events', gets a small EventEmitter shim: on / emit), serves that bundle,
// build/.../aelab_tsne_web.{js,wasm} and tsne_web_page.js to a page on a private origin
// (playwright route, no network, no server), hands it the first --n MNIST test images and
// labels, and runs window.runTsneWebBench (see tsne_web_page.js for what is timed and how).
// Writes OUT/tsne_web.json (every figure, the curves, the load average before and after)
// and OUT/tsne_web.md (the table).
// Why: a benchmark, not a test (scripts/test never runs it); tsne_web_bench.sh builds and runs it.
// Usage (tests/bench, after npm install): node tsne_web_bench.mjs --module DIR [--n 2000]
//   [--iters 1000] [--cap 240] [--rounds 1] [--only aelab,tsne-js,umap-js] [--out DIR] [--data DIR]
//   DIR: the directory holding aelab_tsne_web.js (web build, tests/bench/).
import { chromium } from 'playwright-core';
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const moduleDir = path.resolve(opt('--module', path.join(root, 'build/bench-web/tests/bench')));
const dataDir = path.resolve(opt('--data', path.join(root, 'data', 'mnist')));
const outDir = path.resolve(opt('--out', path.join(root, 'results', 'bench')));
const cfg = {  // tsne_web_page.js documents each field
  n: Number(opt('--n', '2000')), dIn: 784, d: 50, perplexity: 30, theta: 0.5,
  iters: Number(opt('--iters', '1000')), chunk: 10, settleTol: 0.01,
  capSeconds: Number(opt('--cap', '240')), rounds: Number(opt('--rounds', '1')),
  only: opt('--only', 'aelab,tsne-js,umap-js').split(','),
};
const chromiumPath = process.env.AELAB_CHROMIUM || '/usr/bin/chromium';
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');
const fail = (msg) => { console.error(`tsne_web_bench: ${msg}`); process.exit(1); };

// ---- input -------------------------------------------------------------------------------
function readIdx(file, headerBytes) {
  if (!fs.existsSync(file)) fail(`${file} missing (scripts/setup downloads MNIST into data/)`);
  return fs.readFileSync(file).subarray(headerBytes);
}
const n = cfg.n;
if (!(n >= 100 && n <= 10000)) fail('--n must be in 100..10000');
const pix = readIdx(path.join(dataDir, 't10k-images-idx3-ubyte'), 16);
const lab = readIdx(path.join(dataDir, 't10k-labels-idx1-ubyte'), 8);
const images = new Float32Array(n * 784);
for (let i = 0; i < images.length; ++i) images[i] = pix[i] / 255;
const labels = Int32Array.from(lab.subarray(0, n));

// ---- the page's files ------------------------------------------------------------------------
const moduleJs = path.join(moduleDir, 'aelab_tsne_web.js');
if (!fs.existsSync(moduleJs)) fail(`${moduleJs} missing (build the web target aelab_tsne_web)`);
const eventsShim = `
export function EventEmitter() { this._l = new Map(); }  // ES5 style: tsne-js's Babel output calls it
EventEmitter.prototype.on = function (name, fn) { (this._l.get(name) || this._l.set(name, []).get(name)).push(fn); return this; };
EventEmitter.prototype.emit = function (name, ...a) {
  const l = this._l.get(name); if (!l) return false; for (const f of l) f.apply(this, a); return true;
};
export default { EventEmitter };`;
const bundle = await esbuild.build({
  stdin: {
    contents: "import TSNE from 'tsne-js'; import { UMAP } from 'umap-js'; window.TsneJs = TSNE; window.UMAP = UMAP;",
    resolveDir: here, loader: 'js',
  },
  bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'error',
  plugins: [{
    name: 'events-shim',
    setup(b) {
      b.onResolve({ filter: /^events$/ }, () => ({ path: 'events', namespace: 'shim' }));
      b.onLoad({ filter: /.*/, namespace: 'shim' }, () => ({ contents: eventsShim, loader: 'js' }));
    },
  }],
});
const files = {
  '/index.html': ['text/html', '<!doctype html><html><head><link rel="icon" href="data:,"></head><body>' +
    '<script src="aelab_tsne_web.js"></script><script src="libs.js"></script><script src="page.js"></script></body></html>'],
  '/aelab_tsne_web.js': ['text/javascript', fs.readFileSync(moduleJs)],
  '/aelab_tsne_web.wasm': ['application/wasm', fs.readFileSync(path.join(moduleDir, 'aelab_tsne_web.wasm'))],
  '/libs.js': ['text/javascript', bundle.outputFiles[0].text],
  '/page.js': ['text/javascript', fs.readFileSync(path.join(here, 'tsne_web_page.js'))],
  '/images.f32': ['application/octet-stream', Buffer.from(images.buffer)],
  '/labels.i32': ['application/octet-stream', Buffer.from(labels.buffer)],
};

// ---- run ---------------------------------------------------------------------------------------
const loadStart = loadavg();
console.log(`[tsne-web] load at start: ${loadStart}; n = ${n}, PCA-50, perplexity ${cfg.perplexity}, ` +
            `${cfg.iters} iterations, cap ${cfg.capSeconds} s per run`);
const browser = await chromium.launch({ executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'] });
let result;
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.text().startsWith('[tsne-web]')) console.log(m.text()); });
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.route('http://aelab.bench/**', (route) => {
    const f = files[new URL(route.request().url()).pathname];
    return f ? route.fulfill({ status: 200, contentType: f[0], body: f[1] }) : route.fulfill({ status: 404, body: '' });
  });
  await page.goto('http://aelab.bench/index.html');
  await page.waitForFunction(() => typeof window.runTsneWebBench === 'function' && window.TsneJs && window.UMAP);
  result = await page.evaluate(async (c) => {
    const get = async (f) => (await fetch(f)).arrayBuffer();
    const images = new Float32Array(await get('images.f32')), labels = new Int32Array(await get('labels.i32'));
    return window.runTsneWebBench({ ...c, images, labels });
  }, cfg);
} finally {
  await browser.close();
}
const loadEnd = loadavg();
console.log(`[tsne-web] load at end: ${loadEnd}`);

// ---- report ------------------------------------------------------------------------------------
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const who = [...new Set(result.runs.map((r) => r.who))];
const agg = Object.fromEntries(who.map((w) => {
  const rs = result.runs.filter((r) => r.who === w);
  const m = (k) => (rs.every((r) => r[k] != null) ? median(rs.map((r) => r[k])) : null);
  return [w, { rs, per_second: m('per_second'), setup: m('setup_seconds'), fit: m('fit_seconds'),
               settled: m('settled_seconds'), settled_iter: m('settled_iter'), kl: m('kl_same_p'),
               own_kl: m('own_kl'), knn5: m('knn5'), iters: m('iters'), capped: rs.some((r) => r.capped),
               unit: rs[0].unit, full_est: m('full_run_estimate_seconds') }];
}));
const fmt = (v, p) => (v == null ? '-' : v.toFixed(p));
const ours = agg['aelab (WASM)'], tjs = agg['tsne-js 1.0.3'];
const ratio = ours && tjs ? ours.per_second / tjs.per_second : null;
const md = [];
md.push(`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cfg.rounds} round(s), headless ` +
        `Chromium ${result.user_agent.match(/Chrome\/([\d.]+)/)?.[1] ?? '?'}, 1 thread each, load average ` +
        `(1/5/15 min) ${loadStart} at start and ${loadEnd} at end (${os.cpus().length}-core machine).`);
md.push('');
md.push(`t-SNE of the first ${n} MNIST test images (PCA-50 by aelab's PCA in the page, the same input for all three; ` +
        `perplexity ${cfg.perplexity}):`);
md.push('');
md.push('| implementation | run | iterations/s | setup (s) | time to settled (s) | fit time (s) | own final KL | KL, aelab\'s P | 5-NN accuracy |');
md.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const w of who) {
  const a = agg[w];
  const run = a.unit === 'epochs' ? `${fmt(a.iters, 0)} epochs${a.capped ? ' (capped)' : ''}`
    : `${fmt(a.iters, 0)} iterations${a.capped ? ` (capped at ${cfg.capSeconds} s)` : ''}`;
  const digits = a.per_second < 10 ? 2 : 1;  // tsne-js runs well under one iteration per second
  const rate = a.unit === 'epochs' ? `${fmt(a.per_second, digits)} epochs/s` : fmt(a.per_second, digits);
  const settled = a.settled == null ? (a.unit === 'epochs' ? 'fit time' : 'not reached') : `${fmt(a.settled, 2)} (iteration ${fmt(a.settled_iter, 0)})`;
  md.push(`| ${w} | ${run} | ${rate} | ${fmt(a.setup, 2)} | ${settled} | ${fmt(a.fit, 2)} | ${fmt(a.own_kl, 4)} | ${fmt(a.kl, 4)} | ${fmt(a.knn5, 4)} |`);
}
md.push('');
for (const w of who) {
  const a = agg[w];
  if (a.capped && a.full_est != null) {
    md.push(`${w} was stopped after ${cfg.capSeconds} s (${fmt(a.iters, 0)} ${a.unit}); at its measured rate its ` +
            `${cfg.iters} ${a.unit} would take about ${fmt(a.full_est / 60, 0)} min, so its layout, KL and 5-NN ` +
            'accuracy above are those of an unfinished run.');
  }
}
if (ratio != null) md.push(`aelab / tsne-js iterations per second: **${ratio.toFixed(1)}x** (issue 11's target: >= 10x).`);
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'tsne_web.md'), md.join('\n') + '\n');
fs.writeFileSync(path.join(outDir, 'tsne_web.json'), JSON.stringify({ cfg, load_start: loadStart, load_end: loadEnd, ...result }, null, 1));
console.log(md.join('\n'));
console.log(`[tsne-web] wrote ${path.join(outDir, 'tsne_web.md')} and tsne_web.json`);
