// help.cpp: see help.hpp.
#include "help.hpp"

#include "aelab/assets.hpp"
#include "aelab/common.hpp"

#include <cstdio>

namespace aelab::app {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool valid_key(std::string_view k) {
    if (k.empty()) return false;
    for (char c : k)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    return true;
}

[[noreturn]] void fail(std::string_view name, int line, const char* what, std::string_view detail) {
    char b[64];
    std::snprintf(b, sizeof b, " line %d: ", line);
    throw Error(std::string(name) + b + what + " \"" + std::string(detail) + "\"");
}

const HelpEntry* find_entry(const std::vector<HelpEntry>& v, std::string_view key) {
    for (const HelpEntry& e : v)
        if (e.key == key) return &e;
    return nullptr;
}

std::string g_hovered;
int g_missing = 0;
std::vector<ItemRect> g_items;

}  // namespace

std::vector<HelpEntry> parse_help(std::string_view text, std::string_view name) {
    std::vector<HelpEntry> out;
    int line_no = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        const std::string_view raw = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++line_no;
        const std::string_view t = trim(raw);
        if (t.empty() || t[0] == '#') continue;
        if (raw[0] == ' ' || raw[0] == '\t') fail(name, line_no, "an indented line (one `key = text` per line)", t);
        const std::size_t eq = t.find('=');
        if (eq == std::string_view::npos) fail(name, line_no, "expected `key = text`, got", t);
        const HelpEntry e{trim(t.substr(0, eq)), trim(t.substr(eq + 1))};
        if (!valid_key(e.key)) fail(name, line_no, "bad key (letters, digits, '.', '_', '-')", e.key);
        if (e.text.empty()) fail(name, line_no, "no text for key", e.key);
        if (find_entry(out, e.key)) fail(name, line_no, "key appears twice:", e.key);
        out.push_back(e);
    }
    return out;
}

const std::vector<HelpEntry>& help_texts() {
    static const std::vector<HelpEntry> all = [] {
        std::vector<HelpEntry> v;
        for (const auto& a : assets::all()) {
            if (a.path.rfind("help/", 0) != 0) continue;
            for (const HelpEntry& e : parse_help(a.text, a.path)) {
                if (find_entry(v, e.key)) fail(a.path, 0, "key also in another help file:", e.key);
                v.push_back(e);
            }
        }
        return v;
    }();
    return all;
}

const std::vector<const char*>& ui_help_keys() {
    static const std::vector<const char*> keys = {
        // control column
        "train.play", "train.step", "train.reset", "train.speed", "train.budget", "data.set", "model.hidden",
        "model.remove", "model.add", "model.latent", "model.hidden_act", "model.per_layer", "model.code_act",
        "model.out_act", "model.loss", "model.tied", "model.seed", "model.pretrain", "model.pretrain_epochs", "reg.noise", "reg.noise_level", "reg.sparsity",
        "reg.sparsity_weight", "reg.target_rate", "reg.weight_decay", "reg.contractive", "opt.optimizer", "opt.lr", "opt.batch",
        // the Monte Carlo search's settings and panel (panel_mc.cpp)
        "opt.mc_pop", "opt.mc_dist", "opt.mc_temp", "opt.mc_anneal", "opt.mc_bounds", "opt.mc_groups", "opt.mc_tol",
        "opt.mc_archive", "mc.param", "mc.landscape", "panel.mc",
        "file.save", "file.load", "guard.undo", "guard.dismiss", "confirm.rebuild", "confirm.keep",
        // layer graphs: model kind, VAE beta, a preset's net (panel_model.cpp)
        "model.kind", "model.kind_images", "model.beta", "model.beta_zero", "model.net", "model.net_drop",
        // panels' own controls
        "loss.log", "loss.knn", "scatter.thumbs", "recon.activity", "recon.sorted", "recon.sensitivity",
        "recon.sens_direction", "recon.sens_image", "decoder.manifold", "decoder.ab",
        "decoder.clear", "data.layers", "data.reset_view", "gauss.fields", "gauss.course", "decoder.prior",
        "decoder.traversal", "scatter.ellipses",
        // the latent scatter's projection (panel_scatter.cpp, scatter_proj.hpp)
        "scatter.proj", "scatter.dims", "scatter.kernel", "scatter.gamma",
        // "Your data" (panel_userdata.cpp)
        "user.label", "user.header", "user.skip", "user.scaling", "user.test", "user.open", "user.codes", "user.png",
        // panel captions
        "panel.loss", "panel.loss_vae", "panel.scatter", "panel.recon", "panel.decoder", "panel.pca", "panel.data",
        "panel.gauss", "panel.classify",
        // the classifier table (panel_classify.cpp)
        "classify.compute"};
    return keys;
}

std::string_view help_text(std::string_view key) {
    bool listed = false;
    for (const char* k : ui_help_keys()) listed = listed || key == k;
    const HelpEntry* e = listed ? find_entry(help_texts(), key) : nullptr;
    if (!e) {
        ++g_missing;
        return {};
    }
    return e->text;
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
    std::string o = "{";
    char b[160];
    for (std::size_t i = 0; i < g_items.size(); ++i) {
        const ItemRect& r = g_items[i];
        bool later = false;  // a repeated key: its last rectangle counts
        for (std::size_t j = i + 1; j < g_items.size() && !later; ++j) later = g_items[j].key == r.key;
        if (later) continue;
        std::snprintf(b, sizeof b, "%s\"%s\":[%.1f,%.1f,%.1f,%.1f]", o.size() > 1 ? "," : "", r.key.c_str(), r.x0, r.y0,
                      r.x1, r.y1);
        o += b;
    }
    return o + "}";
}

}  // namespace aelab::app
