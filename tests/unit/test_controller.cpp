// test_controller.cpp: the playground's headless controller (web/app/controller) and its
// refresh timer (web/app/refresh.hpp), driven without ImGui through the same calls the UI
// makes. Checks: settings reconciliation (a shape change rebuilds, an lr / optimizer /
// batch change keeps the weights), routing of good / corrupt / too large / wrong-dataset
// model files, commands, bad queries and missing data becoming messages, message expiry by
// the time passed in, and the core's name tables the UI lists. No file I/O: the platform
// callbacks are in-memory stubs, so this also runs under node (WASM).
#include <doctest.h>

#include "controller.hpp"
#include "pagedata.hpp"
#include "refresh.hpp"
#include "stats.hpp"

#include "aelab/idx.hpp"
#include "aelab/model_io.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::app;

namespace {

// A controller on the course's 2-D Gaussian with its model built.
void start_gauss(Controller& c) {
    c.apply_query("?preset=course-gauss2d");
    c.sync();
    REQUIRE(c.ready());
}

// Bytes of a model file for the curved 3-D band (saved by a controller, like the page does).
std::vector<std::uint8_t> curved3d_model_bytes(Vec* params) {
    std::vector<std::uint8_t> saved;
    Platform p;
    p.save_file = [&](const std::string&, const std::vector<std::uint8_t>& b) {
        saved = b;
        return std::string();
    };
    Controller c(p);
    c.apply_query("?preset=course-curved3d");
    c.sync();
    REQUIRE(c.ready());
    c.command("step");
    c.train();
    CHECK(c.command("save") == "");
    *params = c.session().model().params();
    return saved;
}

// A labelled 4x4 "image" set: n images, label i % classes (with skew: every even index is
// class 0), pixel bytes from the index.
Dataset tiny_images(int n, int classes, bool skew) {
    std::vector<std::uint8_t> px(static_cast<size_t>(n) * 16), lab(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        lab[i] = static_cast<std::uint8_t>(skew && i % 2 == 0 ? 0 : i % classes);
        for (int p = 0; p < 16; ++p) px[static_cast<size_t>(i) * 16 + p] = static_cast<std::uint8_t>((i * 7 + p * 13) & 255);
    }
    const auto img = write_idx({static_cast<std::uint32_t>(n), 4, 4}, px);
    const auto lb = write_idx({static_cast<std::uint32_t>(n)}, lab);
    return make_image_dataset(img.data(), img.size(), lb.data(), lb.size(), "tiny");
}

bool has_message(const Controller& c, const std::string& part, bool error) {
    for (const Message& m : c.messages())
        if (m.text.find(part) != std::string::npos && m.error == error) return true;
    return false;
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("controller: a shape change rebuilds the model, an lr / optimizer / batch change keeps the weights") {
        Controller c;
        start_gauss(c);
        const std::uint64_t v0 = c.visuals_version();
        c.command("step");
        c.train();
        CHECK(c.session().total_steps() == 1);
        const Vec trained = c.session().model().params();

        c.settings_mut().lr = 0.0123;
        c.settings_mut().opt = OptimizerKind::SGD;
        c.settings_mut().batch = 17;
        c.sync();
        CHECK(c.session().model().params() == trained);
        CHECK(c.session().total_steps() == 1);
        CHECK(c.visuals_version() == v0);
        CHECK(c.applied().lr == doctest::Approx(0.0123));
        CHECK(c.applied().batch == 17);
        CHECK(c.session().trainer().optimizer_config().lr == doctest::Approx(0.0123));
        CHECK(has_message(c, "optimizer: SGD (weights kept", false));

        c.settings_mut().hidden = {8};
        c.settings_mut().fit_acts();
        c.sync();
        CHECK(c.visuals_version() > v0);
        CHECK(c.session().total_steps() == 0);
        CHECK(c.session().dense()->config().encoder == std::vector<int>{8});
        CHECK(c.applied() == c.settings());
    }

    TEST_CASE("controller: a model that cannot be built goes back to the last one that worked") {
        Controller c;
        start_gauss(c);
        const Settings good = c.settings();
        c.settings_mut().hidden = {0};  // a layer without units: AEConfig::validate() refuses it
        c.settings_mut().fit_acts();
        c.sync();
        CHECK(has_message(c, "cannot build this model", true));
        CHECK(c.settings() == good);
        CHECK(c.ready());
    }

    TEST_CASE("controller: a shape change on a trained or loaded model asks first; keep / rebuild") {
        Controller c;
        start_gauss(c);
        c.settings_mut().speed = 400;
        c.settings_mut().budget_ms = 5000;
        c.sync();
        c.set_playing(true);
        while (c.session().total_steps() <= Controller::kConfirmSteps) c.train();
        const long steps = c.session().total_steps();
        const Vec trained = c.session().model().params();
        const std::uint64_t v0 = c.visuals_version();

        c.settings_mut().hidden = {8};
        c.settings_mut().fit_acts();
        c.sync();
        CHECK(c.confirm_pending());
        CHECK(c.session().total_steps() == steps);   // nothing discarded yet
        CHECK(c.session().model().params() == trained);
        CHECK(c.visuals_version() == v0);
        c.answer_rebuild(false);                      // "keep model"
        CHECK(!c.confirm_pending());
        CHECK(c.settings().hidden.empty());
        CHECK(!Settings::shape_differs(c.settings(), c.applied()));
        CHECK(has_message(c, "kept the current model", false));
        c.sync();
        CHECK(c.session().total_steps() == steps);
        CHECK(!c.confirm_pending());

        c.settings_mut().latent = 2;                  // again, and "rebuild"
        c.settings_mut().hidden = {8};
        c.settings_mut().fit_acts();
        c.sync();
        REQUIRE(c.confirm_pending());
        c.answer_rebuild(true);
        c.sync();
        CHECK(!c.confirm_pending());
        CHECK(c.session().total_steps() == 0);
        CHECK(c.session().dense()->config().encoder == std::vector<int>{8});
        // Reset rebuilds without asking, whatever the step count.
        for (int i = 0; i < 5; ++i) c.train();
        REQUIRE(c.session().total_steps() > Controller::kConfirmSteps);
        c.reset();
        c.sync();
        CHECK(!c.confirm_pending());
        CHECK(c.session().total_steps() == 0);
    }

    TEST_CASE("controller: a loaded model asks before a shape change even at step 1") {
        Vec saved_params;
        const std::vector<std::uint8_t> bytes = curved3d_model_bytes(&saved_params);
        Controller c;
        c.apply_query("?preset=course-curved3d");
        c.sync();
        c.on_model_bytes(bytes, "m.aelab");
        c.sync();
        REQUIRE(c.model_from_file());
        c.settings_mut().seed = 77;
        c.sync();
        CHECK(c.confirm_pending());
        CHECK(c.session().model().params() == saved_params);
        c.answer_rebuild(true);
        c.sync();
        CHECK(!c.model_from_file());
        CHECK(c.session().model().params() != saved_params);
    }

    TEST_CASE("controller: a too large learning rate is a warning; undo restores the last good weights") {
        Controller c;
        start_gauss(c);
        c.settings_mut().speed = 200;
        c.settings_mut().budget_ms = 5000;
        c.sync();
        c.set_playing(true);
        for (int i = 0; i < 10; ++i) c.train();
        CHECK(!c.watch().shown());
        REQUIRE(c.watch().can_undo());
        const double good_mse = c.watch().good_mse();
        CHECK(good_mse < 2 * c.session().pca_test_mse());
        c.settings_mut().lr = 10;                     // Adam with lr 10: the weights fly off
        c.sync();
        for (int i = 0; i < 20 && !c.watch().shown(); ++i) {
            c.set_playing(true);
            c.train();
        }
        REQUIRE(c.watch().shown());
        CHECK(c.watch().state() == WatchState::Diverged);
        const Vec good = c.watch().good_params();
        CHECK(c.session().model().params() != good);
        c.settings_mut().lr = 0.01;
        c.sync();
        CHECK(c.undo_to_good());
        CHECK(c.session().model().params() == good);
        CHECK(c.session().last_test_mse() < 1.5 * good_mse);  // recorded at once
        CHECK(!c.watch().shown());
        CHECK(!c.playing());
        CHECK(has_message(c, "weights back to step", false));
        c.set_playing(true);
        for (int i = 0; i < 3; ++i) c.train();        // training goes on from there
        CHECK(c.session().last_test_mse() < 1.5 * good_mse);
        CHECK(!c.watch().shown());
        Controller fresh;
        start_gauss(fresh);
        CHECK(!fresh.undo_to_good());                 // nothing good yet
        CHECK(has_message(fresh, "no good weights", true));
    }

    TEST_CASE("controller: commands") {
        Controller c;
        start_gauss(c);
        c.set_playing(false);
        CHECK(c.command("play") == "");
        CHECK(c.playing());
        CHECK(c.command("pause") == "");
        CHECK_FALSE(c.playing());
        CHECK(c.train().steps == 0);  // paused: nothing trains
        CHECK(c.command("step") == "");
        CHECK(c.train().steps == 1);
        CHECK(c.train().steps == 0);  // one step only
        CHECK(c.session().total_steps() == 1);
        const std::uint64_t v = c.visuals_version();
        CHECK(c.command("reset") == "");
        c.sync();
        CHECK(c.session().total_steps() == 0);
        CHECK(c.visuals_version() > v);
        CHECK(c.command("preset=no-such-preset") == "unknown preset");
        CHECK(c.command("jump") == "unknown command 'jump'");
        CHECK(c.command("preset=course-curved3d") == "");
        CHECK(c.settings().preset == "curved-band3d");
        CHECK(c.playing());
        CHECK(has_message(c, "preset: ", false));
        CHECK(c.command("query=dataset=swissroll&autoplay=0") == "");
        CHECK(c.settings().dataset == DatasetKind::SwissRoll);
        CHECK_FALSE(c.playing());
        c.sync();
        CHECK(c.ready());
        CHECK(c.session().kind() == DatasetKind::SwissRoll);
        // Without platform callbacks saving and loading say why they cannot.
        CHECK(c.command("save") == "saving is not available");
        CHECK(has_message(c, "save failed: saving is not available", true));
        CHECK(c.command("load") == "loading is not available");
    }

    TEST_CASE("controller: bad queries and unavailable data become messages") {
        Controller c;
        c.apply_query("?lr=abc&k=-4&bogus=1");
        CHECK(c.messages().size() == 3);
        for (const Message& m : c.messages()) {
            CHECK(m.error);
            CHECK(m.text.rfind("URL: ", 0) == 0);
        }
        CHECK(c.message_total() == 3);
        // MNIST without a host that can load it: refused once, with a message.
        c.sync();
        CHECK_FALSE(c.ready());
        CHECK(c.failed(DatasetKind::MNIST));
        CHECK(has_message(c, "not available on this platform", true));
        const int total = c.message_total();
        c.sync();
        CHECK(c.message_total() == total);
    }

    TEST_CASE("controller: image data requests, failures and the fallback") {
        std::vector<DatasetKind> asked;
        Platform p;
        p.request_images = [&](DatasetKind k) { asked.push_back(k); };
        Controller c(p);
        c.apply_query("?preset=nonlinear-fashion");
        c.sync();
        c.sync();  // asked once, still loading
        REQUIRE(asked.size() == 1);
        CHECK(asked[0] == DatasetKind::Fashion);
        CHECK(c.loading());
        // Bytes that are no IDX file: an error message and the generated fallback set.
        c.on_image_data(DatasetKind::Fashion, {1, 2, 3}, {}, {}, {}, "test");
        CHECK_FALSE(c.loading());
        CHECK(c.failed(DatasetKind::Fashion));
        CHECK(has_message(c, "could not load Fashion", true));
        CHECK(c.settings().preset == "curved-band3d");
        c.sync();
        CHECK(c.ready());
        // Choosing the set again retries it.
        c.choose_dataset(DatasetKind::Fashion);
        CHECK_FALSE(c.failed(DatasetKind::Fashion));
        CHECK(c.settings().preset.empty());
        c.sync();
        CHECK(asked.size() == 2);
    }

    TEST_CASE("controller: model files are routed to their data set; bad files keep the model") {
        Vec saved_params;
        const std::vector<std::uint8_t> good = curved3d_model_bytes(&saved_params);
        REQUIRE_FALSE(good.empty());

        Controller c;
        start_gauss(c);
        const Vec mine = c.session().model().params();
        // Corrupt: refused, nothing changes.
        std::vector<std::uint8_t> bad = good;
        bad[bad.size() / 2] ^= 0x5a;
        c.on_model_bytes(bad, "bad.aelab");
        CHECK(has_message(c, "could not load bad.aelab", true));
        CHECK_FALSE(c.has_pending_model());
        // Too large: refused before parsing.
        c.on_model_bytes(std::vector<std::uint8_t>(kMaxModelFileBytes + 1, 0), "huge.aelab");
        CHECK(has_message(c, "more than the 64 MB", true));
        // A model for 5-D data: no data set here has that size.
        AEConfig five = AEConfig::from_arch("5-2");
        five.mirror_decoder = true;
        Autoencoder<float> m5(five);
        c.on_model_bytes(save_model(m5), "five.aelab");
        CHECK(has_message(c, "5-dimensional data, which no data set here has", true));
        CHECK_FALSE(c.has_pending_model());
        c.sync();
        CHECK(c.session().model().params() == mine);
        CHECK(c.settings().dataset == DatasetKind::Gauss2D);

        // A good file for the curved band: waits for its data set, pauses, then installs.
        c.set_playing(true);
        c.on_model_bytes(good, "band.aelab");
        CHECK(c.has_pending_model());
        CHECK_FALSE(c.playing());
        CHECK(c.settings().dataset == DatasetKind::Curved3D);
        c.sync();
        CHECK_FALSE(c.has_pending_model());
        REQUIRE(c.ready());
        CHECK(c.session().kind() == DatasetKind::Curved3D);
        CHECK(c.session().model().params() == saved_params);
        CHECK(c.session().total_steps() == 1);
        CHECK(has_message(c, "loaded band.aelab", false));
    }

    TEST_CASE("controller: desktop save / load go through the typed path") {
        std::map<std::string, std::vector<std::uint8_t>> files;
        Platform p;
        p.save_file = [&](const std::string& name, const std::vector<std::uint8_t>& b) {
            files[name] = b;
            return std::string();
        };
        p.read_file = [&](const std::string& path, std::vector<std::uint8_t>* b) {
            auto it = files.find(path);
            if (it == files.end()) return std::string("no such file");
            *b = it->second;
            return std::string();
        };
        Controller c(p);
        CHECK(c.command("save") == "no model yet");
        start_gauss(c);
        c.model_path = "a.aelab";
        CHECK(c.command("save") == "");
        REQUIRE(files.count("a.aelab") == 1);
        const Vec saved = c.session().model().params();
        c.command("reset");
        c.sync();
        CHECK(c.session().model().params() == saved);  // same seed: same fresh weights
        c.command("step");
        c.train();
        CHECK(c.session().model().params() != saved);
        CHECK(c.command("load") == "");
        c.sync();
        CHECK(c.session().model().params() == saved);
        c.model_path = "missing.aelab";
        CHECK(c.command("load") == "no such file");
        CHECK(has_message(c, "could not read missing.aelab: no such file (current model kept)", true));
    }

    TEST_CASE("controller: messages keep the newest kMaxMessages (the history) and expire by the time passed in") {
        Controller c;
        c.set_time(100.0);
        const int n = static_cast<int>(Controller::kMaxMessages) + 2;
        for (int i = 0; i < n; ++i) c.say("m" + std::to_string(i), i == n - 1);
        CHECK(c.messages().size() == Controller::kMaxMessages);
        CHECK(c.messages().front().text == "m2");
        CHECK(c.message_total() == n);
        REQUIRE(c.latest(105.0, 10.0) != nullptr);
        CHECK(c.latest(105.0, 10.0)->text == "m" + std::to_string(n - 1));
        CHECK(c.latest(105.0, 10.0)->error);
        CHECK(c.latest(110.5, 10.0) == nullptr);
        c.remove_message(0);
        c.remove_message(99);  // out of range: ignored
        CHECK(c.messages().front().text == "m3");
        c.warn("w");
        CHECK(c.messages().back().warning);
        CHECK_FALSE(c.messages().back().error);
    }

    TEST_CASE("first_of_each_class: one image per class first, then the next ones") {
        Dataset d;
        d.X = Mat::Zero(1, 6);
        d.y = {3, 3, 1, 1, 0, 2};
        d.num_classes = 4;
        CHECK(first_of_each_class(d, 10) == std::vector<int>{0, 2, 4, 5, 1, 3});
        CHECK(first_of_each_class(d, 3) == std::vector<int>{0, 2, 4});
        Dataset e;
        CHECK(first_of_each_class(e, 10).empty());
    }

    TEST_CASE("refresh timer: due at once, every period while the step moves, every idle period otherwise") {
        Refresh r(0.2, 1.0);
        CHECK(r.due(5.0, 10));
        r.mark(5.0, 10);
        CHECK_FALSE(r.due(5.1, 11));   // too soon
        CHECK(r.due(5.3, 11));         // period passed and the model moved
        CHECK_FALSE(r.due(5.3, 10));   // same step: wait for idle
        CHECK(r.due(6.1, 10));
        r.invalidate();
        CHECK(r.due(5.01, 10));        // a user action: at once
        r.mark(7.0);                   // not following a step: every period
        CHECK_FALSE(r.due(7.1, 0));
        CHECK(r.due(7.3, 0));
    }

    TEST_CASE("core name tables: every activation, optimizer and loss round-trips its name") {
        CHECK(all_activations().size() == 8);
        for (Activation a : all_activations()) CHECK(parse_activation(activation_name(a)) == a);
        CHECK(all_optimizers().size() == 7);
        for (OptimizerKind o : all_optimizers()) {
            CHECK(parse_optimizer(optimizer_name(o)) == o);
            CHECK(std::string(optimizer_label(o)) != "?");
        }
        CHECK(std::string(optimizer_label(OptimizerKind::MonteCarlo)) == "Monte Carlo");
        CHECK(all_losses().size() == 2);
        for (ReconLoss l : all_losses()) CHECK(parse_loss(loss_name(l)) == l);
    }

    TEST_CASE("stats_json: the page's window.aelab names, null for unknown numbers, escaped strings") {
        Stats s;
        s.frame_ms = 16.5;
        s.step = 1234;
        s.test_mse = 0.25;
        s.train_mse = std::nan("");
        s.pca_mse = INFINITY;
        s.playing = true;
        s.messages = 3;
        s.dataset = "mnist";
        s.message = "say \"hi\"\\ now\n\x01";
        const std::string j = stats_json(s);
        CHECK(j.front() == '{');
        CHECK(j.back() == '}');
        for (const char* key : {"frameTimeMs", "fps", "stepsPerSec", "samplesPerSec", "trainMs", "cpuMs", "step",
                                "epoch", "trainLoss", "testLoss", "pcaLoss", "maxAngleDeg", "playing", "ready",
                                "diverged", "frames", "params", "messages", "dataset", "preset", "query", "arch",
                                "message", "profile", "stepsPerFrame", "tooltip", "helpMissing", "warning",
                                "confirmRebuild"})
            CHECK(j.find(std::string("\"") + key + "\":") != std::string::npos);
        CHECK(j.find("\"frameTimeMs\":16.5,") != std::string::npos);
        CHECK(j.find("\"step\":1234,") != std::string::npos);
        CHECK(j.find("\"testLoss\":0.25,") != std::string::npos);
        CHECK(j.find("\"trainLoss\":null,") != std::string::npos);
        CHECK(j.find("\"pcaLoss\":null,") != std::string::npos);
        CHECK(j.find("\"playing\":true,") != std::string::npos);
        CHECK(j.find("\"ready\":false,") != std::string::npos);
        CHECK(j.find("\"messages\":3,") != std::string::npos);
        CHECK(j.find("\"dataset\":\"mnist\"") != std::string::npos);
        CHECK(j.find("\"message\":\"say \\\"hi\\\"\\\\ now\\n\\u0001\"") != std::string::npos);
    }

    TEST_CASE("page subsets: stratified, seeded (test with seed + 1), deterministic, as IDX the app parses") {
        const Dataset train = tiny_images(400, 4, true), test = tiny_images(120, 4, false);
        const PageSubsets a = cut_page_subsets(train, test, 100, 40, 77);
        const PageSubsets b = cut_page_subsets(train, test, 100, 40, 77);
        CHECK(a.train.images == b.train.images);
        CHECK(a.test.labels == b.test.labels);
        const Dataset tr = make_image_dataset(a.train.images.data(), a.train.images.size(), a.train.labels.data(),
                                              a.train.labels.size(), "tr");
        const Dataset te = make_image_dataset(a.test.images.data(), a.test.images.size(), a.test.labels.data(),
                                              a.test.labels.size(), "te");
        CHECK(tr.size() == 100);
        CHECK(te.size() == 40);
        CHECK(tr.image_rows == 4);
        // The same images as subset_stratified with the documented seeds.
        const Dataset want_tr = subset_stratified(train, 100, 77), want_te = subset_stratified(test, 40, 78);
        CHECK(tr.y == want_tr.y);
        CHECK((tr.X.array() == want_tr.X.array()).all());
        CHECK(te.y == want_te.y);
        CHECK((te.X.array() == want_te.X.array()).all());
        // Stratified: the skewed training set is half class 0, a quarter each classes 1 and 3
        // (even indices are 0, odd ones i % 4), and so is the subset.
        int count[4] = {0, 0, 0, 0};
        for (int y : tr.y) ++count[y];
        CHECK(count[0] == 50);
        CHECK(count[1] == 25);
        CHECK(count[2] == 0);
        CHECK(count[3] == 25);
        // Another seed picks other images; requests beyond the set are errors.
        CHECK(cut_page_subsets(train, test, 100, 40, 78).train.images != a.train.images);
        CHECK_THROWS_AS(cut_page_subsets(train, test, 401, 40), Error);
        CHECK_THROWS_AS(cut_page_subsets(train, test, 100, 0), Error);
        CHECK(kPageTrain == 5000);
        CHECK(kPageTest == 1000);
    }
}
