// native/cli/conv_figure.hpp — the CLI's figures of a convolutional model: its learned filters
// and one test image's feature maps, layer by layer.
//
// What: conv_filters_figure() draws filter_montage() of every conv2d / conv2d_transpose layer
// (web/app/conv_views.hpp: one k x k tile per output filter, input channel 0 or the mean |w|
// over the input channels, rdbu around 0 per layer); conv_feature_maps_figure() runs the
// graph on one image (on a copy: g is untouched) and draws every spatial layer's output
// (one tile per channel, viridis over the layer's [min, max]). Each montage is one block:
// its label ("conv2d 16@28x28"), its detail line (kernels / value range) and its tiles,
// scaled up by an integer factor to about 200 px; blocks flow left to right in rows.
// Both are Figures (figure.hpp): PNG and SVG with the same content. Pure: no file I/O
// (write_conv_figures writes them through images.hpp's write_figure).
// Why: the page's conv panel and the CLI show the same pictures from the same code, so a
// figure in a report is what a student saw on the page.
// Usage (after training a graph model, e.g. in cmd_train.cpp):
//     if (const Graph<float>* g = model.graph(); g && !app::conv_layers(*g).empty())
//         write_conv_figures(c.out, *g, d.test.X, first_image, d.display + " " + g->arch_string());
//   writes <out>/filters.png, <out>/feature_maps.png and their .svg twins.
#pragma once

#include "aelab/common.hpp"
#include "aelab/graph.hpp"
#include "conv_views.hpp"
#include "figure.hpp"
#include "images.hpp"
#include "io.hpp"

#include <string>
#include <vector>

namespace aelab::cli {

// Every conv layer's filters; throws aelab::Error when g has no conv2d / conv2d_transpose layer.
Figure conv_filters_figure(const Graph<float>& g, const std::string& title,
                           app::FilterMode mode = app::FilterMode::Channel);

// The feature maps of `image` (g.input_shape().size() values) at every spatial layer, run on
// a copy of g (a VAE uses its mean code). Throws aelab::Error when no layer is spatial.
Figure conv_feature_maps_figure(const Graph<float>& g, const float* image, const std::string& title);

// Writes <out_dir>/filters.png and <out_dir>/feature_maps.png (+ .svg) for test image
// column `image` of X (d x N); returns the PNG names written. Throws aelab::Error for an image
// index outside X or an X of the wrong height, before writing anything.
inline std::vector<std::string> write_conv_figures(const std::string& out_dir, const Graph<float>& g, const Mat& X,
                                                   Index image, const std::string& title) {
    AELAB_REQUIRE(X.rows() == g.input_shape().size(),
                  "conv figures: images have " + std::to_string(X.rows()) + " values, the model takes " +
                      std::to_string(g.input_shape().size()));
    AELAB_REQUIRE(image >= 0 && image < X.cols(),
                  "conv figures: image " + std::to_string(image) + " is not one of the " + std::to_string(X.cols()));
    const Figure filters = conv_filters_figure(g, title + ": learned filters");
    const Figure maps = conv_feature_maps_figure(
        g, X.col(image).data(), title + ": feature maps of test image " + std::to_string(image));
    write_figure(join_path(out_dir, "filters.png"), filters);
    write_figure(join_path(out_dir, "feature_maps.png"), maps);
    return {"filters.png", "feature_maps.png"};
}

}  // namespace aelab::cli
