// canvas.cpp: see canvas.hpp. The one stb_image_write implementation of the CLI (the
// desktop app has its own).
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>  // Debian libstb-dev, /usr/include/stb

#include "canvas.hpp"

#include "aelab/common.hpp"
#include "font.hpp"

#include <algorithm>
#include <cmath>

namespace aelab::cli {

Canvas::Canvas(int w, int h, Rgb bg) : w_(std::max(1, w)), h_(std::max(1, h)), px_(size_t(w_) * size_t(h_) * 3) {
    for (size_t i = 0; i < px_.size(); i += 3) {
        px_[i] = bg.r;
        px_[i + 1] = bg.g;
        px_[i + 2] = bg.b;
    }
}

Rgb Canvas::at(int x, int y) const {
    if (x < 0 || y < 0 || x >= w_ || y >= h_) throw Error("Canvas::at: pixel outside the canvas");
    const std::uint8_t* p = &px_[(size_t(y) * size_t(w_) + size_t(x)) * 3];
    return Rgb{p[0], p[1], p[2]};
}

void Canvas::fill_rect(int x, int y, int w, int h, Rgb c) {
    const int x0 = std::max(0, x), y0 = std::max(0, y), x1 = std::min(w_, x + w), y1 = std::min(h_, y + h);
    for (int yy = y0; yy < y1; ++yy)
        for (int xx = x0; xx < x1; ++xx) {
            std::uint8_t* p = &px_[(size_t(yy) * size_t(w_) + size_t(xx)) * 3];
            p[0] = c.r;
            p[1] = c.g;
            p[2] = c.b;
        }
}

void Canvas::rect_outline(int x, int y, int w, int h, Rgb c) {
    fill_rect(x, y, w, 1, c);
    fill_rect(x, y + h - 1, w, 1, c);
    fill_rect(x, y, 1, h, c);
    fill_rect(x + w - 1, y, 1, h, c);
}

void Canvas::blend(int x, int y, Rgb c, float a) {
    if (x < 0 || y < 0 || x >= w_ || y >= h_) return;
    std::uint8_t* p = &px_[(size_t(y) * size_t(w_) + size_t(x)) * 3];
    p[0] = std::uint8_t(std::lround(p[0] * (1 - a) + c.r * a));
    p[1] = std::uint8_t(std::lround(p[1] * (1 - a) + c.g * a));
    p[2] = std::uint8_t(std::lround(p[2] * (1 - a) + c.b * a));
}

void Canvas::dot(float x, float y, float r, Rgb c, float alpha) {
    const int x0 = int(std::floor(x - r)), x1 = int(std::ceil(x + r));
    const int y0 = int(std::floor(y - r)), y1 = int(std::ceil(y + r));
    for (int yy = y0; yy <= y1; ++yy)
        for (int xx = x0; xx <= x1; ++xx) {
            const float dx = float(xx) + 0.5f - x, dy = float(yy) + 0.5f - y;
            const float cov = std::clamp(r + 0.5f - std::sqrt(dx * dx + dy * dy), 0.f, 1.f);  // antialiased edge
            if (cov > 0) blend(xx, yy, c, alpha * cov);
        }
}

void Canvas::line(float x0, float y0, float x1, float y1, Rgb c, float width) {
    // Coverage of each pixel near the segment by its distance to the segment (one pass, so
    // the pixels are not blended twice where the pen overlaps itself).
    const float r = std::max(0.5f, width * 0.5f);
    const float vx = x1 - x0, vy = y1 - y0, len2 = vx * vx + vy * vy;
    const int xa = int(std::floor(std::min(x0, x1) - r - 1)), xb = int(std::ceil(std::max(x0, x1) + r + 1));
    const int ya = int(std::floor(std::min(y0, y1) - r - 1)), yb = int(std::ceil(std::max(y0, y1) + r + 1));
    for (int yy = std::max(ya, 0); yy <= std::min(yb, h_ - 1); ++yy)
        for (int xx = std::max(xa, 0); xx <= std::min(xb, w_ - 1); ++xx) {
            const float px = float(xx) + 0.5f, py = float(yy) + 0.5f;
            float t = len2 > 0 ? ((px - x0) * vx + (py - y0) * vy) / len2 : 0.f;
            t = std::clamp(t, 0.f, 1.f);
            const float dx = px - (x0 + t * vx), dy = py - (y0 + t * vy);
            const float cov = std::clamp(r + 0.5f - std::sqrt(dx * dx + dy * dy), 0.f, 1.f);
            if (cov > 0) blend(xx, yy, c, cov);
        }
}

int Canvas::text(int x, int y, const std::string& s, Rgb c, int scale, bool up) {
    scale = std::max(1, scale);
    for (size_t i = 0; i < s.size(); ++i) {
        const std::uint8_t* g = font::glyph(s[i]);
        const int off = int(i) * font::kAdvance;
        for (int r = 0; r < font::kGlyphH; ++r)
            for (int col = 0; col < font::kGlyphW; ++col) {
                if (!(g[r] & (1u << (font::kGlyphW - 1 - col)))) continue;
                if (!up) fill_rect(x + (off + col) * scale, y + r * scale, scale, scale, c);
                else fill_rect(x + r * scale, y - (off + col + 1) * scale, scale, scale, c);
            }
    }
    return font::text_width(s, scale);
}

void Canvas::image(int x, int y, const std::vector<std::uint8_t>& rgb, int w, int h, int scale) {
    if (rgb.size() != size_t(w) * size_t(h) * 3) throw Error("Canvas::image: pixel count does not match the size");
    for (int r = 0; r < h; ++r)
        for (int c = 0; c < w; ++c) {
            const std::uint8_t* p = &rgb[(size_t(r) * size_t(w) + size_t(c)) * 3];
            fill_rect(x + c * scale, y + r * scale, scale, scale, Rgb{p[0], p[1], p[2]});
        }
}

std::string Canvas::encode_png() const { return cli::encode_png(px_, w_, h_); }

std::string encode_png(const std::vector<std::uint8_t>& rgb, int w, int h) {
    if (w <= 0 || h <= 0 || rgb.size() != size_t(w) * size_t(h) * 3) throw Error("encode_png: bad image size");
    int len = 0;
    unsigned char* png = stbi_write_png_to_mem(rgb.data(), w * 3, w, h, 3, &len);
    if (!png || len <= 0) throw Error("could not encode a PNG image");
    std::string out(reinterpret_cast<const char*>(png), size_t(len));
    STBIW_FREE(png);
    return out;
}

}  // namespace aelab::cli
