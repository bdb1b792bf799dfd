// aelab pca: PCA at several k on full MNIST / Fashion-MNIST — table of explained variance,
// train/test reconstruction MSE and fit time; eigen-digits and reconstructions as PNG.
#include "aelab/pca.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "images.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace aelab::cli {

std::vector<OptDef> pca_options() {
    return {
        {"k", "K1,K2,..", "numbers of components (default 2,5,10,30,50,128), each 1..784"},
        {"variance", "F", "also the smallest k explaining a fraction F in (0,1) of the variance, e.g. 0.95"},
        {"solver", "NAME", "auto (default), full (SVD), covariance, randomized, incremental"},
        {"seed", "S", "seed of the randomized solver (default 0)"},
        {"show", "N", "eigen-digits to draw (default 16)"},
    };
}

int run_pca(Invocation& in) {
    const Options& o = in.opts;
    Common c = in.common;
    const int argc = in.argc;
    char** argv = in.argv;
    std::vector<long long> ks = o.int_list("k", {2, 5, 10, 30, 50, 128}, 1, 784);
    std::sort(ks.begin(), ks.end());
    ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
    const bool use_var = o.has("variance");
    const double var_frac = o.real("variance", 0.95, 0.0, 1.0, true);
    if (use_var && var_frac >= 1.0) throw UsageError("--variance must be < 1 (a fraction of the variance)");
    const std::string solver_name = o.choice("solver", "auto", {"auto", "full", "svd", "covariance", "randomized", "incremental"});
    PcaSolver solver = solver_name == "full" || solver_name == "svd" ? PcaSolver::SVD
                       : solver_name == "covariance"                 ? PcaSolver::Covariance
                       : solver_name == "randomized"                 ? PcaSolver::Randomized
                       : solver_name == "incremental"                ? PcaSolver::Incremental
                                                                     : PcaSolver::Auto;
    if (use_var && (solver == PcaSolver::Randomized || solver == PcaSolver::Incremental))
        throw UsageError("--variance needs the full spectrum: use --solver auto, full or covariance");
    const std::uint64_t seed = std::uint64_t(o.integer("seed", 0, 0, (1LL << 53)));
    const int show = int(o.integer("show", 16, 1, 784));

    prepare_out(c);  // a bad --out fails before the data is loaded
    DataPair d = load_data_verbose(c);
    const long long kmax_possible = std::min<long long>(d.train.dim(), d.train.size());
    if (!o.has("k"))  // the default list, cut to what the data allow (a CSV table has few features)
        ks.erase(std::remove_if(ks.begin(), ks.end(), [&](long long k) { return k > kmax_possible; }), ks.end());
    if (ks.empty()) ks.push_back(kmax_possible);
    for (long long k : ks)
        if (k > kmax_possible)
            throw UsageError("--k " + std::to_string(k) + " is larger than min(dimension, training images) = " +
                             std::to_string(kmax_possible));

    struct Row {
        std::string label;
        long long k;
        double cum_evr, train_mse, test_mse, fit_s;
        std::string solver;
        Mat recon;
    };
    std::vector<Row> rows;
    std::vector<Index> idx = examples_per_class(d.test.y, 10, 2);
    const Mat Xs = gather_columns(d.test.X, idx);
    PCA largest;
    auto run = [&](NComponents nc, const std::string& label) {
        PcaOptions po;
        po.n_components = nc;
        po.solver = solver;
        po.seed = seed;
        PCA p(po);
        auto t0 = std::chrono::steady_clock::now();
        p.fit(d.train.X);
        double fit_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        Row r;
        r.label = label;
        r.k = p.n_components_;
        r.cum_evr = p.explained_variance_ratio_.sum();
        r.train_mse = p.reconstruction_mse(d.train.X);
        r.test_mse = p.reconstruction_mse(d.test.X);
        r.fit_s = fit_s;
        r.solver = to_string(p.solver_used_);
        r.recon = p.inverse_transform(p.transform(Xs));
        if (!c.quiet)
            std::fprintf(stderr, "[aelab] pca %s: k=%lld fit %.2f s (%s)\n", label.c_str(), r.k, fit_s, r.solver.c_str());
        if (!largest.fitted() || p.n_components_ > largest.n_components_) largest = p;
        rows.push_back(std::move(r));
    };
    for (long long k : ks) run(NComponents(k), std::to_string(k));
    if (use_var) run(NComponents(var_frac), "var>=" + fmt_g(var_frac, 4));

    // ---- stdout table -----------------------------------------------------------------------
    std::printf("aelab pca: %s, %ld train / %ld test images, solver %s\n\n", d.display.c_str(), long(d.train.size()),
                long(d.test.size()), solver_name.c_str());
    std::printf("  %-10s %5s %14s %12s %12s %10s  %s\n", "row", "k", "explained var", "train MSE", "test MSE",
                "fit time", "solver");
    std::printf("  %-10s %5s %14s %12s %12s %10s\n", "", "", "(cumulative)", "", "", "");
    for (const auto& r : rows)
        std::printf("  %-10s %5lld %14.4f %12.6f %12.6f %8.2f s  %s\n", r.label.c_str(), r.k, r.cum_evr, r.train_mse,
                    r.test_mse, r.fit_s, r.solver.c_str());

    // ---- files ---------------------------------------------------------------------------------
    std::string csv = "row,k,explained_variance_ratio_cumulative,train_mse,test_mse,fit_seconds,solver\n";
    for (const auto& r : rows)
        csv += r.label + "," + std::to_string(r.k) + "," + fmt_g(r.cum_evr, 8) + "," + fmt_g(r.train_mse, 8) + "," +
               fmt_g(r.test_mse, 8) + "," + fmt_g(r.fit_s, 5) + "," + r.solver + "\n";
    write_text(join_path(c.out, "pca.csv"), csv);
    std::string spec = "component,explained_variance,explained_variance_ratio,cumulative_ratio\n";
    double cum = 0;
    for (Index i = 0; i < largest.n_components_; ++i) {
        cum += largest.explained_variance_ratio_(i);
        spec += std::to_string(i + 1) + "," + fmt_g(largest.explained_variance_(i), 8) + "," +
                fmt_g(largest.explained_variance_ratio_(i), 8) + "," + fmt_g(cum, 8) + "\n";
    }
    write_text(join_path(c.out, "spectrum.csv"), spec);

    Json j = Json::object();
    j["command"] = "pca";
    j["created"] = now_iso8601();
    j["command_line"] = command_line(argc, argv);
    j["data"]["set"] = c.data.set;
    j["data"]["train_size"] = long(d.train.size());
    j["data"]["test_size"] = long(d.test.size());
    j["config"]["solver"] = solver_name;
    j["config"]["seed"] = long(seed);
    Json ksj = Json::array();
    for (long long k : ks) ksj.push(k);
    j["config"]["k"] = ksj;
    j["config"]["variance"] = use_var ? Json(var_frac) : Json();
    Json& rj = j["rows"];
    rj = Json::array();
    for (const auto& r : rows) {
        Json x = Json::object();
        x["row"] = r.label;
        x["k"] = r.k;
        x["explained_variance_ratio_cumulative"] = r.cum_evr;
        x["train_mse"] = r.train_mse;
        x["test_mse"] = r.test_mse;
        x["fit_seconds"] = r.fit_s;
        x["solver"] = r.solver;
        rj.push(x);
    }
    write_text(join_path(c.out, "metrics.json"), j.dump());

    const int ir = d.test.image_rows, ic = d.test.image_cols;
    const Index nshow = std::min<Index>(show, largest.n_components_);
    std::vector<std::string> caps;
    for (Index i = 0; i < nshow; ++i)
        caps.push_back("PC" + std::to_string(i + 1) + " " + fmt_f(100 * largest.explained_variance_ratio_(i), 1) + "%");
    const bool images = image_figures(d.test, c.quiet, "eigendigits.png and reconstructions.png");
    if (images) {
    write_components(join_path(c.out, "eigendigits.png"),
                     d.display + " principal components (\"eigen-digits\"), % of variance", largest.components_.leftCols(nshow),
                     caps, ir, ic, 8, 3);
    std::vector<MontageRow> mrows = {{"input", Xs}};
    for (const auto& r : rows) mrows.push_back({"PCA k=" + std::to_string(r.k), r.recon});
    write_montage(join_path(c.out, "reconstructions.png"), d.display + " test images and PCA reconstructions", mrows,
                  ir, ic, 2);
    }
    std::printf("\n  outputs in %s/: pca.csv spectrum.csv metrics.json%s\n", c.out.c_str(),
                images ? " eigendigits.png reconstructions.png" : "");
    return kExitOk;
}

}  // namespace aelab::cli
