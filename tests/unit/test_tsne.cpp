// Tests for aelab/tsne.hpp: perplexity calibration, Barnes-Hut gradient against the exact
// one, separated clusters, determinism, bounded steps, continuation, bad input; and the
// leave-one-out kNN accuracy helper. Suite "tsne".
#include <doctest.h>

#include "aelab/tsne.hpp"
#include "test_util.hpp"

#include <chrono>
#include <cmath>
#include <limits>

using namespace aelab;
using aelab_test::check_error;

namespace {

// n_per points around each of `clusters` centres 20 apart in d dimensions (sd 1).
Mat blobs(Index clusters, Index n_per, Index d, std::uint64_t seed, std::vector<int>& y) {
    Rng rng(seed);
    Mat X(d, clusters * n_per);
    y.clear();
    for (Index c = 0; c < clusters; ++c)
        for (Index t = 0; t < n_per; ++t) {
            const Index j = c * n_per + t;
            for (Index i = 0; i < d; ++i) X(i, j) = static_cast<float>(rng.normal() + (i == c % d ? 20.0 * (1 + c / d) : 0.0));
            y.push_back(static_cast<int>(c));
        }
    return X;
}

}  // namespace

TEST_SUITE("tsne") {

TEST_CASE("perplexity calibration hits the target entropy within 1e-5") {
    Rng rng(3);
    MatD d2(40, 25);
    for (Index j = 0; j < d2.cols(); ++j)
        for (Index i = 0; i < d2.rows(); ++i) d2(i, j) = std::pow(rng.uniform(0.1, 30.0), 2.0 + 0.1 * j);
    for (double perp : {2.0, 5.0, 13.0, 30.0}) {
        VecD H;
        const MatD P = calibrate_perplexity(d2, perp, &H);
        for (Index j = 0; j < P.cols(); ++j) {
            CHECK(P.col(j).sum() == doctest::Approx(1.0).epsilon(1e-12));
            CHECK(std::abs(H(j) - std::log(perp)) <= 1e-5);
            // the entropy recomputed from P itself
            double h = 0;
            for (Index i = 0; i < P.rows(); ++i)
                if (P(i, j) > 0) h -= P(i, j) * std::log(P(i, j));
            CHECK(std::abs(h - std::log(perp)) <= 1e-5);
        }
    }
}

TEST_CASE("P is symmetric, sums to 1, from k = 3 * perplexity + 1 neighbours") {
    std::vector<int> y;
    const Mat X = blobs(3, 30, 4, 5, y);
    TsneOptions o;
    o.perplexity = 5;
    TSNE t(o);
    t.fit_begin(X);
    CHECK(t.n_neighbors() == 16);
    const SparseP& P = t.P();
    double s = 0;
    for (double v : P.val) s += v;
    CHECK(s == doctest::Approx(1.0).epsilon(1e-12));
    MatD D = MatD::Zero(90, 90);
    for (Index i = 0; i < 90; ++i)
        for (Index q = P.row_ptr[i]; q < P.row_ptr[i + 1]; ++q) D(i, P.col[q]) = P.val[q];
    CHECK((D - D.transpose()).cwiseAbs().maxCoeff() < 1e-15);
    CHECK(t.max_calibration_error() <= 1e-5);
    CHECK(t.learning_rate_used() == 50.0);  // auto: max(90 / 12 / 4, 50)
}

TEST_CASE("Barnes-Hut gradient at theta = 0 equals the exact O(N^2) gradient; theta = 0.5 is close") {
    std::vector<int> y;
    const Mat X = blobs(4, 20, 5, 9, y);
    TsneOptions o;
    o.perplexity = 8;
    TSNE t(o);
    t.fit_begin(X);
    Rng rng(1);
    MatD Y(2, 80);
    rng.fill_normal(Y, 3.0);
    for (double ex : {1.0, 12.0}) {
        const MatD ge = t.exact_gradient(Y, ex);
        const MatD g0 = t.gradient(Y, 0.0, ex);
        CHECK((g0 - ge).cwiseAbs().maxCoeff() <= 1e-12 * std::max(1.0, ge.cwiseAbs().maxCoeff()));
        const MatD g5 = t.gradient(Y, 0.5, ex);
        CHECK((g5 - ge).norm() <= 0.05 * ge.norm());
    }
}

TEST_CASE("Barnes-Hut cells are the layout's bounding box halved (scikit-learn's tree): elongated layouts stay accurate") {
    // Square cells (side = the longer extent) split the short axis far from the points and
    // measured relative errors 0.0064 and 0.0017 here (aspect 10 and 100); rectangular
    // cells, as in scikit-learn's and bhtsne's trees, 0.0018 and 0.00022. The square cells
    // left aelab's final KL 0.3 % above scikit-learn's on MNIST (issue 11).
    Rng rng(7, 1);
    Mat X(5, 400);
    rng.fill_normal(X, 1.0f);
    TsneOptions o;
    o.perplexity = 10;
    TSNE t(o);
    t.fit_begin(X);
    const double bound[2] = {0.004, 0.001};
    int k = 0;
    for (double aspect : {10.0, 100.0}) {
        MatD Y(2, 400);
        rng.fill_normal(Y, 1.0);
        Y.row(0) *= 10.0 * aspect;
        Y.row(1) *= 10.0;
        const MatD ge = t.exact_gradient(Y, 1.0);
        CHECK((t.gradient(Y, 0.5, 1.0) - ge).norm() <= bound[k++] * ge.norm());
    }
}

TEST_CASE("well separated clusters stay separated: 5-NN accuracy 1.0; KL falls") {
    std::vector<int> y;
    const Mat X = blobs(5, 40, 10, 17, y);
    TsneOptions o;
    o.perplexity = 15;
    o.max_iter = 500;
    TSNE t(o);
    t.fit_begin(X);
    t.step({1, 0.0});
    const double kl_start = t.kl_divergence();
    t.step({100000, 0.0});
    CHECK(t.done());
    CHECK(t.iteration() == 500);
    CHECK(t.kl_is_exact());
    const double kl = t.kl_divergence();
    INFO("KL " << kl_start << " -> " << kl);
    CHECK(kl < kl_start);
    CHECK(kl > 0.0);
    CHECK(knn_loo_accuracy(t.embedding(), y, 5) == 1.0);
}

TEST_CASE("same seed, same layout (random and PCA init); different seed, different layout") {
    std::vector<int> y;
    const Mat X = blobs(3, 25, 6, 2, y);
    for (TsneInit init : {TsneInit::Pca, TsneInit::Random}) {
        TsneOptions o;
        o.perplexity = 10;
        o.max_iter = 120;
        o.init = init;
        o.seed = 4;
        TSNE a(o), b(o);
        a.fit(X);
        b.fit_begin(X);
        while (!b.done()) b.step({7, 0.0});  // step sizes do not change the result
        CHECK(aelab_test::same_bits(a.embedding(), b.embedding()));
    }
    TsneOptions o;
    o.perplexity = 10;
    o.max_iter = 50;
    o.init = TsneInit::Random;
    o.seed = 4;
    TSNE a(o);
    a.fit(X);
    o.seed = 5;
    TSNE c(o);
    c.fit(X);
    CHECK_FALSE(aelab_test::same_bits(a.embedding(), c.embedding()));
}

TEST_CASE("PCA init is scikit-learn's: std of the first coordinate 1e-4") {
    std::vector<int> y;
    const Mat X = blobs(3, 30, 6, 8, y);
    TsneOptions o;
    o.perplexity = 10;
    TSNE t(o);
    t.fit_begin(X);
    const MatD& Y = t.embedding();
    const double mu = Y.row(0).mean();
    CHECK(std::sqrt((Y.row(0).array() - mu).square().mean()) == doctest::Approx(1e-4).epsilon(1e-9));
}

TEST_CASE("step(budget) is bounded by iterations and by time; continue_from keeps the layout") {
    std::vector<int> y;
    const Mat X = blobs(3, 40, 6, 12, y);
    TsneOptions o;
    o.perplexity = 10;
    o.max_iter = 300;
    TSNE t(o);
    t.fit_begin(X);
    CHECK(t.step({10, 0.0}).iters == 10);
    CHECK(t.iteration() == 10);
    const auto r = t.step({1000000, 1e-9});  // a tiny time budget still runs exactly one iteration
    CHECK(r.iters == 1);
    CHECK(t.step({1000000, 0.0}).iters == 289);
    CHECK(t.step({5, 0.0}).iters == 0);  // done
    // continue with slightly moved inputs from the settled layout: it stays organised
    const MatD Y0 = t.embedding();
    Mat X2 = X;
    Rng rng(2);
    for (Index j = 0; j < X2.cols(); ++j) X2(0, j) += static_cast<float>(0.1 * rng.normal());
    o.max_iter = 50;
    t.options = o;
    t.continue_from(X2, Y0);
    CHECK(t.iteration() == 0);
    CHECK(t.embedding() == Y0);
    t.step({1000, 0.0});
    CHECK(t.done());
    CHECK(knn_loo_accuracy(t.embedding(), y, 5) == 1.0);
    check_error([&] { t.continue_from(X2, Y0.leftCols(3)); }, "2 x N with N = 120");
}

TEST_CASE("hostile inputs: too few points for the perplexity, NaN, duplicates, bad options") {
    std::vector<int> y;
    const Mat X = blobs(2, 10, 3, 1, y);  // N = 20
    TsneOptions o;  // perplexity 30
    check_error([&] { TSNE(o).fit_begin(X); }, "larger than N - 1 = 19");
    o.perplexity = 12;  // N = 20 < 3 * 12 + 1: k = N - 1, as scikit-learn
    TSNE t(o);
    t.fit_begin(X);
    CHECK(t.n_neighbors() == 19);
    Mat Xn = X;
    Xn(2, 7) = std::numeric_limits<float>::quiet_NaN();
    check_error([&] { TSNE(o).fit_begin(Xn); }, "NaN or Inf (row 2, column 7)");
    check_error([&] { TSNE(o).fit_begin(X.leftCols(3)); }, "at least 4 points");
    o.theta = -1;
    check_error([&] { TSNE(o).fit_begin(X); }, "theta");
    o.theta = 0.5;
    o.perplexity = 0.5;
    check_error([&] { TSNE(o).fit_begin(X); }, "perplexity must be >= 1");
    TSNE fresh;
    check_error([&] { fresh.step({1, 0}); }, "call fit_begin");
    // duplicates: many copies of the same points work, stay finite and keep classes apart
    Mat D(3, 60);
    for (Index j = 0; j < 60; ++j) D.col(j) = X.col(j % 2 == 0 ? 0 : 15);  // two points, 30 copies each
    std::vector<int> yd(60);
    for (int j = 0; j < 60; ++j) yd[j] = j % 2;
    TsneOptions od;
    od.perplexity = 5;
    od.max_iter = 300;
    TSNE td(od);
    td.fit(D);
    CHECK(td.embedding().allFinite());
    CHECK(std::isfinite(td.kl_divergence()));
    CHECK(knn_loo_accuracy(td.embedding(), yd, 5) == 1.0);
}

TEST_CASE("knn_loo_accuracy: hand cases and errors") {
    MatD Y(2, 6);
    Y << 0, 0.1, 0.2, 5, 5.1, 5.2, 0, 0, 0, 0, 0, 0;
    CHECK(knn_loo_accuracy(Y, {0, 0, 0, 1, 1, 1}, 2) == 1.0);
    CHECK(knn_loo_accuracy(Y, {0, 1, 0, 1, 0, 1}, 1) == 0.0);
    // against brute force on random points
    Rng rng(5);
    MatD R(2, 300);
    rng.fill_normal(R, 1.0);
    std::vector<int> lab(300);
    for (int j = 0; j < 300; ++j) lab[j] = R(0, j) + 0.3 * rng.normal() > 0 ? 1 : 0;
    int correct = 0;
    for (Index i = 0; i < 300; ++i) {
        std::vector<std::pair<double, Index>> d;
        for (Index j = 0; j < 300; ++j)
            if (j != i) d.push_back({(R.col(i) - R.col(j)).squaredNorm(), j});
        std::sort(d.begin(), d.end());
        int votes = 0;
        for (int t = 0; t < 5; ++t) votes += lab[d[t].second];
        correct += (votes >= 3 ? 1 : 0) == lab[i];
    }
    CHECK(knn_loo_accuracy(R, lab, 5) == doctest::Approx(correct / 300.0));
    check_error([&] { knn_loo_accuracy(Y, {0, 1}, 5); }, "2 labels for 6 points");
}

}  // TEST_SUITE
