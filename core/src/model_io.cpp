// Model files: see aelab/model_io.hpp for the format.
#include "aelab/model_io.hpp"

#include "aelab/checkpoint.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

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
        throw Error("model file: '" + key + "' = '" + v + "' is not a finite number");
    return x;
}

long long parse_int(const std::string& v, const std::string& key, long long lo, long long hi) {
    const char* s = v.c_str();
    char* end = nullptr;
    errno = 0;
    long long x = std::strtoll(s, &end, 10);
    if (v.empty() || end == s || *end != '\0' || errno == ERANGE || x < lo || x > hi)
        throw Error("model file: '" + key + "' = '" + v + "' is not an integer in " + std::to_string(lo) +
                    ".." + std::to_string(hi));
    return x;
}

bool parse_bool(const std::string& v, const std::string& key) {
    if (v == "1" || v == "true") return true;
    if (v == "0" || v == "false") return false;
    throw Error("model file: '" + key + "' = '" + v + "' is not 0 or 1");
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
        else if (k == "bound") c.bound = parse_num(v, k);
        else if (k == "seed") c.seed = std::uint64_t(parse_int(v, k, 0, (1LL << 62)));
        else throw Error("optimizer config: unknown setting '" + k + "'");
    }
    c.validate();
    return c;
}

OptimizerConfig optimizer_config_from_text(const std::string& text) {
    return optimizer_config_from_map(lines(text));
}

std::vector<std::uint8_t> save_model(const Autoencoder<float>& model, Optimizer* opt,
                                     const TrainCounters& counters,
                                     const std::map<std::string, std::string>& meta) {
    AELAB_REQUIRE(model.params().allFinite(),
                  "save_model: the parameters contain NaN or infinite values (not saved)");
    AELAB_REQUIRE(counters.step >= 0 && counters.samples >= 0 && std::isfinite(counters.epoch) &&
                      counters.epoch >= 0,
                  "save_model: negative or non-finite trainer counters");
    std::map<std::string, std::string> kv;
    kv["format"] = kFormatName;
    kv["model_format_version"] = std::to_string(kModelFormatVersion);
    for (const auto& [k, v] : lines(model.config().to_text())) kv["model." + k] = v;
    kv["has_optimizer"] = opt ? "1" : "0";
    Checkpoint ck;
    if (opt) {
        const OptimizerConfig& oc = opt->config();
        for (const auto& [k, v] : lines(oc.to_text())) kv["opt." + k] = v;
        kv["opt.max_line_search"] = std::to_string(oc.max_line_search);
        kv["opt.seed"] = std::to_string(oc.seed);
        ck.integers["opt.iterations"] = std::uint64_t(std::max(0L, opt->iterations()));
        for (const auto& [name, vec] : opt->state()) {
            AELAB_REQUIRE(vec != nullptr, "save_model: optimizer state '" + name + "' is null");
            ck.arrays["opt." + name].assign(vec->data(), vec->data() + vec->size());
        }
    }
    for (const auto& [k, v] : meta) kv["meta." + k] = v;
    ck.config_text = format_config(kv);
    const Vec& p = model.params();
    ck.arrays["params"].assign(p.data(), p.data() + p.size());
    ck.integers["num_params"] = std::uint64_t(p.size());
    ck.integers["train.step"] = std::uint64_t(counters.step);
    ck.integers["train.samples"] = std::uint64_t(counters.samples);
    ck.scalars["train.epoch"] = counters.epoch;
    return write_checkpoint(ck);
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
    std::map<std::string, std::string> model_kv, opt_kv;
    for (const auto& [k, v] : kv) {
        if (k == "format" || k == "model_format_version" || k == "has_optimizer") continue;
        if (k.rfind("model.", 0) == 0) model_kv[k.substr(6)] = v;
        else if (k.rfind("opt.", 0) == 0) opt_kv[k.substr(4)] = v;
        else if (k.rfind("meta.", 0) == 0) f.meta[k.substr(5)] = v;
        else throw Error("model file: unknown setting '" + k + "'");
    }
    try {
        f.model = AEConfig::from_map(model_kv);  // validates
    } catch (const Error& e) {
        throw Error(std::string("model file: bad model configuration: ") + e.what());
    }
    f.has_optimizer = parse_bool(get("has_optimizer"), "has_optimizer");

    // Parameter count: from the architecture, checked against the stored array.
    const Index expect = Autoencoder<float>(f.model).num_params();
    const std::uint64_t np = require_integer(ck, "num_params");
    if (np != std::uint64_t(expect))
        throw Error("model file: num_params = " + std::to_string(np) + " but architecture " +
                    f.model.arch_string() + " has " + std::to_string(expect) + " parameters");
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

    std::size_t used_arrays = 1;
    if (f.has_optimizer) {
        try {
            f.optimizer = optimizer_config_from_map(opt_kv);
        } catch (const Error& e) {
            throw Error(std::string("model file: bad optimizer configuration: ") + e.what());
        }
        const std::uint64_t it = require_integer(ck, "opt.iterations");
        if (it > kMaxCount) throw Error("model file: absurd optimizer iteration count");
        f.optimizer_iterations = long(it);
        // The state arrays a fresh optimizer of this kind has, each of the model's size.
        auto fresh = make_optimizer(f.optimizer, expect);
        for (const auto& [name, vec] : fresh->state()) {
            const std::vector<float>& a = require_array(ck, "opt." + name, vec->size());
            Vec s = Eigen::Map<const Vec>(a.data(), Index(a.size()));
            if (!s.allFinite()) throw Error("model file: optimizer state '" + name + "' is not finite");
            f.optimizer_state[name] = std::move(s);
            ++used_arrays;
        }
    } else if (!opt_kv.empty()) {
        throw Error("model file: optimizer settings present but has_optimizer=0");
    }
    if (ck.arrays.size() != used_arrays) {
        std::string extra;
        for (const auto& e : ck.arrays)
            if (e.first != "params" && !f.optimizer_state.count(e.first.substr(4)))
                extra += (extra.empty() ? "" : ", ") + e.first;
        throw Error("model file: unexpected arrays (" + extra + ") for optimizer " +
                    (f.has_optimizer ? optimizer_name(f.optimizer.kind) : "none"));
    }
    return f;
}

Autoencoder<float> make_model(const ModelFile& f) {
    Autoencoder<float> m(f.model);
    AELAB_REQUIRE(m.num_params() == f.params.size(),
                  "make_model: " + std::to_string(f.params.size()) + " parameters for a model with " +
                      std::to_string(m.num_params()));
    m.params() = f.params;
    return m;
}

void restore_optimizer(const ModelFile& f, Optimizer& opt) {
    AELAB_REQUIRE(f.has_optimizer, "the model file has no optimizer state to restore");
    if (opt.config().kind != f.optimizer.kind)
        throw Error(std::string("the model file's optimizer is ") + optimizer_name(f.optimizer.kind) +
                    ", not " + optimizer_name(opt.config().kind) + " (its state cannot be restored)");
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
