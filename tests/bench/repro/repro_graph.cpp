// aelab_repro_graph — the C++ side of the issue-10 reproduction rows (tests/bench/repro/).
//
// What: two commands over a layer graph (aelab/graph.hpp) on 784-pixel images:
//   dump   what a PyTorch twin must reproduce bit for bit, as raw little-endian files in
//          --out-dir: params.f32 (Graph::init_params(seed), the flat buffer), forward.f32
//          (the output of the first --n test images under those weights, mean code,
//          column-major output.size() x n), code.f32 (their mean codes, code x n), and for
//          --steps steps of the training order batches.i32 (batch x steps, training-column
//          indices) and, for a VAE, eps.f32 (k x batch per step); meta.json describes them.
//   train  trains the graph with core's Graph + optimizer in the Trainer's order (the
//          training-order contract of issue 10): Rng(seed, 0x7a1), Fisher-Yates shuffle at
//          the start and after every pass (incomplete tail dropped); per step take the batch
//          (Trainer::next_batch, reshuffling when the pass ends), then for a VAE draw eps
//          (k x B) with Graph::sample_eps from the SAME stream, then forward/backward, then
//          the optimizer step. Initial weights Graph::init_params(seed). Writes JSON with
//          the test metrics before training (the first --eval0-max test
//          images, default 2000, 0 = all) and after it (all test images):
//            plain AE: recon loss (BCE mean over entries from logits, or MSE) and MSE;
//            VAE: recon (BCE summed per image) and KL with the mean code, elbo_mean =
//            -(recon + KL); the sampled elbo with one z per image from Rng(eval_seed, 0xe7a1)
//            (k normals per image, images in order); with --iwae K the IWAE bound
//            log p(x) >= mean_x logmeanexp_K [log p(x|z) + log p(z) - log q(z|x)], the K
//            passes over the test set drawing from that stream after the sampled elbo.
// Why: the aelab side of the rows on the 10,000 test images (the CLI's conv AE recipe
// evaluates on its validation split), with the training the CLI does (same test ELBO and KL
// to 9 digits as `aelab train --recipe vae-paper-k5 --steps 300`); it also proves that tests/bench/repro/aelab_ref.py replays aelab's weights, batches and eps
// exactly (torch_graph.py --check compares against a dump).
// Usage:
//   aelab_repro_graph dump  --arch STR --seed S --data DIR/mnist --n 16 --batch 100 --steps 3 --out-dir D
//   aelab_repro_graph train --arch STR --loss bce [--vae] [--beta 1] --opt adam --lr 1e-3 --batch 100
//                           (--epochs E | --steps N) [--train-n 55000] --seed S --data DIR/mnist
//                           [--eval-seed 7] [--iwae K] [--eval0-max 2000] --out-json F
// Errors (bad options, missing files, bad shapes) print one line and exit 2.
#include "aelab/graph.hpp"
#include "aelab/idx.hpp"
#include "aelab/optim.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <numeric>
#include <string>
#include <vector>

using namespace aelab;

namespace {

using Args = std::map<std::string, std::string>;

Args parse_args(int argc, char** argv, int first) {
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string k = argv[i];
        AELAB_REQUIRE(k.rfind("--", 0) == 0, "unexpected argument '" + k + "'");
        k = k.substr(2);
        if (k == "vae") { a[k] = "1"; continue; }
        AELAB_REQUIRE(i + 1 < argc, "option --" + k + " needs a value");
        a[k] = argv[++i];
    }
    return a;
}
std::string get(const Args& a, const std::string& k, const std::string& def = "") {
    auto it = a.find(k);
    if (it != a.end()) return it->second;
    AELAB_REQUIRE(!def.empty(), "missing option --" + k);
    return def;
}
long get_long(const Args& a, const std::string& k, const std::string& def = "") {
    const std::string v = get(a, k, def);
    char* end = nullptr;
    const long x = std::strtol(v.c_str(), &end, 10);
    AELAB_REQUIRE(end && *end == 0 && !v.empty(), "--" + k + " must be an integer, got '" + v + "'");
    return x;
}
double get_double(const Args& a, const std::string& k, const std::string& def = "") {
    const std::string v = get(a, k, def);
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    AELAB_REQUIRE(end && *end == 0 && !v.empty() && std::isfinite(x), "--" + k + " must be a number, got '" + v + "'");
    return x;
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    AELAB_REQUIRE(f.good(), "cannot open " + path);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(f), {});
}
Mat load_split(const std::string& dir, const std::string& split) {
    const auto b = read_bytes(dir + "/" + split + "-images-idx3-ubyte");
    return load_images(b.data(), b.size()).X;
}
template <class V> void write_raw(const std::string& path, const V* p, std::size_t n) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(p), static_cast<std::streamsize>(n * sizeof(V)));
    AELAB_REQUIRE(f.good(), "cannot write " + path);
}

// The Trainer's minibatch order (trainer.cpp next_batch), on its own stream object so that
// the caller can draw eps from the same Rng right after each batch.
struct BatchOrder {
    Index n, b, pos = 0;
    long passes = 0;
    std::vector<Index> perm;
    BatchOrder(Index n_, Index b_, Rng& rng) : n(n_), b(std::min(b_, n_)), perm(static_cast<size_t>(n_)) {
        std::iota(perm.begin(), perm.end(), Index(0));
        rng.shuffle(perm);
    }
    void next(Rng& rng, std::vector<Index>& idx) {
        if (pos + b > n) { rng.shuffle(perm); pos = 0; ++passes; }
        idx.assign(perm.begin() + pos, perm.begin() + pos + b);
        pos += b;
        if (pos == n) { rng.shuffle(perm); pos = 0; ++passes; }
    }
};

void gather(const Mat& X, const std::vector<Index>& idx, Mat& B) {
    B.resize(X.rows(), static_cast<Index>(idx.size()));
    for (size_t j = 0; j < idx.size(); ++j) B.col(static_cast<Index>(j)) = X.col(idx[j]);
}

std::string json_num(double v) {
    if (!std::isfinite(v)) return "null";
    char b[64];
    std::snprintf(b, sizeof b, "%.10g", v);
    return b;
}

// ---- dump --------------------------------------------------------------------------------
int cmd_dump(const Args& a) {
    const ArchSpec spec = parse_arch(get(a, "arch"));
    const std::uint64_t seed = static_cast<std::uint64_t>(get_long(a, "seed", "1"));
    const std::string dir = get(a, "data"), out = get(a, "out-dir");
    const Index n = get_long(a, "n", "16"), B = get_long(a, "batch", "100");
    const long steps = get_long(a, "steps", "3");
    const Index train_n = get_long(a, "train-n", "0");
    Graph<float> g(Shape{784, 1, 1}, spec);
    g.init_params(seed);
    write_raw(out + "/params.f32", g.params().data(), static_cast<size_t>(g.num_params()));
    const Mat Xte = load_split(dir, "t10k");
    const Mat X = Xte.leftCols(std::min(n, Xte.cols()));
    Mat Y, Z;
    g.reconstruct(X, Y);
    g.encode(X, Z);
    write_raw(out + "/forward.f32", Y.data(), static_cast<size_t>(Y.size()));
    write_raw(out + "/code.f32", Z.data(), static_cast<size_t>(Z.size()));
    const Index N = train_n > 0 ? train_n : 60000;
    Rng rng(seed, 0x7a1);
    BatchOrder order(N, B, rng);
    std::vector<std::int32_t> batches;
    std::vector<float> eps_all;
    std::vector<Index> idx;
    for (long s = 0; s < steps; ++s) {
        order.next(rng, idx);
        for (Index i : idx) batches.push_back(static_cast<std::int32_t>(i));
        if (g.gaussian()) {
            Mat eps;
            g.sample_eps(rng, static_cast<Index>(idx.size()), eps);
            eps_all.insert(eps_all.end(), eps.data(), eps.data() + eps.size());
        }
    }
    write_raw(out + "/batches.i32", batches.data(), batches.size());
    if (!eps_all.empty()) write_raw(out + "/eps.f32", eps_all.data(), eps_all.size());
    std::ofstream m(out + "/meta.json");
    m << "{\"arch\": \"" << g.arch_string() << "\", \"seed\": " << seed << ", \"num_params\": " << g.num_params()
      << ", \"n\": " << X.cols() << ", \"output_size\": " << Y.rows() << ", \"code_size\": " << Z.rows()
      << ", \"batch\": " << B << ", \"steps\": " << steps << ", \"train_n\": " << N
      << ", \"vae\": " << (g.gaussian() ? "true" : "false") << ", \"layers\": [";
    for (int i = 0; i < g.num_layers(); ++i)
        m << (i ? ", " : "") << "{\"spec\": \"" << g.layer(i).spec().str() << "\", \"offset\": " << g.offset(i)
          << ", \"num_params\": " << g.layer(i).num_params() << ", \"out\": \"" << g.layer(i).out_shape().str() << "\"}";
    m << "]}\n";
    AELAB_REQUIRE(m.good(), "cannot write " + out + "/meta.json");
    std::printf("dumped %s: %ld params, forward %ldx%ld, %ld steps of batch %ld to %s\n", g.arch_string().c_str(),
                long(g.num_params()), long(Y.rows()), long(Y.cols()), steps, long(B), out.c_str());
    return 0;
}

// ---- evaluation --------------------------------------------------------------------------
struct Metrics {
    double recon = 0, mse = 0, kl = 0, elbo_sampled = NAN, iwae = NAN;
};

constexpr double kLog2Pi = 1.8378770664093453;

Metrics evaluate(Graph<float>& g, const Mat& X, const GraphObjective& obj, std::uint64_t eval_seed, int iwae_k) {
    const Index chunk = 500, N = X.cols();
    Metrics m;
    for (Index s = 0; s < N; s += chunk) {
        const Index n = std::min(chunk, N - s);
        GraphLossParts p = g.forward_loss(X.middleCols(s, n), X.middleCols(s, n), obj, nullptr);
        const double w = double(n) / double(N);  // every reduction is a mean over images or entries
        m.recon += p.recon * w;
        m.mse += p.mse * w;
        m.kl += p.kl * w;
    }
    if (!g.gaussian()) return m;
    Rng rng(eval_seed, 0xe7a1);
    double sampled = 0;
    Mat eps;
    for (Index s = 0; s < N; s += chunk) {
        const Index n = std::min(chunk, N - s);
        g.sample_eps(rng, n, eps);
        GraphLossParts p = g.forward_loss(X.middleCols(s, n), X.middleCols(s, n), obj, &eps);
        sampled += (p.recon + p.kl) * double(n) / double(N);
    }
    m.elbo_sampled = -sampled;
    if (iwae_k <= 0) return m;
    // log w_k(x) = log p(x|z) + log N(z; 0, I) - log N(z; mu, sigma^2), z = mu + sigma*eps.
    MatD logw(iwae_k, N);
    for (int k = 0; k < iwae_k; ++k)
        for (Index s = 0; s < N; s += chunk) {
            const Index n = std::min(chunk, N - s);
            g.sample_eps(rng, n, eps);
            const auto Xc = X.middleCols(s, n);
            g.forward(Xc, &eps);
            const auto& gc = *g.gaussian();
            const int out = [&] {
                int o = g.num_layers() - 1;
                while (o > 0 && g.layer(o).kind() == LayerKind::Reshape) --o;
                return o;
            }();
            const Mat& zl = g.layer(out).preactivation();
            for (Index j = 0; j < n; ++j) {
                double lpx = 0;
                for (Index i = 0; i < zl.rows(); ++i) {
                    const double z = zl(i, j), x = Xc(i, j);
                    lpx -= std::max(z, 0.0) - x * z + std::log1p(std::exp(-std::abs(z)));
                }
                double lpz = 0, lq = 0;
                for (Index i = 0; i < eps.rows(); ++i) {
                    const double e = eps(i, j), mu = gc.mean()(i, j), lv = gc.logvar()(i, j);
                    const double z = mu + std::exp(0.5 * lv) * e;
                    lpz += -0.5 * (kLog2Pi + z * z);
                    lq += -0.5 * (kLog2Pi + lv + e * e);
                }
                logw(k, s + j) = lpx + lpz - lq;
            }
        }
    double tot = 0;
    for (Index j = 0; j < N; ++j) {
        const double mx = logw.col(j).maxCoeff();
        tot += mx + std::log((logw.col(j).array() - mx).exp().mean());
    }
    m.iwae = tot / double(N);
    return m;
}

std::string metrics_json(const Metrics& m, bool vae, const GraphObjective& obj) {
    std::string s = "{";
    if (vae) {
        s += "\"recon\": " + json_num(m.recon) + ", \"kl\": " + json_num(m.kl) + ", \"elbo_mean\": " +
             json_num(-(m.recon + m.kl)) + ", \"elbo_sampled\": " + json_num(m.elbo_sampled) +
             ", \"iwae\": " + json_num(m.iwae) + ", \"mse\": " + json_num(m.mse);
    } else {
        s += "\"loss\": " + json_num(m.recon) + ", \"mse\": " + json_num(m.mse);
        if (obj.loss == ReconLoss::BCE) s += ", \"bce\": " + json_num(m.recon);
    }
    return s + "}";
}

// ---- train -------------------------------------------------------------------------------
int cmd_train(const Args& a) {
    using Clock = std::chrono::steady_clock;
    const auto t_wall = Clock::now();
    const std::string arch = get(a, "arch"), out_json = get(a, "out-json");
    {  // refuse an unwritable result path before training, not after
        std::ofstream probe(out_json, std::ios::app);
        AELAB_REQUIRE(probe.good(), "cannot write " + out_json);
    }
    Graph<float> g(Shape{784, 1, 1}, parse_arch(arch));
    const bool vae = a.count("vae") > 0;
    AELAB_REQUIRE(vae == (g.gaussian() != nullptr), vae ? "--vae needs an arch with a Gaussian code g<K>"
                                                        : "the arch has a Gaussian code: pass --vae");
    GraphObjective obj;
    const std::string loss = get(a, "loss", "bce");
    AELAB_REQUIRE(loss == "bce" || loss == "mse", "--loss must be bce or mse");
    obj.loss = loss == "bce" ? ReconLoss::BCE : ReconLoss::MSE;
    obj.sum_per_sample = vae;
    obj.beta = get_double(a, "beta", "1");
    const std::uint64_t seed = static_cast<std::uint64_t>(get_long(a, "seed", "1"));
    const std::uint64_t eval_seed = static_cast<std::uint64_t>(get_long(a, "eval-seed", "7"));
    const int iwae_k = static_cast<int>(get_long(a, "iwae", "0"));
    OptimizerConfig oc = OptimizerConfig::defaults_for(parse_optimizer(get(a, "opt", "adam")));
    oc.lr = get_double(a, "lr", "0.001");
    oc.validate();
    const Index B = get_long(a, "batch", "100");
    AELAB_REQUIRE(B >= 1, "--batch must be >= 1");
    const std::string dir = get(a, "data");
    Mat Xtr_all = load_split(dir, "train");
    const Mat Xte = load_split(dir, "t10k");
    const Index train_n = get_long(a, "train-n", std::to_string(Xtr_all.cols()));
    AELAB_REQUIRE(train_n >= 1 && train_n <= Xtr_all.cols(), "--train-n out of range");
    const Mat Xtr = Xtr_all.leftCols(train_n);
    Xtr_all.resize(0, 0);
    long steps = 0;
    if (a.count("steps")) steps = get_long(a, "steps");
    else steps = get_long(a, "epochs", "1") * (train_n / std::min(B, train_n));
    AELAB_REQUIRE(steps >= 1, "--steps/--epochs must give at least one step");

    g.init_params(seed);
    const auto t_eval0 = Clock::now();
    const long e0 = get_long(a, "eval0-max", "2000");
    const Index eval0 = e0 > 0 ? std::min<Index>(e0, Xte.cols()) : Xte.cols();
    const Metrics m0 = evaluate(g, Xte.leftCols(eval0), obj, eval_seed, 0);
    const double eval0_s = std::chrono::duration<double>(Clock::now() - t_eval0).count();
    auto opt = make_optimizer(oc, g.num_params());
    struct NoObjective final : Objective {
        double eval(const Vec&, Vec*) override { return 0; }
    } none;
    Rng rng(seed, 0x7a1);
    BatchOrder order(train_n, B, rng);
    std::vector<Index> idx;
    Mat batch, eps;
    double acc = 0, last = NAN;
    const auto t_train = Clock::now();
    for (long s = 1; s <= steps; ++s) {
        order.next(rng, idx);
        gather(Xtr, idx, batch);
        const MatT<float>* e = nullptr;
        if (vae) { g.sample_eps(rng, batch.cols(), eps); e = &eps; }
        const GraphLossParts p = g.forward_backward(batch, batch, obj, e);
        AELAB_REQUIRE(std::isfinite(p.total), "training diverged at step " + std::to_string(s));
        opt->step(g.params(), g.grads(), p.total, none);
        acc += p.total;
        last = p.total;
        if (s % 500 == 0 || s == steps) {
            std::fprintf(stderr, "step %ld/%ld: mean train loss %.6f\n", s, steps, acc / double(s % 500 ? s % 500 : 500));
            acc = 0;
        }
    }
    const double train_s = std::chrono::duration<double>(Clock::now() - t_train).count();
    const Metrics m1 = evaluate(g, Xte, obj, eval_seed, iwae_k);

    std::ofstream f(out_json);
    f << "{\"framework\": \"aelab (core Graph, tests/bench/repro/repro_graph.cpp)\", \"arch\": \"" << g.arch_string()
      << "\", \"vae\": " << (vae ? "true" : "false") << ", \"loss\": \"" << loss << "\", \"beta\": " << json_num(obj.beta)
      << ", \"optimizer\": \"" << optimizer_name(oc.kind) << "\", \"lr\": " << json_num(oc.lr) << ", \"batch\": " << B
      << ", \"steps\": " << steps << ", \"epochs\": " << json_num(double(steps) * double(B) / double(train_n))
      << ", \"train_n\": " << train_n << ", \"seed\": " << seed << ", \"eval_seed\": " << eval_seed
      << ", \"iwae_k\": " << iwae_k << ", \"eval0_images\": " << eval0 << ", \"num_params\": " << g.num_params() << ",\n \"step0\": "
      << metrics_json(m0, vae, obj) << ",\n \"final\": " << metrics_json(m1, vae, obj)
      << ",\n \"last_batch_loss\": " << json_num(last) << ", \"train_seconds\": " << json_num(train_s)
      << ", \"eval0_seconds\": " << json_num(eval0_s) << ", \"samples_per_second\": "
      << json_num(double(steps) * double(B) / train_s) << ", \"wall_seconds\": "
      << json_num(std::chrono::duration<double>(Clock::now() - t_wall).count()) << "}\n";
    AELAB_REQUIRE(f.good(), "cannot write " + out_json);
    std::printf("aelab_repro_graph train %s: %ld steps in %.1f s; test %s\n", g.arch_string().c_str(), steps, train_s,
                metrics_json(m1, vae, obj).c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::string cmd = argc > 1 ? argv[1] : "";
        if (cmd == "dump") return cmd_dump(parse_args(argc, argv, 2));
        if (cmd == "train") return cmd_train(parse_args(argc, argv, 2));
        std::fprintf(stderr, "usage: aelab_repro_graph dump|train --arch STR ... (see repro_graph.cpp's header)\n");
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "aelab_repro_graph: %s\n", e.what());
        return 2;
    }
}
