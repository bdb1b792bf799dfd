// panel_conv.hpp: the playground's panel for convolutional models: learned filters and one
// test image's feature maps, layer by layer.
//
// Interface (what the page calls, e.g. from app.cpp inside a tiled panel window):
//     void draw_conv_panel(ConvPanelState& st, const Graph<float>& g, const Mat& test_images,
//                          const std::vector<int>& labels, float width, float height);
//
// What: in a child region of width x height, a toggle (filters / feature maps), a layer
// picker (the conv2d / conv2d_transpose layers for filters, every layer with a spatial
// output for feature maps, labelled "conv2d 16@28x28"), then
//   filters       the layer's kernels, one tile per output filter: input channel c (slider)
//                 or the mean |w| over the input channels; rdbu around 0 (conv_views.hpp);
//   feature maps  which test image (slider, with its label and a thumbnail) and its maps at
//                 the chosen layer, one tile per channel, viridis over the layer's range.
// Hovering a pixel shows the filter / channel, the position and the raw weight / activation.
// The picture follows training a few times per second (Refresh's period) and only when the
// weights moved (bitwise comparison with the weights it was drawn from) or a choice changed.
// Feature maps run on a private copy of the graph, so the trainer's caches (and a VAE's
// eps) are never touched; a VAE uses its mean code. Graphs without a spatial layer show a
// one-line note. The clock is ImGui::GetTime().
// Why: a student sees what the course's conv AE learns: edge-like first-layer kernels and how
// a shoe becomes 64 maps of 3x3 and back.
// Usage (page10 wires it; the model must be a GraphModel):
//     static ConvPanelState conv;                 // one per app, release() before GL goes
//     if (Graph<float>* g = model.graph(); g && !conv_layers(*g).empty())
//         draw_conv_panel(conv, *g, session.data().test.X, session.data().test.y, w, h);
//     conv.invalidate();                          // new data or a new model: redraw at once
#pragma once

#include "conv_views.hpp"
#include "gltex.hpp"
#include "refresh.hpp"

#include "aelab/graph.hpp"

#include <memory>
#include <string>
#include <vector>

namespace aelab::app {

struct ConvPanelState {
    bool show_maps = false;             // feature maps (else filters)
    int layer = -1;                     // graph layer shown; -1 or not in the list: the first
    FilterMode mode = FilterMode::Channel;
    int channel = 0;                    // input channel of the filters (clamped per layer)
    int image = 0;                      // test image column for the feature maps
    ImageTexture tex, input_tex;        // the montage; the chosen test image (thumbnail)
    ConvImage shown;                    // what tex holds (values for the hover read-out)
    bool has_shown = false;
    Refresh refresh;
    Vec drawn_params;                   // the weights `shown` was drawn from
    std::unique_ptr<Graph<float>> scratch;  // private copy for the forward pass of the maps
    std::string error;                  // why nothing is shown ("" = fine)
    // A new model or data set, or a changed choice: redraw at the next call.
    void invalidate() { refresh.invalidate(); }
    void release() {
        tex.release();
        input_tex.release();
    }
};

void draw_conv_panel(ConvPanelState& st, const Graph<float>& g, const Mat& test_images,
                     const std::vector<int>& labels, float width, float height);

}  // namespace aelab::app
