// palette.cpp: see aelab/palette.hpp.
#include "aelab/palette.hpp"

#include "aelab/assets.hpp"
#include "aelab/common.hpp"

#include <algorithm>
#include <cmath>

namespace aelab::palette {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// "#rrggbb" -> colour; false when the text is anything else.
bool parse_hex(std::string_view s, Rgb* out) {
    if (s.size() != 7 || s[0] != '#') return false;
    int v[6];
    for (int i = 0; i < 6; ++i)
        if ((v[i] = hex_digit(s[size_t(i) + 1])) < 0) return false;
    *out = Rgb{std::uint8_t(v[0] * 16 + v[1]), std::uint8_t(v[2] * 16 + v[3]), std::uint8_t(v[4] * 16 + v[5])};
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Splits "first rest" at the first blank; rest is trimmed.
std::pair<std::string_view, std::string_view> split_word(std::string_view s) {
    size_t sp = s.find_first_of(" \t");
    if (sp == std::string_view::npos) return {s, {}};
    return {s.substr(0, sp), trim(s.substr(sp))};
}

}  // namespace

Palette parse(std::string_view text, const std::string& source) {
    Palette p;
    bool have_kind = false, have_no_label = false;
    int line_no = 0;
    auto fail = [&](const std::string& what) -> Error {
        return Error(source + ":" + std::to_string(line_no) + ": " + what);
    };
    while (!text.empty()) {
        ++line_no;
        const size_t nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (line.empty() || line.front() == ';') continue;
        auto [word, rest] = split_word(line);
        if (!have_kind) {
            if (word != "kind") throw fail("expected 'kind categorical|sequential|diverging' first, got '" + std::string(line) + "'");
            if (rest == "categorical") p.kind = Kind::Categorical;
            else if (rest == "sequential") p.kind = Kind::Sequential;
            else if (rest == "diverging") p.kind = Kind::Diverging;
            else throw fail("unknown kind '" + std::string(rest) + "' (categorical, sequential or diverging)");
            have_kind = true;
        } else if (word == "kind") {
            throw fail("a second 'kind' line");
        } else if (word == "no-label") {
            if (have_no_label) throw fail("a second 'no-label' line");
            if (!parse_hex(rest, &p.no_label)) throw fail("no-label wants one colour #rrggbb, got '" + std::string(rest) + "'");
            have_no_label = true;
        } else {
            Rgb c;
            if (!parse_hex(word, &c)) throw fail("expected a colour '#rrggbb name', got '" + std::string(line) + "'");
            if (rest.empty()) throw fail("colour " + std::string(word) + " has no name");
            if (rest.find_first_of(" \t") != std::string_view::npos) throw fail("a colour's name is one word, got '" + std::string(rest) + "'");
            p.colors.push_back(c);
            p.names.emplace_back(rest);
        }
    }
    ++line_no;  // errors about the whole file point just past its end
    if (!have_kind) throw fail("no 'kind' line (the file is empty or all comments)");
    const size_t need = p.kind == Kind::Categorical ? 1 : 2;
    if (p.colors.size() < need)
        throw fail("a " + std::string(p.kind == Kind::Categorical ? "categorical palette" : "colour map") +
                   " needs at least " + std::to_string(need) + " colour(s), got " + std::to_string(p.colors.size()));
    return p;
}

const std::vector<Palette>& all() {
    static const std::vector<Palette> palettes = [] {
        std::vector<Palette> out;
        const std::string_view dir = "palettes/", ext = ".txt";
        for (const assets::Asset& a : assets::all()) {
            if (a.path.size() <= dir.size() + ext.size() || a.path.substr(0, dir.size()) != dir ||
                a.path.substr(a.path.size() - ext.size()) != ext)
                continue;
            Palette p = parse(a.text, "assets/" + std::string(a.path));
            p.name = std::string(a.path.substr(dir.size(), a.path.size() - dir.size() - ext.size()));
            out.push_back(std::move(p));
        }
        return out;  // assets::all() is sorted by path, so these are sorted by name
    }();
    return palettes;
}

const Palette& get(std::string_view name) {
    std::string known;
    for (const Palette& p : all()) {
        if (p.name == name) return p;
        known += (known.empty() ? "" : ", ") + p.name;
    }
    throw Error("no palette '" + std::string(name) + "' (known: " + known + ")");
}

Rgb categorical(int label) {
    static const Palette& tab10 = get("tab10");
    if (label < 0) return tab10.no_label;
    return tab10.colors[size_t(label) % tab10.colors.size()];
}

Rgb interpolate(const Palette& p, double t) {
    if (std::isnan(t) || p.colors.empty()) return p.no_label;
    if (p.colors.size() == 1) return p.colors[0];
    const double s = std::clamp(t, 0.0, 1.0) * double(p.colors.size() - 1);
    const size_t i = std::min(size_t(s), p.colors.size() - 2);
    const double f = s - double(i);
    const Rgb a = p.colors[i], b = p.colors[i + 1];
    auto mix = [f](std::uint8_t x, std::uint8_t y) { return std::uint8_t(std::lround(double(x) + (double(y) - double(x)) * f)); };
    return Rgb{mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)};
}

Rgb colormap(std::string_view name, double t) { return interpolate(get(name), t); }

std::string hex(Rgb c) {
    static const char* d = "0123456789abcdef";
    std::string s = "#";
    for (std::uint8_t v : {c.r, c.g, c.b}) {
        s += d[v >> 4];
        s += d[v & 15];
    }
    return s;
}

}  // namespace aelab::palette
