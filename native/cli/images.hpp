// native/cli/images.hpp — the CLI's figures, each written as a PNG and an SVG beside it.
//
// What: a montage of labelled rows of images (inputs vs reconstructions), "eigen-digits"
// (PCA components as images), a scatter of 2-D codes coloured by class, and loss curves,
// each built as a Figure (figure.hpp: real axes with ticks, tick labels and titles, a
// legend) and written to `path` (.png) and to the same path with ".svg" (write_figure).
// Colours: classes in tab10, weights in rdbu (aelab/palette.hpp), as on the page.
// Why: the CLI's figures are drawn here, in plain CPU code, so they need no GL context; the
// SVG twin goes into slides and papers at any size.
#pragma once

#include "aelab/common.hpp"
#include "figure.hpp"

#include <string>
#include <vector>

namespace aelab::cli {

// "dir/latent.png" -> "dir/latent.svg" (a path without ".png" gets ".svg" appended).
std::string svg_path_for(const std::string& png_path);
// Writes f.png() to `png_path` and f.svg() beside it, through io.hpp's crash-safe write_file.
void write_figure(const std::string& png_path, const Figure& f);

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

// 2-D points (2 x N) coloured by label, on axes with ticks and titles, with a legend.
// axes_out (optional) receives the plot's data-to-pixel mapping (to draw on top of it).
Figure scatter_figure(const std::string& title, const Mat& xy, const std::vector<int>& labels,
                      const std::vector<std::string>& class_names, const std::string& xlabel,
                      const std::string& ylabel, int size = 720, Axes* axes_out = nullptr);
void write_scatter(const std::string& path, const std::string& title, const Mat& xy,
                   const std::vector<int>& labels, const std::vector<std::string>& class_names,
                   const std::string& xlabel, const std::string& ylabel, int size = 720);

// Curves y(x) (e.g. loss against step) on a log y axis when every value is positive.
struct CurveSeries {
    std::string name;
    std::vector<double> x, y;  // same length; non-finite points break the line
    Rgb color;
};
struct CurveLevel {            // a dashed horizontal reference line (e.g. PCA's bound)
    std::string name;
    double y;
    Rgb color;
};
Figure curves_figure(const std::string& title, const std::vector<CurveSeries>& series,
                     const std::vector<CurveLevel>& levels, const std::string& xlabel, const std::string& ylabel);
void write_curves(const std::string& path, const std::string& title, const std::vector<CurveSeries>& series,
                  const std::vector<CurveLevel>& levels, const std::string& xlabel, const std::string& ylabel);

// Indices of up to `per_class` samples of each class 0..num_classes-1, in class order
// (the first samples of each class), for montages that show every digit.
std::vector<Index> examples_per_class(const std::vector<int>& labels, int num_classes, int per_class);

}  // namespace aelab::cli
