// Exact resume through model files (aelab/model_io.hpp + Trainer::state()/restore()):
// training interrupted at step s, saved to bytes, read back into a NEW model and trainer and
// continued to N ends with parameters and loss history bitwise equal to the uninterrupted
// run, for Adam, SGD with momentum, L-BFGS and Monte Carlo (and with denoising noise, whose
// corruption draws from the trainer's RNG). Also: version-1 files (bytes built here as the
// old writer laid them out) still load; hostile files (a huge declared architecture, short
// array names, a tampered trainer state) are short, clear errors. Suite "checkpoint".
#include <doctest.h>

#include "test_util.hpp"

#include "aelab/checkpoint.hpp"
#include "aelab/model_io.hpp"
#include "aelab/trainer.hpp"
#include "presets.hpp"  // the playground's headless session (web/app)
#include "session.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace aelab;

namespace {

using Bytes = std::vector<std::uint8_t>;
using aelab_test::check_error;

using aelab_test::same_bits;

bool same_double(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_history(const std::vector<HistoryPoint>& a, const std::vector<HistoryPoint>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].step != b[i].step || !same_double(a[i].epoch, b[i].epoch) ||
            !same_double(a[i].train_loss, b[i].train_loss) || !same_double(a[i].train_mse, b[i].train_mse) ||
            !same_double(a[i].test_loss, b[i].test_loss) || !same_double(a[i].test_mse, b[i].test_mse))
            return false;
    }
    return true;
}

Mat toy_data(Index d, Index n, std::uint64_t seed) {
    Rng r(seed);
    Mat X(d, n);
    for (Index j = 0; j < n; ++j) {
        const double t = r.uniform(-1, 1), s = r.uniform(-1, 1);
        for (Index i = 0; i < d; ++i)
            X(i, j) = float(0.5 + 0.3 * std::sin(double(i) * 0.7 + t) * s + 0.02 * r.normal());
    }
    return X;
}

AEConfig resume_config(bool noisy) {
    AEConfig c = AEConfig::from_arch("10-7-3");
    c.hidden_act = Activation::Tanh;
    if (noisy) {
        c.noise = Noise::Gaussian;
        c.noise_level = 0.1;
    }
    return c;
}

struct Run {
    Vec params;
    std::vector<HistoryPoint> history;
    TrainerState state;
};

// N steps straight, or s steps + save/read/new objects/restore + N - s steps. The batch size
// (13 of 97 columns) makes epochs end mid-run with a dropped tail, so the saved position and
// order matter; chunks of 7 steps per call, evaluations every 5 steps. L-BFGS uses the whole
// set per step (batch 97, reshuffled every step), so that it keeps curvature pairs.
Run train(const OptimizerConfig& oc, bool noisy, long N, long s) {
    const Mat X = toy_data(10, 97, 21), Xt = toy_data(10, 30, 22);
    TrainConfig tc;
    tc.batch_size = oc.kind == OptimizerKind::LBFGS ? 97 : 13;
    tc.seed = 5;
    tc.eval_every = 5;
    tc.snapshot_every = 4;
    auto run = [&](Trainer& tr, long until) {
        while (tr.steps() < until) tr.step({std::min<long>(7, until - tr.steps()), 0.0});
    };
    Autoencoder<float> model(resume_config(noisy));
    model.init_params(9);
    Trainer tr(model, oc, X, &Xt, tc);
    tr.record();
    Run r;
    if (s <= 0) {
        run(tr, N);
        r.params = model.params();
        r.history = tr.history();
        r.state = tr.state();
        return r;
    }
    run(tr, s);
    const Bytes b = save_model(model, tr.state(), {{"note", "interrupted"}});
    const ModelFile f = read_model(b);
    REQUIRE(f.has_trainer_state);
    if (oc.kind == OptimizerKind::LBFGS && s > 1) CHECK(f.trainer.optimizer.reals.at("lbfgs.rho").size() > 0);
    CHECK(same_history(f.trainer.history, tr.history()));  // the loss curve survives save/load
    Autoencoder<float> m2 = make_model(f);
    Trainer tr2(m2, OptimizerConfig::defaults_for(OptimizerKind::SGD), X, &Xt, tc);  // any optimizer
    CHECK(tr2.restore(f.trainer));
    CHECK(tr2.steps() == s);
    CHECK(tr2.optimizer_config().kind == oc.kind);
    run(tr2, N);
    r.params = m2.params();
    r.history = tr2.history();
    r.state = tr2.state();
    return r;
}

}  // namespace

TEST_SUITE("checkpoint") {

TEST_CASE("resume: interrupted + saved + restored training ends bitwise equal to the straight run") {
    OptimizerConfig adam = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    adam.lr = 5e-3;
    OptimizerConfig sgd = OptimizerConfig::defaults_for(OptimizerKind::SGD);
    sgd.lr = 0.05;
    sgd.momentum = 0.9;
    OptimizerConfig lbfgs = OptimizerConfig::defaults_for(OptimizerKind::LBFGS);
    lbfgs.history = 4;
    OptimizerConfig mc = OptimizerConfig::defaults_for(OptimizerKind::MonteCarlo);
    struct Case {
        OptimizerConfig oc;
        bool noisy;
    };
    for (const Case& c : {Case{adam, false}, Case{sgd, false}, Case{lbfgs, false}, Case{mc, false}, Case{adam, true}}) {
        CAPTURE(optimizer_name(c.oc.kind));
        CAPTURE(c.noisy);
        const long N = 40;
        const Run a = train(c.oc, c.noisy, N, 0);
        for (long s : {1L, 17L, 23L}) {  // 23: just after an epoch boundary (7 batches of 13 per epoch)
            CAPTURE(s);
            const Run b = train(c.oc, c.noisy, N, s);
            CHECK(same_bits(a.params, b.params));
            CHECK(same_history(a.history, b.history));
            CHECK(a.state.rng.state == b.state.rng.state);
            CHECK(a.state.perm == b.state.perm);
            CHECK(a.state.pos == b.state.pos);
            CHECK(a.state.optimizer.iterations == b.state.optimizer.iterations);
            for (const auto& [name, v] : a.state.optimizer.arrays) CHECK(same_bits(v, b.state.optimizer.arrays.at(name)));
            CHECK(a.state.optimizer.reals == b.state.optimizer.reals);
        }
        // The straight run's history has a point every 5 steps plus step 0.
        CHECK(a.history.size() == size_t(N / 5 + 1));
        if (c.oc.kind == OptimizerKind::LBFGS) CHECK(a.state.optimizer.reals.at("lbfgs.rho").size() > 0);
    }
}

TEST_CASE("resume: a resumed run without the saved state (version-1 way) is not exact") {
    // The control for the test above: restoring only parameters and moments does differ, so
    // the exactness checked above is not an accident of the setup.
    OptimizerConfig adam = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    const Mat X = toy_data(10, 97, 21), Xt = toy_data(10, 30, 22);
    TrainConfig tc;
    tc.batch_size = 13;
    tc.seed = 5;
    tc.eval_every = 5;
    const Run a = train(adam, false, 30, 0);
    Autoencoder<float> m(resume_config(false));
    m.init_params(9);
    Trainer t1(m, adam, X, &Xt, tc);
    t1.step({10, 0.0});
    ModelFile f = read_model(save_model(m, &t1.optimizer(), {10, 130, t1.epoch()}));
    CHECK_FALSE(f.has_trainer_state);
    Autoencoder<float> m2 = make_model(f);
    Trainer t2(m2, adam, X, &Xt, tc);
    restore_optimizer(f, t2.optimizer());
    t2.step({20, 0.0});
    CHECK_FALSE(same_bits(a.params, m2.params()));
}

TEST_CASE("resume: restore onto a training set of another size continues with a new order") {
    const Mat X = toy_data(10, 97, 21), X2 = toy_data(10, 50, 23);
    TrainConfig tc;
    tc.batch_size = 10;
    tc.eval_every = 0;
    Autoencoder<float> m(resume_config(false));
    m.init_params(1);
    Trainer t1(m, OptimizerConfig::defaults_for(OptimizerKind::Adam), X, nullptr, tc);
    t1.step({15, 0.0});
    const TrainerState st = t1.state();
    Trainer t2(m, OptimizerConfig::defaults_for(OptimizerKind::Adam), X2, nullptr, tc);
    CHECK_FALSE(t2.restore(st));
    CHECK(t2.steps() == 15);
    CHECK(t2.state().perm.size() == 50);
    CHECK(t2.state().pos == 0);
    CHECK(t2.step({3, 0.0}).steps == 3);
    // A state that does not fit the model is refused and leaves the trainer as it was.
    Autoencoder<float> other(AEConfig::from_arch("10-4-2"));
    Trainer t3(other, OptimizerConfig::defaults_for(OptimizerKind::Adam), X, nullptr, tc);
    check_error([&] { t3.restore(st); }, "entries, the optimizer expects");
    CHECK(t3.steps() == 0);
}

TEST_CASE("resume: tampered trainer or optimizer state in a model file is a clear error") {
    const Mat X = toy_data(10, 40, 3);
    TrainConfig tc;
    tc.batch_size = 40;  // the whole set: L-BFGS keeps curvature pairs
    tc.eval_every = 2;
    Autoencoder<float> m(resume_config(false));
    m.init_params(2);
    OptimizerConfig lb = OptimizerConfig::defaults_for(OptimizerKind::LBFGS);
    Trainer tr(m, lb, X, nullptr, tc);
    tr.step({6, 0.0});
    const Bytes b = save_model(m, tr.state());
    REQUIRE_NOTHROW(read_model(b));
    REQUIRE(tr.state().optimizer.reals.at("lbfgs.rho").size() >= 1);
    auto edit = [&](auto fn) {
        Checkpoint ck = read_checkpoint(b.data(), b.size());
        fn(ck);
        return write_checkpoint(ck);
    };
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.doubles["train.perm"][0] = ck.doubles["train.perm"][1]; })); },
                "not a permutation");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.doubles["train.perm"][0] = 0.5; })); }, "not an index");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.integers["train.pos"] = 40; })); }, "position 40");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.doubles["train.history.test_mse"].pop_back(); })); },
                "train.history.test_mse");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.doubles["train.history.step"][1] = 99; })); },
                "history steps");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.integers["train.rng.inc"] = 4; })); },
                "random generator state");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.scalars["train.ema"] = -3; })); }, "divergence-guard");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.doubles["opt.lbfgs.rho"].push_back(1.0); })); },
                "L-BFGS pairs");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.doubles["opt.lbfgs.rho"][0] = -1.0; })); }, "rho");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.doubles["opt.mc.sigma"] = {1.0}; })); },
                "unexpected value 'mc.sigma'");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.doubles["zz"] = {1.0}; })); }, "unexpected array 'zz'");
    check_error([&] { read_model(edit([](Checkpoint& ck) { ck.integers.erase("train.acc_n"); })); }, "train.acc_n");
}

TEST_CASE("resume: version-1 model files (bytes as the old writer made them) still load") {
    // Laid out by hand as version 1 wrote it: container version 1, model_format_version=1,
    // no has_trainer_state, Adam's two moment arrays, counters.
    Autoencoder<float> m(AEConfig::from_arch("6-4-2"));
    m.init_params(4);
    const Index n = m.num_params();
    Checkpoint ck;
    std::map<std::string, std::string> kv;
    kv["format"] = "aelab-model";
    kv["model_format_version"] = "1";
    for (const auto& [k, v] : parse_config(m.config().to_text())) kv["model." + k] = v;
    kv["has_optimizer"] = "1";
    for (const auto& [k, v] : parse_config(OptimizerConfig::defaults_for(OptimizerKind::Adam).to_text())) kv["opt." + k] = v;
    kv["opt.max_line_search"] = "20";
    kv["opt.seed"] = "1";
    kv["meta.batch"] = "100";
    ck.config_text = format_config(kv);
    ck.arrays["params"].assign(m.params().data(), m.params().data() + n);
    ck.arrays["opt.adam.m"] = std::vector<float>(size_t(n), 0.25f);
    ck.arrays["opt.adam.v"] = std::vector<float>(size_t(n), 0.5f);
    ck.integers["num_params"] = std::uint64_t(n);
    ck.integers["train.step"] = 12;
    ck.integers["train.samples"] = 1200;
    ck.integers["opt.iterations"] = 12;
    ck.scalars["train.epoch"] = 0.75;
    const Bytes b = write_checkpoint(ck);
    REQUIRE(b[8] == 1);  // container version 1
    const ModelFile f = read_model(b);
    CHECK(f.format_version == 1);
    CHECK_FALSE(f.has_trainer_state);
    CHECK_FALSE(f.optimizer_whole);
    CHECK(f.counters.step == 12);
    CHECK(f.counters.epoch == 0.75);
    CHECK(same_bits(f.params, m.params()));
    auto opt = make_optimizer(f.optimizer, n);
    restore_optimizer(f, *opt);
    CHECK(opt->iterations() == 12);
    CHECK((*opt->state().at("adam.v"))(0) == 0.5f);
    // An extra array with a name shorter than "opt." is an error with context, not a crash.
    Checkpoint ck2 = ck;
    ck2.arrays["ab"] = {1.f};
    check_error([&] { read_model(write_checkpoint(ck2)); }, "unexpected arrays (ab)");
    // A version-1 L-BFGS file had no pairs: it loads and restores as a fresh history.
    Checkpoint ck3 = ck;
    ck3.arrays.erase("opt.adam.m");
    ck3.arrays.erase("opt.adam.v");
    auto kv3 = parse_config(ck3.config_text);
    for (const auto& [k, v] : parse_config(OptimizerConfig::defaults_for(OptimizerKind::LBFGS).to_text())) kv3["opt." + k] = v;
    ck3.config_text = format_config(kv3);
    const ModelFile f3 = read_model(write_checkpoint(ck3));
    auto lb = make_optimizer(f3.optimizer, n);
    restore_optimizer(f3, *lb);
    CHECK(lb->export_state().reals.at("lbfgs.rho").empty());
    // Found by tests/fuzz/model_fuzz.cpp: a version-1 file with an iteration count above the
    // optimizer's limit was read, and what save_model then wrote was refused. Both formats
    // now share the optimizer's limit when read; at the limit the file round-trips.
    Checkpoint ck4 = ck;
    ck4.integers["opt.iterations"] = std::uint64_t(kMaxOptimizerIterations) + 1;
    check_error([&] { read_model(write_checkpoint(ck4)); }, "absurd optimizer iteration count");
    ck4.integers["opt.iterations"] = std::uint64_t(kMaxOptimizerIterations);
    const ModelFile f4 = read_model(write_checkpoint(ck4));
    Autoencoder<float> m4 = make_model(f4);
    auto o4 = make_optimizer(f4.optimizer, n);
    restore_optimizer(f4, *o4);
    const ModelFile back4 = read_model(save_model(m4, o4.get(), f4.counters, f4.meta));
    CHECK(back4.optimizer_iterations == kMaxOptimizerIterations);
}

TEST_CASE("resume: short array names and a huge declared architecture are short errors, nothing allocated") {
    Autoencoder<float> m(AEConfig::from_arch("6-4-2"));
    m.init_params(4);
    auto opt = make_optimizer(OptimizerConfig::defaults_for(OptimizerKind::Adam), m.num_params());
    const Bytes b = save_model(m, opt.get(), {1, 10, 0.1});
    Checkpoint ck = read_checkpoint(b.data(), b.size());
    ck.arrays["ab"] = {1.f};
    check_error([&] { read_model(write_checkpoint(ck)); }, "unexpected arrays (ab)");
    ck.arrays.erase("ab");

    // 741 layers: widths 65536 and 1 alternating (within the per-width and total-weight
    // limits of AEConfig), a mirrored decoder; the file is a few KB and its num_params is
    // that of the tiny model. The count is arithmetic, so this is refused at once.
    std::vector<int> enc;
    for (int i = 0; i < 185; ++i) {
        enc.push_back(65536);
        enc.push_back(1);
    }
    AEConfig huge = AEConfig::from_arch("784-2");
    huge.encoder = enc;
    huge.latent = 2;
    REQUIRE_NOTHROW(huge.validate());
    const std::uint64_t count = count_params(huge);
    CHECK(count > 40000000);
    auto kv = parse_config(ck.config_text);
    for (const auto& [k, v] : parse_config(huge.to_text())) kv["model." + k] = v;
    ck.config_text = format_config(kv);
    const Bytes hostile = write_checkpoint(ck);
    CHECK(hostile.size() < 8000);
    const auto t0 = std::chrono::steady_clock::now();
    try {
        read_model(hostile);
        FAIL_CHECK("a hostile architecture was accepted");
    } catch (const Error& e) {
        const std::string msg = e.what();
        INFO(msg);
        CHECK(msg.find("num_params = " + std::to_string(m.num_params())) != std::string::npos);
        CHECK(msg.find("has " + std::to_string(count) + " parameters") != std::string::npos);
        CHECK(msg.find("...") != std::string::npos);
        CHECK(msg.size() < 300);
    }
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 1.0);

    // count_params agrees with the model's own layout (plain, mirrored, tied, custom decoder).
    for (const char* arch : {"6-4-2", "784-500-500-5", "10-3"}) {
        for (bool tied : {false, true}) {
            AEConfig c = AEConfig::from_arch(arch);
            c.tied = tied;
            CAPTURE(arch);
            CAPTURE(tied);
            CHECK(count_params(c) == std::uint64_t(Autoencoder<float>(c).num_params()));
        }
    }
    AEConfig cd = AEConfig::from_arch("12-8-3");
    cd.decoder = {5, 9};
    cd.mirror_decoder = false;
    CHECK(count_params(cd) == std::uint64_t(Autoencoder<float>(cd).num_params()));
    check_error([&] { count_params(AEConfig::from_arch("784-500-5"), 1000); }, "more than 1000 parameters");
    CHECK(shorten(std::string(7000, 'x'), 20) == std::string(17, 'x') + "...");
}

TEST_CASE("resume: the playground's save / load keeps the whole loss curve and the step count") {
    using namespace aelab::app;
    Session s;
    s.set_data(make_synthetic(DatasetKind::Curved3D, 2));
    const Settings st = find_preset("course-curved3d")->settings;
    s.build(st);
    s.train(10.0, 120);
    const std::vector<std::uint8_t> bytes = s.save({{"dataset", "curved3d"}});
    const std::vector<HistoryPoint> h = s.trainer().history();
    const long steps = s.total_steps();
    REQUIRE(h.size() >= 2);
    s.build(st);  // fresh model, fresh history
    CHECK(s.trainer().history().size() == 1);
    s.install(read_model(bytes), st);
    CHECK(same_history(s.trainer().history(), h));
    CHECK(s.total_steps() == steps);
    CHECK(s.step_offset() == 0);
}

}  // TEST_SUITE("checkpoint")
