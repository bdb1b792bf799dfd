// aelab/palette.hpp — the one palette module of the page, the desktop app and the CLI.
//
// What: colours read from the embedded data files assets/palettes/*.txt (format in
// tab10.txt's header): categorical (matplotlib's tab10: class c -> colour c mod 10, a
// defined colour for "no label"), sequential (viridis) and diverging (coolwarm, rdbu) colour
// maps, each a list of control points evenly spaced on [0, 1] and interpolated linearly.
// parse() turns a palette text into a Palette with strict errors ("<source>:<line>: ...").
// Why: the page and the CLI's figures drew the same digit in two different colours; with one
// module over one set of data files the same class has the same colour everywhere, and a
// palette is changed by editing a text file, not code.
// Usage:
//     aelab::palette::Rgb c = aelab::palette::categorical(7);       // tab10 gray
//     aelab::palette::Rgb v = aelab::palette::colormap("viridis", 0.25);
//     const aelab::palette::Palette& p = aelab::palette::get("rdbu");
//     std::string h = aelab::palette::hex(c);                       // "#7f7f7f"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aelab::palette {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb& o) const { return r == o.r && g == o.g && b == o.b; }
    bool operator!=(const Rgb& o) const { return !(*this == o); }
};

enum class Kind { Categorical, Sequential, Diverging };

struct Palette {
    std::string name;                 // file name without ".txt" ("tab10")
    Kind kind = Kind::Categorical;
    std::vector<Rgb> colors;          // >= 1 (categorical) or >= 2 (colour maps), in file order
    std::vector<std::string> names;   // one per colour
    Rgb no_label{128, 128, 128};      // "no-label" line, or this mid grey
};

// Parses a palette text (format: assets/palettes/tab10.txt). `source` names it in errors,
// which read "<source>:<line>: <what is wrong>". Throws aelab::Error.
Palette parse(std::string_view text, const std::string& source);

// Every embedded palette (assets/palettes/<name>.txt), parsed once, sorted by name; throws
// aelab::Error on the first call if one of them does not parse.
const std::vector<Palette>& all();
// The embedded palette `name` ("tab10", "viridis", "coolwarm", "rdbu"); throws aelab::Error
// naming it and the known names when absent.
const Palette& get(std::string_view name);

// Class colour: tab10's colour (label mod 10); label < 0 -> tab10's no-label colour.
Rgb categorical(int label);
inline constexpr int kCategoricalSize = 10;

// The colour of t in [0, 1] (clamped) on a palette's control points, linearly interpolated
// per channel and rounded; NaN -> the palette's no-label colour.
Rgb interpolate(const Palette& p, double t);
// interpolate(get(name), t).
Rgb colormap(std::string_view name, double t);

// "#rrggbb" (lower case), as SVG and CSS take it.
std::string hex(Rgb c);

}  // namespace aelab::palette
