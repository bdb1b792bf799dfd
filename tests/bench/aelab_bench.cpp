// aelab_bench — throughput, GEMM bound, PCA fit time and peak memory of the aelab core.
//
// What: the workloads of issue 4's benchmark section, on the same sources natively and in
// WebAssembly (run under `node --no-experimental-fetch`):
//   train  training samples/s of net 1 (784-500-500-5-500-500-784, ELU hidden, linear
//          output, MSE, Adam, batch 100) and net 4 (784-256-128-256-784 sigmoid, MSE,
//          Adam, batch 128) through aelab::Trainer (no periodic evaluation), after a
//          warm-up; achieved GFLOP/s of the training step; and the GEMM bound: the same
//          step's products alone (W X, dZ X^T, W^T dZ per layer) with the core's product
//          backend (Eigen kernels, or OpenBLAS sgemm when built with AELAB_BLAS=openblas).
//   pca    fit time on the 60000 x 784 training set: covariance (full spectrum), SVD
//          (full spectrum), randomized k=5, incremental k=30; test MSE on the 10000 test
//          images (k = 5 for the full solvers).
//   rss    (native) peak resident memory (getrusage ru_maxrss) of a training run on full
//          MNIST (net 1, periodic test evaluation as `aelab train` does, then a full test
//          evaluation) against the float32 size of the data. Run it in its own process
//          (`aelab_bench rss`) so that nothing else inflates the peak.
// Why: README's benchmark table and the targets of issue 4 (tests/bench/run_all.sh runs
// this next to PyTorch, scikit-learn and TensorFlow.js and writes the markdown table).
// Usage:
//   aelab_bench [all|train|gemm|pca|rss] [--data DIR] [--json FILE] [--threads N]
//               [--nets 1,4] [--repeats R] [--seconds S] [--smoke]
//   --smoke: tiny data (512 samples) and a few steps: seconds, for ctest. Never asserts
//   on timings; the exit status only says whether the workloads ran.
// Timing: every figure is the median of R timed repeats (default 5; PCA 3), each repeat
// at least S seconds of steps (default 1.0), after a warm-up of at least S seconds.
// Data: MNIST IDX files from --data (default: the build's AELAB_DATA_DIR/mnist); if they
// are missing, uniform random data of the same shape, and the output says "random".
#include "aelab/autoencoder.hpp"
#include "aelab/kernels.hpp"
#include "aelab/idx.hpp"
#include "aelab/pca.hpp"
#include "aelab/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#if defined(__EMSCRIPTEN__)
#define AELAB_BENCH_PLATFORM "wasm"
#else
#define AELAB_BENCH_PLATFORM "native"
#include <sys/resource.h>
#endif

#if defined(AELAB_BENCH_OPENBLAS)
extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_corename(void);
char* openblas_get_config(void);
}
#endif
#if defined(_OPENMP)
#include <omp.h>
#endif

#ifndef AELAB_BENCH_DEFAULT_DATA
#define AELAB_BENCH_DEFAULT_DATA "data"
#endif

using namespace aelab;
using Clock = std::chrono::steady_clock;

namespace {

double now_s() { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); }

double median(std::vector<double> v) {
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Options {
    std::string what = "all";
    std::string data_dir = std::string(AELAB_BENCH_DEFAULT_DATA) + "/mnist";
    std::string json;
    int threads = 1;
    std::vector<int> nets = {1, 4};
    int repeats = 5;
    double seconds = 1.0;
    bool smoke = false;
};

// ---- data ------------------------------------------------------------------------------
bool read_file(const std::string& path, std::vector<std::uint8_t>& out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    f.seekg(0, std::ios::end);
    std::streamoff n = f.tellg();
    if (n <= 0) return false;
    f.seekg(0);
    out.resize(static_cast<size_t>(n));
    f.read(reinterpret_cast<char*>(out.data()), n);
    return bool(f);
}

struct Data {
    Mat train, test;
    std::string source;  // "mnist" or "random"
};

Mat random_images(Index n, std::uint64_t seed) {
    Mat X(784, n);
    Rng r(seed);
    r.fill_uniform(X, 0.0, 1.0);
    return X;
}

Data load_data(const Options& o, Index max_train, Index max_test) {
    Data d;
    bool ok = false;
    {
        std::vector<std::uint8_t> tr, te;
        if (read_file(o.data_dir + "/train-images-idx3-ubyte", tr) &&
            read_file(o.data_dir + "/t10k-images-idx3-ubyte", te)) {
            try {
                d.train = load_images(tr.data(), tr.size()).X;
                std::vector<std::uint8_t>().swap(tr);
                d.test = load_images(te.data(), te.size()).X;
                ok = true;
            } catch (const Error& e) {
                std::fprintf(stderr, "aelab_bench: %s: %s (using random data)\n", o.data_dir.c_str(), e.what());
            }
        }
    }
    if (ok) {
        d.source = "mnist";
        if (d.train.cols() > max_train) d.train = Mat(d.train.leftCols(max_train));
        if (d.test.cols() > max_test) d.test = Mat(d.test.leftCols(max_test));
    } else {
        std::fprintf(stderr, "aelab_bench: no MNIST IDX files in %s: using uniform random data of the same shape\n",
                     o.data_dir.c_str());
        d.source = "random";
        d.train = random_images(std::min<Index>(60000, max_train), 1);
        d.test = random_images(std::min<Index>(10000, max_test), 2);
    }
    return d;
}

// ---- nets ------------------------------------------------------------------------------
struct NetSpec {
    int id;
    const char* name;
    AEConfig cfg;
    int batch;
};

NetSpec net_spec(int id) {
    if (id == 1) {
        AEConfig c = AEConfig::from_arch("784-500-500-5");
        c.hidden_act = Activation::ELU;
        c.output_act = Activation::Identity;
        c.loss = ReconLoss::MSE;
        return {1, "net1 784-500-500-5-500-500-784 elu/linear mse adam b100", c, 100};
    }
    if (id == 4) {
        AEConfig c = AEConfig::from_arch("784-256-128");
        c.hidden_act = Activation::Sigmoid;
        c.latent_act = Activation::Sigmoid;
        c.output_act = Activation::Sigmoid;
        c.loss = ReconLoss::MSE;
        return {4, "net4 784-256-128-256-784 sigmoid mse adam b128", c, 128};
    }
    throw Error("unknown net " + std::to_string(id) + " (valid: 1, 4)");
}

// Multiply-adds x2 of one training step: forward W X, backward dW = dZ X^T and (except the
// first layer, whose input needs no gradient) dX = W^T dZ.
double step_flops(const Autoencoder<float>& ae, int B) {
    double f = 0;
    for (int i = 0; i < ae.num_layers(); ++i) {
        const auto& L = ae.layer(i);
        double mn = 2.0 * double(L.in) * double(L.out) * B;
        f += (i == 0 ? 2 : 3) * mn;
    }
    return f;
}

struct TrainResult {
    int net = 0;
    std::string name;
    int batch = 0;
    double samples_per_s = 0, gflops = 0, flops_per_step = 0;
    double gemm_samples_per_s = 0, gemm_gflops = 0;
    std::vector<double> runs;
    long steps_timed = 0;
    double final_loss = 0;
};

TrainResult bench_train(const NetSpec& ns, const Data& data, const Options& o) {
    TrainResult r;
    r.net = ns.id;
    r.name = ns.name;
    r.batch = ns.batch;
    Autoencoder<float> ae(ns.cfg);
    ae.init_params(1);
    TrainConfig tc;
    tc.batch_size = ns.batch;
    tc.seed = 1;
    tc.eval_every = 0;  // no periodic evaluation: the loop PyTorch/tfjs time, too
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    Trainer tr(ae, oc, data.train, nullptr, tc);
    r.flops_per_step = step_flops(ae, ns.batch);
    // Warm-up: at least `seconds` (and 3 steps).
    double t0 = now_s();
    do tr.step({3, 0.0});
    while (now_s() - t0 < o.seconds);
    // Timed repeats: whole steps until at least `seconds` elapsed.
    long total = 0;
    for (int rep = 0; rep < o.repeats; ++rep) {
        long steps = 0;
        double a = now_s(), el = 0;
        do {
            steps += tr.step({4, 0.0}).steps;
            el = now_s() - a;
        } while (el < o.seconds);
        r.runs.push_back(double(steps) * ns.batch / el);
        total += steps;
        if (tr.diverged()) break;
    }
    r.steps_timed = total;
    r.samples_per_s = median(r.runs);
    r.gflops = r.samples_per_s / ns.batch * r.flops_per_step * 1e-9;
    r.final_loss = tr.last_loss();
    return r;
}

// The step's products alone, through the same kernels::gemm (and so the same backend) as the core.
void bench_gemm(const NetSpec& ns, const Options& o, TrainResult& r) {
    Autoencoder<float> ae(ns.cfg);
    ae.init_params(1);
    const int B = ns.batch;
    const int n = ae.num_layers();
    std::vector<Mat> W(n), X(n), Z(n), dW(n), dX(n), dZ(n);
    Rng rng(3);
    for (int i = 0; i < n; ++i) {
        const auto& L = ae.layer(i);
        W[i] = ae.weight(i);
        X[i].resize(L.in, B);
        rng.fill_uniform(X[i], 0, 1);
        dZ[i].resize(L.out, B);
        rng.fill_uniform(dZ[i], -1, 1);
        Z[i].resize(L.out, B);
        dW[i].setZero(L.out, L.in);
        dX[i].resize(L.in, B);
    }
    auto one_step = [&]() {
        for (int i = 0; i < n; ++i) kernels::gemm<float>(false, false, W[i], X[i], 0.0f, Z[i]);
        for (int i = n - 1; i >= 0; --i) {
            kernels::gemm<float>(false, true, dZ[i], X[i], 1.0f, dW[i]);
            if (i > 0) kernels::gemm<float>(true, false, W[i], dZ[i], 0.0f, dX[i]);
        }
    };
    double t0 = now_s();
    do one_step();
    while (now_s() - t0 < std::min(o.seconds, 0.5));
    std::vector<double> runs;
    for (int rep = 0; rep < o.repeats; ++rep) {
        long steps = 0;
        double a = now_s(), el = 0;
        do {
            one_step();
            ++steps;
            el = now_s() - a;
        } while (el < o.seconds * 0.5);
        runs.push_back(double(steps) * B / el);
    }
    r.gemm_samples_per_s = median(runs);
    r.gemm_gflops = r.gemm_samples_per_s / B * step_flops(ae, B) * 1e-9;
}

// ---- single product (the reference shapes) ---------------------------------------
struct GemmShape {
    int m, k, n;
    double gflops;
};

GemmShape bench_product(int m, int k, int n, const Options& o) {
    Mat A(m, k), Bm(k, n), C(m, n);
    Rng rng(5);
    rng.fill_uniform(A, -1, 1);
    rng.fill_uniform(Bm, -1, 1);
    double t0 = now_s();
    do kernels::gemm<float>(false, false, A, Bm, 0.0f, C);
    while (now_s() - t0 < 0.3);
    std::vector<double> runs;
    for (int rep = 0; rep < o.repeats; ++rep) {
        long it = 0;
        double a = now_s(), el = 0;
        do {
            kernels::gemm<float>(false, false, A, Bm, 0.0f, C);
            ++it;
            el = now_s() - a;
        } while (el < o.seconds * 0.3);
        runs.push_back(2.0 * m * k * n * it / el * 1e-9);
    }
    return {m, k, n, median(runs)};
}

// ---- PCA -------------------------------------------------------------------------------
struct PcaResult {
    std::string name;
    PcaSolver solver;
    int k;
    double seconds = 0;
    double test_mse = 0;
    std::vector<double> runs;
};

PcaResult bench_pca(const std::string& name, PcaSolver s, int k, const Data& data, const Options& o) {
    PcaResult r{name, s, k};
    int reps = o.smoke ? 1 : std::max(1, std::min(o.repeats, 3));
    PCA pca;
    for (int rep = 0; rep < reps; ++rep) {
        PcaOptions po;
        po.solver = s;
        po.n_components = k;
        pca = PCA(po);
        double a = now_s();
        pca.fit(data.train);
        r.runs.push_back(now_s() - a);
    }
    r.seconds = median(r.runs);
    r.test_mse = pca.reconstruction_mse(data.test);
    return r;
}

// ---- peak memory -------------------------------------------------------------------------
double peak_rss_mib() {
#if defined(__EMSCRIPTEN__)
    return double(__builtin_wasm_memory_size(0)) * 65536.0 / (1024.0 * 1024.0);  // linear memory size
#else
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;  // KiB on Linux
#endif
}

struct RssResult {
    double peak_mib = 0, data_mib = 0, ratio = 0;
    long steps = 0;
    double test_mse = 0;
};

RssResult bench_rss(const Options& o) {
    RssResult r;
    Index ntr = o.smoke ? 512 : 60000, nte = o.smoke ? 256 : 10000;
    Data data = load_data(o, ntr, nte);
    r.data_mib = double(data.train.size() + data.test.size()) * 4.0 / (1024.0 * 1024.0);
    NetSpec ns = net_spec(1);
    Autoencoder<float> ae(ns.cfg);
    ae.init_params(1);
    TrainConfig tc;
    tc.batch_size = ns.batch;  // periodic evaluation on the test subset, as `aelab train` does
    Trainer tr(ae, OptimizerConfig::defaults_for(OptimizerKind::Adam), data.train, &data.test, tc);
    long steps = o.smoke ? 5 : 300;
    tr.step({steps, 0.0});
    r.steps = tr.steps();
    r.test_mse = ae.evaluate(data.test).mse;  // a full test pass at the end
    r.peak_mib = peak_rss_mib();
    r.ratio = r.peak_mib / r.data_mib;
    return r;
}

// ---- output ----------------------------------------------------------------------------
std::string jnum(double v) {
    if (!std::isfinite(v)) return "null";
    char b[64];
    std::snprintf(b, sizeof b, "%.6g", v);
    return b;
}
std::string jstr(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\';
        o += c;
    }
    return o + "\"";
}

std::string backend_name() {
#if defined(AELAB_BENCH_OPENBLAS)
    return std::string("OpenBLAS sgemm via EIGEN_USE_BLAS (core ") + openblas_get_corename() + ")";
#elif defined(_OPENMP) && !defined(EIGEN_DONT_PARALLELIZE)
    return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
           " kernels, OpenMP";
#else
    return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
           " kernels";
#endif
}

void usage() {
    std::puts("usage: aelab_bench [all|train|gemm|pca|rss] [--data DIR] [--json FILE] [--threads N]\n"
              "                   [--nets 1,4] [--repeats R] [--seconds S] [--smoke]");
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            auto next = [&]() -> std::string {
                if (i + 1 >= argc) throw Error(a + " needs a value");
                return argv[++i];
            };
            if (a == "all" || a == "train" || a == "gemm" || a == "pca" || a == "rss") o.what = a;
            else if (a == "--data") o.data_dir = next();
            else if (a == "--json") o.json = next();
            else if (a == "--threads") o.threads = std::max(1, std::atoi(next().c_str()));
            else if (a == "--repeats") o.repeats = std::max(1, std::atoi(next().c_str()));
            else if (a == "--seconds") o.seconds = std::max(0.01, std::atof(next().c_str()));
            else if (a == "--smoke") o.smoke = true;
            else if (a == "--nets") {
                o.nets.clear();
                std::stringstream ss(next());
                std::string t;
                while (std::getline(ss, t, ',')) o.nets.push_back(std::atoi(t.c_str()));
            } else if (a == "-h" || a == "--help") {
                usage();
                return 0;
            } else {
                usage();
                throw Error("unknown argument '" + a + "'");
            }
        }
        if (o.smoke) {
            o.repeats = 1;
            o.seconds = 0.05;
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "aelab_bench: %s\n", e.what());
        return 2;
    }

    // Threads: the core never spawns threads; natively the product backend may.
#if defined(AELAB_BENCH_OPENBLAS)
    openblas_set_num_threads(o.threads);
#endif
#if defined(_OPENMP)
    omp_set_num_threads(o.threads);
#endif
#if !defined(EIGEN_DONT_PARALLELIZE)
    Eigen::setNbThreads(o.threads);
#endif
    int threads_effective = 1;
#if defined(AELAB_BENCH_OPENBLAS)
    threads_effective = openblas_get_num_threads();
#elif defined(_OPENMP) && !defined(EIGEN_DONT_PARALLELIZE)
    threads_effective = Eigen::nbThreads();
#endif
    const char* ct = std::getenv("OPENBLAS_CORETYPE");
    const std::string coretype = ct ? ct : "unset";
    const std::string platform = AELAB_BENCH_PLATFORM;

    std::ostringstream js;
    js << "{\n  \"tool\": \"aelab\",\n  \"platform\": " << jstr(platform)
       << ",\n  \"backend\": " << jstr(backend_name()) << ",\n  \"threads\": " << threads_effective
       << ",\n  \"openblas_coretype\": " << jstr(coretype) << ",\n  \"smoke\": " << (o.smoke ? "true" : "false")
       << ",\n  \"repeats\": " << o.repeats << ",\n  \"seconds_per_repeat\": " << jnum(o.seconds);
    std::printf("aelab_bench (%s, %s, %d thread%s, OPENBLAS_CORETYPE=%s)%s\n", platform.c_str(),
                backend_name().c_str(), threads_effective, threads_effective == 1 ? "" : "s", coretype.c_str(),
                o.smoke ? " [smoke]" : "");

    try {
        if (o.what == "rss") {
            RssResult r = bench_rss(o);
            std::printf("peak memory of a net 1 training run on %s: %.1f MiB (%s), data (float32 train+test) "
                        "%.1f MiB: ratio %.2f\n",
                        o.smoke ? "512 samples" : "full MNIST", r.peak_mib,
                        platform == "wasm" ? "WASM linear memory" : "ru_maxrss", r.data_mib, r.ratio);
            js << ",\n  \"rss\": {\"peak_mib\": " << jnum(r.peak_mib) << ", \"data_mib\": " << jnum(r.data_mib)
               << ", \"ratio\": " << jnum(r.ratio) << ", \"steps\": " << r.steps
               << ", \"measure\": " << jstr(platform == "wasm" ? "wasm linear memory" : "getrusage ru_maxrss")
               << ", \"test_mse\": " << jnum(r.test_mse) << "}";
        } else {
            const bool do_train = o.what == "all" || o.what == "train" || o.what == "gemm";
            const bool do_pca = o.what == "all" || o.what == "pca";
            Index ntr = o.smoke ? 512 : 60000, nte = o.smoke ? 256 : 10000;
            Data data = load_data(o, ntr, nte);
            js << ",\n  \"data\": " << jstr(data.source) << ",\n  \"train_samples\": " << data.train.cols()
               << ",\n  \"test_samples\": " << data.test.cols();
            std::printf("data: %s, train %ld x %ld, test %ld x %ld\n", data.source.c_str(), long(data.train.rows()),
                        long(data.train.cols()), long(data.test.rows()), long(data.test.cols()));
            if (do_train) {
                std::printf("\n%-58s %12s %9s %14s %9s %6s\n", "training (median of repeats)", "samples/s", "GFLOP/s",
                            "GEMM-only s/s", "GEMM GF/s", "of GEMM");
                js << ",\n  \"train\": [";
                bool first = true;
                for (int id : o.nets) {
                    NetSpec ns = net_spec(id);
                    TrainResult r;
                    if (o.what != "gemm") r = bench_train(ns, data, o);
                    else {
                        r.net = id;
                        r.name = ns.name;
                        r.batch = ns.batch;
                    }
                    bench_gemm(ns, o, r);
                    std::printf("%-58s %12.0f %9.1f %14.0f %9.1f %5.0f%%\n", r.name.c_str(), r.samples_per_s,
                                r.gflops, r.gemm_samples_per_s, r.gemm_gflops,
                                100.0 * r.samples_per_s / r.gemm_samples_per_s);
                    js << (first ? "" : ",") << "\n    {\"net\": " << r.net << ", \"name\": " << jstr(r.name)
                       << ", \"batch\": " << r.batch << ", \"samples_per_s\": " << jnum(r.samples_per_s)
                       << ", \"gflops\": " << jnum(r.gflops) << ", \"flops_per_step\": " << jnum(r.flops_per_step)
                       << ", \"gemm_samples_per_s\": " << jnum(r.gemm_samples_per_s)
                       << ", \"gemm_gflops\": " << jnum(r.gemm_gflops) << ", \"steps_timed\": " << r.steps_timed
                       << ", \"final_loss\": " << jnum(r.final_loss) << ", \"runs\": [";
                    for (size_t i = 0; i < r.runs.size(); ++i) js << (i ? ", " : "") << jnum(r.runs[i]);
                    js << "]}";
                    first = false;
                }
                js << "\n  ]";
                std::vector<GemmShape> shapes;
                if (!o.smoke) {
                    shapes.push_back(bench_product(256, 784, 128, o));
                    shapes.push_back(bench_product(500, 784, 100, o));
                } else {
                    shapes.push_back(bench_product(64, 64, 64, o));
                }
                js << ",\n  \"products\": [";
                for (size_t i = 0; i < shapes.size(); ++i) {
                    const auto& s = shapes[i];
                    std::printf("product %dx%d * %dx%d: %.1f GFLOP/s\n", s.m, s.k, s.k, s.n, s.gflops);
                    js << (i ? ", " : "") << "{\"m\": " << s.m << ", \"k\": " << s.k << ", \"n\": " << s.n
                       << ", \"gflops\": " << jnum(s.gflops) << "}";
                }
                js << "]";
            }
            if (do_pca) {
                std::vector<PcaResult> pr;
                pr.push_back(bench_pca("full (covariance eig)", PcaSolver::Covariance, 5, data, o));
                pr.push_back(bench_pca("full (SVD)", PcaSolver::SVD, 5, data, o));
                pr.push_back(bench_pca("randomized", PcaSolver::Randomized, 5, data, o));
                pr.push_back(bench_pca("incremental", PcaSolver::Incremental, 30, data, o));
                std::printf("\n%-28s %4s %10s %14s\n", "PCA fit (train set)", "k", "seconds", "test MSE");
                js << ",\n  \"pca\": [";
                for (size_t i = 0; i < pr.size(); ++i) {
                    const auto& r = pr[i];
                    std::printf("%-28s %4d %10.3f %14.8f\n", r.name.c_str(), r.k, r.seconds, r.test_mse);
                    js << (i ? "," : "") << "\n    {\"name\": " << jstr(r.name) << ", \"solver\": "
                       << jstr(to_string(r.solver)) << ", \"k\": " << r.k << ", \"seconds\": " << jnum(r.seconds)
                       << ", \"test_mse\": " << jnum(r.test_mse) << ", \"runs\": [";
                    for (size_t j = 0; j < r.runs.size(); ++j) js << (j ? ", " : "") << jnum(r.runs[j]);
                    js << "]}";
                }
                js << "\n  ]";
            }
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "aelab_bench: %s\n", e.what());
        return 1;
    }
    js << "\n}\n";
    if (!o.json.empty()) {
        std::ofstream f(o.json);
        f << js.str();
        if (!f) {
            std::fprintf(stderr, "aelab_bench: cannot write %s\n", o.json.c_str());
            return 1;
        }
        std::printf("wrote %s\n", o.json.c_str());
    }
    return 0;
}
