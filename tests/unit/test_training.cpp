// test_training.cpp: the optimizers on known problems and the Trainer (minibatches,
// step budgets, divergence guard, determinism). Split from test_nn.cpp (layers, losses,
// gradient checks, the autoencoder).
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
// f(p) = 0.5 p^T A p - b^T p with A SPD; minimum at A^{-1} b.
struct Quadratic final : Objective {
    Mat A;
    Vec b;
    explicit Quadratic(int n) {
        Rng r(99);
        Mat Q(n, n);
        r.fill_normal(Q, 1.0);
        Eigen::HouseholderQR<Mat> qr(Q);
        Mat U = qr.householderQ();
        Vec d(n);
        for (int i = 0; i < n; ++i) d(i) = 1.0f + 9.0f * float(i) / float(n - 1);  // condition 10
        A = U * d.asDiagonal() * U.transpose();
        b = Vec::Ones(n);
    }
    double eval(const Vec& p, Vec* g) override {
        if (g) *g = A * p - b;
        return 0.5 * double(p.dot(A * p)) - double(b.dot(p));
    }
    Vec solution() const { return A.ldlt().solve(b); }
};
}  // namespace

TEST_SUITE("optimizers") {
    TEST_CASE("optimizers: every optimizer decreases a known quadratic loss") {
        for (auto kind : {OptimizerKind::SGD, OptimizerKind::AdaGrad, OptimizerKind::RMSProp, OptimizerKind::Adam,
                          OptimizerKind::AdamW, OptimizerKind::LBFGS, OptimizerKind::MonteCarlo}) {
            CAPTURE(optimizer_name(kind));
            Quadratic q(10);
            OptimizerConfig oc = OptimizerConfig::defaults_for(kind);
            if (kind == OptimizerKind::SGD) { oc.lr = 0.05; oc.momentum = 0.9; oc.nesterov = true; }
            if (kind == OptimizerKind::AdaGrad) oc.lr = 0.1;
            if (kind == OptimizerKind::RMSProp || kind == OptimizerKind::Adam || kind == OptimizerKind::AdamW) oc.lr = 0.01;
            if (kind == OptimizerKind::AdamW) oc.weight_decay = 1e-3;
            auto opt = make_optimizer(oc, 10);
            Vec p = Vec::Zero(10), g;
            double f0 = q.eval(p, &g);
            double fmin = q.eval(q.solution(), nullptr);
            double f = f0;
            for (int t = 0; t < 500; ++t) {
                f = q.eval(p, &g);
                opt->step(p, g, f, q);
            }
            f = q.eval(p, nullptr);
            // at least 90% of the way from the start to the optimum
            CHECK((f - fmin) < 0.1 * (f0 - fmin));
        }
    }
    TEST_CASE("optimizers: L-BFGS solves a quadratic (relative error 1e-3, float precision) in 60 iterations") {
        Quadratic q(30);
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::LBFGS);
        auto opt = make_optimizer(oc, 30);
        Vec p = Vec::Zero(30), g;
        double f = q.eval(p, &g);
        for (int t = 0; t < 60; ++t) f = opt->step(p, g, f, q);
        CHECK((p - q.solution()).norm() < 1e-3 * q.solution().norm());
        q.eval(p, &g);
        CHECK(g.norm() < 1e-3 * q.b.norm());
    }
    TEST_CASE("optimizers: Adam's first step moves each coordinate by lr against the gradient sign") {
        Quadratic q(4);
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
        oc.lr = 0.1;
        auto opt = make_optimizer(oc, 4);
        Vec p = Vec::Zero(4), g;
        double f = q.eval(p, &g);
        opt->step(p, g, f, q);
        for (int i = 0; i < 4; ++i) CHECK(p(i) == doctest::Approx(-0.1 * (g(i) > 0 ? 1 : -1)).epsilon(1e-4));
    }
    TEST_CASE("optimizers: Monte Carlo search respects its box constraint") {
        Quadratic q(10);  // unconstrained optimum lies outside |p| <= 0.05
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::MonteCarlo);
        oc.mc_lo = -0.05;
        oc.mc_hi = 0.05;
        auto opt = make_optimizer(oc, 10);
        Vec p = Vec::Zero(10), g;
        double f = q.eval(p, nullptr);
        double f0 = f;
        for (int t = 0; t < 400; ++t) f = opt->step(p, g, f, q);
        CHECK(p.cwiseAbs().maxCoeff() <= 0.05f);
        CHECK(f < f0);
        CHECK(q.solution().cwiseAbs().maxCoeff() > 0.05f);
    }
    TEST_CASE("optimizers: absurd hyperparameters are rejected") {
        OptimizerConfig oc;
        oc.lr = -1;
        CHECK_THROWS_AS(oc.validate(), Error);
        oc.lr = std::nan("");
        CHECK_THROWS_AS(make_optimizer(oc, 3), Error);
        oc = OptimizerConfig();
        oc.momentum = 1.5;
        CHECK_THROWS_AS(oc.validate(), Error);
        oc = OptimizerConfig();
        oc.beta2 = 1.0;
        CHECK_THROWS_AS(oc.validate(), Error);
        CHECK_THROWS_AS(parse_optimizer("adamax"), Error);
    }
}

namespace {
Mat blobs(Index d, Index n, std::uint64_t seed) {
    Rng r(seed);
    Mat X(d, n);
    r.fill_uniform(X, 0, 1);
    return X;
}

// The divergence tests' model (6-4-2, ReLU, seed 2) and trainer settings (batches of 20).
Autoencoder<float> relu_6_4_2() {
    AEConfig c = AEConfig::from_arch("6-4-2");
    c.hidden_act = Activation::ReLU;
    Autoencoder<float> ae(c);
    ae.init_params(2);
    return ae;
}
TrainConfig batches_of_20(int snapshot_every) {
    TrainConfig tc;
    tc.batch_size = 20;
    tc.snapshot_every = snapshot_every;
    return tc;
}
}  // namespace

TEST_SUITE("trainer") {
    TEST_CASE("trainer: step(budget) does at most the budgeted steps and training lowers the test loss") {
        Mat Xtr = blobs(8, 300, 1), Xte = blobs(8, 100, 2);
        AEConfig c = AEConfig::from_arch("8-6-3");
        c.hidden_act = Activation::Tanh;
        Autoencoder<float> ae(c);
        ae.init_params(1);
        TrainConfig tc;
        tc.batch_size = 32;
        tc.eval_every = 50;
        Trainer tr(ae, OptimizerConfig::defaults_for(OptimizerKind::Adam), Xtr, &Xte, tc);
        double before = ae.evaluate(Xte).mse;
        StepResult r = tr.step({7, 0.0});
        CHECK(r.steps == 7);
        CHECK(tr.steps() == 7);
        for (int i = 0; i < 20; ++i) tr.step({50, 0.0});
        CHECK(tr.history().size() >= 20);
        CHECK(tr.history().back().test_mse < 0.7 * before);
        CHECK(tr.epoch() == doctest::Approx(double(tr.steps()) * 32 / 288).epsilon(0.02));
        // time budget: a tiny budget still makes progress, one step at least
        r = tr.step({1000000, 1e-9});
        CHECK(r.steps >= 1);
        CHECK(r.steps < 1000000);
    }
    TEST_CASE("trainer: divergence is detected, reported with its step, and the last good state kept") {
        Mat Xtr = blobs(6, 200, 3);
        Autoencoder<float> ae = relu_6_4_2();
        const TrainConfig tc = batches_of_20(1);
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::SGD);
        oc.lr = 1e4;  // absurd but allowed: it must blow up
        Trainer tr(ae, oc, Xtr, nullptr, tc);
        StepResult r = tr.step({200, 0.0});
        CHECK(r.diverged);
        CHECK(tr.diverged());
        CHECK(tr.divergence_message().find("diverged at step") != std::string::npos);
        CHECK(ae.params().allFinite());
        CHECK(std::isfinite(ae.evaluate(Xtr).mse));
        CHECK(ae.evaluate(Xtr).mse < 10.0);  // restored to a usable state, not a blown-up one
        // further steps do nothing until the user clears the condition
        CHECK(tr.step({5, 0.0}).steps == 0);
        oc.lr = 0.01;
        tr.set_optimizer(oc);
        tr.clear_divergence();
        CHECK(tr.step({5, 0.0}).steps == 5);
    }
    TEST_CASE("trainer: divergence restores Adam's moments and step count with the parameters; L-BFGS is reset") {
        Mat Xtr = blobs(6, 200, 3);
        Autoencoder<float> ae = relu_6_4_2();
        const TrainConfig tc = batches_of_20(5);
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
        oc.lr = 1e-3;
        Trainer tr(ae, oc, Xtr, nullptr, tc);
        // A state becomes the snapshot once a later step has found its loss and gradient
        // finite: after 5 updates, step 6 verifies the state and snapshots it.
        tr.step({5, 0.0});
        const Vec p5 = ae.params();
        const Vec m5 = *tr.optimizer().state().at("adam.m");
        const Vec v5 = *tr.optimizer().state().at("adam.v");
        CHECK(tr.optimizer().iterations() == 5);
        CHECK(m5.cwiseAbs().maxCoeff() > 0);
        tr.step({4, 0.0});  // steps 6..9: moments move on
        REQUIRE_FALSE(tr.diverged());
        CHECK(*tr.optimizer().state().at("adam.m") != m5);
        // Poison the next gradient: a NaN weight makes the loss NaN at step 11.
        ae.params()(0) = std::numeric_limits<float>::quiet_NaN();
        StepResult r = tr.step({5, 0.0});
        CHECK(r.diverged);
        CHECK(tr.divergence_message().find("parameters and optimizer state restored") != std::string::npos);
        CHECK(ae.params() == p5);
        CHECK(*tr.optimizer().state().at("adam.m") == m5);
        CHECK(*tr.optimizer().state().at("adam.v") == v5);
        CHECK(tr.optimizer().iterations() == 5);
        CHECK(tr.divergence_message().find("(step 5)") != std::string::npos);
        // L-BFGS keeps a history the snapshot does not hold: it is reset, and says so.
        Autoencoder<float> ae2 = relu_6_4_2();
        Trainer tr2(ae2, OptimizerConfig::defaults_for(OptimizerKind::LBFGS), Xtr, nullptr, tc);
        tr2.step({10, 0.0});
        ae2.params()(0) = std::numeric_limits<float>::infinity();
        CHECK(tr2.step({5, 0.0}).diverged);
        CHECK(tr2.divergence_message().find("optimizer state reset") != std::string::npos);
        CHECK(tr2.optimizer().iterations() == 0);
        CHECK(ae2.params().allFinite());
    }
    TEST_CASE("trainer: changing the learning rate or optimizer keeps the weights") {
        Mat Xtr = blobs(6, 100, 4);
        Autoencoder<float> ae(AEConfig::from_arch("6-3"));
        ae.init_params(3);
        TrainConfig tc;
        tc.batch_size = 10;
        Trainer tr(ae, OptimizerConfig::defaults_for(OptimizerKind::Adam), Xtr, nullptr, tc);
        tr.step({10, 0.0});
        Vec p = ae.params();
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
        oc.lr = 1e-4;
        tr.set_optimizer(oc);
        CHECK(ae.params() == p);
        tr.set_optimizer(OptimizerConfig::defaults_for(OptimizerKind::RMSProp));
        CHECK(ae.params() == p);
        CHECK(tr.optimizer_config().kind == OptimizerKind::RMSProp);
    }
    TEST_CASE("trainer: gradient-free Monte Carlo and L-BFGS train a small model") {
        Mat Xtr = blobs(5, 64, 5);
        for (auto kind : {OptimizerKind::MonteCarlo, OptimizerKind::LBFGS}) {
            CAPTURE(optimizer_name(kind));
            Autoencoder<float> ae(AEConfig::from_arch("5-2"));
            ae.init_params(4);
            TrainConfig tc;
            tc.batch_size = 64;
            double before = ae.evaluate(Xtr).mse;
            Trainer tr(ae, OptimizerConfig::defaults_for(kind), Xtr, nullptr, tc);
            tr.step({200, 0.0});
            CHECK(ae.evaluate(Xtr).mse < 0.8 * before);
        }
    }
    TEST_CASE("trainer: bad data is rejected up front") {
        Autoencoder<float> ae(AEConfig::from_arch("6-3"));
        Mat wrong = blobs(5, 10, 1);
        TrainConfig tc;
        CHECK_THROWS_AS(Trainer(ae, OptimizerConfig(), wrong, nullptr, tc), Error);
        Mat nanx = blobs(6, 10, 1);
        nanx(2, 3) = std::nan("");
        CHECK_THROWS_AS(Trainer(ae, OptimizerConfig(), nanx, nullptr, tc), Error);
        Mat ok = blobs(6, 10, 1);
        tc.batch_size = 0;
        CHECK_THROWS_AS(Trainer(ae, OptimizerConfig(), ok, nullptr, tc), Error);
    }
    TEST_CASE("trainer: same seed gives the same loss sequence (determinism)") {
        Mat Xtr = blobs(10, 200, 7);
        auto run = [&](std::uint64_t seed) {
            AEConfig c = AEConfig::from_arch("10-8-3");
            c.hidden_act = Activation::ELU;
            c.noise = Noise::Gaussian;
            c.noise_level = 0.05;
            Autoencoder<float> ae(c);
            ae.init_params(seed);
            TrainConfig tc;
            tc.batch_size = 16;
            tc.seed = seed;
            tc.eval_every = 10;
            Trainer tr(ae, OptimizerConfig::defaults_for(OptimizerKind::Adam), Xtr, nullptr, tc);
            tr.step({100, 0.0});
            std::vector<double> l;
            for (auto& h : tr.history()) l.push_back(h.train_loss);
            return l;
        };
        auto a = run(5), b = run(5), c = run(6);
        CHECK(a == b);
        CHECK(a != c);
    }
}
