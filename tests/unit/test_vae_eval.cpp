// test_vae_eval.cpp: the VAE's evaluation (aelab/vae_eval.hpp): the IWAE bound with K = 1 is
// the single-sample ELBO estimator on the same eps, the bound rises (weakly) with K, the
// analytic and Monte Carlo ELBOs agree on average, the MSE decoder's constant, a trained
// VAE beats an untrained one, and bad calls throw. No gradients are checked here.
#include <doctest.h>

#include "aelab/model.hpp"
#include "aelab/trainer.hpp"
#include "aelab/vae_eval.hpp"

#include <cmath>

using namespace aelab;

namespace {

// 400 binary 16-pixel "images": four prototypes with 10% of their pixels flipped.
Mat binary_patterns(Index n, std::uint64_t seed) {
    Rng rng(seed);
    Mat X(16, n);
    for (Index j = 0; j < n; ++j) {
        const int c = int(rng.uniform(0, 4)) % 4;
        for (Index i = 0; i < 16; ++i) {
            float v = float((i / 4 == c) || (i % 4 == c));
            if (rng.uniform(0, 1) < 0.1) v = 1.0f - v;
            X(i, j) = v;
        }
    }
    return X;
}

const char* kTinyVae = "d12-elu,g2|d12-elu,d16-sigmoid";

}  // namespace

TEST_SUITE("graph") {
    TEST_CASE("vae eval: IWAE with K = 1 is the single-sample ELBO on the same eps; mean code is deterministic") {
        Graph<float> g(Shape{16, 1, 1}, parse_arch(kTinyVae));
        g.init_params(3);
        const Mat X = binary_patterns(37, 1);
        for (Index chunk : {Index(7), Index(500)}) {
            VaeEval s = vae_elbo_sampled(g, ReconLoss::BCE, X, 11, chunk);
            VecD per;
            const double iw1 = vae_iwae(g, ReconLoss::BCE, X, 1, 11, chunk, &per);
            CHECK(per.size() == 37);
            CHECK(iw1 == doctest::Approx(s.elbo_mc).epsilon(1e-12));
            CHECK(s.elbo == doctest::Approx(-(s.recon + s.kl)).epsilon(1e-14));
            CHECK(s.kl > 0);
            CHECK(s.recon > 0);
        }
        // Another seed gives another sample; the mean code gives the same value twice.
        CHECK(vae_elbo_sampled(g, ReconLoss::BCE, X, 12).elbo != vae_elbo_sampled(g, ReconLoss::BCE, X, 11).elbo);
        VaeEval m1 = vae_elbo_mean(g, ReconLoss::BCE, X, 5), m2 = vae_elbo_mean(g, ReconLoss::BCE, X, 100);
        CHECK(m1.elbo == doctest::Approx(m2.elbo).epsilon(1e-6));  // float GEMMs of other widths round differently
        // The mean-code recon and KL are the graph's own objective summed per image.
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        obj.sum_per_sample = true;
        GraphLossParts l = g.forward_loss(X, X, obj);
        CHECK(m1.recon == doctest::Approx(l.recon).epsilon(1e-5));
        CHECK(m1.kl == doctest::Approx(l.kl).epsilon(1e-5));
    }

    TEST_CASE("vae eval: the bound rises with K on average, and the sampled ELBO estimators agree on average") {
        Graph<float> g(Shape{16, 1, 1}, parse_arch(kTinyVae));
        g.init_params(4);
        const Mat X = binary_patterns(300, 2);
        double prev = -1e300;
        for (int K : {1, 5, 50}) {
            const double b = vae_iwae(g, ReconLoss::BCE, X, K, 21);
            CHECK(b >= prev - 0.02);  // weakly, up to Monte Carlo noise over 300 images
            prev = b;
        }
        CHECK(vae_iwae(g, ReconLoss::BCE, X, 50, 21) > vae_iwae(g, ReconLoss::BCE, X, 1, 21));
        // E[elbo_mc] = elbo (analytic KL): averaged over 300 images they are close.
        VaeEval s = vae_elbo_sampled(g, ReconLoss::BCE, X, 5);
        CHECK(std::abs(s.elbo_mc - s.elbo) < 0.1 * std::abs(s.elbo));
        // log p(x) <= 0 for binary data under a Bernoulli decoder.
        CHECK(prev < 0);
    }

    TEST_CASE("vae eval: the MSE decoder is a Gaussian of variance 1/2 (constant included)") {
        Graph<float> g(Shape{16, 1, 1}, parse_arch(kTinyVae));
        g.init_params(5);
        const Mat X = binary_patterns(20, 3);
        VaeEval m = vae_elbo_mean(g, ReconLoss::MSE, X);
        Mat R;
        g.reconstruct(X, R);
        const double sq = double((R - X).squaredNorm()) / 20.0;
        CHECK(m.recon == doctest::Approx(sq + 8.0 * std::log(M_PI)).epsilon(1e-5));
    }

    TEST_CASE("vae eval: a trained VAE beats an untrained one (ELBO and IWAE)") {
        const Mat X = binary_patterns(400, 7), Xt = binary_patterns(200, 8);
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        obj.sum_per_sample = true;
        auto m = make_graph_model(Shape{16, 1, 1}, parse_arch(kTinyVae), obj);
        m->init_params(1);
        Graph<float>& g = *m->graph();
        const VaeEval e0 = vae_elbo_mean(g, ReconLoss::BCE, Xt);
        const double iw0 = vae_iwae(g, ReconLoss::BCE, Xt, 10, 3);
        TrainConfig tc;
        tc.batch_size = 40;
        tc.eval_every = 0;
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
        oc.lr = 0.01;
        Trainer tr(*m, oc, X, &Xt, tc);
        tr.step({600, 0.0});
        REQUIRE_FALSE(tr.diverged());
        const VaeEval e1 = vae_elbo_mean(g, ReconLoss::BCE, Xt);
        const double iw1 = vae_iwae(g, ReconLoss::BCE, Xt, 10, 3);
        CHECK(e1.elbo > e0.elbo + 2.0);
        CHECK(iw1 > iw0 + 2.0);
        CHECK(iw1 >= vae_elbo_sampled(g, ReconLoss::BCE, Xt, 3).elbo_mc - 0.05);
    }

    TEST_CASE("vae eval: bad calls throw with a message") {
        Graph<float> ae(Shape{16, 1, 1}, parse_arch("d4-elu,d16-sigmoid"));
        Graph<float> vae(Shape{16, 1, 1}, parse_arch(kTinyVae));
        Graph<float> lin(Shape{16, 1, 1}, parse_arch("d12-elu,g2|d12-elu,d16"));
        ae.init_params(1), vae.init_params(1), lin.init_params(1);
        const Mat X = binary_patterns(5, 1), Xbad = Mat::Zero(15, 3);
        CHECK_THROWS_WITH_AS(vae_elbo_mean(ae, ReconLoss::BCE, X), doctest::Contains("no Gaussian code"), Error);
        CHECK_THROWS_WITH_AS(vae_elbo_mean(vae, ReconLoss::BCE, Xbad), doctest::Contains("15 rows"), Error);
        CHECK_THROWS_WITH_AS(vae_iwae(vae, ReconLoss::BCE, X, 0, 1), doctest::Contains("K (importance samples)"), Error);
        CHECK_THROWS_WITH_AS(vae_elbo_sampled(lin, ReconLoss::BCE, X, 1), doctest::Contains("sigmoid"), Error);
        CHECK_NOTHROW(vae_elbo_sampled(lin, ReconLoss::MSE, X, 1));
    }
}
