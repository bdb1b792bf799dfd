// Model files: see aelab/model_io.hpp for the format.
#include "aelab/model_io.hpp"

#include "aelab/checkpoint.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace aelab {
namespace {

constexpr const char* kFormatName = "aelab-model";

double parse_num(const std::string& v, const std::string& key) {
    if (v.empty()) throw Error("model file: '" + key + "' is empty (expected a number)");
    const char* s = v.c_str();
    char* end = nullptr;
    errno = 0;
    double x = std::strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !std::isfinite(x))
        throw Error("model file: '" + key + "' = '" + shorten(v, 40) + "' is not a finite number");
    return x;
}

long long parse_int(const std::string& v, const std::string& key, long long lo, long long hi) {
    const char* s = v.c_str();
    char* end = nullptr;
    errno = 0;
    long long x = std::strtoll(s, &end, 10);
    if (v.empty() || end == s || *end != '\0' || errno == ERANGE || x < lo || x > hi)
        throw Error("model file: '" + key + "' = '" + shorten(v, 40) + "' is not an integer in " + std::to_string(lo) +
                    ".." + std::to_string(hi));
    return x;
}

bool parse_bool(const std::string& v, const std::string& key) {
    if (v == "1" || v == "true") return true;
    if (v == "0" || v == "false") return false;
    throw Error("model file: '" + key + "' = '" + shorten(v, 40) + "' is not 0 or 1");
}

// key=value lines of a to_text() into a map (parse_config rules).
std::map<std::string, std::string> lines(const std::string& text) { return parse_config(text); }

}  // namespace

OptimizerConfig optimizer_config_from_map(const std::map<std::string, std::string>& kv) {
    auto it = kv.find("opt");
    if (it == kv.end()) throw Error("optimizer config: missing 'opt' (the optimizer name)");
    OptimizerConfig c = OptimizerConfig::defaults_for(parse_optimizer(it->second));
    for (const auto& [k, v] : kv) {
        if (k == "opt") continue;
        else if (k == "lr") c.lr = parse_num(v, k);
        else if (k == "momentum") c.momentum = parse_num(v, k);
        else if (k == "nesterov") c.nesterov = parse_bool(v, k);
        else if (k == "beta1") c.beta1 = parse_num(v, k);
        else if (k == "beta2") c.beta2 = parse_num(v, k);
        else if (k == "eps") c.eps = parse_num(v, k);
        else if (k == "rho") c.rho = parse_num(v, k);
        else if (k == "opt_weight_decay") c.weight_decay = parse_num(v, k);
        else if (k == "history") c.history = int(parse_int(v, k, 1, 1000));
        else if (k == "max_line_search") c.max_line_search = int(parse_int(v, k, 1, 100));
        else if (k == "bound") {  // the (1+1) search's symmetric box |p_i| <= bound (0 = none)
            const double b = parse_num(v, k);
            c.mc_lo = b > 0 ? -b : 0;
            c.mc_hi = b > 0 ? b : 0;
        } else if (k == "mc_pop") c.mc_pop = int(parse_int(v, k, 1, 10000));
        else if (k == "mc_dist") c.mc_dist = parse_mc_dist(v);
        else if (k == "mc_temp") c.mc_temp = parse_num(v, k);
        else if (k == "mc_anneal") c.mc_anneal = parse_num(v, k);
        else if (k == "mc_lo") c.mc_lo = parse_num(v, k);
        else if (k == "mc_hi") c.mc_hi = parse_num(v, k);
        else if (k == "mc_groups") c.mc_groups = parse_bool(v, k);
        else if (k == "mc_tol") c.mc_tol = parse_num(v, k);
        else if (k == "mc_archive") c.mc_archive = int(parse_int(v, k, 1, 1000000));
        else if (k == "seed") c.seed = std::uint64_t(parse_int(v, k, 0, (1LL << 62)));
        else throw Error("optimizer config: unknown setting '" + k + "'");
    }
    c.validate();
    return c;
}

OptimizerConfig optimizer_config_from_text(const std::string& text) {
    return optimizer_config_from_map(lines(text));
}

std::string shorten(const std::string& s, std::size_t max_chars) {
    if (s.size() <= max_chars) return s;
    return s.substr(0, max_chars > 3 ? max_chars - 3 : 0) + "...";
}

std::uint64_t count_params(const AEConfig& c, std::uint64_t limit) {
    std::vector<std::uint64_t> widths;
    widths.push_back(std::uint64_t(c.input_dim));
    for (int w : c.encoder) widths.push_back(std::uint64_t(w));
    widths.push_back(std::uint64_t(c.latent));
    for (int w : c.decoder_widths()) widths.push_back(std::uint64_t(w));
    widths.push_back(std::uint64_t(c.input_dim));
    const std::size_t n_layers = widths.size() - 1, n_enc = c.encoder.size() + 1;
    std::uint64_t total = 0;
    auto add = [&](std::uint64_t v) {
        if (v > limit || total > limit - v)
            throw Error("model too large: more than " + std::to_string(limit) + " parameters");
        total += v;
    };
    for (std::size_t i = 0; i < n_layers; ++i) {
        // Widths are at most 2^16 (AEConfig::validate), so one product fits in 64 bits.
        if (!(c.tied && i >= n_enc)) add(widths[i] * widths[i + 1]);  // W (tied layers use W^T)
        add(widths[i + 1]);                                            // b
    }
    return total;
}

namespace {

// Arrays / values / integers of a checkpoint under "opt." (the optimizer's state names).
OptimizerState collect_optimizer_state(const Checkpoint& ck, long iterations) {
    OptimizerState os;
    os.iterations = iterations;
    for (const auto& [k, v] : ck.arrays)
        if (k.rfind("opt.", 0) == 0) os.arrays[k.substr(4)] = Eigen::Map<const Vec>(v.data(), Index(v.size()));
    for (const auto& [k, v] : ck.doubles)
        if (k.rfind("opt.", 0) == 0) os.reals[k.substr(4)] = v;
    for (const auto& [k, v] : ck.integers)
        if (k.rfind("opt.", 0) == 0 && k != "opt.iterations") os.integers[k.substr(4)] = v;
    return os;
}

void put_optimizer(Checkpoint& ck, std::map<std::string, std::string>& kv, const OptimizerConfig& oc,
                   const OptimizerState& st) {
    for (const auto& [k, v] : lines(oc.to_text())) kv["opt." + k] = v;
    kv["opt.max_line_search"] = std::to_string(oc.max_line_search);
    kv["opt.seed"] = std::to_string(oc.seed);
    ck.integers["opt.iterations"] = std::uint64_t(std::max(0L, st.iterations));
    for (const auto& [name, vec] : st.arrays) ck.arrays["opt." + name].assign(vec.data(), vec.data() + vec.size());
    for (const auto& [name, v] : st.reals) ck.doubles["opt." + name] = v;
    for (const auto& [name, v] : st.integers) {
        AELAB_REQUIRE(name != "iterations", "save_model: optimizer integer named 'iterations'");
        ck.integers["opt." + name] = v;
    }
}

// History columns; the last three (VAE curves) are in version-3 files only.
const char* const kHistoryFields[] = {"step",      "epoch",       "train_loss", "train_mse", "test_loss",
                                      "test_mse",  "train_recon", "train_kl",   "test_kl"};
constexpr int kHistoryV2 = 6, kHistoryV3 = 9;

void put_trainer(Checkpoint& ck, const TrainerState& t) {
    AELAB_REQUIRE(t.perm.size() <= (std::size_t(1) << 31), "save_model: shuffle order too long");
    std::vector<double>& perm = ck.doubles["train.perm"];
    perm.assign(t.perm.begin(), t.perm.end());  // exact: indices < 2^31
    const std::size_t H = t.history.size();
    std::vector<double> cols[kHistoryV3];
    for (auto& c : cols) c.resize(H);
    for (std::size_t i = 0; i < H; ++i) {
        const HistoryPoint& h = t.history[i];
        cols[0][i] = double(h.step);
        cols[1][i] = h.epoch;
        cols[2][i] = h.train_loss;
        cols[3][i] = h.train_mse;
        cols[4][i] = h.test_loss;
        cols[5][i] = h.test_mse;
        cols[6][i] = h.train_recon;
        cols[7][i] = h.train_kl;
        cols[8][i] = h.test_kl;
    }
    for (int f = 0; f < kHistoryV3; ++f) ck.doubles[std::string("train.history.") + kHistoryFields[f]] = std::move(cols[f]);
    ck.integers["train.pos"] = std::uint64_t(t.pos);
    ck.integers["train.epochs_done"] = std::uint64_t(t.epochs_done);
    ck.integers["train.acc_n"] = std::uint64_t(t.acc_n);
    ck.integers["train.good_since_snapshot"] = std::uint64_t(t.good_since_snapshot);
    ck.integers["train.rng.state"] = t.rng.state;
    ck.integers["train.rng.inc"] = t.rng.inc;
    ck.integers["train.rng.has_spare"] = t.rng.has_spare ? 1 : 0;
    ck.scalars["train.rng.spare"] = t.rng.has_spare ? t.rng.spare : 0.0;
    ck.scalars["train.last_loss"] = t.last_loss;
    ck.scalars["train.acc_loss"] = t.acc_loss;
    ck.scalars["train.acc_mse"] = t.acc_mse;
    ck.scalars["train.acc_recon"] = t.acc_recon;
    ck.scalars["train.acc_kl"] = t.acc_kl;
    ck.scalars["train.ema"] = t.ema;
    ck.scalars["train.best_ema"] = t.best_ema;
    ck.scalars["train.first_loss"] = t.first_loss;
}

// Reads what put_trainer wrote (counters and optimizer are filled by the caller).
void get_trainer(const Checkpoint& ck, TrainerState& t, int version) {
    const int n_fields = version >= 3 ? kHistoryV3 : kHistoryV2;
    if (version < 3) {
        for (int f = kHistoryV2; f < kHistoryV3; ++f)
            if (ck.doubles.count(std::string("train.history.") + kHistoryFields[f]))
                throw Error(std::string("model file: unexpected array 'train.history.") + kHistoryFields[f] +
                            "' in a version-" + std::to_string(version) + " file");
        if (ck.scalars.count("train.acc_recon") || ck.scalars.count("train.acc_kl"))
            throw Error("model file: unexpected VAE sums in a version-" + std::to_string(version) + " file");
    }
    const std::vector<double>& perm = require_doubles(ck, "train.perm");
    t.perm.resize(perm.size());
    for (std::size_t i = 0; i < perm.size(); ++i) {
        const double v = perm[i];
        if (!(v >= 0 && v < double(perm.size()) && v == std::floor(v)))
            throw Error("model file: trainer state: the shuffle order holds a value that is not an index");
        t.perm[i] = Index(v);
    }
    const std::size_t H = require_doubles(ck, "train.history.step").size();
    const std::vector<double>* cols[kHistoryV3] = {};
    for (int f = 0; f < n_fields; ++f)
        cols[f] = &require_doubles(ck, std::string("train.history.") + kHistoryFields[f], (long long)H);
    t.history.resize(H);
    for (std::size_t i = 0; i < H; ++i) {
        const double st = (*cols[0])[i];
        if (!(st >= 0 && st <= 9007199254740992.0 && st <= double(LONG_MAX) && st == std::floor(st)))
            throw Error("model file: trainer state: a history step is not a count");
        HistoryPoint& h = t.history[i];
        h.step = long(st);
        h.epoch = (*cols[1])[i];
        h.train_loss = (*cols[2])[i];
        h.train_mse = (*cols[3])[i];
        h.test_loss = (*cols[4])[i];
        h.test_mse = (*cols[5])[i];
        if (n_fields == kHistoryV3) {
            h.train_recon = (*cols[6])[i];
            h.train_kl = (*cols[7])[i];
            h.test_kl = (*cols[8])[i];
        }
    }
    // Exact in a double and representable in a long (32 bits in wasm32).
    const std::uint64_t kMax = std::min<std::uint64_t>(std::uint64_t(1) << 53, std::uint64_t(LONG_MAX));
    auto count = [&](const char* name) {
        const std::uint64_t v = require_integer(ck, name);
        if (v > kMax) throw Error(std::string("model file: trainer state: '") + name + "' is out of range");
        return long(v);
    };
    t.pos = Index(count("train.pos"));
    t.epochs_done = count("train.epochs_done");
    t.acc_n = count("train.acc_n");
    t.good_since_snapshot = count("train.good_since_snapshot");
    t.rng.state = require_integer(ck, "train.rng.state");
    t.rng.inc = require_integer(ck, "train.rng.inc");
    const std::uint64_t hs = require_integer(ck, "train.rng.has_spare");
    if (hs > 1) throw Error("model file: trainer state: 'train.rng.has_spare' must be 0 or 1");
    t.rng.has_spare = hs == 1;
    t.rng.spare = require_scalar(ck, "train.rng.spare");
    t.last_loss = require_scalar(ck, "train.last_loss");
    t.acc_loss = require_scalar(ck, "train.acc_loss");
    t.acc_mse = require_scalar(ck, "train.acc_mse");
    if (version >= 3) {
        t.acc_recon = require_scalar(ck, "train.acc_recon");
        t.acc_kl = require_scalar(ck, "train.acc_kl");
    }
    t.ema = require_scalar(ck, "train.ema");
    t.best_ema = require_scalar(ck, "train.best_ema");
    t.first_loss = require_scalar(ck, "train.first_loss");
}

// The model's own settings as key=value pairs (without prefixes: "model." for a dense model's
// AEConfig, "graph." for a graph's architecture, input shape and objective).
Shape parse_shape(const std::string& v, const std::string& key) {
    Shape sh;
    long long d[3] = {0, 0, 0};
    size_t pos = 0;
    for (int i = 0; i < 3; ++i) {
        size_t x = v.find('x', pos);
        if ((i < 2) != (x != std::string::npos))
            throw Error("model file: '" + key + "' = '" + shorten(v, 40) + "' is not CxHxW");
        d[i] = parse_int(v.substr(pos, i < 2 ? x - pos : std::string::npos), key, 1, 1 << 24);
        pos = x + 1;
    }
    if (double(d[0]) * double(d[1]) * double(d[2]) > double(1 << 24))
        throw Error("model file: '" + key + "' = '" + shorten(v, 40) + "' has more than 2^24 values");
    sh.c = Index(d[0]);
    sh.h = Index(d[1]);
    sh.w = Index(d[2]);
    return sh;
}

void read_graph_settings(const std::map<std::string, std::string>& kv, ModelFile& f) {
    auto get = [&](const char* k) -> const std::string& {
        auto it = kv.find(k);
        if (it == kv.end()) throw Error(std::string("model file: missing setting 'graph.") + k + "'");
        return it->second;
    };
    for (const auto& e : kv)
        if (e.first != "arch" && e.first != "input" && e.first != "loss" && e.first != "sum_per_sample" &&
            e.first != "beta")
            throw Error("model file: unknown setting 'graph." + shorten(e.first, 40) + "'");
    f.graph_arch = get("arch");
    f.graph_input = parse_shape(get("input"), "graph.input");
    try {
        f.graph_objective.loss = parse_loss(get("loss"));
    } catch (const Error& e) {
        throw Error(std::string("model file: graph.loss: ") + e.what());
    }
    f.graph_objective.sum_per_sample = parse_bool(get("sum_per_sample"), "graph.sum_per_sample");
    f.graph_objective.beta = parse_num(get("beta"), "graph.beta");
    try {
        f.graph_objective.validate();
        const ArchSpec spec = parse_arch(f.graph_arch);
        f.graph_arch = spec.str();
        size_t out = spec.layers.size() - 1;  // the output layer: the last before trailing reshapes
        while (out > 0 && spec.layers[out].kind == LayerKind::Reshape) --out;
        if (f.graph_objective.loss == ReconLoss::BCE && spec.layers[out].act != Activation::Sigmoid)
            throw Error("loss bce needs a sigmoid output layer, got '" + spec.layers[out].str() + "'");
    } catch (const Error& e) {
        throw Error("model file: bad graph: " + shorten(e.what(), 200));
    }
}

std::map<std::string, std::string> dense_settings(const AEConfig& c) {
    std::map<std::string, std::string> kv;
    kv["model_kind"] = model_kind_name(ModelKind::Dense);
    for (const auto& [k, v] : lines(c.to_text())) kv["model." + k] = v;
    return kv;
}

std::map<std::string, std::string> model_settings(const Model& model) {
    if (const Autoencoder<float>* ae = model.dense()) return dense_settings(ae->config());
    std::map<std::string, std::string> kv;
    kv["model_kind"] = model_kind_name(ModelKind::Graph);
    {
        const Graph<float>& g = *model.graph();
        const GraphObjective& o = static_cast<const GraphModel&>(model).objective();
        kv["graph.arch"] = g.arch_string();
        kv["graph.input"] = g.input_shape().str();
        kv["graph.loss"] = loss_name(o.loss);
        kv["graph.sum_per_sample"] = o.sum_per_sample ? "1" : "0";
        std::ostringstream b;
        b.precision(17);
        b << o.beta;
        kv["graph.beta"] = b.str();
    }
    return kv;
}

std::vector<std::uint8_t> save_impl(const std::map<std::string, std::string>& settings, const Vec& params,
                                    const OptimizerConfig* oc,
                                    const OptimizerState* os, const TrainCounters& counters,
                                    const TrainerState* trainer,
                                    const std::map<std::string, std::string>& meta) {
    AELAB_REQUIRE(params.allFinite(),
                  "save_model: the parameters contain NaN or infinite values (not saved)");
    AELAB_REQUIRE(counters.step >= 0 && counters.samples >= 0 && std::isfinite(counters.epoch) &&
                      counters.epoch >= 0,
                  "save_model: negative or non-finite trainer counters");
    std::map<std::string, std::string> kv;
    kv["format"] = kFormatName;
    kv["model_format_version"] = std::to_string(kModelFormatVersion);
    for (const auto& [k, v] : settings) kv[k] = v;
    kv["has_optimizer"] = oc ? "1" : "0";
    kv["has_trainer_state"] = trainer ? "1" : "0";
    Checkpoint ck;
    if (oc) put_optimizer(ck, kv, *oc, *os);
    if (trainer) put_trainer(ck, *trainer);
    for (const auto& [k, v] : meta) kv["meta." + k] = v;
    ck.config_text = format_config(kv);
    const Vec& p = params;
    ck.arrays["params"].assign(p.data(), p.data() + p.size());
    ck.integers["num_params"] = std::uint64_t(p.size());
    ck.integers["train.step"] = std::uint64_t(counters.step);
    ck.integers["train.samples"] = std::uint64_t(counters.samples);
    ck.scalars["train.epoch"] = counters.epoch;
    return write_checkpoint(ck);
}

std::vector<std::uint8_t> save_with_optimizer(const std::map<std::string, std::string>& settings, const Vec& params,
                                              Optimizer* opt, const TrainCounters& counters,
                                              const std::map<std::string, std::string>& meta) {
    if (!opt) return save_impl(settings, params, nullptr, nullptr, counters, nullptr, meta);
    const OptimizerState os = opt->export_state();
    return save_impl(settings, params, &opt->config(), &os, counters, nullptr, meta);
}

std::vector<std::uint8_t> save_with_trainer(const std::map<std::string, std::string>& settings, const Vec& params,
                                            const TrainerState& trainer, const std::map<std::string, std::string>& meta) {
    trainer.validate();
    AELAB_REQUIRE(params.size() > 0, "save_model: empty model");
    const TrainCounters counters{trainer.step, trainer.samples, trainer.epoch()};
    return save_impl(settings, params, &trainer.optimizer_config, &trainer.optimizer, counters, &trainer, meta);
}

}  // namespace

std::vector<std::uint8_t> save_model(const Autoencoder<float>& model, Optimizer* opt, const TrainCounters& counters,
                                     const std::map<std::string, std::string>& meta) {
    return save_with_optimizer(dense_settings(model.config()), model.params(), opt, counters, meta);
}

std::vector<std::uint8_t> save_model(const Autoencoder<float>& model, const TrainerState& trainer,
                                     const std::map<std::string, std::string>& meta) {
    return save_with_trainer(dense_settings(model.config()), model.params(), trainer, meta);
}

std::vector<std::uint8_t> save_model(const Model& model, Optimizer* opt, const TrainCounters& counters,
                                     const std::map<std::string, std::string>& meta) {
    return save_with_optimizer(model_settings(model), model.params(), opt, counters, meta);
}

std::vector<std::uint8_t> save_model(const Model& model, const TrainerState& trainer,
                                     const std::map<std::string, std::string>& meta) {
    return save_with_trainer(model_settings(model), model.params(), trainer, meta);
}

ModelFile read_model(const std::uint8_t* data, std::size_t size) {
    AELAB_REQUIRE(data != nullptr || size == 0, "read_model: null buffer");
    if (size == 0) throw Error("model file is empty (0 bytes)");
    Checkpoint ck = read_checkpoint(data, size);  // magic, version, sizes, checksum
    std::map<std::string, std::string> kv = parse_config(ck.config_text);
    auto get = [&](const std::string& k) -> const std::string& {
        auto it = kv.find(k);
        if (it == kv.end()) throw Error("model file: missing setting '" + k + "'");
        return it->second;
    };
    if (kv.count("format") == 0 || kv["format"] != kFormatName)
        throw Error("not an aelab model file (a checkpoint without 'format=aelab-model')");
    const long long ver = parse_int(get("model_format_version"), "model_format_version", 1, 1 << 30);
    if (ver > kModelFormatVersion)
        throw Error("model file format version " + std::to_string(ver) + " is newer than this build supports (" +
                    std::to_string(kModelFormatVersion) + "); update aelab");

    ModelFile f;
    f.format_version = int(ver);
    std::map<std::string, std::string> model_kv, graph_kv, opt_kv;
    for (const auto& [k, v] : kv) {
        if (k == "format" || k == "model_format_version" || k == "has_optimizer") continue;
        if (ver >= 2 && k == "has_trainer_state") continue;
        if (ver >= 3 && k == "model_kind") continue;
        if (k.rfind("model.", 0) == 0) model_kv[k.substr(6)] = v;
        else if (ver >= 3 && k.rfind("graph.", 0) == 0) graph_kv[k.substr(6)] = v;
        else if (k.rfind("opt.", 0) == 0) opt_kv[k.substr(4)] = v;
        else if (k.rfind("meta.", 0) == 0) f.meta[k.substr(5)] = v;
        else throw Error("model file: unknown setting '" + shorten(k, 60) + "'");
    }
    if (ver >= 3) {
        const std::string& kind = get("model_kind");
        if (kind == "graph") f.kind = ModelKind::Graph;
        else if (kind != "dense")
            throw Error("model file: model_kind = '" + shorten(kind, 40) + "' (expected dense or graph)");
    }
    std::uint64_t expect_u = 0;
    if (f.kind == ModelKind::Dense) {
        if (!graph_kv.empty()) throw Error("model file: graph settings in a dense model file");
        try {
            f.model = AEConfig::from_map(model_kv);  // validates
        } catch (const Error& e) {
            throw Error("model file: bad model configuration: " + shorten(e.what(), 200));
        }
        try {
            // At most what an Index holds (32 bits in wasm32) and what a file could carry.
            expect_u = count_params(f.model, std::min<std::uint64_t>(std::uint64_t(1) << 40, std::uint64_t(PTRDIFF_MAX)));
        } catch (const Error& e) {
            throw Error("model file: architecture " + shorten(f.model.arch_string()) + ": " + e.what());
        }
    } else {
        if (!model_kv.empty()) throw Error("model file: dense settings (model.*) in a graph model file");
        read_graph_settings(graph_kv, f);
        try {
            const GraphSizes gs = graph_sizes(f.graph_input, parse_arch(f.graph_arch));
            if (gs.output.size() != f.graph_input.size())
                throw Error("it maps its " + std::to_string(f.graph_input.size()) + " inputs to " +
                            std::to_string(gs.output.size()) + " outputs (an autoencoder reconstructs its input)");
            expect_u = std::uint64_t(gs.params);
        } catch (const Error& e) {
            throw Error("model file: graph " + shorten(f.graph_arch) + ": " + shorten(e.what(), 200));
        }
    }
    f.has_optimizer = parse_bool(get("has_optimizer"), "has_optimizer");
    f.has_trainer_state = ver >= 2 && parse_bool(get("has_trainer_state"), "has_trainer_state");

    // Parameter count: computed from the architecture without building the model, and
    // checked against the stored count and array before anything of that size exists.
    const std::uint64_t np = require_integer(ck, "num_params");
    if (np != expect_u)
        throw Error("model file: num_params = " + std::to_string(np) + " but architecture " +
                    shorten(f.kind == ModelKind::Dense ? f.model.arch_string() : f.graph_arch) + " has " +
                    std::to_string(expect_u) + " parameters");
    const Index expect = Index(expect_u);
    const std::vector<float>& p = require_array(ck, "params", expect);
    f.params = Eigen::Map<const Vec>(p.data(), Index(p.size()));
    if (!f.params.allFinite()) throw Error("model file: parameters contain NaN or infinite values");

    const std::uint64_t step = require_integer(ck, "train.step");
    const std::uint64_t samples = require_integer(ck, "train.samples");
    const double epoch = require_scalar(ck, "train.epoch");
    const std::uint64_t kMaxCount = std::uint64_t(1) << 62;
    if (step > kMaxCount || samples > kMaxCount || !std::isfinite(epoch) || epoch < 0)
        throw Error("model file: absurd trainer counters");
    f.counters.step = long(step);
    f.counters.samples = long(samples);
    f.counters.epoch = epoch;

    // Names that are accounted for; anything else in the file is an error.
    std::map<std::string, int> used_arrays{{"params", 1}};
    if (f.has_optimizer) {
        try {
            f.optimizer = optimizer_config_from_map(opt_kv);
        } catch (const Error& e) {
            throw Error("model file: bad optimizer configuration: " + shorten(e.what(), 200));
        }
        const std::uint64_t it = require_integer(ck, "opt.iterations");
        if (it > std::uint64_t(kMaxOptimizerIterations))  // the optimizer's own limit, for both formats
            throw Error("model file: absurd optimizer iteration count " + std::to_string(it));
        f.optimizer_iterations = long(it);
        // The Monte Carlo search's state depends on the model's parameter groups.
        auto fresh = f.optimizer.kind == OptimizerKind::MonteCarlo
                         ? make_optimizer(f.optimizer, expect, build_model(f)->param_groups())
                         : make_optimizer(f.optimizer, expect);
        if (ver >= 2) {
            // The whole state; a fresh optimizer of this kind and size validates it.
            f.optimizer_full = collect_optimizer_state(ck, f.optimizer_iterations);
            try {
                fresh->import_state(f.optimizer_full);
            } catch (const Error& e) {
                throw Error("model file: " + shorten(e.what(), 200));
            }
            f.optimizer_whole = true;
            f.optimizer_state = f.optimizer_full.arrays;
            for (const auto& e : f.optimizer_full.arrays) used_arrays["opt." + e.first] = 1;
        } else {
            // Version 1: the fixed-size arrays a fresh optimizer of this kind has.
            for (const auto& [name, vec] : fresh->state()) {
                const std::vector<float>& a = require_array(ck, "opt." + name, vec->size());
                Vec s = Eigen::Map<const Vec>(a.data(), Index(a.size()));
                if (!s.allFinite()) throw Error("model file: optimizer state '" + name + "' is not finite");
                f.optimizer_state[name] = std::move(s);
                used_arrays["opt." + name] = 1;
            }
        }
    } else if (!opt_kv.empty()) {
        throw Error("model file: optimizer settings present but has_optimizer=0");
    }
    std::string extra;
    for (const auto& e : ck.arrays)
        if (!used_arrays.count(e.first)) extra += (extra.empty() ? "" : ", ") + shorten(e.first, 40);
    if (!extra.empty())
        throw Error("model file: unexpected arrays (" + shorten(extra, 160) + ") for optimizer " +
                    (f.has_optimizer ? optimizer_name(f.optimizer.kind) : "none"));
    if (ver >= 2) {
        for (const auto& e : ck.doubles) {
            const bool ok = (f.has_optimizer && e.first.rfind("opt.", 0) == 0) ||
                            (f.has_trainer_state && e.first.rfind("train.", 0) == 0);
            if (!ok) throw Error("model file: unexpected array '" + shorten(e.first, 40) + "'");
        }
        if (!f.has_optimizer)
            for (const auto& e : ck.integers)
                if (e.first.rfind("opt.", 0) == 0)
                    throw Error("model file: optimizer value '" + shorten(e.first, 40) + "' but has_optimizer=0");
    }

    if (f.has_trainer_state) {
        if (!f.has_optimizer) throw Error("model file: a trainer state needs the optimizer (has_optimizer=0)");
        TrainerState& t = f.trainer;
        get_trainer(ck, t, f.format_version);
        t.step = f.counters.step;
        t.samples = f.counters.samples;
        t.optimizer_config = f.optimizer;
        t.optimizer = f.optimizer_full;
        try {
            t.validate();
        } catch (const Error& e) {
            throw Error("model file: " + shorten(e.what(), 200));
        }
    }
    return f;
}

Autoencoder<float> make_model(const ModelFile& f) {
    AELAB_REQUIRE(f.kind == ModelKind::Dense, "the model file holds a graph model (" + shorten(f.graph_arch, 60) +
                                                  "), not a dense autoencoder");
    Autoencoder<float> m(f.model);
    AELAB_REQUIRE(m.num_params() == f.params.size(),
                  "make_model: " + std::to_string(f.params.size()) + " parameters for a model with " +
                      std::to_string(m.num_params()));
    m.params() = f.params;
    return m;
}

std::unique_ptr<Model> build_model(const ModelFile& f) {
    std::unique_ptr<Model> m;
    if (f.kind == ModelKind::Dense) m = std::make_unique<DenseModel>(make_model(f));
    else m = make_graph_model(f.graph_input, parse_arch(f.graph_arch), f.graph_objective);
    AELAB_REQUIRE(m->num_params() == f.params.size(),
                  "build_model: " + std::to_string(f.params.size()) + " parameters for a model with " +
                      std::to_string(m->num_params()));
    m->params() = f.params;
    return m;
}

void restore_optimizer(const ModelFile& f, Optimizer& opt) {
    AELAB_REQUIRE(f.has_optimizer, "the model file has no optimizer state to restore");
    if (opt.config().kind != f.optimizer.kind)
        throw Error(std::string("the model file's optimizer is ") + optimizer_name(f.optimizer.kind) +
                    ", not " + optimizer_name(opt.config().kind) + " (its state cannot be restored)");
    if (f.optimizer_whole) {
        try {
            opt.import_state(f.optimizer_full);
        } catch (const Error& e) {
            throw Error(std::string("model file: ") + e.what());
        }
        return;
    }
    auto st = opt.state();
    for (const auto& [name, vec] : st) {
        auto it = f.optimizer_state.find(name);
        if (it == f.optimizer_state.end())
            throw Error("model file: optimizer state '" + name + "' is missing");
        if (it->second.size() != vec->size())
            throw Error("model file: optimizer state '" + name + "' has " + std::to_string(it->second.size()) +
                        " entries, the optimizer expects " + std::to_string(vec->size()));
    }
    for (const auto& [name, vec] : st) *vec = f.optimizer_state.at(name);
    opt.set_iterations(f.optimizer_iterations);
}

}  // namespace aelab
