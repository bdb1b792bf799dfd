// test_explain.cpp: the playground's explanations and safe controls, headless
// (web/app/help.hpp, web/app/safety.hpp). Checks: every help key the UI asks for has a text
// in assets/help/, the help file parser's strict errors, the learning-rate slider's
// logarithmic mapping (round trip, ends, equal distances = equal factors), the training
// watch's stall / divergence rules and its "last good" parameters (promoted only when a later
// point proves them), and PCA's train bound against a direct reconstruction. Pure, so it
// also runs under node (WASM).
#include <doctest.h>

#include "help.hpp"
#include "safety.hpp"
#include "session.hpp"

#include "aelab/common.hpp"
#include "aelab/pca.hpp"

#include <cmath>
#include <limits>
#include <string>

using namespace aelab;
using namespace aelab::app;

TEST_SUITE("app") {
    TEST_CASE("help: every key the UI asks for has a text; unknown keys are counted misses") {
        REQUIRE(!ui_help_keys().empty());
        const int miss0 = missing_lookups();
        for (const char* k : ui_help_keys()) {
            INFO(k);
            CHECK(help_text(k).size() >= 20);  // a sentence, not a placeholder
        }
        CHECK(missing_lookups() == miss0);
        CHECK(help_text("no.such.key").empty());
        CHECK(missing_lookups() == miss0 + 1);
        CHECK(help_text("opt.lr").find("ogarithmic") != std::string_view::npos);  // "Logarithmic slider"
        note_hovered("opt.lr");
        CHECK(hovered_key() == "opt.lr");
        note_hovered("");
        CHECK(hovered_key().empty());
    }

    TEST_CASE("help: the file format (key = text, comments) and its errors") {
        const auto m = parse_help("# comment\na.b = first one\n\nc_d-2 = x = y\r\n", "t.txt");
        REQUIRE(m.size() == 2);
        CHECK(m[0].key == "a.b");
        CHECK(m[0].text == "first one");
        CHECK(m[1].key == "c_d-2");
        CHECK(m[1].text == "x = y");
        CHECK_THROWS_WITH_AS(parse_help("a = 1\nno equals here\n", "t.txt"), doctest::Contains("t.txt line 2"), Error);
        CHECK_THROWS_WITH_AS(parse_help("a = 1\na = 2\n", "t.txt"), doctest::Contains("twice"), Error);
        CHECK_THROWS_WITH_AS(parse_help("a = 1\n  more = 2\n", "t.txt"), doctest::Contains("indented"), Error);
        CHECK_THROWS_WITH_AS(parse_help("a b = 1\n", "t.txt"), doctest::Contains("bad key"), Error);
        CHECK_THROWS_WITH_AS(parse_help("a =\n", "t.txt"), doctest::Contains("no text"), Error);
    }

    TEST_CASE("help: control rectangles as JSON, the last one of a repeated key") {
        clear_noted_items();
        note_item("opt.lr", 1, 2, 3, 4);
        note_item("data.layers", 5, 6, 7, 8);
        note_item("opt.lr", 10, 20, 30, 40);
        CHECK(noted_items_json() == "{\"data.layers\":[5.0,6.0,7.0,8.0],\"opt.lr\":[10.0,20.0,30.0,40.0]}");
        clear_noted_items();
        CHECK(noted_items_json() == "{}");
    }

    TEST_CASE("log slider: 1e-5 .. 10, round trip, equal distances multiply by equal factors") {
        const LogScale s{kLrMin, kLrMax};
        CHECK(s.to_t(1e-5) == doctest::Approx(0.0));
        CHECK(s.to_t(10.0) == doctest::Approx(1.0));
        CHECK(s.from_t(0.5) == doctest::Approx(1e-2).epsilon(1e-9));
        CHECK(s.from_t(-1) == doctest::Approx(1e-5));
        CHECK(s.from_t(2) == doctest::Approx(10.0));
        CHECK(s.to_t(100.0) == doctest::Approx(1.0));  // clamped
        for (double v : {1e-5, 3e-5, 1e-4, 0.002, 0.003, 0.048, 0.5, 1.0, 7.5, 10.0})
            CHECK(s.from_t(s.to_t(v)) == doctest::Approx(v).epsilon(1e-9));
        // One sixth of the slider is one decade.
        CHECK(s.from_t(s.to_t(0.002) + 1.0 / 6) == doctest::Approx(0.02).epsilon(1e-9));
        CHECK(s.from_t(0.3) / s.from_t(0.2) == doctest::Approx(s.from_t(0.9) / s.from_t(0.8)));
    }

    TEST_CASE("training watch: stall far above PCA after a window without improvement") {
        TrainingWatch w;
        const Vec p = Vec::Constant(3, 1.0f);
        const double pca = 0.1;
        long step = 0;
        // Falls fast at first, then sits at 2x PCA.
        for (double mse : {1.0, 0.5, 0.3, 0.2}) {
            w.observe(step, mse, pca);
            w.frame_end(step + 1, p);
            step += 100;
        }
        CHECK(w.state() == WatchState::Ok);
        for (; step < TrainingWatch::kStallMinSteps + TrainingWatch::kStallWindow; step += 100) {
            w.observe(step, 0.2, pca);
            if (step - 300 < TrainingWatch::kStallWindow) CHECK(w.state() == WatchState::Ok);
        }
        CHECK(w.state() == WatchState::Stalled);
        CHECK(w.shown());
        CHECK(w.message().find("stalled") != std::string::npos);
        w.dismiss();
        CHECK(!w.shown());
        CHECK(w.message().empty());
        // Improving again clears it; near the bound there is no stall however long it sits.
        w.observe(step += 100, 0.14, pca);
        CHECK(w.state() == WatchState::Ok);
        for (int i = 0; i < 60; ++i) w.observe(step += 100, 0.14, pca);
        CHECK(w.state() == WatchState::Ok);
        // Without a bound (the controller passes 0 for a regularized objective): never stalled.
        TrainingWatch r;
        for (long s = 0; s < 10000; s += 100) r.observe(s, 0.5, 0.0);
        CHECK(r.state() == WatchState::Ok);
    }

    TEST_CASE("training watch: a jump or a non-finite loss is divergence; last good = a proven candidate") {
        TrainingWatch w;
        const Vec a = Vec::Constant(4, 1.0f), b = Vec::Constant(4, 2.0f), bad = Vec::Constant(4, 9.0f);
        CHECK(!w.can_undo());
        w.observe(100, 0.5, 0.1);
        w.frame_end(150, a);          // candidate a (step 150) ...
        CHECK(!w.can_undo());
        w.observe(200, 0.3, 0.1);     // ... proven by a later best point
        REQUIRE(w.can_undo());
        CHECK(w.good_params() == a);
        CHECK(w.good_step() == 150);
        w.frame_end(250, b);
        w.observe(300, 0.25, 0.1);
        CHECK(w.good_params() == b);
        w.frame_end(350, bad);        // the lr was raised: the point after it is worse (dropped)
        w.observe(400, 0.27, 0.1);
        CHECK(w.good_params() == b);  // not promoted
        CHECK(w.state() == WatchState::Ok);
        w.observe(500, 0.9, 0.1);     // > 3x the best (0.25)
        CHECK(w.state() == WatchState::Diverged);
        CHECK(w.message().find("jumped") != std::string::npos);
        w.frame_end(550, bad);        // no candidates while diverged
        w.observe(600, 0.2, 0.1);
        CHECK(w.good_params() == b);
        w.observe(700, std::numeric_limits<double>::quiet_NaN(), 0.1);
        CHECK(w.state() == WatchState::Diverged);
        w.undo_done(700);
        CHECK(w.state() == WatchState::Ok);
        w.on_guard("loss is NaN at step 701");
        CHECK(w.state() == WatchState::Diverged);
        CHECK(w.message().find("NaN") != std::string::npos);
        w.observe(800, 0.25, 0.1);    // the guard's restored weights: still a warning
        CHECK(w.state() == WatchState::Diverged);
        w.observe(800, 0.25, 0.1);    // the same point again (a paused frame)
        CHECK(w.state() == WatchState::Diverged);
        w.frame_end(850, bad);        // no candidates while diverged
        w.observe(900, 0.24, 0.1);    // a second calm point (a lower lr): recovered
        CHECK(w.state() == WatchState::Ok);
        CHECK(w.message().empty());
        w.frame_end(950, a);          // candidates again
        w.observe(1000, 0.2, 0.1);
        CHECK(w.good_params() == a);
        w.on_guard("loss is inf at step 1001");
        CHECK(w.state() == WatchState::Diverged);
        w.observe(1100, std::numeric_limits<double>::infinity(), 0.1);
        w.observe(1200, 0.3, 0.1);    // one calm point is not yet a recovery
        CHECK(w.state() == WatchState::Diverged);
        w.reset();
        CHECK(w.state() == WatchState::Ok);
        CHECK(!w.can_undo());
    }

    TEST_CASE("pca_train_mse: the discarded variance per value equals PCA's reconstruction MSE on its data") {
        const DataBundle b = make_synthetic(DatasetKind::Gauss2D, 1);
        PCA all;
        all.fit(b.train.X);
        PcaOptions o;
        o.n_components = 1;
        PCA one(o);
        one.fit(b.train.X);
        CHECK(pca_train_mse(all, 1) == doctest::Approx(one.reconstruction_mse(b.train.X)).epsilon(1e-6));
        CHECK(pca_train_mse(all, 2) == doctest::Approx(0.0));
        const DataBundle c = make_synthetic(DatasetKind::Curved3D, 1);
        PcaOptions o2;
        o2.n_components = 2;
        PCA two(o2);
        two.fit(c.train.X);
        CHECK(pca_train_mse(two, 2) == doctest::Approx(two.reconstruction_mse(c.train.X)).epsilon(1e-5));
        CHECK(pca_train_mse(PCA(), 1) == 0.0);
    }
}
