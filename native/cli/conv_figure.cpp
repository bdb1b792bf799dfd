// conv_figure.cpp: see conv_figure.hpp.
#include "conv_figure.hpp"

#include "font.hpp"

#include <algorithm>
#include <cmath>

namespace aelab::cli {
namespace {

const Rgb kBlack{0, 0, 0}, kGray{110, 110, 110};
constexpr std::uint32_t kPadLight = 0xFFDCDCDCu;  // light grey between tiles (IM_COL32 layout)
constexpr int kMaxWidth = 1200, kTarget = 200, kGap = 24, kTop = 56;

// RGB8 of a ConvImage's IM_COL32 pixels.
std::vector<std::uint8_t> rgb_of(const app::ConvImage& m) {
    std::vector<std::uint8_t> rgb(m.rgba.size() * 3);
    for (size_t i = 0; i < m.rgba.size(); ++i) {
        const std::uint32_t c = m.rgba[i];
        rgb[i * 3] = std::uint8_t(c & 0xFF);
        rgb[i * 3 + 1] = std::uint8_t((c >> 8) & 0xFF);
        rgb[i * 3 + 2] = std::uint8_t((c >> 16) & 0xFF);
    }
    return rgb;
}

// Integer scale bringing the montage's larger side to about kTarget px (1..12).
int scale_of(const app::ConvImage& m) {
    const int side = std::max({m.width, m.height, 1});
    return std::clamp(int(std::lround(double(kTarget) / side)), 1, 12);
}

// Blocks (label, detail, tiles) flowing left to right in rows under a title and a note.
Figure montage_figure(const std::vector<app::ConvImage>& ms, const std::string& title, const std::string& note) {
    struct Box { int x, y, w, h, s; };
    std::vector<Box> boxes;
    int x = kGap, y = kTop, row_h = 0, W = 0;
    for (const app::ConvImage& m : ms) {
        const int s = scale_of(m);
        const int w = std::max({m.width * s, font::text_width(m.label, 2), font::text_width(m.detail, 1)});
        const int h = 20 + 14 + m.height * s;
        if (x > kGap && x + w > kMaxWidth) {
            x = kGap;
            y += row_h + kGap;
            row_h = 0;
        }
        boxes.push_back({x, y, w, h, s});
        x += w + kGap;
        W = std::max(W, x);
        row_h = std::max(row_h, h);
    }
    W = std::max({W, font::text_width(title, 2) + 2 * kGap, font::text_width(note, 1) + 2 * kGap});
    Figure f(W, y + row_h + kGap);
    f.text(kGap, 10, title, kBlack, 2);
    f.text(kGap, 34, note, kGray, 1);
    for (size_t i = 0; i < ms.size(); ++i) {
        const Box& b = boxes[i];
        f.text(float(b.x), float(b.y), ms[i].label, kBlack, 2);
        f.text(float(b.x), float(b.y + 20), ms[i].detail, kGray, 1);
        f.image(float(b.x), float(b.y + 34), rgb_of(ms[i]), ms[i].width, ms[i].height, b.s);
    }
    return f;
}

}  // namespace

Figure conv_filters_figure(const Graph<float>& g, const std::string& title, app::FilterMode mode) {
    app::ConvViewOptions o;
    o.mode = mode;
    o.pad_rgba = kPadLight;
    const std::vector<app::ConvImage> ms = app::filter_montages(g, o);
    AELAB_REQUIRE(!ms.empty(), "conv figures: " + g.arch_string() + " has no conv2d or conv2d_transpose layer");
    return montage_figure(ms, title,
                          mode == app::FilterMode::Channel
                              ? "one tile per filter: its kernel on input channel 0; red > 0, blue < 0, white 0; "
                                "each layer scaled to its max |w|"
                              : "one tile per filter: mean |w| over its input channels; white 0, red large; "
                                "each layer scaled to its max");
}

Figure conv_feature_maps_figure(const Graph<float>& g, const float* image, const std::string& title) {
    AELAB_REQUIRE(!app::spatial_layers(g).empty(), "conv figures: " + g.arch_string() + " has no layer with a spatial output");
    Graph<float> copy = app::weights_copy(g);
    app::ConvViewOptions o;
    o.pad_rgba = kPadLight;
    const std::vector<app::ConvImage> ms = app::feature_maps_of(copy, image, o);
    return montage_figure(ms, title, "one tile per channel; viridis from the layer's minimum (dark) to its maximum (yellow)");
}

}  // namespace aelab::cli
