// conv_views.hpp: pictures of what a convolutional model learned, without any drawing API.
//
// What: from a layer graph (aelab/graph.hpp) two kinds of picture, each a grid of tiles as
// RGBA8 pixels with its geometry and a label such as "conv2d 16@28x28":
//   - filter_montage(): the kernels of one conv2d / conv2d_transpose layer, one k x k tile
//     per output filter f: the kernel of one input channel c, or the mean |w| over the
//     input channels. Weights of the layer's slice of the flat buffer, PyTorch layouts:
//       conv2d            (F, C, k, k): w[f][c][ky][kx] = p[((f*C + c)*k + ky)*k + kx]
//       conv2d_transpose  (C, F, k, k): w[c][f][ky][kx] = p[((c*F + f)*k + ky)*k + kx]
//     Normalised symmetric around 0 over the whole montage (t = 1/2 + w / (2 max|w|)) and
//     coloured with the diverging palette "rdbu" (aelab/palette.hpp: blue < 0, white 0,
//     red > 0), so that one layer's filters compare with each other.
//   - feature_maps(): for one input image, the output of every layer with a spatial output
//     (H > 1 or W > 1: reshape to an image, conv, pooling, upsampling, activation,
//     transposed conv), one H x W tile per channel, normalised per layer to its [min, max]
//     and coloured with the sequential palette "viridis". Read from the activations that
//     Graph::forward() cached (column `col` of the last batch); feature_maps_of() runs the
//     forward pass for one image first.
// Each ConvImage also keeps every pixel's raw value (the weight or activation; NaN on the
// padding) for hover read-outs and tests, and its normalised value t in [0, 1].
// Why: the page (panel_conv.cpp), the desktop app and the CLI's figure (native/cli/
// conv_figure.cpp) draw the same pictures from one pure, unit-tested piece
// (tests/unit/test_conv_views.cpp, natively and in WASM).
// Usage:
//     std::vector<int> L = conv_layers(g);                       // conv / transposed layers
//     ConvImage m = filter_montage(g, L[0], {FilterMode::Channel, 0});
//     tex.upload_rgba(m.rgba.data(), m.width, m.height);         // IM_COL32 layout
//     Graph<float> scratch = weights_copy(g);                    // keep the trainer's caches
//     std::vector<ConvImage> maps = feature_maps_of(scratch, X.col(7).data());
#pragma once

#include "aelab/graph.hpp"
#include "aelab/palette.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::app {

// One picture: `tiles` tiles of tile_w x tile_h pixels, `cols` per row, `pad` pixels of
// padding between and around them. Pixel (x, y) is at index y * width + x (top row first).
struct ConvImage {
    std::string label;                 // "conv2d 16@28x28" (kind, channels @ output H x W)
    std::string detail;                // "16 filters 3x3, input channel 0 of 1" / "range [lo, hi]"
    int layer = -1;                    // graph layer index
    int tiles = 0, tile_w = 0, tile_h = 0, cols = 0, rows = 0, pad = 1;
    int width = 0, height = 0;         // cols*(tile_w+pad)+pad x rows*(tile_h+pad)+pad
    float lo = 0, hi = 1;              // the value range mapped onto the palette (lo -> t 0)
    std::vector<std::uint32_t> rgba;   // width*height, IM_COL32 layout: A<<24 | B<<16 | G<<8 | R
    std::vector<float> value;          // raw weight / activation per pixel, NaN on padding
    std::vector<float> t;              // normalised value in [0, 1] per pixel, NaN on padding
    // Top-left pixel of tile k; false when k is out of range.
    bool tile_origin(int k, int* x, int* y) const;
    // The tile under pixel (x, y) and the position inside it, or -1 on padding / outside.
    int tile_at(int x, int y, int* tx = nullptr, int* ty = nullptr) const;
};

enum class FilterMode {
    Channel,  // the kernel of one input channel
    MeanAbs,  // the mean |w| over the input channels (values >= 0: the white-to-red half)
};

struct ConvViewOptions {
    FilterMode mode = FilterMode::Channel;
    int channel = 0;                       // input channel for FilterMode::Channel
    int cols = 0;                          // tiles per row; 0 = ceil(sqrt(tiles))
    int pad = 1;                           // >= 0
    std::uint32_t pad_rgba = 0xFF302A28u;  // padding colour (the page's grid padding)
};

// IM_COL32 packing of a palette colour (opaque).
std::uint32_t pack_rgba(palette::Rgb c);

// "conv2d 16@28x28": layer i's kind name, output channels and output H x W.
std::string layer_label(const Graph<float>& g, int i);

// Indices of the conv2d and conv2d_transpose layers, in order (empty for dense graphs).
std::vector<int> conv_layers(const Graph<float>& g);
// Indices of the layers whose output is spatial (H > 1 or W > 1), in order.
std::vector<int> spatial_layers(const Graph<float>& g);

// The filters of conv layer `layer`. Throws aelab::Error when the layer is not a conv2d /
// conv2d_transpose, or the channel is not one of its input channels (Channel mode), or
// opt.cols / opt.pad are negative.
ConvImage filter_montage(const Graph<float>& g, int layer, const ConvViewOptions& opt = {});
// filter_montage() of every conv layer (input channel 0 in Channel mode); empty without any.
std::vector<ConvImage> filter_montages(const Graph<float>& g, const ConvViewOptions& opt = {});

// The feature maps of every spatial layer for column `col` of the last forward batch (the
// caches of g.forward()). Throws aelab::Error when nothing was run yet or col is not a
// column of it. Layers whose values are all equal map to t = 1/2.
std::vector<ConvImage> feature_maps(const Graph<float>& g, Index col, const ConvViewOptions& opt = {});
// A graph of g's architecture and weights without its cached activations (a copy of a graph
// after an evaluation would copy every layer's outputs for the whole chunk: hundreds of MB).
Graph<float> weights_copy(const Graph<float>& g);
// Runs g.forward() on one image (g.input_shape().size() floats; a VAE uses its mean code)
// and returns feature_maps(g, 0). Overwrites g's caches: pass a copy of a graph in training.
std::vector<ConvImage> feature_maps_of(Graph<float>& g, const float* image, const ConvViewOptions& opt = {});

}  // namespace aelab::app
