// state.hpp: the playground's settings as plain data, and their URL form.
//
// What: `Settings` is everything a user can choose in the playground (dataset, model shape,
// activations, loss, optimizer, batch size, seed, speed, autoplay, hidden panels, ...).
// `parse_query()` turns a URL query string ("?preset=nonlinear-mnist&lr=0.003&hide=pca")
// into Settings, and `to_query()` turns Settings back into the shortest query that
// reproduces them (only what differs from the preset / defaults).
// Why plain C++: this is the embedding contract of the page (course slides link to
// states), so it is unit-tested natively and in WASM (tests/unit/test_app.cpp) and
// must never crash on hostile input: every bad value becomes a message for the user and
// the default value.
// Usage:
//     QueryResult r = parse_query(window_location_search);
//     for (auto& m : r.messages) show(m);          // "lr='abc' is not a number; using 0.003"
//     Settings s = r.settings;
//     aelab::AEConfig c = s.model_config(784);     // valid by construction
//     std::string q = to_query(s);                 // "preset=linear-mnist&lr=0.01"
//
// URL parameters (all optional; unknown keys are reported and ignored):
//   preset    linear-mnist | nonlinear-mnist | course-gauss2d | course-curved3d |
//             swissroll | nonlinear-fashion        (applied first, others override it)
//   dataset   gauss2d | curved3d | swissroll | mnist | fashion
//   arch      hidden widths of the encoder, e.g. 128-32 ("" or "none" = no hidden layer);
//             the decoder mirrors them. Input size comes from the data set.
//   k         latent (code) size, 1..64
//   act       hidden activation: one name for all layers, or one per hidden layer
//             (encoder then decoder, comma separated)
//   code      code-layer activation (linear, tanh, sigmoid...)
//   out       output activation: linear | sigmoid
//   loss      mse | bce (bce needs out=sigmoid)
//   opt       sgd | adagrad | rmsprop | adam | adamw | lbfgs | mc
//   lr        learning rate (0, 10]; numbers are decimal (see parse_decimal) and are
//             written back with the digits that reproduce them exactly (format_number)
//   batch     batch size 1..1024
//   tied      0 | 1     (decoder weights = encoder weights transposed)
//   seed      0..2^53
//   speed     at most this many optimizer steps per frame, 1..100000
//   budget    training time per frame in ms, 1..40
//   autoplay  0 | 1
//   logy      0 | 1     (log-scale loss plot)
//   hide      comma list of panels: controls, loss, scatter, recon, decoder, pca, data
#pragma once

#include "aelab/activations.hpp"
#include "aelab/autoencoder.hpp"
#include "aelab/optim.hpp"
#include "aelab/text.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace aelab::app {

enum class DatasetKind { Gauss2D, Curved3D, SwissRoll, MNIST, Fashion };
constexpr int kNumDatasets = 5;

const char* dataset_key(DatasetKind d);    // "gauss2d", "curved3d", "swissroll", "mnist", "fashion"
const char* dataset_label(DatasetKind d);  // "2-D Gaussian", ...
bool parse_dataset(const std::string& key, DatasetKind* out);
bool is_image_dataset(DatasetKind d);
int dataset_dim(DatasetKind d);            // 2, 3, 3, 784, 784

// Panels that can be hidden (bit flags).
enum Panel : unsigned {
    kPanelControls = 1u << 0,
    kPanelLoss = 1u << 1,
    kPanelScatter = 1u << 2,
    kPanelRecon = 1u << 3,
    kPanelDecoder = 1u << 4,  // manifold / interpolation / draw-a-digit
    kPanelPca = 1u << 5,      // linear AE vs PCA
    kPanelData = 1u << 6,     // 2-D / 3-D data + reconstructions + axes
};
const char* panel_key(Panel p);
// All panel bits with their keys, in display order.
const std::vector<Panel>& all_panels();

constexpr int kMaxHiddenLayers = 4;
constexpr int kMaxWidth = 1024;
constexpr int kMaxLatent = 64;
constexpr int kMaxBatch = 1024;

struct Settings {
    std::string preset;                    // preset key this state started from ("" = none)
    DatasetKind dataset = DatasetKind::MNIST;
    std::vector<int> hidden;               // encoder hidden widths (decoder mirrors them)
    int latent = 2;
    // One activation per hidden layer (encoder then decoder: 2 * hidden.size() entries).
    std::vector<Activation> acts;
    Activation code_act = Activation::Identity;
    Activation out_act = Activation::Identity;
    ReconLoss loss = ReconLoss::MSE;
    OptimizerKind opt = OptimizerKind::Adam;
    double lr = 1e-3;
    int batch = 100;
    bool tied = false;
    std::uint64_t seed = 1;
    int speed = 100000;                    // max optimizer steps per frame
    double budget_ms = 8.0;                // training time per frame
    bool autoplay = true;
    bool logy = true;
    unsigned hide = 0;                     // Panel bits

    // Sets every hidden activation to a.
    void set_all_acts(Activation a);
    // Resizes `acts` to 2 * hidden.size() (new entries copy the first one, or relu).
    void fit_acts();
    bool all_acts_equal() const;
    // The model configuration for data of dimension input_dim. Settings produced by
    // parse_query / sanitize() always give a valid configuration.
    AEConfig model_config(int input_dim) const;
    OptimizerConfig optimizer_config() const;
    // True when a and b build models of different shape/kind (weights must be rebuilt).
    static bool shape_differs(const Settings& a, const Settings& b);
    bool operator==(const Settings& o) const;
    bool operator!=(const Settings& o) const { return !(*this == o); }
};

// Repairs inconsistent settings (bce without sigmoid output, latent >= input dim...) and
// appends one message per repair.
void sanitize(Settings& s, std::vector<std::string>* messages);

struct QueryResult {
    Settings settings;
    std::vector<std::string> messages;  // one per ignored / repaired parameter
};

// Accepts "?a=b&c=d", "a=b&c=d" or "" (percent-encoding and '+' decoded). Never throws.
QueryResult parse_query(const std::string& query);
// The shortest query (without '?') that parse_query turns back into s.
std::string to_query(const Settings& s);

// URL numbers are decimal only and are written back exactly: core's one number grammar
// (aelab/text.hpp), shared with the CLI's options.
using aelab::format_number;
using aelab::parse_decimal;

std::string url_decode(const std::string& s);
std::string url_encode(const std::string& s);
std::string format_widths(const std::vector<int>& w);  // {128, 32} -> "128-32", {} -> "none"

}  // namespace aelab::app
