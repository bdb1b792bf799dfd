// aelab/assets.hpp — the data files under assets/ (recipes, palettes, theme), embedded.
//
// What: all() lists every file below the repository's assets/ folder (README.md files
// excepted) as {path relative to assets/, its text}, sorted by path; find() / text() look
// one up by path.
// Why: presets, palettes and colours are data, not code; embedding them at build time
// (cmake/EmbedAssets.cmake, as shaders are) lets the page (which has no file system), the
// desktop binary and the CLI read the very same bytes, with no file to lose at run time.
// Usage (link the CMake target `aelab_assets`):
//     for (const auto& a : aelab::assets::all())
//         if (a.path.rfind("recipes/", 0) == 0) parse_recipe(a.text);
//     std::string_view tab10 = aelab::assets::text("palettes/tab10.txt");  // throws if absent
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aelab::assets {

struct Asset {
    std::string_view path;  // "recipes/linear-mnist.txt"
    std::string_view text;  // the file's bytes
};

// Every embedded asset, sorted by path (defined in the generated aelab_assets.cpp, which
// needs nothing but this header).
const std::vector<Asset>& all();

// The asset at `path`, or nullptr (core/src/assets.cpp).
const Asset* find(std::string_view path);

// The text of the asset at `path`; throws aelab::Error naming the path when it is absent.
std::string_view text(std::string_view path);

}  // namespace aelab::assets
