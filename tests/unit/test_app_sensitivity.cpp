// The sensitivity view's numbers (web/app/sensitivity.hpp): the curves equal a direct
// computation with the model's own encode / reconstruct, ||J_f(x)||_F equals central
// differences of the encoder, the directions are unit vectors and a zero one is refused; a
// contractive penalty shrinks the Jacobian and the code's curve. Suite "app".
#include <doctest.h>

#include "sensitivity.hpp"

#include "aelab/trainer.hpp"

#include <cmath>

using namespace aelab;
using namespace aelab::app;

namespace {

Autoencoder<float> small_ae(double contractive, std::uint64_t seed) {
    AEConfig c = AEConfig::from_arch("6-5-2");
    c.hidden_act = Activation::Tanh;
    c.latent_act = Activation::Tanh;
    c.contractive = contractive;
    Autoencoder<float> ae(c);
    ae.init_params(seed);
    return ae;
}

Vec random_vec(Index n, std::uint64_t seed) {
    Rng rng(seed, 3);
    Vec v(n);
    for (Index i = 0; i < n; ++i) v(i) = static_cast<float>(rng.normal());
    return v;
}

}  // namespace

TEST_SUITE("app") {

TEST_CASE("sensitivity: curves and the row equal a direct computation; ||J||_F equals central differences") {
    Autoencoder<float> ae = small_ae(0, 4);
    const Vec x = random_vec(6, 1), other = random_vec(6, 2), pc1 = random_vec(6, 9);
    const Vec v = sensitivity_direction(SensDirection::Towards, x, other, pc1, 7);
    CHECK(v.norm() == doctest::Approx(1.0).epsilon(1e-6));
    CHECK((v - (other - x) / (other - x).norm()).norm() < 1e-6);
    const double tmax = (other - x).norm();
    const SensitivityCurve c = compute_sensitivity(ae, x, v, tmax, 9, 4);
    REQUIRE(c.t.size() == 9);
    REQUIRE(c.row_t.size() == 4);
    CHECK(c.t.front() == 0);
    CHECK(c.t.back() == doctest::Approx(tmax));
    Mat x0 = x, z0, r0;
    ae.encode(x0, z0);
    ae.reconstruct(x0, r0);
    for (size_t i = 0; i < c.t.size(); ++i) {
        Mat xi = x + static_cast<float>(c.t[i]) * v, zi, ri;
        ae.encode(xi, zi);
        ae.reconstruct(xi, ri);
        CHECK(c.code_dist[i] == doctest::Approx((zi - z0).cast<double>().norm()).epsilon(1e-5));
        CHECK(c.recon_dist[i] == doctest::Approx((ri - r0).cast<double>().norm()).epsilon(1e-5));
    }
    CHECK(c.code_dist[0] == 0);
    CHECK(c.recon_dist.back() > 0);
    // The row: x + t v and its reconstruction at t = tmax (the other image).
    CHECK((c.row_in.col(3) - other).norm() < 1e-5);
    Mat ro;
    Mat oth = other;
    ae.reconstruct(oth, ro);
    CHECK((c.row.col(3) - ro.col(0)).norm() < 1e-5);
    // ||J_f(x)||_F by central differences of the encoder (float model, h = 1e-2).
    double fro2 = 0;
    const float h = 1e-2f;
    for (Index j = 0; j < 6; ++j) {
        Mat xp = x, xm = x, zp, zm;
        xp(j, 0) += h;
        xm(j, 0) -= h;
        ae.encode(xp, zp);
        ae.encode(xm, zm);
        fro2 += ((zp - zm).cast<double>() / (2.0 * h)).squaredNorm();
    }
    CHECK(c.jacobian_fro == doctest::Approx(std::sqrt(fro2)).epsilon(2e-3));
}

TEST_CASE("sensitivity: directions are unit vectors, seeded; zero directions and bad sizes are refused") {
    const Vec x = random_vec(6, 1), other = random_vec(6, 2), pc1 = random_vec(6, 9);
    const Vec r1 = sensitivity_direction(SensDirection::Random, x, other, pc1, 7);
    CHECK(r1.norm() == doctest::Approx(1.0).epsilon(1e-6));
    CHECK(r1 == sensitivity_direction(SensDirection::Random, x, other, pc1, 7));
    CHECK(r1 != sensitivity_direction(SensDirection::Random, x, other, pc1, 8));
    const Vec p = sensitivity_direction(SensDirection::PC1, x, other, pc1, 7);
    CHECK((p - pc1 / pc1.norm()).norm() < 1e-6);
    CHECK_THROWS_AS(sensitivity_direction(SensDirection::Towards, x, x, pc1, 7), Error);
    CHECK_THROWS_AS(sensitivity_direction(SensDirection::PC1, x, other, Vec::Zero(6), 7), Error);
    CHECK_THROWS_AS(sensitivity_direction(SensDirection::Towards, x, random_vec(5, 2), pc1, 7), Error);
    Autoencoder<float> ae = small_ae(0, 4);
    CHECK_THROWS_AS(compute_sensitivity(ae, x, r1, 0.0, 9, 4), Error);
    CHECK_THROWS_AS(compute_sensitivity(ae, x, r1, 1.0, 1, 4), Error);
    CHECK_THROWS_AS(compute_sensitivity(ae, random_vec(5, 1), r1, 1.0, 9, 4), Error);
}

TEST_CASE("sensitivity: a contractive penalty shrinks the Jacobian and the code's curve") {
    // The same data and seed, trained without and with a strong penalty.
    Mat X(6, 200);
    Rng rng(11, 1);
    for (Index j = 0; j < X.cols(); ++j) {
        const double a = rng.normal(), b = rng.normal();
        for (Index i = 0; i < 6; ++i) X(i, j) = static_cast<float>(0.5 * a * (i % 3 - 1) + 0.3 * b * (i % 2) + 0.05 * rng.normal());
    }
    auto trained = [&X](double lambda) {
        Autoencoder<float> ae = small_ae(lambda, 5);
        TrainConfig tc;
        tc.batch_size = 50;
        tc.seed = 2;
        tc.eval_every = 0;
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
        oc.lr = 0.01;
        Trainer tr(ae, oc, X, nullptr, tc);
        tr.step({300, 0.0});
        return ae;
    };
    Autoencoder<float> plain = trained(0), cae = trained(1.0);
    const Vec x = X.col(0), other = X.col(1);
    const Vec v = sensitivity_direction(SensDirection::Random, x, other, x, 3);
    const double tmax = (other - x).norm();
    const SensitivityCurve a = compute_sensitivity(plain, x, v, tmax, 5, 2);
    const SensitivityCurve b = compute_sensitivity(cae, x, v, tmax, 5, 2);
    CHECK(b.jacobian_fro < a.jacobian_fro);
    CHECK(b.code_dist.back() < a.code_dist.back());
}

}  // TEST_SUITE
