// aelab_conv_bench — training throughput of the layer graph's models (issue 10 item 7): the
// course's conv AE and the seed-003 VAE (and the conv VAE), whole step and per layer.
//
// What: for each model (--model, a comma list; or one --arch string), builds Graph<float> on
// 1x28x28 inputs (synthetic uniform [0,1) images: timing does not depend on the values),
// then times, after a warm-up, the median over R repeats of the mean of N calls of
//   forward         Graph::forward_loss (all layers + the loss)
//   fwd+bwd         Graph::forward_backward (the gradient of the loss w.r.t. every parameter)
//   train step      a whole training step as the Trainer runs it: (VAE: eps drawn from the
//                   step's RNG with Graph::sample_eps) + forward_backward + the optimizer update
// and per layer (unless --no-layers): forward and backward of each layer alone on its cached
// input. Models (as the issue 10 recipes course-conv-ae, vae-paper-k2/k5, conv-vae: same
// architecture, loss, optimizer and batch):
//   conv-ae   kCourseConvAE, BCE mean over entries, SGD lr 1.0, batch 32
//   vae-k2    d500-elu,d500-elu,g2|d500-elu,d500-elu,d784-sigmoid, BCE summed per image + KL
//             (beta 1) with a sampled eps each step, Adam lr 1e-3, batch 100   (vae-k5: g5)
//   conv-vae  Keras' conv VAE, BCE summed + KL, Adam lr 1e-3, batch 128
// Why: issue 10's benchmark rows (native vs PyTorch 1.13 at 1 and 2 threads, WASM vs
// TensorFlow.js); the per-layer split shows where the time goes (im2col, GEMM, col2im, pooling).
// Usage:
//   aelab_conv_bench [--model conv-ae,vae-k2] [--arch STRING] [--batch B] [--repeats R]
//                    [--iters N] [--threads T] [--no-layers] [--json FILE]
// --batch overrides every model's batch; --threads sets OpenBLAS' threads (native). --json
// writes {"tool": "aelab", "platform", "threads", "openblas_coretype", "conv": [{model,
// batch, samples_per_s, ...}]} for tests/bench/make_report.py. Never asserts on timings.
// Built natively and (same source) for WASM. The PyTorch twin: tests/bench/torch_conv_bench.py;
// the TensorFlow.js twin of conv-ae: tests/bench/tfjs_conv_bench.mjs.
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

// Median over `repeats` of the mean time of `iters` calls of f, in seconds (all runs in `all`).
template <class F> double median_time(int repeats, int iters, F&& f, std::vector<double>* all = nullptr) {
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        auto t0 = Clock::now();
        for (int i = 0; i < iters; ++i) f();
        t.push_back(seconds_since(t0) / iters);
    }
    if (all) *all = t;
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

// One benchmarked model: architecture, objective and optimizer of its recipe.
struct BenchModel {
    std::string key, arch;
    ReconLoss loss = ReconLoss::BCE;
    bool sum_per_sample = false;
    OptimizerKind opt = OptimizerKind::SGD;
    double lr = 1.0;
    int batch = 32;
};

const char* const kVaeK2 = "d500-elu,d500-elu,g2|d500-elu,d500-elu,d784-sigmoid";
const char* const kVaeK5 = "d500-elu,d500-elu,g5|d500-elu,d500-elu,d784-sigmoid";
const char* const kConvVae =
    "r1x28x28,c32k3s2-relu,c64k3s2-relu,d16-relu,g2|d3136-relu,r64x7x7,t64k3s2-relu,t32k3s2-relu,t1k3-sigmoid,flatten";

BenchModel model_by_key(const std::string& key) {
    BenchModel m;
    m.key = key;
    if (key == "conv-ae") {
        m.arch = kCourseConvAE;
    } else if (key == "vae-k2" || key == "vae-k5" || key == "conv-vae") {
        m.arch = key == "vae-k2" ? kVaeK2 : key == "vae-k5" ? kVaeK5 : kConvVae;
        m.sum_per_sample = true;
        m.opt = OptimizerKind::Adam;
        m.lr = 1e-3;
        m.batch = key == "conv-vae" ? 128 : 100;
    } else {
        std::fprintf(stderr, "aelab_conv_bench: unknown model '%s' (conv-ae, vae-k2, vae-k5, conv-vae)\n",
                     key.c_str());
        std::exit(2);
    }
    return m;
}

struct Result {
    std::string key, arch;
    int batch = 0;
    long params = 0;
    double t_fwd = 0, t_fb = 0, t_step = 0, final_loss = 0;
    std::vector<double> step_runs;
};

Result bench_model(const BenchModel& m, int repeats, int iters, bool per_layer) {
    Graph<float> g(Shape{784, 1, 1}, parse_arch(m.arch));
    g.init_params(1);
    GraphObjective obj;
    obj.loss = m.loss;
    obj.sum_per_sample = m.sum_per_sample;
    AELAB_REQUIRE(m.loss != ReconLoss::BCE || g.output_activation() == Activation::Sigmoid,
                  "model " + m.key + ": BCE needs a sigmoid output");
    const int B = m.batch;
    Rng data_rng(2), step_rng(3);
    Mat X(784, B);
    data_rng.fill_uniform(X, 0.0, 1.0);
    Mat eps;
    const bool vae = g.gaussian() != nullptr;
    if (vae) g.sample_eps(step_rng, B, eps);
    const Mat* e = vae ? &eps : nullptr;
    std::printf("\nmodel %s: %s\nbatch %d, %ld parameters, loss %s%s%s, %s lr %g, median of %d repeats x %d iterations\n",
                m.key.c_str(), g.arch_string().c_str(), B, long(g.num_params()), loss_name(obj.loss),
                obj.sum_per_sample ? " summed per image" : " mean", vae ? " + KL (sampled eps)" : "",
                optimizer_name(m.opt), m.lr, repeats, iters);

    OptimizerConfig oc = OptimizerConfig::defaults_for(m.opt);
    oc.lr = m.lr;
    auto opt = make_optimizer(oc, g.num_params());
    NoObjective none;
    Result r;
    r.key = m.key;
    r.arch = g.arch_string();
    r.batch = B;
    r.params = long(g.num_params());
    auto train_step = [&] {
        if (vae) g.sample_eps(step_rng, B, eps);
        GraphLossParts l = g.forward_backward(X, X, obj, e);
        opt->step(g.params(), g.grads(), l.total, none);
        r.final_loss = l.total;
    };
    for (int w = 0; w < 5; ++w) train_step();  // warm-up (workspaces, optimizer state)
    r.t_fwd = median_time(repeats, iters, [&] { g.forward_loss(X, X, obj, e); });
    r.t_fb = median_time(repeats, iters, [&] { g.forward_backward(X, X, obj, e); });
    r.t_step = median_time(repeats, iters, train_step, &r.step_runs);
    const double us = 1e6 / B;
    std::printf("%-14s %10s %12s\n", "", "ms/batch", "us/sample");
    std::printf("%-14s %10.3f %12.1f\n", "forward", r.t_fwd * 1e3, r.t_fwd * us);
    std::printf("%-14s %10.3f %12.1f\n", "fwd+bwd", r.t_fb * 1e3, r.t_fb * us);
    std::printf("%-14s %10.3f %12.1f\n", "backward", (r.t_fb - r.t_fwd) * 1e3, (r.t_fb - r.t_fwd) * us);
    std::printf("%-14s %10.3f %12.1f   (%.0f samples/s; loss after the runs %.4g)\n", "train step",
                r.t_step * 1e3, r.t_step * us, B / r.t_step, r.final_loss);
    if (!per_layer) return r;

    // Per layer, on the inputs cached by a forward pass (layers copied out of the graph).
    g.forward(X, e);
    std::printf("per layer (us/sample)        forward   backward   output\n");
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
    return r;
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ',') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::string arch, models = "conv-ae", json;
    int batch = 0, repeats = 7, iters = 20, threads = 1;
    bool per_layer = true;
    for (int i = 1; i < argc; ++i) {
        auto need = [&](const char* name) {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "aelab_conv_bench: %s needs a value\n", name);
                std::exit(2);
            }
            return argv[++i];
        };
        if (!std::strcmp(argv[i], "--arch")) arch = need("--arch");
        else if (!std::strcmp(argv[i], "--model")) models = need("--model");
        else if (!std::strcmp(argv[i], "--batch")) batch = int_arg(need("--batch"), "--batch");
        else if (!std::strcmp(argv[i], "--repeats")) repeats = int_arg(need("--repeats"), "--repeats");
        else if (!std::strcmp(argv[i], "--iters")) iters = int_arg(need("--iters"), "--iters");
        else if (!std::strcmp(argv[i], "--threads")) threads = int_arg(need("--threads"), "--threads");
        else if (!std::strcmp(argv[i], "--json")) json = need("--json");
        else if (!std::strcmp(argv[i], "--no-layers")) per_layer = false;
        else {
            std::fprintf(stderr,
                         "usage: aelab_conv_bench [--model conv-ae,vae-k2,vae-k5,conv-vae] [--arch STRING] [--batch B]\n"
                         "                        [--repeats R] [--iters N] [--threads T] [--no-layers] [--json FILE]\n");
            return 2;
        }
    }
    std::vector<BenchModel> list;
    if (!arch.empty()) {  // a custom graph: BCE (sigmoid output) or MSE, SGD lr 1e-3
        BenchModel m;
        m.key = "custom";
        m.arch = arch;
        m.lr = 1e-3;
        m.loss = ReconLoss::MSE;
        try {
            Graph<float> probe(Shape{784, 1, 1}, parse_arch(arch));
            if (probe.output_activation() == Activation::Sigmoid) m.loss = ReconLoss::BCE;
        } catch (const Error& err) {
            std::fprintf(stderr, "aelab_conv_bench: %s\n", err.what());
            return 1;
        }
        list.push_back(m);
    } else {
        for (const auto& k : split_commas(models)) list.push_back(model_by_key(k));
    }
    if (batch > 0)
        for (auto& m : list) m.batch = batch;
    const char* coretype = std::getenv("OPENBLAS_CORETYPE");
#if defined(AELAB_BENCH_OPENBLAS)
    openblas_set_num_threads(threads);
    const std::string backend = std::string("OpenBLAS (core ") + openblas_get_corename() + ")";
    const char* platform = "native";
#elif defined(__EMSCRIPTEN__)
    const std::string backend = "WebAssembly simd128 blocked GEMM";
    const char* platform = "wasm";
    threads = 1;
#else
    const std::string backend = "Eigen's own kernels";
    const char* platform = "native";
#endif
    std::printf("products: %s, OPENBLAS_CORETYPE=%s, %d thread(s)\n", backend.c_str(), coretype ? coretype : "(unset)",
                threads);
    std::vector<Result> results;
    try {
        for (const auto& m : list) results.push_back(bench_model(m, repeats, iters, per_layer));
    } catch (const Error& err) {
        std::fprintf(stderr, "aelab_conv_bench: %s\n", err.what());
        return 1;
    }
    if (!json.empty()) {
        FILE* f = std::fopen(json.c_str(), "w");
        if (!f) {
            std::fprintf(stderr, "aelab_conv_bench: cannot write %s\n", json.c_str());
            return 1;
        }
        std::fprintf(f, "{\"tool\": \"aelab\", \"platform\": \"%s\", \"backend\": \"%s\", \"threads\": %d, "
                        "\"openblas_coretype\": \"%s\", \"repeats\": %d, \"iters\": %d, \"conv\": [",
                     platform, backend.c_str(), threads, coretype ? coretype : "unset", repeats, iters);
        for (size_t i = 0; i < results.size(); ++i) {
            const Result& r = results[i];
            std::fprintf(f, "%s\n {\"model\": \"%s\", \"arch\": \"%s\", \"batch\": %d, \"params\": %ld, "
                            "\"samples_per_s\": %.3f, \"step_ms\": %.5f, \"forward_ms\": %.5f, \"fwd_bwd_ms\": %.5f, "
                            "\"final_loss\": %.6g, \"step_runs_ms\": [",
                         i ? "," : "", r.key.c_str(), r.arch.c_str(), r.batch, r.params, r.batch / r.t_step,
                         r.t_step * 1e3, r.t_fwd * 1e3, r.t_fb * 1e3, r.final_loss);
            for (size_t k = 0; k < r.step_runs.size(); ++k)
                std::fprintf(f, "%s%.5f", k ? ", " : "", r.step_runs[k] * 1e3);
            std::fprintf(f, "]}");
        }
        std::fprintf(f, "\n]}\n");
        std::fclose(f);
        std::printf("\nwrote %s\n", json.c_str());
    }
    return 0;
}
