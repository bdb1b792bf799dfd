// layout.cpp: see aelab/layout.hpp.
#include "aelab/layout.hpp"

#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace aelab {

std::vector<Index> spaced_subset(const std::vector<float>& xs, const std::vector<float>& ys, float box,
                                 Index max_count) {
    AELAB_REQUIRE(xs.size() == ys.size(), "spaced_subset: xs and ys differ in length");
    AELAB_REQUIRE(std::isfinite(box) && box > 0, "spaced_subset: box must be a positive number");
    std::vector<Index> kept;
    if (max_count <= 0) return kept;
    // Cell (cx, cy) of side box holds the kept points whose centre falls in it; two boxes
    // overlap only if their centres are less than box apart on both axes, so only the 3x3
    // neighbouring cells can hold a conflict.
    std::unordered_map<std::uint64_t, std::vector<Index>> grid;
    auto key = [](std::int64_t cx, std::int64_t cy) {
        return (static_cast<std::uint64_t>(cx) << 32) ^ (static_cast<std::uint64_t>(cy) & 0xffffffffu);
    };
    const double inv = 1.0 / double(box);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const float x = xs[i], y = ys[i];
        if (!std::isfinite(x) || !std::isfinite(y)) continue;
        const double fx = std::floor(double(x) * inv), fy = std::floor(double(y) * inv);
        if (std::abs(fx) > 1e9 || std::abs(fy) > 1e9) continue;  // outside any plot
        const auto cx = static_cast<std::int64_t>(fx), cy = static_cast<std::int64_t>(fy);
        bool free = true;
        for (std::int64_t dx = -1; dx <= 1 && free; ++dx)
            for (std::int64_t dy = -1; dy <= 1 && free; ++dy) {
                auto it = grid.find(key(cx + dx, cy + dy));
                if (it == grid.end()) continue;
                for (Index j : it->second)
                    if (std::abs(xs[size_t(j)] - x) < box && std::abs(ys[size_t(j)] - y) < box) {
                        free = false;
                        break;
                    }
            }
        if (!free) continue;
        grid[key(cx, cy)].push_back(Index(i));
        kept.push_back(Index(i));
        if (Index(kept.size()) >= max_count) break;
    }
    return kept;
}

}  // namespace aelab
