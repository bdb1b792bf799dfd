// kpca.cpp — aelab::KernelPCA (see aelab/kpca.hpp for the what and why).
#include "aelab/kpca.hpp"
#include "aelab/kernels.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <type_traits>
#include <vector>

namespace aelab {

namespace {

void check_finite(const Eigen::Ref<const Mat>& X, const char* who) {
    for (Index j = 0; j < X.cols(); ++j)
        for (Index i = 0; i < X.rows(); ++i)
            if (!std::isfinite(X(i, j)))
                throw Error(std::string(who) + ": input contains NaN or Inf (row " + std::to_string(i) +
                            ", column " + std::to_string(j) + "); clean or impute the data first");
}

// Sign convention (scikit-learn's svd_flip on eigenvectors_): the largest-|value| entry of
// each column is positive (first one on ties).
void fix_signs(MatD& V) {
    for (Index c = 0; c < V.cols(); ++c) {
        Index arg = 0;
        V.col(c).cwiseAbs().maxCoeff(&arg);
        if (V(arg, c) < 0) V.col(c) = -V.col(c);
    }
}

// Top-k eigenpairs of the symmetric N x N matrix A by Lanczos with full reorthogonalisation.
// Grows the Krylov basis until the k leading Ritz pairs have residual |beta_m s_mi| below
// tol * |theta_1| (checked every few steps) or the basis spans R^N. Breakdown (an invariant
// subspace) restarts from a fresh seeded random vector orthogonalised against the basis.
template <class MatVec>
void lanczos_top_k(Index N, const MatVec& apply, Index k, std::uint64_t seed, VecD& vals, MatD& vecs, int& steps) {
    const double tol = 1e-10;
    Rng rng(seed, 0x1a2c);
    MatD Q(N, std::min<Index>(N, std::max<Index>(2 * k + 20, 40)));
    VecD alpha(Q.cols()), beta(Q.cols());
    auto random_unit = [&](Index m) {
        VecD v(N);
        for (int attempt = 0; attempt < 4; ++attempt) {
            for (Index i = 0; i < N; ++i) v(i) = rng.normal();
            for (int pass = 0; pass < 2; ++pass)
                if (m > 0) v -= Q.leftCols(m) * (Q.leftCols(m).transpose() * v);
            const double nv = v.norm();
            if (nv > 1e-8) return VecD(v / nv);
        }
        return VecD(VecD::Zero(N));
    };
    Q.col(0) = random_unit(0);
    Index m = 0;
    VecD w(N);
    Eigen::SelfAdjointEigenSolver<MatD> es;
    while (true) {
        if (m == Q.cols()) {  // grow the storage
            const Index nc = std::min<Index>(N, 2 * Q.cols());
            Q.conservativeResize(N, nc);
            alpha.conservativeResize(nc);
            beta.conservativeResize(nc);
        }
        apply(Q.col(m), w);
        alpha(m) = Q.col(m).dot(w);
        // full reorthogonalisation (twice is enough: Kahan / Parlett)
        for (int pass = 0; pass < 2; ++pass) w -= Q.leftCols(m + 1) * (Q.leftCols(m + 1).transpose() * w);
        beta(m) = w.norm();
        ++m;
        const bool full = m == N;
        const bool check = full || (m >= k + 1 && (m % 5 == 0 || beta(m - 1) < 1e-12));
        if (check) {
            MatD T = MatD::Zero(m, m);
            for (Index i = 0; i < m; ++i) {
                T(i, i) = alpha(i);
                if (i + 1 < m) T(i + 1, i) = T(i, i + 1) = beta(i);
            }
            es.compute(T);
            const VecD& th = es.eigenvalues();  // ascending
            const double scale = std::max(std::abs(th(m - 1)), std::abs(th(0)));
            bool done = full;
            if (!done && m >= k) {
                done = true;
                for (Index i = 0; i < k; ++i)
                    if (std::abs(beta(m - 1) * es.eigenvectors()(m - 1, m - 1 - i)) > tol * std::max(scale, 1e-300))
                        done = false;
            }
            if (done) {
                const Index kk = std::min(k, m);
                vals.resize(kk);
                vecs.resize(N, kk);
                for (Index i = 0; i < kk; ++i) {
                    vals(i) = th(m - 1 - i);
                    vecs.col(i) = Q.leftCols(m) * es.eigenvectors().col(m - 1 - i);
                    vecs.col(i).normalize();
                }
                steps = static_cast<int>(m);
                return;
            }
        }
        if (m == Q.cols() && m < N) {
            const Index nc = std::min<Index>(N, 2 * Q.cols());
            Q.conservativeResize(N, nc);
            alpha.conservativeResize(nc);
            beta.conservativeResize(nc);
        }
        if (beta(m - 1) < 1e-12 * std::max(1.0, std::abs(alpha(0)))) {
            beta(m - 1) = 0.0;  // invariant subspace: continue in its complement
            Q.col(m) = random_unit(m);
        } else {
            Q.col(m) = w / beta(m - 1);
        }
    }
}

}  // namespace

const char* to_string(Kernel k) {
    switch (k) {
        case Kernel::Linear: return "linear";
        case Kernel::Poly: return "poly";
        case Kernel::Rbf: return "rbf";
        case Kernel::Sigmoid: return "sigmoid";
        case Kernel::Cosine: return "cosine";
    }
    return "?";
}

Kernel parse_kernel(const std::string& s) {
    if (s == "linear") return Kernel::Linear;
    if (s == "poly" || s == "polynomial") return Kernel::Poly;
    if (s == "rbf") return Kernel::Rbf;
    if (s == "sigmoid") return Kernel::Sigmoid;
    if (s == "cosine") return Kernel::Cosine;
    throw Error("unknown kernel '" + s + "': use linear, poly, rbf, sigmoid or cosine");
}

template <class T>
MatT<T> kernel_matrix_t(const Eigen::Ref<const Mat>& A, const Eigen::Ref<const Mat>& B, Kernel kernel, double gamma,
                        int degree, double coef0) {
    AELAB_REQUIRE(A.rows() == B.rows(), "kernel_matrix: the two point sets have different dimensions (" +
                                            std::to_string(A.rows()) + " vs " + std::to_string(B.rows()) + ")");
    MatT<T> K(A.cols(), B.cols());
    if constexpr (std::is_same_v<T, float>) {
        kernels::gemm<float>(true, false, A, B, 0.0f, K);  // dot products (float GEMM)
    } else {
        const MatD Ad = A.cast<double>(), Bd = B.cast<double>();
        kernels::gemm<double>(true, false, Ad, Bd, 0.0, K);
    }
    // squared norms / inverse norms in double
    VecD na(A.cols()), nb(B.cols());
    for (Index i = 0; i < A.cols(); ++i) na(i) = A.col(i).cast<double>().squaredNorm();
    for (Index j = 0; j < B.cols(); ++j) nb(j) = B.col(j).cast<double>().squaredNorm();
    const double dg = static_cast<double>(degree);
    if (kernel == Kernel::Rbf) {  // column by column, vectorised exp in double
        Eigen::ArrayXd t(K.rows());
        for (Index j = 0; j < K.cols(); ++j) {
            t = K.col(j).template cast<double>().array();
            t = ((na.array() + nb(j)) - 2.0 * t).max(0.0) * (-gamma);
            K.col(j) = t.exp().template cast<T>().matrix();
        }
        return K;
    }
    for (Index j = 0; j < K.cols(); ++j)
        for (Index i = 0; i < K.rows(); ++i) {
            const double dot = static_cast<double>(K(i, j));
            double v = dot;
            switch (kernel) {
                case Kernel::Linear: break;
                case Kernel::Poly: v = std::pow(gamma * dot + coef0, dg); break;
                case Kernel::Sigmoid: v = std::tanh(gamma * dot + coef0); break;
                case Kernel::Rbf: v = std::exp(-gamma * std::max(0.0, na(i) + nb(j) - 2.0 * dot)); break;
                case Kernel::Cosine:  // scikit-learn normalises rows to unit length (a zero row stays zero)
                    v = na(i) > 0 && nb(j) > 0 ? dot / std::sqrt(na(i) * nb(j)) : 0.0;
                    break;
            }
            K(i, j) = static_cast<T>(v);
        }
    return K;
}

MatD kernel_matrix(const Eigen::Ref<const Mat>& A, const Eigen::Ref<const Mat>& B, Kernel kernel, double gamma,
                   int degree, double coef0) {
    return kernel_matrix_t<double>(A, B, kernel, gamma, degree, coef0);
}

void KernelPCA::require_fitted(const char* who) const {
    if (!fitted()) throw Error(std::string("KernelPCA::") + who + ": the model is not fitted; call fit() first");
}

KernelPCA& KernelPCA::fit(const Eigen::Ref<const Mat>& X) {
    const Index d = X.rows(), N = X.cols();
    AELAB_REQUIRE(d >= 1 && N >= 2, "KernelPCA::fit: need a d x N matrix with d >= 1 and N >= 2 samples (got " +
                                        std::to_string(d) + " x " + std::to_string(N) + ")");
    const Index k = options.n_components;
    AELAB_REQUIRE(k >= 1 && k <= N, "KernelPCA: n_components must be in 1.." + std::to_string(N) +
                                        " (the number of samples), got " + std::to_string(k));
    AELAB_REQUIRE(options.degree >= 1 && options.degree <= 20,
                  "KernelPCA: degree must be in 1..20, got " + std::to_string(options.degree));
    AELAB_REQUIRE(std::isfinite(options.gamma) && std::isfinite(options.coef0),
                  "KernelPCA: gamma and coef0 must be finite");
    AELAB_REQUIRE(std::isfinite(options.alpha) && options.alpha >= 0.0,
                  "KernelPCA: alpha (the pre-image ridge) must be >= 0");
    AELAB_REQUIRE(options.nystrom_landmarks >= 0 && options.nystrom_landmarks <= N,
                  "KernelPCA: nystrom_landmarks must be in 0..N = " + std::to_string(N) + ", got " +
                      std::to_string(options.nystrom_landmarks));
    AELAB_REQUIRE(options.nystrom_landmarks == 0 || options.nystrom_landmarks >= k,
                  "KernelPCA: nystrom_landmarks must be >= n_components (" + std::to_string(k) + ")");
    check_finite(X, "KernelPCA::fit");
    n_samples_ = 0;
    gamma_ = options.gamma > 0 ? options.gamma : 1.0 / static_cast<double>(d);
    nystrom_trace_error_ = 0.0;
    lanczos_steps_ = 0;
    if (options.nystrom_landmarks > 0)
        fit_nystrom(X, k);
    else
        fit_exact(X, k);
    n_features_in_ = d;
    n_samples_ = N;
    if (options.fit_inverse_transform) fit_pre_image(X);
    return *this;
}

// The centred kernel matrix in storage T (double, or float to halve memory and time for
// large N), then Lanczos on it with products accumulated in double.
// The lower triangle of K(X, X) in storage T: the Gram matrix by a symmetric rank-k update
// (BLAS ?syrk natively: half a GEMM), then the kernel map on the lower triangle only.
template <class T>
void kernel_lower(const Eigen::Ref<const Mat>& X, Kernel kernel, double gamma, int degree, double coef0, MatT<T>& K) {
    const Index N = X.cols();
    K.resize(N, N);
    for (Index j = 0; j < N; ++j) K.col(j).tail(N - j).setZero();  // the upper triangle is never touched
    if constexpr (std::is_same_v<T, float>) {
        K.template selfadjointView<Eigen::Lower>().rankUpdate(X.transpose());
    } else {
        const MatD Xd = X.cast<double>();
        K.template selfadjointView<Eigen::Lower>().rankUpdate(Xd.transpose());
    }
    VecD na(N);
    for (Index i = 0; i < N; ++i) na(i) = X.col(i).cast<double>().squaredNorm();
    const double dg = static_cast<double>(degree);
    Eigen::ArrayXd t(N);
    for (Index j = 0; j < N; ++j) {
        const Index m = N - j;
        auto col = K.col(j).tail(m);
        if (kernel == Kernel::Rbf) {  // vectorised exp in double
            t.head(m) = col.template cast<double>().array();
            t.head(m) = ((na.tail(m).array() + na(j)) - 2.0 * t.head(m)).max(0.0) * (-gamma);
            col = t.head(m).exp().template cast<T>().matrix();
            continue;
        }
        for (Index r = 0; r < m; ++r) {
            const Index i = j + r;
            const double dot = static_cast<double>(col(r));
            double v = dot;
            switch (kernel) {
                case Kernel::Linear: case Kernel::Rbf: break;
                case Kernel::Poly: v = std::pow(gamma * dot + coef0, dg); break;
                case Kernel::Sigmoid: v = std::tanh(gamma * dot + coef0); break;
                case Kernel::Cosine: v = na(i) > 0 && na(j) > 0 ? dot / std::sqrt(na(i) * na(j)) : 0.0; break;
            }
            col(r) = static_cast<T>(v);
        }
    }
}

// The centred kernel matrix in storage T (double, or float to halve memory and time for
// large N), lower triangle only, then Lanczos with products accumulated in double.
template <class T>
void KernelPCA::fit_exact_t(const Eigen::Ref<const Mat>& X, Index k) {
    const Index N = X.cols();
    MatT<T> K;
    kernel_lower<T>(X, options.kernel, gamma_, options.degree, options.coef0, K);
    // column means r of the symmetric K from its lower triangle
    K_fit_rows_.setZero(N);
    for (Index j = 0; j < N; ++j) {
        const T* c = K.col(j).data();
        double s = 0.0;
        for (Index i = j + 1; i < N; ++i) {
            s += static_cast<double>(c[i]);
            K_fit_rows_(i) += static_cast<double>(c[i]);
        }
        K_fit_rows_(j) += s + static_cast<double>(c[j]);
    }
    K_fit_rows_ /= static_cast<double>(N);
    K_fit_all_ = K_fit_rows_.mean();
    // centring in feature space, Kc = K - 1 r^T - r 1^T + mean(r) 1 1^T, applied implicitly
    // in each product: Kc q = K q - 1 (r . q) - r (1 . q) + mean(r) (1 . q) 1
    VecD vals;
    MatD vecs;
    const VecD& r = K_fit_rows_;
    const double all = K_fit_all_;
    auto apply = [&](const Eigen::Ref<const VecD>& q, VecD& w) {
        // w = K q from the lower triangle, accumulated in double: column j contributes
        // <K(j.., j), q(j..)> to w(j) and K(j+1.., j) q(j) to w(j+1..)
        w.setZero();
        for (Index j = 0; j < N; ++j) {
            const T* c = K.col(j).data();
            const double* qd = q.data();
            double* wd = w.data();
            const double qj = qd[j];
            double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
            Index i = j + 1;
            for (; i + 8 <= N; i += 8)
                for (int l = 0; l < 8; ++l) {
                    const double v = static_cast<double>(c[i + l]);
                    acc[l] += v * qd[i + l];
                    wd[i + l] += v * qj;
                }
            double s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
            for (; i < N; ++i) {
                const double v = static_cast<double>(c[i]);
                s += v * qd[i];
                wd[i] += v * qj;
            }
            wd[j] += s + static_cast<double>(c[j]) * qj;
        }
        const double rq = r.dot(q), sq = q.sum();
        w.array() += all * sq - rq;
        w -= sq * r;
    };
    lanczos_top_k(N, apply, k, options.seed, vals, vecs, lanczos_steps_);
    fix_signs(vecs);
    eigenvalues_ = vals;
    eigenvectors_ = vecs;
    // scikit-learn: projections of the training points are eigenvectors * sqrt(eigenvalues);
    // new points use eigenvectors / sqrt(eigenvalues) on the centred cross-kernel (a zero
    // eigenvalue gives a zero component).
    proj_map_.resize(N, k);
    proj_.resize(k, N);
    for (Index c = 0; c < k; ++c) {
        const double lam = eigenvalues_(c);
        proj_map_.col(c) = lam > 0 ? VecD(eigenvectors_.col(c) / std::sqrt(lam)) : VecD(VecD::Zero(N));
        proj_.row(c) = (lam > 0 ? std::sqrt(lam) : 0.0) * eigenvectors_.col(c).transpose();
    }
    X_fit_ = X;
}

void KernelPCA::fit_exact(const Eigen::Ref<const Mat>& X, Index k) {
    const bool use_float = options.storage == KernelStorage::Float ||
                           (options.storage == KernelStorage::Auto && X.cols() > kFloatKernelAbove);
    kernel_float_ = use_float;
    if (use_float)
        fit_exact_t<float>(X, k);
    else
        fit_exact_t<double>(X, k);
}

void KernelPCA::fit_nystrom(const Eigen::Ref<const Mat>& X, Index k) {
    const Index N = X.cols(), m = options.nystrom_landmarks;
    std::vector<Index> perm(static_cast<std::size_t>(N));
    std::iota(perm.begin(), perm.end(), Index(0));
    Rng rng(options.seed, 0x7a57);
    for (Index i = 0; i < m; ++i) {  // partial Fisher-Yates: the first m are a uniform sample
        const Index j = i + static_cast<Index>(rng.below(static_cast<std::uint32_t>(N - i)));
        std::swap(perm[static_cast<std::size_t>(i)], perm[static_cast<std::size_t>(j)]);
    }
    std::sort(perm.begin(), perm.begin() + m);
    Mat L(X.rows(), m);
    for (Index i = 0; i < m; ++i) L.col(i) = X.col(perm[static_cast<std::size_t>(i)]);
    const MatD W = kernel_matrix(L, L, options.kernel, gamma_, options.degree, options.coef0);
    const MatD C = kernel_matrix(X, L, options.kernel, gamma_, options.degree, options.coef0);  // N x m
    Eigen::SelfAdjointEigenSolver<MatD> ew(W);
    const double wmax = std::max(ew.eigenvalues().cwiseAbs().maxCoeff(), 1e-300);
    MatD Wih = MatD::Zero(m, m);  // W^{-1/2} on W's numerically positive part
    for (Index i = 0; i < m; ++i) {
        const double l = ew.eigenvalues()(i);
        if (l > 1e-10 * wmax) Wih += ew.eigenvectors().col(i) * ew.eigenvectors().col(i).transpose() / std::sqrt(l);
    }
    MatD F = C * Wih;  // N x m, K ~ F F^T
    // exact relative trace error of the approximation
    double trK = 0.0, trA = F.squaredNorm();
    for (Index i = 0; i < N; ++i) {
        const MatD kii = kernel_matrix(X.col(i), X.col(i), options.kernel, gamma_, options.degree, options.coef0);
        trK += kii(0, 0);
    }
    nystrom_trace_error_ = trK != 0.0 ? (trK - trA) / std::abs(trK) : 0.0;
    K_fit_rows_ = C.colwise().mean().transpose();  // m
    F.rowwise() -= F.colwise().mean();             // H F
    MatD G = F.transpose() * F;
    Eigen::SelfAdjointEigenSolver<MatD> eg(G);
    eigenvalues_.resize(k);
    MatD V(m, k);
    for (Index c = 0; c < k; ++c) {
        eigenvalues_(c) = std::max(0.0, eg.eigenvalues()(m - 1 - c));
        V.col(c) = eg.eigenvectors().col(m - 1 - c);
    }
    eigenvectors_.resize(N, k);
    for (Index c = 0; c < k; ++c) {
        const double lam = eigenvalues_(c);
        eigenvectors_.col(c) = lam > 0 ? VecD(F * V.col(c) / std::sqrt(lam)) : VecD(VecD::Zero(N));
    }
    // sign as the exact solver, carried to V so transform agrees
    for (Index c = 0; c < k; ++c) {
        Index arg = 0;
        eigenvectors_.col(c).cwiseAbs().maxCoeff(&arg);
        if (eigenvectors_(arg, c) < 0) {
            eigenvectors_.col(c) = -eigenvectors_.col(c);
            V.col(c) = -V.col(c);
        }
    }
    proj_map_ = Wih * V;  // m x k
    proj_ = (F * V).transpose();
    X_fit_ = L;
}

void KernelPCA::fit_pre_image(const Eigen::Ref<const Mat>& X) {
    // Kernel ridge from projections to inputs (scikit-learn's _fit_inverse_transform): on
    // all N points (exact) or on the landmarks (Nyström, their projections).
    MatD Z;
    Mat T;
    if (options.nystrom_landmarks > 0) {
        Z = transform(X_fit_);
        T = X_fit_;
    } else {
        Z = proj_;
        T = X;
    }
    Zfit_ = Z.cast<float>();
    MatD K = kernel_matrix(Zfit_, Zfit_, options.kernel, gamma_, options.degree, options.coef0);
    K.diagonal().array() += options.alpha;
    Eigen::LDLT<MatD> ldlt(K);
    AELAB_REQUIRE(ldlt.info() == Eigen::Success && ldlt.isPositive(),
                  "KernelPCA: the pre-image system K + alpha I is singular or not positive; use alpha > 0");
    dual_coef_ = ldlt.solve(T.cast<double>().transpose());
    AELAB_REQUIRE(dual_coef_.allFinite(), "KernelPCA: the pre-image system is singular; use a larger alpha");
}

MatD KernelPCA::fit_transform(const Eigen::Ref<const Mat>& X) {
    fit(X);
    return proj_;
}

MatD KernelPCA::transform(const Eigen::Ref<const Mat>& Y) const {
    require_fitted("transform");
    AELAB_REQUIRE(Y.rows() == X_fit_.rows(), "KernelPCA::transform: points have " + std::to_string(Y.rows()) +
                                                 " features but the model was fitted on " +
                                                 std::to_string(X_fit_.rows()));
    check_finite(Y, "KernelPCA::transform");
    MatD Kc = kernel_matrix(Y, X_fit_, options.kernel, gamma_, options.degree, options.coef0);  // M x N (or M x m)
    if (options.nystrom_landmarks > 0) {
        Kc.rowwise() -= K_fit_rows_.transpose();
    } else {
        const VecD pred_cols = Kc.rowwise().mean();
        Kc.rowwise() -= K_fit_rows_.transpose();
        Kc.colwise() -= pred_cols;
        Kc.array() += K_fit_all_;
    }
    return (Kc * proj_map_).transpose();
}

Mat KernelPCA::inverse_transform(const Eigen::Ref<const MatD>& Z) const {
    require_fitted("inverse_transform");
    AELAB_REQUIRE(options.fit_inverse_transform,
                  "KernelPCA::inverse_transform: the pre-image map was not fitted; set fit_inverse_transform "
                  "before fit()");
    AELAB_REQUIRE(Z.rows() == eigenvalues_.size(), "KernelPCA::inverse_transform: Z has " +
                                                       std::to_string(Z.rows()) + " rows but the model keeps " +
                                                       std::to_string(eigenvalues_.size()) + " components");
    AELAB_REQUIRE(Z.allFinite(), "KernelPCA::inverse_transform: Z contains NaN or Inf");
    const Mat Zf = Z.cast<float>();
    const MatD K = kernel_matrix(Zf, Zfit_, options.kernel, gamma_, options.degree, options.coef0);
    return (K * dual_coef_).transpose().cast<float>();
}

}  // namespace aelab
