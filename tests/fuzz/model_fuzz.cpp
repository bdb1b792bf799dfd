// tests/fuzz/model_fuzz.cpp — libFuzzer harness for model files (core/src/model_io.cpp) and
// what the CLI and the page do with a file that parses.
//
// What: read_model() on the bytes as they are and on a copy with the container's size
// field and checksum recomputed (fuzz_util.hpp), so mutations reach the model checks. When
// a file parses, the harness does what `aelab eval` / `aelab train --resume` and the
// page's upload do with it:
//   - make_model(); for files with an optimizer: make_optimizer() + restore_optimizer()
//     (iteration count and state restored), and save_model() -> read_model() gives the
//     same configuration, parameters, optimizer state, counters and metadata bit for bit;
//   - small models (<= 20,000 parameters): the CLI's resume path, a Trainer on 16 random
//     samples with the file's optimizer restored, two steps;
//   - models for 2-D or 3-D data: the page's Session::install on the course data sets
//     (Gaussian / curved band), then one frame of training.
// read_model may only throw aelab::Error; after it accepted a file nothing may throw.
// Regression seeds: known-a-huge-layers (a config of 700 layers of width 65536, which
// read_model once built before comparing the parameter count) and known-b-short-array-name
// (an extra array with a 2-byte name, which once threw std::out_of_range) and
// known-c-graph-output-size (a graph whose output is smaller than its input with the same
// parameter count, which read_model once accepted and training then refused); all must be
// refused with an aelab::Error.
// Why: model files come from users (uploads, `--resume FILE`).
// Usage: scripts/fuzz 60 model   (seeds: tests/fuzz/corpus/model/, written by save_model)
#include "fuzz_util.hpp"

#include "aelab/checkpoint.hpp"
#include "aelab/model_io.hpp"
#include "aelab/trainer.hpp"
#include "presets.hpp"
#include "session.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace aelab;
using aelab_fuzz::expect_errors_only;
using aelab_fuzz::same_bits;

namespace {

std::unique_ptr<app::Session> g_session2, g_session3;  // Gaussian 2-D, curved band 3-D

void check_same_file(const ModelFile& a, const ModelFile& b) {
    FUZZ_CHECK(a.kind == b.kind, "model kind changed in save/read");
    FUZZ_CHECK(a.model.to_text() == b.model.to_text(), "model config changed in save/read");
    FUZZ_CHECK(a.graph_arch == b.graph_arch && a.graph_input == b.graph_input &&
                   a.graph_objective.loss == b.graph_objective.loss &&
                   a.graph_objective.sum_per_sample == b.graph_objective.sum_per_sample &&
                   a.graph_objective.beta == b.graph_objective.beta,
               "graph settings changed in save/read");
    FUZZ_CHECK(a.params.size() == b.params.size() && same_bits(a.params, b.params, a.params.size(), 4),
               "parameters changed in save/read");
    FUZZ_CHECK(a.has_optimizer == b.has_optimizer, "has_optimizer changed in save/read");
    if (a.has_optimizer) {
        FUZZ_CHECK(a.optimizer.to_text() == b.optimizer.to_text() &&
                       a.optimizer.max_line_search == b.optimizer.max_line_search &&
                       a.optimizer.seed == b.optimizer.seed,
                   "optimizer config changed in save/read");
        FUZZ_CHECK(a.optimizer_iterations == b.optimizer_iterations, "optimizer iterations changed");
        // A format-1 file held only the fixed-size arrays (no L-BFGS pairs, no Monte Carlo
        // state); saved again it is format 2 with the optimizer's whole state, so its arrays
        // are a subset of the new file's. A format-2 file comes back with the same set, except
        // that a state of the old (1+1) Monte Carlo search (no archive) gains the population
        // search's archive array.
        const bool gained_archive = !a.optimizer_state.count("mc.archive.values") &&
                                    b.optimizer_state.count("mc.archive.values") &&
                                    b.optimizer_state.size() == a.optimizer_state.size() + 1;
        FUZZ_CHECK(a.format_version == 1 || gained_archive || a.optimizer_state.size() == b.optimizer_state.size(),
                   "optimizer state arrays changed");
        for (const auto& [name, v] : a.optimizer_state) {
            auto it = b.optimizer_state.find(name);
            FUZZ_CHECK(it != b.optimizer_state.end() && it->second.size() == v.size() &&
                           same_bits(it->second, v, v.size(), 4),
                       "optimizer state '" + name + "' changed in save/read");
        }
    }
    FUZZ_CHECK(a.counters.step == b.counters.step && a.counters.samples == b.counters.samples &&
                   a.counters.epoch == b.counters.epoch,
               "trainer counters changed in save/read");
    FUZZ_CHECK(a.meta == b.meta, "metadata changed in save/read");
}

// The CLI: `aelab eval FILE` builds the model; `aelab train --resume FILE` also restores
// the optimizer into a Trainer and trains.
void cli_path(const ModelFile& f) {
    std::unique_ptr<Model> mp = build_model(f);
    Model& m = *mp;
    FUZZ_CHECK(same_bits(m.params(), f.params, f.params.size(), 4), "build_model changed the parameters");
    std::unique_ptr<Optimizer> opt;
    if (f.has_optimizer) {
        opt = make_optimizer(f.optimizer, m.num_params());
        restore_optimizer(f, *opt);
        FUZZ_CHECK(opt->iterations() == f.optimizer_iterations, "restore_optimizer lost the iteration count");
    }
    std::vector<std::uint8_t> bytes = save_model(m, opt.get(), f.counters, f.meta);
    ModelFile back;
    FUZZ_CHECK(expect_errors_only("read_model(saved)", [&] { back = read_model(bytes); }),
               "read_model refused what save_model wrote");
    check_same_file(f, back);

    if (m.num_params() > 20000) return;
    Rng rng(7);
    Mat X(m.input_dim(), 16);
    for (Index i = 0; i < X.size(); ++i) X.data()[i] = float(rng.uniform(0, 1));
    TrainConfig tc;
    tc.batch_size = 4;
    tc.eval_every = 1;
    tc.eval_max = 8;
    Trainer tr(m, f.has_optimizer ? f.optimizer : OptimizerConfig::defaults_for(OptimizerKind::Adam), X, &X, tc);
    if (f.has_optimizer) restore_optimizer(f, tr.optimizer());
    tr.step({2, 0.0});
}

// The page: settings from the file (App::settings_from_model), then Session::install on a
// data set of the model's dimension and one frame of training.
void page_path(const ModelFile& f) {
    if (f.kind != ModelKind::Dense) return;  // the page installs dense model files
    app::Session* s = f.model.input_dim == 2 ? g_session2.get() : f.model.input_dim == 3 ? g_session3.get() : nullptr;
    if (!s || Autoencoder<float>(f.model).num_params() > 20000) return;
    app::Settings st = app::default_settings();
    st.dataset = f.model.input_dim == 2 ? app::DatasetKind::Gauss2D : app::DatasetKind::Curved3D;
    st.hidden = f.model.encoder;
    st.latent = f.model.latent;
    if (!f.model.hidden_acts.empty()) st.acts = f.model.hidden_acts;
    else st.acts.assign(2 * st.hidden.size(), f.model.hidden_act);
    st.code_act = f.model.latent_act;
    st.out_act = f.model.output_act;
    st.loss = f.model.loss;
    st.tied = f.model.tied;
    if (f.has_optimizer) {
        st.opt = f.optimizer.kind;
        st.lr = f.optimizer.lr;
    }
    s->install(f, st);
    s->train(0.0, 2);
    s->refresh_codes(50);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    g_session2 = std::make_unique<app::Session>();
    g_session2->set_data(app::make_synthetic(app::DatasetKind::Gauss2D, 1));
    g_session3 = std::make_unique<app::Session>();
    g_session3->set_data(app::make_synthetic(app::DatasetKind::Curved3D, 1));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::uint8_t> raw(data, data + size);
    const std::vector<std::uint8_t> fixed = aelab_fuzz::fix_checkpoint_frame(data, size);
    for (const std::vector<std::uint8_t>* b : {&raw, &fixed}) {
        ModelFile f;
        if (!expect_errors_only("read_model", [&] { f = read_model(*b); })) continue;
        // A file read_model accepts must be usable: no error at all from here on.
        FUZZ_CHECK(expect_errors_only("CLI path", [&] { cli_path(f); }),
                   "make_model / restore_optimizer / save_model / training refused an accepted file");
        FUZZ_CHECK(expect_errors_only("page path", [&] { page_path(f); }),
                   "Session::install refused an accepted file of a matching dimension");
        if (b == &raw) break;  // the fixed copy is the same bytes when the raw ones parse
    }
    return 0;
}
