// tests/bench/embed_bench.cpp — aelab's side of the embedding benchmark (issue 11, item 5),
// driven by tests/bench/embed_bench.py, which hands every library the same input files.
//
// What: reads a d x N float32 matrix (raw little-endian, column-major = N rows of d values
// as numpy writes a C-order (N, d) array) and N int32 labels, then
//   embed_bench tsne X.f32 labels.i32 d N OUT.f32 [perplexity theta iters]
//       t-SNE (PCA init, seed 0, 1 thread); writes the 2 x N embedding as float64 (N rows of
//       2) to OUT; prints JSON: seconds (affinities + optimisation), affinity seconds, KL
//       (exact normaliser), 5-NN leave-one-out accuracy.
//   embed_bench score X.f32 labels.i32 d N Y.f64 [perplexity]
//       KL of a given embedding (N rows of 2 float64, e.g. scikit-learn's or Rtsne's) under
//       aelab's P for the same perplexity, with the exact normaliser, and its 5-NN accuracy:
//       every library's layout is scored by the same formula.
//   embed_bench kpca X.f32 d N k gamma
//       rbf kernel PCA (exact, Lanczos); prints JSON: seconds, eigenvalues, Lanczos steps.
// Why: timing inside the process excludes interpreter start-up and file reading on every side.
#include "aelab/kpca.hpp"
#include "aelab/tsne.hpp"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace aelab;

namespace {

template <class T> std::vector<T> read_raw(const std::string& path, std::size_t n) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error("cannot open " + path);
    std::vector<T> v(n);
    f.read(reinterpret_cast<char*>(v.data()), std::streamsize(n * sizeof(T)));
    if (std::size_t(f.gcount()) != n * sizeof(T)) throw Error(path + ": expected " + std::to_string(n * sizeof(T)) + " bytes");
    return v;
}

double cpu_s() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 5) throw Error("usage: embed_bench tsne|score|kpca X.f32 ... (see the header comment)");
        const std::string cmd = argv[1];
        if (cmd == "kpca") {
            if (argc < 7) throw Error("usage: embed_bench kpca X.f32 d N k gamma");
            const Index d = std::atol(argv[3]), N = std::atol(argv[4]);
            std::vector<float> x = read_raw<float>(argv[2], std::size_t(d * N));
            const Mat X = Eigen::Map<Mat>(x.data(), d, N);
            KpcaOptions o;
            o.kernel = Kernel::Rbf;
            o.n_components = std::atol(argv[5]);
            o.gamma = std::atof(argv[6]);
            KernelPCA kp(o);
            const double t0 = now_s(), c0 = cpu_s();
            kp.fit(X);
            const double sec = now_s() - t0, cpu = cpu_s() - c0;
            std::printf("{\"seconds\": %.6f, \"cpu_seconds\": %.6f, \"lanczos_steps\": %d, \"eigenvalues\": [", sec, cpu,
                        kp.lanczos_steps_);
            for (Index i = 0; i < kp.eigenvalues_.size(); ++i) std::printf("%s%.17g", i ? ", " : "", kp.eigenvalues_(i));
            std::printf("]}\n");
            return 0;
        }
        if (argc < 7) throw Error("usage: embed_bench tsne|score X.f32 labels.i32 d N FILE [perplexity theta iters]");
        const Index d = std::atol(argv[4]), N = std::atol(argv[5]);
        std::vector<float> x = read_raw<float>(argv[2], std::size_t(d * N));
        std::vector<int> lab32 = read_raw<int>(argv[3], std::size_t(N));
        const Mat X = Eigen::Map<Mat>(x.data(), d, N);
        TsneOptions o;
        o.perplexity = argc > 7 ? std::atof(argv[7]) : 30.0;
        o.theta = argc > 8 ? std::atof(argv[8]) : 0.5;
        o.max_iter = argc > 9 ? std::atoi(argv[9]) : 1000;
        o.kl_exact_max = 1 << 30;
        if (cmd == "tsne") {
            TSNE t(o);
            const double t0 = now_s(), c0 = cpu_s();
            t.fit_begin(X);
            const double t1 = now_s();
            while (!t.done()) t.step({1000000, 0.0});
            const double t2 = now_s(), cpu = cpu_s() - c0;
            const MatD& Y = t.embedding();
            std::ofstream f(argv[6], std::ios::binary);
            f.write(reinterpret_cast<const char*>(Y.data()), std::streamsize(Y.size() * sizeof(double)));
            std::printf("{\"seconds\": %.6f, \"cpu_seconds\": %.6f, \"affinity_seconds\": %.6f, \"kl\": %.6f, "
                        "\"knn5\": %.6f, \"lr\": %.4f}\n",
                        t2 - t0, cpu, t1 - t0, t.kl_divergence(), knn_loo_accuracy(Y, lab32, 5), t.learning_rate_used());
            return 0;
        }
        if (cmd == "score") {
            std::vector<double> y = read_raw<double>(argv[6], std::size_t(2 * N));
            const MatD Y = Eigen::Map<MatD>(y.data(), 2, N);
            o.max_iter = 1;
            TSNE t(o);
            t.continue_from(X, Y);  // computes P for X; the layout stays Y (no iteration runs)
            std::printf("{\"kl\": %.6f, \"knn5\": %.6f}\n", t.kl_divergence(), knn_loo_accuracy(Y, lab32, 5));
            return 0;
        }
        throw Error("unknown command " + cmd);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "embed_bench: %s\n", e.what());
        return 1;
    }
}
