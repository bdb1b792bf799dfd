// keys.cpp: see keys.hpp.
#include "keys.hpp"

#include "presets.hpp"

namespace aelab::app {

KeyAction key_action(unsigned ch, bool text_field_active) {
    KeyAction a;
    if (text_field_active) return a;
    switch (ch) {
        case ' ': a.kind = KeyAction::PlayPause; break;
        case 's': case 'S': a.kind = KeyAction::Step; break;
        case 'r': case 'R': a.kind = KeyAction::Reset; break;
        case '?': a.kind = KeyAction::Help; break;
        default:
            if (ch >= '1' && ch <= '9' && static_cast<std::size_t>(ch - '1') < presets().size()) {
                a.kind = KeyAction::Preset;
                a.preset = static_cast<int>(ch - '1');
            }
    }
    return a;
}

std::string run_key(Controller& ctl, const KeyAction& a, KeyAction& armed) {
    const bool discards = a.kind == KeyAction::Reset || a.kind == KeyAction::Preset;
    const bool again = armed.kind == a.kind && armed.preset == a.preset;
    armed = KeyAction();
    if (discards && !again && ctl.ready() && ctl.worth_keeping()) {
        armed = a;
        const char* key = a.kind == KeyAction::Reset ? "R" : nullptr;
        const std::string k = key ? std::string(key) : std::to_string(a.preset + 1);
        const std::string said = "press " + k + " again to discard this model (" +
                                 (ctl.model_from_file() ? std::string("loaded from a file") :
                                                          "step " + std::to_string(ctl.session().total_steps())) +
                                 ") and " + (a.kind == KeyAction::Reset ? "start again from the seed" : "load the preset");
        ctl.say(said, false);
        return said;
    }
    switch (a.kind) {
        case KeyAction::PlayPause:
            ctl.set_playing(!ctl.playing());
            return ctl.playing() ? "playing" : "paused";
        case KeyAction::Step:
            ctl.step_once();
            return "one step";
        case KeyAction::Reset:
            ctl.reset();
            return "reset: new weights from the seed";
        case KeyAction::Preset: {
            const std::vector<Preset>& ps = presets();
            if (a.preset < 0 || static_cast<std::size_t>(a.preset) >= ps.size()) return "";
            ctl.load_preset(ps[static_cast<std::size_t>(a.preset)]);
            return "preset " + std::to_string(a.preset + 1) + ": " + ps[static_cast<std::size_t>(a.preset)].title;
        }
        case KeyAction::None:
        case KeyAction::Help: break;
    }
    return "";
}

std::vector<std::pair<std::string, std::string>> key_help() {
    std::vector<std::pair<std::string, std::string>> rows = {
        {"Space", "play / pause training"},
        {"S", "one optimizer step (pauses)"},
        {"R", "reset: new weights from the seed"},
    };
    const std::vector<Preset>& ps = presets();
    for (std::size_t i = 0; i < ps.size() && i < 9; ++i) rows.push_back({std::to_string(i + 1), ps[i].title});
    rows.push_back({"?", "show / hide these keys"});
    return rows;
}

}  // namespace aelab::app
