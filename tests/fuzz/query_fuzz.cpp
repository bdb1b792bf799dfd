// tests/fuzz/query_fuzz.cpp — libFuzzer harness for the page's URL contract
// (web/app/state.cpp: parse_query, sanitize, to_query, url_decode / url_encode).
//
// What: each input is used twice.
//   1. As a URL query: parse_query() must not throw ("never throws" in state.hpp); its
//      settings must build a valid model and optimizer configuration; sanitize() must
//      leave them unchanged without a message (they are already repaired); and
//      parse_query(to_query(s)) must give s back with no message, to_query being stable.
//      url_decode(url_encode(x)) == x for the raw bytes.
//   2. As Settings built field by field (FuzzedDataProvider): any widths, latent sizes,
//      activations, learning rates, batch sizes...; sanitize() must repair them into
//      settings that build a valid model, and the round trip through to_query must hold
//      for the repaired settings. The preset is one of the page's presets and the seed is
//      in 0..2^53 (the range the URL carries), as the header promises for the UI's values.
// Why: course pages link to states; any URL may arrive, and a shared link must reproduce
// exactly the state it was copied from.
// Usage: scripts/fuzz 60 query   (seeds: tests/fuzz/corpus/query/, dict: tests/fuzz/query.dict)
#include "fuzz_util.hpp"

#include "presets.hpp"
#include "state.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::app;
using aelab_fuzz::expect_errors_only;

namespace {

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& m : v) s += (s.empty() ? "" : " | ") + m;
    return s;
}

// Properties of settings that parse_query or sanitize produced.
void check_settled(const Settings& s, const std::string& where) {
    FUZZ_CHECK(expect_errors_only("model_config", [&] { s.model_config(dataset_dim(s.dataset)).validate(); }),
               where + ": settings do not give a valid model configuration");
    FUZZ_CHECK(expect_errors_only("optimizer_config", [&] { s.optimizer_config().validate(); }),
               where + ": settings do not give a valid optimizer configuration");
    Settings again = s;
    std::vector<std::string> msgs;
    sanitize(again, &msgs);
    FUZZ_CHECK(msgs.empty() && again == s, where + ": sanitize changed settled settings: " + join(msgs));

    const std::string q = to_query(s);
    const QueryResult r = parse_query(q);
    FUZZ_CHECK(r.messages.empty(), where + ": parse_query(to_query(s)) complained: " + join(r.messages) +
                                       " (query '" + q + "')");
    FUZZ_CHECK(r.settings == s, where + ": parse_query(to_query(s)) != s (query '" + q + "')");
    FUZZ_CHECK(to_query(r.settings) == q, where + ": to_query is not stable (query '" + q + "')");
}

Activation any_act(FuzzedDataProvider& p) {
    static const Activation all[] = {Activation::Identity, Activation::Sigmoid,   Activation::Tanh,
                                     Activation::ReLU,     Activation::LeakyReLU, Activation::ELU,
                                     Activation::SELU,     Activation::Softplus};
    return p.PickValueInArray(all);
}

Settings any_settings(FuzzedDataProvider& p) {
    Settings s = presets()[p.ConsumeIntegralInRange<std::size_t>(0, presets().size() - 1)].settings;
    s.dataset = static_cast<DatasetKind>(p.ConsumeIntegralInRange<int>(0, kNumDatasets - 1));
    s.hidden.resize(p.ConsumeIntegralInRange<std::size_t>(0, 6));
    for (int& w : s.hidden) w = p.ConsumeIntegralInRange<int>(-5, 2000);
    s.latent = p.ConsumeIntegralInRange<int>(-3, 1000);
    s.acts.resize(p.ConsumeIntegralInRange<std::size_t>(0, 14));
    for (auto& a : s.acts) a = any_act(p);
    s.code_act = any_act(p);
    s.out_act = any_act(p);
    s.loss = p.ConsumeBool() ? ReconLoss::BCE : ReconLoss::MSE;
    s.opt = static_cast<OptimizerKind>(p.ConsumeIntegralInRange<int>(0, 6));
    s.lr = p.ConsumeFloatingPoint<double>();
    s.batch = p.ConsumeIntegral<int>();
    s.tied = p.ConsumeBool();
    s.seed = p.ConsumeIntegralInRange<std::uint64_t>(0, std::uint64_t(1) << 53);
    s.speed = p.ConsumeIntegral<int>();
    s.budget_ms = p.ConsumeFloatingPoint<double>();
    s.autoplay = p.ConsumeBool();
    s.logy = p.ConsumeBool();
    s.hide = p.ConsumeIntegral<unsigned>() & 0x7Fu;
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);

    // 1. The bytes as a URL query.
    QueryResult r;
    FUZZ_CHECK(expect_errors_only("parse_query", [&] { r = parse_query(text); }), "parse_query threw");
    check_settled(r.settings, "query");
    FUZZ_CHECK(url_decode(url_encode(text)) == text, "url_decode(url_encode(x)) != x");

    // 2. The bytes as arbitrary settings, repaired by sanitize.
    FuzzedDataProvider p(data, size);
    Settings s = any_settings(p);
    std::vector<std::string> msgs;
    sanitize(s, &msgs);
    check_settled(s, "sanitize");
    return 0;
}
