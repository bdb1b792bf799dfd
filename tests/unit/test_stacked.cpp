// test_stacked.cpp: greedy layer-wise pretraining (aelab/stacked.hpp): the phase shapes and
// activations, the unrolled model as the composition of the phase autoencoders, each phase's
// falling loss, determinism from the seed, refusals, and a fine-tuned model file that loads.
#include <doctest.h>

#include "aelab/model_io.hpp"
#include "aelab/stacked.hpp"
#include "test_util.hpp"

#include <cmath>

using namespace aelab;

namespace {

// n samples of d values in (0, 1) on a 3-dimensional curved manifold: sigmoid(A z) (A from
// the seed: split one call's columns for train and test sets of the same manifold).
Mat manifold_data(int d, int n, std::uint64_t seed) {
    Rng r(seed);
    Mat A(d, 3), Z(3, n);
    r.fill_normal(A, 1.0);
    r.fill_normal(Z, 1.0);
    Mat X = A * Z;
    for (Index i = 0; i < X.size(); ++i) X.data()[i] = 1.0f / (1.0f + std::exp(-X.data()[i]));
    return X;
}

AEConfig target(const char* arch, Activation act, bool tied = false) {
    AEConfig c = AEConfig::from_arch(arch);
    c.hidden_act = act;
    c.output_act = Activation::Sigmoid;
    c.tied = tied;
    return c;
}

TrainConfig small_tc(std::uint64_t seed) {
    TrainConfig tc;
    tc.batch_size = 20;
    tc.seed = seed;
    tc.eval_every = 20;
    return tc;
}

OptimizerConfig adam(double lr) {
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    oc.lr = lr;
    return oc;
}

void run(LayerwisePretrainer& pre) {
    while (!pre.done() && !pre.diverged()) pre.step({25, 0.0});
    REQUIRE_FALSE(pre.diverged());
}

// Max |a - b| over entries.
double max_diff(const Mat& a, const Mat& b) {
    REQUIRE(a.rows() == b.rows());
    REQUIRE(a.cols() == b.cols());
    return double((a - b).cwiseAbs().maxCoeff());
}

}  // namespace

TEST_SUITE("trainer") {
    TEST_CASE("layerwise: phase shapes, activations and losses follow the target's layers") {
        AEConfig t = target("20-12-6-2", Activation::ELU);
        t.loss = ReconLoss::BCE;
        REQUIRE(layerwise_num_phases(t) == 3);
        const AEConfig p0 = layerwise_phase_config(t, 0), p1 = layerwise_phase_config(t, 1),
                       p2 = layerwise_phase_config(t, 2);
        CHECK(p0.arch_string() == "20-12-20");
        CHECK(p1.arch_string() == "12-6-12");
        CHECK(p2.arch_string() == "6-2-6");
        CHECK(p0.latent_act == Activation::ELU);
        CHECK(p0.output_act == Activation::Sigmoid);  // the data's output and loss
        CHECK(p0.loss == ReconLoss::BCE);
        CHECK(p1.output_act == Activation::Identity);  // ELU is no output activation: linear
        CHECK(p1.loss == ReconLoss::MSE);
        CHECK(p2.latent_act == Activation::Identity);  // the code's activation
        AEConfig s = target("20-12-6-2", Activation::Sigmoid);
        CHECK(layerwise_phase_config(s, 1).output_act == Activation::Sigmoid);  // the mirrored layer's
        s.sparsity = Sparsity::L1;
        s.sparsity_weight = 0.01;
        CHECK(layerwise_phase_config(s, 0).sparsity == Sparsity::None);
        CHECK(layerwise_phase_config(s, 2).sparsity == Sparsity::L1);  // the code only
    }

    TEST_CASE("layerwise: the unrolled model is the composition of the phase autoencoders") {
        const Mat all = manifold_data(20, 240, 3), X = all.leftCols(200), Xt = all.rightCols(40);
        for (bool tied : {false, true}) {
            for (Activation act : {Activation::Sigmoid, Activation::ELU}) {
                CAPTURE(tied);
                CAPTURE(activation_name(act));
                const AEConfig t = target("20-12-6-2", act, tied);
                LayerwisePretrainer pre(t, adam(0.01), X, &Xt, small_tc(5), 1);
                run(pre);
                Autoencoder<float> full = pre.unroll();
                CHECK(full.config().arch_string() == "20-12-6-2-6-12-20");
                CHECK(full.num_params() == Autoencoder<float>(t).num_params());
                // Encoder: enc_2(enc_1(enc_0(X))), any activation.
                Mat Z = Xt, Zn;
                for (int p = 0; p < 3; ++p) {
                    const_cast<Autoencoder<float>&>(pre.phase_model(p)).encode(Z, Zn);
                    Z = Zn;
                }
                Mat Zfull, R, Rfull;
                full.encode(Xt, Zfull);
                CHECK(max_diff(Z, Zfull) < 1e-5);
                // Decoder: dec_0(dec_1(dec_2(Z))), exact when the mirrored activations are outputs.
                if (act == Activation::Sigmoid) {
                    R = Z;
                    for (int p = 2; p >= 0; --p) {
                        const_cast<Autoencoder<float>&>(pre.phase_model(p)).decode(R, Zn);
                        R = Zn;
                    }
                    full.reconstruct(Xt, Rfull);
                    CHECK(max_diff(R, Rfull) < 1e-5);
                }
            }
        }
    }

    TEST_CASE("layerwise: each phase's loss falls; the fine-tuned model saves and loads") {
        const Mat all = manifold_data(20, 480, 7), X = all.leftCols(400), Xt = all.rightCols(80);
        const AEConfig t = target("20-12-6-2", Activation::Sigmoid);
        LayerwisePretrainer pre(t, adam(0.01), X, &Xt, small_tc(11), 4);
        CHECK(pre.total_steps() == 3 * 4 * 20);
        CHECK(pre.phase() == 0);
        run(pre);
        CHECK(pre.steps() == pre.total_steps());
        CHECK(pre.phase() == 3);
        for (const PretrainPhase& ph : pre.phases()) {
            CAPTURE(ph.index);
            REQUIRE(ph.done);
            REQUIRE(ph.history.size() >= 2);
            CHECK(ph.history.front().step == 0);
            CHECK(ph.history.back().step == ph.total_steps);
            CHECK(ph.final_test_loss < 0.8 * ph.history.front().test_loss);
            CHECK(std::isfinite(ph.final_train_loss));
        }
        Autoencoder<float> full = pre.unroll();
        const double before = full.evaluate(Xt).mse;
        Trainer tr(full, adam(0.005), X, &Xt, small_tc(11));
        tr.step({40, 0.0});
        CHECK(full.evaluate(Xt).mse < before);
        const ModelFile f = read_model(save_model(full, tr.state()));
        CHECK(f.model.arch_string() == "20-12-6-2-6-12-20");
        CHECK(aelab_test::same_bits(make_model(f).params(), full.params()));
    }

    TEST_CASE("layerwise: the same seed gives the same model, another seed another") {
        const Mat X = manifold_data(20, 100, 1);
        const AEConfig t = target("20-8-3", Activation::Tanh);
        LayerwisePretrainer a(t, adam(0.01), X, nullptr, small_tc(2), 2), b(t, adam(0.01), X, nullptr, small_tc(2), 2),
            c(t, adam(0.01), X, nullptr, small_tc(3), 2);
        run(a);
        run(b);
        run(c);
        CHECK(aelab_test::same_bits(a.unroll().params(), b.unroll().params()));
        CHECK_FALSE(aelab_test::same_bits(a.unroll().params(), c.unroll().params()));
        CHECK(std::isnan(a.phases()[0].final_test_loss));  // no test set
    }

    TEST_CASE("layerwise: a model with one encoder layer and bad settings are refused") {
        const Mat X = manifold_data(20, 50, 1);
        aelab_test::check_error([&] { layerwise_num_phases(AEConfig::from_arch("20-2")); }, "at least two encoder layers");
        AEConfig nm = AEConfig::from_arch("20-8-3");
        nm.mirror_decoder = false;
        nm.decoder = {5};
        aelab_test::check_error([&] { layerwise_num_phases(nm); }, "mirrored decoder");
        const AEConfig t = AEConfig::from_arch("20-8-3");
        aelab_test::check_error([&] { LayerwisePretrainer(t, adam(0.01), X, nullptr, small_tc(1), 0); }, ">= 1");
        TrainConfig big = small_tc(1);
        big.batch_size = 51;
        aelab_test::check_error([&] { LayerwisePretrainer(t, adam(0.01), X, nullptr, big, 1); }, "larger than the training set");
        aelab_test::check_error([&] { layerwise_phase_config(t, 2); }, "out of range");
        LayerwisePretrainer pre(t, adam(0.01), X, nullptr, small_tc(1), 1);
        aelab_test::check_error([&] { (void)pre.unroll(); }, "finished");
    }
}
