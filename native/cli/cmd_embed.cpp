// aelab embed: a 2-D (or k-D) embedding of images or of a model's codes by PCA, kernel PCA
// or Barnes-Hut t-SNE — CSV of coordinates, PNG/SVG scatter coloured by label (optionally
// with image thumbnails spaced so they do not overlap), metrics JSON (settings, time, KL,
// leave-one-out 5-NN accuracy of the embedding).
#include "aelab/kpca.hpp"
#include "aelab/model_io.hpp"
#include "aelab/palette.hpp"
#include "aelab/pca.hpp"
#include "aelab/tsne.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "images.hpp"
#include "progress.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace aelab::cli {

std::vector<OptDef> embed_options() {
    return {
        {"method", "NAME", "pca, kpca or tsne (default tsne)"},
        {"of", "WHAT", "pixels (default) or codes (the encoder of --model)"},
        {"model", "FILE", "a model file (.aelab) whose encoder gives the codes (--of codes)"},
        {"split", "NAME", "test (default), train or all (train then test)"},
        {"components", "K", "pca / kpca: coordinates to keep, 1..10 (default 2); tsne: 2 only"},
        {"perplexity", "P", "tsne: perplexity (default 30), at most N - 1"},
        {"theta", "T", "tsne: Barnes-Hut angle in [0, 2] (default 0.5; 0 = exact repulsion)"},
        {"iters", "N", "tsne: iterations including 250 of early exaggeration (default 1000)"},
        {"pca-dims", "D", "tsne: reduce the input to D principal components first (default 50; 0 = no)"},
        {"init", "NAME", "tsne: pca (default, scikit-learn's) or random"},
        {"kernel", "NAME", "kpca: rbf (default), poly, sigmoid, cosine or linear"},
        {"gamma", "G", "kpca: kernel coefficient (default 1 / number of features)"},
        {"degree", "D", "kpca: degree of the poly kernel (default 3)"},
        {"coef0", "C", "kpca: constant of the poly / sigmoid kernel (default 1)"},
        {"nystrom", "M", "kpca: Nystrom approximation with M landmarks (default 0 = exact, needed above N = 12000)"},
        {"seed", "S", "seed of t-SNE's random init / kernel PCA's start vector and landmarks (default 0)"},
        {"knn", "K", "neighbours of the leave-one-out k-NN accuracy of the embedding (default 5)"},
        {"thumbnails", "N", "draw up to N images on the scatter, spaced so they do not overlap (default 0)"},
    };
}

namespace {

Mat hstack(const Mat& a, const Mat& b) {
    Mat c(std::max(a.rows(), b.rows()), a.cols() + b.cols());
    c << a, b;
    return c;
}

// Up to n thumbnails: points taken in a seeded random order, each kept if its tile (tile px
// square around its pixel position) overlaps no tile kept before and lies inside the plot.
std::vector<Index> pick_thumbnails(const Mat& xy, const Axes& ax, int n, float tile) {
    std::vector<Index> order(static_cast<size_t>(xy.cols()));
    for (Index i = 0; i < xy.cols(); ++i) order[size_t(i)] = i;
    Rng rng(2024);
    rng.shuffle(order);
    std::vector<Index> kept;
    std::vector<std::pair<float, float>> pos;
    for (Index i : order) {
        if (int(kept.size()) >= n) break;
        const float px = ax.px(xy(0, i)), py = ax.py(xy(1, i));
        if (px - tile / 2 < ax.x || px + tile / 2 > ax.x + ax.w || py - tile / 2 < ax.y || py + tile / 2 > ax.y + ax.h)
            continue;
        bool free = true;
        for (const auto& p : pos)
            if (std::abs(p.first - px) < tile + 2 && std::abs(p.second - py) < tile + 2) {
                free = false;
                break;
            }
        if (!free) continue;
        kept.push_back(i);
        pos.push_back({px, py});
    }
    return kept;
}

}  // namespace

int run_embed(Invocation& in) {
    const Options& o = in.opts;
    Common c = in.common;
    const std::string method = o.choice("method", "tsne", {"pca", "kpca", "tsne"});
    const std::string of = o.choice("of", "pixels", {"pixels", "codes"});
    const std::string split = o.choice("split", "test", {"test", "train", "all"});
    const int comps = int(o.integer("components", 2, 1, 10));
    if (method == "tsne" && comps != 2) throw UsageError("--components: t-SNE embeds in 2 dimensions only");
    TsneOptions to;
    to.perplexity = o.real("perplexity", 30.0, 1.0, 1e6);
    to.theta = o.real("theta", 0.5, 0.0, 2.0);
    to.max_iter = int(o.integer("iters", 1000, 1, 1000000));
    to.init = o.choice("init", "pca", {"pca", "random"}) == "pca" ? TsneInit::Pca : TsneInit::Random;
    to.exaggeration_iters = std::min(250, to.max_iter);
    const long pca_dims = long(o.integer("pca-dims", 50, 0, 100000));
    KpcaOptions ko;
    ko.n_components = comps;
    ko.kernel = parse_kernel(o.choice("kernel", "rbf", {"rbf", "poly", "polynomial", "sigmoid", "cosine", "linear"}));
    ko.gamma = o.has("gamma") ? o.real("gamma", 0.0, 0.0, 1e12, true) : 0.0;
    ko.degree = int(o.integer("degree", 3, 1, 20));
    ko.coef0 = o.real("coef0", 1.0, -1e12, 1e12);
    ko.nystrom_landmarks = Index(o.integer("nystrom", 0, 0, 100000));
    const std::uint64_t seed = std::uint64_t(o.integer("seed", 0, 0, (1LL << 53)));
    to.seed = ko.seed = seed;
    const int knn_k = int(o.integer("knn", 5, 1, 100));
    const int thumbs = int(o.integer("thumbnails", 0, 0, 2000));
    const std::string model_path = o.str("model", "");
    if (of == "codes" && model_path.empty()) throw UsageError("--of codes needs --model FILE.aelab (whose encoder gives the codes)");
    if (of == "pixels" && !model_path.empty()) throw UsageError("--model is used with --of codes only");

    ModelFile mf;
    if (!model_path.empty()) {
        try {
            mf = read_model(read_file(model_path));
        } catch (const Error& e) {
            throw Error("cannot load model " + model_path + ": " + e.what());
        }
        auto it = mf.meta.find("data");
        if (!c.data_given && it != mf.meta.end() && (it->second == "mnist" || it->second == "fashion")) c.data.set = it->second;
    }
    prepare_out(c);
    DataPair d = load_data_verbose(c);
    Mat X;
    std::vector<int> y;
    Mat images;  // the inputs, for thumbnails
    if (split == "train" || split == "all") X = d.train.X, y = d.train.y;
    if (split == "test" || split == "all") {
        X = X.cols() ? hstack(X, d.test.X) : d.test.X;
        y.insert(y.end(), d.test.y.begin(), d.test.y.end());
    }
    images = X;
    std::string what = d.display + " " + split + " " + (of == "codes" ? "codes" : "pixels");
    if (of == "codes") {
        std::unique_ptr<Model> m = build_model(mf);  // dense or graph (conv AE, VAE: the mean code)
        if (m->input_dim() != X.rows())
            throw Error("model " + model_path + " takes inputs of size " + std::to_string(m->input_dim()) + ", but " +
                        d.display + " samples have " + std::to_string(X.rows()) + " features");
        Mat Z;
        m->encode(X, Z);
        if (!Z.allFinite()) throw Error("the codes of model " + model_path + " contain NaN or Inf");
        X = std::move(Z);
    }
    const Index N = X.cols();
    if (method == "kpca" && ko.nystrom_landmarks == 0 && N > 12000)
        throw UsageError("--method kpca: " + std::to_string(N) + " points need an N x N kernel matrix (" +
                         fmt_f(8.0 * double(N) * double(N) / 1e9, 1) + " GB); use --nystrom 2000 or --limit-test");
    if (method == "tsne" && to.perplexity > double(N - 1))
        throw UsageError("--perplexity " + fmt_g(to.perplexity) + " needs more than " + fmt_g(to.perplexity) + " points (" +
                         std::to_string(N) + " given); lower it or embed more points");
    if (method == "kpca" && ko.nystrom_landmarks > N)
        throw UsageError("--nystrom " + std::to_string(ko.nystrom_landmarks) + " exceeds the " + std::to_string(N) + " points");

    Json j = Json::object();
    j["command"] = "embed";
    j["created"] = now_iso8601();
    j["command_line"] = command_line(in.argc, in.argv);
    j["data"]["set"] = c.data.set;
    j["data"]["split"] = split;
    j["data"]["points"] = long(N);
    j["data"]["input_dim"] = long(X.rows());
    j["config"]["method"] = method;
    j["config"]["of"] = of;
    j["config"]["model"] = model_path.empty() ? Json() : Json(model_path);
    j["config"]["seed"] = long(seed);
    MatD E;  // comps x N
    double kl = std::nan("");
    bool kl_exact = false;
    std::string xl = "1", yl = "2";
    const auto t0 = std::chrono::steady_clock::now();
    auto secs = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    if (method == "pca") {
        if (comps > std::min<Index>(X.rows(), N)) throw UsageError("--components exceeds min(dimension, points)");
        PcaOptions po;
        po.n_components = comps;
        PCA p(po);
        E = p.fit_transform(X).cast<double>();
        xl = "PC 1", yl = "PC 2";
        Json ev = Json::array();
        for (Index i = 0; i < p.n_components_; ++i) ev.push(p.explained_variance_ratio_(i));
        j["result"]["explained_variance_ratio"] = ev;
    } else if (method == "kpca") {
        KernelPCA kp(ko);
        E = kp.fit_transform(X);
        xl = "kernel PC 1", yl = "kernel PC 2";
        j["config"]["kernel"] = to_string(ko.kernel);
        j["config"]["gamma"] = kp.gamma_;
        j["config"]["degree"] = ko.degree;
        j["config"]["coef0"] = ko.coef0;
        j["config"]["nystrom_landmarks"] = long(ko.nystrom_landmarks);
        Json ev = Json::array();
        for (Index i = 0; i < kp.eigenvalues_.size(); ++i) ev.push(kp.eigenvalues_(i));
        j["result"]["eigenvalues"] = ev;
        j["result"]["lanczos_steps"] = kp.lanczos_steps_;
        if (ko.nystrom_landmarks > 0) j["result"]["nystrom_trace_error"] = kp.nystrom_trace_error_;
    } else {
        Mat Xin = X;
        if (pca_dims > 0 && X.rows() > pca_dims && N > pca_dims) {
            PcaOptions po;
            po.n_components = long(pca_dims);
            po.seed = seed;
            PCA p(po);
            Xin = p.fit_transform(X);
            note(c, "t-SNE input: " + std::to_string(X.rows()) + "-D reduced to its first " + std::to_string(pca_dims) +
                        " principal components (" + fmt_f(100 * p.explained_variance_ratio_.sum(), 1) + "% of the variance)");
        }
        TSNE t(to);
        t.fit_begin(Xin);
        note(c, "t-SNE: " + std::to_string(N) + " points, " + std::to_string(t.n_neighbors()) + " neighbours, affinities " +
                    fmt_f(secs(), 2) + " s, learning rate " + fmt_g(t.learning_rate_used()));
        Progress prog("tsne", to.max_iter, 0, N, c.quiet);
        while (!t.done()) {
            t.step({25, 0.25});
            prog.update(t.iteration(), std::nan(""));
        }
        prog.finish(t.iteration(), std::nan(""));
        E = t.embedding();
        xl = "t-SNE 1", yl = "t-SNE 2";
        j["config"]["perplexity"] = to.perplexity;
        j["config"]["theta"] = to.theta;
        j["config"]["iters"] = to.max_iter;
        j["config"]["pca_dims"] = pca_dims;
        j["config"]["init"] = to.init == TsneInit::Pca ? "pca" : "random";
        j["config"]["learning_rate"] = t.learning_rate_used();
        j["config"]["neighbors"] = long(t.n_neighbors());
        kl = t.kl_divergence();
        kl_exact = t.kl_is_exact();
        j["result"]["kl_divergence"] = kl;
        j["result"]["kl_exact"] = kl_exact;
        j["result"]["max_calibration_error"] = t.max_calibration_error();
    }
    const double seconds = secs();
    const double acc = N > knn_k ? knn_loo_accuracy(E, y, knn_k) : std::nan("");
    j["result"]["seconds"] = seconds;
    j["result"]["knn_k"] = knn_k;
    j["result"]["knn_accuracy"] = acc;

    // ---- files -------------------------------------------------------------------------------
    std::string csv = "index,label";
    for (Index r = 0; r < E.rows(); ++r) csv += ",c" + std::to_string(r + 1);
    csv += "\n";
    char buf[48];
    for (Index i = 0; i < N; ++i) {
        csv += std::to_string(i) + "," + std::to_string(y[size_t(i)]);
        for (Index r = 0; r < E.rows(); ++r) {
            std::snprintf(buf, sizeof buf, ",%.7g", E(r, i));
            csv += buf;
        }
        csv += "\n";
    }
    write_text(join_path(c.out, "embedding.csv"), csv);
    write_text(join_path(c.out, "metrics.json"), j.dump());
    Mat xy(2, N);
    xy.row(0) = E.row(0).cast<float>();
    xy.row(1) = E.rows() > 1 ? Mat(E.row(1).cast<float>()) : Mat(Mat::Zero(1, N));
    const std::string title = what + ": " + method + ", " + std::to_string(knn_k) + "-NN accuracy " +
                              fmt_f(100 * acc, 1) + "%";
    Axes ax;
    Figure f = scatter_figure(title, xy, y, d.class_names, xl, E.rows() > 1 ? yl : "", 900, &ax);
    int drawn = 0;
    if (thumbs > 0 && d.test.image_rows > 0 && Index(d.test.image_rows) * d.test.image_cols == images.rows()) {
        const int ir = d.test.image_rows, ic = d.test.image_cols;
        for (Index i : pick_thumbnails(xy, ax, thumbs, float(std::max(ir, ic)))) {
            std::vector<std::uint8_t> rgb(size_t(ir) * size_t(ic) * 3);
            for (int p = 0; p < ir * ic; ++p) {
                const auto g = std::uint8_t(std::lround(255.f * (1.f - std::clamp(images(p, i), 0.f, 1.f))));
                rgb[size_t(p) * 3] = rgb[size_t(p) * 3 + 1] = rgb[size_t(p) * 3 + 2] = g;
            }
            const float px = ax.px(xy(0, i)) - ic / 2.f, py = ax.py(xy(1, i)) - ir / 2.f;
            f.image(px, py, std::move(rgb), ic, ir, 1);
            f.stroke_rect(px - 1, py - 1, ic + 2.f, ir + 2.f, palette::categorical(y[size_t(i)]));
            ++drawn;
        }
    } else if (thumbs > 0) {
        note(c, "--thumbnails: the data are not images; the scatter has none");
    }
    write_figure(join_path(c.out, "embedding.png"), f);

    std::printf("aelab embed: %s, %ld points, %ld-D -> %ld-D by %s in %.2f s\n", what.c_str(), long(N), long(X.rows()),
                long(E.rows()), method.c_str(), seconds);
    if (method == "tsne")
        std::printf("  KL divergence %.4f (%s)\n", kl, kl_exact ? "exact normaliser" : "Barnes-Hut estimate");
    std::printf("  %d-NN accuracy (leave-one-out, %ld-D embedding) %.4f\n", knn_k, long(E.rows()), acc);
    std::printf("  outputs in %s/: embedding.csv embedding.png embedding.svg metrics.json%s\n", c.out.c_str(),
                drawn ? (" (" + std::to_string(drawn) + " thumbnails)").c_str() : "");
    return kExitOk;
}

}  // namespace aelab::cli
