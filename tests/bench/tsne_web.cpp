// tests/bench/tsne_web.cpp — the core's t-SNE (and PCA, k-NN scoring) exposed to JavaScript
// for the browser t-SNE benchmark (issue 11, item 5, third bullet): tests/bench/tsne_web_bench.mjs.
//
// What: a small Emscripten module (MODULARIZE, factory createAelabTsne) with a C API over
// numbers and heap pointers, so the page needs no binding library:
//   wb_pca(x, d, n, k, out)            PCA (covariance solver) of x (n points of d floats,
//                                       point-major) to k components -> out (n x k floats)
//   wb_tsne_begin(x, d, n, perplexity, theta, max_iter, seed)
//                                       affinities + PCA init (scikit-learn's defaults otherwise)
//   wb_tsne_step(iters, seconds)       runs at most that many iterations / seconds; returns
//                                       the count that ran (TSNE::step)
//   wb_tsne_iter(), wb_tsne_kl() (exact normaliser), wb_tsne_lr(), wb_tsne_embedding() (n x 2
//                                       doubles, point-major, valid until the next call)
//   wb_kl_of(x, d, n, perplexity, y)   KL(P || Q) of ANY layout y (n x 2 doubles) under
//                                       aelab's P for x: scores every library's final layout
//                                       by the same formula
//   wb_knn(y, dim, labels, n, k)       leave-one-out k-NN accuracy of a layout (n x dim doubles)
//   wb_error()                          the last error message (functions return -1 on error)
// Why: the benchmark runs our WASM, tsne-js and umap-js side by side in one headless
// Chromium page; this module is the "ours" side and the common scorer.
// Usage: see tsne_web_bench.mjs (built by tsne_web_bench.sh, web toolchain, 1 thread).
#include "aelab/pca.hpp"
#include "aelab/tsne.hpp"

#include <emscripten/emscripten.h>

#include <exception>
#include <memory>
#include <string>
#include <vector>

using namespace aelab;

namespace {

std::string g_error;
std::unique_ptr<TSNE> g_tsne;
MatD g_tmp;  // wb_tsne_embedding()'s copy

template <class F> auto guarded(F&& f, decltype(f()) on_error) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        g_error = e.what();
        return on_error;
    }
}

Mat view_points(const float* x, int d, int n) {
    AELAB_REQUIRE(x != nullptr && d > 0 && n > 0, "tsne_web: empty input");
    return Eigen::Map<const Mat>(x, d, n);  // n points of d floats = d x n column-major
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* wb_error() { return g_error.c_str(); }

EMSCRIPTEN_KEEPALIVE int wb_pca(const float* x, int d, int n, int k, float* out) {
    return guarded(
        [&] {
            AELAB_REQUIRE(k >= 1 && k <= d && k <= n, "tsne_web: PCA needs 1 <= k <= min(d, n)");
            PcaOptions o;
            o.n_components = k;
            o.solver = PcaSolver::Covariance;
            PCA p(o);
            const Mat X = view_points(x, d, n);
            p.fit(X);
            const Mat Z = p.transform(X);  // k x n
            Eigen::Map<Mat>(out, k, n) = Z;
            return 0;
        },
        -1);
}

EMSCRIPTEN_KEEPALIVE int wb_tsne_begin(const float* x, int d, int n, double perplexity, double theta, int max_iter,
                                       int seed) {
    return guarded(
        [&] {
            TsneOptions o;
            o.perplexity = perplexity;
            o.theta = theta;
            o.max_iter = max_iter;
            o.seed = static_cast<std::uint64_t>(seed);
            auto t = std::make_unique<TSNE>(o);
            t->fit_begin(view_points(x, d, n));
            g_tsne = std::move(t);
            return 0;
        },
        -1);
}

EMSCRIPTEN_KEEPALIVE int wb_tsne_step(int iters, double seconds) {
    return guarded(
        [&] {
            AELAB_REQUIRE(g_tsne != nullptr, "tsne_web: call wb_tsne_begin first");
            return static_cast<int>(g_tsne->step({iters, seconds}).iters);
        },
        -1);
}

EMSCRIPTEN_KEEPALIVE int wb_tsne_iter() { return g_tsne ? static_cast<int>(g_tsne->iteration()) : -1; }

EMSCRIPTEN_KEEPALIVE double wb_tsne_kl() {
    return guarded(
        [&] {
            AELAB_REQUIRE(g_tsne != nullptr, "tsne_web: call wb_tsne_begin first");
            return g_tsne->kl_divergence();
        },
        -1.0);
}

EMSCRIPTEN_KEEPALIVE double wb_tsne_lr() { return g_tsne ? g_tsne->learning_rate_used() : -1.0; }

EMSCRIPTEN_KEEPALIVE const double* wb_tsne_embedding() {
    if (!g_tsne) return nullptr;
    g_tmp = g_tsne->embedding();  // 2 x n column-major = n x 2 point-major
    return g_tmp.data();
}

EMSCRIPTEN_KEEPALIVE double wb_kl_of(const float* x, int d, int n, double perplexity, const double* y) {
    return guarded(
        [&] {
            AELAB_REQUIRE(y != nullptr, "tsne_web: no layout");
            TsneOptions o;
            o.perplexity = perplexity;
            o.max_iter = 1;
            o.kl_exact_max = 1 << 30;
            TSNE t(o);
            t.continue_from(view_points(x, d, n), Eigen::Map<const MatD>(y, 2, n));  // P for x; layout y
            return t.kl_divergence();
        },
        -1.0);
}

EMSCRIPTEN_KEEPALIVE double wb_knn(const double* y, int dim, const int* labels, int n, int k) {
    return guarded(
        [&] {
            AELAB_REQUIRE(y != nullptr && labels != nullptr && dim > 0 && n > 0, "tsne_web: empty layout");
            const std::vector<int> lab(labels, labels + n);
            return knn_loo_accuracy(Eigen::Map<const MatD>(y, dim, n), lab, k);
        },
        -1.0);
}

}  // extern "C"
