// theme_data.hpp: the playground's colour theme as data (assets/theme/*.txt), parsed strictly.
//
// What: parse_theme() reads `name = #rrggbb[aa]` lines (';' comments, blank lines) and
// returns one colour per name of theme_names(), in that order. Everything else is an
// aelab::Error naming the source and line: a name the theme does not have, a name given
// twice, a missing name, a colour that is not '#' and 6 or 8 hex digits, a line without '='.
// load_theme() parses the embedded assets/theme/<name>.txt.
// Why: the colours were literals in theme.hpp; as a data file a look can be changed or
// added without touching code, and the strict parse means a typo cannot silently leave a
// colour black. Headless (no ImGui) so the unit tests check the embedded file and hostile
// ones natively and in WASM (tests/unit/test_layout_app.cpp); web/app/theme.cpp turns the
// colours into ImGui's.
// Usage:
//     const ThemeColors t = load_theme("dark");          // throws aelab::Error if malformed
//     ImU32 c = IM_COL32(t.at("test").r, ...);            // or theme::apply_style()
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aelab::app {

struct ThemeColor {
    std::string name;
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
};

struct ThemeColors {
    std::vector<ThemeColor> colors;   // theme_names() order
    // The colour called `name`; throws aelab::Error when the theme has no such name.
    const ThemeColor& at(std::string_view name) const;
};

// Every colour name a theme file must give (text_dim, ..., msg_error, toast_bg).
const std::vector<std::string>& theme_names();

ThemeColors parse_theme(std::string_view text, const std::string& source);
ThemeColors load_theme(const std::string& name);   // assets/theme/<name>.txt

}  // namespace aelab::app
