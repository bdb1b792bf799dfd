// test_figure.cpp: the CLI's figures (native/cli: font, canvas, figure, plots): the bitmap
// font, PNG encoding, SVG well-formedness, and that a scatter / curve figure carries the
// points, tick labels, axis titles and legend it should, in both renderings.
#include "figure.hpp"
#include "font.hpp"
#include "images.hpp"

#include <doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace aelab::cli;

namespace {

size_t count_of(const std::string& s, const std::string& what) {
    size_t n = 0;
    for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
    return n;
}

// Minimal well-formedness: the prolog, then tags that nest and close, quoted attributes,
// and '&' only as an entity. Returns "" when fine, else what is wrong.
std::string xml_problem(const std::string& s) {
    if (s.rfind("<?xml", 0) != 0) return "no XML declaration";
    std::vector<std::string> open;
    size_t i = s.find("?>") + 2;
    bool root_seen = false;
    while (i < s.size()) {
        const size_t lt = s.find('<', i);
        const std::string text = s.substr(i, lt == std::string::npos ? std::string::npos : lt - i);
        for (size_t a = text.find('&'); a != std::string::npos; a = text.find('&', a + 1))
            if (text.compare(a, 4, "&lt;") && text.compare(a, 4, "&gt;") && text.compare(a, 5, "&amp;") &&
                text.compare(a, 6, "&quot;"))
                return "bare '&' in text";
        if (lt == std::string::npos) break;
        const size_t gt = s.find('>', lt);
        if (gt == std::string::npos) return "unclosed tag";
        std::string tag = s.substr(lt + 1, gt - lt - 1);
        if (count_of(tag, "\"") % 2) return "unbalanced quotes in <" + tag + ">";
        if (tag[0] == '/') {
            if (open.empty() || open.back() != tag.substr(1)) return "mismatched </" + tag.substr(1) + ">";
            open.pop_back();
        } else {
            if (open.empty() && root_seen) return "two root elements";
            root_seen = true;
            const bool self = tag.back() == '/';
            const std::string name = tag.substr(0, tag.find_first_of(" /\n"));
            if (!self) open.push_back(name);
        }
        i = gt + 1;
    }
    return open.empty() ? (root_seen ? "" : "no root") : "unclosed <" + open.back() + ">";
}

}  // namespace

TEST_SUITE("figures") {
    TEST_CASE("font: every printable character has a glyph, others draw as '?'") {
        for (char c = '!'; c <= '~'; ++c) {
            const std::uint8_t* g = font::glyph(c);
            int ink = 0;
            for (int r = 0; r < font::kGlyphH; ++r) ink += g[r] != 0;
            CAPTURE(c);
            CHECK(ink > 0);
        }
        for (int r = 0; r < font::kGlyphH; ++r) CHECK(font::glyph(' ')[r] == 0);
        CHECK(font::glyph('\x01') == font::glyph('?'));
        CHECK(font::glyph(char(0xC3)) == font::glyph('?'));
        CHECK(font::glyph('g')[7] != 0);  // a descender
        CHECK(font::glyph('a')[7] == 0);
        CHECK(font::text_width("", 2) == 0);
        CHECK(font::text_width("0.25", 2) == 46);  // (4 * 6 - 1) * 2
    }
    TEST_CASE("canvas: text draws the glyph's pixels at the scale, upright and rotated") {
        Canvas cv(40, 40);
        cv.text(2, 3, "1", {0, 0, 0}, 2);  // "1" row 0 is "..#..": ink at column 2
        CHECK(cv.at(2 + 4, 3) == Rgb{0, 0, 0});
        CHECK(cv.at(2 + 5, 4) == Rgb{0, 0, 0});
        CHECK(cv.at(2, 3) == Rgb{255, 255, 255});
        Canvas up(40, 40);
        up.text(2, 30, "1", {0, 0, 0}, 1, true);  // reads upwards: column 2 -> 3 px above y
        CHECK(up.at(2, 30 - 3) == Rgb{0, 0, 0});
        CHECK(up.at(2, 30 - 1) == Rgb{255, 255, 255});
        const std::string png = cv.encode_png();
        CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
        CHECK_THROWS_AS(cv.at(40, 0), aelab::Error);
    }
    TEST_CASE("figure: xml_escape, and the SVG of every item kind is well-formed") {
        CHECK(xml_escape("a<b & \"c\">") == "a&lt;b &amp; &quot;c&quot;&gt;");
        Figure f(200, 100);
        f.fill_rect(1, 2, 3, 4, {1, 2, 3});
        f.stroke_rect(1, 2, 30, 40, {1, 2, 3});
        f.line(0, 0, 10, 10, {9, 9, 9}, 2, true);
        f.polyline({{0, 0}, {5, 5}, {9, 1}}, {9, 9, 9});
        f.dot(5, 5, 2, {200, 0, 0}, 0.5f);
        f.dot(6, 5, 2, {200, 0, 0}, 0.5f);
        f.text(50, 50, "R&D <test>", {0, 0, 0}, 2, Anchor::Middle);
        f.text(10, 90, "up", {0, 0, 0}, 2, Anchor::Start, true);
        f.image(100, 10, std::vector<std::uint8_t>(2 * 3 * 3, 128), 2, 3, 4);
        const std::string svg = f.svg();
        CHECK(xml_problem(svg) == "");
        CHECK(count_of(svg, "<circle") == 2);
        CHECK(count_of(svg, "<g fill=\"#c80000\"") == 1);  // one group for a run of same dots
        CHECK(count_of(svg, "stroke-dasharray") == 1);
        CHECK(count_of(svg, "R&amp;D &lt;test&gt;") == 1);
        CHECK(count_of(svg, "rotate(-90)") == 1);
        CHECK(count_of(svg, "data:image/png;base64,iVBORw0KGgo") == 1);  // a PNG, base64
        CHECK(f.png().compare(1, 3, "PNG") == 0);
        CHECK_THROWS_AS(f.image(0, 0, std::vector<std::uint8_t>(5), 2, 3, 1), aelab::Error);
    }
    TEST_CASE("figure: scatter has every point, ticks with labels on both axes, titles and a legend") {
        const int n = 60;
        aelab::Mat xy(2, n);
        std::vector<int> labels(n);
        for (int i = 0; i < n; ++i) {
            xy(0, i) = float(i % 10) - 4.5f;   // x in [-4.5, 4.5]
            xy(1, i) = 0.01f * float(i);       // y in [0, 0.59]
            labels[size_t(i)] = i % 10;
        }
        std::vector<std::string> names;
        for (int c = 0; c < 10; ++c) names.push_back(std::to_string(c));
        const Figure f = scatter_figure("codes", xy, labels, names, "z1", "z2");
        const std::string svg = f.svg();
        CHECK(xml_problem(svg) == "");
        // The robust range keeps the 0.5%..99.5% quantiles: with 60 points, the extremes may fall out.
        CHECK(f.count_dots() >= n - 4);
        CHECK(int(count_of(svg, "<circle")) == f.count_dots());
        CHECK(int(count_of(svg, "<text")) == f.count_texts());
        CHECK(count_of(svg, ">z1</text>") == 1);
        CHECK(count_of(svg, ">z2</text>") == 1);
        CHECK(count_of(svg, ">codes</text>") == 1);
        CHECK(count_of(svg, ">0</text>") >= 2);   // x tick 0 and legend "0" (y tick 0 too, maybe)
        CHECK(count_of(svg, ">-4</text>") == 1);  // an x tick label
        CHECK(count_of(svg, ">0.2</text>") == 1); // a y tick label
        CHECK(count_of(svg, "fill=\"#1f77b4\"") >= 2);  // class 0: legend square and its dots
        // Title + axis titles + 10 legend names + at least 3 tick labels on each axis.
        CHECK(f.count_texts() >= 1 + 2 + 10 + 6);
    }
    TEST_CASE("figure: curves on a log axis, with a dashed reference line and a legend") {
        CurveSeries a{"train loss", {0, 100, 200, 300}, {0.2, 0.08, 0.06, 0.05}, aelab::palette::categorical(0)};
        CurveSeries b{"test loss", {0, 100, 200, 300}, {0.21, 0.09, std::nan(""), 0.055}, aelab::palette::categorical(1)};
        const Figure f = curves_figure("loss curves", {a, b}, {{"PCA-2", 0.055, {0, 0, 0}}}, "step", "loss");
        const std::string svg = f.svg();
        CHECK(xml_problem(svg) == "");
        CHECK(count_of(svg, "<polyline") == 3);  // a, and b broken at its NaN into two runs
        CHECK(count_of(svg, "stroke-dasharray") == 2);  // the PCA line and its legend sample
        CHECK(count_of(svg, ">step</text>") == 1);
        CHECK(count_of(svg, ">loss</text>") == 1);
        CHECK(count_of(svg, ">train loss</text>") == 1);
        CHECK(count_of(svg, ">PCA-2</text>") == 1);
        CHECK(count_of(svg, ">0.1</text>") == 1);  // a major log tick
        CHECK(count_of(svg, ">300</text>") == 1);  // the last x tick
        // Nothing finite: an empty frame, no curve, no crash.
        const Figure e = curves_figure("empty", {{"x", {1}, {std::nan("")}, {0, 0, 0}}}, {}, "step", "loss");
        CHECK(xml_problem(e.svg()) == "");
        CHECK(count_of(e.svg(), "<polyline") == 0);
    }
}
