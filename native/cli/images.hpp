// native/cli/images.hpp — RGB canvases written as PNG through Debian's stb_image_write.
//
// What: a tiny RGB8 canvas with rectangles, alpha-blended dots, text (stb_easy_font quads
// rasterised as rectangles) and grayscale / diverging image tiles; and the three figures
// the CLI writes: a montage of labelled rows of images (inputs vs reconstructions),
// "eigen-digits" (PCA components as images), and a scatter of 2-D codes coloured by label.
// Why: the CLI's figures are drawn here, in plain CPU code, so they need no GL context.
#pragma once

#include "aelab/common.hpp"
#include "aelab/palette.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::cli {

using Rgb = palette::Rgb;  // colours come from the core's palette module (aelab/palette.hpp)

class Canvas {
public:
    Canvas(int w, int h, Rgb bg = {255, 255, 255});
    int width() const { return w_; }
    int height() const { return h_; }
    void fill_rect(int x, int y, int w, int h, Rgb c);
    void blend(int x, int y, Rgb c, float alpha);  // one pixel
    void dot(float x, float y, float radius, Rgb c, float alpha);
    void rect_outline(int x, int y, int w, int h, Rgb c);
    // Text with stb_easy_font at an integer scale; returns the width in pixels.
    int text(int x, int y, const std::string& s, Rgb c, int scale = 1);
    static int text_width(const std::string& s, int scale = 1);
    // A rows x cols image (row-major pixels in column `px`, values in [0,1]) scaled up.
    void gray_tile(const float* px, int rows, int cols, int x, int y, int scale);
    // Diverging blue-white-red tile, values divided by `range` (>0).
    void diverging_tile(const double* px, int rows, int cols, int x, int y, int scale, double range);
    void save_png(const std::string& path) const;  // throws aelab::Error

private:
    int w_, h_;
    std::vector<std::uint8_t> px_;
};

struct MontageRow {
    std::string label;
    Mat images;  // d x n, one image per column (d = rows * cols)
};
// Rows of images with their labels on the left; n columns per row (the widest row).
void write_montage(const std::string& path, const std::string& title, const std::vector<MontageRow>& rows,
                   int image_rows, int image_cols, int scale = 2);

// Components (d x k, columns) as images, with captions (e.g. explained variance).
void write_components(const std::string& path, const std::string& title, const MatD& components,
                      const std::vector<std::string>& captions, int image_rows, int image_cols,
                      int per_row = 8, int scale = 3);

// 2-D points (2 x N) coloured by label, with axes labels and a legend.
void write_scatter(const std::string& path, const std::string& title, const Mat& xy,
                   const std::vector<int>& labels, const std::vector<std::string>& class_names,
                   const std::string& xlabel, const std::string& ylabel, int size = 720);

// Indices of up to `per_class` samples of each class 0..num_classes-1, in class order
// (the first samples of each class), for montages that show every digit.
std::vector<Index> examples_per_class(const std::vector<int>& labels, int num_classes, int per_class);

}  // namespace aelab::cli
