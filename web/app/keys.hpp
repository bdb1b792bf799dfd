// keys.hpp: the playground's keyboard shortcuts, on the Controller (browser and desktop alike).
//
// What: key_action() maps one typed character to an action: Space play / pause, S one step,
// R reset (new weights from the seed), 1-9 the presets in the recipes' order (the order of
// the preset buttons), ? the keys overlay; nothing while a text field has focus (the
// character is then text). run_key() does the action on the Controller and returns what it
// did, in words (for the message list); key_help() is the overlay's table.
// Why: the page had no keyboard at all; doing it here, on characters (SDL_TEXTINPUT, so it
// follows the user's keyboard layout) and the Controller, gives the desktop the same keys and
// keeps the mapping unit-tested without ImGui or SDL (tests/unit/test_keys.cpp).
// Usage (keys_ui.cpp, from App::event):
//     KeyAction a = key_action(ch, io.WantTextInput);
//     if (a.kind == KeyAction::Help) overlay = !overlay; else run_key(ctl, a, armed);
#pragma once

#include "controller.hpp"

#include <string>
#include <utility>
#include <vector>

namespace aelab::app {

struct KeyAction {
    enum Kind { None, PlayPause, Step, Reset, Preset, Help } kind = None;
    int preset = -1;  // Preset: 0-based index into presets() (key '1' is 0)
};

// The action of the typed character `ch` (a Unicode code point); None for every other
// character, and for every character while `text_field_active` (an ImGui text field has the
// keyboard). S and R work in both cases; digits beyond the number of presets do nothing.
KeyAction key_action(unsigned ch, bool text_field_active);

// Does `a` on the controller: PlayPause toggles play, Step pauses and takes one step, Reset
// rebuilds the model from its seed, Preset loads presets()[a.preset] (and plays). Returns a
// short description ("paused", "preset 2: Nonlinear beats linear", ...), "" for None / Help.
// Reset and Preset discard the model: while it is worth keeping (loaded from a file, or
// trained past Controller::kConfirmSteps) a stray key must not do that, so the first press
// only arms the key (`armed`, the caller's state) and says "press R again ..."; the same key
// pressed next does it, and any other key disarms.
std::string run_key(Controller& ctl, const KeyAction& a, KeyAction& armed);

// The overlay's rows: (keys, what they do).
std::vector<std::pair<std::string, std::string>> key_help();

}  // namespace aelab::app
