// aelab_conv_bench — forward / backward time per sample of a conv graph (default: the
// course's conv AE, aelab::kCourseConvAE) at a given batch size, whole and per layer.
//
// What: builds Graph<float> on 1x28x28 inputs (synthetic images: timing does not depend on
// the values), then times, after a warm-up, the median over R repeats of
//   forward         Graph::forward_loss (all layers + BCE)
//   fwd+bwd         Graph::forward_backward (the gradient of BCE w.r.t. every parameter)
//   train step      forward_backward + core's SGD update (what a training step costs)
// and per layer: forward and backward of each layer alone on its cached input.
// Why: issue 10 asks for the conv AE's forward/backward time per sample at batch 32; the
// per-layer split shows where the time goes (im2col, GEMM, col2im, pooling).
// Usage:
//   aelab_conv_bench [--arch STRING] [--batch B] [--repeats R] [--iters N] [--threads T]
// Never asserts on timings. Built natively and (same source) for WASM. The PyTorch twin of
// the same model and timing loop: tests/bench/torch_conv_bench.py.
#include "aelab/graph.hpp"
#include "aelab/optim.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if defined(AELAB_BENCH_OPENBLAS)
extern "C" {
void openblas_set_num_threads(int);
char* openblas_get_corename(void);
}
#endif

using namespace aelab;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Median over `repeats` of the mean time of `iters` calls of f, in seconds.
template <class F> double median_time(int repeats, int iters, F&& f) {
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        auto t0 = Clock::now();
        for (int i = 0; i < iters; ++i) f();
        t.push_back(seconds_since(t0) / iters);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

struct NoObjective final : Objective {
    double eval(const Vec&, Vec*) override { return 0; }
};

int int_arg(const char* v, const char* name) {
    char* end = nullptr;
    long x = std::strtol(v, &end, 10);
    if (!v[0] || *end || x < 1 || x > 100000) {
        std::fprintf(stderr, "aelab_conv_bench: %s must be a positive integer, got '%s'\n", name, v);
        std::exit(2);
    }
    return int(x);
}

}  // namespace

int main(int argc, char** argv) {
    std::string arch = kCourseConvAE;
    int batch = 32, repeats = 7, iters = 20, threads = 1;
    for (int i = 1; i < argc; ++i) {
        auto need = [&](const char* name) {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "aelab_conv_bench: %s needs a value\n", name);
                std::exit(2);
            }
            return argv[++i];
        };
        if (!std::strcmp(argv[i], "--arch")) arch = need("--arch");
        else if (!std::strcmp(argv[i], "--batch")) batch = int_arg(need("--batch"), "--batch");
        else if (!std::strcmp(argv[i], "--repeats")) repeats = int_arg(need("--repeats"), "--repeats");
        else if (!std::strcmp(argv[i], "--iters")) iters = int_arg(need("--iters"), "--iters");
        else if (!std::strcmp(argv[i], "--threads")) threads = int_arg(need("--threads"), "--threads");
        else {
            std::fprintf(stderr,
                         "usage: aelab_conv_bench [--arch STRING] [--batch B] [--repeats R] [--iters N] [--threads T]\n");
            return 2;
        }
    }
#if defined(AELAB_BENCH_OPENBLAS)
    openblas_set_num_threads(threads);
    const char* backend = openblas_get_corename();
    const char* coretype = std::getenv("OPENBLAS_CORETYPE");
    std::printf("products: OpenBLAS (core %s, OPENBLAS_CORETYPE=%s), %d thread(s)\n", backend,
                coretype ? coretype : "(unset)", threads);
#elif defined(__EMSCRIPTEN__)
    std::printf("products: WebAssembly simd128 blocked GEMM\n");
#else
    std::printf("products: Eigen's own kernels\n");
#endif
    try {
        Graph<float> g(Shape{784, 1, 1}, parse_arch(arch));
        g.init_params(1);
        GraphObjective obj;
        obj.loss = g.output_activation() == Activation::Sigmoid ? ReconLoss::BCE : ReconLoss::MSE;
        Rng rng(2);
        Mat X(784, batch);
        rng.fill_uniform(X, 0.0, 1.0);
        Mat eps;
        if (g.gaussian()) g.sample_eps(rng, batch, eps);
        const Mat* e = g.gaussian() ? &eps : nullptr;
        std::printf("arch %s\nbatch %d, %ld parameters, loss %s, median of %d repeats x %d iterations\n",
                    g.arch_string().c_str(), batch, long(g.num_params()), loss_name(obj.loss), repeats, iters);

        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::SGD);
        oc.lr = 1e-3;
        auto sgd = make_optimizer(oc, g.num_params());
        NoObjective none;
        Vec p0 = g.params();
        for (int w = 0; w < 5; ++w) g.forward_backward(X, X, obj, e);  // warm-up
        const double tf = median_time(repeats, iters, [&] { g.forward_loss(X, X, obj, e); });
        const double tfb = median_time(repeats, iters, [&] { g.forward_backward(X, X, obj, e); });
        const double tstep = median_time(repeats, iters, [&] {
            GraphLossParts l = g.forward_backward(X, X, obj, e);
            sgd->step(g.params(), g.grads(), l.total, none);
        });
        g.params() = p0;
        const double us = 1e6 / batch;
        std::printf("%-14s %10s %12s\n", "", "ms/batch", "us/sample");
        std::printf("%-14s %10.3f %12.1f\n", "forward", tf * 1e3, tf * us);
        std::printf("%-14s %10.3f %12.1f\n", "fwd+bwd", tfb * 1e3, tfb * us);
        std::printf("%-14s %10.3f %12.1f\n", "backward", (tfb - tf) * 1e3, (tfb - tf) * us);
        std::printf("%-14s %10.3f %12.1f   (%.0f samples/s)\n", "train step", tstep * 1e3, tstep * us,
                    batch / tstep);

        // Per layer, on the inputs cached by a forward pass (layers copied out of the graph).
        g.forward(X, e);
        std::printf("\nper layer (us/sample)        forward   backward   output\n");
        double sum_f = 0, sum_b = 0;
        for (int i = 0; i < g.num_layers(); ++i) {
            Graph<float> h = g;  // a private copy whose layer i we drive alone
            h.forward(X, e);
            auto L = make_layer<float>(g.layer(i).spec(), g.layer(i).in_shape());
            if (auto* gc = dynamic_cast<GaussianCode<float>*>(L.get())) gc->set_eps(e);
            const Mat Xi = i == 0 ? X : h.layer(i - 1).output();
            const float* p = h.params().data() + h.offset(i);
            Vec gbuf = Vec::Zero(L->num_params());
            L->forward(p, Xi);
            const Mat dY = Mat::Constant(L->output().rows(), L->output().cols(), 1e-3f);
            Mat dX;
            const double lf = median_time(repeats, iters, [&] { L->forward(p, Xi); });
            const double lb =
                median_time(repeats, iters, [&] { L->backward(p, Xi, dY, gbuf.data(), i > 0 ? &dX : nullptr); });
            sum_f += lf;
            sum_b += lb;
            std::printf("  %-24s %9.1f %10.1f   %s\n", g.layer(i).spec().str().c_str(), lf * us, lb * us,
                        g.layer(i).out_shape().str().c_str());
        }
        std::printf("  %-24s %9.1f %10.1f\n", "sum", sum_f * us, sum_b * us);
    } catch (const Error& err) {
        std::fprintf(stderr, "aelab_conv_bench: %s\n", err.what());
        return 1;
    }
    return 0;
}
