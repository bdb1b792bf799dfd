// Unit tests for the neural-network core: RNG, activations, losses, gradient checks,
// autoencoder shapes/config (optimizers and the trainer: test_training.cpp).
#include <doctest.h>

#include "aelab/autoencoder.hpp"
#include "aelab/optim.hpp"
#include "aelab/trainer.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <functional>
#include <set>

using namespace aelab;

namespace {

// Central finite differences of f at p, in double. Returns the max relative error
// |g - g_fd| / max(1e-3, |g| + |g_fd|) over all coordinates.
double gradcheck(const std::function<double(const VecD&)>& f, const VecD& p, const VecD& g, double h = 1e-6) {
    double worst = 0;
    VecD q = p;
    for (Index i = 0; i < p.size(); ++i) {
        q(i) = p(i) + h;
        double fp = f(q);
        q(i) = p(i) - h;
        double fm = f(q);
        q(i) = p(i);
        double fd = (fp - fm) / (2 * h);
        // relative error, with a floor so that round-off on entries that are exactly zero
        // (e.g. a penalty's gradient w.r.t. decoder weights) does not count as an error
        double err = std::abs(fd - g(i)) / std::max(1e-3, std::abs(fd) + std::abs(g(i)));
        worst = std::max(worst, err);
    }
    return worst;
}

MatD rand_mat(Index d, Index n, std::uint64_t seed, double lo = 0.05, double hi = 0.95) {
    Rng r(seed);
    MatD X(d, n);
    r.fill_uniform(X, lo, hi);
    return X;
}

// Gradient of the model's total objective at its current parameters vs finite differences.
double model_gradcheck(Autoencoder<double>& ae, const MatD& Xin, const MatD& Xt) {
    ae.forward_backward(Xin, Xt);
    VecD g = ae.grads();
    VecD p = ae.params();
    auto f = [&](const VecD& q) {
        ae.params() = q;
        return ae.forward_loss(Xin, Xt, true).total;
    };
    double e = gradcheck(f, p, g);
    ae.params() = p;
    return e;
}

// Gradient of ONE penalty term: (objective with term) - (objective without), both as FD and
// as the difference of the analytic gradients.
double term_gradcheck(AEConfig with, AEConfig without, const MatD& X, std::uint64_t seed) {
    Autoencoder<double> a(with), b(without);
    a.init_params(seed);
    b.params() = a.params();
    a.forward_backward(X, X);
    b.forward_backward(X, X);
    VecD g = a.grads() - b.grads();
    VecD p = a.params();
    auto f = [&](const VecD& q) {
        a.params() = q;
        b.params() = q;
        return a.forward_loss(X, X, true).total - b.forward_loss(X, X, true).total;
    };
    return gradcheck(f, p, g);
}

}  // namespace

TEST_SUITE("rng") {
    TEST_CASE("rng: PCG32 is deterministic per seed and streams differ") {
        Rng a(7), b(7), c(8);
        bool differs = false;
        for (int i = 0; i < 100; ++i) {
            auto x = a.next_u32();
            CHECK(x == b.next_u32());
            if (x != c.next_u32()) differs = true;
        }
        CHECK(differs);
    }
    TEST_CASE("rng: PCG32 reference output for seed 42, stream 54") {
        // First outputs of the PCG32 reference implementation (pcg32-demo, seed 42, seq 54).
        Rng r(42, 54);
        CHECK(r.next_u32() == 0xa15c02b7u);
        CHECK(r.next_u32() == 0x7b47f409u);
        CHECK(r.next_u32() == 0xba1d3330u);
    }
    TEST_CASE("rng: uniform and normal moments") {
        Rng r(3);
        const int n = 200000;
        double s = 0, s2 = 0, u = 0;
        for (int i = 0; i < n; ++i) {
            double z = r.normal();
            s += z;
            s2 += z * z;
            u += r.uniform();
        }
        CHECK(std::abs(s / n) < 0.01);
        CHECK(std::abs(s2 / n - 1.0) < 0.02);
        CHECK(std::abs(u / n - 0.5) < 0.005);
    }
    TEST_CASE("rng: below() is unbiased and shuffle is a permutation") {
        Rng r(5);
        std::vector<int> counts(7, 0);
        for (int i = 0; i < 70000; ++i) counts[r.below(7)]++;
        for (int c : counts) CHECK(std::abs(c - 10000) < 500);
        std::vector<int> v(100);
        for (int i = 0; i < 100; ++i) v[i] = i;
        r.shuffle(v);
        std::set<int> s(v.begin(), v.end());
        CHECK(s.size() == 100);
    }
}

TEST_SUITE("layers") {
    TEST_CASE("layers: every activation's backward matches finite differences (double)") {
        for (Activation a : {Activation::Identity, Activation::Sigmoid, Activation::Tanh, Activation::ReLU,
                             Activation::LeakyReLU, Activation::ELU, Activation::SELU, Activation::Softplus}) {
            CAPTURE(activation_name(a));
            MatD Z = rand_mat(6, 5, 11, -3, 3);
            // keep away from the kinks of ReLU-like functions
            Z = (Z.array().abs() < 1e-3).select(0.5, Z);
            MatD Y(6, 5), dY = rand_mat(6, 5, 12, -1, 1), dZ(6, 5);
            apply_activation<double>(a, Z, Y);
            activation_backward<double>(a, Z, Y, dY, dZ);
            for (Index i = 0; i < Z.size(); ++i) {
                MatD Zp = Z, Zm = Z, Yp(6, 5), Ym(6, 5);
                Zp(i) += 1e-6;
                Zm(i) -= 1e-6;
                apply_activation<double>(a, Zp, Yp);
                apply_activation<double>(a, Zm, Ym);
                double fd = dY(i) * (Yp(i) - Ym(i)) / 2e-6;
                CHECK(dZ(i) == doctest::Approx(fd).epsilon(1e-6));
            }
        }
    }
    TEST_CASE("layers: activation values at known points") {
        MatD Z(1, 4);
        Z << -1000, -1, 0, 1000;
        MatD Y(1, 4);
        apply_activation<double>(Activation::Sigmoid, Z, Y);
        CHECK(Y(0) == 0.0);
        CHECK(Y(1) == doctest::Approx(1 / (1 + std::exp(1.0))));
        CHECK(Y(2) == doctest::Approx(0.5));
        CHECK(Y(3) == 1.0);
        apply_activation<double>(Activation::Softplus, Z, Y);
        CHECK(Y(0) == doctest::Approx(0.0));
        CHECK(Y(3) == doctest::Approx(1000.0));
        CHECK(std::isfinite(Y(3)));
        apply_activation<double>(Activation::SELU, Z, Y);
        CHECK(Y(0) == doctest::Approx(-kSeluLambda * kSeluAlpha));
        CHECK(Y(3) == doctest::Approx(1000 * kSeluLambda));
        apply_activation<double>(Activation::ELU, Z, Y);
        CHECK(Y(1) == doctest::Approx(std::exp(-1.0) - 1));
    }
    TEST_CASE("layers: activation names parse and unknown names are rejected") {
        CHECK(parse_activation("elu") == Activation::ELU);
        CHECK(parse_activation("linear") == Activation::Identity);
        CHECK_THROWS_AS(parse_activation("swish"), Error);
    }
}

TEST_SUITE("losses") {
    TEST_CASE("losses: MSE is the mean over all entries") {
        AEConfig c = AEConfig::from_arch("3-2");
        c.hidden_act = Activation::Identity;
        Autoencoder<double> ae(c);  // params zero -> output zero
        MatD X(3, 2);
        X << 1, 2, 3, 4, 5, 6;
        LossParts p = ae.forward_loss(X, X);
        CHECK(p.recon == doctest::Approx((1 + 4 + 9 + 16 + 25 + 36) / 6.0));
        CHECK(p.mse == doctest::Approx(p.recon));
    }
    TEST_CASE("losses: BCE from logits equals the direct formula and stays finite when saturated") {
        AEConfig c = AEConfig::from_arch("2-1");
        c.output_act = Activation::Sigmoid;
        c.loss = ReconLoss::BCE;
        Autoencoder<double> ae(c);
        ae.params().setZero();
        // Output bias sets the logits directly (weights zero).
        const auto& L = ae.layer(1);
        ae.params()(L.b_off) = 0.3;
        ae.params()(L.b_off + 1) = -1.2;
        MatD X(2, 1);
        X << 0.7, 0.1;
        LossParts p = ae.forward_loss(X, X);
        auto bce = [](double x, double z) {
            double s = 1 / (1 + std::exp(-z));
            return -(x * std::log(s) + (1 - x) * std::log(1 - s));
        };
        CHECK(p.recon == doctest::Approx((bce(0.7, 0.3) + bce(0.1, -1.2)) / 2));
        ae.params()(L.b_off) = 80;  // sigmoid saturates to 1 in float and double
        ae.params()(L.b_off + 1) = -80;
        p = ae.forward_loss(X, X);
        CHECK(std::isfinite(p.recon));
        CHECK(p.recon == doctest::Approx((0.3 * 80 + 0.1 * 80) / 2).epsilon(1e-6));
    }
    TEST_CASE("losses: bce requires a sigmoid output") {
        AEConfig c = AEConfig::from_arch("4-2");
        c.loss = ReconLoss::BCE;
        CHECK_THROWS_AS(Autoencoder<float>{c}, Error);
    }
}

TEST_SUITE("gradcheck") {
    TEST_CASE("gradcheck: reconstruction gradient for every hidden activation (MSE, linear output)") {
        MatD X = rand_mat(5, 7, 21);
        for (Activation a : {Activation::Identity, Activation::Sigmoid, Activation::Tanh, Activation::ReLU,
                             Activation::LeakyReLU, Activation::ELU, Activation::SELU, Activation::Softplus}) {
            CAPTURE(activation_name(a));
            AEConfig c = AEConfig::from_arch("5-4-3");
            c.hidden_act = a;
            Autoencoder<double> ae(c);
            ae.init_params(3);
            CHECK(model_gradcheck(ae, X, X) < 1e-5);
        }
    }
    TEST_CASE("gradcheck: MSE with sigmoid output") {
        MatD X = rand_mat(6, 4, 22);
        AEConfig c = AEConfig::from_arch("6-5-2");
        c.hidden_act = Activation::Tanh;
        c.output_act = Activation::Sigmoid;
        Autoencoder<double> ae(c);
        ae.init_params(4);
        CHECK(model_gradcheck(ae, X, X) < 1e-6);
    }
    TEST_CASE("gradcheck: BCE from logits with sigmoid output") {
        MatD X = rand_mat(6, 4, 23, 0, 1);
        AEConfig c = AEConfig::from_arch("6-5-3");
        c.hidden_act = Activation::SELU;
        c.output_act = Activation::Sigmoid;
        c.loss = ReconLoss::BCE;
        Autoencoder<double> ae(c);
        ae.init_params(5);
        CHECK(model_gradcheck(ae, X, X) < 1e-6);
    }
    TEST_CASE("gradcheck: whole autoencoder with tied weights") {
        MatD X = rand_mat(7, 5, 24);
        AEConfig c = AEConfig::from_arch("7-5-4-2");
        c.hidden_act = Activation::Sigmoid;
        c.tied = true;
        Autoencoder<double> ae(c);
        ae.init_params(6);
        // Tied: decoder layers own only biases.
        CHECK(ae.num_params() == (7 * 5 + 5) + (5 * 4 + 4) + (4 * 2 + 2) + 4 + 5 + 7);
        CHECK(model_gradcheck(ae, X, X) < 1e-6);
    }
    TEST_CASE("gradcheck: denoising input (corrupted input, clean target)") {
        MatD X = rand_mat(6, 5, 25);
        MatD Xc = X + 0.1 * rand_mat(6, 5, 26, -1, 1);
        AEConfig c = AEConfig::from_arch("6-4-2");
        c.hidden_act = Activation::ELU;
        Autoencoder<double> ae(c);
        ae.init_params(7);
        CHECK(model_gradcheck(ae, Xc, X) < 1e-6);
    }
    TEST_CASE("gradcheck: weight decay term alone") {
        MatD X = rand_mat(5, 4, 27);
        AEConfig a = AEConfig::from_arch("5-3-2"), b = a;
        a.hidden_act = b.hidden_act = Activation::Tanh;
        a.weight_decay = 0.3;
        CHECK(term_gradcheck(a, b, X, 8) < 1e-6);
    }
    TEST_CASE("gradcheck: L1 sparsity term alone") {
        MatD X = rand_mat(5, 4, 28);
        AEConfig a = AEConfig::from_arch("5-4-3"), b = a;
        a.hidden_act = b.hidden_act = Activation::Tanh;
        a.latent_act = b.latent_act = Activation::Tanh;
        a.sparsity = Sparsity::L1;
        a.sparsity_weight = 0.7;
        CHECK(term_gradcheck(a, b, X, 9) < 1e-6);
    }
    TEST_CASE("gradcheck: KL sparsity term alone") {
        MatD X = rand_mat(5, 6, 29);
        AEConfig a = AEConfig::from_arch("5-4-3"), b = a;
        a.hidden_act = b.hidden_act = Activation::Sigmoid;
        a.latent_act = b.latent_act = Activation::Sigmoid;
        a.sparsity = Sparsity::KL;
        a.sparsity_weight = 0.5;
        a.sparsity_target = 0.1;
        CHECK(term_gradcheck(a, b, X, 10) < 1e-6);
    }
}

TEST_SUITE("autoencoder") {
    TEST_CASE("autoencoder: architecture strings, shapes and parameter count") {
        AEConfig c = AEConfig::from_arch("784-500-500-5");
        CHECK(c.input_dim == 784);
        CHECK(c.latent == 5);
        CHECK(c.arch_string() == "784-500-500-5-500-500-784");
        Autoencoder<float> ae(c);
        CHECK(ae.num_layers() == 6);
        CHECK(ae.num_params() == (784 * 500 + 500) + (500 * 500 + 500) + (500 * 5 + 5) + (5 * 500 + 500) +
                                     (500 * 500 + 500) + (500 * 784 + 784));
        ae.init_params(1);
        Mat X = Mat::Random(784, 3).cwiseAbs();
        Mat Z, Xh;
        ae.encode(X, Z);
        CHECK(Z.rows() == 5);
        CHECK(Z.cols() == 3);
        ae.decode(Z, Xh);
        CHECK(Xh.rows() == 784);
        Mat R;
        ae.reconstruct(X, R);
        CHECK((R - Xh).norm() < 1e-4f * (1 + R.norm()));
    }
    TEST_CASE("autoencoder: custom decoder and per-layer activations") {
        AEConfig c = AEConfig::from_arch("10-8-2");
        c.decoder = {6, 9};
        c.mirror_decoder = false;
        c.hidden_acts = {Activation::ELU, Activation::ReLU, Activation::Tanh};
        Autoencoder<float> ae(c);
        CHECK(c.arch_string() == "10-8-2-6-9-10");
        CHECK(ae.layer(0).act == Activation::ELU);
        CHECK(ae.layer(2).act == Activation::ReLU);
        CHECK(ae.layer(3).act == Activation::Tanh);
    }
    TEST_CASE("autoencoder: invalid configurations are clear errors") {
        CHECK_THROWS_AS(AEConfig::from_arch("784"), Error);
        CHECK_THROWS_AS(AEConfig::from_arch("784-0-5"), Error);
        CHECK_THROWS_AS(AEConfig::from_arch("784-abc-5"), Error);
        CHECK_THROWS_AS(AEConfig::from_arch("784-99999999-5"), Error);
        CHECK_THROWS_AS(AEConfig::from_arch("784-5-"), Error);
        AEConfig c = AEConfig::from_arch("10-8-2");
        c.decoder = {3};
        c.mirror_decoder = false;
        c.tied = true;
        CHECK_THROWS_AS(c.validate(), Error);
        c = AEConfig::from_arch("10-8-2");
        c.sparsity = Sparsity::KL;
        c.sparsity_weight = 1;
        CHECK_THROWS_AS(c.validate(), Error);  // needs sigmoid code
        c = AEConfig::from_arch("10-8-2");
        c.noise = Noise::Masking;
        c.noise_level = 1.5;
        CHECK_THROWS_AS(c.validate(), Error);
        c = AEConfig::from_arch("20000-20000-20000");
        CHECK_THROWS_AS(c.validate(), Error);  // 8e8 weights
        Autoencoder<float> ae(AEConfig::from_arch("4-2"));
        Mat bad(3, 2);
        CHECK_THROWS_AS(ae.forward_loss(bad, bad), Error);
    }
    TEST_CASE("autoencoder: config text round-trip and hostile config text") {
        AEConfig c = AEConfig::from_arch("12-7-3");
        c.hidden_act = Activation::SELU;
        c.output_act = Activation::Sigmoid;
        c.loss = ReconLoss::BCE;
        c.tied = true;
        c.weight_decay = 1e-4;
        c.noise = Noise::SaltPepper;
        c.noise_level = 0.2;
        AEConfig d = AEConfig::from_text(c.to_text());
        CHECK(d.to_text() == c.to_text());
        CHECK_THROWS_AS(AEConfig::from_text("input_dim=12\nbogus=1\n"), Error);
        CHECK_THROWS_AS(AEConfig::from_text("input_dim=-3\n"), Error);
        CHECK_THROWS_AS(AEConfig::from_text("no equals sign\n"), Error);
        CHECK_THROWS_AS(AEConfig::from_text("weight_decay=nan\n"), Error);
    }
    TEST_CASE("autoencoder: corruption modes change the expected fraction of entries") {
        AEConfig c = AEConfig::from_arch("100-10");
        Autoencoder<float> ae0(c);
        Mat X = Mat::Constant(100, 200, 0.5f);
        Rng rng(1);
        Mat Xc;
        for (Noise n : {Noise::Masking, Noise::SaltPepper, Noise::Dropout}) {
            std::string name = noise_name(n);
            CAPTURE(name);
            c.noise = n;
            c.noise_level = 0.3;
            Autoencoder<float> ae(c);
            X(0, 0) = 0.0f;
            X(1, 0) = 1.0f;
            ae.corrupt(X, Xc, rng);
            // masking/dropout zero a fraction p; salt-and-pepper sets a fraction p to min or max
            double hit = n == Noise::SaltPepper
                             ? double(((Xc.array() == 0.0f) || (Xc.array() == 1.0f)).count())
                             : double((Xc.array() == 0.0f).count());
            CHECK(hit / double(X.size()) == doctest::Approx(0.3).epsilon(0.05));
            if (n == Noise::Dropout) {  // survivors scaled by 1/(1-p): the mean is kept
                CHECK(Xc.mean() == doctest::Approx(X.mean()).epsilon(0.02));
            }
        }
        c.noise = Noise::Gaussian;
        c.noise_level = 0.1;
        Autoencoder<float> ag(c);
        ag.corrupt(X, Xc, rng);
        double sd = std::sqrt(double((Xc - X).squaredNorm()) / double(X.size()));
        CHECK(sd == doctest::Approx(0.1).epsilon(0.05));
    }
    TEST_CASE("autoencoder: float and double models agree on the same parameters") {
        AEConfig c = AEConfig::from_arch("8-6-3");
        c.hidden_act = Activation::ELU;
        Autoencoder<double> ad(c);
        ad.init_params(2);
        Autoencoder<float> af(c);
        af.params() = ad.params().cast<float>();
        MatD X = rand_mat(8, 10, 3);
        Mat Xf = X.cast<float>();
        double ld = ad.forward_backward(X, X).total;
        double lf = af.forward_backward(Xf, Xf).total;
        CHECK(lf == doctest::Approx(ld).epsilon(1e-5));
        CHECK((af.grads().cast<double>() - ad.grads()).norm() < 1e-5 * (1 + ad.grads().norm()));
    }
}
