// Tests for aelab/logreg.hpp: the objective's gradient against central differences (binary
// and multinomial, double), the fitted optimum (gradient ~ 0), separable data classified
// perfectly, bitwise determinism, AUC against a brute-force pair count (with ties), the
// one-vs-rest macro AUC, and bad input. Suite "logreg".
#include "test_util.hpp"

#include "aelab/logreg.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

using namespace aelab;

namespace {

// A small deterministic pseudo-random stream (no global state).
struct Lcg {
    std::uint64_t s;
    double next() {  // in [0, 1)
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return double(s >> 11) * (1.0 / 9007199254740992.0);
    }
    double normalish() { return next() + next() + next() - 1.5; }
};

// K Gaussian-ish blobs in d dimensions, n per class; `gap` scales the class means.
void blobs(int K, Index d, int n, double gap, std::uint64_t seed, MatD* X, std::vector<int>* y) {
    Lcg r{seed};
    MatD mu(d, K);
    for (Index j = 0; j < d; ++j)
        for (int k = 0; k < K; ++k) mu(j, k) = gap * r.normalish();
    X->resize(d, Index(K) * n);
    y->clear();
    for (int k = 0; k < K; ++k)
        for (int i = 0; i < n; ++i) {
            const Index c = Index(k) * n + i;
            for (Index j = 0; j < d; ++j) (*X)(j, c) = mu(j, k) + r.normalish();
            y->push_back(k);
        }
}

double brute_auc(const std::vector<double>& s, const std::vector<bool>& pos) {
    double num = 0, pairs = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        for (std::size_t j = 0; j < s.size(); ++j)
            if (pos[i] && !pos[j]) {
                pairs += 1;
                num += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
            }
    return num / pairs;
}

void gradient_check(int K) {
    MatD X;
    std::vector<int> y;
    blobs(K, 4, 7, 1.0, 11 + std::uint64_t(K), &X, &y);
    LogRegOptions o;
    o.C = 0.7;
    LogisticRegression lr(o);
    lr.init(X.rows(), K);
    Lcg r{99};
    VecD p = lr.params();
    for (Index i = 0; i < p.size(); ++i) p(i) = r.normalish();
    lr.set_params(p);
    VecD g;
    lr.objective(X, y, &g);
    const double h = 1e-6;
    double worst = 0;
    for (Index i = 0; i < p.size(); ++i) {
        VecD q = p;
        q(i) += h;
        lr.set_params(q);
        const double fp = lr.objective(X, y);
        q(i) -= 2 * h;
        lr.set_params(q);
        const double fm = lr.objective(X, y);
        const double num = (fp - fm) / (2 * h);
        worst = std::max(worst, std::abs(num - g(i)) / std::max(1.0, std::abs(num)));
    }
    CHECK(worst < 1e-7);
}

}  // namespace

TEST_SUITE("logreg") {

TEST_CASE("logreg: analytic gradient matches central differences (binary sigmoid and 3-class softmax)") {
    gradient_check(2);
    gradient_check(3);
}

TEST_CASE("logreg: fit reaches the optimum, is deterministic, probabilities sum to 1") {
    for (int K : {2, 3}) {
        MatD X;
        std::vector<int> y;
        blobs(K, 5, 40, 1.0, 5, &X, &y);  // overlapping classes: a finite optimum
        LogisticRegression a, b;
        a.fit(X, y, K);
        b.fit(X, y, K);
        CHECK(a.converged);
        CHECK(a.final_grad_max <= 1e-6);
        VecD g;
        a.objective(X, y, &g);
        CHECK(g.cwiseAbs().maxCoeff() <= 1e-6);
        CHECK(a.coef.rows() == (K == 2 ? 1 : K));
        const VecD pa = a.params(), pb = b.params();
        CHECK(aelab_test::same_bits(pa, pb));
        const MatD P = a.predict_proba(X);
        CHECK(P.rows() == K);
        CHECK((P.colwise().sum().array() - 1.0).abs().maxCoeff() < 1e-12);
        // predict() is the argmax of predict_proba().
        const std::vector<int> pred = a.predict(X);
        for (Index i = 0; i < X.cols(); ++i) {
            Index best;
            P.col(i).maxCoeff(&best);
            CHECK(pred[std::size_t(i)] == int(best));
        }
    }
}

TEST_CASE("logreg: separable data are classified perfectly, AUC 1") {
    for (int K : {2, 4}) {
        MatD X;
        std::vector<int> y;
        blobs(K, 3, 30, 20.0, 3, &X, &y);  // means ~20 apart, noise < 1.5: separable
        LogisticRegression lr;
        lr.fit(X, y, K);
        CHECK(accuracy(lr.predict(X), y) == 1.0);
        CHECK(roc_auc(lr.predict_proba(X), y) == 1.0);
    }
}

TEST_CASE("logreg: binary AUC equals a brute-force pair count, ties counted 1/2") {
    Lcg r{7};
    for (int trial = 0; trial < 5; ++trial) {
        std::vector<double> s;
        std::vector<bool> pos;
        for (int i = 0; i < 60; ++i) {
            s.push_back(std::floor(r.next() * 8) / 8);  // few distinct values: many ties
            pos.push_back(r.next() < 0.4);
        }
        CHECK(roc_auc_binary(s, pos) == doctest::Approx(brute_auc(s, pos)).epsilon(1e-12));
    }
    CHECK(roc_auc_binary({0.1, 0.9}, {false, true}) == 1.0);
    CHECK(roc_auc_binary({0.5, 0.5}, {false, true}) == 0.5);
    CHECK(std::isnan(roc_auc_binary({0.1, 0.9}, {true, true})));
}

TEST_CASE("logreg: multiclass AUC is the macro one-vs-rest mean") {
    MatD P(3, 6);
    P << 0.7, 0.2, 0.1, 0.3, 0.1, 0.2,  //
        0.2, 0.5, 0.3, 0.3, 0.2, 0.1,    //
        0.1, 0.3, 0.6, 0.4, 0.7, 0.7;
    const std::vector<int> y = {0, 1, 2, 0, 1, 2};
    double sum = 0;
    for (int k = 0; k < 3; ++k) {
        std::vector<double> s;
        std::vector<bool> pos;
        for (Index i = 0; i < 6; ++i) s.push_back(P(k, i)), pos.push_back(y[std::size_t(i)] == k);
        sum += brute_auc(s, pos);
    }
    CHECK(roc_auc(P, y) == doctest::Approx(sum / 3).epsilon(1e-12));
}

TEST_CASE("logreg: bad input gives clear errors") {
    MatD X = MatD::Ones(2, 3);
    LogisticRegression lr;
    aelab_test::check_error([&] { lr.fit(X, {0, 1}, 2); }, "2 labels for 3 samples");
    aelab_test::check_error([&] { lr.fit(X, {0, 1, 2}, 2); }, "label 2 outside [0, 2)");
    aelab_test::check_error([&] { lr.fit(X, {0, 0, 0}, 1); }, "at least 2 classes");
    X(0, 0) = std::nan("");
    aelab_test::check_error([&] { lr.fit(X, {0, 1, 0}, 2); }, "NaN or infinity");
    aelab_test::check_error([&] { LogRegOptions o; o.C = 0; LogisticRegression bad(o); }, "C must be");
    LogisticRegression unfitted;
    aelab_test::check_error([&] { unfitted.predict(MatD::Ones(2, 1)); }, "not fitted");
    lr.fit(MatD::Identity(2, 2), {0, 1}, 2);
    aelab_test::check_error([&] { lr.predict(MatD::Ones(3, 1)); }, "3 features, the model 2");
}

}  // TEST_SUITE
