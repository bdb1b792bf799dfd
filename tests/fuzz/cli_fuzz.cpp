// tests/fuzz/cli_fuzz.cpp — libFuzzer harness for the CLI's option parser
// (native/cli/args.cpp: Options::parse, the typed getters, parse_real, parse_integer).
//
// What: the input, split on NUL bytes, is argv[1..] of `aelab`. argv[1] picks the
// command's option table (pca, train, compare, eval, encode; anything else is parsed with
// train's table) — the tables below list the same option names, value/flag kinds and
// ranges as native/cli/cmd_*.cpp and common.cpp (data_options()). After Options::parse()
// the harness calls every getter the command calls, with the command's ranges, and checks:
// a value returned is the default when the option is absent, else finite and inside the
// range (integers exact, lists non-empty, choices one of the list, strings non-empty);
// parse_integer of any token is a whole number equal to parse_real of it, |v| <= 9e15.
// Model options go on to the core parsers the CLI hands them to (from_arch,
// parse_activation, parse_loss, parse_sparsity, parse_noise, parse_optimizer).
// Only UsageError and aelab::Error may be thrown.
// Why: the command line is the CLI's untrusted input; every option must be validated (with
// a message) before data is loaded or files are written.
// Usage: scripts/fuzz 60 cli   (seeds: tests/fuzz/corpus/cli/, dict: tests/fuzz/cli.dict)
#include "fuzz_util.hpp"

#include "aelab/activations.hpp"
#include "aelab/autoencoder.hpp"
#include "aelab/optim.hpp"
#include "args.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::cli;
using aelab_fuzz::expect_errors_only;

namespace {

// Getter calls of one option: what kind of value the command reads and its range.
enum class Kind { Flag, Str, Choice, Real, RealOpen, Int, IntList, Arch, Act, Loss, Sparsity, Noise, Opt };
struct Spec {
    const char* name;
    Kind kind;
    double lo = 0, hi = 0;                // Real / Int / IntList ranges
    std::vector<std::string> choices = {};
};

std::vector<Spec> data_specs() {
    return {{"data", Kind::Choice, 0, 0, {"mnist", "fashion"}},
            {"data-dir", Kind::Str},
            {"limit-train", Kind::Int, 2, 100000000},
            {"limit-test", Kind::Int, 1, 100000000},
            {"out", Kind::Str},
            {"quiet", Kind::Flag}};
}

std::vector<Spec> command_specs(const std::string& cmd) {
    std::vector<Spec> s = data_specs();
    std::vector<Spec> own;
    if (cmd == "pca") {
        own = {{"k", Kind::IntList, 1, 784},
               {"variance", Kind::RealOpen, 0.0, 1.0},
               {"solver", Kind::Choice, 0, 0, {"auto", "full", "svd", "covariance", "randomized", "incremental"}},
               {"seed", Kind::Int, 0, double(1LL << 53)},
               {"show", Kind::Int, 1, 784}};
    } else if (cmd == "compare") {
        own = {{"k", Kind::Int, 1, 784},           {"steps", Kind::Int, 1, 1e9},
               {"schedule", Kind::Choice, 0, 0, {"default", "paper"}},
               {"models", Kind::Str},              {"hidden", Kind::Str},
               {"batch", Kind::Int, 1, 1e6},       {"lr", Kind::RealOpen, 0.0, 1e4},
               {"seed", Kind::Int, 0, double(1LL << 53)},
               {"threads", Kind::Int, 1, 64},      {"knn", Kind::Int, 1, 1000},
               {"eval-every", Kind::Int, 1, 1e9},  {"eval-max", Kind::Int, 0, 1e8}};
    } else if (cmd == "eval") {
        own = {{"knn", Kind::Int, 1, 1000}};
    } else if (cmd == "encode") {
        own = {{"split", Kind::Choice, 0, 0, {"test", "train", "all"}}, {"codes", Kind::Str}};
    } else {  // train
        own = {{"arch", Kind::Arch},
               {"act", Kind::Act},
               {"latent-act", Kind::Act},
               {"out-act", Kind::Act},
               {"loss", Kind::Loss},
               {"tied", Kind::Flag},
               {"weight-decay", Kind::Real, 0.0, 999.0},
               {"sparsity", Kind::Sparsity},
               {"sparsity-weight", Kind::Real, 0.0, 1e5},
               {"sparsity-target", Kind::RealOpen, 0.0, 1.0},
               {"noise", Kind::Noise},
               {"noise-level", Kind::Real, 0.0, 100.0},
               {"contractive", Kind::Real, 0.0, 1e5},
               {"opt", Kind::Opt},
               {"lr", Kind::RealOpen, 0.0, 1e4},
               {"momentum", Kind::Real, 0.0, 0.999999},
               {"nesterov", Kind::Flag},
               {"beta1", Kind::Real, 0.0, 0.999999},
               {"beta2", Kind::Real, 0.0, 0.999999},
               {"batch", Kind::Int, 1, 1e6},
               {"epochs", Kind::Int, 1, 1e6},
               {"steps", Kind::Int, 1, 1e9},
               {"seed", Kind::Int, 0, double(1LL << 53)},
               {"eval-every", Kind::Int, 1, 1e9},
               {"eval-max", Kind::Int, 0, 1e8},
               {"knn", Kind::Int, 1, 1000},
               {"save", Kind::Str},
               {"resume", Kind::Str}};
    }
    s.insert(s.end(), own.begin(), own.end());
    return s;
}

void check_getter(const Options& o, const Spec& sp) {
    const std::string n = sp.name;
    const bool given = o.has(n);
    switch (sp.kind) {
        case Kind::Flag: break;
        case Kind::Str: {
            const std::string v = o.str(n, "DEF");
            FUZZ_CHECK(given ? !v.empty() : v == "DEF", "--" + n + ": str()");
            break;
        }
        case Kind::Choice: {
            const std::string v = o.choice(n, sp.choices[0], sp.choices);
            bool in = false;
            for (const auto& c : sp.choices) in = in || v == c;
            FUZZ_CHECK(in, "--" + n + ": choice() returned '" + v + "'");
            break;
        }
        case Kind::Real:
        case Kind::RealOpen: {
            const bool open = sp.kind == Kind::RealOpen;
            const double def = -12345.5;
            const double v = o.real(n, def, sp.lo, sp.hi, open);
            FUZZ_CHECK(given ? (std::isfinite(v) && (open ? v > sp.lo : v >= sp.lo) && v <= sp.hi) : v == def,
                       "--" + n + ": real() returned " + std::to_string(v) + " outside its range");
            break;
        }
        case Kind::Int: {
            const long long lo = static_cast<long long>(sp.lo), hi = static_cast<long long>(sp.hi);
            const long long v = o.integer(n, -7, lo, hi);
            FUZZ_CHECK(given ? (v >= lo && v <= hi) : v == -7, "--" + n + ": integer() returned " +
                                                                   std::to_string(v) + " outside its range");
            break;
        }
        case Kind::IntList: {
            const long long lo = static_cast<long long>(sp.lo), hi = static_cast<long long>(sp.hi);
            const std::vector<long long> v = o.int_list(n, {-7}, lo, hi);
            FUZZ_CHECK(!v.empty(), "--" + n + ": int_list() returned an empty list");
            if (given)
                for (long long x : v) FUZZ_CHECK(x >= lo && x <= hi, "--" + n + ": int_list() item out of range");
            break;
        }
        case Kind::Arch: (void)AEConfig::from_arch(o.str(n, "784-500-500-5")); break;
        case Kind::Act: (void)parse_activation(o.str(n, "elu")); break;
        case Kind::Loss: (void)parse_loss(o.str(n, "mse")); break;
        case Kind::Sparsity: (void)parse_sparsity(o.str(n, "none")); break;
        case Kind::Noise: (void)parse_noise(o.str(n, "none")); break;
        case Kind::Opt: (void)parse_optimizer(o.str(n, "adam")); break;
    }
}

void check_number_parsers(const std::string& t) {
    double r = 0;
    const bool real_ok = expect_errors_only<UsageError>("parse_real", [&] { r = parse_real(t, "x"); });
    if (real_ok) FUZZ_CHECK(std::isfinite(r), "parse_real returned a non-finite value for '" + t + "'");
    long long i = 0;
    if (expect_errors_only<UsageError>("parse_integer", [&] { i = parse_integer(t, "x"); })) {
        FUZZ_CHECK(real_ok && double(i) == r && std::fabs(r) <= 9.0e15,
                   "parse_integer('" + t + "') = " + std::to_string(i) + " disagrees with parse_real");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // argv: "aelab", then the NUL-separated tokens of the input.
    std::vector<std::string> tokens = {"aelab"};
    std::string cur;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == 0) {
            tokens.push_back(cur);
            cur.clear();
        } else {
            cur += static_cast<char>(data[i]);
        }
    }
    tokens.push_back(cur);
    if (tokens.size() > 64) tokens.resize(64);
    std::vector<char*> argv;
    for (auto& t : tokens) argv.push_back(t.data());
    argv.push_back(nullptr);
    const int argc = static_cast<int>(tokens.size());

    const std::string cmd = tokens.size() > 1 ? tokens[1] : "";
    const std::vector<Spec> specs = command_specs(cmd);
    std::vector<OptDef> defs;
    for (const auto& sp : specs) defs.push_back({sp.name, sp.kind == Kind::Flag ? nullptr : "V", "help"});
    Options o(cmd.empty() ? "train" : cmd, defs);
    if (expect_errors_only<UsageError>("Options::parse", [&] { o.parse(argc, argv.data(), 2); })) {
        FUZZ_CHECK(!o.help().empty(), "empty help");
        if (!o.help_requested())
            for (const auto& sp : specs) expect_errors_only<UsageError>("getter", [&] { check_getter(o, sp); });
    }
    for (std::size_t i = 1; i < tokens.size(); ++i) check_number_parsers(tokens[i]);
    return 0;
}
