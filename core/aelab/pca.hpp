// aelab/pca.hpp — principal component analysis with scikit-learn semantics.
//
// What: aelab::PCA fits the principal axes of a d x N data matrix (one sample per COLUMN)
// with one of five solvers and projects / reconstructs data with them. Names follow
// scikit-learn (`n_components` as a count or a variance fraction, `explained_variance_`,
// `explained_variance_ratio_`, `singular_values_`, `noise_variance_`, `whiten`,
// `transform`, `inverse_transform`, `partial_fit`), but in the column convention:
// `components_` is d x k and its COLUMNS are the principal axes (scikit-learn stores the
// transpose, k x d with axes as rows).
//
// Why: PCA is the baseline every autoencoder in the lab is compared with (a linear
// autoencoder with MSE loss spans the same subspace), and the course material shows its
// closed forms. Data come in as float; means, Gram/covariance matrices, QR and
// eigen/singular decompositions are done in double where it changes the answer.
//
// Solvers (PcaSolver):
//   Covariance  eigendecomposition of the d x d covariance (SelfAdjointEigenSolver).
//               The Gram matrix is accumulated block by block from centered column
//               blocks (float GEMM per block for large problems, summed in double), so
//               memory is O(d^2 + d * block), never a double copy of the data.
//   SVD         singular values of the centered data itself. N >= d: blocked Householder
//               QR of Xc^T (tall-skinny QR, double blocks), then BDCSVD of the d x d R.
//               N < d: BDCSVD of the centered data copied to double (8 d N bytes).
//               The most accurate solver for tiny singular values; slower than Covariance.
//   Randomized  Halko, Martinsson & Tropp (2011), Alg. 4.4, run on the feature side:
//               l = k + n_oversamples Gaussian test vectors (aelab::Rng, seeded), then
//               n_iter subspace iterations with C = Xc Xc^T (never formed): one fused pass
//               over the data per iteration (each column block feeds both of its float
//               GEMMs while in cache; centering as a rank-one correction when the mean
//               is small next to the spread), QR in double
//               after each. The final small problem reproduces the sample-side
//               algorithm's SVD of B = Q^T A exactly, so results match scikit-learn's
//               randomized solver at n_iter + 1 passes instead of 2 n_iter + 2.
//               Needs an integer n_components.
//   Incremental minibatch incremental PCA (Ross, Lim, Lin & Yang 2008; scikit-learn's
//               IncrementalPCA): partial_fit(batch) keeps a running mean/variance and the
//               top-k singular triplets; each batch solves the small problem
//               [V S | Xb - mean_b | mean correction] exactly (via the Gram matrix of its
//               smaller side). Needs an integer n_components.
//   Auto        N < d -> SVD; d <= 1024 -> Covariance; integer k < d / 10 -> Randomized;
//               else Covariance. Incremental is never picked automatically.
//
// Usage:
//     aelab::PcaOptions o;
//     o.n_components = 0.95;               // or 5, or aelab::NComponents::all()
//     aelab::PCA pca(o);
//     pca.fit(X);                          // X: d x N float
//     aelab::Mat Z = pca.transform(X);     // k x N (unit variance rows if o.whiten)
//     aelab::Mat Xr = pca.inverse_transform(Z);   // d x N
//     double mse = pca.reconstruction_mse(X);      // mean over all d*N entries
//
// All failures (bad shapes, NaN/Inf, bad options, use before fit) throw aelab::Error.
#pragma once

#include "aelab/common.hpp"

#include <cstdint>
#include <string>

namespace aelab {

// n_components: an integer count k >= 1, a variance fraction f in (0, 1) (the smallest k
// whose cumulative explained_variance_ratio_ is >= f), or "all" (k = min(d, N)).
// Implicit from int / long / long long (count) and double (fraction), so
// `opts.n_components = 5;` and `opts.n_components = 0.95;` both read naturally.
// Out-of-range values are accepted here and rejected by fit() with a clear message.
struct NComponents {
    enum class Kind { All, Count, Fraction };
    Kind kind = Kind::All;
    long long count = 0;
    double fraction = 0.0;

    NComponents() = default;
    NComponents(int k) : kind(Kind::Count), count(k) {}                  // NOLINT
    NComponents(long k) : kind(Kind::Count), count(k) {}                 // NOLINT
    NComponents(long long k) : kind(Kind::Count), count(k) {}            // NOLINT
    NComponents(double f) : kind(Kind::Fraction), fraction(f) {}         // NOLINT
    static NComponents all() { return NComponents(); }
    std::string to_string() const;
};

enum class PcaSolver { Auto, Covariance, SVD, Randomized, Incremental };
const char* to_string(PcaSolver s);

struct PcaOptions {
    NComponents n_components;            // default: all
    PcaSolver solver = PcaSolver::Auto;
    bool whiten = false;                 // transform() scales row i by 1/sqrt(explained_variance_[i])
    std::uint64_t seed = 0;              // Randomized: seed of the Gaussian test matrix
    int n_oversamples = 10;              // Randomized: p (l = k + p test vectors, capped at min(d, N))
    int n_iter = 4;                      // Randomized: power iterations (0 = plain range finder)
    Index batch_size = 0;                // Incremental fit(): columns per batch; 0 = 5 * d (scikit-learn)
};

class PCA {
public:
    PCA() = default;
    explicit PCA(const PcaOptions& opts) : options(opts) {}

    // Parameters; read at the next fit() / first partial_fit().
    PcaOptions options;

    // ---- fitted attributes (read-only by convention; valid when fitted()) ----------------
    // d = n_features_in_, k = n_components_.
    VecD mean_;                      // d: per-feature mean of the data seen
    MatD components_;                // d x k: unit principal axes as COLUMNS, decreasing
                                     //   variance; sign fixed so that the entry of largest
                                     //   |value| in each column is positive (first on ties)
    VecD explained_variance_;        // k: variance along each axis, divisor N - 1
    VecD explained_variance_ratio_;  // k: explained_variance_ / total_variance_
    VecD singular_values_;           // k: singular values of the centered data (sqrt((N-1) ev))
    VecD var_;                       // d: per-feature variance, divisor N (scikit-learn's var_)
    double noise_variance_ = 0.0;    // mean variance of the discarded directions (PPCA sigma^2):
                                     //   (total - sum(ev)) / (min(d, N) - k), 0 if k = min(d, N)
                                     //   (Incremental: scikit-learn's per-batch estimate)
    double total_variance_ = 0.0;    // sum of per-feature variances, divisor N - 1
    Index n_components_ = 0;         // k actually kept
    Index n_features_in_ = 0;        // d
    Index n_samples_seen_ = 0;       // N (Incremental: total over partial_fit calls)
    PcaSolver solver_used_ = PcaSolver::Auto;  // the solver that ran (Auto resolved)

    bool fitted() const { return n_components_ > 0; }
    void reset();                    // forget the fit (keeps options)

    // Fit on X (d x N, N >= 2, finite). Returns *this. Refits from scratch every call.
    PCA& fit(const Eigen::Ref<const Mat>& X);
    // One minibatch of incremental PCA (d x B). The first call fixes d and k (needs an
    // integer n_components, k <= d, k <= B, B >= 2); later calls need B >= 1. Works on a
    // fresh (or reset) model or one built by partial_fit / the Incremental solver.
    PCA& partial_fit(const Eigen::Ref<const Mat>& batch);

    // Z = components_^T (X - mean_)  [k x N], rows scaled by 1/sqrt(ev) if whiten.
    Mat transform(const Eigen::Ref<const Mat>& X) const;
    void transform(const Eigen::Ref<const Mat>& X, Eigen::Ref<Mat> Z) const;  // Z preallocated k x N
    // X = components_ Z (* sqrt(ev) if whiten) + mean_  [d x N] from Z (k x N).
    Mat inverse_transform(const Eigen::Ref<const Mat>& Z) const;
    void inverse_transform(const Eigen::Ref<const Mat>& Z, Eigen::Ref<Mat> X) const;  // X preallocated d x N
    Mat fit_transform(const Eigen::Ref<const Mat>& X);
    // mean over all d*N entries of (X - inverse_transform(transform(X)))^2 — the same
    // normalisation as an autoencoder's MSE. Independent of whiten. Accumulated in double.
    double reconstruction_mse(const Eigen::Ref<const Mat>& X) const;

private:
    void fit_covariance(const Eigen::Ref<const Mat>& X);
    void fit_svd(const Eigen::Ref<const Mat>& X);
    void fit_randomized(const Eigen::Ref<const Mat>& X, Index k);
    void fit_incremental(const Eigen::Ref<const Mat>& X, Index k);
    // Sets every attribute from a full spectrum (eigenvalues of the covariance, descending,
    // with their axes as columns of `axes`, at least k of them).
    void finish_from_spectrum(const VecD& ev_desc, const MatD& axes, Index N, double total_var);
    void require_fitted(const char* what) const;
    Index resolve_count(Index d, Index N) const;   // k for Count/All; throws for bad values

    double m2_sum_ = 0.0;            // Incremental: sum of squared deviations about mean_
    bool incremental_ = false;       // fitted by partial_fit / Incremental
};

}  // namespace aelab
