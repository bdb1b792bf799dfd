// aelab eval / aelab encode: use a saved model (.aelab) on MNIST / Fashion-MNIST.
#include "aelab/checkpoint.hpp"
#include "aelab/model_io.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "graph_cli.hpp"
#include "images.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace aelab::cli {

namespace {

struct Loaded {
    ModelFile file;
    Common common;
    DataPair data;
};

// Reads the model named by the single positional argument (the table requires one), checks that the outputs can be
// written (--out, and `extra_output` when given), then loads the data it was trained on
// (unless --data overrides it); checks that the two fit together.
Loaded load_model_and_data(const Invocation& in, const std::string& extra_output = "") {
    Loaded L;
    L.common = in.common;
    const std::string path = in.args[0];
    try {
        L.file = read_model(read_file(path));
    } catch (const Error& e) {
        throw Error("cannot load model " + path + ": " + e.what());
    }
    auto it = L.file.meta.find("data");
    if (!L.common.data_given && it != L.file.meta.end() && (it->second == "mnist" || it->second == "fashion"))
        L.common.data.set = it->second;
    if (!L.common.data_given && it != L.file.meta.end() && data_file_kind(it->second) != FileData::None)
        throw UsageError("model " + path + " was trained on the file " + it->second + ": pass --data " + it->second +
                         " with the same --label-col, --scale, --test-fraction and --split-seed as in training");
    try {
        prepare_out(L.common);
        if (!extra_output.empty()) check_writable_file(extra_output, "--codes");
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    L.data = load_data_verbose(L.common);
    const Index in_dim = L.file.kind == ModelKind::Graph ? L.file.graph_input.size() : Index(L.file.model.input_dim);
    if (in_dim != L.data.test.dim())
        throw Error("model " + path + " takes inputs of size " + std::to_string(in_dim) + ", but " +
                    L.data.display + " images have " + std::to_string(L.data.test.dim()) + " pixels");
    return L;
}

// FNV-1a 64 of the parameters' little-endian float bytes, as "0x" + 16 hex digits: equal for
// bitwise-equal weights (used to check exact resumes).
std::string params_fingerprint(const Vec& p) {
    std::vector<std::uint8_t> bytes(std::size_t(p.size()) * 4);
    for (Index i = 0; i < p.size(); ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, &p[i], 4);
        for (int b = 0; b < 4; ++b) bytes[std::size_t(i) * 4 + b] = std::uint8_t(bits >> (8 * b));
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(fnv1a64(bytes.data(), bytes.size())));
    return buf;
}

}  // namespace

std::vector<OptDef> eval_options() {
    return {
        {"knn", "K", "k of the k-NN accuracy on the codes (default 5)"},
        {"iwae", "K", "VAE models: also the IWAE bound log p(x) >= ... with K importance samples per test image"},
        {"seed", "S", "VAE models: seed of the sampled ELBO, the IWAE samples and the prior samples (default 1)"},
    };
}

int run_eval(Invocation& in) {
    const Options& o = in.opts;
    const int knn_k = int(o.integer("knn", 5, 1, 1000));
    Loaded L = load_model_and_data(in);
    std::unique_ptr<Model> mp = build_model(L.file);
    Model& m = *mp;
    const bool graph = m.kind() == ModelKind::Graph;
    const int iwae_k = int(o.integer("iwae", 0, 1, 100000));
    const std::uint64_t seed = std::uint64_t(o.integer("seed", 1, 0, (1LL << 53)));
    if (o.has("iwae") && !m.is_vae()) throw UsageError("--iwae needs a VAE model; " + o.positional()[0] + " is not one");
    Mat Zte;
    ModelMetrics mm = evaluate_model(m, L.data, knn_k, &Zte);
    const VaeReport vr = vae_report(m, L.data.test.X, iwae_k, seed);
    const AEConfig& cfg = L.file.model;
    const std::string path = o.positional()[0];
    const std::string arch_str = m.arch_string();

    Json j = Json::object();
    j["command"] = "eval";
    j["model"] = path;
    j["created"] = now_iso8601();
    j["data"]["set"] = L.common.data.set;
    j["data"]["train_size"] = long(L.data.train.size());
    j["data"]["test_size"] = long(L.data.test.size());
    j["config"]["arch"] = arch_str;
    j["config"]["model_kind"] = graph ? (m.is_vae() ? "vae" : "graph") : "dense";
    if (!graph) j["config"]["model"] = json_of_config_text(cfg.to_text());
    j["config"]["trained_steps"] = L.file.counters.step;
    j["config"]["trained_epochs"] = L.file.counters.epoch;
    j["config"]["format_version"] = L.file.format_version;
    j["config"]["params_fnv1a64"] = params_fingerprint(L.file.params);
    Json& r = j["final"];
    r["train_mse"] = mm.train_mse;
    r["test_mse"] = mm.test_mse;
    r["train_loss"] = mm.train_loss;
    r["test_loss"] = mm.test_loss;
    r["knn_k"] = knn_k;
    r["knn_accuracy"] = mm.knn_acc;
    r["knn_1nn_10_per_class_accuracy"] = mm.knn10_acc;
    vae_json(vr, r);
    write_text(join_path(L.common.out, "metrics.json"), j.dump());

    const int ir = L.data.test.image_rows, ic = L.data.test.image_cols;
    std::vector<Index> idx = examples_per_class(L.data.test.y, 10, 2);
    Mat Xs = gather_columns(L.data.test.X, idx), Rs;
    m.reconstruct(Xs, Rs);
    const bool images = image_figures(L.data.test, L.common.quiet, "reconstructions.png");
    if (images)
        write_montage(join_path(L.common.out, "reconstructions.png"),
                      L.data.display + " test images and reconstructions by " + path + " (test MSE " +
                          fmt_f(mm.test_mse, 4) + ")",
                      {{"input", Xs}, {"reconstruction", Rs}}, ir, ic, 2);
    std::string xl, yl, how;
    if (Zte.allFinite()) {
        Mat P = latent_2d(Zte, &xl, &yl, &how);
        write_scatter(join_path(L.common.out, "latent.png"), L.data.display + " test codes: " + how, P, L.data.test.y,
                      L.data.class_names, xl, yl);
    }
    const std::string vae_files = images ? vae_figures(m, L.common.out, L.data.display + " " + shorten(arch_str, 50), seed,
                                                       ir, ic)
                                         : std::string();

    if (graph)
        std::printf("aelab eval: %s — %s; trained %ld steps (%.2f epochs)\n", path.c_str(), describe_model(m).c_str(),
                    L.file.counters.step, L.file.counters.epoch);
    else
        std::printf("aelab eval: %s — %s, %s hidden, %s output, %s loss; trained %ld steps (%.2f epochs)\n",
                    path.c_str(), cfg.arch_string().c_str(), activation_name(cfg.hidden_act),
                    activation_name(cfg.output_act), loss_name(cfg.loss), L.file.counters.step, L.file.counters.epoch);
    std::printf("  data %s: %ld train / %ld test\n", L.data.display.c_str(), long(L.data.train.size()),
                long(L.data.test.size()));
    std::printf("  parameters: %ld floats, FNV-1a 64 of their bytes %s (equal only for bitwise-equal weights)\n\n",
                long(L.file.params.size()), params_fingerprint(L.file.params).c_str());
    std::printf("  %-10s %12s %12s\n", "", "MSE",
                m.loss() == ReconLoss::BCE ? (m.is_vae() ? "BCE/image" : "BCE") : "loss");
    std::printf("  %-10s %12.6f %12.6f\n", "train", mm.train_mse, mm.train_loss);
    std::printf("  %-10s %12.6f %12.6f\n", "test", mm.test_mse, mm.test_loss);
    vae_print(vr, "test");
    std::printf("\n  %d-NN accuracy on test codes: %s   (1-NN, 10 labels per class: %s)\n", knn_k,
                fmt_f(mm.knn_acc, 4).c_str(), fmt_f(mm.knn10_acc, 4).c_str());
    if (std::isnan(mm.knn_acc))
        std::printf("  (no k-NN accuracy: the codes are not finite; the model's values overflow float)\n");
    std::printf("  outputs in %s/: metrics.json%s%s%s\n", L.common.out.c_str(), images ? " reconstructions.png" : "",
                Zte.allFinite() ? " latent.png" : "", vae_files.c_str());
    return kExitOk;
}

std::vector<OptDef> encode_options() {
    return {
        {"split", "NAME", "which images to encode: test (default), train, all"},
        {"codes", "FILE", "write the codes CSV here (default: OUT/codes.csv)"},
    };
}

int run_encode(Invocation& in) {
    const Options& o = in.opts;
    const std::string split = o.choice("split", "test", {"test", "train", "all"});
    Loaded L = load_model_and_data(in, o.has("codes") ? o.str("codes", "") : std::string());
    const std::string codes_path = o.has("codes") ? o.str("codes", "") : join_path(L.common.out, "codes.csv");
    std::unique_ptr<Model> mp = build_model(L.file);
    Model& m = *mp;
    const int k = int(m.code_dim());

    std::string csv = "split,index,label";
    for (int i = 0; i < k; ++i) csv += ",z" + std::to_string(i + 1);
    csv += "\n";
    Mat Zplot;
    std::vector<int> yplot;
    auto add = [&](const Dataset& ds, const char* name) {
        Mat Z;
        m.encode(ds.X, Z);
        csv.reserve(csv.size() + size_t(Z.cols()) * size_t(k) * 12);
        char buf[64];
        for (Index n = 0; n < Z.cols(); ++n) {
            csv += name;
            csv += ',' + std::to_string(n) + ',' + std::to_string(ds.y[size_t(n)]);
            for (int i = 0; i < k; ++i) {
                std::snprintf(buf, sizeof buf, ",%.7g", double(Z(i, n)));
                csv += buf;
            }
            csv += '\n';
        }
        Mat both(k, Zplot.cols() + Z.cols());
        if (Zplot.cols() > 0) both.leftCols(Zplot.cols()) = Zplot;
        both.rightCols(Z.cols()) = Z;
        Zplot.swap(both);
        yplot.insert(yplot.end(), ds.y.begin(), ds.y.end());
    };
    if (split == "train" || split == "all") add(L.data.train, "train");
    if (split == "test" || split == "all") add(L.data.test, "test");
    write_text(codes_path, csv);
    std::string xl, yl, how;
    const bool finite = Zplot.allFinite();
    if (finite) {
        Mat P = latent_2d(Zplot, &xl, &yl, &how);
        write_scatter(join_path(L.common.out, "latent.png"), L.data.display + " " + split + " codes: " + how, P, yplot,
                      L.data.class_names, xl, yl);
    }
    std::printf("aelab encode: %s (%s), %ld %s images -> %d-D codes\n", o.positional()[0].c_str(),
                shorten(m.arch_string(), 100).c_str(), long(Zplot.cols()), split.c_str(), k);
    std::printf("  codes: %s%s\n", codes_path.c_str(), finite ? ("\n  scatter: " + join_path(L.common.out, "latent.png")).c_str() : "");
    return kExitOk;
}

}  // namespace aelab::cli
