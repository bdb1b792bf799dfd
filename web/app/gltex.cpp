// gltex.cpp: see gltex.hpp.
#include "gltex.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace aelab::app {

namespace {
constexpr std::uint32_t rgba(int r, int g, int b, int a = 255) {
    return std::uint32_t(r) | (std::uint32_t(g) << 8) | (std::uint32_t(b) << 16) | (std::uint32_t(a) << 24);
}
std::uint8_t to_byte(float t) { return std::uint8_t(std::lround(std::clamp(t, 0.0f, 1.0f) * 255.0f)); }

// Range of one image for per_image_range.
void image_range(const float* p, int n, ImageColormap cm, float& lo, float& hi) {
    float mn = INFINITY, mx = -INFINITY;
    for (int i = 0; i < n; ++i)
        if (std::isfinite(p[i])) { mn = std::min(mn, p[i]); mx = std::max(mx, p[i]); }
    if (!(mx >= mn)) { lo = 0; hi = 1; return; }
    if (cm == ImageColormap::Diverging) {
        const float m = std::max(std::fabs(mn), std::fabs(mx));
        lo = -(m > 0 ? m : 1.0f);
        hi = -lo;
    } else {
        lo = mn;
        hi = mx > mn ? mx : mn + 1.0f;
    }
}
}  // namespace

std::uint32_t image_color(float v, float vmin, float vmax, ImageColormap cm) {
    if (std::isnan(v)) return rgba(255, 0, 255);
    const float t = (vmax != vmin) ? (v - vmin) / (vmax - vmin) : 0.5f;
    switch (cm) {
        case ImageColormap::GrayInverse: {
            const std::uint8_t g = to_byte(1.0f - t);
            return rgba(g, g, g);
        }
        case ImageColormap::Diverging: {
            // middle (t = 0.5) near black; below -> light blue, above -> orange.
            const float u = std::clamp(2.0f * t - 1.0f, -1.0f, 1.0f), a = std::fabs(u);
            const float mid[3] = {20, 20, 24}, neg[3] = {110, 170, 255}, pos[3] = {255, 150, 40};
            const float* end = u < 0 ? neg : pos;
            return rgba(int(mid[0] + (end[0] - mid[0]) * a + 0.5f), int(mid[1] + (end[1] - mid[1]) * a + 0.5f),
                        int(mid[2] + (end[2] - mid[2]) * a + 0.5f));
        }
        case ImageColormap::Gray:
        default: {
            const std::uint8_t g = to_byte(t);
            return rgba(g, g, g);
        }
    }
}

ImageTexture::~ImageTexture() = default;

ImageTexture::ImageTexture(ImageTexture&& o) noexcept { *this = std::move(o); }

ImageTexture& ImageTexture::operator=(ImageTexture&& o) noexcept {
    if (this != &o) {
        std::swap(id_, o.id_);
        std::swap(w_, o.w_);
        std::swap(h_, o.h_);
        std::swap(grid_cols_, o.grid_cols_);
        std::swap(grid_count_, o.grid_count_);
        std::swap(grid_iw_, o.grid_iw_);
        std::swap(grid_ih_, o.grid_ih_);
        std::swap(grid_pad_, o.grid_pad_);
        pixels_.swap(o.pixels_);
    }
    return *this;
}

void ImageTexture::release() {
    if (id_) glDeleteTextures(1, &id_);
    id_ = 0;
    w_ = h_ = 0;
}

unsigned ImageTexture::put_(int w, int h) {
    // No state queries (synchronous in WebGL): rows of RGBA8 are 4-byte aligned, the GL
    // default, and GL_TEXTURE_2D is left bound to 0.
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    if (!id_) glGenTextures(1, &id_);
    glBindTexture(GL_TEXTURE_2D, id_);
    if (w != w_ || h != h_) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels_.data());
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        w_ = w;
        h_ = h;
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels_.data());
    }
    glBindTexture(GL_TEXTURE_2D, 0);
    return id_;
}

unsigned ImageTexture::upload(const float* img, int w, int h, float vmin, float vmax, ImageColormap cm) {
    ImageStyle st;
    st.vmin = vmin;
    st.vmax = vmax;
    st.cmap = cm;
    return upload(img, w, h, st);
}

unsigned ImageTexture::upload(const float* img, int w, int h, const ImageStyle& st) {
    return upload_grid(img, 1, w, h, 1, st, 0);
}

unsigned ImageTexture::upload_grid(const float* imgs, int count, int iw, int ih, int cols,
                                   const ImageStyle& st, int pad, std::ptrdiff_t stride) {
    if (!imgs || count <= 0 || iw <= 0 || ih <= 0 || pad < 0 || iw > 4096 || ih > 4096) return 0;
    cols = std::clamp(cols, 1, count);
    const int rows = (count + cols - 1) / cols;
    const long long W = (long long)cols * (iw + pad) + pad, H = (long long)rows * (ih + pad) + pad;
    if (W > 8192 || H > 8192) return 0;
    if (stride <= 0) stride = std::ptrdiff_t(iw) * ih;
    const int w = int(W), h = int(H);
    pixels_.assign(size_t(w) * size_t(h), st.pad_rgba);
    for (int k = 0; k < count; ++k) {
        const float* p = imgs + k * stride;
        float lo = st.vmin, hi = st.vmax;
        if (st.per_image_range) image_range(p, iw * ih, st.cmap, lo, hi);
        const int ox = pad + (k % cols) * (iw + pad), oy = pad + (k / cols) * (ih + pad);
        for (int r = 0; r < ih; ++r) {
            std::uint32_t* dst = pixels_.data() + size_t(oy + r) * size_t(w) + size_t(ox);
            for (int c = 0; c < iw; ++c) dst[c] = image_color(p[r * iw + c], lo, hi, st.cmap);
        }
    }
    grid_cols_ = cols;
    grid_count_ = count;
    grid_iw_ = iw;
    grid_ih_ = ih;
    grid_pad_ = pad;
    return put_(w, h);
}

unsigned ImageTexture::upload_rgba(const std::uint32_t* px, int w, int h) {
    if (!px || w <= 0 || h <= 0 || w > 8192 || h > 8192) return 0;
    pixels_.assign(px, px + size_t(w) * size_t(h));
    grid_count_ = 0;
    return put_(w, h);
}

bool ImageTexture::grid_cell(int k, int* x, int* y) const {
    if (k < 0 || k >= grid_count_) return false;
    if (x) *x = grid_pad_ + (k % grid_cols_) * (grid_iw_ + grid_pad_);
    if (y) *y = grid_pad_ + (k / grid_cols_) * (grid_ih_ + grid_pad_);
    return true;
}

}  // namespace aelab::app
