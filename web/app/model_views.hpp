// model_views.hpp: the numbers behind the model panels' pictures, without any drawing.
//
// What: three pure pieces the panels draw from.
//   - code_activity(): the mean activation of each code unit over the test codes (the mean
//     |activation| for an L1 penalty), optionally sorted, with the range a bar chart needs;
//     the target rate rides along when the penalty is KL. This is sparsity made visible.
//   - recon_layout() / noisy_inputs() / recon_grid(): the rows of the reconstructions panel.
//     Without input noise: input / AE / PCA for two blocks of images. With noise: one block
//     of input / corrupted input / AE of the corrupted input / AE / PCA, the corrupted row
//     drawn by model.corrupt() from a fixed Rng (seed, 977) as the CLI's montage does, so a
//     student sees the same noise every refresh and watches only the denoising change.
//   - thumbnail_subset(): which test images the latent scatter draws as thumbnails: the
//     points inside the plot rectangle, spaced by core's spaced_subset() so that squares of
//     `box` pixels never overlap, at most max_count.
// Why: these choices decide what a student sees (which rows, which units, which images);
// as pure functions they are unit-tested natively and in WASM (tests/unit/test_model_views.cpp).
// Usage:
//     CodeActivity a = code_activity(session.test_codes(), settings.sparsity, settings.sparsity_target, true);
//     ReconLayout L = recon_layout(10, model.config().noise != Noise::None);
//     Mat Xn = noisy_inputs(model, X, seed);                 // d x n, or 0 columns without noise
//     Mat grid = recon_grid(L, {&X, &Xn, &Rn, &Rae, &Rpca}); // columns in upload_grid order
//     std::vector<int> keep = thumbnail_subset(sx, sy, x0, y0, x1, y1, 30.0f, 300);
#pragma once

#include "aelab/autoencoder.hpp"
#include "aelab/common.hpp"

#include <cstdint>
#include <vector>

namespace aelab::app {

// ---- code activity -------------------------------------------------------------------------
struct CodeActivity {
    std::vector<float> value;  // one bar per code unit (k), in `unit` order
    std::vector<int> unit;     // unit index of each bar (0..k-1, or sorted by value, largest first)
    bool absolute = false;     // values are mean |activation| (L1 penalty)
    bool has_target = false;   // KL: the target rate is drawn as a line
    float target = 0;
    float lo = 0, hi = 1;      // y range: [min(0, min value), max(value, target)], hi > lo
    float mean = 0;            // mean over all bars (the code's overall activity)
};
// Z: k x N test codes (N >= 1, non-finite entries are skipped per unit; a unit with none
// finite gets 0). L1 -> mean |z|; otherwise mean z. Throws aelab::Error for an empty Z.
CodeActivity code_activity(const Mat& Z, Sparsity sparsity, double target, bool sorted);

// ---- VAE views ------------------------------------------------------------------------------
// The 1-sigma ellipse of a diagonal Gaussian code in dims (x, y): mean (mx, my), log-variances
// (lvx, lvy); `segments` points (x0, y0, x1, y1, ...) on the ellipse, the first at angle 0.
// The latent scatter draws it around each mean it shows. segments >= 3.
std::vector<float> sigma_ellipse(float mx, float my, float lvx, float lvy, int segments);
// Which of the first n test codes get an ellipse: at most `max` of them, evenly spaced
// (indices 0, n/max, ...), so the plot stays readable and each frame's drawing bounded.
std::vector<int> ellipse_subset(int n, int max);
// A latent traversal of a VAE with k >= 1 dims: `steps` codes (k x steps) that are 0 except
// dimension `dim`, which goes from -range to +range evenly (the decoder's view of one axis of
// the prior). Throws aelab::Error for dim outside 0..k-1 or steps < 2.
Mat latent_traversal(int k, int dim, int steps, float range);

// ---- reconstructions panel rows -------------------------------------------------------------
enum class ReconRow { Input, Noisy, NoisyAE, AE, PCA };
const char* recon_row_label(ReconRow r);  // "input", "noisy", "AE(noisy)", "AE", "PCA"

struct ReconLayout {
    std::vector<ReconRow> rows;  // rows of one block, top to bottom
    int blocks = 1;              // the images split into this many blocks stacked vertically
    int per_row = 0;             // images per row (ceil(n / blocks))
    int n = 0;                   // images
    int grid_cols() const { return per_row; }
    int grid_count() const { return blocks * static_cast<int>(rows.size()) * per_row; }
};
// n images: without noise two blocks of input / AE / PCA (as before); with noise one block of
// input / noisy / AE(noisy) / AE / PCA. n >= 0.
ReconLayout recon_layout(int n, bool noisy);

// The corrupted copy of X (d x n) under the model's noise, drawn from Rng(seed, 977): the
// same every call for the same seed. 0 columns when the model has no input noise.
Mat noisy_inputs(const Autoencoder<float>& model, const Mat& X, std::uint64_t seed);

// The grid for ImageTexture::upload_grid(M.data(), L.grid_count(), 28, 28, L.grid_cols()):
// `mats` has one d x n matrix per ReconRow value in enum order (Input, Noisy, NoisyAE, AE,
// PCA; rows the layout does not use may be null). Cells past n stay 0. Throws aelab::Error
// when a used row is missing or has the wrong shape.
Mat recon_grid(const ReconLayout& L, const std::vector<const Mat*>& mats);

// ---- scatter thumbnails --------------------------------------------------------------------
// Screen positions sx, sy (same length) of the test points; keeps those whose box of `box`
// pixels lies inside [x0, x1] x [y0, y1], then spaced_subset() over them in index order:
// increasing indices, no two kept boxes overlap, at most max_count (>= 0).
std::vector<int> thumbnail_subset(const std::vector<float>& sx, const std::vector<float>& sy, float x0, float y0,
                                  float x1, float y1, float box, int max_count);

}  // namespace aelab::app
