// Tests of the contractive penalty (AEConfig::contractive, core/src/contractive.cpp):
// gradient checks of the penalty alone (one-layer closed form for every activation with a
// second derivative, two- and three-layer encoders through the Jacobian chain) and inside a
// whole model; the penalty's value against a finite-difference Jacobian of encode(); lambda
// = 0 is bit-identical to the plain model; a trained CAE is less sensitive than a plain AE;
// the option's config text and model file round trips. Suites "gradcheck", "autoencoder",
// "checkpoint", and the page's URL key cae= (suite "app").
#include <doctest.h>

#include "test_util.hpp"

#include "aelab/autoencoder.hpp"
#include "aelab/model_io.hpp"
#include "aelab/trainer.hpp"
#include "state.hpp"

#include <cmath>
#include <limits>

using namespace aelab;

namespace {

MatD rand_matd(Index d, Index n, std::uint64_t seed, double lo, double hi) {
    Rng r(seed);
    MatD X(d, n);
    r.fill_uniform(X, lo, hi);
    return X;
}

// Max relative error of the analytic gradient of the penalty ALONE (contractive_penalty)
// against central differences of its value, in double.
double penalty_gradcheck(const AEConfig& c, const MatD& X, std::uint64_t seed) {
    Autoencoder<double> ae(c);
    ae.init_params(seed);
    VecD g = VecD::Zero(ae.num_params());
    ae.contractive_penalty(X, &g);
    const VecD p = ae.params();
    double worst = 0;
    const double h = 1e-6;
    for (Index i = 0; i < p.size(); ++i) {
        ae.params()(i) = p(i) + h;
        double fp = ae.contractive_penalty(X, nullptr);
        ae.params()(i) = p(i) - h;
        double fm = ae.contractive_penalty(X, nullptr);
        ae.params()(i) = p(i);
        double fd = (fp - fm) / (2 * h);
        worst = std::max(worst, std::abs(fd - g(i)) / std::max(1e-3, std::abs(fd) + std::abs(g(i))));
    }
    return worst;
}

// Mean ||J||_F^2 of encode() by central differences over each input coordinate.
double fd_jacobian_sqnorm(Autoencoder<double>& ae, const MatD& X) {
    const double h = 1e-5;
    double s = 0;
    for (Index b = 0; b < X.cols(); ++b) {
        for (Index i = 0; i < X.rows(); ++i) {
            MatD xp = X.col(b), xm = X.col(b);
            xp(i) += h;
            xm(i) -= h;
            MatD zp, zm;
            ae.encode(xp, zp);
            ae.encode(xm, zm);
            s += ((zp - zm) / (2 * h)).squaredNorm();
        }
    }
    return s / double(X.cols());
}

}  // namespace

TEST_SUITE("gradcheck") {
    TEST_CASE("contractive: one-layer closed form, penalty alone, every activation with f''") {
        MatD X = rand_matd(6, 5, 31, -1, 1);
        for (Activation a : {Activation::Identity, Activation::Sigmoid, Activation::Tanh, Activation::ELU,
                             Activation::SELU, Activation::Softplus}) {
            AEConfig c = AEConfig::from_arch("6-4");
            c.latent_act = a;
            c.contractive = 0.7;
            INFO("activation " << activation_name(a));
            CHECK(penalty_gradcheck(c, X, 41) < 1e-6);
        }
    }
    TEST_CASE("contractive: deeper encoders through the Jacobian chain, penalty alone") {
        MatD X = rand_matd(5, 4, 32, -1, 1);
        AEConfig c = AEConfig::from_arch("5-4-3");
        c.hidden_act = Activation::Tanh;
        c.latent_act = Activation::Sigmoid;
        c.contractive = 0.5;
        CHECK(penalty_gradcheck(c, X, 42) < 1e-6);
        AEConfig d = AEConfig::from_arch("5-6-4-2");
        d.hidden_acts = {Activation::Softplus, Activation::ELU, Activation::Sigmoid, Activation::Tanh};
        d.latent_act = Activation::Tanh;
        d.contractive = 1.3;
        CHECK(penalty_gradcheck(d, X, 43) < 1e-6);
    }
    TEST_CASE("contractive: whole model (recon + contractive + weight decay + L1), untied and tied") {
        MatD X = rand_matd(6, 5, 33, 0.05, 0.95);
        for (bool tied : {false, true}) {
            AEConfig c = AEConfig::from_arch("6-4-3");
            c.hidden_act = Activation::Sigmoid;
            c.latent_act = Activation::Tanh;
            c.output_act = Activation::Sigmoid;
            c.tied = tied;
            c.contractive = 0.3;
            c.weight_decay = 0.05;
            c.sparsity = Sparsity::L1;
            c.sparsity_weight = 0.1;
            Autoencoder<double> ae(c);
            ae.init_params(44);
            LossParts lp = ae.forward_backward(X, X);
            CHECK(lp.contractive > 0);
            CHECK(lp.total == doctest::Approx(lp.recon + lp.sparsity + lp.weight_decay + lp.contractive));
            VecD g = ae.grads(), p = ae.params();
            double worst = 0;
            for (Index i = 0; i < p.size(); ++i) {
                const double h = 1e-6;
                ae.params()(i) = p(i) + h;
                double fp = ae.forward_loss(X, X, true).total;
                ae.params()(i) = p(i) - h;
                double fm = ae.forward_loss(X, X, true).total;
                ae.params()(i) = p(i);
                double fd = (fp - fm) / (2 * h);
                worst = std::max(worst, std::abs(fd - g(i)) / std::max(1e-3, std::abs(fd) + std::abs(g(i))));
            }
            INFO("tied " << tied);
            CHECK(worst < 1e-6);
        }
    }
}

TEST_SUITE("autoencoder") {
    TEST_CASE("contractive: penalty value equals a finite-difference Jacobian of encode()") {
        MatD X = rand_matd(7, 6, 34, -1, 1);
        for (const char* arch : {"7-3", "7-5-3", "7-6-5-2"}) {
            AEConfig c = AEConfig::from_arch(arch);
            c.hidden_act = Activation::Tanh;
            c.latent_act = Activation::Sigmoid;
            c.contractive = 0.25;
            Autoencoder<double> ae(c);
            ae.init_params(45);
            const double fd = fd_jacobian_sqnorm(ae, X);
            INFO("arch " << arch);
            CHECK(ae.jacobian_sqnorm(X, 4) == doctest::Approx(fd).epsilon(1e-7));
            CHECK(ae.contractive_penalty(X, nullptr) == doctest::Approx(0.25 * fd).epsilon(1e-7));
            CHECK(ae.forward_loss(X, X, true).contractive == doctest::Approx(0.25 * fd).epsilon(1e-7));
        }
        // float agrees with double
        AEConfig c = AEConfig::from_arch("7-5-3");
        c.hidden_act = Activation::ELU;
        c.contractive = 1;
        Autoencoder<double> ad(c);
        ad.init_params(46);
        Autoencoder<float> af(c);
        af.params() = ad.params().cast<float>();
        Mat Xf = X.cast<float>();
        CHECK(af.jacobian_sqnorm(Xf) == doctest::Approx(ad.jacobian_sqnorm(X)).epsilon(1e-5));
    }
    TEST_CASE("contractive: lambda 0 is bit-identical to the plain model; hostile lambdas are refused") {
        Mat X = rand_matd(8, 10, 35, 0, 1).cast<float>();
        AEConfig c = AEConfig::from_arch("8-5-2");
        c.hidden_act = Activation::Sigmoid;
        Autoencoder<float> a(c), b(c);
        a.init_params(47);
        b.init_params(47);
        CHECK(c.to_text().find("contractive") == std::string::npos);  // files unchanged when off
        LossParts pa = a.forward_backward(X, X), pb = b.forward_backward(X, X);
        CHECK(pa.total == pb.total);
        CHECK(pa.contractive == 0);
        CHECK(aelab_test::same_bits(a.grads(), b.grads()));
        for (double bad : {-0.1, std::nan(""), std::numeric_limits<double>::infinity(), 1e7}) {
            c.contractive = bad;
            CHECK_THROWS_AS(c.validate(), Error);
        }
        aelab_test::check_error([] { AEConfig::from_text("input_dim=4\nlatent=2\ncontractive=nan\n"); }, "contractive");
        aelab_test::check_error([] { AEConfig::from_text("input_dim=4\nlatent=2\ncontractive=-1\n"); }, "contractive");
    }
    TEST_CASE("contractive: a trained CAE has a smaller encoder Jacobian than the plain AE") {
        // Points near a 2-D curve in 10-D; 784-like sigmoid code, same seed and steps.
        Rng r(36);
        auto make = [&](Index n) {
            Mat X(10, n);
            for (Index j = 0; j < n; ++j) {
                double t = r.uniform(-1, 1), s = r.uniform(-1, 1);
                for (Index i = 0; i < 10; ++i)
                    X(i, j) = float(0.5 + 0.3 * std::sin(0.6 * double(i) + 2 * t) * s + 0.02 * r.normal());
            }
            return X;
        };
        Mat Xtr = make(400), Xte = make(200);
        auto train = [&](double lambda) {
            AEConfig c = AEConfig::from_arch("10-8-3");
            c.hidden_act = Activation::Sigmoid;
            c.latent_act = Activation::Sigmoid;
            c.contractive = lambda;
            Autoencoder<float> ae(c);
            ae.init_params(48);
            TrainConfig tc;
            tc.batch_size = 40;
            tc.eval_every = 0;
            Trainer tr(ae, OptimizerConfig::defaults_for(OptimizerKind::Adam), Xtr, &Xte, tc);
            tr.step({600, 0.0});
            REQUIRE(!tr.diverged());
            return ae.jacobian_sqnorm(Xte);
        };
        const double plain = train(0), cae = train(0.1);
        INFO("mean ||J||^2 on test: plain " << plain << ", CAE " << cae);
        CHECK(cae < 0.5 * plain);
    }
}

TEST_SUITE("checkpoint") {
    TEST_CASE("model_io: the contractive lambda round-trips; files without the key load with 0") {
        AEConfig c = AEConfig::from_arch("6-4-2");
        c.contractive = 0.125;
        Autoencoder<float> ae(c);
        ae.init_params(49);
        ModelFile f = read_model(save_model(ae));
        CHECK(f.model.contractive == 0.125);
        CHECK(aelab_test::same_bits(f.params, ae.params()));
        Autoencoder<float> back = make_model(f);
        CHECK(back.config().contractive == 0.125);
        c.contractive = 0;
        Autoencoder<float> plain(c);
        plain.init_params(49);
        CHECK(read_model(save_model(plain)).model.contractive == 0);
    }
}

TEST_SUITE("app") {
    TEST_CASE("page state: URL key cae= round-trips into the model; hostile values are refused") {
        using namespace aelab::app;
        QueryResult q = parse_query("cae=0.1");
        CHECK(q.messages.empty());
        CHECK(q.settings.contractive == 0.1);
        CHECK(q.settings.model_config(784).contractive == 0.1);
        CHECK(to_query(q.settings).find("cae=0.1") != std::string::npos);
        CHECK(to_query(parse_query("").settings).find("cae") == std::string::npos);  // off: not written
        Settings a = q.settings, b = q.settings;
        b.contractive = 0.2;
        CHECK(Settings::objective_differs(a, b));  // the weights are kept (Session::update_objective)
        CHECK(!Settings::shape_differs(a, b));
        for (const char* bad : {"cae=-1", "cae=nan", "cae=1e3", "cae=abc"}) {
            QueryResult r = parse_query(bad);
            INFO(bad);
            CHECK(r.settings.contractive == 0);
            CHECK(!r.messages.empty());
        }
        QueryResult g = parse_query("model=vae&cae=0.5");  // dense only: reset with a message
        CHECK(g.settings.contractive == 0);
        CHECK(!g.messages.empty());
    }
}
