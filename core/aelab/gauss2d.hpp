// aelab/gauss2d.hpp — the course's first PCA exercise: a 2-D Gaussian worked by hand.
//
// What: Gauss2D holds a mean, a 2x2 covariance (the course's mu = (-1, 2),
// Sigma = [[4, 2], [2, 2]] by default) and a numpy seed (default 0); validate() says why a
// user-edited one is not a covariance; sample_gauss2d() draws n points exactly as the course's
// `np.random.seed(seed); X = np.random.multivariate_normal(mean, cov, n)` does (numpy's legacy
// stream and its SVD-based transform, aelab/course.hpp), so the page and the CLI show the
// course's own sample; gauss2d_stats() computes what the course prints for a sample: the
// sample mean, the covariance with the n - 1 divisor (numpy's np.cov), its eigenvalues and unit
// eigenvectors sorted by decreasing eigenvalue, the share of variance on PC1 and PC1's
// slope; project_pc1() gives the reconstructions x~ = mean + <x - mean, v0> v0;
// parse_gauss_mean() / parse_gauss_cov() read the "-1,2" / "4,2,2" (or "4,2,2,2") forms that
// the page's URL and the CLI take.
// Why: the page's "explore" panel lets a student edit mean and covariance and watch all of
// it update (the course's "try to change the covariance" exercise); the closed forms for
// 2x2 are exact, cheap enough for every frame, and tested against Eigen's solver.
// With numpy seed 0 and the course's Gaussian the sample's eigenvalues are 5.1835 and 0.7425
// (np.random.seed(0), then np.linalg.eigvalsh(np.cov(X.T))).
// Usage:
//     aelab::Gauss2D g;  g.c01 = 0.5;  g.seed = 42;            // edited by the student
//     if (std::string why = aelab::validate(g); !why.empty()) show(why);
//     aelab::Dataset ds = aelab::sample_gauss2d(g, 10000);    // ds.X is 2 x n
//     aelab::Gauss2DStats s = aelab::gauss2d_stats(ds.X);   // s.eigval[0] ~ 3 + sqrt(5)
//     aelab::Mat Xp = aelab::project_pc1(ds.X, s);          // 2 x n, on the PC1 line
#pragma once

#include "aelab/datasets.hpp"

#include <cstdint>
#include <string>

namespace aelab {

struct Gauss2D {
    double mean[2] = {-1.0, 2.0};
    double c00 = 4.0, c01 = 2.0, c11 = 2.0;  // Sigma = [[c00, c01], [c01, c11]]
    std::uint32_t seed = 0;                  // np.random.seed(seed) before the draw
};

// The largest numpy seed (np.random.seed takes 0 .. 2^32 - 1).
constexpr std::uint64_t kMaxNumpySeed = 4294967295u;

// "" when g is a valid Gaussian (finite, c00 >= 0, c11 >= 0, c01^2 <= c00 c11: positive
// semi-definite), else one sentence saying what is wrong with the numbers.
std::string validate(const Gauss2D& g);

// n (>= 1) samples of N(g.mean, Sigma), 2 x n: column i is row i of numpy's
// `np.random.seed(g.seed); np.random.multivariate_normal(g.mean, Sigma, n)` (rounded to
// float), so the first n columns do not depend on a larger n. Labelled by the quadrant of
// x - mean (as gaussian_2d, which is this with the course's mean and covariance); param =
// |x - mean|. Throws aelab::Error with validate()'s message for an invalid g.
Dataset sample_gauss2d(const Gauss2D& g, Index n);

// "-1,2" -> mean; "c00,c01,c11" or the full matrix "c00,c01,c10,c11" (row by row; it must be
// symmetric) -> covariance. The other fields of *g are kept. Returns "" and updates *g, or
// one sentence saying what is wrong (wrong count, not a number, not symmetric, or
// validate()'s reason) and leaves *g unchanged.
std::string parse_gauss_mean(const std::string& text, Gauss2D* g);
std::string parse_gauss_cov(const std::string& text, Gauss2D* g);

struct Gauss2DStats {
    Index n = 0;
    double mean[2] = {0, 0};
    double cov[2][2] = {{0, 0}, {0, 0}};  // divisor n - 1 (np.cov)
    double eigval[2] = {0, 0};            // eigval[0] >= eigval[1]
    double eigvec[2][2] = {{1, 0}, {0, 1}};  // eigvec[k] = unit eigenvector of eigval[k];
                                              // its first non-zero component is positive
    double share_pc1 = 0;   // eigval[0] / (eigval[0] + eigval[1]); 1 for a zero covariance
    double slope_pc1 = 0;   // eigvec[0][1] / eigvec[0][0]; +inf when PC1 is vertical
};

// Statistics of the columns of X (2 x n, n >= 2), accumulated in double.
Gauss2DStats gauss2d_stats(const Mat& X);

// x~ = mean + <x - mean, v0> v0 for every column x of X (2 x n).
Mat project_pc1(const Mat& X, const Gauss2DStats& s);

}  // namespace aelab
