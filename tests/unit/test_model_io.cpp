// Tests for aelab/model_io.hpp: a trained model round-trips bit-exactly, optimizer state
// (moments and Adam's step count) round-trips so that resumed training continues exactly,
// corrupt / truncated / mismatched files are clear errors. Suite "checkpoint".
#include <doctest.h>

#include "test_util.hpp"

#include "aelab/checkpoint.hpp"
#include "aelab/model_io.hpp"
#include "aelab/trainer.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <cstring>
#include <string>
#include <vector>

using namespace aelab;

namespace {

using Bytes = std::vector<std::uint8_t>;

using aelab_test::check_error;

using aelab_test::same_bits;

Mat toy_data(Index d, Index n, std::uint64_t seed) {
    Rng r(seed);
    Mat X(d, n);
    for (Index j = 0; j < n; ++j) {
        double t = r.uniform(-1, 1), s = r.uniform(-1, 1);
        for (Index i = 0; i < d; ++i)
            X(i, j) = float(0.5 + 0.3 * std::sin(double(i) * 0.7 + t) * s + 0.02 * r.normal());
    }
    return X;
}

AEConfig small_config() {
    AEConfig c = AEConfig::from_arch("12-8-3");
    c.hidden_act = Activation::ELU;
    c.output_act = Activation::Sigmoid;
    c.loss = ReconLoss::BCE;
    c.weight_decay = 1e-4;
    return c;
}

// Re-seal a checkpoint after editing its contents (valid checksum, so the model layer's
// own checks are what rejects it).
Bytes rewrite(const Bytes& b, void (*edit)(Checkpoint&)) {
    Checkpoint ck = read_checkpoint(b.data(), b.size());
    edit(ck);
    return write_checkpoint(ck);
}

}  // namespace

TEST_SUITE("checkpoint") {

TEST_CASE("model_io: trained model, optimizer state and counters round-trip bit-exactly") {
    const Mat X = toy_data(12, 200, 3), Xt = toy_data(12, 50, 4);
    Autoencoder<float> model(small_config());
    model.init_params(7);
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    oc.lr = 3e-3;
    TrainConfig tc;
    tc.batch_size = 20;
    tc.eval_every = 0;
    Trainer tr(model, oc, X, &Xt, tc);
    tr.step({37, 0.0});
    REQUIRE(tr.steps() == 37);

    std::map<std::string, std::string> meta{{"data", "toy"}, {"batch", "20"}};
    Bytes b = save_model(model, &tr.optimizer(), {tr.steps(), tr.samples_seen(), tr.epoch()}, meta);
    ModelFile f = read_model(b);
    CHECK(f.model.to_text() == model.config().to_text());
    CHECK(same_bits(f.params, model.params()));
    CHECK(f.has_optimizer);
    CHECK(f.optimizer.to_text() == oc.to_text());
    CHECK(f.optimizer_iterations == 37);
    CHECK(f.counters.step == 37);
    CHECK(f.counters.samples == 37 * 20);
    CHECK(f.counters.epoch == tr.epoch());
    CHECK(f.meta == meta);
    REQUIRE(f.optimizer_state.size() == 2);
    CHECK(same_bits(f.optimizer_state.at("adam.m"), *tr.optimizer().state().at("adam.m")));
    CHECK(same_bits(f.optimizer_state.at("adam.v"), *tr.optimizer().state().at("adam.v")));

    // The rebuilt model computes exactly what the original does.
    Autoencoder<float> back = make_model(f);
    Mat R1, R2;
    model.reconstruct(Xt, R1);
    back.reconstruct(Xt, R2);
    CHECK(R1 == R2);
    // Saving the loaded model again gives the same bytes.
    auto opt2 = make_optimizer(f.optimizer, back.num_params());
    restore_optimizer(f, *opt2);
    CHECK(save_model(back, opt2.get(), f.counters, f.meta) == b);
}

TEST_CASE("model_io: restored optimizer state continues training exactly (Adam and SGD momentum)") {
    for (OptimizerKind kind : {OptimizerKind::Adam, OptimizerKind::SGD}) {
        CAPTURE(optimizer_name(kind));
        OptimizerConfig oc = OptimizerConfig::defaults_for(kind);
        if (kind == OptimizerKind::SGD) oc.momentum = 0.9;
        Autoencoder<float> a(small_config());
        a.init_params(11);
        Mat X = toy_data(12, 40, 5);
        auto opt_a = make_optimizer(oc, a.num_params());
        struct Nop : Objective {
            double eval(const Vec&, Vec*) override { return 0; }
        } nop;
        for (int i = 0; i < 5; ++i) {
            double l = a.forward_backward(X, X).total;
            opt_a->step(a.params(), a.grads(), l, nop);
        }
        Bytes b = save_model(a, opt_a.get(), {5, 200, 5.0});
        ModelFile f = read_model(b);
        Autoencoder<float> c = make_model(f);
        auto opt_c = make_optimizer(f.optimizer, c.num_params());
        restore_optimizer(f, *opt_c);
        CHECK(opt_c->iterations() == 5);
        for (int i = 0; i < 3; ++i) {
            double la = a.forward_backward(X, X).total;
            opt_a->step(a.params(), a.grads(), la, nop);
            double lc = c.forward_backward(X, X).total;
            opt_c->step(c.params(), c.grads(), lc, nop);
            CHECK(la == lc);
        }
        CHECK(same_bits(a.params(), c.params()));
    }
}

TEST_CASE("model_io: model without optimizer; optimizer kind mismatch is rejected on restore") {
    Autoencoder<float> m(AEConfig::from_arch("6-4-2"));
    m.init_params(1);
    Bytes b = save_model(m);
    ModelFile f = read_model(b);
    CHECK_FALSE(f.has_optimizer);
    CHECK(f.optimizer_state.empty());
    CHECK(same_bits(f.params, m.params()));
    auto opt = make_optimizer(OptimizerConfig::defaults_for(OptimizerKind::Adam), m.num_params());
    check_error([&] { restore_optimizer(f, *opt); }, "no optimizer state");

    auto sgd = make_optimizer(OptimizerConfig::defaults_for(OptimizerKind::SGD), m.num_params());
    ModelFile g = read_model(save_model(m, sgd.get()));
    check_error([&] { restore_optimizer(g, *opt); }, "optimizer is sgd");
}

TEST_CASE("model_io: corrupt and truncated files are rejected") {
    Autoencoder<float> m(AEConfig::from_arch("6-4-2"));
    m.init_params(2);
    auto opt = make_optimizer(OptimizerConfig::defaults_for(OptimizerKind::Adam), m.num_params());
    const Bytes b = save_model(m, opt.get(), {3, 30, 0.5});
    REQUIRE_NOTHROW(read_model(b));
    check_error([&] { read_model(nullptr, 0); }, "empty");
    // Every truncation fails with an aelab::Error.
    for (std::size_t n = 1; n < b.size(); n += (n < 64 ? 1 : 37)) {
        CAPTURE(n);
        CHECK_THROWS_AS(read_model(b.data(), n), Error);
    }
    // Flipped bytes anywhere (header, config text, arrays, checksum).
    for (std::size_t i = 0; i < b.size(); i += 13) {
        CAPTURE(i);
        Bytes c = b;
        c[i] ^= 0x5a;
        CHECK_THROWS_AS(read_model(c), Error);
    }
    Bytes junk(100, 0x41);
    CHECK_THROWS_AS(read_model(junk), Error);
}

TEST_CASE("model_io: well-formed checkpoints with mismatched contents are rejected") {
    Autoencoder<float> m(AEConfig::from_arch("6-4-2"));
    m.init_params(3);
    auto opt = make_optimizer(OptimizerConfig::defaults_for(OptimizerKind::Adam), m.num_params());
    const Bytes b = save_model(m, opt.get(), {3, 30, 0.5});

    // A generic checkpoint that is not a model file.
    Checkpoint other;
    other.config_text = "arch=6-4-2\n";
    other.arrays["params"] = std::vector<float>(10, 0.f);
    Bytes ob = write_checkpoint(other);
    check_error([&] { read_model(ob); }, "not an aelab model file");

    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) {
                     ck.config_text += "model_format_version_x=1\n";
                 })); },
                 "unknown setting");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) {
                     auto kv = parse_config(ck.config_text);
                     kv["model_format_version"] = "4";
                     ck.config_text = format_config(kv);
                 })); },
                 "newer");
    // Architecture changed, parameters not: count mismatch.
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) {
                     auto kv = parse_config(ck.config_text);
                     kv["model.latent"] = "3";
                     ck.config_text = format_config(kv);
                 })); },
                 "num_params");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) {
                     ck.arrays["params"].pop_back();
                     ck.integers["num_params"] -= 1;
                 })); },
                 "num_params");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) { ck.arrays["params"].pop_back(); })); },
                 "params");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) { ck.arrays["opt.adam.v"].push_back(0.f); })); },
                 "adam.v");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) { ck.arrays.erase("opt.adam.m"); })); },
                 "adam.m");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) { ck.arrays["stray"] = {1.f}; })); },
                 "unexpected arrays");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) {
                     ck.arrays["params"][0] = std::numeric_limits<float>::quiet_NaN();
                 })); },
                 "NaN");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) {
                     auto kv = parse_config(ck.config_text);
                     kv["model.hidden_act"] = "wiggly";
                     ck.config_text = format_config(kv);
                 })); },
                 "bad model configuration");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) {
                     auto kv = parse_config(ck.config_text);
                     kv["opt.lr"] = "-1";
                     ck.config_text = format_config(kv);
                 })); },
                 "bad optimizer configuration");
    check_error([&] { read_model(rewrite(b, [](Checkpoint& ck) { ck.integers.erase("train.step"); })); },
                 "train.step");
}

TEST_CASE("model_io: optimizer config text round-trips and hostile text is rejected") {
    OptimizerConfig c = OptimizerConfig::defaults_for(OptimizerKind::SGD);
    c.lr = 0.123456789012345;
    c.momentum = 0.9;
    c.nesterov = true;
    CHECK(optimizer_config_from_text(c.to_text()).to_text() == c.to_text());
    check_error([&] { optimizer_config_from_text("lr=0.1\n"); }, "missing 'opt'");
    check_error([&] { optimizer_config_from_text("opt=adam\nlr=abc\n"); }, "not a finite number");
    check_error([&] { optimizer_config_from_text("opt=adam\nlr=1e999\n"); }, "not a finite number");
    check_error([&] { optimizer_config_from_text("opt=adam\nfoo=1\n"); }, "unknown setting");
    check_error([&] { optimizer_config_from_text("opt=nope\n"); }, "unknown optimizer");
    CHECK_THROWS_AS(optimizer_config_from_text("opt=adam\nlr=-1\n"), Error);
}

}  // TEST_SUITE("checkpoint")
