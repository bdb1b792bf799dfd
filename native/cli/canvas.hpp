// native/cli/canvas.hpp — an RGB8 raster with the few drawing operations the CLI's figures use.
//
// What: filled rectangles, alpha-blended pixels, antialiased dots and thick lines, text in
// the 5x7 bitmap font (font.hpp) at an integer scale, horizontal or rotated to read upwards,
// RGB images scaled up by an integer factor; encode_png() returns the PNG bytes
// (Debian's stb_image_write).
// Why: the PNG side of a Figure (figure.hpp) is rendered here in plain CPU code, with no GL
// context and no file I/O (the caller writes the bytes through io.hpp's write_file).
// Usage:
//     Canvas cv(640, 480);
//     cv.line(10, 10, 200, 80, {0, 0, 0}, 1.5f);
//     cv.text(20, 20, "loss", {0, 0, 0}, 2);
//     std::string png = cv.encode_png();
#pragma once

#include "aelab/palette.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::cli {

using Rgb = palette::Rgb;  // colours come from the core's palette module

class Canvas {
public:
    Canvas(int w, int h, Rgb bg = {255, 255, 255});
    int width() const { return w_; }
    int height() const { return h_; }
    Rgb at(int x, int y) const;  // the pixel at (x, y); throws aelab::Error outside
    void fill_rect(int x, int y, int w, int h, Rgb c);
    void rect_outline(int x, int y, int w, int h, Rgb c);
    void blend(int x, int y, Rgb c, float alpha);  // one pixel; outside the canvas: nothing
    void dot(float x, float y, float radius, Rgb c, float alpha);
    // A segment `width` px wide with round caps (antialiased, opaque where fully covered).
    void line(float x0, float y0, float x1, float y1, Rgb c, float width);
    // Text with its top-left corner at (x, y); `up` rotates it to read bottom to top, with
    // (x, y) then the bottom-left corner. Returns the advance in pixels.
    int text(int x, int y, const std::string& s, Rgb c, int scale, bool up = false);
    // An image of w x h RGB8 pixels (row-major), each drawn as a scale x scale block.
    void image(int x, int y, const std::vector<std::uint8_t>& rgb, int w, int h, int scale);
    std::string encode_png() const;  // throws aelab::Error when stb cannot encode

private:
    int w_, h_;
    std::vector<std::uint8_t> px_;
};

// The PNG bytes of a w x h RGB8 image (row-major).
std::string encode_png(const std::vector<std::uint8_t>& rgb, int w, int h);

}  // namespace aelab::cli
