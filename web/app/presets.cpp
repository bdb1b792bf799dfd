// presets.cpp: see presets.hpp.
#include "presets.hpp"

#include "aelab/assets.hpp"

#include <algorithm>
#include <set>

namespace aelab::app {
namespace {

constexpr const char* kRecipeDir = "recipes/";
constexpr const char* kRecipeExt = ".txt";

bool valid_key(const std::string& k) {
    if (k.empty() || k.size() > 64 || k.front() == '-' || k.back() == '-') return false;
    for (char c : k)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
    return s.substr(a, b - a);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::string cur;
    for (char c : text) {
        if (c == '\n') {
            if (!cur.empty() && cur.back() == '\r') cur.pop_back();
            lines.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) lines.push_back(cur);
    return lines;
}

// The CLI-only line "valid=5000&...".
void parse_cli_line(const std::string& v, Preset& p, const std::string& where) {
    size_t start = 0;
    while (start <= v.size()) {
        size_t amp = v.find('&', start);
        if (amp == std::string::npos) amp = v.size();
        const std::string part = v.substr(start, amp - start);
        start = amp + 1;
        if (part.empty()) continue;
        const size_t eq = part.find('=');
        const std::string k = part.substr(0, eq), val = eq == std::string::npos ? "" : part.substr(eq + 1);
        if (k == "valid") {
            long n = 0;
            bool ok = !val.empty() && val.size() <= 6;
            for (char c : val) ok = ok && c >= '0' && c <= '9';
            if (ok) n = std::stol(val);
            if (!ok || n < 1 || n > 59999) throw Error(where + "cli valid='" + val + "': want an integer 1..59999");
            p.valid = n;
        } else {
            throw Error(where + "unknown cli setting '" + k + "' (valid: valid)");
        }
    }
}

std::vector<Preset> load_presets() {
    std::vector<Preset> v;
    for (const auto& a : assets::all()) {
        const std::string path(a.path);
        if (path.rfind(kRecipeDir, 0) != 0) continue;
        const std::string name = path.substr(std::string(kRecipeDir).size());
        const std::string ext = kRecipeExt;
        if (name.size() <= ext.size() || name.compare(name.size() - ext.size(), ext.size(), ext) != 0)
            throw Error("assets/" + path + ": a recipe file must be named <key>.txt");
        v.push_back(parse_recipe(name.substr(0, name.size() - ext.size()), std::string(a.text)));
    }
    if (v.empty()) throw Error("no recipes embedded (assets/recipes/*.txt)");
    std::sort(v.begin(), v.end(), [](const Preset& a, const Preset& b) { return a.order < b.order; });
    std::set<std::string> names;
    std::set<int> orders;
    for (const Preset& p : v) {
        if (!orders.insert(p.order).second)
            throw Error("recipe " + p.key + ": order " + std::to_string(p.order) + " is used twice");
        if (!names.insert(p.key).second) throw Error("recipe key " + p.key + " is used twice");
        for (const auto& al : p.aliases)
            if (!names.insert(al).second) throw Error("recipe " + p.key + ": alias " + al + " is already a key or alias");
    }
    return v;
}

}  // namespace

Preset parse_recipe(const std::string& key, const std::string& text) {
    const std::string who = "recipe " + key;
    if (!valid_key(key)) throw Error(who + ": a key is 1..64 of a-z, 0-9 and '-' (not at the ends)");
    Preset p;
    p.key = key;
    const std::vector<std::string> lines = lines_of(text);
    bool have_title = false, have_order = false, have_query = false, have_cli = false, have_alias = false;
    size_t i = 0;
    for (; i < lines.size() && !lines[i].empty(); ++i) {
        const std::string where = who + ", line " + std::to_string(i + 1) + ": ";
        const std::string& ln = lines[i];
        const size_t colon = ln.find(':');
        if (colon == std::string::npos || colon == 0)
            throw Error(where + "want 'field: value' (fields: title, order, query, cli, alias) or an empty line "
                                "before the paragraph");
        const std::string field = ln.substr(0, colon), value = trim(ln.substr(colon + 1));
        auto once = [&](bool& seen) {
            if (seen) throw Error(where + "'" + field + "' given twice");
            seen = true;
            if (value.empty()) throw Error(where + "'" + field + "' is empty");
        };
        if (field == "title") {
            once(have_title);
            if (value.size() > 80) throw Error(where + "title longer than 80 characters");
            p.title = value;
        } else if (field == "order") {
            once(have_order);
            bool ok = value.size() <= 4;
            for (char c : value) ok = ok && c >= '0' && c <= '9';
            if (!ok) throw Error(where + "order '" + value + "': want an integer 0..9999");
            p.order = std::stoi(value);
        } else if (field == "query") {
            once(have_query);
            QueryResult r = apply_query(value, Settings{});
            if (!r.messages.empty()) throw Error(where + "query: " + r.messages.front());
            p.query = value;
            p.settings = r.settings;
        } else if (field == "cli") {
            once(have_cli);
            parse_cli_line(value, p, where);
        } else if (field == "alias") {
            once(have_alias);
            size_t start = 0;
            while (start <= value.size()) {
                size_t comma = value.find(',', start);
                if (comma == std::string::npos) comma = value.size();
                const std::string al = trim(value.substr(start, comma - start));
                start = comma + 1;
                if (!valid_key(al) || al == key) throw Error(where + "alias '" + al + "' is not a valid other key");
                p.aliases.push_back(al);
            }
        } else {
            throw Error(where + "unknown field '" + field + "' (fields: title, order, query, cli, alias)");
        }
    }
    if (!have_title) throw Error(who + ": no 'title:' line");
    if (!have_order) throw Error(who + ": no 'order:' line");
    if (!have_query) throw Error(who + ": no 'query:' line");
    if (i >= lines.size()) throw Error(who + ", line " + std::to_string(i + 1) + ": the explanation paragraph is missing (an empty line, then the text)");
    ++i;  // the empty line
    if (i >= lines.size() || trim(lines[i]).empty())
        throw Error(who + ", line " + std::to_string(i + 1) + ": want the explanation paragraph after one empty line");
    for (; i < lines.size(); ++i) {
        const std::string t = trim(lines[i]);
        if (t.empty()) {
            for (size_t j = i; j < lines.size(); ++j)
                if (!trim(lines[j]).empty())
                    throw Error(who + ", line " + std::to_string(j + 1) +
                                ": text after the paragraph (a recipe has one paragraph)");
            break;
        }
        p.description += (p.description.empty() ? "" : " ") + t;
    }
    p.settings.preset = key;
    return p;
}

const std::vector<Preset>& presets() {
    static const std::vector<Preset> v = load_presets();
    return v;
}

const Preset* find_preset(const std::string& key) {
    for (const auto& p : presets())
        if (p.key == key) return &p;
    for (const auto& p : presets())
        for (const auto& al : p.aliases)
            if (al == key) return &p;
    return nullptr;
}

const char* default_preset_key() { return "linear-mnist"; }

Settings default_settings() { return find_preset(default_preset_key())->settings; }

std::vector<std::pair<std::string, std::string>> recipe_cli_options(const Preset& p) {
    const Settings& s = p.settings;
    std::vector<std::pair<std::string, std::string>> o;
    o.emplace_back("data", dataset_key(s.dataset));
    // The optimizer, schedule and split: the same options for every model kind.
    auto tail = [&]() {
        o.emplace_back("opt", optimizer_name(s.opt));
        o.emplace_back("lr", format_number(s.lr));
        o.emplace_back("batch", std::to_string(s.batch));
        o.emplace_back("seed", std::to_string(s.seed));
        if (s.epochs > 0) o.emplace_back("epochs", std::to_string(s.epochs));
        if (p.valid > 0) o.emplace_back("valid", std::to_string(p.valid));
        return o;
    };
    if (s.is_graph()) {  // a layer graph: --model, --arch (the net, or the dense VAE's widths), --loss, --beta
        o.emplace_back("model", s.vae ? "vae" : "ae");
        if (!s.net.empty()) {
            o.emplace_back("arch", s.net);
        } else {
            std::string arch = std::to_string(dataset_dim(s.dataset));
            for (int w : s.hidden) arch += "-" + std::to_string(w);
            o.emplace_back("arch", arch + "-" + std::to_string(s.latent));
            if (!s.all_acts_equal())
                throw Error("recipe " + p.key + ": the CLI takes one hidden activation (--act), the recipe has several");
            o.emplace_back("act", activation_name(s.acts.empty() ? Activation::ReLU : s.acts.front()));
        }
        o.emplace_back("loss", loss_name(s.loss));
        if (s.vae && s.beta != 1.0) o.emplace_back("beta", format_number(s.beta));
        return tail();
    }
    std::string arch = std::to_string(dataset_dim(s.dataset));
    for (int w : s.hidden) arch += "-" + std::to_string(w);
    arch += "-" + std::to_string(s.latent);
    o.emplace_back("arch", arch);
    if (!s.acts.empty()) {
        if (!s.all_acts_equal())
            throw Error("recipe " + p.key + ": the CLI takes one hidden activation (--act), the recipe has several");
        o.emplace_back("act", activation_name(s.acts.front()));
    }
    o.emplace_back("latent-act", activation_name(s.code_act));
    o.emplace_back("out-act", activation_name(s.out_act));
    o.emplace_back("loss", loss_name(s.loss));
    if (s.tied) o.emplace_back("tied", "");
    if (s.weight_decay != 0) o.emplace_back("weight-decay", format_number(s.weight_decay));
    if (s.contractive != 0) o.emplace_back("contractive", format_number(s.contractive));
    if (s.pretrain) {  // the CLI's --epochs is then the total budget (phases x pe + fine-tuning)
        o.emplace_back("pretrain", "layerwise");
        o.emplace_back("pretrain-epochs", std::to_string(s.pretrain_epochs));
    }
    if (s.sparsity != Sparsity::None) {
        o.emplace_back("sparsity", sparsity_name(s.sparsity));
        o.emplace_back("sparsity-weight", format_number(s.sparsity_weight));
        if (s.sparsity == Sparsity::KL) o.emplace_back("sparsity-target", format_number(s.sparsity_target));
    }
    if (s.noise != Noise::None) {
        o.emplace_back("noise", noise_name(s.noise));
        o.emplace_back("noise-level", format_number(s.noise_level));
    }
    if (s.dataset == DatasetKind::Gauss2D) {  // the course's Gaussian is the CLI's default too
        const Gauss2D def;
        if (s.gauss.mean[0] != def.mean[0] || s.gauss.mean[1] != def.mean[1])
            o.emplace_back("mu", format_number(s.gauss.mean[0]) + "," + format_number(s.gauss.mean[1]));
        if (s.gauss.c00 != def.c00 || s.gauss.c01 != def.c01 || s.gauss.c11 != def.c11)
            o.emplace_back("cov", format_number(s.gauss.c00) + "," + format_number(s.gauss.c01) + "," +
                                      format_number(s.gauss.c11));
        if (s.gauss.seed != def.seed) o.emplace_back("npseed", std::to_string(s.gauss.seed));
    }
    return tail();
}

}  // namespace aelab::app
