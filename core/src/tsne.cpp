// tsne.cpp — aelab::TSNE's optimizer, initialisation and KL (see aelab/tsne.hpp).
#include "aelab/pca.hpp"
#include "aelab/tsne.hpp"
#include "tsne_detail.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace aelab {

using namespace tsne_detail;

void TsneOptions::validate(Index N) const {
    AELAB_REQUIRE(N >= 4, "t-SNE: need at least 4 points, got " + std::to_string(N));
    AELAB_REQUIRE(std::isfinite(perplexity) && perplexity >= 1.0,
                  "t-SNE: perplexity must be >= 1 (typical 5..50), got " + std::to_string(perplexity));
    AELAB_REQUIRE(perplexity <= static_cast<double>(N - 1),
                  "t-SNE: perplexity " + std::to_string(perplexity) + " is larger than N - 1 = " +
                      std::to_string(N - 1) + " (" + std::to_string(N) +
                      " points); lower it or embed more points");
    AELAB_REQUIRE(std::isfinite(early_exaggeration) && early_exaggeration >= 1.0,
                  "t-SNE: early_exaggeration must be >= 1");
    AELAB_REQUIRE(exaggeration_iters >= 0, "t-SNE: exaggeration_iters must be >= 0");
    AELAB_REQUIRE(max_iter >= 1, "t-SNE: max_iter must be >= 1");
    AELAB_REQUIRE(std::isfinite(theta) && theta >= 0.0 && theta <= 2.0,
                  "t-SNE: theta must be in [0, 2] (0 = exact, 0.5 typical)");
    AELAB_REQUIRE(std::isfinite(learning_rate), "t-SNE: learning_rate must be finite (<= 0 means auto)");
    AELAB_REQUIRE(kl_exact_max >= 0, "t-SNE: kl_exact_max must be >= 0");
}

void TSNE::prepare(const Eigen::Ref<const Mat>& X) {
    const Index N = X.cols();
    AELAB_REQUIRE(X.rows() >= 1, "t-SNE: the input has no features (0 rows)");
    options.validate(N);
    for (Index j = 0; j < N; ++j)
        for (Index i = 0; i < X.rows(); ++i)
            if (!std::isfinite(X(i, j)))
                throw Error("t-SNE: input contains NaN or Inf (row " + std::to_string(i) + ", column " +
                            std::to_string(j) + "); clean or impute the data first");
    N_ = 0;
    k_ = std::min<Index>(N - 1, static_cast<Index>(3.0 * options.perplexity + 1.0));
    std::vector<Index> idx;
    MatD d2;
    knn_exact(X, k_, idx, d2);
    VecD H;
    const MatD cond = calibrate_perplexity(d2, options.perplexity, &H);
    max_cal_err_ = (H.array() - std::log(options.perplexity)).abs().maxCoeff();
    P_ = symmetric_p(idx, cond);
    lr_ = options.learning_rate > 0 ? options.learning_rate
                                    : std::max(static_cast<double>(N) / options.early_exaggeration / 4.0, 50.0);
    update_.setZero(2, N);
    gains_.setOnes(2, N);
    iter_ = 0;
    last_zsum_ = 0;
    N_ = N;
}

void TSNE::fit_begin(const Eigen::Ref<const Mat>& X) {
    prepare(X);
    exag_iters_ = options.exaggeration_iters;
    const Index N = N_;
    Y_.resize(2, N);
    if (options.init == TsneInit::Pca && X.rows() >= 2) {
        // scikit-learn: PCA(n_components=2).fit_transform(X) / std(first column) * 1e-4, with
        // its sign convention (each projection's largest-|value| entry positive).
        PcaOptions po;
        po.n_components = 2;
        po.solver = X.rows() <= 1024 ? PcaSolver::Covariance : PcaSolver::Randomized;
        po.seed = options.seed;
        PCA pca(po);
        Y_ = pca.fit_transform(X).cast<double>();
        for (Index r = 0; r < 2; ++r) {
            Index arg = 0;
            Y_.row(r).cwiseAbs().maxCoeff(&arg);
            if (Y_(r, arg) < 0) Y_.row(r) *= -1.0;
        }
        const double mu = Y_.row(0).mean();
        const double sd = std::sqrt((Y_.row(0).array() - mu).square().mean());
        Y_ *= sd > 0 ? 1e-4 / sd : 1.0;
    } else {  // random (also for 1-D input, which has no second principal component)
        Rng rng(options.seed, 0x75e);
        rng.fill_normal(Y_, 1e-4);
    }
}

void TSNE::continue_from(const Eigen::Ref<const Mat>& X, const Eigen::Ref<const MatD>& Y0, bool skip_exaggeration) {
    AELAB_REQUIRE(Y0.rows() == 2 && Y0.cols() == X.cols(),
                  "t-SNE continue_from: the layout must be 2 x N with N = " + std::to_string(X.cols()) +
                      " (got " + std::to_string(Y0.rows()) + " x " + std::to_string(Y0.cols()) + ")");
    AELAB_REQUIRE(Y0.allFinite(), "t-SNE continue_from: the layout contains NaN or Inf");
    prepare(X);
    Y_ = Y0;
    exag_iters_ = skip_exaggeration ? 0 : options.exaggeration_iters;
}

MatD TSNE::gradient(const MatD& Y, double theta, double exaggeration, double* z_sum) const {
    AELAB_REQUIRE(started() && Y.rows() == 2 && Y.cols() == N_, "TSNE::gradient: call fit_begin first; Y must be 2 x N");
    MatD neg, pos;
    const double Z = bh_repulsion(Y, theta, neg);
    attraction(P_, Y, exaggeration, pos);
    if (z_sum) *z_sum = Z;
    return 4.0 * (pos - neg / Z);
}

MatD TSNE::exact_gradient(const MatD& Y, double exaggeration) const {
    AELAB_REQUIRE(started() && Y.rows() == 2 && Y.cols() == N_, "TSNE::exact_gradient: call fit_begin first");
    const Index N = N_;
    MatD Pd = MatD::Zero(N, N);
    for (Index i = 0; i < N; ++i)
        for (Index t = P_.row_ptr[static_cast<std::size_t>(i)]; t < P_.row_ptr[static_cast<std::size_t>(i + 1)]; ++t)
            Pd(P_.col[static_cast<std::size_t>(t)], i) = P_.val[static_cast<std::size_t>(t)];
    MatD W(N, N);
    for (Index i = 0; i < N; ++i)
        for (Index j = 0; j < N; ++j) W(j, i) = i == j ? 0.0 : 1.0 / (1.0 + (Y.col(i) - Y.col(j)).squaredNorm());
    const double Z = W.sum();
    MatD g = MatD::Zero(2, N);
    for (Index i = 0; i < N; ++i)
        for (Index j = 0; j < N; ++j)
            if (j != i) g.col(i) += 4.0 * (exaggeration * Pd(j, i) - W(j, i) / Z) * W(j, i) * (Y.col(i) - Y.col(j));
    return g;
}

void TSNE::one_iteration() {
    const bool explore = iter_ < exag_iters_;
    if (iter_ == exag_iters_ && iter_ > 0) {  // scikit-learn restarts its optimizer state per stage
        update_.setZero();
        gains_.setOnes();
    }
    const double exag = explore ? options.early_exaggeration : 1.0;
    const double momentum = explore ? 0.5 : 0.8;
    MatD g = gradient(Y_, options.theta, exag, &last_zsum_);
    for (Index i = 0; i < g.size(); ++i) {
        double& gain = gains_.data()[i];
        gain = update_.data()[i] * g.data()[i] < 0.0 ? gain + 0.2 : gain * 0.8;
        gain = std::max(gain, 0.01);
        update_.data()[i] = momentum * update_.data()[i] - lr_ * gain * g.data()[i];
    }
    Y_ += update_;
    ++iter_;
}

TsneStepResult TSNE::step(const TsneBudget& budget) {
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    TsneStepResult r;
    AELAB_REQUIRE(started(), "TSNE::step: call fit_begin (or continue_from) first");
    while (r.iters < budget.max_iters && !done()) {
        if (budget.max_seconds > 0 && r.iters > 0 &&
            std::chrono::duration<double>(clock::now() - t0).count() >= budget.max_seconds)
            break;
        one_iteration();
        ++r.iters;
    }
    AELAB_REQUIRE(Y_.allFinite(), "t-SNE: the layout became non-finite (learning rate too large?)");
    r.seconds = std::chrono::duration<double>(clock::now() - t0).count();
    return r;
}

const MatD& TSNE::fit(const Eigen::Ref<const Mat>& X) {
    fit_begin(X);
    while (!done()) step({1000000, 0.0});
    return Y_;
}

double TSNE::kl_divergence() const {
    AELAB_REQUIRE(started(), "TSNE::kl_divergence: call fit_begin first");
    double Z = 0.0;
    if (kl_is_exact()) {
        Z = exact_zsum(Y_);
    } else {
        MatD neg;
        Z = bh_repulsion(Y_, options.theta, neg);
    }
    return kl_sparse(P_, Y_, Z);
}

}  // namespace aelab
