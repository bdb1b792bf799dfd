// aelab classify: a logistic-regression classifier (aelab/logreg.hpp) on several feature
// sets of one data set — raw features, PCA codes, a model's codes — fitted on the training
// split, scored on both; table of accuracy and ROC AUC; classify.csv, split.csv and
// metrics.json (with the fitted coefficients) in --out.
// CLI recipes: `--recipe KEY` reads assets/cli-recipes/KEY.txt (recipe_cli.hpp
// cli_recipe_options; `command: classify`); its options are inserted before the command
// line's, so explicit options win.
#include "aelab/assets.hpp"
#include "aelab/logreg.hpp"
#include "aelab/model_io.hpp"
#include "aelab/pca.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "recipe_cli.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

namespace aelab::cli {

std::vector<OptDef> classify_options() {
    return {
        {"on", "F1,F2,..", "feature sets (default raw,pca:2): raw (the scaled inputs), pca:K (the first K principal components, fitted on the training split), codes (the encoder of --model)"},
        {"model", "FILE", "a model file (.aelab; dense or graph model) whose encoder gives the codes (--on codes)"},
        {"C", "C", "inverse L2 strength (default 1, scikit-learn's): penalty ||W||^2 / (2C), loss summed over samples"},
        {"max-iter", "N", "L-BFGS iterations at most (default 1000)"},
        {"tol", "T", "stop when the largest gradient entry is <= T (default 1e-6)"},
        {"recipe", "KEY", "the options of a CLI recipe (assets/cli-recipes/KEY.txt: course-breast-cancer); options given explicitly win"},
    };
}

namespace {

struct FeatureSet {
    std::string name;  // "raw", "pca:2", "codes"
    int pca_k = 0;
};

std::vector<FeatureSet> parse_on(const std::string& text) {
    std::vector<FeatureSet> out;
    std::size_t start = 0;
    for (;;) {
        const auto comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        FeatureSet f;
        f.name = item;
        if (item.rfind("pca:", 0) == 0) {
            const std::string k = item.substr(4);
            if (k.empty() || k.size() > 6 || k.find_first_not_of("0123456789") != std::string::npos)
                throw UsageError("--on " + item + ": pca:K needs a whole number of components K >= 1");
            f.pca_k = std::stoi(k);
            if (f.pca_k < 1) throw UsageError("--on " + item + ": pca:K needs K >= 1 components");
            f.name = "pca:" + std::to_string(f.pca_k);
        } else if (item != "raw" && item != "codes") {
            throw UsageError("--on: unknown feature set '" + item + "' (raw, pca:K, codes)");
        }
        for (const FeatureSet& g : out)
            if (g.name == f.name) throw UsageError("--on lists " + f.name + " twice");
        out.push_back(f);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

MatD to_double(const Mat& X) { return X.cast<double>(); }

Json matrix_json(const MatD& M) {
    Json rows = Json::array();
    for (Index r = 0; r < M.rows(); ++r) {
        Json row = Json::array();
        for (Index c = 0; c < M.cols(); ++c) row.push(M(r, c));
        rows.push(row);
    }
    return rows;
}

}  // namespace

int run_classify(Invocation& in) {
    if (in.opts.has("recipe")) {  // expand and run again: explicit options come after (and win)
        std::vector<std::string> args = {in.argv[0], in.argv[1]};
        std::vector<std::string> rec = cli_recipe_options(in.opts.str("recipe", ""), "classify");
        for (const std::string& r : rec) {
            const std::string name = r.substr(2, r.find('=') - 2);
            if (!in.opts.has(name)) args.push_back(r);
        }
        for (int i = 2; i < in.argc; ++i) {
            const std::string a = in.argv[i];
            if (a == "--recipe") {
                ++i;
                continue;
            }
            if (a.rfind("--recipe=", 0) == 0) continue;
            args.push_back(a);
        }
        std::vector<char*> ptrs;
        for (std::string& a : args) ptrs.push_back(a.data());
        ptrs.push_back(nullptr);
        return run_command(*find_command("classify"), int(args.size()), ptrs.data());
    }
    const Options& o = in.opts;
    Common c = in.common;
    const std::vector<FeatureSet> sets = parse_on(o.str("on", "raw,pca:2"));
    LogRegOptions lo;
    lo.C = o.real("C", 1.0, 0.0, 1e12, true);
    lo.max_iter = int(o.integer("max-iter", 1000, 1, 1000000));
    lo.tol = o.real("tol", 1e-6, 0.0, 1e6, true);
    const bool want_codes = std::any_of(sets.begin(), sets.end(), [](const FeatureSet& f) { return f.name == "codes"; });
    const std::string model_path = o.str("model", "");
    if (want_codes && model_path.empty())
        throw UsageError("--on codes needs --model FILE.aelab (whose encoder gives the codes)");
    if (!want_codes && !model_path.empty()) throw UsageError("--model is used with --on codes only");

    std::unique_ptr<Model> model;
    std::string model_data;
    if (!model_path.empty()) {
        ModelFile mf;
        try {
            mf = read_model(read_file(model_path));
            model = build_model(mf);
        } catch (const Error& e) {
            throw Error("cannot load model " + model_path + ": " + e.what());
        }
        auto it = mf.meta.find("data");
        if (it != mf.meta.end()) model_data = it->second;
    }
    prepare_out(c);
    SplitRows split;
    DataPair d;
    if (c.file.kind != FileData::None) {
        auto t0 = std::chrono::steady_clock::now();
        std::string summary;
        d = load_file_data(c.file, c.data.limit_train, c.data.limit_test, &summary, &split);
        note(c, summary + " (" + fmt_f(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2) + " s)");
    } else {
        d = load_data_verbose(c);
        for (Index i = 0; i < d.train.size(); ++i) split.train.push_back(static_cast<long long>(i));
        for (Index i = 0; i < d.test.size(); ++i) split.test.push_back(static_cast<long long>(i));
    }
    int K = int(d.class_names.size());
    for (int v : d.train.y) K = std::max(K, v + 1);
    for (int v : d.test.y) K = std::max(K, v + 1);
    if (K < 2) throw Error(d.display + ": the data have one class (unlabelled?): a classifier needs labels of 2 or more classes");
    const Index dim = d.train.dim();
    const Index kmax = std::min<Index>(dim, d.train.size());
    for (const FeatureSet& f : sets)
        if (f.pca_k > kmax)
            throw UsageError("--on " + f.name + ": K is larger than min(features, training samples) = " + std::to_string(kmax));
    if (model && model->input_dim() != dim)
        throw Error("model " + model_path + " takes inputs of size " + std::to_string(model->input_dim()) + ", but " +
                    d.display + " samples have " + std::to_string(dim) + " features: encode data of the size it was trained on");

    struct Row {
        std::string features;
        Index dim;
        double train_acc, test_acc, test_auc, fit_s;
        int iterations;
        bool converged;
        MatD coef;
        VecD intercept;
    };
    std::vector<Row> rows;
    for (const FeatureSet& f : sets) {
        Mat Ftr, Fte;
        if (f.name == "raw") {
            Ftr = d.train.X, Fte = d.test.X;
        } else if (f.pca_k > 0) {
            PcaOptions po;
            po.n_components = NComponents(Index(f.pca_k));
            PCA p(po);
            p.fit(d.train.X);
            Ftr = p.transform(d.train.X);
            Fte = p.transform(d.test.X);
        } else {
            model->encode(d.train.X, Ftr);
            model->encode(d.test.X, Fte);
            if (!Ftr.allFinite() || !Fte.allFinite()) throw Error("the codes of model " + model_path + " contain NaN or Inf");
            if (!model_data.empty() && !c.quiet)
                note(c, "codes of " + model_path + " (trained on " + model_data + "; " + std::to_string(Ftr.rows()) +
                            "-dimensional)");
        }
        auto t0 = std::chrono::steady_clock::now();
        const LogRegScores s = fit_and_score(to_double(Ftr), d.train.y, to_double(Fte), d.test.y, K, lo);
        const LogisticRegression& lr = s.model;
        Row r;
        r.fit_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        r.features = f.name;
        r.dim = Ftr.rows();
        r.train_acc = s.train_acc;
        r.test_acc = s.test_acc;
        r.test_auc = s.test_auc;
        r.iterations = lr.iterations;
        r.converged = lr.converged;
        r.coef = lr.coef;
        r.intercept = lr.intercept;
        if (!lr.converged && !c.quiet)
            note(c, f.name + ": L-BFGS stopped after " + std::to_string(lr.iterations) +
                        " iterations with max |gradient| " + fmt_g(lr.final_grad_max, 3) + " > --tol " + fmt_g(lo.tol, 3));
        rows.push_back(std::move(r));
    }

    // ---- stdout table -----------------------------------------------------------------------
    std::printf("aelab classify: %s, %ld train / %ld test samples, %d classes; logistic regression C=%s (%s)\n\n",
                d.display.c_str(), long(d.train.size()), long(d.test.size()), K, fmt_g(lo.C, 6).c_str(),
                K == 2 ? "binary" : "multinomial; AUC one-vs-rest macro");
    std::printf("  %-10s %5s %10s %10s %10s %10s %6s\n", "features", "dim", "train acc", "test acc", "test AUC", "fit time",
                "iters");
    for (const Row& r : rows)
        std::printf("  %-10s %5ld %10.4f %10.4f %10.4f %8.4f s %6d%s\n", r.features.c_str(), long(r.dim), r.train_acc,
                    r.test_acc, r.test_auc, r.fit_s, r.iterations, r.converged ? "" : " (not converged)");

    // ---- files ---------------------------------------------------------------------------------
    std::string csv = "features,dim,train_accuracy,test_accuracy,test_roc_auc,fit_seconds,iterations,converged\n";
    for (const Row& r : rows)
        csv += r.features + "," + std::to_string(static_cast<long long>(r.dim)) + "," + fmt_g(r.train_acc, 8) + "," +
               fmt_g(r.test_acc, 8) + "," + fmt_g(r.test_auc, 8) + "," + fmt_g(r.fit_s, 5) + "," +
               std::to_string(r.iterations) + "," + (r.converged ? "1" : "0") + "\n";
    write_text(join_path(c.out, "classify.csv"), csv);
    std::string sp = "split,index\n";
    for (long long i : split.train) sp += "train," + std::to_string(i) + "\n";
    for (long long i : split.test) sp += "test," + std::to_string(i) + "\n";
    write_text(join_path(c.out, "split.csv"), sp);

    Json j = Json::object();
    j["command"] = "classify";
    j["created"] = now_iso8601();
    j["command_line"] = command_line(in.argc, in.argv);
    j["data"]["set"] = c.data.set;
    j["data"]["display"] = d.display;
    j["data"]["train_size"] = long(d.train.size());
    j["data"]["test_size"] = long(d.test.size());
    j["data"]["features"] = long(dim);
    j["data"]["classes"] = K;
    Json names = Json::array();
    for (const std::string& n : d.class_names) names.push(n);
    j["data"]["class_names"] = names;
    if (c.file.kind != FileData::None) {
        j["data"]["scaling"] = scaling_name(c.file.split.scaling);
        j["data"]["test_fraction"] = c.file.split.test_fraction;
        j["data"]["split_seed"] = long(c.file.split.seed);
    }
    j["config"]["C"] = lo.C;
    j["config"]["max_iter"] = lo.max_iter;
    j["config"]["tol"] = lo.tol;
    j["config"]["auc"] = K == 2 ? "binary" : "one-vs-rest macro average";
    j["config"]["model"] = model_path.empty() ? Json() : Json(model_path);
    Json& rj = j["rows"];
    rj = Json::array();
    for (const Row& r : rows) {
        Json x = Json::object();
        x["features"] = r.features;
        x["dim"] = long(r.dim);
        x["train_accuracy"] = r.train_acc;
        x["test_accuracy"] = r.test_acc;
        x["test_roc_auc"] = r.test_auc;
        x["fit_seconds"] = r.fit_s;
        x["iterations"] = r.iterations;
        x["converged"] = r.converged;
        x["coef"] = matrix_json(r.coef);
        x["intercept"] = matrix_json(r.intercept.transpose());
        rj.push(x);
    }
    write_text(join_path(c.out, "metrics.json"), j.dump());
    std::printf("\n  outputs in %s/: classify.csv split.csv metrics.json\n", c.out.c_str());
    return kExitOk;
}

}  // namespace aelab::cli
