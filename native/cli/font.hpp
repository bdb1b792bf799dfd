// native/cli/font.hpp — the CLI figures' bitmap font: 5x7 glyphs for printable ASCII.
//
// What: glyph(c) gives the 8 rows of a character's bitmap (bit 4 = leftmost column): 5x7
// above the baseline, row 7 for the descenders of g, p, q, y; characters outside ' '..'~'
// draw as '?'. Text advances 6 px per character (one blank column), capitals are 7 px tall,
// all multiplied by an integer scale (2 for axis labels and titles).
// Why: the CLI's PNG figures need tick labels a reader can read at a glance; a fixed table
// drawn with plain rectangles needs no font library and is the same on every machine.
// Usage:
//     const std::uint8_t* rows = aelab::cli::font::glyph('e');  // rows[0..7], 5 bits each
//     int w = aelab::cli::font::text_width("0.25", 2);           // 48
#pragma once

#include <cstdint>
#include <string>

namespace aelab::cli::font {

inline constexpr int kGlyphW = 5, kGlyphH = 8, kCapH = 7, kAdvance = 6, kLineH = 9;

// The 8 bitmap rows of character c (bit 4 = leftmost pixel; row 7 = descender).
const std::uint8_t* glyph(char c);

// Width in pixels of `s` drawn at `scale` (no trailing blank column), 0 for "".
int text_width(const std::string& s, int scale);

}  // namespace aelab::cli::font
