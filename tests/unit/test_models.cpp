// The Model interface (aelab/model.hpp) under the Trainer and in model files: conv AEs and
// VAEs train through the same Trainer as the dense autoencoder, their history carries the
// VAE's recon and KL, training is deterministic, every model kind round-trips through a
// model file bit-exactly (and resumes exactly), and hostile graph model files are refused
// with a message. Suite "graph".
#include <doctest.h>

#include "test_util.hpp"

#include "aelab/checkpoint.hpp"
#include "aelab/model.hpp"
#include "aelab/model_io.hpp"
#include "aelab/trainer.hpp"

#include <cmath>
#include <string>
#include <vector>

using namespace aelab;
using aelab_test::check_error;

namespace {

// n images 8 x 8 in (0, 1): a bright bar at a random row or column, plus noise.
Mat bars(Index n, std::uint64_t seed) {
    Rng r(seed);
    Mat X(64, n);
    for (Index j = 0; j < n; ++j) {
        const bool row = r.below(2) == 0;
        const Index at = r.below(8);
        for (Index y = 0; y < 8; ++y)
            for (Index x = 0; x < 8; ++x) {
                const bool on = row ? y == at : x == at;
                X(y * 8 + x, j) = float((on ? 0.85 : 0.1) + r.uniform(-0.05, 0.05));
            }
    }
    return X;
}

const char* kTinyConvAE = "r1x8x8,c4k3-relu,p2,c8k3-relu,p2|t4k3s2-relu,t1k3s2-sigmoid,flatten";
const char* kTinyConvVAE = "r1x8x8,c4k3s2-relu,d8-relu,g2|d64-relu,r4x4x4,t1k3s2-sigmoid,flatten";

std::unique_ptr<Model> graph_model(const char* arch, ReconLoss loss, bool per_sample, double beta = 1.0) {
    GraphObjective o;
    o.loss = loss;
    o.sum_per_sample = per_sample;
    o.beta = beta;
    return make_graph_model(Shape{64, 1, 1}, parse_arch(arch), o);
}

TrainConfig small_cfg() {
    TrainConfig tc;
    tc.batch_size = 16;
    tc.seed = 5;
    tc.eval_every = 20;
    return tc;
}

std::vector<std::uint8_t> save_trained(Model& m, Trainer& tr) { return save_model(m, tr.state(), {{"data", "bars"}}); }

}  // namespace

TEST_SUITE("graph") {

TEST_CASE("models: a conv AE and a conv VAE train through the Trainer; losses fall, history has VAE terms") {
    const Mat X = bars(160, 1), T = bars(40, 2);
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    oc.lr = 3e-3;
    for (const char* arch : {kTinyConvAE, kTinyConvVAE}) {
        CAPTURE(arch);
        const bool vae = std::string(arch).find(",g") != std::string::npos;
        auto m = graph_model(arch, ReconLoss::BCE, vae);
        m->init_params(3);
        CHECK(m->is_vae() == vae);
        CHECK(m->code_dim() == (vae ? 2 : 8 * 2 * 2));
        Trainer tr(*m, oc, X, &T, small_cfg());
        const double before = m->evaluate(T).total;
        while (tr.steps() < 300 && !tr.diverged()) tr.step({50, 0});
        REQUIRE_FALSE(tr.diverged());
        const LossParts after = m->evaluate(T);
        CHECK(after.total < 0.85 * before);
        const HistoryPoint& h = tr.history().back();
        CHECK(std::isfinite(h.train_loss));
        CHECK(std::isfinite(h.test_loss));
        CHECK(std::isfinite(h.train_kl) == vae);
        CHECK(std::isfinite(h.test_kl) == vae);
        if (vae) {
            CHECK(after.kl > 0);
            CHECK(after.total == doctest::Approx(after.recon + after.kl));
            CHECK(h.train_loss == doctest::Approx(h.train_recon + h.train_kl).epsilon(1e-6));
        }
    }
}

TEST_CASE("models: graph training is deterministic and a VAE step without eps is an error") {
    const Mat X = bars(96, 4);
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    oc.lr = 2e-3;
    auto run = [&]() {
        auto m = graph_model(kTinyConvVAE, ReconLoss::BCE, true);
        m->init_params(9);
        Trainer tr(*m, oc, X, nullptr, small_cfg());
        tr.step({40, 0});
        return Vec(m->params());
    };
    const Vec a = run(), b = run();
    CHECK(a == b);
    auto m = graph_model(kTinyConvVAE, ReconLoss::BCE, true);
    m->init_params(1);
    check_error([&] { m->forward_backward(X.leftCols(4), X.leftCols(4)); }, "begin_batch");
    Rng rng(1);
    m->begin_batch(rng, 4);
    CHECK(std::isfinite(m->forward_backward(X.leftCols(4), X.leftCols(4)).total));
}

TEST_CASE("models: the Trainer over a DenseModel equals the Trainer over the Autoencoder") {
    AEConfig c = AEConfig::from_arch("64-16-3");
    c.hidden_act = Activation::ELU;
    const Mat X = bars(64, 7);
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    Autoencoder<float> ae(c);
    ae.init_params(2);
    DenseModel dm(ae);
    Trainer t1(ae, oc, X, nullptr, small_cfg()), t2(dm, oc, X, nullptr, small_cfg());
    t1.step({25, 0});
    t2.step({25, 0});
    CHECK(ae.params() == dm.params());
    CHECK(dm.dense() != nullptr);
    CHECK(dm.graph() == nullptr);
    CHECK(dm.arch_string() == "64-16-3-16-64");
}

TEST_CASE("models: every model kind round-trips through a model file and resumes exactly") {
    const Mat X = bars(80, 11), T = bars(20, 12);
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    oc.lr = 1e-3;
    std::vector<std::unique_ptr<Model>> models;
    models.push_back(graph_model(kTinyConvAE, ReconLoss::BCE, false));
    models.push_back(graph_model(kTinyConvVAE, ReconLoss::BCE, true, 0.5));
    models.push_back(graph_model(mirrored_vae_arch({16}, 3, Activation::ELU, 64).c_str(), ReconLoss::MSE, true));
    AEConfig c = AEConfig::from_arch("64-10-2");
    models.push_back(make_dense_model(c));
    for (auto& m : models) {
        CAPTURE(m->arch_string());
        m->init_params(21);
        // Uninterrupted: 2 x 30 steps. Interrupted: 30 steps, save, load, 30 more.
        auto ref = m->clone();
        Trainer tref(*ref, oc, X, &T, small_cfg());
        tref.step({60, 0});

        Trainer tr(*m, oc, X, &T, small_cfg());
        tr.step({30, 0});
        const auto bytes = save_trained(*m, tr);
        const ModelFile f = read_model(bytes);
        CHECK(f.format_version == kModelFormatVersion);
        CHECK(f.kind == m->kind());
        CHECK(f.meta.at("data") == "bars");
        auto back = build_model(f);
        CHECK(back->arch_string() == m->arch_string());
        CHECK(back->is_vae() == m->is_vae());
        CHECK(back->params() == m->params());
        if (const auto* g = back->graph()) {
            const GraphObjective& o = static_cast<const GraphModel*>(back.get())->objective();
            const GraphObjective& o0 = static_cast<const GraphModel*>(m.get())->objective();
            CHECK(o.loss == o0.loss);
            CHECK(o.sum_per_sample == o0.sum_per_sample);
            CHECK(o.beta == o0.beta);
            CHECK(g->input_shape() == Shape{64, 1, 1});
        }
        Trainer tr2(*back, f.optimizer, X, &T, small_cfg());
        CHECK(tr2.restore(f.trainer));
        tr2.step({30, 0});
        CHECK(back->params() == ref->params());
        REQUIRE(tr2.history().size() == tref.history().size());
        const HistoryPoint &a = tr2.history().back(), &b = tref.history().back();
        CHECK(a.test_loss == b.test_loss);
        CHECK((a.train_kl == b.train_kl || (std::isnan(a.train_kl) && std::isnan(b.train_kl))));
    }
}

TEST_CASE("models: hostile graph model files are refused with a message") {
    auto m = graph_model(kTinyConvAE, ReconLoss::BCE, false);
    m->init_params(1);
    const auto good = save_model(*m);
    auto edit = [&](const std::string& from, const std::string& to) {
        Checkpoint ck = read_checkpoint(good.data(), good.size());
        const size_t at = ck.config_text.find(from);
        INFO(ck.config_text);
        REQUIRE(at != std::string::npos);
        ck.config_text.replace(at, from.size(), to);
        return write_checkpoint(ck);
    };
    check_error([&] { read_model(edit("model_kind=graph", "model_kind=tree")); }, "model_kind");
    check_error([&] { read_model(edit("graph.loss=bce", "graph.loss=mse\ngraph.color=red")); }, "graph.color");
    check_error([&] { read_model(edit("graph.input=64x1x1", "graph.input=64x1")); }, "CxHxW");
    check_error([&] { read_model(edit("graph.input=64x1x1", "graph.input=1x9x9")); }, "graph");
    // C*H*W = 2^32 + 784 would wrap a 32-bit index (WASM) to 784.
    check_error([&] { read_model(edit("graph.input=64x1x1", "graph.input=13x4129777x80")); }, "2^24");
    // A Gaussian code that does not end the encoder is refused everywhere (graph and counts).
    check_error([&] { Graph<float>(Shape{64, 1, 1}, parse_arch("d16-relu,g2,d8-relu|d64-sigmoid")); },
                "encoder's last layer");
    check_error([&] { graph_param_count(Shape{64, 1, 1}, parse_arch("d16-relu,g2,d8-relu|d64-sigmoid")); },
                "encoder's last layer");
    check_error([&] { read_model(edit("c4k3s1same-relu", "c5k3s1same-relu")); }, "parameters");
    check_error([&] { read_model(edit("c4k3s1same-relu", "c4k3s1same-zz")); }, "bad graph");
    check_error([&] { read_model(edit("t1k3s2same-sigmoid", "t1k3s2same-relu")); }, "sigmoid");
    // Same parameter count, other output size (found by the model fuzzer: a stride edited
    // from 2 to 1 made a 16-value model output 4 values and training threw).
    check_error([&] { read_model(edit("t1k3s2same-sigmoid", "t1k3s1same-sigmoid")); }, "reconstructs its input");
    check_error([&] { GraphModel(Shape{64, 1, 1}, parse_arch("d16-relu,d8-sigmoid"), GraphObjective{}); },
                "reconstructs its input");
    check_error([&] { read_model(edit("graph.beta=1", "graph.beta=-1")); }, "beta");
    check_error([&] { read_model(edit("c4k3s1same-relu,p2s2valid,c8k3s1same-relu", "d60000-relu,d60000,c8k3s1same-relu")); }, "too large");
    // A graph file is not a dense Autoencoder.
    check_error([&] { make_model(read_model(good)); }, "graph model");
}

TEST_CASE("models: version-2 model files (dense, before graphs and VAE columns) still load and resume") {
    const Mat X = bars(64, 3);
    AEConfig c = AEConfig::from_arch("64-12-2");
    Autoencoder<float> ae(c);
    ae.init_params(4);
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    Trainer tr(ae, oc, X, nullptr, small_cfg());
    tr.step({45, 0});
    const auto v3 = save_model(ae, tr.state());
    // What a version-2 writer produced: no model_kind, six history columns, no VAE sums.
    Checkpoint ck = read_checkpoint(v3.data(), v3.size());
    auto kv = parse_config(ck.config_text);
    kv.erase("model_kind");
    kv["model_format_version"] = "2";
    ck.config_text = format_config(kv);
    for (const char* k : {"train.history.train_recon", "train.history.train_kl", "train.history.test_kl"})
        REQUIRE(ck.doubles.erase(k) == 1);
    REQUIRE(ck.scalars.erase("train.acc_recon") == 1);
    REQUIRE(ck.scalars.erase("train.acc_kl") == 1);
    const auto v2 = write_checkpoint(ck);
    const ModelFile f = read_model(v2);
    CHECK(f.format_version == 2);
    CHECK(f.kind == ModelKind::Dense);
    auto m = build_model(f);
    CHECK(m->params() == ae.params());
    Trainer t2(*m, f.optimizer, X, nullptr, small_cfg());
    CHECK(t2.restore(f.trainer));
    tr.step({20, 0});
    t2.step({20, 0});
    CHECK(m->params() == ae.params());
    // The version-3 columns are refused in a version-2 file.
    check_error([&] {
        Checkpoint c3 = read_checkpoint(v3.data(), v3.size());
        auto k3 = parse_config(c3.config_text);
        k3["model_format_version"] = "2";
        k3.erase("model_kind");
        c3.config_text = format_config(k3);
        read_model(write_checkpoint(c3));
    }, "unexpected");
}

}  // TEST_SUITE("graph")
