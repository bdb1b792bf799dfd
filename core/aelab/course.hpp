// aelab/course.hpp — what the course's examples need to run exactly as the course gives them.
//
// What: `NumpyRandomState`, numpy's legacy random stream (np.random.seed(s) with an integer
// seed, then np.random.rand / np.random.randn); `numpy_multivariate_normal_2d()`, numpy's
// legacy np.random.multivariate_normal(mean, cov, n) for 2-D (the course's 2-D Gaussian), with
// `numpy_svd_sym2()`, np.linalg.svd of a symmetric 2x2 as LAPACK computes it; `geron_3d()`, Géron's generate_3d_data(m,
// w1, w2, noise) drawn from that stream and centred as in the course; `rounded_accuracy()`,
// Géron's metric for autoencoders of images in [0, 1].
// Why: the course prints figures made from numpy's stream after np.random.seed(4); with the
// same stream the page and the CLI show the very same 60 points. numpy's legacy stream is:
//   * MT19937 seeded with init_genrand(seed) (numpy's scalar-seed path, seed < 2^32);
//   * rand(): random_sample, a 53-bit double (a >> 5) * 2^26 + (b >> 6), divided by 2^53,
//     from two successive 32-bit draws a, b;
//   * randn(): legacy_gauss, Marsaglia's polar method on 2 rand() - 1 pairs, returning
//     f * x2 and caching f * x1 for the next call.
//   * multivariate_normal: z = standard_normal((n, 2)), (u, s, v) = svd(cov) (LAPACK dgesdd,
//     whose signs of v it keeps), x = z @ (sqrt(s)[:, None] * v) + mean.
// Computations follow numpy's operation order, so values agree with numpy to the last ulp or
// so (libm's sin/cos may differ by an ulp between platforms).
// Usage:
//     aelab::NumpyRandomState rs(4);
//     double u = rs.rand(), g = rs.randn();
//     const double mu[2] = {-1, 2};
//     aelab::NumpyRandomState rs0(0);                   // np.random.seed(0)
//     std::vector<double> x = aelab::numpy_multivariate_normal_2d(rs0, mu, 4, 2, 2, 10000);
//     // x[2 i], x[2 i + 1] = row i of np.random.multivariate_normal(mu, [[4,2],[2,2]], 10000)
//     aelab::Dataset d = aelab::geron_3d();            // 3 x 60, centred, labels: angle bins
//     double acc = aelab::rounded_accuracy(X, Xhat);   // mean of round(x) == round(x_hat)
#pragma once

#include "aelab/common.hpp"
#include "aelab/datasets.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace aelab {

class NumpyRandomState {
public:
    explicit NumpyRandomState(std::uint32_t seed) { seed_init(seed); }
    void seed_init(std::uint32_t seed);  // np.random.seed(seed): init_genrand, gauss cache cleared
    std::uint32_t next_u32();            // one tempered MT19937 output (genrand_int32)
    double rand();                       // np.random.rand(): [0, 1), 53 bits
    double randn();                      // np.random.randn(): legacy polar-method normal

private:
    std::array<std::uint32_t, 624> mt_{};
    int pos_ = 624;
    bool has_gauss_ = false;
    double gauss_ = 0;
};

// np.linalg.svd([[c00, c01], [c01, c11]]) as numpy 1.24 computes it with LAPACK's dgesdd:
// s[0] >= s[1] >= 0 and the rows vt[k] (numpy's `v`, right singular vectors) with LAPACK's
// signs, reproduced step by step (dgebd2's reflector, dbdsqr's split test, dlasv2's rotation,
// sign fix, sort; core/src/course_mvn.cpp). For a symmetric PSD matrix these are its
// eigenvalues and eigenvectors. Matches numpy bit for bit on every covariance we compared
// (tests/unit/test_course_mvn.cpp). Throws aelab::Error on a non-finite entry.
struct NumpySvd2 {
    double s[2] = {0, 0};
    double vt[2][2] = {{1, 0}, {0, 1}};
};
NumpySvd2 numpy_svd_sym2(double c00, double c01, double c11);

// numpy's legacy np.random.multivariate_normal(mean, [[c00, c01], [c01, c11]], n) drawn from
// rs (call rs.seed_init(s) first for np.random.seed(s)): 2 n doubles, row i (sample i) at
// [2 i, 2 i + 1], i.e. numpy's n x 2 array in C order. z @ A is computed as OpenBLAS's dgemm
// on FMA hardware does (fma(z1, A1j, z0 A0j)), so values equal numpy's to the last bit where
// the platform's log() agrees with glibc's (natively here; WASM to ~1e-15). numpy only warns
// for a covariance that is not PSD; validate it first (aelab::validate(Gauss2D)). Throws
// aelab::Error for n < 0 or a non-finite mean or covariance.
std::vector<double> numpy_multivariate_normal_2d(NumpyRandomState& rs, const double mean[2], double c00, double c01,
                                                 double c11, Index n);

// Géron's generate_3d_data (Hands-On Machine Learning, chapter 17, and the course notes):
//     np.random.seed(seed)
//     angles = rand(m) * 3 * pi / 2 - 0.5
//     x0 = cos(angles) + sin(angles) / 2 + noise * randn(m) / 2
//     x1 = sin(angles) * 0.7 + noise * randn(m) / 2
//     x2 = x0 * w1 + x1 * w2 + noise * randn(m)
// then X - X.mean(axis=0) (centred; the mean is summed in sample order as numpy does).
// X is 3 x m (one sample per column). Labels: the angle's bin among 4 equal bins of
// [-0.5, 3 pi / 2 - 0.5) (num_classes = 4, colouring only); param = the angle.
// Requires m >= 1, noise >= 0.
Dataset geron_3d(Index m = 60, double w1 = 0.1, double w2 = 0.3, double noise = 0.1, std::uint32_t seed = 4);

// Géron's rounded accuracy: the share of entries with round(x) == round(x_hat) (Keras'
// binary_accuracy of the rounded target), over all entries of X and Xhat (same shape, d x N).
// Meant for data in [0, 1] (images). Throws aelab::Error on a shape mismatch or empty input.
double rounded_accuracy(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const Mat>& Xhat);

}  // namespace aelab
