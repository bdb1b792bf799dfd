// Tests for aelab/idx.hpp (IDX parsing, hostile inputs) and aelab/datasets.hpp
// (synthetic sets, subsets, scalers). Suite "data".
#include <doctest.h>

#include "test_util.hpp"

#include "aelab/datasets.hpp"
#include "aelab/idx.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

using namespace aelab;

namespace {

using Bytes = std::vector<std::uint8_t>;

// Hand-built IDX bytes (independent of write_idx): magic 00 00 type rank, BE dims, payload.
Bytes idx_bytes(std::uint8_t type, std::uint8_t rank, const std::vector<std::uint32_t>& dims,
                const Bytes& payload) {
    Bytes b = {0, 0, type, rank};
    for (std::uint32_t d : dims) {
        b.push_back(std::uint8_t(d >> 24));
        b.push_back(std::uint8_t(d >> 16));
        b.push_back(std::uint8_t(d >> 8));
        b.push_back(std::uint8_t(d));
    }
    b.insert(b.end(), payload.begin(), payload.end());
    return b;
}

// 3 images of 2 x 3 pixels; pixel (n, r, c) = 40 n + 10 r + c (row-major per image).
Bytes small_images() {
    Bytes px;
    for (int n = 0; n < 3; ++n)
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 3; ++c) px.push_back(std::uint8_t(40 * n + 10 * r + c));
    px[5] = 255;  // image 0, pixel (1, 2)
    return idx_bytes(0x08, 3, {3, 2, 3}, px);
}
Bytes small_labels() { return idx_bytes(0x08, 1, {3}, {7, 0, 9}); }

using aelab_test::check_error;

void parse_err(const Bytes& b, const std::string& needle, IdxLimits lim = {}) {
    check_error([&] { parse_idx(b.data(), b.size(), lim); }, needle);
}

MatD covariance(const Mat& X) {
    MatD Xd = X.cast<double>();
    VecD mu = Xd.rowwise().mean();
    MatD C = Xd.colwise() - mu;
    return (C * C.transpose()) / double(X.cols());
}

}  // namespace

TEST_SUITE("data") {

TEST_CASE("idx: valid image and label files parse with the right dims and values") {
    const Bytes im = small_images(), lb = small_labels();
    IdxArray a = parse_idx(im.data(), im.size());
    CHECK(a.type_code == 0x08);
    REQUIRE(a.dims == std::vector<std::uint32_t>{3, 2, 3});
    CHECK(a.num_items() == 3);
    REQUIRE(a.data.size() == 18);
    CHECK(a.data[0] == 0);
    CHECK(a.data[5] == 255);
    CHECK(a.data[6 + 3 + 1] == 51);  // image 1, pixel (1, 1)

    ImageSet s = load_images(im.data(), im.size());
    CHECK(s.rows == 2);
    CHECK(s.cols == 3);
    REQUIRE(s.X.rows() == 6);
    REQUIRE(s.X.cols() == 3);
    for (int n = 0; n < 3; ++n)
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 3; ++c) {
                const int v = (n == 0 && r == 1 && c == 2) ? 255 : 40 * n + 10 * r + c;
                CHECK(s.X(r * 3 + c, n) == doctest::Approx(v / 255.0).epsilon(1e-6));
            }
    CHECK(s.X.minCoeff() >= 0.0f);
    CHECK(s.X.maxCoeff() == 1.0f);

    std::vector<int> y = load_labels(lb.data(), lb.size());
    CHECK(y == std::vector<int>{7, 0, 9});

    Dataset ds = make_image_dataset(im.data(), im.size(), lb.data(), lb.size(), "tiny");
    CHECK(ds.X.rows() == 6);
    CHECK(ds.size() == 3);
    CHECK(ds.image_rows == 2);
    CHECK(ds.image_cols == 3);
    CHECK(ds.num_classes == 10);
    CHECK(ds.name == "tiny");
    CHECK(ds.y == y);
    CHECK(ds.X == s.X);

    // write_idx produces the same bytes as the hand-built file.
    CHECK(write_idx({3, 2, 3}, a.data) == im);
    // Ranks 1..4 are all accepted by the generic parser.
    Bytes r4 = idx_bytes(0x08, 4, {1, 2, 1, 2}, {1, 2, 3, 4});
    CHECK(parse_idx(r4.data(), r4.size()).dims.size() == 4);
}

TEST_CASE("idx: hostile inputs are rejected with precise messages") {
    const Bytes good = small_images();
    parse_err({}, "empty input");
    check_error([] { parse_idx(nullptr, 0); }, "empty input");
    parse_err({0, 0, 8}, "too short (3 bytes)");
    parse_err({0, 0, 8, 3, 0, 0, 0, 3, 0, 0}, "truncated header: rank 3 needs 16 header bytes, file has 10");
    // Wrong magic: not starting with two zero bytes.
    Bytes wrong = good;
    wrong[0] = 0x12;
    parse_err(wrong, "expected magic 0x000008NN");
    parse_err(wrong, "got 0x12000803");
    // gzip-compressed input gets a hint.
    Bytes gz = {0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0};
    parse_err(gz, "gzip-compressed");
    // Unsupported element types.
    Bytes f32 = good;
    f32[2] = 0x0D;
    parse_err(f32, "unsupported element type 0x0D (float32)");
    Bytes weird = good;
    weird[2] = 0x42;
    parse_err(weird, "unsupported element type 0x42");
    // Rank 0 and rank 5.
    parse_err({0, 0, 8, 0, 1, 2, 3}, "unsupported rank 0");
    parse_err(idx_bytes(0x08, 5, {1, 1, 1, 1, 1}, {0}), "unsupported rank 5");
    // Zero items / zero-size dims.
    parse_err(idx_bytes(0x08, 3, {0, 28, 28}, {}), "contains no items");
    parse_err(idx_bytes(0x08, 3, {5, 0, 28}, {}), "contains no items");
    // Absurd dims: 2^31 x 2^31 x 28 overflows 64 bits; rejected before any allocation.
    parse_err(idx_bytes(0x08, 3, {0x80000000u, 0x80000000u, 28}, {}), "more than 2^64");
    parse_err(idx_bytes(0x08, 4, {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}, {}),
              "more than 2^64");
    // Large but representable: over the element limit.
    parse_err(idx_bytes(0x08, 3, {1u << 20, 1u << 20, 28}, {}), "more than the limit");
    IdxLimits small;
    small.max_elements = 10;
    parse_err(good, "more than the limit of 10", small);
    // Header claims more data than present (plausible sizes): truncated.
    parse_err(idx_bytes(0x08, 3, {100000, 28, 28}, {1, 2, 3}),
              "truncated: header (dims 100000 x 28 x 28) says 78400000 bytes of data, file has 3");
    Bytes cut = good;
    cut.pop_back();
    parse_err(cut, "says 18 bytes of data, file has 17");
    // Trailing garbage.
    Bytes extra = good;
    extra.push_back(0xAB);
    extra.push_back(0xCD);
    parse_err(extra, "2 unexpected trailing bytes");
    // Every truncation of a valid file is rejected.
    for (std::size_t n = 0; n < good.size(); ++n) {
        CAPTURE(n);
        CHECK_THROWS_AS(parse_idx(good.data(), n), Error);
    }
}

TEST_CASE("idx: MNIST helpers check magic numbers and counts") {
    const Bytes im = small_images(), lb = small_labels();
    // Images and labels swapped.
    check_error([&] { load_images(lb.data(), lb.size()); }, "expected magic 0x00000803");
    check_error([&] { load_images(lb.data(), lb.size()); }, "got 0x00000801");
    check_error([&] { load_labels(im.data(), im.size()); }, "IDX labels: expected magic 0x00000801");
    // Rank-2 "images" are not MNIST images.
    Bytes r2 = idx_bytes(0x08, 2, {2, 3}, {1, 2, 3, 4, 5, 6});
    check_error([&] { load_images(r2.data(), r2.size()); }, "expected magic 0x00000803");
    // Structural errors carry the file kind as prefix.
    Bytes cut = lb;
    cut.pop_back();
    check_error([&] { load_labels(cut.data(), cut.size()); }, "IDX labels: IDX file: truncated");
    // Count mismatch between images and labels.
    Bytes lb4 = idx_bytes(0x08, 1, {4}, {1, 2, 3, 4});
    check_error([&] { make_image_dataset(im.data(), im.size(), lb4.data(), lb4.size(), "x"); },
                "the image file has 3 images but the label file has 4 labels");
}

TEST_CASE("datasets: gaussian_2d matches mean (-1, 2) and covariance [[4,2],[2,2]]") {
    const Index n = 10000;
    Dataset ds = gaussian_2d(n, 1234);
    REQUIRE(ds.X.rows() == 2);
    REQUIRE(ds.X.cols() == n);
    REQUIRE(ds.y.size() == std::size_t(n));
    CHECK(ds.num_classes == 4);
    // Standard errors at n = 1e4: mean_x sqrt(4/n) = 0.020, mean_y sqrt(2/n) = 0.014;
    // var_x sigma^2 sqrt(2/n) = 0.057, var_y 0.028, cov_xy sqrt((s_xx s_yy + s_xy^2)/n) =
    // 0.035. Tolerances are about 5 standard errors.
    VecD mu = ds.X.cast<double>().rowwise().mean();
    CHECK(std::abs(mu(0) + 1.0) < 0.10);
    CHECK(std::abs(mu(1) - 2.0) < 0.07);
    MatD C = covariance(ds.X);
    CHECK(std::abs(C(0, 0) - 4.0) < 0.28);
    CHECK(std::abs(C(1, 1) - 2.0) < 0.14);
    CHECK(std::abs(C(0, 1) - 2.0) < 0.17);
    // Labels are quadrants around the mean: all four occur, each roughly in proportion.
    std::vector<int> count(4, 0);
    for (int q : ds.y) {
        REQUIRE(q >= 0);
        REQUIRE(q < 4);
        ++count[q];
    }
    for (int c : count) CHECK(c > n / 10);
}

TEST_CASE("datasets: same seed gives identical data, different seed different data") {
    CHECK(gaussian_2d(500, 7).X == gaussian_2d(500, 7).X);
    CHECK(gaussian_2d(500, 7).X != gaussian_2d(500, 8).X);
    CHECK(swiss_roll(500, 0.1, 7).X == swiss_roll(500, 0.1, 7).X);
    CHECK(swiss_roll(500, 0.1, 7).X != swiss_roll(500, 0.1, 8).X);
    CHECK(curved_3d(500, 7).X == curved_3d(500, 7).X);
    CHECK(curved_3d(500, 7).y == curved_3d(500, 7).y);
    CHECK(curved_3d(500, 7).X != curved_3d(500, 8).X);
    CHECK(low_rank(8, 3, 200, 0.01, 7).X == low_rank(8, 3, 200, 0.01, 7).X);
    CHECK(low_rank(8, 3, 200, 0.01, 7).X != low_rank(8, 3, 200, 0.01, 8).X);
}

TEST_CASE("datasets: swiss_roll shape, ranges and labels") {
    const Index n = 2000;
    Dataset ds = swiss_roll(n, 0.0, 3);
    REQUIRE(ds.X.rows() == 3);
    REQUIRE(ds.X.cols() == n);
    REQUIRE(ds.param.size() == std::size_t(n));
    const double pi = 3.14159265358979323846;
    std::set<int> bins;
    for (Index j = 0; j < n; ++j) {
        const double t = ds.param[j];
        REQUIRE(t >= 1.5 * pi - 1e-5);
        REQUIRE(t <= 4.5 * pi + 1e-5);
        // Without noise, the (x, z) radius equals t and y is the height in [0, 21].
        const double r = std::hypot(double(ds.X(0, j)), double(ds.X(2, j)));
        CHECK(r == doctest::Approx(t).epsilon(1e-5));
        CHECK(ds.X(1, j) >= 0.0f);
        CHECK(ds.X(1, j) <= 21.0f);
        REQUIRE(ds.y[j] >= 0);
        REQUIRE(ds.y[j] < 8);
        CHECK(ds.y[j] == std::min(7, int((t - 1.5 * pi) / (3 * pi) * 8)));
        bins.insert(ds.y[j]);
    }
    CHECK(bins.size() == 8);
    CHECK(ds.num_classes == 8);
    CHECK(ds.X.row(0).cwiseAbs().maxCoeff() <= 4.5 * pi + 1e-4);
    CHECK(ds.X.row(2).cwiseAbs().maxCoeff() <= 4.5 * pi + 1e-4);
    // With noise the data stays close to the noiseless roll.
    Dataset noisy = swiss_roll(n, 0.5, 3);
    CHECK((noisy.X - ds.X).cwiseAbs().maxCoeff() < 0.5 * 6.5);
    CHECK_THROWS_AS(swiss_roll(0, 0.1, 1), Error);
    CHECK_THROWS_AS(swiss_roll(10, -1.0, 1), Error);
}

TEST_CASE("datasets: curved_3d is a rotated curved band with the documented spectrum") {
    const Index n = 20000;
    Dataset ds = curved_3d(n, 11, 0.0);
    REQUIRE(ds.X.rows() == 3);
    REQUIRE(ds.X.cols() == n);
    for (Index j = 0; j < n; ++j) {
        REQUIRE(ds.param[j] >= -2.0f);
        REQUIRE(ds.param[j] <= 2.0f);
        REQUIRE(ds.y[j] >= 0);
        REQUIRE(ds.y[j] < 8);
    }
    // The rotation preserves norms: |x|^2 >= t^2 + 0.09 t^4 (s^2 >= 0), <= that + 1.
    for (Index j = 0; j < n; j += 97) {
        const double t = ds.param[j], nx = ds.X.col(j).cast<double>().squaredNorm();
        CHECK(nx >= t * t + 0.09 * t * t * t * t - 1e-4);
        CHECK(nx <= t * t + 0.09 * t * t * t * t + 1.0 + 1e-4);
    }
    // Covariance eigenvalues: Var(t) = 4/3, Var(s) = 1/3, Var(0.3 t^2) = 0.09 * (16/5 - 16/9)
    // = 0.128; relative standard error ~ sqrt(2/n) = 1%, tolerance 5%.
    Eigen::SelfAdjointEigenSolver<MatD> es(covariance(ds.X));
    VecD ev = es.eigenvalues();  // ascending
    CHECK(ev(2) == doctest::Approx(4.0 / 3.0).epsilon(0.05));
    CHECK(ev(1) == doctest::Approx(1.0 / 3.0).epsilon(0.05));
    CHECK(ev(0) == doctest::Approx(0.09 * (16.0 / 5.0 - 16.0 / 9.0)).epsilon(0.05));
    // No axis is special: every principal direction mixes the coordinates.
    for (int k = 0; k < 3; ++k) CHECK(es.eigenvectors().col(k).cwiseAbs().maxCoeff() < 0.95);
}

TEST_CASE("datasets: low_rank has an orthonormal basis and the known spectrum") {
    LowRankTruth truth;
    const Index d = 10, k = 3, n = 20000;
    const double noise = 0.05, decay = 0.5;
    Dataset ds = low_rank(d, k, n, noise, 5, decay, &truth);
    REQUIRE(ds.X.rows() == d);
    REQUIRE(ds.X.cols() == n);
    REQUIRE(truth.basis.rows() == d);
    REQUIRE(truth.basis.cols() == k);
    CHECK((truth.basis.transpose() * truth.basis - MatD::Identity(k, k)).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(truth.stddev(0) == 1.0);
    CHECK(truth.stddev(2) == doctest::Approx(0.25));
    // Eigenvalues: stddev_i^2 + noise^2 for the top k, noise^2 for the rest (5% tolerance,
    // relative standard error sqrt(2/n) = 1%).
    Eigen::SelfAdjointEigenSolver<MatD> es(covariance(ds.X));
    VecD ev = es.eigenvalues().reverse();
    for (Index i = 0; i < k; ++i)
        CHECK(ev(i) == doctest::Approx(truth.stddev(i) * truth.stddev(i) + noise * noise).epsilon(0.05));
    for (Index i = k; i < d; ++i) CHECK(ev(i) == doctest::Approx(noise * noise).epsilon(0.1));
    // Noiseless data lies in span(U).
    Dataset clean = low_rank(d, k, 500, 0.0, 5, decay, &truth);
    MatD Xd = clean.X.cast<double>();
    MatD resid = Xd - truth.basis * (truth.basis.transpose() * Xd);
    CHECK(resid.cwiseAbs().maxCoeff() < 1e-5);
    CHECK_THROWS_AS(low_rank(3, 4, 10, 0.0, 1), Error);
    CHECK_THROWS_AS(low_rank(3, 0, 10, 0.0, 1), Error);
}

TEST_CASE("datasets: subsets are deterministic and keep labels with their columns") {
    Dataset ds = swiss_roll(1000, 0.0, 9);
    Dataset first = subset_first(ds, 10);
    CHECK(first.X == ds.X.leftCols(10));
    CHECK(std::equal(first.y.begin(), first.y.end(), ds.y.begin()));
    CHECK(first.num_classes == ds.num_classes);

    Dataset r1 = subset_random(ds, 100, 3), r2 = subset_random(ds, 100, 3), r3 = subset_random(ds, 100, 4);
    CHECK(r1.X == r2.X);
    CHECK(r1.X != r3.X);
    // Every chosen column is an original column with its own label and param, no repeats.
    std::set<float> seen;
    for (Index j = 0; j < r1.size(); ++j) {
        Index src = -1;
        for (Index i = 0; i < ds.size(); ++i)
            if (ds.param[i] == r1.param[j]) src = i;
        REQUIRE(src >= 0);
        CHECK(ds.X.col(src) == r1.X.col(j));
        CHECK(ds.y[src] == r1.y[j]);
        CHECK(seen.insert(r1.param[j]).second);
    }
    // Stratified: a balanced 4-class set gives exactly n/4 per class.
    Dataset g = gaussian_2d(2000, 1);
    std::vector<int> full(4, 0);
    for (int q : g.y) ++full[q];
    Dataset s = subset_stratified(g, 200, 2);
    REQUIRE(s.size() == 200);
    std::vector<int> cnt(4, 0);
    for (int q : s.y) ++cnt[q];
    for (int c = 0; c < 4; ++c) CHECK(std::abs(cnt[c] - 200.0 * full[c] / 2000.0) <= 1.0);
    CHECK(subset_stratified(g, 200, 2).X == s.X);
    CHECK(subset_stratified(g, 2000, 2).X == g.X);  // all samples, original order
    CHECK_THROWS_AS(subset_first(ds, 1001), Error);
    CHECK_THROWS_AS(subset(ds, {0, 1000}), Error);
}

TEST_CASE("datasets: scalers round-trip and handle constant features") {
    Dataset ds = gaussian_2d(500, 4);
    Mat X(4, 500);
    X.topRows(2) = ds.X;
    X.row(2).setConstant(3.5f);   // constant feature
    X.row(3) = ds.X.row(0) * 1000.0f;

    MinMaxScaler mm;
    Mat Y = mm.fit_transform(X);
    CHECK(Y.allFinite());
    for (Index i : {Index(0), Index(1), Index(3)}) {
        CHECK(Y.row(i).minCoeff() == doctest::Approx(0.0).epsilon(1e-6));
        CHECK(Y.row(i).maxCoeff() == doctest::Approx(1.0).epsilon(1e-6));
    }
    CHECK(Y.row(2).cwiseAbs().maxCoeff() == 0.0f);  // constant -> range_min
    Mat Xb = mm.inverse_transform(Y);
    CHECK((Xb - X).cwiseAbs().maxCoeff() <= 1e-5f * (1.0f + X.cwiseAbs().maxCoeff()));
    MinMaxScaler mm2(-1.0f, 1.0f);
    Mat Y2 = mm2.fit_transform(X);
    CHECK(Y2.row(0).minCoeff() == doctest::Approx(-1.0).epsilon(1e-6));
    CHECK(Y2.row(2).cwiseAbs().maxCoeff() == 1.0f);

    StandardScaler ss;
    Mat Z = ss.fit_transform(X);
    CHECK(Z.allFinite());
    for (Index i : {Index(0), Index(1), Index(3)}) {
        const double m = Z.row(i).cast<double>().mean();
        const double v = (Z.row(i).cast<double>().array() - m).square().mean();
        CHECK(std::abs(m) < 1e-5);
        CHECK(v == doctest::Approx(1.0).epsilon(1e-4));
    }
    CHECK(ss.scale_(2) == 1.0f);
    CHECK(ss.var_(2) == 0.0f);
    CHECK(Z.row(2).cwiseAbs().maxCoeff() == 0.0f);
    Mat Xs = ss.inverse_transform(Z);
    CHECK((Xs - X).cwiseAbs().maxCoeff() <= 1e-6f * (1.0f + X.cwiseAbs().maxCoeff()));

    Mat Zi = X;
    ss.transform_inplace(Zi);
    CHECK(Zi == Z);
    // Misuse.
    StandardScaler unfitted;
    check_error([&] { unfitted.transform(X); }, "call fit() first");
    check_error([&] { ss.transform(Mat::Zero(3, 5)); }, "fitted on 4 features");
    check_error([&] { mm.fit(Mat(0, 0)); }, "non-empty");
    CHECK_THROWS_AS(MinMaxScaler(1.0f, 1.0f), Error);
}

}  // TEST_SUITE("data")
