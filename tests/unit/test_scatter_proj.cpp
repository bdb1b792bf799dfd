// test_scatter_proj.cpp: the latent scatter's projections (web/app/scatter_proj.hpp): the URL
// keys proj / dims, code dims with their fall-backs, the codes' own PCA, and the live t-SNE
// (first schedule ends and stops costing, KL falls, same inputs same layout, a re-read keeps
// the layout and re-settles it without a jump, hostile input gives an error not a throw), and
// the kernel PCA view of proj=kpca (gamma= / kernel= URL keys, the course's gamma in the page's
// units, linear kernel = the PCA plot, rbf sees rings PCA cannot, refits on change, bad gamma).
#include <doctest.h>

#include "scatter_proj.hpp"
#include "state.hpp"

#include "aelab/common.hpp"
#include "aelab/datasets.hpp"

#include <algorithm>
#include <cmath>
#include <string>

using namespace aelab;
using namespace aelab::app;

namespace {

// n points in d dims around c well-separated centres (centre m at 10 * e_m), seeded.
Mat clusters(Index d, Index n, int c, std::uint64_t seed) {
    Rng rng(seed, 7);
    Mat X(d, n);
    rng.fill_normal(X, 1.0f);
    for (Index i = 0; i < n; ++i) X(static_cast<Index>(i % c), i) += 10.0f;
    return X;
}

LiveTsneOptions small_opts() {
    LiveTsneOptions o;
    o.perplexity = 10;
    o.first_iters = 300;
    o.continue_iters = 60;
    o.max_iters_per_update = 25;
    o.budget_s = 10.0;  // the iteration count decides (deterministic test)
    o.reread_s = 0.5;
    o.seed = 3;
    return o;
}

// Two noisy concentric rings in the plane (radius 1 and 3), n points each; y: 0 inner, 1 outer.
Mat rings(Index n, std::vector<int>& y) {
    Rng rng(11, 2);
    Mat X(2, 2 * n);
    y.assign(static_cast<size_t>(2 * n), 0);
    for (Index i = 0; i < 2 * n; ++i) {
        const double a = 6.283185307179586 * rng.uniform(), r = i < n ? 1.0 : 3.0;
        X(0, i) = static_cast<float>(r * std::cos(a) + 0.1 * rng.normal());
        X(1, i) = static_cast<float>(r * std::sin(a) + 0.1 * rng.normal());
        y[static_cast<size_t>(i)] = i < n ? 0 : 1;
    }
    return X;
}

// How well row r of Y ranks class 1 above class 0 (or below): max(AUC, 1 - AUC), 0.5..1.
double separation(const Mat& Y, int r, const std::vector<int>& y) {
    double above = 0, pairs = 0;
    for (Index i = 0; i < Y.cols(); ++i)
        for (Index j = 0; j < Y.cols(); ++j)
            if (y[static_cast<size_t>(i)] == 1 && y[static_cast<size_t>(j)] == 0) {
                above += Y(r, i) > Y(r, j) ? 1.0 : Y(r, i) == Y(r, j) ? 0.5 : 0.0;
                pairs += 1;
            }
    const double auc = above / pairs;
    return std::max(auc, 1.0 - auc);
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("kpca URL keys: proj=kpca, gamma= and kernel= parse, round-trip and refuse hostile values") {
        QueryResult r = parse_query("dataset=swissroll&proj=kpca&gamma=0.25&kernel=poly");
        CHECK(r.messages.empty());
        CHECK(r.settings.proj == Projection::Kpca);
        CHECK(r.settings.kpca_gamma == 0.25);
        CHECK(r.settings.kpca_kernel == Kernel::Poly);
        const std::string q = to_query(r.settings);
        CHECK(q.find("proj=kpca") != std::string::npos);
        CHECK(q.find("gamma=0.25") != std::string::npos);
        CHECK(q.find("kernel=poly") != std::string::npos);
        CHECK(parse_query(q).settings == r.settings);
        CHECK(to_query(parse_query("dataset=swissroll").settings).find("gamma") == std::string::npos);  // default: not in the URL
        for (const char* bad : {"gamma=0", "gamma=-1", "gamma=nan", "gamma=inf", "gamma=1e9", "gamma=abc", "kernel=laplace"}) {
            CAPTURE(bad);
            QueryResult b = parse_query(bad);
            CHECK(b.messages.size() == 1);
            CHECK(b.settings.kpca_gamma == kKpcaGammaDefault);
            CHECK(b.settings.kpca_kernel == Kernel::Rbf);
        }
        CHECK(!kpca_gamma_ok(0.0));
        CHECK(!kpca_gamma_ok(std::nan("")));
        CHECK(kpca_gamma_ok(kKpcaGammaDefault));
    }

    TEST_CASE("kpca view: the course's gamma 0.04 on the unscaled roll is gamma 4 on the page's (x 0.1) roll") {
        const Dataset roll = swiss_roll(300, 0.2, 42);
        const Mat course = project_kpca(roll.X, Kernel::Rbf, 0.04);
        const Mat page = project_kpca(roll.X * 0.1f, Kernel::Rbf, kKpcaGammaDefault);
        REQUIRE(course.cols() == 300);
        REQUIRE(page.cols() == 300);
        // Same kernel matrix, so the same projections (signs fixed by the largest entry).
        CHECK((course - page).cwiseAbs().maxCoeff() < 1e-3f * course.cwiseAbs().maxCoeff());
        // The rbf view is not PCA's plane: its axes are not linear functions of the data.
        const Mat lin = project_pca(roll.X * 0.1f);
        const Eigen::RowVectorXd a = page.row(0).cast<double>(), b = lin.row(0).cast<double>();
        CHECK(std::abs(a.dot(b) / (a.norm() * b.norm())) < 0.95);
    }

    TEST_CASE("kpca view: the linear kernel gives the PCA plot; rbf separates rings that PCA cannot") {
        const Dataset roll = swiss_roll(200, 0.2, 3);
        const Mat X = roll.X * 0.1f;
        const Mat L = project_kpca(X, Kernel::Linear, 1.0), P = project_pca(X);
        for (int r = 0; r < 2; ++r) {
            CAPTURE(r);
            CHECK((L.row(r) - P.row(r)).cwiseAbs().maxCoeff() < 1e-3f);  // both: largest entry positive
        }
        std::vector<int> y;
        const Mat R = rings(150, y);
        const double s_rbf = separation(project_kpca(R, Kernel::Rbf, 0.5), 0, y);
        const double s_pca = std::max(separation(project_pca(R), 0, y), separation(project_pca(R), 1, y));
        MESSAGE("rings, component-1 separation (AUC): rbf gamma 0.5 " << s_rbf << ", PCA (best axis) " << s_pca);
        CHECK(s_rbf > 0.99);
        CHECK(s_pca < 0.7);
    }

    TEST_CASE("kpca view: refits on gamma / kernel / data changes, throttled while gamma moves; bad input is an error") {
        const Dataset roll = swiss_roll(120, 0.2, 5);
        const Mat X = roll.X * 0.1f;
        KpcaView v;
        v.max_points = 100;
        CHECK(v.update(X, 1, Kernel::Rbf, 4.0, 0.0));
        CHECK(v.points() == 100);
        CHECK(v.fits() == 1);
        const Mat first = v.layout();
        CHECK(!v.update(X, 1, Kernel::Rbf, 4.0, 1.0));        // nothing changed: no fit
        CHECK(v.update(X, 1, Kernel::Rbf, 40.0, 1.0));        // gamma changed: refit, another layout
        CHECK(v.gamma() == 40.0);
        CHECK((v.layout() - first).cwiseAbs().maxCoeff() > 1e-2f);
        CHECK(!v.update(X, 1, Kernel::Rbf, 20.0, 1.05));      // dragged again within 0.1 s: later
        CHECK(v.gamma() == 40.0);
        CHECK(v.update(X, 1, Kernel::Rbf, 20.0, 1.2));        // ... then it catches up
        CHECK(v.update(X, 2, Kernel::Rbf, 20.0, 1.21));       // new data: at once
        CHECK(v.update(X, 2, Kernel::Linear, 20.0, 1.4));
        CHECK(v.fits() == 5);
        CHECK(v.error().empty());
        // Hostile input: no throw, an error, no points; a good fit clears it.
        CHECK_THROWS_AS(project_kpca(X, Kernel::Rbf, -1.0), Error);
        CHECK_THROWS_AS(project_kpca(X.leftCols(2), Kernel::Rbf, 1.0), Error);
        Mat bad = X;
        bad(1, 7) = std::nanf("");
        CHECK(v.update(bad, 3, Kernel::Rbf, 4.0, 2.0));
        CHECK(!v.error().empty());
        CHECK(v.points() == 0);
        CHECK(v.update(X, 4, Kernel::Rbf, std::nan(""), 3.0));
        CHECK(v.error().find("gamma") != std::string::npos);
        CHECK(v.update(X, 5, Kernel::Rbf, 4.0, 4.0));
        CHECK(v.error().empty());
        CHECK(v.points() == 100);
    }

    TEST_CASE("proj and dims URL keys parse, round-trip and report bad values") {
        QueryResult r = parse_query("dataset=mnist&k=16&proj=tsne&dims=3,7");
        CHECK(r.messages.empty());
        CHECK(r.settings.proj == Projection::Tsne);
        CHECK(r.settings.dim_i == 2);
        CHECK(r.settings.dim_j == 6);
        const std::string q = to_query(r.settings);
        CHECK(q.find("proj=tsne") != std::string::npos);
        CHECK((q.find("dims=3%2C7") != std::string::npos || q.find("dims=3,7") != std::string::npos));
        CHECK(parse_query(q).settings == r.settings);
        for (const char* bad : {"proj=umap", "dims=2,2", "dims=0,1", "dims=abc", "dims=1", "dims=1,513"}) {
            CAPTURE(bad);
            QueryResult b = parse_query(bad);
            CHECK(b.messages.size() == 1);
            CHECK(b.settings.proj == Projection::Dims);
            CHECK(b.settings.dim_i == 0);
            CHECK(b.settings.dim_j == 1);
        }
        Projection p = Projection::Dims;
        for (Projection x : {Projection::Dims, Projection::Pca, Projection::Tsne, Projection::Kpca}) {
            CHECK(parse_projection(projection_key(x), &p));
            CHECK(p == x);
        }
    }

    TEST_CASE("code dims: chosen rows, out-of-range and equal dims fall back, 1-D has no y") {
        Mat Z(4, 3);
        Z << 1, 2, 3, 10, 20, 30, 100, 200, 300, 7, 8, 9;
        Mat Y = project_dims(Z, 2, 3);
        CHECK(Y(0, 1) == 200);
        CHECK(Y(1, 2) == 9);
        int i = 0, j = 0;
        resolve_dims(4, 5, 1, &i, &j);
        CHECK((i == 0 && j == 1));
        resolve_dims(4, 2, 2, &i, &j);
        CHECK((i == 2 && j == 0));
        resolve_dims(1, 0, 1, &i, &j);
        CHECK((i == 0 && j == -1));
        Y = project_dims(Z.topRows(1), 0, 1);
        CHECK(Y(0, 2) == 3);
        CHECK(Y(1, 2) == 0);
    }

    TEST_CASE("PCA of the codes: the widest direction first, centred, largest entry positive") {
        Rng rng(5, 1);
        Mat Z(3, 400);
        rng.fill_normal(Z, 1.0f);
        Z.row(0) *= 0.1f;
        Z.row(1) *= 5.0f;  // the widest axis: PC1 = +-z2
        Z.row(2) *= 2.0f;  // PC2 = +-z3
        Z.row(1).array() += 3.0f;
        const Mat Y = project_pca(Z);
        REQUIRE(Y.rows() == 2);
        CHECK(std::abs(Y.row(0).mean()) < 1e-4);
        const Eigen::RowVectorXd z1 = Z.row(1).cast<double>().array() - Z.row(1).cast<double>().mean();
        const Eigen::RowVectorXd y0 = Y.row(0).cast<double>();
        const double corr = z1.dot(y0) / (z1.norm() * y0.norm());
        CHECK(std::abs(corr) > 0.99);
        for (int r = 0; r < 2; ++r) {
            Index arg = 0;
            Y.row(r).cwiseAbs().maxCoeff(&arg);
            CHECK(Y(r, arg) > 0);
        }
        CHECK(Y.row(0).squaredNorm() > Y.row(1).squaredNorm());
    }

    TEST_CASE("live t-SNE: runs its schedule in updates, KL falls, then costs nothing; same inputs same layout") {
        const Mat Z = clusters(8, 150, 3, 11);
        LiveTsne a, b;
        a.options = b.options = small_opts();
        double kl_early = 0;
        for (int f = 0; f < 30 && !a.settled(); ++f) {
            a.update(Z, 100, 0.1 * f);
            b.update(Z, 100, 0.1 * f);
            if (f == 10) kl_early = a.kl();  // 275 iterations: just after early exaggeration
        }
        REQUIRE(a.settled());
        CHECK(a.iterations() == 300);
        CHECK(a.reads() == 1);
        CHECK(a.error().empty());
        CHECK(std::isfinite(kl_early));
        CHECK(a.kl() < kl_early);
        CHECK((a.layout().array() == b.layout().array()).all());
        CHECK(a.kl() == b.kl());
        // Paused (the model's step does not move): nothing more runs.
        a.update(Z, 100, 100.0);
        CHECK(a.iterations() == 300);
        CHECK(a.reads() == 1);
        CHECK(a.spread() > 0.1);
    }

    TEST_CASE("live t-SNE: new codes are re-read on a timer and re-settle from the layout") {
        const Mat Z = clusters(8, 150, 3, 11);
        LiveTsne t;
        t.options = small_opts();
        double now = 0;
        while (!t.settled()) t.update(Z, 1, now += 0.1);
        const MatD before = t.layout();
        Mat Z2 = Z * 1.05f;
        Z2.row(5).array() += 0.3f;
        const auto extent = [](const MatD& Y) { return (Y.rowwise().maxCoeff() - Y.rowwise().minCoeff()).maxCoeff(); };
        const auto median_move = [&](const MatD& Y) {
            Eigen::VectorXd m = (Y - before).colwise().norm().transpose();
            std::sort(m.data(), m.data() + m.size());
            return m(m.size() / 2);
        };
        t.options.max_iters_per_update = 1;
        t.update(Z2, 2, now += 1.0);  // the model moved and the timer ran out: re-read
        CHECK(t.reads() == 2);
        // One iteration after the re-read: the layout is the old one (a re-initialisation
        // would start ~1e-4 wide), not a jump.
        CHECK(median_move(t.layout()) < 0.02 * extent(before));
        t.options.max_iters_per_update = 25;
        t.update(Z2 * 1.01f, 3, now + 0.1);  // moved again, but within reread_s: no re-read
        CHECK(t.reads() == 2);
        while (!t.settled()) t.update(Z2, 3, now += 0.1);
        CHECK(t.reads() == 2);
        CHECK(t.iterations() == 360);
        // Re-settled: the median point moved by a small part of the layout's extent.
        CHECK(median_move(t.layout()) < 0.25 * extent(before));
        CHECK(extent(t.layout()) > 0.5 * extent(before));
        CHECK(t.spread() > 0.1);
    }

    TEST_CASE("live t-SNE: too few points or NaN codes stop it with an error, no throw") {
        LiveTsne t;
        t.options = small_opts();
        CHECK_NOTHROW(t.update(Mat::Zero(2, 3), 0, 0));
        CHECK(t.error().find("at least 4") != std::string::npos);
        CHECK(!t.started());
        LiveTsne u;
        u.options = small_opts();
        Mat Z = clusters(4, 40, 2, 1);
        Z(1, 7) = std::nanf("");
        CHECK_NOTHROW(u.update(Z, 0, 0));
        CHECK(!u.error().empty());
        u.reset();
        CHECK(u.error().empty());
        u.update(clusters(4, 40, 2, 1), 0, 0);
        CHECK(u.started());
        CHECK(u.points() == 40);
    }
}
