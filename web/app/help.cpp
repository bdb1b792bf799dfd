// help.cpp: see help.hpp.
#include "help.hpp"

#include "aelab/assets.hpp"
#include "aelab/common.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace aelab::app {
namespace {

std::string trim(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
    return std::string(s.substr(a, b - a));
}

bool valid_key(const std::string& k) {
    if (k.empty()) return false;
    for (char c : k)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
    return true;
}

std::string g_hovered;
int g_missing = 0;
std::vector<ItemRect> g_items;

}  // namespace

std::map<std::string, std::string> parse_help(std::string_view text, const std::string& name) {
    std::map<std::string, std::string> out;
    std::string last;
    int line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        ++line_no;
        const std::string t = trim(line);
        const std::string where = name + " line " + std::to_string(line_no) + ": ";
        if (t.empty()) {
            last.clear();  // a blank line ends a text
            continue;
        }
        if (t[0] == '#') continue;
        if (line[0] == ' ' || line[0] == '\t') {
            AELAB_REQUIRE(!last.empty(), where + "a continuation line without a `key = text` line above");
            out[last] += " " + t;
            continue;
        }
        const std::size_t eq = t.find('=');
        AELAB_REQUIRE(eq != std::string::npos, where + "expected `key = text`, got \"" + t + "\"");
        const std::string key = trim(std::string_view(t).substr(0, eq));
        const std::string val = trim(std::string_view(t).substr(eq + 1));
        AELAB_REQUIRE(valid_key(key), where + "bad key \"" + key + "\" (letters, digits, '.', '_', '-')");
        AELAB_REQUIRE(!val.empty(), where + "key \"" + key + "\" has no text");
        AELAB_REQUIRE(!out.count(key), where + "key \"" + key + "\" appears twice");
        out[key] = val;
        last = key;
    }
    return out;
}

const std::map<std::string, std::string>& help_texts() {
    static const std::map<std::string, std::string> all = [] {
        std::map<std::string, std::string> m;
        for (const auto& a : assets::all()) {
            if (a.path.rfind("help/", 0) != 0) continue;
            for (auto& [k, v] : parse_help(a.text, std::string(a.path))) {
                AELAB_REQUIRE(!m.count(k), std::string(a.path) + ": key \"" + k + "\" is also in another help file");
                m.emplace(k, std::move(v));
            }
        }
        return m;
    }();
    return all;
}

const std::vector<const char*>& ui_help_keys() {
    static const std::vector<const char*> keys = {
        // control column
        "train.play", "train.step", "train.reset", "train.speed", "train.budget", "data.set", "model.hidden",
        "model.remove", "model.add", "model.latent", "model.hidden_act", "model.per_layer", "model.code_act",
        "model.out_act", "model.loss", "model.tied", "model.seed", "reg.noise", "reg.noise_level", "reg.sparsity",
        "reg.sparsity_weight", "reg.target_rate", "reg.weight_decay", "opt.optimizer", "opt.lr", "opt.batch",
        "file.save", "file.load", "guard.undo", "guard.dismiss", "confirm.rebuild", "confirm.keep",
        // panels' own controls
        "loss.log", "loss.knn", "scatter.thumbs", "recon.activity", "recon.sorted", "decoder.manifold", "decoder.ab",
        "decoder.clear", "data.layers", "data.reset_view", "gauss.fields", "gauss.course",
        // "Your data" (panel_userdata.cpp)
        "user.label", "user.header", "user.skip", "user.scaling", "user.test", "user.open", "user.codes", "user.png",
        // panel captions
        "panel.loss", "panel.scatter", "panel.recon", "panel.decoder", "panel.pca", "panel.data", "panel.gauss"};
    return keys;
}

std::string_view help_text(std::string_view key) {
    const auto& keys = ui_help_keys();
    const bool listed = std::any_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; });
    const auto& m = help_texts();
    const auto it = m.find(std::string(key));
    if (!listed || it == m.end()) {
        ++g_missing;
        return {};
    }
    return it->second;
}

void note_hovered(std::string_view key) { g_hovered.assign(key.data(), key.size()); }
const std::string& hovered_key() { return g_hovered; }
int missing_lookups() { return g_missing; }

void note_item(std::string_view key, float x0, float y0, float x1, float y1) {
    g_items.push_back({std::string(key), x0, y0, x1, y1});
}
const std::vector<ItemRect>& noted_items() { return g_items; }
void clear_noted_items() { g_items.clear(); }

std::string noted_items_json() {
    std::map<std::string, const ItemRect*> last;
    for (const ItemRect& r : g_items) last[r.key] = &r;
    std::string o = "{";
    char b[160];
    for (const auto& [k, r] : last) {
        std::snprintf(b, sizeof b, "%s\"%s\":[%.1f,%.1f,%.1f,%.1f]", o.size() > 1 ? "," : "", k.c_str(), r->x0, r->y0,
                      r->x1, r->y1);
        o += b;
    }
    return o + "}";
}

}  // namespace aelab::app
