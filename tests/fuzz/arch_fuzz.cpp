// tests/fuzz/arch_fuzz.cpp — libFuzzer harness for architecture strings.
//
// What: the input is one architecture string, given to every place that parses one:
//   - AEConfig::from_arch (core/src/autoencoder.cpp), as `aelab train --arch A` does it
//     through the CLI's option parser (native/cli/args.cpp);
//   - the model config's width lists, AEConfig::from_text("encoder=...") and
//     ("decoder=..." with mirror_decoder=0), the form model files carry;
//   - the page's URL parameter arch= (web/app/state.cpp parse_query).
// Properties: only aelab::Error (or the CLI's UsageError) is thrown; a string from_arch
// accepts either fails validate() with an aelab::Error (too large: its callers validate) or
// gives a configuration whose arch_string() is the input's widths
// followed by the mirrored decoder and the input size, and which from_arch parses back to
// the same configuration; small models (<= 100,000 parameters) are built and their
// parameter count is weights + biases of those widths; one forward pass on two columns
// runs. The page's settings from arch= always give a valid model.
// Why: --arch, model files and URLs are typed or pasted by users.
// Usage: scripts/fuzz 60 arch   (seeds: tests/fuzz/corpus/arch/, dict: tests/fuzz/arch.dict)
#include "fuzz_util.hpp"

#include "aelab/autoencoder.hpp"
#include "args.hpp"
#include "state.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace aelab;
using aelab_fuzz::expect_errors_only;

namespace {

std::string join(const std::vector<int>& w) {
    std::string s;
    for (std::size_t i = 0; i < w.size(); ++i) s += (i ? "-" : "") + std::to_string(w[i]);
    return s;
}

// must_validate: from_map / from_text and the page promise a valid configuration;
// from_arch only parses the shape (its callers validate, e.g. "model too large").
void check_config(const AEConfig& c, const std::string& where, bool must_validate = true) {
    const bool valid = expect_errors_only("validate", [&] { c.validate(); });
    if (!valid && !must_validate) return;
    FUZZ_CHECK(valid, where + ": accepted config does not validate");
    // Widths of every layer, input first.
    std::vector<int> w = {c.input_dim};
    w.insert(w.end(), c.encoder.begin(), c.encoder.end());
    w.push_back(c.latent);
    const std::vector<int> dec = c.decoder_widths();
    w.insert(w.end(), dec.begin(), dec.end());
    w.push_back(c.input_dim);
    FUZZ_CHECK(c.arch_string() == join(w), where + ": arch_string() " + c.arch_string() + " != " + join(w));
    double n = 0;
    for (std::size_t i = 0; i + 1 < w.size(); ++i) n += double(w[i]) * w[i + 1] + w[i + 1];
    if (n > 1e5) return;
    Autoencoder<float> m(c);
    FUZZ_CHECK(c.tied || double(m.num_params()) == n,
               where + ": " + std::to_string(m.num_params()) + " parameters, widths say " + std::to_string(n));
    m.init_params(3);
    Mat X = Mat::Constant(c.input_dim, 2, 0.25f);
    const LossParts lp = m.forward_loss(X, X);
    FUZZ_CHECK(std::isfinite(lp.mse), where + ": forward pass of fresh weights is not finite");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string arch(reinterpret_cast<const char*>(data), size);

    // The CLI: aelab train --arch ARCH.
    std::string a0 = "aelab", a1 = "train", a2 = "--arch", a3 = arch;
    char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
    cli::Options o("train", {{"arch", "A-B-..-K", "encoder widths"}});
    AEConfig c;
    if (expect_errors_only<cli::UsageError>("--arch", [&] {
            o.parse(4, argv, 2);
            c = AEConfig::from_arch(o.str("arch", ""));
        })) {
        check_config(c, "from_arch", false);
        FUZZ_CHECK(!c.tied && c.mirror_decoder && c.decoder.empty(), "from_arch set more than the shape");
        // The canonical form of the input parses back to the same configuration.
        std::vector<int> w = {c.input_dim};
        w.insert(w.end(), c.encoder.begin(), c.encoder.end());
        w.push_back(c.latent);
        AEConfig back;
        FUZZ_CHECK(expect_errors_only("from_arch(canonical)", [&] { back = AEConfig::from_arch(join(w)); }) &&
                       back.to_text() == c.to_text(),
                   "from_arch(canonical form) differs");
    }

    // Model files: comma lists in the config text.
    if (arch.find('\n') == std::string::npos) {
        for (const std::string& text : {"encoder=" + arch + "\n", "decoder=" + arch + "\nmirror_decoder=0\n",
                                        "latent=" + arch + "\n", "input_dim=" + arch + "\n"}) {
            if (expect_errors_only("AEConfig::from_text", [&] { c = AEConfig::from_text(text); }))
                check_config(c, "from_text(" + text.substr(0, text.find('=')) + ")");
        }
    }

    // The page: ?arch=ARCH (raw, so '%' escapes and '&' are the fuzzer's to play with).
    app::QueryResult r;
    FUZZ_CHECK(expect_errors_only("parse_query", [&] { r = app::parse_query("arch=" + arch); }),
               "parse_query threw");
    check_config(r.settings.model_config(app::dataset_dim(r.settings.dataset)), "parse_query(arch=)");
    return 0;
}
