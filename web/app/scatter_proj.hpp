// scatter_proj.hpp: how the latent scatter projects the autoencoder's codes to 2-D, and the
// live t-SNE of the test codes that keeps settling while the autoencoder trains.
//
// What:
//   Projection     ?proj= dims | pca | tsne | kpca (Settings::proj; dims with ?dims=i,j, 1-based;
//                  kpca: the codes as dims, plus a kernel-PCA plot of the DATA, 2-D/3-D sets).
//   project_dims   rows i and j of the k x N codes (a 1-D code: row 0 and zeros).
//   project_pca    the codes' own PCA: their projections (2 x N) on the top two principal
//                  axes of the centred columns (k x k covariance, symmetric eigensolver), each
//                  axis signed so that its largest-|value| projection is positive (a stable
//                  orientation while the codes drift); a 1-D code gives its centred values.
//   LiveTsne       aelab::TSNE (core/aelab/tsne.hpp) over the first min(N, max_points) test
//                  codes, driven one frame at a time by update(): the first call starts it
//                  (PCA init, seeded, first_iters iterations with early exaggeration); while
//                  the model's step moves, the codes are re-read every reread_s seconds (after
//                  the first schedule's first_settle_iters, its early exaggeration) and
//                  the optimizer continues from the current layout (TSNE::continue_from: P is
//                  re-calibrated on the new codes, Y is kept, no exaggeration, another
//                  continue_iters iterations), so the layout re-settles instead of jumping.
//                  Each update runs iterations for at most budget_s seconds (at least one
//                  while not done); once the model stops moving and the schedule ends it
//                  costs nothing. The KL divergence is recomputed at most every kl_every_s
//                  seconds (exact Q normaliser, O(N^2): ~1 M pairs for the page's 1,000).
//   project_kpca   kernel PCA (core/aelab/kpca.hpp, Lanczos: no full decomposition) of the first
//                  min(N, max_points) columns of the d x N data: their 2 x n projections on the
//                  top two kernel principal axes (a 1-component fit's second row is 0).
//                  gamma must be kpca_gamma_ok() (finite, in [kKpcaGammaMin, kKpcaGammaMax]).
//   KpcaView       project_kpca cached: update() refits only when the data version, kernel or
//                  gamma changed, and while gamma changes (the slider dragged) at most every
//                  min_interval_s seconds; it fits the first max_points (400) test points.
//                  Never throws: error() says why a fit failed (the plot then has no points).
// Why: a 30-d or 128-d code cannot be seen through two of its dimensions; the course shows
// codes with t-SNE. Watching it settle while the autoencoder trains is the page's point.
// Determinism: given the seed and the same sequence of (codes, re-read) events, the layout is
// the same: the time budget only decides where an update stops, never what an iteration does
// (the re-read instants follow the clock `now`, which the caller passes).
// Usage (one frame):
//     LiveTsne t;                                   // options: t.options
//     t.update(session.test_codes(), session.total_steps(), now);
//     const MatD& Y = t.layout();                   // 2 x n (n = t.points())
//     ImGui::Text("it %ld KL %.3f", t.iterations(), t.kl());
#pragma once

#include "aelab/common.hpp"
#include "aelab/kpca.hpp"
#include "aelab/tsne.hpp"

#include <cstdint>
#include <string>

namespace aelab::app {

enum class Projection { Dims, Pca, Tsne, Kpca };
const char* projection_key(Projection p);  // "dims", "pca", "tsne", "kpca"
bool parse_projection(const std::string& key, Projection* out);

// Z: k x N codes -> 2 x N. i, j: 0-based dims; out-of-range or equal dims fall back to the
// first two (resolve_dims says which are used).
void resolve_dims(int k, int i, int j, int* ri, int* rj);
Mat project_dims(const Eigen::Ref<const Mat>& Z, int i, int j);
Mat project_pca(const Eigen::Ref<const Mat>& Z);

struct LiveTsneOptions {
    double perplexity = 30.0;      // lowered to (n - 1) / 3 for fewer points
    int first_iters = 1000;        // the first schedule (with early exaggeration)
    int continue_iters = 300;      // each re-read's schedule (no exaggeration)
    double reread_s = 0.75;        // re-read the codes at most this often while the step moves
    int first_settle_iters = 250;  // ... but not before the first schedule ran this many (its exaggeration)
    double budget_s = 0.005;       // time per update
    long max_iters_per_update = 1000000;  // iterations per update at most (tests: a fixed count)
    double kl_every_s = 0.5;
    Index max_points = 2000;       // t-SNE of the first max_points test codes
    std::uint64_t seed = 1;
};

// ---- kernel PCA of the data (proj=kpca) -------------------------------------------------------
// gamma range of the page's slider and URL key (log scale); the default is the course's
// rbf gamma = 0.04 on the swiss roll in the page's units (its coordinates are scaled by 0.1,
// so 0.04 / 0.1^2 = 4: exp(-gamma |x - y|^2) is the same kernel value).
constexpr double kKpcaGammaMin = 1e-3, kKpcaGammaMax = 1e3, kKpcaGammaDefault = 4.0;
bool kpca_gamma_ok(double gamma);
// The kernels the view offers (all of core/aelab/kpca.hpp's); poly: degree 3, coef0 1.
// X: d x N data -> 2 x n, n = min(N, max_points). Throws aelab::Error on a bad gamma, fewer
// than 3 points, or non-finite data.
Mat project_kpca(const Eigen::Ref<const Mat>& X, Kernel kernel, double gamma, Index max_points = 1000);

class KpcaView {
public:
    // The first 400 test points: one exact fit of the page's 1,000 took ~600 ms in WASM on
    // the loaded 2-core CI machine (kernel matrix + Lanczos grow ~N^2): 400 keep a fit near a
    // frame or a few (README).
    Index max_points = 400;
    double min_interval_s = 0.1;  // refits at most this often while gamma / kernel change

    // Refits if the data (data_version), kernel or gamma changed (and the last fit is at
    // least min_interval_s old, unless the data changed). Returns true when it refitted.
    bool update(const Eigen::Ref<const Mat>& X, std::uint64_t data_version, Kernel kernel, double gamma, double now);
    void reset();
    const Mat& layout() const { return Y_; }   // 2 x points()
    Index points() const { return Y_.cols(); }
    int fits() const { return fits_; }          // fits since reset()
    double last_fit_s() const { return fit_s_; }
    double gamma() const { return gamma_; }     // the gamma of the layout shown
    const std::string& error() const { return error_; }

private:
    Mat Y_;
    std::uint64_t version_ = 0;
    bool have_ = false;
    Kernel kernel_ = Kernel::Rbf;
    double gamma_ = 0, fit_t_ = -1e30, fit_s_ = 0;
    int fits_ = 0;
    std::string error_;
};

class LiveTsne {
public:
    LiveTsneOptions options;

    // One frame's work (see the header comment); returns the seconds it took. Never throws:
    // a failure (too few points, non-finite codes) stops it and error() says why.
    double update(const Eigen::Ref<const Mat>& Z, long model_step, double now);
    // A frame without update() (another projection shown): last_update_s() becomes 0.
    void idle() { last_s_ = 0; }
    // Forget everything (new data or a new model): the next update starts afresh.
    void reset();

    bool started() const { return tsne_.started(); }
    bool settled() const { return started() && tsne_.done(); }  // no iterations left
    Index points() const { return started() ? tsne_.embedding().cols() : 0; }
    const MatD& layout() const { return tsne_.embedding(); }  // 2 x points()
    long iterations() const { return total_iters_; }          // over all schedules
    double kl() const;                                          // NaN before the first
    int reads() const { return reads_; }                        // code read-ins (1 = the start)
    double last_update_s() const { return last_s_; }
    const std::string& error() const { return error_; }
    // How spread the layout is: the fraction of the cells of a 16 x 16 grid over the points'
    // bounding box that hold a point (a collapsed or single-clump layout: few; t-SNE's
    // clusters of 1,000 points: a good part). 0 before the start.
    double spread() const;

private:
    aelab::TSNE tsne_;
    long total_iters_ = 0;
    long read_step_ = -1;      // model step of the codes in use
    double read_t_ = -1e30, kl_t_ = -1e30;
    double kl_ = 0;
    bool kl_valid_ = false;
    int reads_ = 0;
    double last_s_ = 0;
    std::string error_;
};

}  // namespace aelab::app
