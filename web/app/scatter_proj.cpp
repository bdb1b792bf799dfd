// scatter_proj.cpp: see scatter_proj.hpp.
#include "scatter_proj.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <vector>

namespace aelab::app {

const char* projection_key(Projection p) {
    switch (p) {
        case Projection::Dims: return "dims";
        case Projection::Pca: return "pca";
        case Projection::Tsne: return "tsne";
        case Projection::Kpca: return "kpca";
    }
    return "dims";
}

bool parse_projection(const std::string& key, Projection* out) {
    for (Projection p : {Projection::Dims, Projection::Pca, Projection::Tsne, Projection::Kpca})
        if (key == projection_key(p)) {
            *out = p;
            return true;
        }
    return false;
}

void resolve_dims(int k, int i, int j, int* ri, int* rj) {
    if (k < 2) {
        *ri = 0;
        *rj = -1;  // no second dimension
        return;
    }
    if (i < 0 || i >= k) i = 0;
    if (j < 0 || j >= k || j == i) j = i == 0 ? 1 : 0;
    *ri = i;
    *rj = j;
}

Mat project_dims(const Eigen::Ref<const Mat>& Z, int i, int j) {
    int ri = 0, rj = -1;
    resolve_dims(static_cast<int>(Z.rows()), i, j, &ri, &rj);
    Mat Y = Mat::Zero(2, Z.cols());
    if (Z.rows() == 0) return Y;
    Y.row(0) = Z.row(ri);
    if (rj >= 0) Y.row(1) = Z.row(rj);
    return Y;
}

Mat project_pca(const Eigen::Ref<const Mat>& Z) {
    const Index k = Z.rows(), n = Z.cols();
    Mat Y = Mat::Zero(2, n);
    if (k == 0 || n == 0) return Y;
    const MatD C = Z.cast<double>().colwise() - Z.cast<double>().rowwise().mean();
    if (k == 1) {
        Y.row(0) = C.row(0).cast<float>();
        return Y;
    }
    const MatD cov = C * C.transpose() / static_cast<double>(std::max<Index>(n - 1, 1));
    Eigen::SelfAdjointEigenSolver<MatD> es(cov);
    if (es.info() != Eigen::Success) return Y;
    for (int r = 0; r < 2; ++r) {
        const Eigen::VectorXd axis = es.eigenvectors().col(k - 1 - r);  // ascending eigenvalues
        Eigen::RowVectorXd p = axis.transpose() * C;
        Index arg = 0;
        p.cwiseAbs().maxCoeff(&arg);
        if (p(arg) < 0) p = -p;
        Y.row(r) = p.cast<float>();
    }
    return Y;
}

bool kpca_gamma_ok(double gamma) {
    return std::isfinite(gamma) && gamma >= kKpcaGammaMin && gamma <= kKpcaGammaMax;
}

Mat project_kpca(const Eigen::Ref<const Mat>& X, Kernel kernel, double gamma, Index max_points) {
    AELAB_REQUIRE(kpca_gamma_ok(gamma), "kernel PCA: gamma must be a number in [" + std::to_string(kKpcaGammaMin) +
                                            ", " + std::to_string(kKpcaGammaMax) + "], got " + std::to_string(gamma));
    const Index n = std::min<Index>(X.cols(), max_points);
    AELAB_REQUIRE(n >= 3 && X.rows() >= 1, "kernel PCA needs at least 3 points (the test set has " +
                                               std::to_string(X.cols()) + ")");
    KpcaOptions o;
    o.kernel = kernel;
    o.gamma = gamma;
    o.n_components = 2;
    o.seed = 1;
    KernelPCA kp(o);
    const MatD Z = kp.fit_transform(X.leftCols(n));  // k x n (k = 2; validates finiteness)
    Mat Y = Mat::Zero(2, n);
    Y.topRows(std::min<Index>(2, Z.rows())) = Z.topRows(std::min<Index>(2, Z.rows())).cast<float>();
    return Y;
}

void KpcaView::reset() {
    Y_.resize(2, 0);
    have_ = false;
    version_ = 0;
    gamma_ = 0;
    fit_t_ = -1e30;
    fit_s_ = 0;
    fits_ = 0;
    error_.clear();
}

bool KpcaView::update(const Eigen::Ref<const Mat>& X, std::uint64_t data_version, Kernel kernel, double gamma,
                      double now) {
    const bool new_data = !have_ || data_version != version_;
    const bool new_params = kernel != kernel_ || gamma != gamma_;
    if (!new_data && !new_params) return false;
    if (!new_data && now - fit_t_ < min_interval_s) return false;  // the slider is moving: later
    const auto t0 = std::chrono::steady_clock::now();
    have_ = true;
    version_ = data_version;
    kernel_ = kernel;
    gamma_ = gamma;
    fit_t_ = now;
    ++fits_;
    try {
        Y_ = project_kpca(X, kernel, gamma, max_points);
        error_.clear();
    } catch (const std::exception& e) {
        Y_.resize(2, 0);
        error_ = e.what();
    }
    fit_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return true;
}

void LiveTsne::reset() {
    tsne_ = aelab::TSNE();
    total_iters_ = 0;
    read_step_ = -1;
    read_t_ = kl_t_ = -1e30;
    kl_ = 0;
    kl_valid_ = false;
    reads_ = 0;
    last_s_ = 0;
    error_.clear();
}

double LiveTsne::kl() const { return kl_valid_ ? kl_ : std::numeric_limits<double>::quiet_NaN(); }

double LiveTsne::update(const Eigen::Ref<const Mat>& Z, long model_step, double now) {
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    last_s_ = 0;
    if (!error_.empty()) return 0;
    const Index n = std::min<Index>(Z.cols(), options.max_points);
    try {
        const bool fresh = !started() || tsne_.embedding().cols() != n;
        // No re-read before the first schedule's early exaggeration has run (it organises the
        // clusters; a continuation has none).
        const bool due = !fresh && model_step != read_step_ && now - read_t_ >= options.reread_s &&
                         (reads_ > 1 || tsne_.iteration() >= options.first_settle_iters);
        if (!fresh && !due && tsne_.done()) return 0;  // settled: no cost (last_s_ = 0)
        if (fresh || due) {
            AELAB_REQUIRE(n >= 4 && Z.rows() >= 1, "t-SNE needs at least 4 codes (the test set has " +
                                                       std::to_string(Z.cols()) + ")");
            const Mat X = Z.leftCols(n);
            if (fresh) {
                total_iters_ = 0;
                reads_ = 0;
                TsneOptions o;
                o.perplexity = std::min(options.perplexity, static_cast<double>(n - 1) / 3.0);
                o.max_iter = options.first_iters;
                o.seed = options.seed;
                o.init = TsneInit::Pca;
                tsne_ = aelab::TSNE(o);
                tsne_.fit_begin(X);
            } else {
                const MatD Y0 = tsne_.embedding();
                tsne_.options.max_iter = options.continue_iters;
                tsne_.continue_from(X, Y0, true);
            }
            ++reads_;
            read_step_ = model_step;
            read_t_ = now;
            kl_t_ = -1e30;  // a new P: a new KL at once
        }
        if (!tsne_.done()) {
            const double spent = std::chrono::duration<double>(clock::now() - t0).count();
            const TsneStepResult r =
                tsne_.step({options.max_iters_per_update, std::max(options.budget_s - spent, 1e-6)});
            total_iters_ += r.iters;
            if (now - kl_t_ >= options.kl_every_s || tsne_.done()) {
                kl_ = tsne_.kl_divergence();
                kl_valid_ = true;
                kl_t_ = now;
            }
        }
    } catch (const std::exception& e) {
        error_ = e.what();
        tsne_ = aelab::TSNE();
    }
    last_s_ = std::chrono::duration<double>(clock::now() - t0).count();
    return last_s_;
}

double LiveTsne::spread() const {
    if (!started()) return 0;
    const MatD& Y = tsne_.embedding();
    const Index n = Y.cols();
    const double x0 = Y.row(0).minCoeff(), x1 = Y.row(0).maxCoeff();
    const double y0 = Y.row(1).minCoeff(), y1 = Y.row(1).maxCoeff();
    constexpr int G = 16;
    std::vector<char> cell(G * G, 0);
    const double sx = x1 > x0 ? G / (x1 - x0) : 0, sy = y1 > y0 ? G / (y1 - y0) : 0;
    for (Index i = 0; i < n; ++i) {
        const int cx = std::min(G - 1, static_cast<int>((Y(0, i) - x0) * sx));
        const int cy = std::min(G - 1, static_cast<int>((Y(1, i) - y0) * sy));
        cell[static_cast<std::size_t>(cy * G + cx)] = 1;
    }
    int used = 0;
    for (char c : cell) used += c;
    return static_cast<double>(used) / (G * G);
}

}  // namespace aelab::app
