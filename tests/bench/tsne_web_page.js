// tests/bench/tsne_web_page.js — the in-page half of the browser t-SNE benchmark
// (tsne_web_bench.mjs loads it into headless Chromium beside aelab_tsne_web.js and a bundle
// of the npm packages tsne-js and umap-js, which it exposes as window.TsneJs / window.UMAP).
//
// What: window.runTsneWebBench(cfg) runs, one after the other on the page's main thread
// (1 thread each), on the SAME input (cfg.x: n points of d = 50 floats, the PCA-50 of MNIST
// test images computed by aelab's PCA in this page):
//   aelab    the core's Barnes-Hut t-SNE compiled to WASM (perplexity 30, theta 0.5, PCA init,
//            scikit-learn's schedule: 1,000 iterations, exaggeration 12 for 250, lr max(N/48, 50))
//            run in step({chunk}) calls; after each chunk the exact KL is read OUTSIDE the clock.
//   tsne-js  its run() (exact O(N^2) t-SNE, perplexity 30, its own schedule and defaults:
//            exaggeration 4 for 100 iterations, learning rate 1000, random init); an iteration is
//            timed between its 'progressIter' events, which also give its own KL; a run
//            longer than cfg.capSeconds (and past 5 iterations) is stopped by throwing from
//            that listener.
//   umap-js  initializeFit (nearest neighbours, fuzzy graph, random init) then step() per
//            epoch (its default epoch count, n_neighbors 15), seeded PRNG.
// Every final layout is scored by the same code: KL(P || Q) under aelab's P (perplexity 30,
// exact normaliser) and the leave-one-out 5-NN accuracy (wb_knn).
// "Settled": for the t-SNEs, the first iteration from which the KL stays within cfg.settleTol
// (1 %) of its final value (aelab: its exact KL at chunk ends; tsne-js: its own KL per
// iteration); the time to it counts from the start of the fit (affinities included, KL
// readings excluded). umap-js has no objective it reports: its fit time is given.
// Why: issue 11 asks our WASM t-SNE against the JavaScript baselines a web developer would
// pick, in the same browser: >= 10x tsne-js's iterations per second.
/* global createAelabTsne, TsneJs, UMAP */
'use strict';

(function () {
  const now = () => performance.now() / 1000;

  function mulberry32(seed) {  // small seeded PRNG for umap-js (its default is Math.random)
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // First index i (into the series) from which every value stays <= final * (1 + tol).
  function settledIndex(values, tol) {
    const last = values[values.length - 1];
    let i = values.length - 1;
    while (i > 0 && values[i - 1] <= last * (1 + tol)) --i;
    return i;
  }

  function makeHelpers(M) {
    const check = (rc, what) => {
      if (rc < 0) throw new Error(`${what}: ${M.UTF8ToString(M._wb_error())}`);
      return rc;
    };
    const alloc = (bytes) => M._malloc(bytes);
    const putF32 = (arr) => { const p = alloc(arr.length * 4); M.HEAPF32.set(arr, p >> 2); return p; };
    const putF64 = (arr) => { const p = alloc(arr.length * 8); M.HEAPF64.set(arr, p >> 3); return p; };
    const putI32 = (arr) => { const p = alloc(arr.length * 4); M.HEAP32.set(arr, p >> 2); return p; };
    return { check, alloc, putF32, putF64, putI32 };
  }

  async function run(cfg) {
    const M = await createAelabTsne();
    const H = makeHelpers(M);
    const n = cfg.n, d0 = cfg.dIn, d = cfg.d;
    // ---- input: PCA-50 of the images (aelab's PCA, not timed; every library gets it) ----
    const pIn = H.putF32(cfg.images);
    const pX = H.alloc(n * d * 4);
    let t = now();
    H.check(M._wb_pca(pIn, d0, n, d, pX), 'PCA');
    const pcaSeconds = now() - t;
    M._free(pIn);
    const x = new Float32Array(M.HEAPF32.buffer, pX, n * d).slice();
    const pLab = H.putI32(cfg.labels);
    const rows = [];
    for (let i = 0; i < n; ++i) rows.push(Array.from(x.subarray(i * d, (i + 1) * d)));
    const score = (layout) => {  // layout: Float64Array n x 2 point-major
      const pY = H.putF64(layout);
      const kl = H.check(M._wb_kl_of(pX, d, n, cfg.perplexity, pY), 'KL');
      const knn = H.check(M._wb_knn(pY, 2, pLab, n, 5), 'kNN');
      M._free(pY);
      return { kl_same_p: kl, knn5: knn };
    };
    const out = { n, d, pca_seconds: pcaSeconds, user_agent: navigator.userAgent, runs: [] };
    const log = (msg) => console.log(`[tsne-web] ${msg}`);

    for (let round = 1; round <= cfg.rounds; ++round) {
      // ---- aelab (WASM) ----
      if (cfg.only.includes('aelab')) {
        const t0 = now();
        H.check(M._wb_tsne_begin(pX, d, n, cfg.perplexity, cfg.theta, cfg.iters, 1), 't-SNE begin');
        const affinity = now() - t0;
        let opt = 0, iter = 0;
        const curve = [];  // [iteration, seconds since start (KL readings excluded), exact KL]
        while (iter < cfg.iters) {
          const s = now();
          H.check(M._wb_tsne_step(cfg.chunk, 0), 't-SNE step');
          opt += now() - s;
          iter = M._wb_tsne_iter();
          curve.push([iter, affinity + opt, H.check(M._wb_tsne_kl(), 'KL')]);
        }
        const post = curve.filter((c) => c[0] > 250);  // after the exaggeration phase (TsneOptions' 250)
        const si = post.length ? settledIndex(post.map((c) => c[2]), cfg.settleTol) : -1;
        const Y = new Float64Array(M.HEAPF64.buffer, M._wb_tsne_embedding(), 2 * n).slice();
        const r = {
          who: 'aelab (WASM)', round, unit: 'iterations', iters: iter, capped: false,
          setup_seconds: affinity, loop_seconds: opt, per_second: iter / opt,
          fit_seconds: affinity + opt, own_kl: curve[curve.length - 1][2],
          settled_iter: si < 0 ? null : post[si][0], settled_seconds: si < 0 ? null : post[si][1], lr: M._wb_tsne_lr(),
          ...score(Y), curve: curve.filter((c, i) => i % 5 === 4 || i === curve.length - 1),
        };
        rows_out(r);
      }
      // ---- tsne-js ----
      if (cfg.only.includes('tsne-js')) {
        const model = new TsneJs({ dim: 2, perplexity: cfg.perplexity, nIter: cfg.iters });
        const stamps = [];  // [iteration, seconds since start, its own KL]
        const t0 = now();
        let capped = false;
        model.on('progressIter', ([i, err]) => {
          const s = now() - t0;
          stamps.push([i, s, err]);
          if (s > cfg.capSeconds && stamps.length >= 5) { capped = true; throw new Error('tsne-web cap'); }  // >= 5: a rate
        });
        model.init({ data: rows, type: 'dense' });
        try {
          model.run();
        } catch (e) {
          if (!capped) throw e;
        }
        const total = now() - t0;
        const first = stamps[0], last = stamps[stamps.length - 1];
        const loop = last[1] - first[1];
        const post = stamps.filter((c) => c[0] > 100);
        const si = post.length ? settledIndex(post.map((c) => c[2]), cfg.settleTol) : -1;
        const Y = Float64Array.from(model.getOutput().flat());
        const r = {
          who: 'tsne-js 1.0.3', round, unit: 'iterations', iters: stamps.length, capped,
          last_iteration: last[0], setup_seconds: first[1], loop_seconds: loop,
          per_second: (stamps.length - 1) / loop, fit_seconds: total, own_kl: last[2],
          // a capped run: what its full schedule (cfg.iters iterations) would take at the measured rate
          full_run_estimate_seconds: capped ? first[1] + (cfg.iters - 1) * loop / (stamps.length - 1) : null,
          settled_iter: capped || si < 0 ? null : post[si][0], settled_seconds: capped || si < 0 ? null : post[si][1],
          ...score(Y), curve: stamps.filter((c, i) => i % 50 === 49 || i === stamps.length - 1),
        };
        rows_out(r);
      }
      // ---- umap-js ----
      if (cfg.only.includes('umap-js')) {
        const umap = new UMAP({ nComponents: 2, random: mulberry32(round) });
        const t0 = now();
        const nEpochs = umap.initializeFit(rows);
        const setup = now() - t0;
        let loop = 0, epochs = 0;
        while (epochs < nEpochs) {
          const s = now();
          for (let k = 0; k < cfg.chunk && epochs < nEpochs; ++k) epochs = umap.step();
          loop += now() - s;
          if (setup + loop > cfg.capSeconds) break;
        }
        const Y = Float64Array.from(umap.getEmbedding().flat());
        const r = {
          who: 'umap-js 1.4.0', round, unit: 'epochs', iters: epochs, capped: epochs < nEpochs,
          n_epochs: nEpochs, setup_seconds: setup, loop_seconds: loop, per_second: epochs / loop,
          fit_seconds: setup + loop, own_kl: null, settled_iter: null, settled_seconds: null, ...score(Y),
        };
        rows_out(r);
      }
    }
    M._free(pX);
    M._free(pLab);
    return out;

    function rows_out(r) {
      out.runs.push(r);
      log(`${r.who} round ${r.round}: ${r.iters} ${r.unit}${r.capped ? ' (capped)' : ''}, ` +
          `${r.per_second.toFixed(2)} ${r.unit}/s, fit ${r.fit_seconds.toFixed(2)} s, ` +
          `5-NN ${r.knn5.toFixed(4)}, KL(aelab P) ${r.kl_same_p.toFixed(4)}`);
    }
  }

  window.runTsneWebBench = run;
})();
