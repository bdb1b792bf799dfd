// images.cpp: see images.hpp.
#include "images.hpp"

#include "font.hpp"
#include "io.hpp"

#include <algorithm>
#include <cmath>

namespace aelab::cli {

namespace {

const Rgb kBlack{0, 0, 0}, kGray{110, 110, 110}, kLight{225, 225, 225};

// A rows x cols image (values in [0,1], row-major) as RGB8, ink dark on white.
std::vector<std::uint8_t> gray_pixels(const float* px, int rows, int cols) {
    std::vector<std::uint8_t> rgb(size_t(rows) * size_t(cols) * 3);
    for (int i = 0; i < rows * cols; ++i) {
        const auto g = std::uint8_t(std::lround(255.f * (1.f - std::clamp(px[i], 0.f, 1.f))));
        rgb[size_t(i) * 3] = rgb[size_t(i) * 3 + 1] = rgb[size_t(i) * 3 + 2] = g;
    }
    return rgb;
}

// Signed values divided by `range` (> 0) on rdbu: white at 0, red > 0, blue < 0.
std::vector<std::uint8_t> diverging_pixels(const double* px, int rows, int cols, double range) {
    static const palette::Palette& rdbu = palette::get("rdbu");
    std::vector<std::uint8_t> rgb(size_t(rows) * size_t(cols) * 3);
    for (int i = 0; i < rows * cols; ++i) {
        const Rgb c = palette::interpolate(rdbu, 0.5 + 0.5 * std::clamp(px[i] / range, -1.0, 1.0));
        rgb[size_t(i) * 3] = c.r, rgb[size_t(i) * 3 + 1] = c.g, rgb[size_t(i) * 3 + 2] = c.b;
    }
    return rgb;
}

}  // namespace

std::string svg_path_for(const std::string& png_path) {
    const std::string ext = ".png";
    if (png_path.size() >= ext.size() && png_path.compare(png_path.size() - ext.size(), ext.size(), ext) == 0)
        return png_path.substr(0, png_path.size() - ext.size()) + ".svg";
    return png_path + ".svg";
}

void write_figure(const std::string& png_path, const Figure& f) {
    write_text(png_path, f.png());
    write_text(svg_path_for(png_path), f.svg());
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

void write_montage(const std::string& path, const std::string& title, const std::vector<MontageRow>& rows,
                   int ir, int ic, int scale) {
    const int ts = 2;  // text scale
    int label_w = 0, ncol = 0;
    for (const auto& r : rows) {
        label_w = std::max(label_w, font::text_width(r.label, ts));
        ncol = std::max<int>(ncol, int(r.images.cols()));
    }
    label_w += 16;
    const int tile = ir * scale, gap = 2, top = 34;
    const int W = std::max(label_w + ncol * (ic * scale + gap) + 8, font::text_width(title, ts) + 16);
    const int H = top + int(rows.size()) * (tile + gap) + 8;
    Figure f(W, H);
    f.text(8, 8, title, kBlack, ts);
    for (size_t r = 0; r < rows.size(); ++r) {
        const int y = top + int(r) * (tile + gap);
        f.text(8, float(y + tile / 2 - 7), rows[r].label, kBlack, ts);
        for (Index j = 0; j < rows[r].images.cols(); ++j) {
            const int x = label_w + int(j) * (ic * scale + gap);
            f.image(float(x), float(y), gray_pixels(rows[r].images.col(j).data(), ir, ic), ic, ir, scale);
        }
        if (r == 0 && rows.size() > 1) f.fill_rect(float(label_w), float(y + tile), float(W - label_w - 8), 1, kGray);
    }
    write_figure(path, f);
}

void write_components(const std::string& path, const std::string& title, const MatD& comps,
                      const std::vector<std::string>& captions, int ir, int ic, int per_row, int scale) {
    const int k = int(comps.cols());
    per_row = std::max(1, std::min(per_row, k));
    const int nrow = (k + per_row - 1) / per_row;
    const int tw = ic * scale, th = ir * scale, gap = 10, cap = 20, top = 56;
    const std::string note = "red = positive weight, blue = negative, white = 0 (each image scaled to its max |value|)";
    const int W = std::max({per_row * (tw + gap) + gap, font::text_width(title, 2) + 20, font::text_width(note, 1) + 20});
    const int H = top + nrow * (th + cap + gap) + gap;
    Figure f(W, H);
    f.text(10, 8, title, kBlack, 2);
    f.text(10, 32, note, kGray, 1);
    for (int c = 0; c < k; ++c) {
        const int x = gap + (c % per_row) * (tw + gap), y = top + (c / per_row) * (th + cap + gap);
        VecD col = comps.col(c);
        const double range = std::max(col.cwiseAbs().maxCoeff(), 1e-12);
        f.image(float(x), float(y), diverging_pixels(col.data(), ir, ic, range), ic, ir, scale);
        f.stroke_rect(float(x - 1), float(y - 1), float(tw + 2), float(th + 2), kLight);
        if (c < int(captions.size())) f.text(float(x), float(y + th + 5), captions[size_t(c)], kBlack, 1);
    }
    write_figure(path, f);
}

void write_scatter(const std::string& path, const std::string& title, const Mat& xy, const std::vector<int>& labels,
                   const std::vector<std::string>& class_names, const std::string& xlabel,
                   const std::string& ylabel, int size) {
    write_figure(path, scatter_figure(title, xy, labels, class_names, xlabel, ylabel, size));
}

void write_curves(const std::string& path, const std::string& title, const std::vector<CurveSeries>& series,
                  const std::vector<CurveLevel>& levels, const std::string& xlabel, const std::string& ylabel) {
    write_figure(path, curves_figure(title, series, levels, xlabel, ylabel));
}

}  // namespace aelab::cli
