// state.cpp: see state.hpp.
#include "state.hpp"

#include "presets.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace aelab::app {

// ---- data sets and panels --------------------------------------------------------------

const char* dataset_key(DatasetKind d) {
    switch (d) {
        case DatasetKind::Gauss2D: return "gauss2d";
        case DatasetKind::Curved3D: return "curved3d";
        case DatasetKind::SwissRoll: return "swissroll";
        case DatasetKind::MNIST: return "mnist";
        case DatasetKind::Fashion: return "fashion";
    }
    return "?";
}

const char* dataset_label(DatasetKind d) {
    switch (d) {
        case DatasetKind::Gauss2D: return "2-D Gaussian";
        case DatasetKind::Curved3D: return "3-D curved band";
        case DatasetKind::SwissRoll: return "Swiss roll (3-D)";
        case DatasetKind::MNIST: return "MNIST digits";
        case DatasetKind::Fashion: return "Fashion-MNIST";
    }
    return "?";
}

bool parse_dataset(const std::string& key, DatasetKind* out) {
    for (int i = 0; i < kNumDatasets; ++i) {
        auto d = static_cast<DatasetKind>(i);
        if (key == dataset_key(d)) {
            *out = d;
            return true;
        }
    }
    return false;
}

bool is_image_dataset(DatasetKind d) { return d == DatasetKind::MNIST || d == DatasetKind::Fashion; }

int dataset_dim(DatasetKind d) {
    switch (d) {
        case DatasetKind::Gauss2D: return 2;
        case DatasetKind::Curved3D:
        case DatasetKind::SwissRoll: return 3;
        default: return 784;
    }
}

const char* panel_key(Panel p) {
    switch (p) {
        case kPanelControls: return "controls";
        case kPanelLoss: return "loss";
        case kPanelScatter: return "scatter";
        case kPanelRecon: return "recon";
        case kPanelDecoder: return "decoder";
        case kPanelPca: return "pca";
        case kPanelData: return "data";
    }
    return "?";
}

const std::vector<Panel>& all_panels() {
    static const std::vector<Panel> v = {kPanelControls, kPanelLoss, kPanelScatter, kPanelRecon,
                                         kPanelDecoder,  kPanelPca,  kPanelData};
    return v;
}

// ---- Settings ----------------------------------------------------------------------------

void Settings::set_all_acts(Activation a) { acts.assign(2 * hidden.size(), a); }

void Settings::fit_acts() {
    const Activation fill = acts.empty() ? Activation::ReLU : acts.front();
    acts.resize(2 * hidden.size(), fill);
}

bool Settings::all_acts_equal() const {
    for (auto a : acts)
        if (a != acts.front()) return false;
    return true;
}

AEConfig Settings::model_config(int input_dim) const {
    AEConfig c;
    c.input_dim = input_dim;
    c.encoder = hidden;
    c.latent = latent;
    c.mirror_decoder = true;
    c.hidden_act = acts.empty() ? Activation::ReLU : acts.front();
    if (acts.size() == 2 * hidden.size() && !hidden.empty()) c.hidden_acts = acts;
    c.latent_act = code_act;
    c.output_act = out_act;
    c.loss = loss;
    c.tied = tied;
    return c;
}

OptimizerConfig Settings::optimizer_config() const {
    OptimizerConfig c = OptimizerConfig::defaults_for(opt);
    c.lr = lr;
    c.seed = seed;
    return c;
}

bool Settings::shape_differs(const Settings& a, const Settings& b) {
    return a.dataset != b.dataset || a.hidden != b.hidden || a.latent != b.latent || a.acts != b.acts ||
           a.code_act != b.code_act || a.out_act != b.out_act || a.loss != b.loss || a.tied != b.tied ||
           a.seed != b.seed;
}

bool Settings::operator==(const Settings& o) const {
    return preset == o.preset && !shape_differs(*this, o) && opt == o.opt && lr == o.lr && batch == o.batch &&
           speed == o.speed && budget_ms == o.budget_ms && autoplay == o.autoplay && logy == o.logy &&
           hide == o.hide;
}

void sanitize(Settings& s, std::vector<std::string>* messages) {
    auto say = [&](const std::string& m) {
        if (messages) messages->push_back(m);
    };
    if (s.hidden.size() > static_cast<size_t>(kMaxHiddenLayers)) {
        s.hidden.resize(kMaxHiddenLayers);
        say("at most " + std::to_string(kMaxHiddenLayers) + " hidden layers; extra ones dropped");
    }
    for (int& w : s.hidden)
        if (w < 1 || w > kMaxWidth) {
            say("hidden width " + std::to_string(w) + " out of range 1.." + std::to_string(kMaxWidth) + "; using 32");
            w = 32;
        }
    if (s.acts.size() != 2 * s.hidden.size()) s.fit_acts();
    const int dim = dataset_dim(s.dataset);
    if (s.latent < 1 || s.latent > kMaxLatent) {
        say("latent size " + std::to_string(s.latent) + " out of range 1.." + std::to_string(kMaxLatent) + "; using 2");
        s.latent = 2;
    }
    if (s.latent >= dim) {
        const int k = dim - 1;
        say("latent size " + std::to_string(s.latent) + " must be below the data dimension " + std::to_string(dim) +
            " of " + dataset_label(s.dataset) + "; using " + std::to_string(k));
        s.latent = k;
    }
    if (s.out_act != Activation::Identity && s.out_act != Activation::Sigmoid) {
        say(std::string("output activation must be linear or sigmoid, not ") + activation_name(s.out_act) +
            "; using linear");
        s.out_act = Activation::Identity;
    }
    if (s.loss == ReconLoss::BCE && s.out_act != Activation::Sigmoid) {
        say("loss bce needs a sigmoid output; output set to sigmoid");
        s.out_act = Activation::Sigmoid;
    }
    if (s.loss == ReconLoss::BCE && !is_image_dataset(s.dataset)) {
        say("loss bce needs data in [0, 1] (an image data set); using mse");
        s.loss = ReconLoss::MSE;
    }
    if (!(std::isfinite(s.lr) && s.lr > 0 && s.lr <= 10)) {
        say("learning rate must be in (0, 10]; using 0.001");
        s.lr = 1e-3;
    }
    if (s.batch < 1 || s.batch > kMaxBatch) {
        say("batch size must be in 1.." + std::to_string(kMaxBatch) + "; using 100");
        s.batch = 100;
    }
    if (s.speed < 1 || s.speed > 100000) {
        say("speed must be in 1..100000; using 100000");
        s.speed = 100000;
    }
    if (!(std::isfinite(s.budget_ms) && s.budget_ms >= 1 && s.budget_ms <= 40)) {
        say("budget must be in 1..40 ms; using 8");
        s.budget_ms = 8;
    }
}

// ---- URL encoding -------------------------------------------------------------------------

std::string url_decode(const std::string& s) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string url_encode(const std::string& s) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~' || c == ',') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

std::string format_widths(const std::vector<int>& w) {
    if (w.empty()) return "none";
    std::string s;
    for (size_t i = 0; i < w.size(); ++i) s += (i ? "-" : "") + std::to_string(w[i]);
    return s;
}

namespace {

// Shown values are truncated and stripped of control characters (they come from a URL).
std::string shown(const std::string& v) {
    std::string o;
    for (char c : v.substr(0, 40))
        o += (static_cast<unsigned char>(c) < 32 || c == 127) ? '?' : c;
    if (v.size() > 40) o += "...";
    return "'" + o + "'";
}

bool parse_long(const std::string& v, long long lo, long long hi, long long* out) {
    if (v.empty() || v.size() > 20) return false;
    for (size_t i = 0; i < v.size(); ++i)
        if (!(v[i] >= '0' && v[i] <= '9') && !(i == 0 && v[i] == '-')) return false;
    errno = 0;
    char* end = nullptr;
    const long long x = std::strtoll(v.c_str(), &end, 10);
    if (errno != 0 || end != v.c_str() + v.size() || x < lo || x > hi) return false;
    *out = x;
    return true;
}

bool parse_number(const std::string& v, double* out) { return v.size() <= 40 && parse_decimal(v, out); }

bool parse_bool(const std::string& v, bool* out) {
    if (v == "1" || v == "true" || v == "yes" || v == "on") return *out = true, true;
    if (v == "0" || v == "false" || v == "no" || v == "off") return *out = false, true;
    return false;
}

bool parse_act(const std::string& v, Activation* out) {
    try {
        *out = parse_activation(v);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    return parts;
}


std::string acts_string(const Settings& s) {
    if (s.acts.empty()) return "";
    if (s.all_acts_equal()) return activation_name(s.acts.front());
    std::string o;
    for (size_t i = 0; i < s.acts.size(); ++i) o += std::string(i ? "," : "") + activation_name(s.acts[i]);
    return o;
}

std::string hide_string(unsigned hide) {
    std::string o;
    for (Panel p : all_panels())
        if (hide & p) o += std::string(o.empty() ? "" : ",") + panel_key(p);
    return o;
}

}  // namespace

QueryResult parse_query(const std::string& query_in) {
    QueryResult r;
    std::string query = query_in;
    if (!query.empty() && query[0] == '?') query.erase(0, 1);
    if (query.size() > 4096) {
        r.messages.push_back("URL query longer than 4096 characters: ignored");
        query.clear();
    }
    // Pass 1: key/value pairs (later duplicates win) and the preset.
    std::vector<std::pair<std::string, std::string>> kv;
    for (const std::string& part : split(query, '&')) {
        if (part.empty()) continue;
        const size_t eq = part.find('=');
        std::string k = url_decode(part.substr(0, eq));
        std::string v = eq == std::string::npos ? "" : url_decode(part.substr(eq + 1));
        kv.emplace_back(k, v);
    }
    Settings& s = r.settings;
    s = default_settings();
    std::string preset_value;
    bool have_preset = false;
    for (const auto& [k, v] : kv)
        if (k == "preset") {
            preset_value = v;
            have_preset = true;
        }
    if (have_preset) {
        if (const Preset* p = find_preset(preset_value)) {
            s = p->settings;
        } else {
            std::string valid;
            for (const auto& p : presets()) valid += (valid.empty() ? "" : ", ") + p.key;
            r.messages.push_back("unknown preset " + shown(preset_value) + " (valid: " + valid + "); using " +
                                 default_preset_key());
        }
    }
    const Settings base = s;
    bool any_override = false;
    std::string act_value;
    bool have_act = false;
    auto bad = [&](const std::string& k, const std::string& v, const std::string& why) {
        r.messages.push_back("ignored " + k + "=" + shown(v) + ": " + why);
    };
    for (const auto& [k, v] : kv) {
        if (k == "preset") continue;
        long long n = 0;
        double x = 0;
        bool b = false;
        if (k == "dataset") {
            DatasetKind d;
            if (parse_dataset(v, &d)) {
                if (d != s.dataset) any_override = true;
                s.dataset = d;
            } else {
                bad(k, v, "valid: gauss2d, curved3d, swissroll, mnist, fashion");
            }
        } else if (k == "arch") {
            if (v.empty() || v == "none" || v == "0") {
                s.hidden.clear();
                any_override = true;
                continue;
            }
            std::vector<int> w;
            bool ok = true;
            for (const std::string& t : split(v, '-')) {
                if (!parse_long(t, 1, kMaxWidth, &n)) {
                    ok = false;
                    break;
                }
                w.push_back(static_cast<int>(n));
            }
            if (ok && w.size() > static_cast<size_t>(kMaxHiddenLayers)) ok = false;
            if (ok) {
                s.hidden = w;
                any_override = true;
            } else {
                bad(k, v, "want hidden widths like 128-32 (1.." + std::to_string(kMaxWidth) + ", at most " +
                              std::to_string(kMaxHiddenLayers) + " layers)");
            }
        } else if (k == "k" || k == "latent") {
            if (parse_long(v, 1, kMaxLatent, &n)) {
                s.latent = static_cast<int>(n);
                any_override = true;
            } else {
                bad(k, v, "want an integer 1.." + std::to_string(kMaxLatent));
            }
        } else if (k == "act") {
            act_value = v;  // applied after arch (its length depends on the layer count)
            have_act = true;
        } else if (k == "code" || k == "out") {
            Activation a;
            if (parse_act(v, &a)) {
                (k == "code" ? s.code_act : s.out_act) = a;
                any_override = true;
            } else {
                bad(k, v, "unknown activation");
            }
        } else if (k == "loss") {
            if (v == "mse") s.loss = ReconLoss::MSE;
            else if (v == "bce") s.loss = ReconLoss::BCE;
            else { bad(k, v, "valid: mse, bce"); continue; }
            any_override = true;
        } else if (k == "opt") {
            try {
                s.opt = parse_optimizer(v);
                any_override = true;
            } catch (const std::exception&) {
                bad(k, v, "valid: sgd, adagrad, rmsprop, adam, adamw, lbfgs, mc");
            }
        } else if (k == "lr") {
            if (parse_number(v, &x) && x > 0 && x <= 10) {
                s.lr = x;
                any_override = true;
            } else {
                bad(k, v, "want a number in (0, 10]");
            }
        } else if (k == "batch") {
            if (parse_long(v, 1, kMaxBatch, &n)) {
                s.batch = static_cast<int>(n);
                any_override = true;
            } else {
                bad(k, v, "want an integer 1.." + std::to_string(kMaxBatch));
            }
        } else if (k == "seed") {
            if (parse_long(v, 0, 9007199254740992LL, &n)) {
                s.seed = static_cast<std::uint64_t>(n);
                any_override = true;
            } else {
                bad(k, v, "want an integer 0..2^53");
            }
        } else if (k == "speed") {
            if (parse_long(v, 1, 100000, &n)) {
                s.speed = static_cast<int>(n);
                any_override = true;
            } else {
                bad(k, v, "want steps per frame 1..100000");
            }
        } else if (k == "budget") {
            if (parse_number(v, &x) && x >= 1 && x <= 40) {
                s.budget_ms = x;
                any_override = true;
            } else {
                bad(k, v, "want milliseconds per frame in 1..40");
            }
        } else if (k == "tied" || k == "autoplay" || k == "logy") {
            if (parse_bool(v, &b)) {
                (k == "tied" ? s.tied : k == "autoplay" ? s.autoplay : s.logy) = b;
                any_override = true;
            } else {
                bad(k, v, "want 0 or 1");
            }
        } else if (k == "hide") {
            unsigned h = 0;
            for (const std::string& t : split(v, ',')) {
                if (t.empty()) continue;
                bool found = false;
                for (Panel p : all_panels())
                    if (t == panel_key(p)) {
                        h |= p;
                        found = true;
                    }
                if (!found) bad(k, t, "unknown panel (valid: controls, loss, scatter, recon, decoder, pca, data)");
            }
            s.hide = h;
        } else {
            r.messages.push_back("unknown URL parameter " + shown(k) + " ignored");
        }
    }
    // Activations: one name for every hidden layer or one per hidden layer.
    if (have_act) {
        const std::vector<std::string> names = split(act_value, ',');
        std::vector<Activation> acts;
        bool ok = true;
        for (const auto& nm : names) {
            Activation a;
            if (!parse_act(nm, &a)) {
                ok = false;
                break;
            }
            acts.push_back(a);
        }
        const size_t nh = 2 * s.hidden.size();
        if (!ok) {
            bad("act", act_value, "unknown activation (valid: linear, sigmoid, tanh, relu, leaky_relu, elu, selu, softplus)");
        } else if (acts.size() == 1) {
            s.acts.assign(nh, acts[0]);
            any_override = true;
        } else if (acts.size() == nh) {
            s.acts = acts;
            any_override = true;
        } else if (acts.size() * 2 == nh) {  // encoder only: mirror for the decoder
            s.acts = acts;
            s.acts.insert(s.acts.end(), acts.rbegin(), acts.rend());
            any_override = true;
        } else {
            bad("act", act_value,
                "want 1 or " + std::to_string(nh) + " activations for " + std::to_string(s.hidden.size()) +
                    " hidden layers");
        }
    }
    if (s.acts.size() != 2 * s.hidden.size()) {
        const Activation a = base.acts.empty() ? Activation::ReLU : base.acts.front();
        s.acts.assign(2 * s.hidden.size(), a);
    }
    (void)any_override;
    sanitize(s, &r.messages);
    return r;
}

std::string to_query(const Settings& s) {
    const Preset* p = s.preset.empty() ? nullptr : find_preset(s.preset);
    const Settings base = p ? p->settings : default_settings();
    std::vector<std::pair<std::string, std::string>> kv;
    if (p) kv.emplace_back("preset", p->key);
    if (s.dataset != base.dataset) kv.emplace_back("dataset", dataset_key(s.dataset));
    if (s.hidden != base.hidden) kv.emplace_back("arch", format_widths(s.hidden));
    if (s.latent != base.latent) kv.emplace_back("k", std::to_string(s.latent));
    if (s.acts != base.acts && !s.acts.empty()) kv.emplace_back("act", acts_string(s));
    if (s.code_act != base.code_act) kv.emplace_back("code", activation_name(s.code_act));
    if (s.out_act != base.out_act) kv.emplace_back("out", activation_name(s.out_act));
    if (s.loss != base.loss) kv.emplace_back("loss", loss_name(s.loss));
    if (s.opt != base.opt) kv.emplace_back("opt", optimizer_name(s.opt));
    if (s.lr != base.lr) kv.emplace_back("lr", format_number(s.lr));
    if (s.batch != base.batch) kv.emplace_back("batch", std::to_string(s.batch));
    if (s.tied != base.tied) kv.emplace_back("tied", s.tied ? "1" : "0");
    if (s.seed != base.seed) kv.emplace_back("seed", std::to_string(s.seed));
    if (s.speed != base.speed) kv.emplace_back("speed", std::to_string(s.speed));
    if (s.budget_ms != base.budget_ms) kv.emplace_back("budget", format_number(s.budget_ms));
    if (s.autoplay != base.autoplay) kv.emplace_back("autoplay", s.autoplay ? "1" : "0");
    if (s.logy != base.logy) kv.emplace_back("logy", s.logy ? "1" : "0");
    if (s.hide != base.hide) kv.emplace_back("hide", hide_string(s.hide));
    std::string q;
    for (const auto& [k, v] : kv) q += (q.empty() ? "" : "&") + k + "=" + url_encode(v);
    return q;
}

}  // namespace aelab::app
