// tests/fuzz/arch_fuzz.cpp — libFuzzer harness for architecture strings.
//
// What: the input is one architecture string, given to every place that parses one:
//   - AEConfig::from_arch (core/src/autoencoder.cpp), as `aelab train --arch A` does it
//     through the CLI's option parser (native/cli/args.cpp);
//   - the model config's width lists, AEConfig::from_text("encoder=...") and
//     ("decoder=..." with mirror_decoder=0), the form model files carry;
//   - the page's URL parameter arch= (web/app/state.cpp parse_query);
//   - the layer-graph grammar (core/src/graph_arch.cpp parse_arch), as --arch, model files'
//     graph.arch and the page's net= carry it.
// Properties: only aelab::Error (or the CLI's UsageError) is thrown; a string from_arch
// accepts either fails validate() with an aelab::Error (too large: its callers validate) or
// gives a configuration whose arch_string() is the input's widths
// followed by the mirrored decoder and the input size, and which from_arch parses back to
// the same configuration; small models (<= 100,000 parameters) are built and their
// parameter count is weights + biases of those widths; one forward pass on two columns
// runs. The page's settings from arch= always give a valid model.
// Graphs: a string parse_arch accepts has a canonical form that parses to the same canonical
// form; on 784 inputs graph_param_count either refuses it with an aelab::Error or counts
// what Graph<float> then allocates (small graphs, <= 50,000 parameters and 20,000 values per
// layer, are built, initialised and run forward on two columns: finite outputs); the page's
// net= either keeps a graph that builds or drops it with a message.
// Why: --arch, model files and URLs are typed or pasted by users.
// Usage: scripts/fuzz 60 arch   (seeds: tests/fuzz/corpus/arch/, dict: tests/fuzz/arch.dict)
#include "fuzz_util.hpp"

#include "aelab/autoencoder.hpp"
#include "aelab/graph.hpp"
#include "aelab/model.hpp"
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

void check_graph(const std::string& arch) {
    ArchSpec spec;
    if (!expect_errors_only("parse_arch", [&] { spec = parse_arch(arch); })) return;
    const std::string canon = spec.str();
    ArchSpec again;
    FUZZ_CHECK(expect_errors_only("parse_arch(canonical)", [&] { again = parse_arch(canon); }) &&
                   again.str() == canon,
               "parse_arch(canonical form) differs: " + canon);
    Index n = -1;
    if (!expect_errors_only("graph_param_count", [&] { n = graph_param_count(Shape{784, 1, 1}, spec); })) return;
    if (n > 50000) return;
    bool small = true;
    Shape cur{784, 1, 1};
    for (const LayerSpec& L : spec.layers) {
        auto layer = make_layer<float>(L, cur);
        cur = layer->out_shape();
        small = small && cur.size() <= 20000;
    }
    if (!small) return;
    Graph<float> g(Shape{784, 1, 1}, spec);
    FUZZ_CHECK(g.num_params() == n, "graph_param_count " + std::to_string(n) + " but the graph has " +
                                        std::to_string(g.num_params()));
    g.init_params(3);
    Mat X = Mat::Constant(784, 2, 0.25f);
    const Mat& Y = g.forward(X);
    FUZZ_CHECK(Y.rows() == g.output_shape().size() && Y.cols() == 2, "graph output has the wrong shape");
    FUZZ_CHECK(Y.allFinite(), "forward pass of fresh graph weights is not finite: " + canon);
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

    // Layer graphs: --arch / graph.arch / net=.
    check_graph(arch);
    FUZZ_CHECK(expect_errors_only("parse_query(net=)", [&] { r = app::parse_query("dataset=mnist&net=" + arch); }),
               "parse_query(net=) threw");
    if (r.settings.is_graph()) {
        FUZZ_CHECK(expect_errors_only("Settings::make_model(net)", [&] {
                       if (graph_param_count(Shape{784, 1, 1}, parse_arch(r.settings.graph_arch(784))) <= 50000)
                           r.settings.make_model(784);
                   }),
                   "the page kept a net it cannot build: " + r.settings.net);
    }
    return 0;
}
