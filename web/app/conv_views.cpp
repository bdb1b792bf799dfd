// conv_views.cpp: see conv_views.hpp.
#include "conv_views.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace aelab::app {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// An empty grid of `tiles` tiles of tw x th: geometry set, pixels = padding.
ConvImage make_grid(int tiles, int tw, int th, const ConvViewOptions& opt) {
    AELAB_REQUIRE(opt.pad >= 0, "conv view: padding must be >= 0, got " + std::to_string(opt.pad));
    AELAB_REQUIRE(opt.cols >= 0, "conv view: tiles per row must be >= 0 (0 = auto), got " + std::to_string(opt.cols));
    ConvImage m;
    m.tiles = tiles;
    m.tile_w = tw;
    m.tile_h = th;
    m.pad = opt.pad;
    int cols = opt.cols;
    if (cols == 0) cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(tiles)) - 1e-9));
    m.cols = std::max(1, std::min(cols, std::max(tiles, 1)));
    m.rows = tiles == 0 ? 0 : (tiles + m.cols - 1) / m.cols;
    m.width = m.cols * (tw + m.pad) + m.pad;
    m.height = m.rows * (th + m.pad) + m.pad;
    const size_t n = static_cast<size_t>(m.width) * static_cast<size_t>(m.height);
    m.rgba.assign(n, opt.pad_rgba);
    m.value.assign(n, kNaN);
    m.t.assign(n, kNaN);
    return m;
}

// Pixel (x, y) of tile k gets raw value v, normalised t and its colour on palette p.
void put(ConvImage& m, int k, int x, int y, float v, float t, const palette::Palette& p) {
    int x0 = 0, y0 = 0;
    m.tile_origin(k, &x0, &y0);
    const size_t i = static_cast<size_t>(y0 + y) * static_cast<size_t>(m.width) + static_cast<size_t>(x0 + x);
    m.value[i] = v;
    m.t[i] = t;
    m.rgba[i] = pack_rgba(palette::interpolate(p, t));
}

std::string fmt(const char* f, double a) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, a);
    return buf;
}

bool is_conv(LayerKind k) { return k == LayerKind::Conv2D || k == LayerKind::ConvTranspose2D; }

}  // namespace

bool ConvImage::tile_origin(int k, int* x, int* y) const {
    if (k < 0 || k >= tiles) return false;
    if (x) *x = pad + (k % cols) * (tile_w + pad);
    if (y) *y = pad + (k / cols) * (tile_h + pad);
    return true;
}

int ConvImage::tile_at(int x, int y, int* tx, int* ty) const {
    if (x < pad || y < pad || x >= width || y >= height) return -1;
    const int c = (x - pad) / (tile_w + pad), r = (y - pad) / (tile_h + pad);
    const int ix = (x - pad) % (tile_w + pad), iy = (y - pad) % (tile_h + pad);
    const int k = r * cols + c;
    if (ix >= tile_w || iy >= tile_h || c >= cols || k >= tiles) return -1;
    if (tx) *tx = ix;
    if (ty) *ty = iy;
    return k;
}

std::uint32_t pack_rgba(palette::Rgb c) {
    return 0xFF000000u | (std::uint32_t(c.b) << 16) | (std::uint32_t(c.g) << 8) | std::uint32_t(c.r);
}

std::string layer_label(const Graph<float>& g, int i) {
    AELAB_REQUIRE(i >= 0 && i < g.num_layers(),
                  "conv view: layer " + std::to_string(i) + " is not one of the graph's " +
                      std::to_string(g.num_layers()) + " layers");
    const Shape& s = g.layer(i).out_shape();
    return std::string(layer_kind_name(g.layer(i).kind())) + " " + std::to_string(s.c) + "@" + std::to_string(s.h) +
           "x" + std::to_string(s.w);
}

std::vector<int> conv_layers(const Graph<float>& g) {
    std::vector<int> out;
    for (int i = 0; i < g.num_layers(); ++i)
        if (is_conv(g.layer(i).kind())) out.push_back(i);
    return out;
}

std::vector<int> spatial_layers(const Graph<float>& g) {
    std::vector<int> out;
    for (int i = 0; i < g.num_layers(); ++i) {
        const Shape& s = g.layer(i).out_shape();
        if (s.h > 1 || s.w > 1) out.push_back(i);
    }
    return out;
}

ConvImage filter_montage(const Graph<float>& g, int layer, const ConvViewOptions& opt) {
    AELAB_REQUIRE(layer >= 0 && layer < g.num_layers(),
                  "conv view: layer " + std::to_string(layer) + " is not one of the graph's " +
                      std::to_string(g.num_layers()) + " layers");
    const Layer<float>& L = g.layer(layer);
    AELAB_REQUIRE(is_conv(L.kind()), "conv view: layer " + std::to_string(layer) + " (" + L.spec().str() +
                                         ") is not a conv2d or conv2d_transpose layer: it has no filters");
    const bool transposed = L.kind() == LayerKind::ConvTranspose2D;
    const int C = static_cast<int>(L.in_shape().c), F = L.spec().units, k = L.spec().kernel;
    if (opt.mode == FilterMode::Channel)
        AELAB_REQUIRE(opt.channel >= 0 && opt.channel < C,
                      "conv view: input channel " + std::to_string(opt.channel) + " of layer " + std::to_string(layer) +
                          " (" + L.spec().str() + ") is not in [0, " + std::to_string(C) + ")");
    const float* p = g.params().data() + g.offset(layer);
    const Index kk = Index(k) * k;
    // w(f, c) points at the k x k kernel (row-major) of output filter f, input channel c.
    auto w = [&](int f, int c) -> const float* {
        return transposed ? p + (Index(c) * F + f) * kk : p + (Index(f) * C + c) * kk;
    };
    // Values first (F tiles of k x k), then the symmetric range over all of them.
    std::vector<float> vals(static_cast<size_t>(F) * kk);
    for (int f = 0; f < F; ++f)
        for (Index j = 0; j < kk; ++j) {
            float v;
            if (opt.mode == FilterMode::Channel) {
                v = w(f, opt.channel)[j];
            } else {
                double s = 0;
                for (int c = 0; c < C; ++c) s += std::fabs(double(w(f, c)[j]));
                v = static_cast<float>(s / C);
            }
            vals[static_cast<size_t>(f) * kk + j] = v;
        }
    float m = 0;
    for (float v : vals)
        if (std::isfinite(v)) m = std::max(m, std::fabs(v));
    if (!(m > 0)) m = 1;  // all-zero filters: white
    ConvImage img = make_grid(F, k, k, opt);
    img.layer = layer;
    img.label = layer_label(g, layer);
    img.lo = -m;
    img.hi = m;
    const palette::Palette& pal = palette::get("rdbu");
    for (int f = 0; f < F; ++f)
        for (int y = 0; y < k; ++y)
            for (int x = 0; x < k; ++x) {
                const float v = vals[static_cast<size_t>(f) * kk + y * k + x];
                const float t = std::isfinite(v) ? std::clamp(0.5f + 0.5f * v / m, 0.0f, 1.0f) : kNaN;
                put(img, f, x, y, v, t, pal);
            }
    const std::string kern = std::to_string(F) + " filters " + std::to_string(k) + "x" + std::to_string(k);
    img.detail = opt.mode == FilterMode::Channel
                     ? kern + ", input channel " + std::to_string(opt.channel) + " of " + std::to_string(C)
                     : kern + ", mean |w| over " + std::to_string(C) + " input channel" + (C == 1 ? "" : "s");
    img.detail += fmt(", max |w| %.3g", m);
    return img;
}

std::vector<ConvImage> filter_montages(const Graph<float>& g, const ConvViewOptions& opt) {
    std::vector<ConvImage> out;
    ConvViewOptions o = opt;
    o.channel = 0;
    for (int i : conv_layers(g)) out.push_back(filter_montage(g, i, o));
    return out;
}

std::vector<ConvImage> feature_maps(const Graph<float>& g, Index col, const ConvViewOptions& opt) {
    const Index B = g.layer(0).output().cols();
    AELAB_REQUIRE(B > 0, "conv view: no forward pass has been run on this graph yet (no feature maps cached)");
    AELAB_REQUIRE(col >= 0 && col < B, "conv view: column " + std::to_string(col) +
                                           " is not in the last forward batch of " + std::to_string(B));
    const palette::Palette& pal = palette::get("viridis");
    std::vector<ConvImage> out;
    for (int i : spatial_layers(g)) {
        const Layer<float>& L = g.layer(i);
        const Shape& s = L.out_shape();
        const MatT<float>& Y = L.output();
        AELAB_REQUIRE(Y.rows() == s.size() && Y.cols() == B,
                      "conv view: layer " + std::to_string(i) + " has no cached output of the last batch");
        const float* y = Y.data() + col * Y.rows();
        float lo = std::numeric_limits<float>::infinity(), hi = -lo;
        for (Index j = 0; j < s.size(); ++j)
            if (std::isfinite(y[j])) lo = std::min(lo, y[j]), hi = std::max(hi, y[j]);
        if (!(lo <= hi)) lo = hi = 0;  // nothing finite
        ConvImage img = make_grid(static_cast<int>(s.c), static_cast<int>(s.w), static_cast<int>(s.h), opt);
        img.layer = i;
        img.label = layer_label(g, i);
        img.lo = lo;
        img.hi = hi;
        const float span = hi - lo;
        for (Index c = 0; c < s.c; ++c)
            for (Index r = 0; r < s.h; ++r)
                for (Index x = 0; x < s.w; ++x) {
                    const float v = y[(c * s.h + r) * s.w + x];
                    float t = kNaN;
                    if (std::isfinite(v)) t = span > 0 ? std::clamp((v - lo) / span, 0.0f, 1.0f) : 0.5f;
                    put(img, static_cast<int>(c), static_cast<int>(x), static_cast<int>(r), v, t, pal);
                }
        img.detail = "range [" + fmt("%.3g", lo) + ", " + fmt("%.3g", hi) + "]";
        out.push_back(std::move(img));
    }
    return out;
}

Graph<float> weights_copy(const Graph<float>& g) {
    Graph<float> c(g.input_shape(), parse_arch(g.arch_string()));
    AELAB_REQUIRE(c.num_params() == g.num_params(), "conv view: the copy of " + g.arch_string() +
                                                        " has another parameter count");
    c.params() = g.params();
    return c;
}

std::vector<ConvImage> feature_maps_of(Graph<float>& g, const float* image, const ConvViewOptions& opt) {
    AELAB_REQUIRE(image != nullptr, "conv view: no input image");
    const Eigen::Map<const MatT<float>> X(image, g.input_shape().size(), 1);
    g.forward(X);
    return feature_maps(g, 0, opt);
}

}  // namespace aelab::app
