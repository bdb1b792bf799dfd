// aelab/tsne.hpp — Barnes-Hut t-SNE (van der Maaten & Hinton 2008; van der Maaten 2014),
// run incrementally, with scikit-learn 1.2's defaults and optimizer.
//
// What: aelab::TSNE embeds a d x N data matrix (one sample per COLUMN) in 2-D:
//   affinities  exact k nearest neighbours (k = min(N - 1, floor(3 * perplexity + 1)), as
//               scikit-learn) by blocked GEMM distances; per point a binary search on the
//               precision beta of a Gaussian over the SQUARED distances until the entropy
//               (nats) is within 1e-5 of log(perplexity) (200 steps at most); P = (P + P^T)
//               normalised to sum 1, sparse (CSR, symmetric).
//   gradient    4 * sum_j (p_ij - q_ij) w_ij (y_i - y_j), w = 1 / (1 + |y_i - y_j|^2): the
//               attraction over P's sparse entries, the repulsion by a Barnes-Hut quadtree
//               (scikit-learn's and bhtsne's: the layout's bounding box halved along both
//               axes, so cells are rectangles; a cell whose longer side is s, at distance r
//               from its centre of mass, is summarised when s / r < theta; theta = 0 visits
//               every point: the exact gradient).
//   optimizer   scikit-learn's _gradient_descent: early exaggeration 12 for the first 250
//               iterations with momentum 0.5, then momentum 0.8; gains +0.2 where the step
//               reverses sign, x0.8 otherwise, floored at 0.01; learning rate "auto" =
//               max(N / early_exaggeration / 4, 50). It always runs max_iter iterations
//               (scikit-learn may stop early on its progress checks).
//   init        "pca" (scikit-learn's): the first two principal components of the input,
//               divided by the standard deviation of the first and times 1e-4; "random":
//               N(0, 1e-4^2) from the seeded PCG32 stream; or a given layout (continue()).
//   KL          kl_divergence(): KL(P || Q) over P's non-zeros, with Q's normaliser summed
//               EXACTLY over all pairs when N <= kl_exact_max (default 20,000; O(N^2) once)
//               and the Barnes-Hut estimate of the last gradient otherwise; kl_is_exact()
//               says which.
// Seeded and deterministic: no threads, no clock-dependent choices (the time budget of
// step() only decides where a call stops, never what an iteration computes).
//
// Why: the course shows autoencoder codes with t-SNE; the page animates it while the
// autoencoder trains, so it runs in bounded steps and can restart from its last layout with
// new inputs (the same N points' new codes) via continue_from().
//
// Hostile inputs: perplexity > N - 1 (so N < 3 * perplexity + 1 is fine: k = N - 1 neighbours,
// as scikit-learn), perplexity < 1, N < 4, NaN/Inf, d = 0, bad options throw aelab::Error.
// Duplicate points are allowed: their distance 0 is a valid neighbour distance; a point all
// of whose neighbours are equidistant cannot reach the target entropy and keeps the uniform
// distribution over them (max_calibration_error() reports the worst miss).
//
// Usage:
//     aelab::TsneOptions o;  o.perplexity = 30;  o.seed = 1;
//     aelab::TSNE t(o);
//     t.fit_begin(X);                               // X: d x N float
//     while (!t.done()) t.step({50, 0.008});        // at most 50 iterations / 8 ms per call
//     const aelab::MatD& Y = t.embedding();         // 2 x N
//     double kl = t.kl_divergence();
//     double acc = aelab::knn_loo_accuracy(Y, labels, 5);
#pragma once

#include "aelab/common.hpp"

#include <cstdint>
#include <vector>

namespace aelab {

enum class TsneInit { Pca, Random };

struct TsneOptions {
    double perplexity = 30.0;
    double early_exaggeration = 12.0;
    int exaggeration_iters = 250;      // iterations with exaggerated P and momentum 0.5
    double learning_rate = 0.0;        // <= 0: "auto" (scikit-learn 1.2)
    int max_iter = 1000;               // total iterations (including the exaggeration phase)
    double theta = 0.5;                // Barnes-Hut angle, 0 = exact repulsion
    TsneInit init = TsneInit::Pca;
    std::uint64_t seed = 0;            // random init
    Index kl_exact_max = 20000;        // exact Q normaliser for KL up to this N
    void validate(Index N) const;      // throws aelab::Error naming the bad option
};

struct TsneBudget {
    long max_iters = 1;        // iterations at most
    double max_seconds = 0.0;  // wall-time limit (0 = none); at least one iteration runs
};

struct TsneStepResult {
    long iters = 0;
    double seconds = 0;
};

// Symmetric sparse joint probabilities (CSR over N rows; each row's columns ascending).
struct SparseP {
    std::vector<Index> row_ptr;   // N + 1
    std::vector<Index> col;
    std::vector<double> val;
    Index n() const { return static_cast<Index>(row_ptr.size()) - 1; }
};

// Per-point calibration of conditional probabilities over k neighbours.
// dist2: k x N squared distances (column i = point i's neighbours), returns k x N
// conditional P (each column sums to 1) and writes each point's achieved entropy (nats).
MatD calibrate_perplexity(const MatD& dist2, double perplexity, VecD* entropy = nullptr);

// Exact k nearest neighbours (excluding the point itself; ties by index) of every column
// of X: indices and squared distances, both k x N, ascending distance.
void knn_exact(const Eigen::Ref<const Mat>& X, Index k, std::vector<Index>& idx, MatD& dist2);

// Leave-one-out k-NN classification accuracy of the points (columns of Y, any dimension):
// each point's label predicted by majority vote of its k nearest other points (ties: the
// smallest summed distance wins, then the smaller label). labels.size() == Y.cols().
double knn_loo_accuracy(const Eigen::Ref<const MatD>& Y, const std::vector<int>& labels, int k = 5);

class TSNE {
public:
    TSNE() = default;
    explicit TSNE(const TsneOptions& o) : options(o) {}
    TsneOptions options;

    // Affinities and initial layout for X (d x N); resets the optimizer. Throws on bad input.
    void fit_begin(const Eigen::Ref<const Mat>& X);
    // Same as fit_begin but starting from the layout Y0 (2 x N, e.g. a previous embedding()
    // of the same N points' earlier codes) and without early exaggeration when
    // skip_exaggeration (the layout is already organised): another max_iter iterations.
    void continue_from(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const MatD>& Y0, bool skip_exaggeration = true);
    // Runs iterations within the budget; returns what ran. No-op when done().
    TsneStepResult step(const TsneBudget& budget);
    // fit_begin + all iterations.
    const MatD& fit(const Eigen::Ref<const Mat>& X);

    bool started() const { return N_ > 0; }
    bool done() const { return started() && iter_ >= options.max_iter; }
    long iteration() const { return iter_; }
    const MatD& embedding() const { return Y_; }          // 2 x N
    const SparseP& P() const { return P_; }
    double learning_rate_used() const { return lr_; }
    Index n_neighbors() const { return k_; }
    double max_calibration_error() const { return max_cal_err_; }  // |H - log(perplexity)|, nats
    double kl_divergence() const;                          // see the header comment
    bool kl_is_exact() const { return N_ <= options.kl_exact_max; }

    // The gradient at layout Y (2 x N) with P scaled by exaggeration: Barnes-Hut with the
    // given theta, or exact O(N^2) (exact_gradient). Public for the tests.
    MatD gradient(const MatD& Y, double theta, double exaggeration, double* z_sum = nullptr) const;
    MatD exact_gradient(const MatD& Y, double exaggeration) const;

private:
    void prepare(const Eigen::Ref<const Mat>& X);
    void one_iteration();

    SparseP P_;
    MatD Y_, update_, gains_;
    Index N_ = 0, k_ = 0;
    long iter_ = 0;
    double lr_ = 0, max_cal_err_ = 0, last_zsum_ = 0;
    int exag_iters_ = 0;
};

}  // namespace aelab
