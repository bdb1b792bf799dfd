// Tests for aelab/kpca.hpp: kernel PCA against PCA (linear kernel), a dense eigensolver,
// the concentric-circles example, transform / pre-image consistency, Nyström, bad input.
// Suite "kpca".
#include <doctest.h>

#include "aelab/kpca.hpp"
#include "aelab/pca.hpp"
#include "test_util.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace aelab;
using aelab_test::check_error;

namespace {

Mat kp_data(Index d, Index N, std::uint64_t seed) {
    Rng rng(seed);
    Mat X(d, N);
    rng.fill_normal(X, 1.0);
    for (Index i = 0; i < d; ++i) X.row(i) *= static_cast<float>(1.0 + 0.5 * static_cast<double>(i));
    return X;
}

// Two concentric noisy circles (radius 0.3 and 1), labels 0 inner / 1 outer.
Mat circles(Index n_per, std::vector<int>& y) {
    Rng rng(7);
    Mat X(2, 2 * n_per);
    y.assign(static_cast<std::size_t>(2 * n_per), 0);
    for (Index i = 0; i < 2 * n_per; ++i) {
        const bool outer = i >= n_per;
        const double r = outer ? 1.0 : 0.3, t = rng.uniform(0.0, 6.283185307179586);
        X(0, i) = static_cast<float>(r * std::cos(t) + rng.normal(0.0, 0.05));
        X(1, i) = static_cast<float>(r * std::sin(t) + rng.normal(0.0, 0.05));
        y[static_cast<std::size_t>(i)] = outer ? 1 : 0;
    }
    return X;
}

// Top-k eigenvalues of the centred kernel matrix by a full dense decomposition (reference).
VecD dense_reference(const Mat& X, Kernel kern, double gamma, int degree, double coef0, Index k) {
    MatD K = kernel_matrix(X, X, kern, gamma, degree, coef0);
    const Index N = K.rows();
    const MatD H = MatD::Identity(N, N) - MatD::Constant(N, N, 1.0 / static_cast<double>(N));
    const MatD Kc = H * K * H;
    Eigen::SelfAdjointEigenSolver<MatD> es(Kc);
    VecD v(k);
    for (Index i = 0; i < k; ++i) v(i) = es.eigenvalues()(N - 1 - i);
    return v;
}

}  // namespace

TEST_SUITE("kpca") {

TEST_CASE("linear kernel reproduces PCA's projections up to sign; eigenvalues are (N-1) * variances") {
    const Mat X = kp_data(6, 120, 3);
    KpcaOptions o;
    o.kernel = Kernel::Linear;
    o.n_components = 3;
    KernelPCA kp(o);
    const MatD Z = kp.fit_transform(X);
    PcaOptions po;
    po.n_components = 3;
    po.solver = PcaSolver::Covariance;
    PCA pca(po);
    const MatD Zp = pca.fit_transform(X).cast<double>();
    for (Index c = 0; c < 3; ++c) {
        const double s = Z.row(c).dot(Zp.row(c)) >= 0 ? 1.0 : -1.0;
        const double err = (Z.row(c) - s * Zp.row(c)).cwiseAbs().maxCoeff();
        INFO("component " << c << " max |diff| " << err);
        CHECK(err < 1e-4 * Zp.row(c).cwiseAbs().maxCoeff());
        CHECK(kp.eigenvalues_(c) == doctest::Approx(119.0 * pca.explained_variance_(c)).epsilon(1e-5));
    }
}

TEST_CASE("rbf separates two concentric circles along component 1") {
    std::vector<int> y;
    const Mat X = circles(100, y);
    KpcaOptions o;
    o.kernel = Kernel::Rbf;
    o.gamma = 5.0;  // scikit-learn on make_circles(200, factor=0.3, noise=0.05) separates at 2..5, not 10
    o.n_components = 2;
    KernelPCA kp(o);
    const MatD Z = kp.fit_transform(X);
    double in_lo = 1e300, in_hi = -1e300, out_lo = 1e300, out_hi = -1e300;
    for (Index i = 0; i < Z.cols(); ++i) {
        const double z = Z(0, i);
        if (y[static_cast<std::size_t>(i)] == 0) in_lo = std::min(in_lo, z), in_hi = std::max(in_hi, z);
        else out_lo = std::min(out_lo, z), out_hi = std::max(out_hi, z);
    }
    INFO("inner [" << in_lo << ", " << in_hi << "], outer [" << out_lo << ", " << out_hi << "]");
    CHECK((in_hi < out_lo || out_hi < in_lo));
    // and linear PCA does not: both rings straddle zero on its first axis
    o.kernel = Kernel::Linear;
    KernelPCA lin(o);
    const MatD L = lin.fit_transform(X);
    double a = 1e300, b = -1e300;
    for (Index i = 0; i < 100; ++i) a = std::min(a, L(0, i)), b = std::max(b, L(0, i));
    CHECK(a < 0.0);
    CHECK(b > 0.0);
}

TEST_CASE("eigenvalues agree with a dense SelfAdjointEigenSolver for every kernel") {
    const Mat X = kp_data(5, 150, 11) * 0.5f;
    const Kernel ks[] = {Kernel::Rbf, Kernel::Poly, Kernel::Sigmoid, Kernel::Cosine, Kernel::Linear};
    for (Kernel kern : ks) {
        KpcaOptions o;
        o.kernel = kern;
        o.n_components = 4;
        o.gamma = kern == Kernel::Sigmoid ? 0.05 : 0.0;  // default 1/d otherwise
        KernelPCA kp(o);
        kp.fit(X);
        CHECK(kp.gamma_ == doctest::Approx(kern == Kernel::Sigmoid ? 0.05 : 0.2));
        const VecD ref = dense_reference(X, kern, kp.gamma_, o.degree, o.coef0, 4);
        for (Index i = 0; i < 4; ++i) {
            INFO(to_string(kern) << " eigenvalue " << i << ": " << kp.eigenvalues_(i) << " vs " << ref(i));
            CHECK(std::abs(kp.eigenvalues_(i) - ref(i)) <= 1e-8 * std::abs(ref(0)));
        }
        CHECK(kp.lanczos_steps_ < 150);  // a partial solver, not a full decomposition
        // eigenvectors are unit, orthogonal and sign-fixed
        const MatD G = kp.eigenvectors_.transpose() * kp.eigenvectors_;
        CHECK((G - MatD::Identity(4, 4)).cwiseAbs().maxCoeff() < 1e-8);
    }
}

TEST_CASE("float kernel storage (the default above N = 2000) keeps eigenvalues to 1e-6 relative") {
    const Mat X = kp_data(6, 300, 31) * 0.4f;
    KpcaOptions o;
    o.kernel = Kernel::Rbf;
    o.n_components = 3;
    o.storage = KernelStorage::Float;
    KernelPCA kp(o);
    const MatD Z = kp.fit_transform(X);
    CHECK(kp.kernel_float_);
    const VecD ref = dense_reference(X, Kernel::Rbf, kp.gamma_, o.degree, o.coef0, 3);
    for (Index i = 0; i < 3; ++i) CHECK(std::abs(kp.eigenvalues_(i) - ref(i)) <= 1e-6 * ref(0));
    // transform (double cross-kernel) agrees with the float-stored fit to float precision
    CHECK((kp.transform(X) - Z).cwiseAbs().maxCoeff() < 1e-5 * Z.cwiseAbs().maxCoeff());
    o.storage = KernelStorage::Auto;
    KernelPCA au(o);
    au.fit(X);
    CHECK_FALSE(au.kernel_float_);  // N = 300 <= 2000: double
}

TEST_CASE("transform of the training points equals the fitted projections; new points work") {
    const Mat X = kp_data(4, 80, 5);
    KpcaOptions o;
    o.kernel = Kernel::Rbf;
    o.n_components = 3;
    KernelPCA kp(o);
    const MatD Z = kp.fit_transform(X);
    const MatD Zt = kp.transform(X);
    CHECK((Z - Zt).cwiseAbs().maxCoeff() < 1e-9 * std::max(1.0, Z.cwiseAbs().maxCoeff()));
    const MatD Zn = kp.transform(kp_data(4, 7, 99));
    CHECK(Zn.rows() == 3);
    CHECK(Zn.cols() == 7);
    CHECK(Zn.allFinite());
}

TEST_CASE("pre-image error falls as alpha falls") {
    std::vector<int> y;
    const Mat X = circles(60, y);
    double prev = std::numeric_limits<double>::infinity();
    for (double alpha : {1.0, 0.1, 0.01, 0.001}) {
        KpcaOptions o;
        o.kernel = Kernel::Rbf;
        o.gamma = 2.0;
        o.n_components = 4;
        o.fit_inverse_transform = true;
        o.alpha = alpha;
        KernelPCA kp(o);
        const MatD Z = kp.fit_transform(X);
        const Mat Xr = kp.inverse_transform(Z);
        const double err = (Xr - X).squaredNorm() / static_cast<double>(X.size());
        INFO("alpha " << alpha << " mse " << err);
        CHECK(err < prev);
        prev = err;
    }
    CHECK(prev < 0.01);
}

TEST_CASE("Nystrom: all landmarks = exact; fewer landmarks state a trace error") {
    const Mat X = kp_data(3, 100, 21);
    KpcaOptions o;
    o.kernel = Kernel::Rbf;
    o.n_components = 2;
    KernelPCA ex(o);
    ex.fit(X);
    o.nystrom_landmarks = 100;
    KernelPCA ny(o);
    const MatD Zn = ny.fit_transform(X);
    CHECK(std::abs(ny.nystrom_trace_error_) < 1e-8);
    for (Index i = 0; i < 2; ++i) CHECK(ny.eigenvalues_(i) == doctest::Approx(ex.eigenvalues_(i)).epsilon(1e-6));
    CHECK((Zn - ny.transform(X)).cwiseAbs().maxCoeff() < 1e-8);
    o.nystrom_landmarks = 20;
    KernelPCA small(o);
    small.fit(X);
    CHECK(small.nystrom_trace_error_ > 0.0);
    CHECK(small.nystrom_trace_error_ < 1.0);
    CHECK(small.eigenvalues_(0) <= ex.eigenvalues_(0) * 1.05);
}

TEST_CASE("hostile inputs give clear errors") {
    Mat X = kp_data(3, 10, 1);
    KpcaOptions o;
    o.n_components = 11;
    check_error([&] { KernelPCA(o).fit(X); }, "n_components must be in 1..10");
    o.n_components = 2;
    check_error([&] { KernelPCA(o).fit(X.leftCols(1)); }, "N >= 2");
    Mat Y = X;
    Y(1, 4) = std::numeric_limits<float>::quiet_NaN();
    check_error([&] { KernelPCA(o).fit(Y); }, "NaN or Inf (row 1, column 4)");
    KernelPCA kp(o);
    check_error([&] { kp.transform(X); }, "not fitted");
    kp.fit(X);
    check_error([&] { kp.transform(kp_data(4, 3, 2)); }, "fitted on 3");
    check_error([&] { kp.inverse_transform(MatD::Zero(2, 3)); }, "fit_inverse_transform");
    check_error([&] { parse_kernel("gauss"); }, "unknown kernel 'gauss'");
    o.alpha = -1;
    check_error([&] { KernelPCA(o).fit(X); }, "alpha");
    o.alpha = 1;
    o.nystrom_landmarks = 1;
    check_error([&] { KernelPCA(o).fit(X); }, "nystrom_landmarks must be >= n_components");
    // duplicate points are fine (rank-deficient kernel): zero eigenvalues give zero projections
    Mat D(2, 6);
    D << 1, 1, 1, 2, 2, 2, 0, 0, 0, 1, 1, 1;
    o.nystrom_landmarks = 0;
    o.n_components = 3;
    KernelPCA dup(o);
    const MatD Z = dup.fit_transform(D);
    CHECK(Z.allFinite());
    CHECK(dup.eigenvalues_(1) == doctest::Approx(0.0).epsilon(1e-12));
}

}  // TEST_SUITE
