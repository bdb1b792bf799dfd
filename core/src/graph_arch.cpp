// graph_arch.cpp — the architecture-string parser of aelab/graph.hpp (grammar there).
// Every failure names the token and says what was expected; nothing is silently skipped.
#include "aelab/graph.hpp"

#include <algorithm>
#include <cctype>

namespace aelab {

const char* const kCourseConvAE =
    "r1x28x28,c16k3same-selu,p2,c32k3same-selu,p2,c64k3same-selu,p2|"
    "t32k3s2valid-selu,t16k3s2same-selu,t1k3s2same-sigmoid,flatten";

const char* const kConvVAE =
    "r1x28x28,c32k3s2-relu,c64k3s2-relu,d16-relu,g2|"
    "d3136-relu,r64x7x7,t64k3s2-relu,t32k3s2-relu,t1k3-sigmoid,flatten";

std::string mirrored_vae_arch(const std::vector<int>& hidden, int k, Activation act, Index out) {
    AELAB_REQUIRE(k >= 1, "a VAE needs a code of at least 1 dimension, got " + std::to_string(k));
    AELAB_REQUIRE(out >= 1, "a VAE needs at least one output");
    const std::string a = activation_name(act);
    std::string s;
    for (int h : hidden) s += "d" + std::to_string(h) + "-" + a + ",";
    s += "g" + std::to_string(k) + "|";
    for (auto it = hidden.rbegin(); it != hidden.rend(); ++it) s += "d" + std::to_string(*it) + "-" + a + ",";
    s += "d" + std::to_string(out) + "-sigmoid";
    return s;
}

namespace {

constexpr int kMaxLayers = 64;
constexpr int kMaxUnits = 1 << 16;
constexpr int kMaxKernel = 32;
constexpr int kMaxStride = 16;
constexpr int kMaxShapeDim = 1 << 16;

std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

bool letters_only(const std::string& s) {
    for (char ch : s)
        if (!(std::isalpha(static_cast<unsigned char>(ch)) || ch == '_')) return false;
    return !s.empty();
}

// A cursor over one token (without its activation suffix).
struct Cursor {
    const std::string& tok;  // whole token, for messages
    const std::string& s;
    size_t i = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throw Error("architecture token '" + tok + "': " + what);
    }
    bool done() const { return i >= s.size(); }
    bool peek(const char* word) const { return s.compare(i, std::char_traits<char>::length(word), word) == 0; }
    bool eat(const char* word) {
        if (!peek(word)) return false;
        i += std::char_traits<char>::length(word);
        return true;
    }
    bool eat_letter_then_digit(char c) {
        if (i + 1 < s.size() && s[i] == c && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
            ++i;
            return true;
        }
        return false;
    }
    int number(const char* what, int lo, int hi) {
        size_t j = i;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        if (j == i) fail(std::string("expected a number for the ") + what + " at '" + s.substr(i) + "'");
        if (j - i > 6) fail(std::string(what) + " " + s.substr(i, j - i) + " is too large (max " + std::to_string(hi) + ")");
        int v = std::stoi(s.substr(i, j - i));
        if (v < lo || v > hi)
            fail(std::string(what) + " " + std::to_string(v) + " is out of range " + std::to_string(lo) + ".." +
                 std::to_string(hi));
        i = j;
        return v;
    }
    void padding(LayerSpec& L) {
        if (eat("same")) L.padding = Padding::Same;
        else if (eat("valid")) L.padding = Padding::Valid;
    }
    void end() const {
        if (!done()) fail("unexpected '" + s.substr(i) + "'");
    }
};

// Splits s at ',' outside parentheses (the transforms' sig(lo,hi)).
std::vector<std::string> split_top(const std::string& s) {
    std::vector<std::string> out(1);
    int depth = 0;
    for (char ch : s) {
        if (ch == '(') ++depth;
        if (ch == ')') --depth;
        if (ch == ',' && depth == 0) out.emplace_back();
        else out.back() += ch;
    }
    return out;
}

// "alpha=exp,beta=sig(0,2)" (the text between a parametric layer's brackets) into L.
void parse_transforms(const std::string& tok, const std::string& opts, LayerSpec& L) {
    bool seen_a = false, seen_b = false;
    for (const std::string& raw : split_top(opts)) {
        const std::string item = trim(raw);
        const size_t eq = item.find('=');
        if (item.empty() || eq == std::string::npos)
            throw Error("architecture token '" + tok + "': expected name=transform in [...] (e.g. [alpha=exp,beta=softplus]), got '" +
                        item + "'");
        const std::string name = trim(item.substr(0, eq)), tf = trim(item.substr(eq + 1));
        const std::string what = "architecture token '" + tok + "': " + name;
        if (name == "alpha") {
            if (seen_a) throw Error("architecture token '" + tok + "': alpha given twice");
            seen_a = true;
            L.alpha_tf = parse_param_transform(tf, what);
        } else if (name == "beta") {
            if (seen_b) throw Error("architecture token '" + tok + "': beta given twice");
            seen_b = true;
            L.beta_tf = parse_param_transform(tf, what);
        } else {
            throw Error("architecture token '" + tok + "': unknown parameter '" + name + "' (valid: alpha, beta)");
        }
    }
}

LayerSpec parse_token(const std::string& tok);

// kp<N>[-softplus|-sigmoid][[...]] and km<N>[-act][[...]]: the head before '[' and the options.
LayerSpec parse_param_token(const std::string& tok) {
    std::string head = tok, opts;
    const size_t lb = tok.find('[');
    if (lb != std::string::npos) {
        if (tok.back() != ']' || tok.find('[', lb + 1) != std::string::npos)
            throw Error("architecture token '" + tok + "': the transforms go in one [...] at the end, e.g. kp8-softplus[alpha=exp]");
        head = tok.substr(0, lb);
        opts = tok.substr(lb + 1, tok.size() - lb - 2);
        if (trim(opts).empty()) throw Error("architecture token '" + tok + "': empty [] (drop it, or e.g. [beta=exp])");
    }
    if (head.size() < 2 || (head[1] != 'p' && head[1] != 'm'))
        throw Error("architecture token '" + tok + "': unknown layer 'k' (expected kp<N>, the power form, or km<N>, the "
                    "mean-coupled form)");
    LayerSpec L;
    const bool power = head[1] == 'p';
    L.kind = power ? LayerKind::KPower : LayerKind::KMean;
    if (power) L.beta_tf.kind = ParamTransform::Softplus;
    std::string body = head;
    const size_t dash = head.find('-');
    Activation act = Activation::Identity;
    if (dash != std::string::npos) {
        body = head.substr(0, dash);
        try {
            act = parse_activation(head.substr(dash + 1));
        } catch (const Error& e) {
            throw Error("architecture token '" + tok + "': " + e.what());
        }
    }
    Cursor c{tok, body};
    c.i = 2;
    L.units = c.number("number of units", 1, kMaxUnits);
    c.end();
    if (power) {
        if (dash != std::string::npos && act != Activation::Softplus && act != Activation::Sigmoid)
            throw Error("architecture token '" + tok + "': the power form's base must be softplus or sigmoid (positive), not " +
                        activation_name(act) + ": a negative base with a real power is undefined");
        L.base = dash == std::string::npos ? Activation::Softplus : act;
    } else {
        L.act = act;
    }
    if (!opts.empty()) parse_transforms(tok, opts, L);
    if (power && !(L.beta_tf.kind == ParamTransform::None || L.beta_tf.positive()))
        throw Error("architecture token '" + tok + "': the power form needs beta > 0: beta's transform must be positive "
                    "(softplus, exp, sig(lo,hi) with lo >= 0) or none, not " + L.beta_tf.str());
    return L;
}

LayerSpec parse_token(const std::string& tok) {
    LayerSpec L;
    if (tok[0] == 'k') return parse_param_token(tok);
    if (tok.find('[') != std::string::npos || tok.find(']') != std::string::npos)
        throw Error("architecture token '" + tok + "': only the parametric layers kp<N> and km<N> take [...]");
    if (tok == "flatten") {
        L.kind = LayerKind::Reshape;
        L.shape = Shape{0, 1, 1};
        return L;
    }
    if (letters_only(tok)) {
        try {
            L.act = parse_activation(tok);
        } catch (const Error&) {
            throw Error("architecture token '" + tok +
                        "': not a layer (c, t, p, u, d, g, kp, km, r, flatten) nor an activation (linear, sigmoid, tanh, relu, "
                        "leaky_relu, elu, selu, softplus)");
        }
        L.kind = LayerKind::Act;
        return L;
    }
    std::string body = tok;
    const size_t dash = tok.find('-');
    if (dash != std::string::npos) {
        body = tok.substr(0, dash);
        const std::string a = tok.substr(dash + 1);
        try {
            L.act = parse_activation(a);
        } catch (const Error& e) {
            throw Error("architecture token '" + tok + "': " + e.what());
        }
    }
    Cursor c{tok, body};
    if (body.empty()) c.fail("empty layer before '-'");
    const char kind = body[0];
    c.i = 1;
    auto no_act = [&](const char* what) {
        if (dash != std::string::npos) c.fail(std::string(what) + " takes no activation");
    };
    switch (kind) {
        case 'c':
        case 't': {
            L.kind = kind == 'c' ? LayerKind::Conv2D : LayerKind::ConvTranspose2D;
            L.units = c.number("number of filters", 1, kMaxUnits);
            if (!c.eat_letter_then_digit('k')) c.fail("expected k<kernel size> after the filters, e.g. c16k3");
            L.kernel = c.number("kernel size", 1, kMaxKernel);
            if (c.eat_letter_then_digit('s')) L.stride = c.number("stride", 1, kMaxStride);
            c.padding(L);
            if (kind == 't' && c.eat_letter_then_digit('o')) {
                L.output_padding = c.number("output padding", 0, kMaxStride - 1);
                if (L.output_padding >= L.stride)
                    c.fail("output padding " + std::to_string(L.output_padding) + " must be smaller than the stride " +
                           std::to_string(L.stride));
            }
            break;
        }
        case 'p':
            no_act("max-pooling");
            L.kind = LayerKind::MaxPool2D;
            L.padding = Padding::Valid;
            L.kernel = c.number("pool size", 1, kMaxKernel);
            L.stride = L.kernel;  // up to the window (kMaxKernel): the default, written back as s<K>
            if (c.eat_letter_then_digit('s')) L.stride = c.number("stride", 1, std::max(kMaxStride, L.kernel));
            c.padding(L);
            break;
        case 'u':
            no_act("upsampling");
            L.kind = LayerKind::Upsample2D;
            L.factor = c.number("upsampling factor", 1, kMaxStride);
            break;
        case 'd':
            L.kind = LayerKind::Dense;
            L.units = c.number("number of units", 1, kMaxUnits);
            break;
        case 'g':
            no_act("the Gaussian code");
            L.kind = LayerKind::GaussianCode;
            L.units = c.number("code size", 1, kMaxUnits);
            break;
        case 'r': {
            no_act("reshape");
            L.kind = LayerKind::Reshape;
            L.shape.c = c.number("channels", 1, kMaxShapeDim);
            if (!c.eat_letter_then_digit('x')) c.fail("expected r<C>x<H>x<W>, e.g. r1x28x28");
            L.shape.h = c.number("height", 1, kMaxShapeDim);
            if (!c.eat_letter_then_digit('x')) c.fail("expected r<C>x<H>x<W>, e.g. r1x28x28");
            L.shape.w = c.number("width", 1, kMaxShapeDim);
            break;
        }
        default:
            c.fail(std::string("unknown layer '") + kind +
                   "' (valid: c conv, t transposed conv, p max-pool, u upsampling, d dense, g Gaussian code, "
                   "kp / km parametric dense, r reshape, flatten, or an activation name)");
    }
    c.end();
    return L;
}

}  // namespace

ArchSpec parse_arch(const std::string& arch) {
    AELAB_REQUIRE(arch.size() <= 4096, "architecture string is too long (" + std::to_string(arch.size()) + " > 4096 characters)");
    AELAB_REQUIRE(!trim(arch).empty(), "architecture string is empty (e.g. " + std::string(kCourseConvAE) + ")");
    ArchSpec out;
    std::string cur;
    auto flush = [&](char sep) {
        const std::string tok = trim(cur);
        cur.clear();
        if (tok.empty())
            throw Error("architecture '" + arch + "': empty layer " +
                        (out.layers.empty() ? std::string("at the start") : "after '" + out.layers.back().str() + "'") +
                        (sep ? std::string(" before '") + sep + "'" : std::string(" at the end")));
        AELAB_REQUIRE(static_cast<int>(out.layers.size()) < kMaxLayers,
                      "architecture has more than " + std::to_string(kMaxLayers) + " layers");
        out.layers.push_back(parse_token(tok));
    };
    int depth = 0;  // inside a parametric layer's [...] (or its sig(...)): ',' does not split
    for (char ch : arch) {
        if (ch == '[' || ch == '(') ++depth;
        if (ch == ']' || ch == ')') {
            if (--depth < 0) throw Error("architecture '" + arch + "': '" + ch + "' without its opening bracket");
        }
        if (depth > 0 && ch == '|') throw Error("architecture '" + arch + "': '|' inside brackets");
        if (depth == 0 && (ch == ',' || ch == '|')) {
            flush(ch);
            if (ch == '|') {
                AELAB_REQUIRE(out.encoder_end < 0, "architecture '" + arch + "': more than one '|' (the encoder ends once)");
                out.encoder_end = static_cast<int>(out.layers.size());
            }
        } else if (static_cast<unsigned char>(ch) < 32 && ch != ' ' && ch != '\t') {
            throw Error("architecture string contains a control character");
        } else {
            cur += ch;
        }
    }
    if (depth != 0) throw Error("architecture '" + arch + "': an unclosed '[' or '('");
    flush(0);
    return out;
}

std::string ArchSpec::str() const {
    std::string s;
    for (size_t i = 0; i < layers.size(); ++i) {
        if (i) s += (static_cast<int>(i) == encoder_end) ? "|" : ",";
        s += layers[i].str();
    }
    return s;
}

}  // namespace aelab
