// presets.hpp: one-click states of the playground (also reachable as ?preset=KEY).
//
// Each preset is a complete Settings value plus a title and a one-line explanation shown
// in the UI. The first load without a query uses default_preset_key(): a linear
// autoencoder on MNIST converging to PCA; the next preset shows a nonlinear one beating it.
// Usage:
//     const Preset* p = find_preset("nonlinear-mnist");   // nullptr if unknown
//     Settings s = p->settings;
#pragma once

#include "state.hpp"

#include <string>
#include <vector>

namespace aelab::app {

struct Preset {
    std::string key;          // URL value
    std::string title;        // button label
    std::string description;  // one sentence: what to watch
    Settings settings;        // settings.preset == key
};

const std::vector<Preset>& presets();
const Preset* find_preset(const std::string& key);
const char* default_preset_key();  // "linear-mnist"
// The settings a query without "preset=" starts from (the default preset's).
Settings default_settings();

}  // namespace aelab::app
