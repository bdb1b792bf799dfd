// pca_incremental.cpp — aelab::PCA's incremental solver (scikit-learn's IncrementalPCA):
// fit_incremental() feeds X to partial_fit() in batches; partial_fit() merges a batch into
// the current components, singular values, mean and variance (see aelab/pca.hpp). The
// numerical steps it shares with the batch solvers are in pca_detail.hpp (defined in pca.cpp).

#include "aelab/pca.hpp"
#include "pca_detail.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>

namespace aelab {

using namespace pca_detail;

void PCA::fit_incremental(const Eigen::Ref<const Mat>& X, Index k) {
    const Index d = X.rows(), N = X.cols();
    Index bs = options.batch_size > 0 ? options.batch_size : 5 * d;
    bs = std::max<Index>(bs, 2);
    AELAB_REQUIRE(bs >= k, "PCA (incremental): batch_size = " + std::to_string(bs) +
                               " is smaller than n_components = " + std::to_string(k) +
                               "; every batch must hold at least k samples");
    for (Index j = 0; j < N;) {
        Index nb = std::min(bs, N - j);
        if (N - (j + nb) < std::max<Index>(k, 2)) nb = N - j;  // merge a short tail
        partial_fit(X.middleCols(j, nb));
        j += nb;
    }
}

PCA& PCA::partial_fit(const Eigen::Ref<const Mat>& batch) {
    const Index d = batch.rows(), B = batch.cols();
    const bool first = !fitted();
    Index k = n_components_;
    if (first) {
        const NComponents& nc = options.n_components;
        if (nc.kind == NComponents::Kind::Fraction)
            throw Error("PCA::partial_fit: incremental PCA needs an integer n_components (got "
                        "the variance fraction " + nc.to_string() + ")");
        AELAB_REQUIRE(d >= 1, "PCA::partial_fit: batch has no rows; it must be d x B, one sample per column");
        AELAB_REQUIRE(B >= 2, "PCA::partial_fit: the first batch needs at least 2 samples (columns), got " +
                                  std::to_string(B));
        if (nc.kind == NComponents::Kind::All) {
            k = std::min(d, B);
        } else {
            if (nc.count < 1)
                throw Error("PCA::partial_fit: n_components must be >= 1 (got " + nc.to_string() + ")");
            if (nc.count > d || nc.count > B)
                throw Error("PCA::partial_fit: n_components = " + nc.to_string() +
                            " must be <= d = " + std::to_string(d) + " and <= the first batch's " +
                            std::to_string(B) + " samples");
            k = static_cast<Index>(nc.count);
        }
    } else {
        if (!incremental_)
            throw Error("PCA::partial_fit: this model was fitted by the '" +
                        std::string(to_string(solver_used_)) +
                        "' solver; call reset() (or use a fresh PCA) before partial_fit");
        AELAB_REQUIRE(d == n_features_in_, "PCA::partial_fit: batch has " + std::to_string(d) +
                                               " rows but the model was fitted on d = " +
                                               std::to_string(n_features_in_) + " features");
        AELAB_REQUIRE(B >= 1, "PCA::partial_fit: empty batch");
    }

    const VecD mb = mean_checked(batch, "PCA::partial_fit");
    const VecD ssd_b = sum_sq_dev(batch, mb);
    const double n0 = static_cast<double>(n_samples_seen_);
    const double n = n0 + static_cast<double>(B);

    // Running mean and per-feature M2 (Chan, Golub & LeVeque pairwise update).
    VecD new_mean, m2;
    VecD corr;  // mean-correction row of the update problem
    if (first) {
        new_mean = mb;
        m2 = ssd_b;
    } else {
        const VecD delta = mb - mean_;
        new_mean = mean_ + delta * (static_cast<double>(B) / n);
        m2 = var_ * n0 + ssd_b + delta.cwiseAbs2() * (n0 * static_cast<double>(B) / n);
        corr = std::sqrt(n0 * static_cast<double>(B) / n) * (mean_ - mb);
    }

    // The update problem M (rows x d) = [diag(S) V^T; (Xb - mb)^T; corr^T]: keep its top k
    // right singular vectors. Solved via the Gram matrix of its smaller side.
    const Index rows = first ? B : k + B + 1;
    VecD lam;       // eigenvalues of the Gram (= squared singular values of M), descending
    MatD V;         // d x k
    if (rows >= d) {
        MatD G = MatD::Zero(d, d);
        add_centered_gram(batch, mb, G);
        if (!first) {
            MatD VS = components_ * singular_values_.asDiagonal();
            G.selfadjointView<Eigen::Lower>().rankUpdate(VS);
            G.selfadjointView<Eigen::Lower>().rankUpdate(corr);
        }
        eig_desc(G, lam, &V, k);
    } else {
        MatD Mt(d, rows);
        Index c = 0;
        if (!first) {
            Mt.leftCols(k) = components_ * singular_values_.asDiagonal();
            c = k;
        }
        Mt.middleCols(c, B) = batch.cast<double>().colwise() - mb;
        if (!first) Mt.col(rows - 1) = corr;
        MatD K = MatD::Zero(rows, rows);
        K.selfadjointView<Eigen::Lower>().rankUpdate(Mt.transpose());
        MatD U;
        eig_desc(K, lam, &U, k);
        // v_i = M^T u_i / sigma_i; directions with (numerically) zero sigma are completed
        // to an orthonormal set afterwards.
        V.resize(d, k);
        const double tiny = std::max(lam(0), 1e-300) * 1e-24;
        Index good = 0;
        for (Index i = 0; i < k; ++i) {
            if (lam(i) > tiny) {
                V.col(i) = Mt * U.col(i) / std::sqrt(lam(i));
                ++good;
            } else {
                break;
            }
        }
        if (good < k) {
            V = complete_basis(V.leftCols(good), k);
            for (Index i = good; i < k; ++i) lam(i) = 0.0;
        }
    }
    const Index rank_m = std::min(rows, d);
    const double lam_sum = lam.sum();
    const VecD top = lam.head(k);

    mean_ = new_mean;
    var_ = m2 / n;
    m2_sum_ = m2.sum();
    components_ = V;
    fix_signs(components_);
    singular_values_ = top.cwiseSqrt();
    explained_variance_ = top / (n - 1.0);
    explained_variance_ratio_ = m2_sum_ > 0.0 ? VecD(top / m2_sum_) : VecD(VecD::Zero(k));
    total_variance_ = m2_sum_ / (n - 1.0);
    noise_variance_ = rank_m > k ? std::max(0.0, lam_sum - top.sum()) /
                                       static_cast<double>(rank_m - k) / (n - 1.0)
                                 : 0.0;
    n_components_ = k;
    n_features_in_ = d;
    n_samples_seen_ = static_cast<Index>(n);
    solver_used_ = PcaSolver::Incremental;
    incremental_ = true;
    return *this;
}

}  // namespace aelab
