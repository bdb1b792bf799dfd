// query.cpp: the URL form of the settings (parse_query, apply_query, to_query, url_encode...),
// declared in state.hpp; split from state.cpp by job (settings vs their URL syntax).
#include "state.hpp"

#include "layout.hpp"
#include "presets.hpp"
#include "query_mc.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace aelab::app {

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
            c == '.' || c == '~' || c == ',' || c == ':') {
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


using KeyValues = std::vector<std::pair<std::string, std::string>>;

KeyValues split_query(std::string query, std::vector<std::string>* messages) {
    if (!query.empty() && query[0] == '?') query.erase(0, 1);
    if (query.size() > 4096) {
        messages->push_back("URL query longer than 4096 characters: ignored");
        query.clear();
    }
    KeyValues kv;
    for (const std::string& part : split(query, '&')) {
        if (part.empty()) continue;
        const size_t eq = part.find('=');
        std::string k = url_decode(part.substr(0, eq));
        std::string v = eq == std::string::npos ? "" : url_decode(part.substr(eq + 1));
        kv.emplace_back(k, v);
    }
    return kv;
}

// "gaussian:0.2" -> a kind read by core's `parse` (which throws on an unknown name), then up
// to max_levels numbers (decimal, as everywhere in the URL). False on any deviation.
template <class Kind, class Parse>
bool kind_and_levels(const std::string& v, Parse parse, size_t max_levels, Kind* kind, std::vector<double>* levels) {
    const std::vector<std::string> parts = split(v, ':');
    if (parts.size() > 1 + max_levels) return false;
    try {
        *kind = parse(parts[0]);
    } catch (const std::exception&) {
        return false;
    }
    levels->clear();
    for (size_t i = 1; i < parts.size(); ++i) {
        double x = 0;
        if (!parse_number(parts[i], &x)) return false;
        levels->push_back(x);
    }
    return true;
}

// Every key except "preset" applied to s (later duplicates win); the repairs of sanitize()
// follow in the callers.
void apply_pairs(const KeyValues& kv, Settings& s, std::vector<std::string>& messages) {
    const Settings base = s;
    bool any_override = false;
    std::string act_value;
    bool have_act = false;
    auto bad = [&](const std::string& k, const std::string& v, const std::string& why) {
        messages.push_back("ignored " + k + "=" + shown(v) + ": " + why);
    };
    for (const auto& [k, v] : kv) {
        if (k == "preset") {
            messages.push_back("preset " + shown(v) + " ignored: a preset can only start a URL query, not a recipe");
            continue;
        }
        long long n = 0;
        double x = 0;
        bool b = false;
        if (apply_mc_key(k, v, s, messages)) {
            any_override = true;
        } else if (k == "dataset") {
            DatasetKind d;
            if (parse_dataset(v, &d)) {
                if (d != s.dataset) any_override = true;
                s.dataset = d;
            } else {
                bad(k, v, "valid: gauss2d, curved3d, swissroll, mnist, fashion, geron3d, breast-cancer, wine");
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
        } else if (k == "mcpop") {
            if (parse_long(v, 1, 10000, &n)) {
                s.mc_pop = static_cast<int>(n);
                any_override = true;
            } else {
                bad(k, v, "want the Monte Carlo population, an integer 1..10000");
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
        } else if (k == "tied" || k == "autoplay" || k == "logy" || k == "thumbs") {
            if (parse_bool(v, &b)) {
                (k == "tied" ? s.tied : k == "autoplay" ? s.autoplay : k == "logy" ? s.logy : s.thumbs) = b;
                any_override = true;
            } else {
                bad(k, v, "want 0 or 1");
            }
        } else if (k == "proj") {
            if (!parse_projection(v, &s.proj)) bad(k, v, "want dims, pca, tsne or kpca");
        } else if (k == "gamma") {
            if (parse_number(v, &x) && kpca_gamma_ok(x)) s.kpca_gamma = x;
            else bad(k, v, "want kernel PCA's gamma in 0.001..1000");
        } else if (k == "kernel") {
            try {
                s.kpca_kernel = parse_kernel(v);
            } catch (const std::exception&) {
                bad(k, v, "want rbf, poly, sigmoid, cosine or linear");
            }
        } else if (k == "dims") {
            const size_t comma = v.find(',');
            long long a = 0, c = 0;
            if (comma != std::string::npos && parse_long(v.substr(0, comma), 1, kMaxLatent, &a) &&
                parse_long(v.substr(comma + 1), 1, kMaxLatent, &c) && a != c) {
                s.dim_i = static_cast<int>(a - 1);
                s.dim_j = static_cast<int>(c - 1);
            } else {
                bad(k, v, "want two different code dims I,J in 1.." + std::to_string(kMaxLatent));
            }
        } else if (k == "noise") {
            std::vector<double> lv;
            Noise nz = Noise::None;
            bool ok = kind_and_levels(v, parse_noise, 1, &nz, &lv);
            if (ok && nz == Noise::None && !lv.empty()) ok = false;
            if (ok && !lv.empty() && !(nz == Noise::Gaussian ? lv[0] >= 0 && lv[0] <= 10 : lv[0] >= 0 && lv[0] < 1))
                ok = false;
            if (ok) {
                s.noise = nz;
                s.noise_level = nz == Noise::None ? 0 : lv.empty() ? 0.2 : lv[0];
            } else {
                bad(k, v, "want none, gaussian:STDDEV (0..10), masking:P, salt_pepper:P or dropout:P (P in [0, 1))");
            }
        } else if (k == "sparse") {
            std::vector<double> lv;
            Sparsity sp = Sparsity::None;
            bool ok = kind_and_levels(v, parse_sparsity, 2, &sp, &lv);
            const size_t max_lv = sp == Sparsity::KL ? 2 : sp == Sparsity::L1 ? 1 : 0;
            if (ok && lv.size() > max_lv) ok = false;
            if (ok && !lv.empty() && !(lv[0] >= 0 && lv[0] <= 1000)) ok = false;
            if (ok && lv.size() > 1 && !(lv[1] > 0 && lv[1] < 1)) ok = false;
            if (ok) {
                s.sparsity = sp;
                s.sparsity_weight = sp == Sparsity::None ? 0 : lv.empty() ? 1e-3 : lv[0];
                s.sparsity_target = lv.size() > 1 ? lv[1] : 0.05;
            } else {
                bad(k, v, "want none, l1:WEIGHT or kl:WEIGHT:TARGET (WEIGHT in [0, 1000], TARGET in (0, 1))");
            }
        } else if (k == "model") {
            if (v == "ae" || v == "vae") s.vae = v == "vae";
            else bad(k, v, "want ae or vae");
        } else if (k == "net") {
            s.net = v;  // sanitize() parses it against the data set's dimension
        } else if (k == "beta") {
            if (parse_number(v, &x) && x >= 0 && x <= 1000) s.beta = x;
            else bad(k, v, "want the KL weight beta in [0, 1000]");
        } else if (k == "wd") {
            if (parse_number(v, &x) && x >= 0 && x < 1) s.weight_decay = x;
            else bad(k, v, "want a weight decay in [0, 1)");
        } else if (k == "pretrain") {
            if (v == "layerwise" || v == "none") s.pretrain = v == "layerwise";
            else bad(k, v, "want layerwise or none");
        } else if (k == "pe") {
            if (parse_long(v, 1, kMaxPretrainEpochs, &n)) s.pretrain_epochs = static_cast<int>(n);
            else bad(k, v, "want the epochs of each pretraining phase, an integer 1.." + std::to_string(kMaxPretrainEpochs));
        } else if (k == "cae") {
            if (parse_number(v, &x) && x >= 0 && x <= 100) s.contractive = x;
            else bad(k, v, "want the contractive penalty lambda in [0, 100]");
        } else if (k == "mu" || k == "cov") {
            // Comma-separated numbers: mu = mean (2), cov = c00,c01,c11 (3); a covariance that
            // validate() refuses keeps the previous Gaussian, with validate()'s reason.
            const std::vector<std::string> parts = split(v, ',');
            const size_t want = k == "mu" ? 2 : 3;
            double x3[3] = {0, 0, 0};
            bool ok = parts.size() == want;
            for (size_t i = 0; ok && i < want; ++i) ok = parse_number(parts[i], &x3[i]);
            if (!ok) {
                bad(k, v, k == "mu" ? "want the mean as two numbers, e.g. mu=-1,2"
                                    : "want the covariance as c00,c01,c11, e.g. cov=4,2,2");
                continue;
            }
            Gauss2D g = s.gauss;
            if (k == "mu") g.mean[0] = x3[0], g.mean[1] = x3[1];
            else g.c00 = x3[0], g.c01 = x3[1], g.c11 = x3[2];
            if (const std::string why = validate(g); !why.empty()) bad(k, v, why);
            else s.gauss = g;
        } else if (k == "npseed") {  // np.random.seed of the 2-D Gaussian's sample
            if (parse_long(v, 0, static_cast<long long>(kMaxNumpySeed), &n)) s.gauss.seed = static_cast<std::uint32_t>(n);
            else bad(k, v, "want numpy's seed, an integer 0.." + std::to_string(kMaxNumpySeed));
        } else if (k == "epochs") {
            if (parse_long(v, 0, kMaxEpochs, &n)) s.epochs = static_cast<int>(n);
            else bad(k, v, "want an integer 1.." + std::to_string(kMaxEpochs) + " (0: the CLI default)");
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
                if (!found) bad(k, t, "unknown panel (valid: controls, loss, scatter, recon, decoder, pca, data, gauss, conv, mc, classify)");
            }
            s.hide = h;
        } else if (k == "panel") {
            unsigned found = 0;
            for (Panel p : all_panels())
                if (p != kPanelControls && v == panel_key(p)) found = p;
            if (found) s.panel = found;
            else bad(k, v, "unknown panel (valid: loss, scatter, recon, decoder, pca, data, gauss, conv, mc, classify)");
        } else if (k == "layout") {
            LayoutMode m;
            if (parse_layout_mode(v, &m)) s.layout = m;
            else bad(k, v, "valid: auto, grid, tabs");
        } else {
            messages.push_back("unknown URL parameter " + shown(k) + " ignored");
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
        if (ok && nh == 0) {
            bad("act", act_value,
                "no effect: this model has no hidden layer (its code and output activations are code= and "
                "out=); add one with arch=, e.g. arch=64");
        } else if (!ok) {
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
}

}  // namespace

QueryResult apply_query(const std::string& query, const Settings& base) {
    QueryResult r;
    r.settings = base;
    const KeyValues kv = split_query(query, &r.messages);
    apply_pairs(kv, r.settings, r.messages);
    sanitize(r.settings, &r.messages);
    return r;
}

QueryResult parse_query(const std::string& query) {
    QueryResult r;
    KeyValues kv = split_query(query, &r.messages);
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
            if (p->key != preset_value)
                r.messages.push_back("preset '" + preset_value + "' is now called '" + p->key + "' (" + p->title +
                                     "); the old name keeps working");
        } else {
            std::string valid;
            for (const auto& p : presets()) valid += (valid.empty() ? "" : ", ") + p.key;
            r.messages.push_back("unknown preset " + shown(preset_value) + " (valid: " + valid + "); using " +
                                 default_preset_key());
        }
    }
    KeyValues rest;
    for (auto& p : kv)
        if (p.first != "preset") rest.push_back(std::move(p));
    apply_pairs(rest, s, r.messages);
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
    if (s.mc_pop != base.mc_pop) kv.emplace_back("mcpop", std::to_string(s.mc_pop));
    mc_query_pairs(s, base, kv);
    if (s.batch != base.batch) kv.emplace_back("batch", std::to_string(s.batch));
    if (s.tied != base.tied) kv.emplace_back("tied", s.tied ? "1" : "0");
    if (s.noise != base.noise || s.noise_level != base.noise_level)
        kv.emplace_back("noise", s.noise == Noise::None ? std::string("none")
                                                        : std::string(noise_name(s.noise)) + ":" + format_number(s.noise_level));
    if (s.sparsity != base.sparsity || s.sparsity_weight != base.sparsity_weight ||
        s.sparsity_target != base.sparsity_target) {
        std::string v = sparsity_name(s.sparsity);
        if (s.sparsity != Sparsity::None) v += ":" + format_number(s.sparsity_weight);
        if (s.sparsity == Sparsity::KL) v += ":" + format_number(s.sparsity_target);
        kv.emplace_back("sparse", v);
    }
    if (s.weight_decay != base.weight_decay) kv.emplace_back("wd", format_number(s.weight_decay));
    if (s.contractive != base.contractive) kv.emplace_back("cae", format_number(s.contractive));
    if (s.pretrain != base.pretrain) kv.emplace_back("pretrain", s.pretrain ? "layerwise" : "none");
    if (s.pretrain_epochs != base.pretrain_epochs) kv.emplace_back("pe", std::to_string(s.pretrain_epochs));
    if (s.vae != base.vae) kv.emplace_back("model", s.vae ? "vae" : "ae");
    if (s.net != base.net) kv.emplace_back("net", s.net);
    if (s.beta != base.beta) kv.emplace_back("beta", format_number(s.beta));
    if (s.gauss.mean[0] != base.gauss.mean[0] || s.gauss.mean[1] != base.gauss.mean[1])
        kv.emplace_back("mu", format_number(s.gauss.mean[0]) + "," + format_number(s.gauss.mean[1]));
    if (s.gauss.c00 != base.gauss.c00 || s.gauss.c01 != base.gauss.c01 || s.gauss.c11 != base.gauss.c11)
        kv.emplace_back("cov", format_number(s.gauss.c00) + "," + format_number(s.gauss.c01) + "," +
                                   format_number(s.gauss.c11));
    if (s.gauss.seed != base.gauss.seed) kv.emplace_back("npseed", std::to_string(s.gauss.seed));
    if (s.epochs != base.epochs) kv.emplace_back("epochs", std::to_string(s.epochs));
    if (s.seed != base.seed) kv.emplace_back("seed", std::to_string(s.seed));
    if (s.speed != base.speed) kv.emplace_back("speed", std::to_string(s.speed));
    if (s.budget_ms != base.budget_ms) kv.emplace_back("budget", format_number(s.budget_ms));
    if (s.autoplay != base.autoplay) kv.emplace_back("autoplay", s.autoplay ? "1" : "0");
    if (s.logy != base.logy) kv.emplace_back("logy", s.logy ? "1" : "0");
    if (s.thumbs != base.thumbs) kv.emplace_back("thumbs", s.thumbs ? "1" : "0");
    if (s.proj != base.proj) kv.emplace_back("proj", projection_key(s.proj));
    if (s.kpca_gamma != base.kpca_gamma) kv.emplace_back("gamma", format_number(s.kpca_gamma));
    if (s.kpca_kernel != base.kpca_kernel) kv.emplace_back("kernel", to_string(s.kpca_kernel));
    if (s.dim_i != base.dim_i || s.dim_j != base.dim_j)
        kv.emplace_back("dims", std::to_string(s.dim_i + 1) + "," + std::to_string(s.dim_j + 1));
    if (s.hide != base.hide) kv.emplace_back("hide", hide_string(s.hide));
    if (s.panel != base.panel && s.panel) kv.emplace_back("panel", panel_key(static_cast<Panel>(s.panel)));
    if (s.layout != base.layout) kv.emplace_back("layout", layout_mode_key(s.layout));
    std::string q;
    for (const auto& [k, v] : kv) q += (q.empty() ? "" : "&") + k + "=" + url_encode(v);
    return q;
}

}  // namespace aelab::app
