// logreg.cpp: see aelab/logreg.hpp.
#include "aelab/logreg.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <numeric>
#include <string>

namespace aelab {

namespace {

// A gradient this small relative to f is at the rounding floor of a summed loss: when no step
// can decrease f any more, the fit counts as converged (see logreg.hpp).
constexpr double kRoundingGradient = 1e-8;

// log(1 + exp(v)) without overflow.
double softplus(double v) { return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); }
double sigmoid(double v) {
    if (v >= 0) return 1.0 / (1.0 + std::exp(-v));
    const double e = std::exp(v);
    return e / (1.0 + e);
}

void check_data(const MatD& X, const std::vector<int>& y, int num_classes, Index dim) {
    AELAB_REQUIRE(X.cols() >= 1, "logistic regression: no samples");
    AELAB_REQUIRE(X.rows() >= 1, "logistic regression: no features");
    AELAB_REQUIRE(dim < 0 || X.rows() == dim, "logistic regression: the data have " + std::to_string(X.rows()) +
                                                   " features, the model " + std::to_string(dim));
    AELAB_REQUIRE(Index(y.size()) == X.cols(), "logistic regression: " + std::to_string(y.size()) + " labels for " +
                                                   std::to_string(X.cols()) + " samples");
    AELAB_REQUIRE(X.allFinite(), "logistic regression: the features contain NaN or infinity");
    for (int v : y)
        AELAB_REQUIRE(v >= 0 && v < num_classes, "logistic regression: label " + std::to_string(v) + " outside [0, " +
                                                     std::to_string(num_classes) + ")");
}

}  // namespace

void LogRegOptions::validate() const {
    AELAB_REQUIRE(std::isfinite(C) && C > 0, "logistic regression: C must be a positive number");
    AELAB_REQUIRE(max_iter >= 1, "logistic regression: max_iter must be >= 1");
    AELAB_REQUIRE(std::isfinite(tol) && tol > 0, "logistic regression: tol must be a positive number");
    AELAB_REQUIRE(history >= 1 && history <= 1000, "logistic regression: history must be in 1..1000");
}

void LogisticRegression::init(Index dim, int num_classes) {
    AELAB_REQUIRE(num_classes >= 2, "logistic regression needs at least 2 classes, got " + std::to_string(num_classes));
    AELAB_REQUIRE(dim >= 1, "logistic regression: no features");
    num_classes_ = num_classes;
    const Index r = num_classes == 2 ? 1 : num_classes;
    coef = MatD::Zero(r, dim);
    intercept = VecD::Zero(r);
}

VecD LogisticRegression::params() const {
    VecD p(coef.size() + intercept.size());
    p.head(coef.size()) = Eigen::Map<const VecD>(coef.data(), coef.size());
    p.tail(intercept.size()) = intercept;
    return p;
}

void LogisticRegression::set_params(const VecD& p) {
    AELAB_REQUIRE(p.size() == coef.size() + intercept.size(), "logistic regression: parameter vector of wrong size");
    Eigen::Map<VecD>(coef.data(), coef.size()) = p.head(coef.size());
    intercept = p.tail(intercept.size());
}

MatD LogisticRegression::scores(const MatD& X) const {
    AELAB_REQUIRE(fitted(), "logistic regression: not fitted");
    AELAB_REQUIRE(X.rows() == coef.cols(), "logistic regression: the data have " + std::to_string(X.rows()) +
                                               " features, the model " + std::to_string(coef.cols()));
    MatD S = coef * X;
    S.colwise() += intercept;
    return S;
}

double LogisticRegression::objective(const MatD& X, const std::vector<int>& y, VecD* grad) const {
    check_data(X, y, num_classes_, coef.cols());
    const MatD S = scores(X);
    const Index n = X.cols();
    MatD G(S.rows(), n);  // d loss / d score
    double loss = 0;
    if (num_classes_ == 2) {
        for (Index i = 0; i < n; ++i) {
            const double t = y[std::size_t(i)] == 1 ? 1.0 : -1.0;
            loss += softplus(-t * S(0, i));
            G(0, i) = -t * sigmoid(-t * S(0, i));
        }
    } else {
        for (Index i = 0; i < n; ++i) {
            const double m = S.col(i).maxCoeff();
            double z = 0;
            for (Index k = 0; k < S.rows(); ++k) z += std::exp(S(k, i) - m);
            const double lse = m + std::log(z);
            loss += lse - S(y[std::size_t(i)], i);
            for (Index k = 0; k < S.rows(); ++k) G(k, i) = std::exp(S(k, i) - lse);
            G(y[std::size_t(i)], i) -= 1.0;
        }
    }
    loss += 0.5 / opt_.C * coef.squaredNorm();
    if (grad) {
        MatD gW = G * X.transpose() + coef / opt_.C;
        grad->resize(coef.size() + intercept.size());
        grad->head(coef.size()) = Eigen::Map<const VecD>(gW.data(), gW.size());
        grad->tail(intercept.size()) = G.rowwise().sum();
    }
    return loss;
}

void LogisticRegression::fit(const MatD& X, const std::vector<int>& y, int num_classes) {
    init(X.rows(), num_classes);
    check_data(X, y, num_classes, X.rows());
    const Index np = coef.size() + intercept.size();
    VecD p = VecD::Zero(np), g;
    double f = objective(X, y, &g);
    std::deque<VecD> S, Y;
    std::deque<double> rho;
    iterations = 0;
    converged = g.cwiseAbs().maxCoeff() <= opt_.tol;
    while (!converged && iterations < opt_.max_iter) {
        // Two-loop recursion: d = -H g.
        VecD q = g;
        std::vector<double> alpha(S.size());
        for (std::size_t j = S.size(); j-- > 0;) {
            alpha[j] = rho[j] * S[j].dot(q);
            q -= alpha[j] * Y[j];
        }
        double gamma = 1.0;
        if (!S.empty()) gamma = S.back().dot(Y.back()) / Y.back().squaredNorm();
        else gamma = 1.0 / std::max(1.0, g.cwiseAbs().maxCoeff());  // a first step of size <= 1 per entry
        VecD d = gamma * q;
        for (std::size_t j = 0; j < S.size(); ++j) {
            const double beta = rho[j] * Y[j].dot(d);
            d += (alpha[j] - beta) * S[j];
        }
        d = -d;
        double slope = g.dot(d);
        if (!(slope < 0)) {  // not a descent direction (rounding): restart from the gradient
            S.clear(), Y.clear(), rho.clear();
            d = -g / std::max(1.0, g.cwiseAbs().maxCoeff());
            slope = g.dot(d);
        }
        // Backtracking line search (Armijo, c1 = 1e-4); near the optimum, where f's rounding
        // hides the decrease, a step that does not raise f and shrinks the gradient is taken.
        double step = 1.0, f_new = f;
        VecD p_new, g_new;
        bool ok = false;
        for (int ls = 0; ls < 40; ++ls) {
            p_new = p + step * d;
            set_params(p_new);
            f_new = objective(X, y, &g_new);
            if (std::isfinite(f_new) &&
                (f_new <= f + 1e-4 * step * slope ||
                 (f_new <= f && g_new.cwiseAbs().maxCoeff() < g.cwiseAbs().maxCoeff()))) {
                ok = true;
                break;
            }
            step *= 0.5;
        }
        ++iterations;
        if (!ok) {  // no step decreases f in double precision: keep the best point
            set_params(p);
            converged = g.cwiseAbs().maxCoeff() <= kRoundingGradient * std::max(1.0, std::abs(f));
            break;
        }
        VecD s = p_new - p, yv = g_new - g;
        const double sy = s.dot(yv);
        if (sy > 1e-12 * std::sqrt(s.squaredNorm() * yv.squaredNorm())) {
            S.push_back(std::move(s));
            Y.push_back(std::move(yv));
            rho.push_back(1.0 / sy);
            if (int(S.size()) > opt_.history) S.pop_front(), Y.pop_front(), rho.pop_front();
        }
        p = std::move(p_new);
        g = std::move(g_new);
        f = f_new;
        converged = g.cwiseAbs().maxCoeff() <= opt_.tol;
    }
    set_params(p);
    final_objective = f;
    final_grad_max = g.cwiseAbs().maxCoeff();
}

MatD LogisticRegression::predict_proba(const MatD& X) const {
    const MatD S = scores(X);
    MatD P(num_classes_, X.cols());
    for (Index i = 0; i < X.cols(); ++i) {
        if (num_classes_ == 2) {
            P(1, i) = sigmoid(S(0, i));
            P(0, i) = sigmoid(-S(0, i));
        } else {
            const double m = S.col(i).maxCoeff();
            double z = 0;
            for (Index k = 0; k < S.rows(); ++k) z += (P(k, i) = std::exp(S(k, i) - m));
            P.col(i) /= z;
        }
    }
    return P;
}

std::vector<int> LogisticRegression::predict(const MatD& X) const {
    const MatD S = scores(X);
    std::vector<int> out(std::size_t(X.cols()));
    for (Index i = 0; i < X.cols(); ++i) {
        if (num_classes_ == 2) {
            out[std::size_t(i)] = S(0, i) > 0 ? 1 : 0;
        } else {
            Index best = 0;
            for (Index k = 1; k < S.rows(); ++k)
                if (S(k, i) > S(best, i)) best = k;
            out[std::size_t(i)] = int(best);
        }
    }
    return out;
}

double accuracy(const std::vector<int>& pred, const std::vector<int>& y) {
    AELAB_REQUIRE(pred.size() == y.size() && !y.empty(), "accuracy: predictions and labels must be non-empty and of one size");
    std::size_t hit = 0;
    for (std::size_t i = 0; i < y.size(); ++i) hit += pred[i] == y[i];
    return double(hit) / double(y.size());
}

double roc_auc_binary(const std::vector<double>& score, const std::vector<bool>& positive) {
    AELAB_REQUIRE(score.size() == positive.size(), "roc_auc: scores and labels of different sizes");
    const std::size_t n = score.size();
    for (double s : score) AELAB_REQUIRE(!std::isnan(s), "roc_auc: a score is NaN");
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
    // Mann-Whitney: sum of the positives' ranks (1-based, ties get their mean rank).
    double rank_sum = 0;
    std::size_t npos = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && score[order[j]] == score[order[i]]) ++j;
        const double mean_rank = 0.5 * double(i + 1 + j);  // mean of ranks i+1 .. j
        for (std::size_t k = i; k < j; ++k)
            if (positive[order[k]]) rank_sum += mean_rank, ++npos;
        i = j;
    }
    const std::size_t nneg = n - npos;
    if (npos == 0 || nneg == 0) return std::numeric_limits<double>::quiet_NaN();
    return (rank_sum - 0.5 * double(npos) * double(npos + 1)) / (double(npos) * double(nneg));
}

double roc_auc(const MatD& proba, const std::vector<int>& y) {
    AELAB_REQUIRE(proba.rows() >= 2, "roc_auc: at least 2 classes needed");
    AELAB_REQUIRE(Index(y.size()) == proba.cols(), "roc_auc: probabilities and labels of different sizes");
    auto one = [&](Index k) {
        std::vector<double> s(y.size());
        std::vector<bool> pos(y.size());
        for (std::size_t i = 0; i < y.size(); ++i) {
            s[i] = proba(k, Index(i));
            pos[i] = y[i] == int(k);
        }
        return roc_auc_binary(s, pos);
    };
    if (proba.rows() == 2) return one(1);
    double sum = 0;
    int present = 0;
    for (Index k = 0; k < proba.rows(); ++k) {
        const double a = one(k);
        if (std::isnan(a)) continue;
        sum += a;
        ++present;
    }
    return present >= 2 ? sum / present : std::numeric_limits<double>::quiet_NaN();
}

LogRegScores fit_and_score(const MatD& Xtrain, const std::vector<int>& ytrain, const MatD& Xtest,
                           const std::vector<int>& ytest, int classes, const LogRegOptions& options) {
    LogRegScores s{LogisticRegression(options)};
    s.model.fit(Xtrain, ytrain, classes);
    s.train_acc = accuracy(s.model.predict(Xtrain), ytrain);
    s.test_acc = accuracy(s.model.predict(Xtest), ytest);
    s.test_auc = roc_auc(s.model.predict_proba(Xtest), ytest);
    return s;
}

}  // namespace aelab
