// aelab/datasets.hpp — the Dataset container, deterministic synthetic sets, subsets, scalers.
//
// What: `Dataset` (d x N float matrix, one sample per COLUMN, plus an integer label per
// sample used for colouring plots), the synthetic sets used in the course (correlated 2-D
// Gaussian, curved 3-D band for "linear autoencoder = PCA", swiss roll, low-rank data with
// a known spectrum), deterministic subsets, and MinMaxScaler / StandardScaler with
// scikit-learn names.
// Why: the playground and the tests need small, reproducible data; everything here is
// driven by aelab::Rng, so a seed gives the same data natively and in WASM (up to the
// last-ulp differences of libm's sin/cos/log between glibc and Emscripten's musl).
// Usage:
//     aelab::Dataset ds = aelab::swiss_roll(2000, 0.1, /*seed=*/7);   // ds.X is 3 x 2000
//     aelab::StandardScaler sc;  sc.fit(ds.X);
//     aelab::Mat Z = sc.transform(ds.X);                                // 3 x 2000
// Image data sets (MNIST) are built from IDX bytes in aelab/idx.hpp.
#pragma once

#include "aelab/common.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace aelab {

// A labelled data set. X is d x N (one sample per column). y has N entries in
// [0, num_classes). For images, a column is the image in row-major pixel order
// (index r * image_cols + c) and image_rows * image_cols == d; both are 0 otherwise.
// `param` optionally holds a continuous per-sample value for colour maps (e.g. the roll
// angle t of the swiss roll); it is empty when a set has none.
struct Dataset {
    Mat X;                      // d x N
    std::vector<int> y;         // N labels in [0, num_classes)
    int image_rows = 0;         // > 0 only for image sets
    int image_cols = 0;
    int num_classes = 1;
    std::string name;
    std::vector<float> param;   // empty, or N continuous values (colouring only)

    Index dim() const { return X.rows(); }
    Index size() const { return X.cols(); }
};

// ---- synthetic sets (all deterministic given `seed`) -----------------------------------
// Each sample draws its noise even when noise == 0, so for one seed the underlying points
// (t, s, h, z) are the same at every noise level: only the jitter changes.

// n samples of N(mu, Sigma) in 2-D with mu = (-1, 2), Sigma = [[4, 2], [2, 2]], drawn as the
// course does: np.random.seed(seed); np.random.multivariate_normal(mu, Sigma, n)
// (aelab/gauss2d.hpp sample_gauss2d; seed <= 2^32 - 1, numpy's range, else aelab::Error).
// X is 2 x n. Label: quadrant of x - mu (0: dx>=0,dy>=0; 1: dx<0,dy>=0; 2: dx<0,dy<0;
// 3: dx>=0,dy<0), num_classes = 4. param = |x - mu|.
Dataset gaussian_2d(Index n, std::uint64_t seed);

// n points near a gently curved 2-D surface in 3-D (the "linear AE = PCA" demo):
//     t ~ U(-2, 2),  s ~ U(-1, 1),
//     p = (t, s, 0.3 t^2) + noise * N(0, I_3),
//     x = R p,   R = Rz(pi/6) * Rx(pi/5) (fixed rotation so that no axis is special).
// X is 3 x n. Variances before rotation: t 4/3, s 1/3, 0.3 t^2 about 0.128, so the best
// plane holds about 92% of the variance (noise 0.05). Label: bin of t into 8 equal bins of [-2, 2]
// (num_classes = 8). param = t.
Dataset curved_3d(Index n, std::uint64_t seed, double noise = 0.05);

// The standard swiss roll (as scikit-learn's make_swiss_roll):
//     t = 1.5 pi (1 + 2 u), u ~ U(0, 1)   (t in [1.5 pi, 4.5 pi]),
//     h ~ U(0, 21),
//     x = (t cos t, h, t sin t) + noise * N(0, I_3).
// X is 3 x n. Label: bin of t into 8 equal bins of [1.5 pi, 4.5 pi] (num_classes = 8).
// param = t.
Dataset swiss_roll(Index n, double noise, std::uint64_t seed);

// Ground truth of low_rank(): the data covariance is
//     basis * diag(stddev^2) * basis^T + noise^2 * I_d,
// so its eigenvalues are stddev_i^2 + noise^2 (i < k) and noise^2 (d - k times).
struct LowRankTruth {
    MatD basis;      // d x k, orthonormal columns
    VecD stddev;     // k, stddev_i = decay^i (descending)
    double noise = 0.0;
};

// n samples near a random k-dimensional linear subspace of R^d (zero mean):
//     x = U diag(stddev) z + noise * e,   z ~ N(0, I_k), e ~ N(0, I_d),
// U a random orthonormal d x k basis (Gram-Schmidt of a Gaussian matrix), stddev_i = decay^i.
// X is d x n, labels all 0. Requires 1 <= k <= d, 0 < decay. `truth` (optional) receives
// U, the stddevs and noise. Used by PCA / linear-autoencoder tests.
Dataset low_rank(Index d, Index k, Index n, double noise, std::uint64_t seed,
                 double decay = 0.7, LowRankTruth* truth = nullptr);

// ---- subsets ----------------------------------------------------------------------------

// Columns `indices` (each in [0, N), repeats allowed) in the given order; metadata copied.
Dataset subset(const Dataset& ds, const std::vector<Index>& indices);
// The first n samples (n <= N).
Dataset subset_first(const Dataset& ds, Index n);
// n distinct samples drawn uniformly at random without replacement (deterministic given
// seed); the result keeps the original sample order.
Dataset subset_random(const Dataset& ds, Index n, std::uint64_t seed);
// n distinct samples with each class represented in proportion to its frequency
// (largest-remainder rounding, ties to the lower class index), drawn at random within each
// class; keeps the original sample order. Deterministic given seed.
Dataset subset_stratified(const Dataset& ds, Index n, std::uint64_t seed);

// ---- scalers (per feature = per ROW of a d x N matrix) ---------------------------------

// Maps each feature linearly to feature_range (default [0, 1]) using the min and max seen
// in fit(): X_scaled = X * scale_ + min_. A constant feature (max == min) gets scale_ = 1
// as in scikit-learn (it is shifted, not divided by zero).
class MinMaxScaler {
public:
    explicit MinMaxScaler(float range_min = 0.0f, float range_max = 1.0f);

    MinMaxScaler& fit(const Eigen::Ref<const Mat>& X);        // X: d x N, N >= 1
    Mat transform(const Eigen::Ref<const Mat>& X) const;      // d x M -> d x M
    Mat fit_transform(const Eigen::Ref<const Mat>& X);
    Mat inverse_transform(const Eigen::Ref<const Mat>& X) const;
    void transform_inplace(Eigen::Ref<Mat> X) const;
    void inverse_transform_inplace(Eigen::Ref<Mat> X) const;
    bool fitted() const { return scale_.size() > 0; }

    float range_min, range_max;
    Vec data_min_, data_max_, data_range_;  // d each
    Vec scale_, min_;                       // d each

private:
    void check(const char* what, Index rows) const;
};

// Standardises each feature to zero mean and unit variance: (X - mean_) / scale_ with
// scale_ = sqrt(var_) (population variance, ddof = 0, as scikit-learn). A constant
// feature (var_ == 0) gets scale_ = 1, so it maps to 0 without dividing by zero.
class StandardScaler {
public:
    explicit StandardScaler(bool with_mean = true, bool with_std = true);

    StandardScaler& fit(const Eigen::Ref<const Mat>& X);      // X: d x N, N >= 1
    Mat transform(const Eigen::Ref<const Mat>& X) const;
    Mat fit_transform(const Eigen::Ref<const Mat>& X);
    Mat inverse_transform(const Eigen::Ref<const Mat>& X) const;
    void transform_inplace(Eigen::Ref<Mat> X) const;
    void inverse_transform_inplace(Eigen::Ref<Mat> X) const;
    bool fitted() const { return scale_.size() > 0; }

    bool with_mean, with_std;
    Vec mean_, var_, scale_;                // d each (accumulated in double)

private:
    void check(const char* what, Index rows) const;
};

}  // namespace aelab
