// test_layout.cpp: spaced_subset (aelab/layout.hpp) against its naive O(n^2) twin.
#include "aelab/layout.hpp"

#include <doctest.h>

#include <cmath>
#include <limits>

using namespace aelab;

namespace {

std::vector<Index> naive_spaced(const std::vector<float>& xs, const std::vector<float>& ys, float box,
                                Index max_count) {
    std::vector<Index> kept;
    for (std::size_t i = 0; i < xs.size() && Index(kept.size()) < max_count; ++i) {
        if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
        bool ok = true;
        for (Index j : kept)
            if (std::abs(xs[size_t(j)] - xs[i]) < box && std::abs(ys[size_t(j)] - ys[i]) < box) ok = false;
        if (ok) kept.push_back(Index(i));
    }
    return kept;
}

}  // namespace

TEST_SUITE("data") {
    TEST_CASE("layout: spaced_subset equals the naive greedy pass and keeps boxes apart") {
        Rng rng(11);
        for (int trial = 0; trial < 20; ++trial) {
            const int n = 50 + 97 * trial;
            std::vector<float> xs(static_cast<size_t>(n)), ys(static_cast<size_t>(n));
            for (int i = 0; i < n; ++i) {
                xs[size_t(i)] = float(rng.uniform(-300, 500));
                ys[size_t(i)] = float(rng.uniform(-50, 400));
            }
            if (trial % 3 == 0) {  // duplicates, non-finite points, points on cell borders
                xs[1] = xs[0];
                ys[1] = ys[0];
                xs[2] = std::numeric_limits<float>::quiet_NaN();
                ys[3] = std::numeric_limits<float>::infinity();
                xs[4] = 56.0f;
                ys[4] = 28.0f;
            }
            const float box = float(10 + trial);
            const Index cap = trial % 4 == 1 ? 15 : 100000;
            const auto fast = spaced_subset(xs, ys, box, cap);
            CHECK(fast == naive_spaced(xs, ys, box, cap));
            CHECK(Index(fast.size()) <= cap);
            for (size_t a = 0; a < fast.size(); ++a)
                for (size_t b = a + 1; b < fast.size(); ++b) {
                    const size_t i = size_t(fast[a]), j = size_t(fast[b]);
                    CHECK((std::abs(xs[i] - xs[j]) >= box || std::abs(ys[i] - ys[j]) >= box));
                }
        }
    }
    TEST_CASE("layout: spaced_subset edge cases") {
        CHECK(spaced_subset({}, {}, 5.0f, 10).empty());
        CHECK(spaced_subset({1, 2}, {1, 2}, 5.0f, 0).empty());
        CHECK(spaced_subset({0, 5, 10}, {0, 0, 0}, 5.0f, 10) == std::vector<Index>{0, 1, 2});  // touching is fine
        CHECK(spaced_subset({0, 4.9f, 10}, {0, 0, 0}, 5.0f, 10) == std::vector<Index>{0, 2});
        CHECK(spaced_subset({1e20f, -1e20f}, {0, 0}, 1.0f, 10).empty());  // off any plot
        CHECK_THROWS_AS(spaced_subset({1}, {1, 2}, 5.0f, 10), Error);
        CHECK_THROWS_AS(spaced_subset({1}, {1}, 0.0f, 10), Error);
        CHECK_THROWS_AS(spaced_subset({1}, {1}, std::numeric_limits<float>::quiet_NaN(), 10), Error);
    }
}
