// pca.cpp — aelab::PCA (see aelab/pca.hpp for the what and why).
//
// Precision policy: the data stay float. Means, per-feature sums of squared deviations,
// Gram / covariance matrices (summed across column blocks), every QR and every
// eigen/singular decomposition are double. Within one column block the Gram product is a
// float GEMM when the problem is large (d^2 N above kDoubleGramFlops), double otherwise.

#include "aelab/pca.hpp"
#include "pca_detail.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/Householder>
#include <Eigen/QR>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace aelab {

using namespace pca_detail;

namespace {

// Below this many multiply-adds (d * d * N) the centered Gram is accumulated in double
// GEMMs (a few milliseconds at most); above it, in float GEMMs summed in double per block.
constexpr double kDoubleGramFlops = 2.7e8;

std::string fmt(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

// Columns per block for blockwise passes: about 2M entries of workspace, within [64, 4096].
Index block_cols(Index d) {
    Index b = (Index(1) << 21) / std::max<Index>(d, 1);
    return std::clamp<Index>(b, 64, 4096);
}

// Throws naming the first non-finite entry of X, if any.
void throw_non_finite(const RefM& X, const char* who) {
    for (Index j = 0; j < X.cols(); ++j)
        for (Index i = 0; i < X.rows(); ++i)
            if (!std::isfinite(X(i, j)))
                throw Error(std::string(who) + ": input contains NaN or Inf (row " +
                            std::to_string(i) + ", column " + std::to_string(j) +
                            "); clean or impute the data first");
}

// Orthonormal basis (thin Q, m x n) of the columns of Y (m >= n), Householder QR.
MatD thin_q(const MatD& Y) {
    Eigen::HouseholderQR<MatD> qr(Y);
    MatD Q = MatD::Identity(Y.rows(), Y.cols());
    qr.householderQ().applyThisOnTheLeft(Q);
    return Q;
}

// Z = Xc Xc^T Q (d x l, double) for Q (d x l), where Xc = X - mean 1^T is never formed:
// one pass over X per call, column block by column block (each block stays in cache for
// both of its products, Y_b = X_b^T Q and Z_b = X_b Y_b). When the mean is small next to
// the spread (|mean|^2 <= 10 * mean squared deviation, e.g. MNIST: 0.5) the centering is
// the rank-one correction Xc Xc^T = X X^T - N mean mean^T, which amplifies the float
// GEMMs' relative rounding by at most about that ratio; otherwise each block is centered
// into a float workspace first (no cancellation). Each block's float product is added
// into Z in double.
class CenteredGramProduct {
public:
    CenteredGramProduct(const RefM& X, const VecD& mean, double mean_sq_dev)
        : X_(X), mean_(mean) {
        explicit_ = mean.squaredNorm() > 10.0 * mean_sq_dev;
        // About 32K entries per block (41 columns of 784 rows, 128 KB): the block is still
        // in L2 for its second product. Measured on MNIST (OpenBLAS, 1 thread): 38 ms per
        // pass at 32-64 columns, 50 ms at 256, 75 ms for one unblocked pair of products.
        const Index b = std::min<Index>(
            std::clamp<Index>((Index(1) << 15) / std::max<Index>(X.rows(), 1), 16, 256), X.cols());
        if (explicit_) W_.resize(X.rows(), b);
        block_ = b;
    }

    MatD apply(const MatD& Q) {
        const Index d = X_.rows(), N = X_.cols(), l = Q.cols();
        // Zero columns pad l up to a multiple of 16: Eigen's GEMM runs its full-packet
        // kernel on the padded product (measured ~1.4x faster for l = 15 in WASM); the
        // padded columns of Z stay zero.
        const Index lp = l < 64 ? (l + 15) / 16 * 16 : l;
        Mat Qf = Mat::Zero(d, lp);
        Qf.leftCols(l) = Q.cast<float>();
        Mat Y(block_, lp), Zf(d, lp);
        MatD Z = MatD::Zero(d, l);
        for (Index j = 0; j < N; j += block_) {
            const Index nb = std::min(block_, N - j);
            if (explicit_) {
                W_.leftCols(nb) =
                    (X_.middleCols(j, nb).cast<double>().colwise() - mean_).cast<float>();
                Y.topRows(nb).noalias() = W_.leftCols(nb).transpose() * Qf;
                Zf.noalias() = W_.leftCols(nb) * Y.topRows(nb);
            } else {
                Y.topRows(nb).noalias() = X_.middleCols(j, nb).transpose() * Qf;
                Zf.noalias() = X_.middleCols(j, nb) * Y.topRows(nb);
            }
            Z += Zf.leftCols(l).cast<double>();
        }
        if (!explicit_) {
            // With the same float-rounded Q as the products.
            const VecD c = Qf.leftCols(l).cast<double>().transpose() * mean_;  // l
            Z.noalias() -= (static_cast<double>(N) * mean_) * c.transpose();
        }
        return Z;
    }

private:
    const RefM& X_;
    const VecD& mean_;
    bool explicit_ = false;
    Index block_ = 0;
    Mat W_;
};

}  // namespace

// ---- shared with pca_incremental.cpp (declared in pca_detail.hpp) ----------------------
namespace pca_detail {

// Per-row mean in double; throws on NaN/Inf (a sum of finite floats cannot overflow a
// double, so a non-finite sum means a non-finite entry).
VecD mean_checked(const RefM& X, const char* who) {
    VecD s = VecD::Zero(X.rows());
    for (Index j = 0; j < X.cols(); ++j) s += X.col(j).cast<double>();
    if (!s.allFinite()) throw_non_finite(X, who);
    return s / static_cast<double>(X.cols());
}

// Per-row sum of squared deviations about `mean`, in double.
VecD sum_sq_dev(const RefM& X, const VecD& mean) {
    Eigen::ArrayXd acc = Eigen::ArrayXd::Zero(X.rows());
    for (Index j = 0; j < X.cols(); ++j)
        acc += (X.col(j).cast<double>() - mean).array().square();
    return acc.matrix();
}

// G (d x d, lower triangle) += (X - mean 1^T)(X - mean 1^T)^T, block by block.
void add_centered_gram(const RefM& X, const VecD& mean, MatD& G) {
    const Index d = X.rows(), N = X.cols();
    const Index b = block_cols(d);
    const bool dbl = static_cast<double>(d) * static_cast<double>(d) * static_cast<double>(N) <=
                     kDoubleGramFlops;
    if (dbl) {
        MatD W(d, std::min(b, N));
        for (Index j = 0; j < N; j += b) {
            const Index nb = std::min(b, N - j);
            W.leftCols(nb) = X.middleCols(j, nb).cast<double>().colwise() - mean;
            G.selfadjointView<Eigen::Lower>().rankUpdate(W.leftCols(nb));
        }
    } else {
        Mat W(d, std::min(b, N));
        Mat Gf(d, d);
        for (Index j = 0; j < N; j += b) {
            const Index nb = std::min(b, N - j);
            W.leftCols(nb) = (X.middleCols(j, nb).cast<double>().colwise() - mean).cast<float>();
            Gf.setZero();
            Gf.selfadjointView<Eigen::Lower>().rankUpdate(W.leftCols(nb));
            G.triangularView<Eigen::Lower>() += Gf.cast<double>();
        }
    }
}

// Each column: the entry of largest |value| (first on ties) becomes positive.
void fix_signs(MatD& V) {
    for (Index c = 0; c < V.cols(); ++c) {
        Index best = 0;
        double bv = -1.0;
        for (Index i = 0; i < V.rows(); ++i) {
            const double a = std::abs(V(i, c));
            if (a > bv) {
                bv = a;
                best = i;
            }
        }
        if (V(best, c) < 0.0) V.col(c) = -V.col(c);
    }
}

// Orthonormal d x cols basis (thin QR, column order kept) whose first V.cols() columns span
// V, completed with unit vectors: the directions of zero variance when data have lower rank
// than the components asked for.
MatD complete_basis(const MatD& V, Index cols) {
    MatD basis = MatD::Zero(V.rows(), cols);
    basis.leftCols(V.cols()) = V;
    for (Index i = V.cols(); i < cols; ++i) basis(i % V.rows(), i) = 1.0;
    return thin_q(basis);
}

// Eigenpairs of a symmetric matrix (lower triangle read), descending, eigenvalues >= 0.
void eig_desc(const MatD& G, VecD& vals, MatD* vecs, Index keep) {
    const Index n = G.rows();
    Eigen::SelfAdjointEigenSolver<MatD> es(
        G, vecs ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
    if (es.info() != Eigen::Success)
        throw Error("PCA: the symmetric eigensolver did not converge (ill-conditioned or "
                    "non-finite input); try solver = SVD");
    vals.resize(n);
    for (Index i = 0; i < n; ++i) vals(i) = std::max(0.0, es.eigenvalues()(n - 1 - i));
    if (vecs) {
        vecs->resize(n, keep);
        for (Index i = 0; i < keep; ++i) vecs->col(i) = es.eigenvectors().col(n - 1 - i);
    }
}

}  // namespace pca_detail

// ---------------------------------------------------------------------------------------

std::string NComponents::to_string() const {
    switch (kind) {
        case Kind::All: return "all";
        case Kind::Count: return std::to_string(count);
        case Kind::Fraction: return fmt(fraction);
    }
    return "?";
}

const char* to_string(PcaSolver s) {
    switch (s) {
        case PcaSolver::Auto: return "auto";
        case PcaSolver::Covariance: return "covariance";
        case PcaSolver::SVD: return "svd";
        case PcaSolver::Randomized: return "randomized";
        case PcaSolver::Incremental: return "incremental";
    }
    return "?";
}

void PCA::reset() {
    mean_.resize(0);
    components_.resize(0, 0);
    explained_variance_.resize(0);
    explained_variance_ratio_.resize(0);
    singular_values_.resize(0);
    var_.resize(0);
    noise_variance_ = 0.0;
    total_variance_ = 0.0;
    n_components_ = 0;
    n_features_in_ = 0;
    n_samples_seen_ = 0;
    solver_used_ = PcaSolver::Auto;
    m2_sum_ = 0.0;
    incremental_ = false;
}

void PCA::require_fitted(const char* what) const {
    if (!fitted())
        throw Error(std::string("PCA::") + what + ": the model is not fitted; call fit() "
                    "(or partial_fit()) first");
}

Index PCA::resolve_count(Index d, Index N) const {
    const NComponents& nc = options.n_components;
    const Index r = std::min(d, N);
    switch (nc.kind) {
        case NComponents::Kind::All: return r;
        case NComponents::Kind::Count:
            if (nc.count < 1)
                throw Error("PCA: n_components must be >= 1 (got " + nc.to_string() +
                            "); use a count, a variance fraction in (0, 1), or all()");
            if (nc.count > r)
                throw Error("PCA: n_components = " + nc.to_string() + " exceeds min(d, N) = " +
                            std::to_string(r) + " (d = " + std::to_string(d) + " features, N = " +
                            std::to_string(N) + " samples); lower it or add samples");
            return static_cast<Index>(nc.count);
        case NComponents::Kind::Fraction:
            if (!(nc.fraction > 0.0 && nc.fraction < 1.0))
                throw Error("PCA: n_components as a variance fraction must be in (0, 1) (got " +
                            nc.to_string() + "); for a count pass an integer, for every "
                            "component NComponents::all()");
            return 0;  // decided from the spectrum
    }
    return r;
}

void PCA::finish_from_spectrum(const VecD& ev, const MatD& axes, Index N, double total_var) {
    const Index d = axes.rows();
    const Index r = std::min(d, N);
    Index k = 0;
    const NComponents& nc = options.n_components;
    if (nc.kind == NComponents::Kind::Fraction) {
        // Smallest k with cumulative ratio >= fraction (capped at the spectrum length).
        const Index m = std::min<Index>(ev.size(), axes.cols());
        double cum = 0.0;
        k = m;
        for (Index i = 0; i < m; ++i) {
            cum += ev(i);
            if (total_var > 0.0 && cum / total_var >= nc.fraction) {
                k = i + 1;
                break;
            }
        }
    } else {
        k = resolve_count(d, N);
    }
    k = std::max<Index>(1, std::min<Index>(k, std::min<Index>(ev.size(), axes.cols())));

    components_ = axes.leftCols(k);
    fix_signs(components_);
    explained_variance_ = ev.head(k);
    explained_variance_ratio_ =
        total_var > 0.0 ? VecD(explained_variance_ / total_var) : VecD(VecD::Zero(k));
    singular_values_ = (explained_variance_ * static_cast<double>(N - 1)).cwiseSqrt();
    total_variance_ = total_var;
    noise_variance_ =
        k < r ? std::max(0.0, total_var - explained_variance_.sum()) / static_cast<double>(r - k)
              : 0.0;
    n_components_ = k;
}

// ---------------------------------------------------------------------------------------

PCA& PCA::fit(const Eigen::Ref<const Mat>& X) {
    const Index d = X.rows(), N = X.cols();
    AELAB_REQUIRE(d >= 1, "PCA::fit: X has no rows; X must be d x N with one sample per column");
    AELAB_REQUIRE(N >= 2, "PCA::fit: need at least 2 samples (columns) to estimate a variance, got " +
                              std::to_string(N) + "; X must be d x N with one sample per column");
    AELAB_REQUIRE(options.n_oversamples >= 0,
                  "PCA: n_oversamples must be >= 0 (got " + std::to_string(options.n_oversamples) + ")");
    AELAB_REQUIRE(options.n_iter >= 0, "PCA: n_iter must be >= 0 (got " + std::to_string(options.n_iter) + ")");
    AELAB_REQUIRE(options.batch_size >= 0,
                  "PCA: batch_size must be >= 0 (0 = 5 * d), got " + std::to_string(options.batch_size));
    const Index kreq = resolve_count(d, N);  // validates n_components (0 for a fraction)

    PcaSolver s = options.solver;
    const bool frac = options.n_components.kind == NComponents::Kind::Fraction;
    if ((s == PcaSolver::Randomized || s == PcaSolver::Incremental) && frac)
        throw Error(std::string("PCA: solver '") + to_string(s) +
                    "' needs an integer n_components; a variance fraction needs the full "
                    "spectrum (use solver Covariance, SVD or Auto)");
    if (s == PcaSolver::Auto) {
        if (N < d)
            s = PcaSolver::SVD;
        else if (d <= 1024)
            s = PcaSolver::Covariance;
        else if (options.n_components.kind == NComponents::Kind::Count && kreq * 10 < d)
            s = PcaSolver::Randomized;
        else
            s = PcaSolver::Covariance;
    }

    PcaOptions keep = options;
    reset();
    options = keep;
    if (s == PcaSolver::Incremental) {
        fit_incremental(X, kreq);
        return *this;
    }
    mean_ = mean_checked(X, "PCA::fit");
    switch (s) {
        case PcaSolver::Covariance: fit_covariance(X); break;
        case PcaSolver::SVD: fit_svd(X); break;
        case PcaSolver::Randomized: fit_randomized(X, kreq); break;
        default: break;
    }
    n_features_in_ = d;
    n_samples_seen_ = N;
    solver_used_ = s;
    return *this;
}

void PCA::fit_covariance(const Eigen::Ref<const Mat>& X) {
    const Index d = X.rows(), N = X.cols();
    MatD G = MatD::Zero(d, d);
    add_centered_gram(X, mean_, G);
    var_ = G.diagonal() / static_cast<double>(N);
    G /= static_cast<double>(N - 1);  // covariance, lower triangle
    const double total = G.diagonal().sum();
    const Index r = std::min(d, N);
    VecD ev;
    MatD axes;
    eig_desc(G, ev, &axes, r);
    ev.conservativeResize(r);
    finish_from_spectrum(ev, axes, N, total);
}

void PCA::fit_svd(const Eigen::Ref<const Mat>& X) {
    const Index d = X.rows(), N = X.cols();
    const VecD ssd = sum_sq_dev(X, mean_);
    var_ = ssd / static_cast<double>(N);
    const double total = ssd.sum() / static_cast<double>(N - 1);
    VecD sv;
    MatD axes;
    if (N >= d) {
        // Tall-skinny QR of Xc^T (N x d): R <- qr([R; next block of rows]).R, in double.
        const Index b = std::clamp<Index>((Index(1) << 22) / d, std::min<Index>(d, 64), 8192);
        MatD S(d + b, d);
        Index r = 0;
        for (Index j = 0; j < N; j += b) {
            const Index nb = std::min(b, N - j);
            S.middleRows(r, nb) =
                (X.middleCols(j, nb).cast<double>().colwise() - mean_).transpose();
            const Index rows = r + nb;
            Eigen::Ref<MatD> top = S.topRows(rows);
            Eigen::HouseholderQR<Eigen::Ref<MatD>> qr(top);  // in place
            const Index rn = std::min(rows, d);
            MatD R = top.topRows(rn).triangularView<Eigen::Upper>();
            S.topRows(rn) = R;
            r = rn;
        }
        // Xc^T = Q R and R = U S V^T  =>  Xc = V S (Q U)^T: the axes are R's right vectors.
        Eigen::BDCSVD<MatD> svd(S.topRows(d), Eigen::ComputeThinV);
        sv = svd.singularValues();
        axes = svd.matrixV();
    } else {
        MatD Xc = X.cast<double>().colwise() - mean_;
        Eigen::BDCSVD<MatD> svd(Xc, Eigen::ComputeThinU);
        sv = svd.singularValues();
        axes = svd.matrixU();
    }
    VecD ev = sv.array().square() / static_cast<double>(N - 1);
    finish_from_spectrum(ev, axes, N, total);
}

void PCA::fit_randomized(const Eigen::Ref<const Mat>& X, Index k) {
    const Index d = X.rows(), N = X.cols();
    const Index r = std::min(d, N);
    const Index l = std::min<Index>(k + options.n_oversamples, r);
    const VecD ssd = sum_sq_dev(X, mean_);
    var_ = ssd / static_cast<double>(N);
    const double total = ssd.sum() / static_cast<double>(N - 1);

    // Halko, Martinsson & Tropp (2011), Alg. 4.4 on A = Xc^T (N x d), run on the feature
    // side: subspace iteration with C = Xc Xc^T (d x d, never formed), one fused pass over
    // the data per application, QR in double after each. With Q_0 = orth(Omega) and
    // Z_i = C Q_i, Q_{i+1} = orth(Z_i), the last pass (i = n_iter) gives the same subspace
    // and the same final SVD as the sample-side algorithm (B = Q_N^T A with
    // Q_N = orth(A Q_d)), without its N x l QRs or its extra half pass:
    //   A Q = Q_N R with R^T R = Q^T C Q = H, so B^T = Xc Q_N = Z H^{-1/2} (up to a rotation)
    //   and B B^T = H^{-1/2} Z^T Z H^{-1/2} = W S^2 W^T; axes = Z H^{-1/2} W S^{-1}.
    CenteredGramProduct C(X, mean_, ssd.sum() / static_cast<double>(N));
    Rng rng(options.seed);
    Mat Om(d, l);
    rng.fill_normal(Om, 1.0);
    MatD Q = thin_q(Om.cast<double>());
    MatD Z = C.apply(Q);
    for (int it = 0; it < options.n_iter; ++it) {
        Q = thin_q(Z);
        Z = C.apply(Q);
    }
    MatD H = Q.transpose() * Z;
    H = 0.5 * (H + H.transpose());
    VecD th;
    MatD V;
    eig_desc(H, th, &V, l);
    // H^{-1/2} on H's numerically non-zero part (rank-deficient data: l > rank).
    const double tiny = std::max(th(0), 1e-300) * 1e-12;
    Index good = 0;
    while (good < l && th(good) > tiny) ++good;
    MatD P(l, good);  // H^{-1/2} restricted: columns v_i / sqrt(theta_i)
    for (Index i = 0; i < good; ++i) P.col(i) = V.col(i) / std::sqrt(th(i));
    const MatD ZP = Z * P;  // d x good
    VecD s2;
    MatD W;
    eig_desc(ZP.transpose() * ZP, s2, &W, good);
    MatD axes(d, l);
    VecD ev = VecD::Zero(l);
    const double s2tiny = std::max(good > 0 ? s2(0) : 0.0, 1e-300) * 1e-24;
    Index ok = 0;
    for (Index i = 0; i < good && s2(i) > s2tiny; ++i, ++ok) {
        axes.col(i) = ZP * W.col(i) / std::sqrt(s2(i));
        ev(i) = s2(i) / static_cast<double>(N - 1);
    }
    // Re-orthonormalised (removes rounding in Z H^{-1/2} W S^{-1}), completed if ok < l.
    finish_from_spectrum(ev, complete_basis(axes.leftCols(ok), l), N, total);
}

// ---------------------------------------------------------------------------------------

void PCA::transform(const Eigen::Ref<const Mat>& X, Eigen::Ref<Mat> Z) const {
    require_fitted("transform");
    const Index d = n_features_in_, k = n_components_, N = X.cols();
    AELAB_REQUIRE(X.rows() == d, "PCA::transform: X has " + std::to_string(X.rows()) +
                                     " rows but the model was fitted on d = " + std::to_string(d) +
                                     " features (X must be d x N, one sample per column)");
    AELAB_REQUIRE(Z.rows() == k && Z.cols() == N,
                  "PCA::transform: output must be " + std::to_string(k) + " x " + std::to_string(N));
    Mat WT = components_.transpose().cast<float>();  // k x d
    if (options.whiten)
        for (Index i = 0; i < k; ++i) {
            const double ev = explained_variance_(i);
            WT.row(i) *= static_cast<float>(ev > 0.0 ? 1.0 / std::sqrt(ev) : 0.0);
        }
    const Index b = block_cols(d);
    Mat W(d, std::min(b, std::max<Index>(N, 1)));
    for (Index j = 0; j < N; j += b) {
        const Index nb = std::min(b, N - j);
        W.leftCols(nb) = (X.middleCols(j, nb).cast<double>().colwise() - mean_).cast<float>();
        Z.middleCols(j, nb).noalias() = WT * W.leftCols(nb);
    }
}

Mat PCA::transform(const Eigen::Ref<const Mat>& X) const {
    require_fitted("transform");
    Mat Z(n_components_, X.cols());
    transform(X, Z);
    return Z;
}

void PCA::inverse_transform(const Eigen::Ref<const Mat>& Z, Eigen::Ref<Mat> X) const {
    require_fitted("inverse_transform");
    const Index d = n_features_in_, k = n_components_, N = Z.cols();
    AELAB_REQUIRE(Z.rows() == k, "PCA::inverse_transform: Z has " + std::to_string(Z.rows()) +
                                     " rows but the model keeps k = " + std::to_string(k) +
                                     " components (Z must be k x N)");
    AELAB_REQUIRE(X.rows() == d && X.cols() == N,
                  "PCA::inverse_transform: output must be " + std::to_string(d) + " x " + std::to_string(N));
    MatD Wd = components_;
    if (options.whiten) Wd = Wd * explained_variance_.cwiseSqrt().asDiagonal();
    Mat W = Wd.cast<float>();
    Vec mu = mean_.cast<float>();
    X.noalias() = W * Z;
    X.colwise() += mu;
}

Mat PCA::inverse_transform(const Eigen::Ref<const Mat>& Z) const {
    require_fitted("inverse_transform");
    Mat X(n_features_in_, Z.cols());
    inverse_transform(Z, X);
    return X;
}

Mat PCA::fit_transform(const Eigen::Ref<const Mat>& X) {
    fit(X);
    return transform(X);
}

double PCA::reconstruction_mse(const Eigen::Ref<const Mat>& X) const {
    require_fitted("reconstruction_mse");
    const Index d = n_features_in_, k = n_components_, N = X.cols();
    AELAB_REQUIRE(X.rows() == d, "PCA::reconstruction_mse: X has " + std::to_string(X.rows()) +
                                     " rows but the model was fitted on d = " + std::to_string(d) +
                                     " features");
    AELAB_REQUIRE(N >= 1, "PCA::reconstruction_mse: X has no samples");
    const Mat W = components_.cast<float>();  // d x k
    const Mat WT = W.transpose();             // k x d
    const Index b = block_cols(d);
    Mat R(d, std::min(b, N)), Zb(k, std::min(b, N));
    double acc = 0.0;
    for (Index j = 0; j < N; j += b) {
        const Index nb = std::min(b, N - j);
        R.leftCols(nb) = (X.middleCols(j, nb).cast<double>().colwise() - mean_).cast<float>();
        Zb.leftCols(nb).noalias() = WT * R.leftCols(nb);
        R.leftCols(nb).noalias() -= W * Zb.leftCols(nb);
        for (Index c = 0; c < nb; ++c) acc += static_cast<double>(R.col(c).squaredNorm());
    }
    const double mse = acc / (static_cast<double>(d) * static_cast<double>(N));
    if (!std::isfinite(mse)) throw_non_finite(X, "PCA::reconstruction_mse");
    return mse;
}

}  // namespace aelab
