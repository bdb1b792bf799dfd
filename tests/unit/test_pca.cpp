// Tests for aelab/pca.hpp (PCA solvers against each other and closed forms) and
// aelab/subspace.hpp (principal angles, kNN scoring). Suite "pca".
#include <doctest.h>

#include "aelab/pca.hpp"
#include "aelab/subspace.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

using namespace aelab;

namespace {

const double kPi = 3.14159265358979323846;

// Random orthogonal d x d matrix (QR of a Gaussian matrix).
MatD random_orthogonal(Index d, Rng& rng) {
    MatD G(d, d);
    rng.fill_normal(G, 1.0);
    Eigen::HouseholderQR<MatD> qr(G);
    MatD Q = MatD::Identity(d, d);
    qr.householderQ().applyThisOnTheLeft(Q);
    return Q;
}

// d x N samples: mean + R diag(sd) z with z ~ N(0, I), R random orthogonal, so the
// population covariance has eigenvalues sd_i^2 along the columns of R.
Mat gaussian_data(const VecD& sd, Index N, double offset, std::uint64_t seed, MatD* axes = nullptr) {
    const Index d = sd.size();
    Rng rng(seed);
    const MatD R = random_orthogonal(d, rng);
    MatD Z(d, N);
    rng.fill_normal(Z, 1.0);
    VecD mu(d);
    for (Index i = 0; i < d; ++i) mu(i) = offset + 0.1 * static_cast<double>(i);
    MatD X = (R * sd.asDiagonal() * Z).colwise() + mu;
    if (axes) *axes = R;
    return X.cast<float>();
}

VecD decaying(Index d, double first, double ratio) {
    VecD s(d);
    for (Index i = 0; i < d; ++i) s(i) = first * std::pow(ratio, static_cast<double>(i));
    return s;
}

double max_rel_err(const VecD& a, const VecD& b) {
    return ((a - b).array().abs() / b.array().abs()).maxCoeff();
}

PCA fitted(const Mat& X, PcaSolver s, NComponents k, bool whiten = false) {
    PcaOptions o;
    o.solver = s;
    o.n_components = k;
    o.whiten = whiten;
    PCA p(o);
    p.fit(X);
    return p;
}

}  // namespace

TEST_SUITE("pca") {

TEST_CASE("pca: covariance and SVD solvers agree (variances 1e-9 rel, axes 1e-7) on correlated data") {
    const Mat X = gaussian_data(decaying(12, 3.0, 0.7), 400, 5.0, 1);
    const PCA c = fitted(X, PcaSolver::Covariance, NComponents::all());
    const PCA s = fitted(X, PcaSolver::SVD, NComponents::all());
    CHECK(c.solver_used_ == PcaSolver::Covariance);
    CHECK(s.solver_used_ == PcaSolver::SVD);
    REQUIRE(c.n_components_ == 12);
    REQUIRE(s.n_components_ == 12);
    CHECK(max_rel_err(s.explained_variance_, c.explained_variance_) < 1e-9);
    CHECK(max_rel_err(s.singular_values_, c.singular_values_) < 1e-9);
    CHECK((s.mean_ - c.mean_).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(std::abs(s.total_variance_ - c.total_variance_) < 1e-9 * c.total_variance_);
    // Same deterministic sign convention, so the axes agree as vectors, not just up to sign.
    CHECK((s.components_ - c.components_).cwiseAbs().maxCoeff() < 1e-7);
    // Orthonormal columns, decreasing variances, ratios summing to 1 at full rank.
    CHECK((c.components_.transpose() * c.components_ - MatD::Identity(12, 12)).cwiseAbs().maxCoeff() < 1e-12);
    for (Index i = 1; i < 12; ++i) CHECK(c.explained_variance_(i) <= c.explained_variance_(i - 1));
    CHECK(std::abs(c.explained_variance_ratio_.sum() - 1.0) < 1e-12);
    CHECK(c.noise_variance_ == 0.0);

    // Reference: covariance formed naively in double.
    const MatD Xd = X.cast<double>();
    const VecD mu = Xd.rowwise().mean();
    const MatD Xc = Xd.colwise() - mu;
    const MatD C = Xc * Xc.transpose() / (400.0 - 1.0);
    Eigen::SelfAdjointEigenSolver<MatD> es(C);
    CHECK(std::abs(es.eigenvalues()(11) - c.explained_variance_(0)) < 1e-10 * c.explained_variance_(0));
    CHECK(std::abs(C.trace() - c.total_variance_) < 1e-10 * C.trace());

    // Sign convention: the largest-|.| entry of every axis is positive.
    for (Index j = 0; j < 12; ++j) {
        Index i = 0;
        c.components_.col(j).cwiseAbs().maxCoeff(&i);
        CHECK(c.components_(i, j) > 0.0);
    }
}

TEST_CASE("pca: covariance and SVD agree with fewer samples than features (N < d), noise variance") {
    const Mat X = gaussian_data(decaying(30, 2.0, 0.85), 12, 0.0, 2);
    const PCA c = fitted(X, PcaSolver::Covariance, 5);
    const PCA s = fitted(X, PcaSolver::SVD, 5);
    PcaOptions o;  // Auto must choose SVD when N < d.
    o.n_components = 5;
    PCA a(o);
    a.fit(X);
    CHECK(a.solver_used_ == PcaSolver::SVD);
    CHECK(max_rel_err(s.explained_variance_, c.explained_variance_) < 1e-9);
    CHECK((s.components_ - c.components_).cwiseAbs().maxCoeff() < 1e-6);
    // noise_variance_ = mean of the min(d, N) - k discarded variances (the last is ~0).
    const PCA all = fitted(X, PcaSolver::SVD, NComponents::all());
    REQUIRE(all.n_components_ == 12);
    const double expect = all.explained_variance_.tail(7).sum() / 7.0;
    CHECK(std::abs(s.noise_variance_ - expect) < 1e-9 * expect);
    CHECK(all.explained_variance_(11) < 1e-9 * all.explained_variance_(0));  // centering removes one
}

TEST_CASE("pca: float-GEMM covariance path (d^2 N > 2.7e8) matches a double reference (variances 1e-6 rel)") {
    // 128 x 20000: the Gram is accumulated from float block products summed in double.
    // Reference: covariance by one double GEMM of the centered data, SelfAdjointEigenSolver.
    const Mat X = gaussian_data(decaying(128, 4.0, 0.96), 20000, 3.0, 3);
    const PCA c = fitted(X, PcaSolver::Covariance, 10);
    const MatD Xd = X.cast<double>();
    const MatD Xc = Xd.colwise() - Xd.rowwise().mean();
    MatD C = MatD::Zero(128, 128);
    C.selfadjointView<Eigen::Lower>().rankUpdate(Xc, 1.0 / (20000.0 - 1.0));
    Eigen::SelfAdjointEigenSolver<MatD> es(C);
    const VecD ev = es.eigenvalues().reverse().head(10);
    const MatD axes = es.eigenvectors().rowwise().reverse().leftCols(10);
    CHECK(max_rel_err(c.explained_variance_, ev) < 1e-6);
    CHECK(largest_principal_angle(c.components_, axes) < 1e-5);
    CHECK(std::abs(c.total_variance_ - C.trace()) < 1e-6 * C.trace());
}

TEST_CASE("pca: randomized matches exact (variances 1e-6 rel, angles < 1e-4) with n_iter=4 on a decaying spectrum") {
    // Spectrum 0.7^i: with k + p = 15 test vectors and 4 power iterations the top 5 are
    // resolved to ~(0.7^16 / 0.7^5)^(2*4+1) ~ 1e-15 in theory; float GEMMs limit it.
    for (double offset : {0.0, 1000.0}) {  // 1000: the explicitly centered branch
        CAPTURE(offset);
        const Mat X = gaussian_data(decaying(50, 3.0, 0.7), 2000, offset, 4);
        const PCA e = fitted(X, PcaSolver::Covariance, 5);
        PcaOptions o;
        o.solver = PcaSolver::Randomized;
        o.n_components = 5;
        o.n_iter = 4;
        o.seed = 7;
        PCA r(o);
        r.fit(X);
        CHECK(r.solver_used_ == PcaSolver::Randomized);
        REQUIRE(r.n_components_ == 5);
        CHECK(max_rel_err(r.explained_variance_, e.explained_variance_) < 1e-6);
        CHECK(largest_principal_angle(r.components_, e.components_) < 1e-4);
        CHECK(std::abs(r.total_variance_ - e.total_variance_) < 1e-9 * e.total_variance_);
        CHECK(std::abs(r.noise_variance_ - e.noise_variance_) < 3e-5 * e.noise_variance_);
        // Same seed, same result.
        PCA r2(o);
        r2.fit(X);
        CHECK((r2.components_ - r.components_).cwiseAbs().maxCoeff() == 0.0);
    }
}

TEST_CASE("pca: randomized on rank-deficient data (rank 3 < k = 5 < l): orthonormal axes, zero extra variance, exact MSE") {
    // 3 non-zero standard deviations among d = 20: k + p = 15 test vectors see a rank-3
    // operator; the two missing directions must be completed, not NaN. Offset 0 takes the
    // rank-one-corrected centering, offset 5 (|mean|^2 = 36 x the spread) the explicit one.
    for (double offset : {0.0, 5.0}) {
        CAPTURE(offset);
        VecD sd = VecD::Zero(20);
        sd.head(3) << 3.0, 2.0, 1.0;
        const Mat X = gaussian_data(sd, 500, offset, 17);
        PcaOptions o;
        o.solver = PcaSolver::Randomized;
        o.n_components = 5;
        PCA r(o);
        r.fit(X);
        REQUIRE(r.n_components_ == 5);
        CHECK(r.components_.allFinite());
        CHECK((r.components_.transpose() * r.components_ - MatD::Identity(5, 5)).cwiseAbs().maxCoeff() < 1e-9);
        const PCA e = fitted(X, PcaSolver::Covariance, 3);
        CHECK(max_rel_err(r.explained_variance_.head(3), e.explained_variance_) < 1e-6);
        CHECK(r.explained_variance_.tail(2).cwiseAbs().maxCoeff() < 1e-6 * e.explained_variance_(0));
        CHECK(largest_principal_angle(r.components_.leftCols(3), e.components_) < 1e-4);
        CHECK(r.reconstruction_mse(X) < 1e-10);
    }
}

TEST_CASE("pca: incremental matches exact (variances 1e-6 rel, angles < 1e-4) on low-rank-plus-noise data") {
    // Top 5 variances 9..1.3, the other 15 equal 1e-4: each batch's truncation to k = 5
    // discards almost nothing, so incremental PCA is nearly exact (measured ~1e-10 rel).
    VecD sd = VecD::Constant(20, 1e-2);
    sd.head(5) << 3.0, 2.5, 2.0, 1.5, 1.15;
    const Mat X = gaussian_data(sd, 3000, 2.0, 5);
    const PCA e = fitted(X, PcaSolver::Covariance, 5);
    for (Index bs : {Index(0), Index(200), Index(10)}) {  // 0 = 5 d, 200: d-side Gram; 10: k + B + 1 < d, row-side Gram
        CAPTURE(bs);
        PcaOptions o;
        o.solver = PcaSolver::Incremental;
        o.n_components = 5;
        o.batch_size = bs;
        PCA inc(o);
        inc.fit(X);
        CHECK(inc.solver_used_ == PcaSolver::Incremental);
        CHECK(inc.n_samples_seen_ == 3000);
        CHECK(max_rel_err(inc.explained_variance_, e.explained_variance_) < 1e-6);
        CHECK(largest_principal_angle(inc.components_, e.components_) < 1e-4);
        // Running mean / variance are exact (Chan et al. pairwise update).
        CHECK((inc.mean_ - e.mean_).cwiseAbs().maxCoeff() < 1e-9);
        CHECK(std::abs(inc.total_variance_ - e.total_variance_) < 1e-9 * e.total_variance_);
        CHECK((inc.var_ - e.var_).cwiseAbs().maxCoeff() < 1e-9);
    }
    // partial_fit by hand over the same batches == fit with that batch_size.
    PcaOptions o;
    o.solver = PcaSolver::Incremental;
    o.n_components = 5;
    o.batch_size = 500;
    PCA a(o), b(o);
    a.fit(X);
    for (Index j = 0; j < 3000; j += 500) b.partial_fit(X.middleCols(j, 500));
    CHECK((a.components_ - b.components_).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(max_rel_err(a.explained_variance_, b.explained_variance_) < 1e-12);
}

TEST_CASE("pca: course 2-D Gaussian, mean (-1, 2), cov [[4, 2], [2, 2]]: eigenvalues 3 +- sqrt(5) within 5%") {
    // n = 10000 samples x = mu + L z, L = chol(cov) = [[2, 0], [1, 1]], z ~ N(0, I) from
    // aelab::Rng. Sampling error: a variance estimate has relative sd sqrt(2 / n) = 1.4%,
    // so 5% is 3.5 sd; the mean has sd <= sqrt(4 / n) = 0.02, tolerance 0.1 (5 sd).
    const Index n = 10000;
    Rng rng(2024);
    Mat X(2, n);
    for (Index j = 0; j < n; ++j) {
        const double z1 = rng.normal(), z2 = rng.normal();
        X(0, j) = static_cast<float>(-1.0 + 2.0 * z1);
        X(1, j) = static_cast<float>(2.0 + 1.0 * z1 + 1.0 * z2);
    }
    for (PcaSolver s : {PcaSolver::Covariance, PcaSolver::SVD}) {
        CAPTURE(to_string(s));
        const PCA p = fitted(X, s, NComponents::all());
        REQUIRE(p.n_components_ == 2);
        CHECK(std::abs(p.mean_(0) - (-1.0)) < 0.1);
        CHECK(std::abs(p.mean_(1) - 2.0) < 0.1);
        const double l1 = 3.0 + std::sqrt(5.0), l2 = 3.0 - std::sqrt(5.0);
        CHECK(std::abs(p.explained_variance_(0) / l1 - 1.0) < 0.05);
        CHECK(std::abs(p.explained_variance_(1) / l2 - 1.0) < 0.05);
        CHECK(std::abs(p.total_variance_ / 6.0 - 1.0) < 0.05);  // trace of cov
        // First axis: eigenvector (2, sqrt(5) - 1) of the population covariance.
        MatD v(2, 1);
        v << 2.0, std::sqrt(5.0) - 1.0;
        CHECK(largest_principal_angle(p.components_.leftCols(1), v) < 0.05);
    }
}

TEST_CASE("pca: n_components = 0.95 picks the smallest k reaching 95% (known spectrum 50/25/12/7/4/2 %)") {
    // Samples +-a_i along 6 orthogonal axes (12 samples, mean exactly 0): the covariance has
    // eigenvalues proportional to a_i^2 = 50, 25, 12, 7, 4, 2 (percent of the total).
    // Cumulative: 50, 75, 87, 94, 98, 100 -> f = 0.95 needs k = 5; 0.9 -> 4; 0.3 -> 1; 0.99 -> 6.
    const double pct[6] = {50, 25, 12, 7, 4, 2};
    Rng rng(9);
    const MatD R = random_orthogonal(6, rng);
    MatD Xd(6, 12);
    for (Index i = 0; i < 6; ++i) {
        Xd.col(2 * i) = std::sqrt(pct[i]) * R.col(i);
        Xd.col(2 * i + 1) = -std::sqrt(pct[i]) * R.col(i);
    }
    const Mat X = Xd.cast<float>();
    const std::pair<double, Index> cases[] = {{0.95, 5}, {0.9, 4}, {0.3, 1}, {0.99, 6}, {0.8, 3}};
    for (PcaSolver s : {PcaSolver::Covariance, PcaSolver::SVD, PcaSolver::Auto}) {
        for (const auto& c : cases) {
            CAPTURE(to_string(s));
            CAPTURE(c.first);
            const PCA p = fitted(X, s, c.first);
            CHECK(p.n_components_ == c.second);
        }
    }
    const PCA p = fitted(X, PcaSolver::Covariance, 0.95);
    for (Index i = 0; i < 5; ++i) CHECK(std::abs(p.explained_variance_ratio_(i) - pct[i] / 100.0) < 1e-6);
    // Discarded: one variance of 2% of the total over min(d, N) - k = 1 direction.
    CHECK(std::abs(p.noise_variance_ - 0.02 * p.total_variance_) < 1e-6 * p.total_variance_);
}

TEST_CASE("pca: inverse_transform round-trips at full rank, plain and whitened (1e-4 abs, float)") {
    const Mat X = gaussian_data(decaying(8, 2.0, 0.6), 100, -3.0, 11);
    for (bool whiten : {false, true}) {
        for (PcaSolver s : {PcaSolver::Covariance, PcaSolver::SVD}) {
            CAPTURE(whiten);
            CAPTURE(to_string(s));
            PCA p = fitted(X, s, NComponents::all(), whiten);
            const Mat Z = p.transform(X);
            CHECK(Z.rows() == 8);
            CHECK(Z.cols() == 100);
            const Mat Xr = p.inverse_transform(Z);
            CHECK((Xr - X).cwiseAbs().maxCoeff() < 1e-4);
            CHECK(p.reconstruction_mse(X) < 1e-10);
            // fit_transform == fit + transform; preallocated overloads agree.
            const Mat Z2 = p.fit_transform(X);
            CHECK((Z2 - Z).cwiseAbs().maxCoeff() < 1e-5);
            Mat Z3(8, 100), X3(8, 100);
            p.transform(X, Z3);
            p.inverse_transform(Z3, X3);
            CHECK((X3 - Xr).cwiseAbs().maxCoeff() < 1e-5);
        }
    }
}

TEST_CASE("pca: transform rows carry explained_variance_ (whitened: unit variance), uncorrelated; MSE = discarded variance") {
    const Index N = 3000;
    const Mat X = gaussian_data(decaying(10, 2.0, 0.75), N, 1.0, 12);
    for (bool whiten : {false, true}) {
        CAPTURE(whiten);
        PCA p = fitted(X, PcaSolver::Covariance, 4, whiten);
        const MatD Z = p.transform(X).cast<double>();
        const VecD zm = Z.rowwise().mean();
        CHECK(zm.cwiseAbs().maxCoeff() < 1e-5);
        const MatD Zc = Z.colwise() - zm;
        const MatD C = Zc * Zc.transpose() / static_cast<double>(N - 1);
        for (Index i = 0; i < 4; ++i) {
            const double expect = whiten ? 1.0 : p.explained_variance_(i);
            CHECK(std::abs(C(i, i) / expect - 1.0) < 1e-5);
            for (Index j = 0; j < i; ++j) CHECK(std::abs(C(i, j)) < 1e-5 * std::sqrt(C(i, i) * C(j, j)));
        }
        // Reconstruction MSE (mean over all d*N entries) = discarded variance * (N-1)/N / d,
        // and equals the MSE of inverse_transform(transform(X)).
        const PCA all = fitted(X, PcaSolver::Covariance, NComponents::all());
        const double discarded = all.explained_variance_.tail(6).sum();
        const double expect_mse = discarded * (N - 1.0) / N / 10.0;
        const double mse = p.reconstruction_mse(X);
        CHECK(std::abs(mse / expect_mse - 1.0) < 1e-4);
        const Mat Xr = p.inverse_transform(p.transform(X));
        const double direct = (Xr - X).cast<double>().squaredNorm() / (10.0 * N);
        CHECK(std::abs(direct / mse - 1.0) < 1e-3);
        CHECK(std::abs(p.noise_variance_ - discarded / 6.0) < 1e-9 * discarded);
    }
}

TEST_CASE("pca: principal angles of known subspaces (equal -> 0, orthogonal -> pi/2, plane rotations incl. 1e-6 to 1e-8 rel)") {
    Rng rng(21);
    const Index d = 7;
    const MatD I = MatD::Identity(d, d);

    // Same subspace, different bases.
    MatD A(d, 3);
    rng.fill_normal(A, 1.0);
    MatD M(3, 3);
    rng.fill_normal(M, 1.0);
    M += 3.0 * MatD::Identity(3, 3);  // well conditioned
    const VecD t0 = principal_angles(A, MatD(A * M));
    REQUIRE(t0.size() == 3);
    CHECK(t0.maxCoeff() < 1e-12);

    // Orthogonal subspaces.
    const VecD t1 = principal_angles(I.leftCols(2), I.middleCols(2, 2));
    REQUIRE(t1.size() == 2);
    CHECK(std::abs(t1(0) - kPi / 2) < 1e-12);
    CHECK(std::abs(t1(1) - kPi / 2) < 1e-12);

    // Rotation by t in the (e1, e2) plane, e3 shared: angles {0, t}; both orders.
    for (double t : {1e-6, 1e-3, 0.3, 1.2, kPi / 2 - 1e-7}) {
        CAPTURE(t);
        MatD P(d, 2), Q(d, 2);
        P << I.col(0), I.col(2);
        Q << std::cos(t) * I.col(0) + std::sin(t) * I.col(1), I.col(2);
        for (int order = 0; order < 2; ++order) {
            const VecD th = order ? principal_angles(Q, P) : principal_angles(P, Q);
            REQUIRE(th.size() == 2);
            CHECK(th(0) < 1e-15);
            CHECK(std::abs(th(1) - t) <= 1e-8 * t);  // relative accuracy, also for t = 1e-6
            CHECK(largest_principal_angle(P, Q) == doctest::Approx(t).epsilon(1e-8));
        }
    }

    // Different dimensions: span(e1) vs span(e2, cos t e1 + sin t e3) -> one angle t.
    const double t = 2e-6;
    MatD B(d, 2);
    B << I.col(1), std::cos(t) * I.col(0) + std::sin(t) * I.col(2);
    const VecD th = principal_angles(I.leftCols(1), B);
    REQUIRE(th.size() == 1);
    CHECK(std::abs(th(0) - t) < 1e-8 * t);
    const VecD th2 = principal_angles(B, I.leftCols(1));
    REQUIRE(th2.size() == 1);
    CHECK(std::abs(th2(0) - t) < 1e-8 * t);

    // Float inputs and rank-deficient bases (a repeated column spans nothing new).
    Mat Af(d, 3);
    Af << I.col(0).cast<float>(), I.col(0).cast<float>(), I.col(1).cast<float>();
    const VecD tf = principal_angles(Af, I.leftCols(2));
    REQUIRE(tf.size() == 2);
    CHECK(tf.maxCoeff() < 1e-7);
}

TEST_CASE("pca: kNN accuracy is 1.0 on separable blobs and equals hand-computed values on a 1-D case") {
    // Separable: two Gaussian blobs of sd 1 centred 20 apart in 5-D.
    Rng rng(31);
    Mat tr(5, 200), te(5, 60);
    std::vector<int> ytr(200), yte(60);
    rng.fill_normal(tr, 1.0);
    rng.fill_normal(te, 1.0);
    for (Index j = 0; j < 200; ++j) {
        ytr[static_cast<std::size_t>(j)] = static_cast<int>(j % 2) * 7;  // labels 0 and 7
        tr(0, j) += ytr[static_cast<std::size_t>(j)] ? 20.0f : 0.0f;
    }
    for (Index j = 0; j < 60; ++j) {
        yte[static_cast<std::size_t>(j)] = static_cast<int>(j % 3 == 0) * 7;
        te(0, j) += yte[static_cast<std::size_t>(j)] ? 20.0f : 0.0f;
    }
    CHECK(knn_accuracy(tr, ytr, te, yte, 1) == 1.0);
    CHECK(knn_accuracy(tr, ytr, te, yte, 5) == 1.0);
    CHECK(knn_accuracy_few_labels(tr, ytr, te, yte, 3, 1, 5) == 1.0);

    // 1-D: train at 0, 1, 2, 10, 11 with labels 0, 0, 1, 1, 1; test 0.4, 1.6, 6.2, 12
    // with labels 0, 0, 1, 1.
    //   k = 1: nearest 0 (0), 2 (1, wrong), 10 (1), 11 (1) -> 3 / 4.
    //   k = 3: {0,1,2} -> 0; {2,1,0} -> 0; {10,2,11} -> 1; {11,10,2} -> 1 -> 4 / 4.
    Mat t1(1, 5), q1(1, 4);
    t1 << 0, 1, 2, 10, 11;
    q1 << 0.4f, 1.6f, 6.2f, 12;
    const std::vector<int> y1 = {0, 0, 1, 1, 1}, yq = {0, 0, 1, 1};
    CHECK(knn_accuracy(t1, y1, q1, yq, 1) == 0.75);
    CHECK(knn_accuracy(t1, y1, q1, yq, 3) == 1.0);
    // k = 2 ties (one vote each) go to the nearer neighbour's class: 1.6 -> 2 (label 1).
    const std::vector<int> p2 = knn_predict(t1, y1, q1, 2);
    CHECK(p2 == std::vector<int>({0, 1, 1, 1}));
    // Equal distances go to the lower train index: 1.5 is 0.5 from 1 (label 0) and 2 (label 1).
    Mat mid(1, 1);
    mid << 1.5f;
    CHECK(knn_predict(t1, y1, mid, 1) == std::vector<int>({0}));
    // Subset of train: only {0, 10} are neighbours -> 1.6 -> 0 (label 0), 6.2 -> 10.
    const std::vector<Index> sub = {3, 0};
    CHECK(knn_predict(t1, y1, q1, 1, &sub) == std::vector<int>({0, 0, 1, 1}));
    // k larger than the pool is capped.
    CHECK(knn_predict(t1, y1, q1, 50, &sub).size() == 4);
}

TEST_CASE("pca: blockwise GEMM kNN equals a naive double-precision brute force (blocks crossed, k = 1 and 5)") {
    // 2500 train (> one 2048-column train block) x 300 test (> one 256-column test block).
    Rng rng(77);
    const Index m = 4, ntr = 2500, nte = 300;
    Mat tr(m, ntr), te(m, nte);
    rng.fill_normal(tr, 1.0);
    rng.fill_normal(te, 1.0);
    tr.array() += 5.0f;  // an offset makes the ||a||^2 + ||b||^2 - 2ab form work for its keep
    te.array() += 5.0f;
    std::vector<int> ytr(static_cast<std::size_t>(ntr));
    for (auto& v : ytr) v = static_cast<int>(rng.below(4));
    for (int k : {1, 5}) {
        CAPTURE(k);
        const std::vector<int> fast = knn_predict(tr, ytr, te, k);
        int compared = 0;
        for (Index t = 0; t < nte; ++t) {
            std::vector<std::pair<double, Index>> dist;
            for (Index i = 0; i < ntr; ++i)
                dist.emplace_back((tr.col(i).cast<double>() - te.col(t).cast<double>()).squaredNorm(), i);
            std::partial_sort(dist.begin(), dist.begin() + k + 1, dist.end());
            // Skip the rare query whose k-th and (k+1)-th neighbours are closer than float
            // resolution: the float fast path may legitimately order them either way.
            const double dk = dist[static_cast<std::size_t>(k - 1)].first, dk1 = dist[static_cast<std::size_t>(k)].first;
            if (dk1 - dk < 1e-4 * dk1) continue;
            int votes[4] = {0, 0, 0, 0};
            for (int a = 0; a < k; ++a) ++votes[ytr[static_cast<std::size_t>(dist[static_cast<std::size_t>(a)].second)]];
            int best = ytr[static_cast<std::size_t>(dist[0].second)], bc = 0;
            for (int a = 0; a < k; ++a) {  // majority, ties to the nearest neighbour's class
                const int la = ytr[static_cast<std::size_t>(dist[static_cast<std::size_t>(a)].second)];
                if (votes[la] > bc) {
                    bc = votes[la];
                    best = la;
                }
            }
            CHECK(fast[static_cast<std::size_t>(t)] == best);
            ++compared;
        }
        CHECK(compared >= nte - 5);
    }
}

TEST_CASE("pca: kNN on codes of extreme magnitude (1e20 bias, 1e30, 1e-30, subnormal) is exact or ties, never UB") {
    // Regression: a model whose code-layer bias is 1e20 gives finite codes whose float
    // squares are inf; every distance was NaN, no neighbour was found and the vote read
    // before its buffer. Scaling by a power of two is exact, so predictions must equal the
    // unscaled ones (two separable blobs in 3-D, k = 1 and 3).
    Rng rng(5);
    Mat tr(3, 300), te(3, 80);
    rng.fill_normal(tr, 1.0);
    rng.fill_normal(te, 1.0);
    std::vector<int> ytr(300), yte(80);
    for (Index j = 0; j < 300; ++j) {
        ytr[static_cast<std::size_t>(j)] = static_cast<int>(j % 2);
        tr(1, j) += ytr[static_cast<std::size_t>(j)] ? 6.0f : 0.0f;
    }
    for (Index j = 0; j < 80; ++j) {
        yte[static_cast<std::size_t>(j)] = static_cast<int>(j % 2);
        te(1, j) += yte[static_cast<std::size_t>(j)] ? 6.0f : 0.0f;
    }
    for (int k : {1, 3}) {
        CAPTURE(k);
        const std::vector<int> ref = knn_predict(tr, ytr, te, k);
        for (int e : {100, 60, 41, -41, -60, -100}) {
            CAPTURE(e);
            const float f = std::ldexp(1.0f, e);
            const Mat trs = tr * f, tes = te * f;
            REQUIRE(trs.allFinite());  // at 2^+-100 the float squares are inf / 0
            CHECK(knn_predict(trs, ytr, tes, k) == ref);
        }
        // Ten-per-class protocol goes through the same path.
        CHECK(knn_accuracy_few_labels(Mat(tr * 1e30f), ytr, Mat(te * 1e30f), yte, 10, k, 3) ==
              knn_accuracy_few_labels(tr, ytr, te, yte, 10, k, 3));
    }
    // The probe's model: codes = small signal + a shared bias of 1e20. Float cannot hold the
    // signal next to the bias, so all distances tie: a valid label (the first train code's),
    // an accuracy in [0, 1], no crash.
    const Mat trb = (tr.array() + 1e20f).matrix(), teb = (te.array() + 1e20f).matrix();
    const std::vector<int> pb = knn_predict(trb, ytr, teb, 5);
    REQUIRE(pb.size() == 80);
    for (int p : pb) CHECK((p == 0 || p == 1));
    const double acc = knn_accuracy(trb, ytr, teb, yte, 5);
    CHECK(acc >= 0.0);
    CHECK(acc <= 1.0);
    // Near the float limits and in the subnormal range.
    Mat t1(1, 3), q1(1, 2);
    const std::vector<int> y1 = {0, 1, 2};
    t1 << -3e38f, 0.0f, 3e38f;
    q1 << 2e38f, -1e38f;
    CHECK(knn_predict(t1, y1, q1, 1) == std::vector<int>({2, 1}));
    t1 << 1e-45f, 2e-44f, 4e-44f;  // subnormal: 1, 14 and 29 times the smallest float
    q1 << 3e-44f, 4e-45f;     // 21 and 3 units: nearest 14 and 1
    CHECK(knn_predict(t1, y1, q1, 1) == std::vector<int>({1, 0}));
    // Non-finite codes are an error with a message, not a prediction.
    Mat bad = tr;
    bad(0, 7) = std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH_AS(knn_predict(bad, ytr, te, 1), doctest::Contains("NaN or Inf"), Error);
    bad(0, 7) = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_WITH_AS(knn_predict(tr, ytr, bad, 1), doctest::Contains("NaN or Inf"), Error);
}

TEST_CASE("pca: select_per_class is deterministic and takes per_class of each label (all of a small class)") {
    std::vector<int> y;
    for (int i = 0; i < 100; ++i) y.push_back(i % 4);  // 25 each of 0..3
    y.push_back(9);                                     // a class of one
    const std::vector<Index> a = select_per_class(y, 10, 123), b = select_per_class(y, 10, 123);
    CHECK(a == b);
    CHECK(a.size() == 41);
    int count[10] = {0};
    for (Index i : a) ++count[y[static_cast<std::size_t>(i)]];
    for (int c = 0; c < 4; ++c) CHECK(count[c] == 10);
    CHECK(count[9] == 1);
    for (std::size_t i = 1; i < a.size(); ++i) CHECK(a[i - 1] < a[i]);
    CHECK(select_per_class(y, 10, 124) != a);
}

TEST_CASE("pca: hostile input throws aelab::Error (k > d, N < 2, NaN, bad n_components, wrong shapes, unfitted)") {
    const Mat X = gaussian_data(decaying(5, 1.0, 0.8), 50, 0.0, 41);
    const PcaSolver all_solvers[] = {PcaSolver::Auto, PcaSolver::Covariance, PcaSolver::SVD,
                                     PcaSolver::Randomized, PcaSolver::Incremental};
    for (PcaSolver s : all_solvers) {
        CAPTURE(to_string(s));
        PcaOptions o;
        o.solver = s;
        o.n_components = 6;  // k > d = 5
        CHECK_THROWS_AS(PCA(o).fit(X), Error);
        o.n_components = 2;
        CHECK_THROWS_AS(PCA(o).fit(X.leftCols(1)), Error);  // N < 2
        Mat bad = X;
        bad(3, 17) = std::numeric_limits<float>::quiet_NaN();
        CHECK_THROWS_AS(PCA(o).fit(bad), Error);
        bad(3, 17) = std::numeric_limits<float>::infinity();
        CHECK_THROWS_AS(PCA(o).fit(bad), Error);
        for (NComponents nc : {NComponents(0), NComponents(-3), NComponents(1.5), NComponents(-0.5),
                               NComponents(1.0), NComponents(0.0)}) {
            o.n_components = nc;
            CAPTURE(nc.to_string());
            CHECK_THROWS_AS(PCA(o).fit(X), Error);
        }
    }
    {  // a variance fraction needs the full spectrum
        PcaOptions o;
        o.n_components = 0.9;
        o.solver = PcaSolver::Randomized;
        CHECK_THROWS_AS(PCA(o).fit(X), Error);
        o.solver = PcaSolver::Incremental;
        CHECK_THROWS_AS(PCA(o).fit(X), Error);
        CHECK_THROWS_AS(PCA(o).partial_fit(X), Error);
        o.solver = PcaSolver::Randomized;
        o.n_components = 2;
        o.n_iter = -1;
        CHECK_THROWS_AS(PCA(o).fit(X), Error);
    }
    {  // before fit
        PCA p;
        CHECK_THROWS_AS(p.transform(X), Error);
        CHECK_THROWS_AS(p.inverse_transform(Mat::Zero(2, 3)), Error);
        CHECK_THROWS_AS(p.reconstruction_mse(X), Error);
    }
    {  // wrong dimensions after fit
        PCA p = fitted(X, PcaSolver::Covariance, 2);
        CHECK_THROWS_AS(p.transform(Mat::Zero(4, 10)), Error);
        CHECK_THROWS_AS(p.inverse_transform(Mat::Zero(3, 10)), Error);
        CHECK_THROWS_AS(p.reconstruction_mse(Mat::Zero(6, 10)), Error);
        Mat Zwrong(2, 9);
        CHECK_THROWS_AS(p.transform(X, Zwrong), Error);
        CHECK_THROWS_AS(p.partial_fit(X), Error);  // fitted by another solver
        p.reset();
        CHECK_FALSE(p.fitted());
        CHECK_THROWS_AS(p.transform(X), Error);
    }
    {  // incremental: batch with a different d; first batch smaller than k
        PcaOptions o;
        o.n_components = 3;
        PCA p(o);
        CHECK_THROWS_AS(p.partial_fit(X.leftCols(2)), Error);
        p.partial_fit(X.leftCols(10));
        CHECK_THROWS_AS(p.partial_fit(Mat::Zero(4, 10)), Error);
        Mat bad = X.leftCols(10);
        bad(0, 0) = std::numeric_limits<float>::quiet_NaN();
        CHECK_THROWS_AS(p.partial_fit(bad), Error);
        CHECK(p.n_samples_seen_ == 10);  // failed batches change nothing
    }
    // Subspace and kNN helpers.
    CHECK_THROWS_AS(principal_angles(MatD::Identity(4, 2), MatD::Identity(5, 2)), Error);
    CHECK_THROWS_AS(principal_angles(MatD::Zero(4, 2), MatD::Identity(4, 2)), Error);
    CHECK_THROWS_AS(principal_angles(MatD(4, 0), MatD::Identity(4, 2)), Error);
    const std::vector<int> y3 = {0, 1, 0};
    CHECK_THROWS_AS(knn_accuracy(Mat::Zero(2, 3), {0, 1}, Mat::Zero(2, 1), {0}, 1), Error);
    CHECK_THROWS_AS(knn_accuracy(Mat::Zero(2, 3), y3, Mat::Zero(3, 1), {0}, 1), Error);
    CHECK_THROWS_AS(knn_accuracy(Mat::Zero(2, 3), y3, Mat::Zero(2, 1), {0}, 0), Error);
    CHECK_THROWS_AS(knn_accuracy(Mat::Zero(2, 3), y3, Mat::Zero(2, 2), {0}, 1), Error);
    const std::vector<Index> badsub = {5};
    CHECK_THROWS_AS(knn_predict(Mat::Zero(2, 3), y3, Mat::Zero(2, 1), 1, &badsub), Error);
    CHECK_THROWS_AS(select_per_class(y3, 0, 1), Error);
}

}  // TEST_SUITE
