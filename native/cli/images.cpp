// The one stb_image_write implementation of the CLI (the desktop app has its own).
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <stb/stb_easy_font.h>

#include "images.hpp"
#include "io.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace aelab::cli {

Canvas::Canvas(int w, int h, Rgb bg) : w_(std::max(1, w)), h_(std::max(1, h)), px_(size_t(w_) * h_ * 3) {
    for (size_t i = 0; i < px_.size(); i += 3) {
        px_[i] = bg.r;
        px_[i + 1] = bg.g;
        px_[i + 2] = bg.b;
    }
}

void Canvas::fill_rect(int x, int y, int w, int h, Rgb c) {
    int x0 = std::max(0, x), y0 = std::max(0, y), x1 = std::min(w_, x + w), y1 = std::min(h_, y + h);
    for (int yy = y0; yy < y1; ++yy)
        for (int xx = x0; xx < x1; ++xx) {
            std::uint8_t* p = &px_[(size_t(yy) * w_ + xx) * 3];
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
    std::uint8_t* p = &px_[(size_t(y) * w_ + x) * 3];
    p[0] = std::uint8_t(std::lround(p[0] * (1 - a) + c.r * a));
    p[1] = std::uint8_t(std::lround(p[1] * (1 - a) + c.g * a));
    p[2] = std::uint8_t(std::lround(p[2] * (1 - a) + c.b * a));
}

void Canvas::dot(float x, float y, float r, Rgb c, float alpha) {
    int x0 = int(std::floor(x - r)), x1 = int(std::ceil(x + r));
    int y0 = int(std::floor(y - r)), y1 = int(std::ceil(y + r));
    for (int yy = y0; yy <= y1; ++yy)
        for (int xx = x0; xx <= x1; ++xx) {
            float dx = float(xx) + 0.5f - x, dy = float(yy) + 0.5f - y;
            float d = std::sqrt(dx * dx + dy * dy);
            float cov = std::clamp(r + 0.5f - d, 0.f, 1.f);  // antialiased edge
            if (cov > 0) blend(xx, yy, c, alpha * cov);
        }
}

int Canvas::text_width(const std::string& s, int scale) {
    std::string t = s;
    return stb_easy_font_width(t.data()) * scale;
}

int Canvas::text(int x, int y, const std::string& s, Rgb c, int scale) {
    std::string t = s;
    std::vector<char> buf(std::max<size_t>(1, t.size()) * 1024 + 1024);  // up to ~16 quads of 64 bytes per glyph
    int quads = stb_easy_font_print(0, 0, t.data(), nullptr, buf.data(), int(buf.size()));
    for (int q = 0; q < quads; ++q) {
        const float* v0 = reinterpret_cast<const float*>(buf.data() + size_t(q) * 64);
        const float* v2 = reinterpret_cast<const float*>(buf.data() + size_t(q) * 64 + 32);
        int qx = int(std::lround(v0[0])), qy = int(std::lround(v0[1]));
        int qw = int(std::lround(v2[0])) - qx, qh = int(std::lround(v2[1])) - qy;
        fill_rect(x + qx * scale, y + qy * scale, qw * scale, qh * scale, c);
    }
    return text_width(s, scale);
}

void Canvas::gray_tile(const float* px, int rows, int cols, int x, int y, int scale) {
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            float v = std::clamp(px[r * cols + c], 0.f, 1.f);
            auto g = std::uint8_t(std::lround(255.f * (1.f - v)));  // ink is dark on white
            fill_rect(x + c * scale, y + r * scale, scale, scale, {g, g, g});
        }
}

void Canvas::diverging_tile(const double* px, int rows, int cols, int x, int y, int scale, double range) {
    static const palette::Palette& rdbu = palette::get("rdbu");
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            double v = std::clamp(px[r * cols + c] / range, -1.0, 1.0);
            const Rgb col = palette::interpolate(rdbu, 0.5 + 0.5 * v);  // white at 0, red > 0, blue < 0
            fill_rect(x + c * scale, y + r * scale, scale, scale, col);
        }
}

void Canvas::save_png(const std::string& path) const {
    int len = 0;
    unsigned char* png = stbi_write_png_to_mem(px_.data(), w_ * 3, w_, h_, 3, &len);
    if (!png || len <= 0) throw Error("could not encode PNG " + path);
    try {
        write_file(path, png, size_t(len));
    } catch (...) {
        STBIW_FREE(png);
        throw;
    }
    STBIW_FREE(png);
}

std::vector<Index> examples_per_class(const std::vector<int>& labels, int num_classes, int per_class) {
    std::vector<Index> out;
    for (int c = 0; c < num_classes; ++c) {
        int got = 0;
        for (size_t i = 0; i < labels.size() && got < per_class; ++i)
            if (labels[i] == c) {
                out.push_back(Index(i));
                ++got;
            }
    }
    return out;
}

namespace {
const Rgb kBlack{0, 0, 0}, kGray{110, 110, 110}, kLight{225, 225, 225};
}

void write_montage(const std::string& path, const std::string& title, const std::vector<MontageRow>& rows,
                   int ir, int ic, int scale) {
    const int ts = 2;  // text scale
    int label_w = 0, ncol = 0;
    for (const auto& r : rows) {
        label_w = std::max(label_w, Canvas::text_width(r.label, ts));
        ncol = std::max<int>(ncol, int(r.images.cols()));
    }
    label_w += 16;
    const int tile = ir * scale, gap = 2, top = 34;
    const int W = label_w + ncol * (ic * scale + gap) + 8;
    const int H = top + int(rows.size()) * (tile + gap) + 8;
    Canvas cv(W, H);
    cv.text(8, 8, title, kBlack, ts);
    for (size_t r = 0; r < rows.size(); ++r) {
        int y = top + int(r) * (tile + gap);
        cv.text(8, y + tile / 2 - 7, rows[r].label, kBlack, ts);
        for (Index j = 0; j < rows[r].images.cols(); ++j) {
            int x = label_w + int(j) * (ic * scale + gap);
            cv.gray_tile(rows[r].images.col(j).data(), ir, ic, x, y, scale);
        }
        if (r == 0 && rows.size() > 1) cv.fill_rect(label_w, y + tile, W - label_w - 8, 1, kGray);
    }
    cv.save_png(path);
}

void write_components(const std::string& path, const std::string& title, const MatD& comps,
                      const std::vector<std::string>& captions, int ir, int ic, int per_row, int scale) {
    const int k = int(comps.cols());
    per_row = std::max(1, std::min(per_row, k));
    const int nrow = (k + per_row - 1) / per_row;
    const int tw = ic * scale, th = ir * scale, gap = 10, cap = 20, top = 56;
    const int W = std::max(per_row * (tw + gap) + gap, Canvas::text_width(title, 2) + 20);
    const int H = top + nrow * (th + cap + gap) + gap;
    Canvas cv(W, H);
    cv.text(10, 8, title, kBlack, 2);
    cv.text(10, 32, "red = positive weight, blue = negative, white = 0 (each image scaled to its max |value|)", kGray, 1);
    for (int c = 0; c < k; ++c) {
        int x = gap + (c % per_row) * (tw + gap), y = top + (c / per_row) * (th + cap + gap);
        VecD col = comps.col(c);
        double range = std::max(col.cwiseAbs().maxCoeff(), 1e-12);
        cv.diverging_tile(col.data(), ir, ic, x, y, scale, range);
        cv.rect_outline(x - 1, y - 1, tw + 2, th + 2, kLight);
        if (c < int(captions.size())) cv.text(x, y + th + 4, captions[c], kBlack, 1);
    }
    cv.save_png(path);
}

void write_scatter(const std::string& path, const std::string& title, const Mat& xy, const std::vector<int>& labels,
                   const std::vector<std::string>& class_names, const std::string& xlabel,
                   const std::string& ylabel, int size) {
    const int legend_w = 170, margin = 50, top = 56;
    const int W = size + legend_w, H = size + 10;
    Canvas cv(W, H);
    cv.text(10, 10, title, kBlack, 2);
    const int px0 = margin, py0 = top, pw = size - margin - 10, ph = size - top - margin + 10;
    cv.rect_outline(px0 - 1, py0 - 1, pw + 2, ph + 2, kGray);
    const Index n = xy.cols();
    if (n > 0) {
        // Robust range: 0.5% and 99.5% quantiles, padded, so a few outliers do not squash the plot.
        auto quant = [&](int row, double q) {
            std::vector<float> v(static_cast<size_t>(n));
            for (Index i = 0; i < n; ++i) v[size_t(i)] = xy(row, i);
            size_t k = size_t(std::clamp(q, 0.0, 1.0) * double(n - 1));
            std::nth_element(v.begin(), v.begin() + long(k), v.end());
            return double(v[k]);
        };
        double xlo = quant(0, 0.005), xhi = quant(0, 0.995), ylo = quant(1, 0.005), yhi = quant(1, 0.995);
        double xp = std::max(1e-9, 0.05 * (xhi - xlo)), yp = std::max(1e-9, 0.05 * (yhi - ylo));
        xlo -= xp; xhi += xp; ylo -= yp; yhi += yp;
        // Draw in a fixed pseudo-random order so no class is systematically on top.
        std::vector<Index> order(static_cast<size_t>(n));
        std::iota(order.begin(), order.end(), Index(0));
        Rng rng(12345);
        rng.shuffle(order);
        const float alpha = n > 20000 ? 0.35f : (n > 3000 ? 0.55f : 0.8f);
        const float rad = n > 3000 ? 1.6f : 2.4f;
        for (Index i : order) {
            double fx = (double(xy(0, i)) - xlo) / (xhi - xlo), fy = (double(xy(1, i)) - ylo) / (yhi - ylo);
            if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) continue;
            int lab = i < Index(labels.size()) ? labels[size_t(i)] : 0;
            cv.dot(float(px0 + fx * pw), float(py0 + (1 - fy) * ph), rad, palette::categorical(lab), alpha);
        }
        cv.text(px0, py0 + ph + 6, fmt_g(xlo, 3), kGray, 1);
        std::string xh = fmt_g(xhi, 3);
        cv.text(px0 + pw - Canvas::text_width(xh), py0 + ph + 6, xh, kGray, 1);
        cv.text(4, py0 + ph - 10, fmt_g(ylo, 3), kGray, 1);
        cv.text(4, py0, fmt_g(yhi, 3), kGray, 1);
    }
    cv.text(px0 + pw / 2 - Canvas::text_width("x: " + xlabel, 2) / 2, py0 + ph + 20, "x: " + xlabel, kBlack, 2);
    cv.text(px0, py0 - 20, "y: " + ylabel, kBlack, 2);
    const int lx = size + 5;
    int ly = top + 10;
    for (size_t c = 0; c < class_names.size(); ++c) {
        cv.fill_rect(lx, ly, 14, 14, palette::categorical(int(c)));
        cv.text(lx + 20, ly, class_names[c], kBlack, 2);
        ly += 24;
    }
    cv.save_png(path);
}

}  // namespace aelab::cli
