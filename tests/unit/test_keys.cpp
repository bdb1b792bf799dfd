// test_keys.cpp: the playground's keyboard shortcuts (web/app/keys.hpp), the input gate that
// spreads a press and its release over two frames (web/app/input_gate.hpp), and the loss
// history a model file carries through the controller's save and load (the page's loss curve
// after "Load"). Headless, no file I/O: runs natively and under node (WASM).
#include <doctest.h>

#include "controller.hpp"
#include "input_gate.hpp"
#include "keys.hpp"
#include "presets.hpp"

#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::app;

namespace {

// A controller on the course's 2-D Gaussian, its model built.
void start(Controller& c, const std::string& preset = "course-gauss2d") {
    c.apply_query("?preset=" + preset);
    c.sync();
    REQUIRE(c.ready());
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("keys: Space, S, R, 1-9 and ? map to their actions; nothing while a text field has the keyboard") {
        CHECK(key_action(' ', false).kind == KeyAction::PlayPause);
        CHECK(key_action('s', false).kind == KeyAction::Step);
        CHECK(key_action('S', false).kind == KeyAction::Step);
        CHECK(key_action('r', false).kind == KeyAction::Reset);
        CHECK(key_action('R', false).kind == KeyAction::Reset);
        CHECK(key_action('?', false).kind == KeyAction::Help);
        CHECK(key_action('x', false).kind == KeyAction::None);
        CHECK(key_action('0', false).kind == KeyAction::None);
        const KeyAction two = key_action('2', false);
        CHECK(two.kind == KeyAction::Preset);
        CHECK(two.preset == 1);
        for (unsigned ch : {unsigned(' '), unsigned('s'), unsigned('r'), unsigned('1'), unsigned('?')})
            CHECK(key_action(ch, true).kind == KeyAction::None);
        // Digits beyond the number of recipes do nothing (there are at least nine today).
        if (presets().size() < 9) CHECK(key_action('9', false).kind == KeyAction::None);
        else CHECK(key_action('9', false).preset == 8);
    }

    TEST_CASE("keys: R and 1-9 on a model worth keeping act only when pressed twice; any other key disarms") {
        Controller c;
        start(c);
        c.set_playing(true);
        while (c.session().total_steps() <= Controller::kConfirmSteps) c.train();
        REQUIRE(c.worth_keeping());
        const long trained = c.session().total_steps();
        KeyAction armed;
        const std::string said = run_key(c, key_action('r', false), armed);
        CHECK(said.find("press R again") != std::string::npos);
        c.sync();
        CHECK(c.session().total_steps() >= trained);     // not reset
        CHECK(run_key(c, key_action('s', false), armed) == "one step");  // disarms
        CHECK(run_key(c, key_action('r', false), armed).find("again") != std::string::npos);
        CHECK(run_key(c, key_action('2', false), armed).find("press 2 again") != std::string::npos);  // another key: re-armed for 2
        const std::string preset = c.settings().preset;
        CHECK(run_key(c, key_action('r', false), armed).find("again") != std::string::npos);
        run_key(c, key_action('r', false), armed);      // the same key twice: reset
        c.sync();
        CHECK(c.session().total_steps() == 0);
        CHECK(c.settings().preset == preset);
        CHECK_FALSE(c.worth_keeping());
        CHECK(run_key(c, key_action('r', false), armed) == "reset: new weights from the seed");  // nothing to lose: at once
    }

    TEST_CASE("keys: run_key plays / pauses, steps, resets and loads the presets in the buttons' order") {
        Controller c;
        start(c);
        c.set_playing(false);
        KeyAction armed;
        CHECK(run_key(c, key_action(' ', false), armed) == "playing");
        CHECK(c.playing());
        CHECK(run_key(c, key_action(' ', false), armed) == "paused");
        CHECK_FALSE(c.playing());

        CHECK(run_key(c, key_action('s', false), armed) == "one step");
        c.train();
        CHECK(c.session().total_steps() == 1);
        CHECK_FALSE(c.playing());

        const std::uint64_t v = c.visuals_version();
        run_key(c, key_action('r', false), armed);
        c.sync();
        CHECK(c.session().total_steps() == 0);
        CHECK(c.visuals_version() > v);

        const std::vector<Preset>& ps = presets();
        REQUIRE(ps.size() >= 3);
        const std::string said = run_key(c, key_action('3', false), armed);
        CHECK(c.settings().preset == ps[2].key);
        CHECK(said == "preset 3: " + ps[2].title);
        CHECK(c.playing());
        CHECK(run_key(c, key_action('?', false), armed).empty());  // the overlay is the UI's
        const auto help = key_help();
        REQUIRE(help.size() >= 5);
        CHECK(help.front().first == "Space");
        CHECK(help[3].second == ps[0].title);
        CHECK(help.back().first == "?");
    }

    TEST_CASE("input gate: a release whose press came in the same frame waits for the next frame") {
        InputGate frame1;
        CHECK(frame1.pass(InputGate::Other, 0));       // motion
        CHECK(frame1.pass(InputGate::Press, 1));       // left button down
        CHECK(frame1.pass(InputGate::Release, 3));     // another button's release (pressed earlier)
        CHECK_FALSE(frame1.pass(InputGate::Release, 1));  // its release: held back
        InputGate frame2;                              // the held release goes first next frame
        CHECK(frame2.pass(InputGate::Release, 1));
        CHECK(frame2.pass(InputGate::Press, 1));
        CHECK_FALSE(frame2.pass(InputGate::Release, 1));
        InputGate keys;                                // keys alike (their own ids)
        CHECK(keys.pass(InputGate::Press, 1000 + 44));
        CHECK(keys.pass(InputGate::Release, 1));
        CHECK_FALSE(keys.pass(InputGate::Release, 1000 + 44));
    }

    TEST_CASE("model file: the loss history survives save and load through the controller") {
        std::vector<std::uint8_t> saved;
        Platform p;
        p.save_file = [&](const std::string&, const std::vector<std::uint8_t>& b) {
            saved = b;
            return std::string();
        };
        Controller a(p);
        start(a, "curved-band3d");
        a.set_playing(true);
        for (int i = 0; i < 40 && a.session().trainer().history().size() < 6; ++i) a.train();
        const std::size_t points = a.session().trainer().history().size();
        REQUIRE(points >= 6);
        REQUIRE(a.command("save").empty());
        const std::size_t saved_points = a.session().trainer().history().size();  // save records one more
        const long saved_step = a.session().total_steps();
        REQUIRE(!saved.empty());

        Controller b(p);
        start(b, "curved-band3d");
        b.on_model_bytes(saved, "band.aelab");
        b.sync();
        REQUIRE(b.ready());
        CHECK(b.session().total_steps() == saved_step);
        CHECK(b.session().trainer().history().size() == saved_points);
        CHECK(b.session().trainer().history().back().step == a.session().trainer().history().back().step);

        // Trained on and saved again, then loaded: the whole curve again, longer.
        b.set_playing(true);
        for (int i = 0; i < 40 && b.session().trainer().history().size() < saved_points + 3; ++i) b.train();
        REQUIRE(b.command("save").empty());
        const std::size_t again = b.session().trainer().history().size();
        CHECK(again > saved_points);
        Controller c(p);
        start(c, "curved-band3d");
        c.on_model_bytes(saved, "band2.aelab");
        c.sync();
        CHECK(c.session().trainer().history().size() == again);
    }
}
