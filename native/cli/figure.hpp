// native/cli/figure.hpp — a figure as a list of vector items, rendered to PNG and to SVG.
//
// What: a Figure (w x h pixels, origin top-left) collects rectangles, lines, polylines,
// dots, text and RGB image tiles; png() rasterises them through Canvas (canvas.hpp, the 5x7
// bitmap font), svg() writes the same items as SVG elements (text in a monospace font of the
// same advance, images as embedded PNG data). Axes maps data to pixels and draw_axes() adds
// a frame, a light grid, ticks and tick labels on both axes (aelab/ticks.hpp: the page's tick
// algorithm) and the axis titles.
// Why: every CLI figure is drawn once and comes out twice, as a PNG for a quick look and as
// an SVG for slides and papers, with the same points, lines, ticks, labels and legend.
// Pure (no file I/O): images.cpp writes the bytes with io.hpp's crash-safe write_file.
// Usage:
//     Figure f(800, 600);
//     Axes ax{80, 40, 680, 480, 0, 10, 1e-3, 1, /*logy=*/true};
//     draw_axes(f, ax, "step", "loss");
//     f.polyline(pts, aelab::palette::categorical(0), 1.5f);
//     std::string png = f.png(), svg = f.svg();
#pragma once

#include "canvas.hpp"

#include <string>
#include <utility>
#include <vector>

namespace aelab::cli {

enum class Anchor { Start, Middle, End };

class Figure {
public:
    Figure(int w, int h, Rgb background = {255, 255, 255});
    int width() const { return w_; }
    int height() const { return h_; }

    void fill_rect(float x, float y, float w, float h, Rgb c);
    void stroke_rect(float x, float y, float w, float h, Rgb c);  // 1 px outline inside the box
    void line(float x0, float y0, float x1, float y1, Rgb c, float width = 1.f, bool dashed = false);
    void polyline(const std::vector<std::pair<float, float>>& pts, Rgb c, float width = 1.5f);
    void dot(float x, float y, float radius, Rgb c, float alpha = 1.f);
    // Text whose box (font::text_width x 7*scale) starts / is centred / ends at x, top at y;
    // `up` turns it to read bottom to top around (x, y) (then x is the box's left edge).
    void text(float x, float y, const std::string& s, Rgb c, int scale = 2, Anchor a = Anchor::Start, bool up = false);
    // w x h RGB8 pixels (row-major), each drawn as a scale x scale block.
    void image(float x, float y, std::vector<std::uint8_t> rgb, int w, int h, int scale);

    std::string png() const;  // PNG bytes
    std::string svg() const;  // a standalone SVG document

    // How many items of each kind (for tests and sanity checks).
    int count_dots() const;
    int count_texts() const;

private:
    enum class Kind { FillRect, StrokeRect, Line, Polyline, Dot, Text, Image };
    struct Item {
        Kind kind;
        Rgb color;
        float x = 0, y = 0, w = 0, h = 0;   // rect / line end points (x, y)-(w, h) / dot radius in w
        float width = 1, alpha = 1;
        bool dashed = false, up = false;
        int scale = 1, iw = 0, ih = 0;
        Anchor anchor = Anchor::Start;
        std::string text;
        std::vector<std::pair<float, float>> pts;
        std::vector<std::uint8_t> rgb;
    };
    int w_, h_;
    Rgb bg_;
    std::vector<Item> items_;
};

// Escapes &, <, >, " for SVG text and attributes.
std::string xml_escape(const std::string& s);

// A plot rectangle (pixels) and the data range it shows.
struct Axes {
    float x = 0, y = 0, w = 1, h = 1;    // plot area, pixels
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    bool logy = false;                   // y0 > 0 required
    float px(double vx) const;           // data -> pixel
    float py(double vy) const;
};
// Frame, grid, ticks and tick labels (scale 2) on both axes, x title below, y title to the
// left reading upwards (either may be empty). Returns the number of tick labels drawn.
int draw_axes(Figure& f, const Axes& ax, const std::string& xtitle, const std::string& ytitle);

// A legend: one coloured marker (a square, or a line when `lines`, dashed for a dashed
// item) and its name per row (24 px apart), from (x, y).
struct LegendItem {
    std::string name;
    Rgb color;
    bool dashed = false;
};
void draw_legend(Figure& f, float x, float y, const std::vector<LegendItem>& items, bool lines);

}  // namespace aelab::cli
