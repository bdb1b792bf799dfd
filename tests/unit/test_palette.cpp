// test_palette.cpp: the palette module (aelab/palette.hpp, assets/palettes/) and the shared
// tick algorithm (aelab/ticks.hpp).
#include "aelab/common.hpp"
#include "aelab/palette.hpp"
#include "aelab/ticks.hpp"

#include <doctest.h>

#include <cmath>
#include <limits>
#include <string>

namespace pal = aelab::palette;

TEST_SUITE("data") {
    TEST_CASE("palette: every embedded palette parses, with the expected kinds and sizes") {
        const auto& all = pal::all();
        REQUIRE(all.size() >= 4);
        for (const auto& p : all) {
            CAPTURE(p.name);
            CHECK(p.colors.size() == p.names.size());
            CHECK(p.colors.size() >= (p.kind == pal::Kind::Categorical ? 1u : 2u));
        }
        CHECK(pal::get("tab10").kind == pal::Kind::Categorical);
        CHECK(pal::get("tab10").colors.size() == 10);
        CHECK(pal::get("viridis").kind == pal::Kind::Sequential);
        CHECK(pal::get("coolwarm").kind == pal::Kind::Diverging);
        CHECK(pal::get("rdbu").kind == pal::Kind::Diverging);
        CHECK_THROWS_WITH_AS(pal::get("jet"), doctest::Contains("no palette 'jet' (known: coolwarm, rdbu, tab10, viridis"),
                             aelab::Error);
    }
    TEST_CASE("palette: categorical is matplotlib's tab10, mod 10, with a no-label colour") {
        CHECK(pal::hex(pal::categorical(0)) == "#1f77b4");
        CHECK(pal::hex(pal::categorical(3)) == "#d62728");
        CHECK(pal::hex(pal::categorical(9)) == "#17becf");
        CHECK(pal::categorical(13) == pal::categorical(3));
        CHECK(pal::categorical(-1) == pal::get("tab10").no_label);
        for (int c = 0; c < 10; ++c) CHECK(pal::categorical(-1) != pal::categorical(c));
    }
    TEST_CASE("palette: colour maps interpolate their control points linearly, clamp, NaN -> no-label") {
        const pal::Palette& v = pal::get("viridis");
        CHECK(pal::interpolate(v, 0.0) == v.colors.front());
        CHECK(pal::interpolate(v, 1.0) == v.colors.back());
        CHECK(pal::interpolate(v, -3.0) == v.colors.front());
        CHECK(pal::interpolate(v, 7.0) == v.colors.back());
        CHECK(pal::hex(pal::colormap("viridis", 0.0)) == "#440154");  // the page's anchors
        CHECK(pal::hex(pal::colormap("viridis", 0.5)) == "#21908d");
        // Half way between the first two anchors (68,1,84) and (71,44,122): rounded mean.
        const pal::Rgb h = pal::interpolate(v, 0.5 / 8);
        CHECK(int(h.r) == 70);
        CHECK(int(h.g) == 23);
        CHECK(int(h.b) == 103);
        CHECK(pal::interpolate(v, std::nan("")) == v.no_label);
        CHECK(pal::hex(pal::colormap("rdbu", 0.5)) == "#f7f7f7");  // zero is (almost) white
    }
    TEST_CASE("palette: malformed text fails with the source and line number") {
        auto err = [](const char* text) {
            try {
                pal::parse(text, "t.txt");
            } catch (const aelab::Error& e) {
                return std::string(e.what());
            }
            return std::string("(parsed)");
        };
        CHECK(err("; c\nkind categorical\n#1f77b4 blue\n") == "(parsed)");
        CHECK(err("; comment\n#1f77b4 blue\n").rfind("t.txt:2: expected 'kind", 0) == 0);
        CHECK(err("kind rainbow\n").rfind("t.txt:1: unknown kind 'rainbow'", 0) == 0);
        CHECK(err("kind categorical\n#1f77b4 blue\n#12345 short\n").rfind("t.txt:3: expected a colour", 0) == 0);
        CHECK(err("kind categorical\n#1f77b4 blue\n#1f77bg bad\n").rfind("t.txt:3: expected a colour", 0) == 0);
        CHECK(err("kind categorical\n\n#1f77b4\n").rfind("t.txt:3: colour #1f77b4 has no name", 0) == 0);
        CHECK(err("kind categorical\n#1f77b4 two words\n").rfind("t.txt:2: a colour's name is one word", 0) == 0);
        CHECK(err("kind categorical\nno-label grey\n").rfind("t.txt:2: no-label wants one colour", 0) == 0);
        CHECK(err("kind categorical\nno-label #000000\nno-label #000000\n").rfind("t.txt:3: a second 'no-label'", 0) == 0);
        CHECK(err("kind categorical\nkind sequential\n").rfind("t.txt:2: a second 'kind'", 0) == 0);
        CHECK(err("kind sequential\n#000000 black\n").rfind("t.txt:3: a colour map needs at least 2", 0) == 0);
        CHECK(err("").rfind("t.txt:1: no 'kind' line", 0) == 0);
        const pal::Palette p = pal::parse("kind diverging\r\n#000000 a\r\n#ffffff b\r\nno-label #010203\r\n", "crlf");
        CHECK(p.colors.size() == 2);
        CHECK(pal::hex(p.no_label) == "#010203");
        CHECK(pal::hex(pal::interpolate(p, 0.5)) == "#808080");
    }
    TEST_CASE("ticks: nice_ticks picks 1/2/5 x 10^k steps inside the range") {
        const auto t = aelab::nice_ticks(0.0, 1.0, 5);
        REQUIRE(t.size() == 6);
        CHECK(t[0] == 0.0);
        CHECK(t[1] == doctest::Approx(0.2));
        CHECK(t[5] == doctest::Approx(1.0));
        const auto u = aelab::nice_ticks(-3.7, 12.2, 4);  // raw step 3.975 -> 5
        REQUIRE(u.size() == 3);
        CHECK(u[0] == doctest::Approx(0.0));
        CHECK(u[2] == doctest::Approx(10.0));
        const auto w = aelab::nice_ticks(-0.3, 0.3, 6);  // step 0.1, exact 0 in the middle
        REQUIRE(w.size() == 7);
        CHECK(w[3] == 0.0);
        CHECK(aelab::nice_ticks(1, 1, 5).empty());
        CHECK(aelab::nice_ticks(2, 1, 5).empty());
        CHECK(aelab::nice_ticks(0, std::numeric_limits<double>::infinity(), 5).empty());
        CHECK(aelab::nice_ticks(0, 1e6, 1000000).size() <= 1001);
    }
    TEST_CASE("ticks: log_ticks marks decades major, and 2 and 5 over short ranges") {
        auto majors = [](double a, double b) {
            std::string s;
            for (const auto& t : aelab::log_ticks(a, b))
                if (t.major) s += aelab::tick_label(t.value) + " ";
            return s;
        };
        CHECK(majors(1e-3, 1.0) == "0.001 0.01 0.1 1 ");
        CHECK(majors(0.01, 0.5) == "0.01 0.02 0.05 0.1 0.2 0.5 ");
        CHECK(aelab::log_ticks(1e-3, 1.0).size() == 28);  // 1..9 in three decades, plus 1
        CHECK(aelab::log_ticks(0, 1).empty());
        CHECK(aelab::log_ticks(1, 0.5).empty());
    }
    TEST_CASE("ticks: tick_label is compact") {
        CHECK(aelab::tick_label(0) == "0");
        CHECK(aelab::tick_label(35) == "35");
        CHECK(aelab::tick_label(12000) == "12k");
        CHECK(aelab::tick_label(2.5e6) == "2.5M");
        CHECK(aelab::tick_label(0.0123) == "0.0123");
        CHECK(aelab::tick_label(-0.5) == "-0.5");
    }
}
