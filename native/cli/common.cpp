#include "common.hpp"

#include "aelab/checkpoint.hpp"
#include "aelab/pca.hpp"
#include "aelab/subspace.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace aelab::cli {

std::vector<OptDef> data_options() {
    std::vector<OptDef> v = {
        {"data", "SET|FILE", "data set: mnist (default), fashion, or a file: FILE.csv (CSV table), FILE.idx / *-idx3-ubyte (IDX images)"},
        {"data-dir", "DIR", "folder holding mnist/ and fashion/ IDX files (default: $AELAB_DATA_DIR or ./data)"},
        {"limit-train", "N", "use only the first N training images (quick runs)"},
        {"limit-test", "N", "use only the first N test images (quick runs)"},
        {"out", "DIR", "output directory (default: results/<command>-<date>-<time>)"},
        {"quiet", nullptr, "no progress output on stderr"},
    };
    for (const OptDef& d : file_data_options()) v.push_back(d);
    return v;
}

std::vector<OptDef> evaluation_options() {
    return {
        {"eval-every", "N", "steps between test-curve points (default: max(100, steps/50))"},
        {"eval-max", "N", "test images used for curve points, 0 = all (default 2000; final metrics use all)"},
        {"knn", "K", "k of the k-NN accuracy on the codes (default 5)"},
    };
}

Common read_common(const Options& o, const std::string& command, const std::vector<std::string>& more_sets) {
    Common c;
    std::vector<std::string> sets = {"mnist", "fashion"};
    sets.insert(sets.end(), more_sets.begin(), more_sets.end());
    c.file = read_file_data_options(o, o.str("data", "mnist"), sets);
    c.data.set = c.file.kind == FileData::None ? o.choice("data", "mnist", sets) : c.file.path;
    c.data_given = o.has("data");
    const char* env = std::getenv("AELAB_DATA_DIR");
    c.data.dir = o.str("data-dir", env && *env ? std::string(env) : std::string("data"));
    c.data.limit_train = long(o.integer("limit-train", 0, 2, 100000000));
    c.data.limit_test = long(o.integer("limit-test", 0, 1, 100000000));
    c.out = o.has("out") ? o.str("out", "") : default_out_dir(command);
    c.quiet = o.has("quiet");
    return c;
}

void prepare_out(const Common& c) {
    try {  // an output that cannot be written is a bad option: exit 2, before any work
        make_dirs(c.out);
        check_writable_dir(c.out, "--out");
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
}

void note(const Common& c, const std::string& text) {
    if (!c.quiet) std::fprintf(stderr, "[aelab] %s\n", text.c_str());
}

DataPair load_data_verbose(const Common& c) {
    auto t0 = std::chrono::steady_clock::now();
    if (c.file.kind != FileData::None) {
        std::string summary;
        DataPair d = load_file_data(c.file, c.data.limit_train, c.data.limit_test, &summary);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        note(c, "loaded " + summary + " (" + fmt_f(s, 2) + " s)");
        return d;
    }
    DataPair d = load_data(c.data);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    note(c, "loaded " + d.display + " from " + join_path(c.data.dir, c.data.set) + ": " +
                std::to_string(d.train.size()) + " train / " + std::to_string(d.test.size()) + " test images of " +
                std::to_string(d.train.image_rows) + "x" + std::to_string(d.train.image_cols) + " (" + fmt_f(s, 2) +
                " s)");
    return d;
}

std::string command_line(int argc, char** argv) {
    std::string s;
    for (int i = 0; i < argc; ++i) {
        if (i) s += ' ';
        s += argv[i];
    }
    for (char& ch : s)
        if (static_cast<unsigned char>(ch) < 0x20) ch = '?';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

Mat latent_2d(const Mat& Z, std::string* xl, std::string* yl, std::string* how) {
    const Index k = Z.rows(), n = Z.cols();
    Mat out(2, n);
    if (k == 2) {
        out = Z;
        *xl = "z1";
        *yl = "z2";
        *how = "the 2-D code";
    } else if (k == 1 || n < 3) {
        Rng r(7);
        out.row(0) = Z.row(0);
        for (Index i = 0; i < n; ++i) out(1, i) = float(r.uniform(-1, 1));
        *xl = "z1";
        *yl = "jitter";
        *how = "the 1-D code (vertical jitter for visibility)";
    } else {
        PcaOptions po;
        po.n_components = 2;
        PCA p(po);
        p.fit(Z);
        out = p.transform(Z);
        *xl = "PC1 of code";
        *yl = "PC2 of code";
        *how = "the first two principal directions of the " + std::to_string(k) + "-D code";
    }
    return out;
}

ModelMetrics evaluate_model(Autoencoder<float>& m, const DataPair& d, int knn_k, Mat* test_codes) {
    return evaluate_model(*DenseModel::view(m), d, knn_k, test_codes);
}

ModelMetrics evaluate_model(Model& m, const DataPair& d, int knn_k, Mat* test_codes) {
    ModelMetrics r;
    r.knn_k = knn_k;
    LossParts te = m.evaluate(d.test.X), tr = m.evaluate(d.train.X);
    r.test_mse = te.mse;
    r.test_loss = te.recon;
    r.train_mse = tr.mse;
    r.train_loss = tr.recon;
    Mat Ztr, Zte;
    m.encode(d.train.X, Ztr);
    m.encode(d.test.X, Zte);
    if (Ztr.allFinite() && Zte.allFinite()) {
        r.knn_acc = knn_accuracy(Ztr, d.train.y, Zte, d.test.y, knn_k);
        r.knn10_acc = knn_accuracy_few_labels(Ztr, d.train.y, Zte, d.test.y, 10, 1, 0);
    }
    if (test_codes) *test_codes = std::move(Zte);
    return r;
}

Mat gather_columns(const Mat& X, const std::vector<Index>& idx) {
    Mat out(X.rows(), Index(idx.size()));
    for (size_t j = 0; j < idx.size(); ++j) out.col(Index(j)) = X.col(idx[j]);
    return out;
}

bool print_help_if_asked(const Options& o, const char* usage, const char* description) {
    if (!o.help_requested()) return false;
    std::printf("usage: %s\n\n%s\n\noptions:\n%s", usage, description, o.help().c_str());
    return true;
}

Json json_of_config_text(const std::string& text) {
    Json j = Json::object();
    for (const auto& [k, v] : parse_config(text)) {
        char* end = nullptr;
        double x = std::strtod(v.c_str(), &end);
        if (!v.empty() && end && *end == '\0' && std::isfinite(x)) j[k] = x;
        else j[k] = v;
    }
    return j;
}

}  // namespace aelab::cli
