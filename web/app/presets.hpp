// presets.hpp: the recipes (one-click states of the playground, `aelab train --recipe KEY`).
//
// What: a recipe is a data file assets/recipes/<key>.txt, embedded at build time
// (aelab/assets.hpp). `parse_recipe()` reads one strictly; `presets()` is every embedded
// recipe, sorted by the `order:` field, as a Preset (key, title, explanation, Settings).
// `recipe_cli_options()` turns a preset into the option list of `aelab train`.
// Why data, not code: the page's buttons, the URL (?preset=KEY), the desktop binary and the
// CLI all read the very same recipe, and a lecturer adds one without touching C++.
//
// Recipe format (UTF-8 text; every error names the line):
//     title: Course: linear AE = PCA on Geron's 3-D data      <- required, the button label
//     order: 30                                                <- required, 0..9999, unique
//     query: dataset=geron3d&arch=none&k=2&opt=sgd&lr=1.5      <- required, the settings
//     cli: valid=5000                                          <- optional, CLI-only settings
//     alias: course-curved3d                                   <- optional, old keys (comma list)
//     (one empty line)
//     One paragraph for students: what the example is and what to look at. It may span
//     several lines (joined with spaces); nothing may follow it.
// `query` uses the page's URL syntax (state.hpp) applied on top of the built-in Settings{}
// defaults (not on another recipe); it must not contain "preset=" and must give no message
// (no unknown key, no bad value, nothing that sanitize() repairs). `cli` keys:
//     valid=N   hold out the LAST N training images as the validation set and report on it
//               instead of the test set (Geron's 55,000 / 5,000 split of Fashion-MNIST).
// The key (file name without ".txt") is lower case letters, digits and '-'.
// Usage:
//     const Preset* p = find_preset("nonlinear-mnist");   // nullptr if unknown
//     Settings s = p->settings;
//     Preset r = parse_recipe("my-key", text);             // throws aelab::Error("line 3: ...")
#pragma once

#include "state.hpp"

#include <string>
#include <utility>
#include <vector>

namespace aelab::app {

struct Preset {
    std::string key;                   // URL value, file name
    std::string title;                 // button label
    std::string description;           // the explanation paragraph
    Settings settings;                 // settings.preset == key
    int order = 0;                     // position among the buttons
    std::string query;                 // the recipe's query line as written
    std::vector<std::string> aliases;  // old keys that still find this recipe
    long valid = 0;                    // CLI: validation split (0 = report on the test set)
};

// Parses one recipe file. Throws aelab::Error "recipe KEY, line N: ..." on any deviation
// from the format above.
Preset parse_recipe(const std::string& key, const std::string& text);

// Every embedded recipe (assets/recipes/*.txt), by `order`. Checked once at first use: a
// malformed recipe, a duplicate order, key or alias throws aelab::Error (tests catch it;
// the recipes are fixed at build time).
const std::vector<Preset>& presets();
// The recipe with this key or alias; nullptr if none.
const Preset* find_preset(const std::string& key);
const char* default_preset_key();  // "linear-mnist"
// The settings a query without "preset=" starts from (the default preset's).
Settings default_settings();

// The options of `aelab train` that reproduce a preset (name without "--", value; "" for a
// flag), e.g. {"data","fashion"}, {"arch","784-100-30"}, {"act","selu"}, {"epochs","20"},
// {"valid","5000"}. A graph model (model=vae or net=) gives --model ae|vae, --arch (the net,
// or for the dense VAE the widths 784-500-500-k with --act), --loss and --beta (when not 1).
// Page-only settings (speed, budget, autoplay, logy, hide) have no option. Throws
// aelab::Error when the settings need something the CLI cannot express (per-layer
// activations that differ).
std::vector<std::pair<std::string, std::string>> recipe_cli_options(const Preset& p);

}  // namespace aelab::app
