// recipe_cli.cpp: see recipe_cli.hpp.
#include "recipe_cli.hpp"

#include "commands.hpp"

#include "aelab/assets.hpp"
#include "aelab/course.hpp"
#include "aelab/model_io.hpp"
#include "presets.hpp"
#include "session.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace aelab::cli {

std::vector<OptDef> recipes_options() {
    return {{"cli", nullptr, "list the CLI-only recipes instead (assets/cli-recipes/: key, title, then the command "
                             "they are for: aelab train --recipe KEY or aelab classify --recipe KEY)"}};
}

namespace {

// Keys of the CLI-only recipes (assets/cli-recipes/KEY.txt), sorted.
std::vector<std::string> cli_recipe_keys() {
    std::vector<std::string> keys;
    for (const assets::Asset& x : assets::all()) {
        const std::string p(x.path);
        if (p.rfind("cli-recipes/", 0) == 0 && p.size() > 16) keys.push_back(p.substr(12, p.size() - 16));
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

// A CLI recipe's header, read strictly (Error naming the file and line): the title (1..30
// characters), the command (train or classify) and the cli: options as "--name=value".
struct CliRecipe {
    std::string title, command;
    std::vector<std::string> options;
};

CliRecipe read_cli_recipe(const std::string& key) {
    const std::string path = "cli-recipes/" + key + ".txt";
    const assets::Asset* a = assets::find(path);
    if (!a) throw Error("no CLI recipe assets/" + path);
    const std::string text(a->text);
    CliRecipe r;
    bool cli = false;
    std::size_t start = 0;
    int line_no = 0;
    while (start < text.size()) {
        const auto nl = text.find('\n', start);
        const std::string ln = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        start = nl == std::string::npos ? text.size() : nl + 1;
        ++line_no;
        if (ln.empty()) break;  // the paragraph follows
        const std::string where = "assets/" + path + ", line " + std::to_string(line_no) + ": ";
        const auto colon = ln.find(": ");
        if (colon == std::string::npos) throw Error(where + "want 'field: value'");
        const std::string field = ln.substr(0, colon), value = ln.substr(colon + 2);
        if (field == "title") {
            if (value.empty() || value.size() > 30) throw Error(where + "a title has 1..30 characters");
            r.title = value;
        } else if (field == "command") {
            if (value != "classify" && value != "train")
                throw Error(where + "command '" + value + "': CLI recipes are for train or classify");
            r.command = value;
        } else if (field == "cli") {
            std::size_t s0 = 0;
            while (s0 < value.size()) {
                auto sp = value.find(' ', s0);
                if (sp == std::string::npos) sp = value.size();
                const std::string kv = value.substr(s0, sp - s0);
                s0 = sp + 1;
                if (kv.empty()) continue;
                if (kv.find('=') == std::string::npos || kv[0] == '=') throw Error(where + "cli: want name=value, got '" + kv + "'");
                r.options.push_back("--" + kv);
            }
            cli = true;
        } else {
            throw Error(where + "unknown field '" + field + "' (title, command, cli)");
        }
    }
    if (r.title.empty() || r.command.empty() || !cli) throw Error("assets/" + path + ": needs title:, command: and cli: lines");
    return r;
}

// The keys of the CLI recipes for `command`, comma-separated (for "valid: ..." messages).
std::string cli_recipe_keys_for(const std::string& command) {
    std::string valid;
    for (const std::string& k : cli_recipe_keys())
        if (read_cli_recipe(k).command == command) valid += (valid.empty() ? "" : ", ") + k;
    return valid;
}

}  // namespace

int run_recipes(Invocation& in) {
    if (in.opts.has("cli")) {
        for (const std::string& k : cli_recipe_keys()) {
            const CliRecipe r = read_cli_recipe(k);
            std::printf("%s  %s  (aelab %s)\n", k.c_str(), r.title.c_str(), r.command.c_str());
        }
        return kExitOk;
    }
    for (const app::Preset& p : app::presets()) std::printf("%s  %s\n", p.key.c_str(), p.title.c_str());
    return kExitOk;
}

std::vector<std::string> cli_recipe_options(const std::string& key, const std::string& command) {
    if (!assets::find("cli-recipes/" + key + ".txt"))
        throw UsageError("unknown " + command + " recipe '" + key.substr(0, 40) + "' (valid: " +
                         cli_recipe_keys_for(command) + ")");
    CliRecipe r = read_cli_recipe(key);
    if (r.command != command) throw UsageError("recipe '" + key + "' is for aelab " + r.command + ", not aelab " + command);
    return std::move(r.options);
}


namespace {

// Whether option `name` appears among args[first..] before a "--".
bool given(int argc, char** argv, int first, const std::string& name) {
    for (int i = first; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") break;
        if (a == "--" + name || a.rfind("--" + name + "=", 0) == 0) return true;
    }
    return false;
}

// Whether the command line overrides a recipe's option `name`: it gives the option itself, or
// one that excludes it (--steps replaces --epochs; another --opt drops the Monte Carlo
// search's --mc-* settings, which only --opt mc takes).
bool overridden(int argc, char** argv, int first, const std::string& name) {
    if (given(argc, argv, first, name)) return true;
    if (name == "epochs" && given(argc, argv, first, "steps")) return true;
    return name.rfind("mc-", 0) == 0 && given(argc, argv, first, "opt");
}

}  // namespace

std::vector<std::string> expand_recipe(int argc, char** argv, int first) {
    std::vector<std::string> out(argv, argv + argc);
    std::string key;
    int at = -1, len = 0;
    for (int i = first; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") break;
        if (a == "--recipe" || a.rfind("--recipe=", 0) == 0) {
            if (at >= 0) throw UsageError("option --recipe given twice");
            at = i;
            if (a == "--recipe") {
                if (i + 1 >= argc) throw UsageError("option --recipe needs a value (KEY; `aelab recipes` lists them)");
                key = argv[i + 1];
                len = 2;
            } else {
                key = a.substr(9);
                len = 1;
            }
        }
    }
    if (at < 0) return out;
    const app::Preset* p = app::find_preset(key);
    if (!p && assets::find("cli-recipes/" + key + ".txt")) {  // a CLI-only recipe (aelab recipes --cli)
        std::vector<std::string> ins;
        for (const std::string& r : cli_recipe_options(key, "train")) {
            const std::string name = r.substr(2, r.find('=') - 2);
            if (!overridden(argc, argv, first, name)) ins.push_back(r);
        }
        out.erase(out.begin() + at, out.begin() + at + len);
        out.insert(out.begin() + first, ins.begin(), ins.end());
        return out;
    }
    if (!p) {
        std::string valid;
        for (const app::Preset& r : app::presets()) valid += (valid.empty() ? "" : ", ") + r.key;
        const std::string cli = cli_recipe_keys_for("train");
        if (!cli.empty()) valid += ", " + cli;
        throw UsageError("unknown recipe '" + shorten(key, 40) + "' (valid: " + valid + ")");
    }
    if (p->key != key)
        std::fprintf(stderr, "[aelab] recipe '%s' is now called '%s'; the old name keeps working\n", key.c_str(),
                     p->key.c_str());
    std::vector<std::string> ins;
    for (const auto& [name, value] : app::recipe_cli_options(*p)) {
        if (overridden(argc, argv, first, name)) continue;
        ins.push_back(value.empty() ? "--" + name : "--" + name + "=" + value);
    }
    out.erase(out.begin() + at, out.begin() + at + len);
    out.insert(out.begin() + first, ins.begin(), ins.end());
    return out;
}

ArgList::ArgList(std::vector<std::string>& args) {
    for (auto& a : args) ptrs_.push_back(a.data());
    ptrs_.push_back(nullptr);
}

const std::vector<std::string>& generated_data_sets() {
    static const std::vector<std::string> v = {"gauss2d", "curved3d", "swissroll", "geron3d"};
    return v;
}

int data_input_dim(const std::string& set) {
    app::DatasetKind k;
    return app::parse_dataset(set, &k) ? app::dataset_dim(k) : 784;
}

std::vector<OptDef> gauss_options() {
    return {
        {"mu", "M0,M1", "--data gauss2d: the mean (default -1,2, the course's)"},
        {"cov", "C00,C01,C11", "--data gauss2d: the covariance [[C00, C01], [C01, C11]], or all four entries "
                               "C00,C01,C10,C11; symmetric positive semi-definite (default 4,2,2)"},
        {"npseed", "S", "--data gauss2d: numpy's seed, 0..4294967295: the points are the course's "
                        "np.random.seed(S); np.random.multivariate_normal(mu, cov, n) (default 0)"},
    };
}

Gauss2D read_gauss_options(const Options& o, const std::string& set) {
    Gauss2D g;
    for (const char* name : {"mu", "cov", "npseed"})
        if (o.has(name) && set != "gauss2d")
            throw UsageError(std::string("--") + name + " sets the 2-D Gaussian of --data gauss2d, not of " + set);
    if (o.has("mu"))
        if (const std::string why = parse_gauss_mean(o.str("mu", ""), &g); !why.empty())
            throw UsageError("--mu: " + why);
    if (o.has("cov"))
        if (const std::string why = parse_gauss_cov(o.str("cov", ""), &g); !why.empty())
            throw UsageError("--cov: " + why);
    g.seed = static_cast<std::uint32_t>(o.integer("npseed", 0, 0, static_cast<long long>(kMaxNumpySeed)));
    return g;
}

namespace {

// What the course prints for the 2-D Gaussian's sample (the page's Gaussian panel shows the
// same numbers), on stdout, and the same as JSON.
Json report_gauss(const Gauss2D& g, const Gauss2DStats& s) {
    std::printf("2-D Gaussian: np.random.seed(%u); np.random.multivariate_normal((%s, %s), [[%s, %s], [%s, %s]], %lld)\n",
                g.seed, format_number(g.mean[0]).c_str(), format_number(g.mean[1]).c_str(),
                format_number(g.c00).c_str(), format_number(g.c01).c_str(), format_number(g.c01).c_str(),
                format_number(g.c11).c_str(), static_cast<long long>(s.n));
    std::printf("  sample mean       (%.4f, %.4f)\n", s.mean[0], s.mean[1]);
    std::printf("  covariance (n-1)  [[%.4f, %.4f], [%.4f, %.4f]]\n", s.cov[0][0], s.cov[0][1], s.cov[1][0], s.cov[1][1]);
    std::printf("  eigenvalues       %.4f, %.4f\n", s.eigval[0], s.eigval[1]);
    std::printf("  eigenvectors      v0 = (%.4f, %.4f), v1 = (%.4f, %.4f)\n", s.eigvec[0][0], s.eigvec[0][1],
                s.eigvec[1][0], s.eigvec[1][1]);
    std::printf("  variance on PC1   %.2f%%, PC1 slope %s\n", 100.0 * s.share_pc1,
                std::isfinite(s.slope_pc1) ? fmt_f(s.slope_pc1, 4).c_str() : "vertical");
    Json j = Json::object();
    Json& mu = j["mu"] = Json::array();
    mu.push(g.mean[0]);
    mu.push(g.mean[1]);
    Json& cov = j["cov"] = Json::array();
    for (double v : {g.c00, g.c01, g.c11}) cov.push(v);
    j["npseed"] = static_cast<long long>(g.seed);
    j["n"] = static_cast<long long>(s.n);
    Json& m = j["sample_mean"] = Json::array();
    m.push(s.mean[0]);
    m.push(s.mean[1]);
    Json& sc = j["sample_cov"] = Json::array();
    for (double v : {s.cov[0][0], s.cov[0][1], s.cov[1][1]}) sc.push(v);
    Json& ev = j["eigenvalues"] = Json::array();
    ev.push(s.eigval[0]);
    ev.push(s.eigval[1]);
    Json& v0 = j["pc1"] = Json::array();
    v0.push(s.eigvec[0][0]);
    v0.push(s.eigvec[0][1]);
    j["share_pc1"] = s.share_pc1;
    j["slope_pc1"] = s.slope_pc1;
    return j;
}

}  // namespace

DataPair load_train_data(const Common& c, long valid, std::uint64_t seed, const Gauss2D& gauss) {
    app::DatasetKind kind;
    if (app::parse_dataset(c.data.set, &kind) && !app::is_image_dataset(kind)) {
        if (valid > 0) throw UsageError("--valid applies to the image data sets (mnist, fashion), not " + c.data.set);
        app::DataBundle b = app::make_synthetic(kind, seed, gauss);
        DataPair d;
        if (kind == app::DatasetKind::Gauss2D) d.facts = report_gauss(b.gauss, b.gauss_stats);
        d.train = std::move(b.train);
        d.test = std::move(b.test);
        d.display = app::dataset_label(kind);
        for (int i = 0; i < d.train.num_classes; ++i) d.class_names.push_back("group " + std::to_string(i + 1));
        if (c.data.limit_train > 0 && c.data.limit_train < d.train.size()) d.train = subset_first(d.train, c.data.limit_train);
        if (c.data.limit_test > 0 && c.data.limit_test < d.test.size()) d.test = subset_first(d.test, c.data.limit_test);
        note(c, "generated " + d.display + " (" + b.source + "): " + std::to_string(d.train.size()) + " train / " +
                    std::to_string(d.test.size()) + " test points");
        return d;
    }
    if (valid <= 0) return load_data_verbose(c);
    Common all = c;
    all.data.limit_train = all.data.limit_test = 0;
    DataPair d = load_data_verbose(all);
    if (valid >= d.train.size())
        throw UsageError("--valid " + std::to_string(valid) + " leaves no training images (the training set has " +
                         std::to_string(d.train.size()) + ")");
    const Index n = d.train.size() - Index(valid);
    std::vector<Index> tr(static_cast<size_t>(n)), va(static_cast<size_t>(valid));
    for (Index i = 0; i < n; ++i) tr[size_t(i)] = i;
    for (Index i = 0; i < Index(valid); ++i) va[size_t(i)] = n + i;
    d.test = subset(d.train, va);
    d.train = subset(d.train, tr);
    d.test.name = c.data.set + "-valid";
    if (c.data.limit_train > 0 && c.data.limit_train < d.train.size()) d.train = subset_first(d.train, c.data.limit_train);
    if (c.data.limit_test > 0 && c.data.limit_test < d.test.size()) d.test = subset_first(d.test, c.data.limit_test);
    d.display += " (validation split)";
    note(c, "validation split: the first " + std::to_string(n) + " training images train, the last " +
                std::to_string(valid) + " validate (used as " + std::to_string(d.train.size()) + " train / " +
                std::to_string(d.test.size()) + " evaluation images); the test set is not used");
    return d;
}

double model_rounded_accuracy(Autoencoder<float>& m, const Mat& X) {
    return model_rounded_accuracy(*DenseModel::view(m), X);
}

double model_rounded_accuracy(Model& m, const Mat& X) {
    if (X.cols() == 0) return std::nan("");
    double same = 0;
    Mat R;
    for (Index j = 0; j < X.cols(); j += 4096) {
        const Index w = std::min<Index>(4096, X.cols() - j);
        m.reconstruct(X.middleCols(j, w), R);
        same += rounded_accuracy(X.middleCols(j, w), R) * double(X.rows() * w);
    }
    return same / double(X.size());
}

}  // namespace aelab::cli
