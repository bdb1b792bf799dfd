// test_layout_app.cpp: the playground's screen layout (web/app/layout.hpp), its theme file
// (web/app/theme_data.hpp, assets/theme/dark.txt) and the page parameters that drive them
// (panel=, layout=, the silent act= case). Headless: no ImGui; native and WASM.
#include <doctest.h>

#include "controller.hpp"
#include "layout.hpp"
#include "presets.hpp"
#include "state.hpp"
#include "theme_data.hpp"

#include "aelab/common.hpp"

#include <string>
#include <vector>

using namespace aelab;
using namespace aelab::app;

namespace {

// The panels of an image data set (MNIST, Fashion) and of a 3-D set, as app.cpp lists them.
std::vector<PanelRequest> image_panels() {
    return {{kPanelScatter, 2, 40}, {kPanelLoss, 1, 30}, {kPanelRecon, 1, 45}, {kPanelDecoder, 1, 50}, {kPanelPca, 1, 25}};
}
std::vector<PanelRequest> band_panels() {
    return {{kPanelData, 2, 30}, {kPanelLoss, 1, 30}, {kPanelScatter, 2, 40}, {kPanelPca, 1, 25}};
}

LayoutInput input(float w, float h, std::vector<PanelRequest> panels) {
    LayoutInput in;
    in.width = w;
    in.height = h;
    in.panels = std::move(panels);
    return in;
}

// Everything inside the window, nothing overlapping (the open drawer overlays on purpose:
// it is checked apart), panels at least the minimum size unless tabbed or solo.
void check_sane(const Layout& l, const LayoutInput& in) {
    const Rect win{0, 0, in.width, in.height};
    std::vector<Rect> boxes;
    for (const PanelBox& p : l.panels) boxes.push_back(p.rect);
    for (const TabBox& t : l.tab_boxes) boxes.push_back(t.rect);
    if (l.docked) boxes.push_back(l.controls);
    if (!l.toolbar.empty()) boxes.push_back(l.toolbar);
    boxes.push_back(l.status);
    for (size_t i = 0; i < boxes.size(); ++i) {
        CAPTURE(i);
        CHECK(win.contains(boxes[i]));
        CHECK_FALSE(boxes[i].empty());
        for (size_t j = i + 1; j < boxes.size(); ++j) CHECK_FALSE(boxes[i].overlaps(boxes[j]));
    }
    if (l.drawer) CHECK(win.contains(l.controls));
    if (!l.tabs && !l.solo)
        for (const PanelBox& p : l.panels) {
            CHECK(p.rect.w >= kMinPanelW * in.scale);
            CHECK(p.rect.h >= kMinPanelH * in.scale);
        }
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("layout 1280x800: docked column, a 3-column grid of two rows") {
        const LayoutInput in = input(1280, 800, image_panels());
        const Layout l = compute_layout(in);
        check_sane(l, in);
        CHECK(l.docked);
        CHECK_FALSE(l.narrow);
        CHECK_FALSE(l.tabs);
        CHECK(l.toolbar.empty());
        CHECK(l.controls.w == doctest::Approx(320));
        REQUIRE(l.panels.size() == 5);
        CHECK(l.panels[0].panel == kPanelScatter);
        CHECK(l.panels[0].rect.w == doctest::Approx(2 * l.panels[1].rect.w).epsilon(0.01));
        CHECK(l.panels[2].rect.y > l.panels[0].rect.y);  // recon starts the second row
        // the panels fill the area exactly
        float area = 0;
        for (const PanelBox& p : l.panels) area += p.rect.w * p.rect.h;
        CHECK(area == doctest::Approx(l.area.w * l.area.h));
    }

    TEST_CASE("layout 800x600: docked column, one wide panel at a time behind tabs") {
        for (const auto& panels : {image_panels(), band_panels()}) {
            const LayoutInput in = input(800, 600, panels);
            const Layout l = compute_layout(in);
            check_sane(l, in);
            CHECK(l.docked);
            CHECK(l.tabs);  // 500 px: one column of 4-5 rows would be ~110-140 px tall
            CHECK(l.controls.w == doctest::Approx(kColumnMinW));
            REQUIRE(l.panels.size() == 1);
            CHECK(l.panels[0].rect.w == doctest::Approx(800 - kColumnMinW));
            CHECK(l.tab_boxes.size() == panels.size());
        }
        // 1000x700: the column, and a grid of two columns
        const LayoutInput in = input(1000, 700, band_panels());
        const Layout l = compute_layout(in);
        check_sane(l, in);
        CHECK_FALSE(l.tabs);
        CHECK(l.panels.size() == 4);
    }

    TEST_CASE("layout 390x844 (phone): drawer, toolbar, one panel at a time behind tabs") {
        LayoutInput in = input(390, 844, image_panels());
        in.scale = 1;
        Layout l = compute_layout(in);
        check_sane(l, in);
        CHECK(l.narrow);
        CHECK_FALSE(l.docked);
        CHECK_FALSE(l.drawer);
        CHECK(l.controls.empty());
        CHECK_FALSE(l.toolbar.empty());
        CHECK(l.tabs);
        REQUIRE(l.panels.size() == 1);
        CHECK(l.panels[0].rect.w == doctest::Approx(390));
        CHECK(l.tab_boxes.size() == 5);
        // a tab chosen by the user is the one shown
        in.active_tab = kPanelRecon;
        l = compute_layout(in);
        CHECK(l.panels[0].panel == kPanelRecon);
        // the drawer overlays the panels without moving them
        in.drawer_open = true;
        const Layout d = compute_layout(in);
        CHECK(d.drawer);
        CHECK(d.controls.w == doctest::Approx(340));
        CHECK(d.panels[0].rect.x == doctest::Approx(l.panels[0].rect.x));
        CHECK(d.panels[0].rect.w == doctest::Approx(l.panels[0].rect.w));
        // the 3-D sets' four panels stack (each still at least the minimum size)
        const LayoutInput band = input(390, 844, band_panels());
        const Layout b = compute_layout(band);
        check_sane(b, band);
        CHECK_FALSE(b.tabs);
        CHECK(b.panels.size() == 4);
    }

    TEST_CASE("layout 640x400 embed: tabs, the shown panel takes the whole width") {
        const LayoutInput in = input(640, 400, image_panels());
        const Layout l = compute_layout(in);
        check_sane(l, in);
        CHECK(l.narrow);
        CHECK(l.tabs);
        REQUIRE(l.panels.size() == 1);
        CHECK(l.panels[0].rect.w == doctest::Approx(640));
        CHECK(l.panels[0].rect.h >= 300);
    }

    TEST_CASE("layout: the drawer threshold, scale, ?panel= and ?layout=") {
        CHECK(compute_layout(input(kDrawerBelow - 1, 800, image_panels())).narrow);
        CHECK_FALSE(compute_layout(input(kDrawerBelow, 800, image_panels())).narrow);
        LayoutInput big = input(kDrawerBelow + 100, 800, image_panels());
        big.scale = 2;  // everything twice as large: the column no longer fits
        CHECK(compute_layout(big).narrow);
        // hide=controls on a wide window: toolbar, panels over the whole width
        LayoutInput lecture = input(1280, 800, image_panels());
        lecture.controls = false;
        const Layout lc = compute_layout(lecture);
        check_sane(lc, lecture);
        CHECK_FALSE(lc.docked);
        CHECK(lc.area.w == doctest::Approx(1280));
        // ?panel=loss: that panel alone fills the area; one the data lacks is ignored
        LayoutInput solo = input(1280, 800, image_panels());
        solo.solo = kPanelLoss;
        const Layout ls = compute_layout(solo);
        CHECK(ls.solo);
        REQUIRE(ls.panels.size() == 1);
        CHECK(ls.panels[0].panel == kPanelLoss);
        CHECK(ls.panels[0].rect.w == doctest::Approx(ls.area.w));
        solo.solo = kPanelGauss;
        CHECK(compute_layout(solo).panels.size() == 5);
        // ?layout=tabs on a large window, ?layout=grid on a small one
        LayoutInput tabs = input(1280, 800, image_panels());
        tabs.mode = LayoutMode::Tabs;
        CHECK(compute_layout(tabs).tabs);
        LayoutInput grid = input(640, 400, image_panels());
        grid.mode = LayoutMode::Grid;
        const Layout lg = compute_layout(grid);
        CHECK_FALSE(lg.tabs);
        CHECK(lg.panels.size() == 5);
        // no panels: the area is there for the "every panel is hidden" notice
        const Layout none = compute_layout(input(800, 600, {}));
        CHECK(none.panels.empty());
        CHECK_FALSE(none.area.empty());
    }

    TEST_CASE("layout: tabs wrap onto more rows instead of cutting their labels") {
        std::vector<PanelRequest> wide;
        for (Panel p : {kPanelLoss, kPanelScatter, kPanelRecon, kPanelDecoder, kPanelPca}) wide.push_back({p, 1, 120});
        LayoutInput in = input(390, 844, wide);
        in.mode = LayoutMode::Tabs;
        const Layout l = compute_layout(in);
        check_sane(l, in);
        CHECK(l.tab_strip.h == doctest::Approx(3 * kBarH));  // 140 px per tab: 2 + 2 + 1
        for (const TabBox& t : l.tab_boxes) CHECK(t.rect.w >= 120);
    }

    TEST_CASE("ClipReport and layout_json: truncated labels, message and panels for window.aelab") {
        ClipReport c;
        CHECK(c.check("title:loss", 100, 100.4f));
        CHECK_FALSE(c.check("tab:recon", 80, 60));
        REQUIRE(c.items().size() == 1);
        const LayoutInput in = input(1280, 800, image_panels());
        MessageView mv;
        mv.rect = {10, 700, 400, 40};
        mv.swatch = {10, 700, 8, 40};
        mv.severity = "error";
        mv.text = "URL: ignored lr=\"-3\"";
        mv.swatch_rgb = 0xff5a50;
        const std::string j = layout_json(compute_layout(in), in, mv, c);
        CHECK(j.find("\"mode\":\"grid\"") != std::string::npos);
        CHECK(j.find("{\"name\":\"loss\",\"rect\":[") != std::string::npos);
        CHECK(j.find("\"severity\":\"error\"") != std::string::npos);
        CHECK(j.find("\"rgb\":\"#ff5a50\"") != std::string::npos);
        CHECK(j.find("\\\"-3\\\"") != std::string::npos);
        CHECK(j.find("\"truncated\":[\"tab:recon\"]") != std::string::npos);
        CHECK(layout_json(compute_layout(in), in, MessageView{}, ClipReport{}).find("\"message\":null") != std::string::npos);
    }

    TEST_CASE("share URL and iframe snippet") {
        CHECK(share_url("https://x.org/aelab/index.html", "preset=linear-mnist&lr=0.01") ==
              "https://x.org/aelab/index.html?preset=linear-mnist&lr=0.01");
        CHECK(share_url("https://x.org/", "") == "https://x.org/");
        CHECK(share_url("", "k=3") == "index.html?k=3");
        CHECK(iframe_snippet("https://x.org/?a=1&b=\"2\"", 640, 400) ==
              "<iframe src=\"https://x.org/?a=1&amp;b=&quot;2&quot;\" width=\"640\" height=\"400\" "
              "style=\"border:0\" title=\"aelab: autoencoders vs PCA\"></iframe>");
    }

    TEST_CASE("panel= and layout= round-trip through the URL; bad values are reported") {
        QueryResult r = parse_query("?preset=linear-mnist&panel=loss&layout=tabs");
        CHECK(r.messages.empty());
        CHECK(r.settings.panel == kPanelLoss);
        CHECK(r.settings.layout == LayoutMode::Tabs);
        const std::string q = to_query(r.settings);
        CHECK(q.find("panel=loss") != std::string::npos);
        CHECK(q.find("layout=tabs") != std::string::npos);
        CHECK(parse_query(q).settings == r.settings);
        for (const char* bad : {"?panel=controls", "?panel=nope", "?layout=masonry"}) {
            CAPTURE(bad);
            QueryResult b = parse_query(bad);
            CHECK(b.messages.size() == 1);
            CHECK(b.settings.panel == 0);
            CHECK(b.settings.layout == LayoutMode::Auto);
        }
    }

    TEST_CASE("act= without a hidden layer says why it has no effect") {
        QueryResult r = parse_query("?preset=linear-mnist&arch=none&act=relu");
        REQUIRE(r.messages.size() == 1);
        CHECK(r.messages[0].find("no hidden layer") != std::string::npos);
        CHECK(r.messages[0].find("arch=") != std::string::npos);
        CHECK(parse_query("?arch=64&act=relu").messages.empty());
    }

    TEST_CASE("theme: the embedded dark.txt gives every colour") {
        const ThemeColors t = load_theme("dark");
        REQUIRE(t.colors.size() == theme_names().size());
        for (size_t i = 0; i < t.colors.size(); ++i) CHECK(t.colors[i].name == theme_names()[i]);
        CHECK(t.at("imgui_window_bg").a == 255);
        CHECK(t.at("msg_error").r > t.at("msg_error").g);   // errors are red
        CHECK(t.at("train").a < 255);                       // #rrggbbaa read
        CHECK_THROWS_AS(t.at("no_such_colour"), Error);
        CHECK_THROWS_AS(load_theme("no-such-theme"), Error);
    }

    TEST_CASE("theme: hostile files are refused with the line") {
        std::string good;
        for (const std::string& n : theme_names()) good += n + " = #102030\n";
        CHECK_NOTHROW(parse_theme(good, "t"));
        CHECK(parse_theme("; comment\n\n" + good, "t").at("text_dim").b == 0x30);
        const auto fails = [](const std::string& text, const std::string& want) {
            CAPTURE(want);
            try {
                parse_theme(text, "t.txt");
                FAIL("no error");
            } catch (const Error& e) {
                CHECK(std::string(e.what()).find(want) != std::string::npos);
            }
        };
        fails(good + "bogus = #000000\n", "unknown colour name 'bogus'");
        fails(good + "text_dim = #000000\n", "given twice");
        fails(good.substr(good.find('\n') + 1), "missing colour(s): text_dim");
        fails("text_dim = #12345\n", "t.txt:1:");
        fails("text_dim = #1234567\n", "want #rrggbb");
        fails("text_dim = 102030\n", "want #rrggbb");
        fails("text_dim = #10203g\n", "want #rrggbb");
        fails("text_dim #102030\n", "want 'name = #rrggbb[aa]'");
        fails("", "missing colour(s)");
        fails(std::string("text_dim = #10\0" "2030\n", 20), "want #rrggbb");
    }
    TEST_CASE("controller: a data set that fails to load is an error, and the fallback a warning") {
        Platform p;
        p.request_images = [](DatasetKind) {};
        Controller c(p);
        c.apply_query("?preset=linear-mnist&panel=loss&layout=tabs");
        c.sync();
        REQUIRE(c.loading());
        c.on_data_error(DatasetKind::MNIST, "HTTP 404");
        REQUIRE(c.messages().size() == 2);
        CHECK(c.messages()[0].error);
        CHECK(c.messages()[0].text == std::string("could not load ") + dataset_label(DatasetKind::MNIST) + ": HTTP 404");
        CHECK(c.messages()[1].warning);
        CHECK(c.messages()[1].text.find(std::string(dataset_label(DatasetKind::MNIST)) + " is not available: showing") == 0);
        CHECK(c.settings().dataset != DatasetKind::MNIST);
        CHECK(c.settings().panel == kPanelLoss);            // the page's view is kept
        CHECK(c.settings().layout == LayoutMode::Tabs);
    }
}
