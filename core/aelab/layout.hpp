// aelab/layout.hpp — placing labels and thumbnails on a scatter plot without overlap.
//
// What: spaced_subset() walks the points in order and keeps a point when the square of
// side `box` centred on it overlaps no square kept before (|dx| >= box or |dy| >= box for
// every kept point); non-finite points are skipped; at most `max_count` are kept.
// Why: the course's Fashion-MNIST plot draws small images of the inputs at their codes,
// "if far enough from other images" (a greedy pass in data order); the page and the CLI's
// figures do the same in screen units, so thumbnails of `box` pixels never cover each
// other. A uniform grid of cell `box` makes each test look at 9 cells: O(n) for n points.
// Usage:
//     std::vector<aelab::Index> keep = aelab::spaced_subset(xs, ys, 28.0f, 400);  // pixels
//     for (Index i : keep) draw_thumbnail(image(i), xs[i], ys[i]);
#pragma once

#include "aelab/common.hpp"

#include <vector>

namespace aelab {

// Indices (increasing) of the kept points; xs and ys have the same length; box > 0 and
// finite (throws aelab::Error otherwise).
std::vector<Index> spaced_subset(const std::vector<float>& xs, const std::vector<float>& ys, float box,
                                 Index max_count);

}  // namespace aelab
