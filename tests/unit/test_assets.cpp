// test_assets.cpp: the embedded assets/ folder (cmake/EmbedAssets.cmake, aelab/assets.hpp).
#include "aelab/assets.hpp"
#include "aelab/common.hpp"

#include <doctest.h>

#include <string>

TEST_SUITE("data") {
    TEST_CASE("assets: every file under assets/ is embedded once, sorted, README.md excluded") {
        const auto& all = aelab::assets::all();
        for (size_t i = 0; i < all.size(); ++i) {
            CHECK(!all[i].path.empty());
            CHECK(all[i].path.find('\\') == std::string_view::npos);
            const std::string p(all[i].path);
            CHECK(p.size() >= 9);
            CHECK(p.compare(p.size() - 9, 9, "README.md") != 0);
            if (i > 0) CHECK(all[i - 1].path < all[i].path);
            CHECK(aelab::assets::find(all[i].path) == &all[i]);
            CHECK(aelab::assets::text(all[i].path) == all[i].text);
        }
    }
    TEST_CASE("assets: an unknown path is nullptr / a clear error naming it") {
        CHECK(aelab::assets::find("no/such/asset.txt") == nullptr);
        CHECK_THROWS_WITH_AS(aelab::assets::text("no/such/asset.txt"),
                             doctest::Contains("no/such/asset.txt"), aelab::Error);
    }
}
