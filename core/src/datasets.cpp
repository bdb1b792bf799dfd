// Synthetic data sets, subsets and scalers: see aelab/datasets.hpp.
#include "aelab/datasets.hpp"

#include "aelab/gauss2d.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace aelab {
namespace {

constexpr double kPi = 3.14159265358979323846;

void require_n(const char* fn, Index n) {
    AELAB_REQUIRE(n >= 1, std::string(fn) + ": need at least 1 sample, got n = " +
                              std::to_string(static_cast<long long>(n)));
}

void require_noise(const char* fn, double noise) {
    AELAB_REQUIRE(std::isfinite(noise) && noise >= 0.0,
                  std::string(fn) + ": noise must be a finite value >= 0, got " +
                      std::to_string(noise));
}

// Equal-width bin of v in [lo, hi] into `bins` classes (clamped at both ends).
int bin_of(double v, double lo, double hi, int bins) {
    double f = (v - lo) / (hi - lo) * bins;
    int b = static_cast<int>(std::floor(f));
    return std::min(bins - 1, std::max(0, b));
}

Dataset make_meta(const std::string& name, Index d, Index n, int num_classes) {
    Dataset ds;
    ds.X.resize(d, n);
    ds.y.assign(static_cast<std::size_t>(n), 0);
    ds.num_classes = num_classes;
    ds.name = name;
    return ds;
}

void check_labels(const char* fn, const Dataset& ds) {
    AELAB_REQUIRE(ds.y.size() == static_cast<std::size_t>(ds.X.cols()),
                  std::string(fn) + ": data set '" + ds.name + "' has " +
                      std::to_string(ds.y.size()) + " labels for " +
                      std::to_string(static_cast<long long>(ds.X.cols())) + " samples");
}

}  // namespace

// ---- synthetic sets --------------------------------------------------------------------

Dataset gaussian_2d(Index n, std::uint64_t seed) {
    require_n("gaussian_2d", n);
    AELAB_REQUIRE(seed <= kMaxNumpySeed, "gaussian_2d: numpy seeds are 0.." + std::to_string(kMaxNumpySeed) +
                                             ", got " + std::to_string(seed));
    Gauss2D g;  // the course's mu and Sigma (gauss2d.hpp)
    g.seed = static_cast<std::uint32_t>(seed);
    return sample_gauss2d(g, n);
}

Dataset curved_3d(Index n, std::uint64_t seed, double noise) {
    require_n("curved_3d", n);
    require_noise("curved_3d", noise);
    // R = Rz(pi/6) * Rx(pi/5)
    const double a = kPi / 6, b = kPi / 5;
    const double ca = std::cos(a), sa = std::sin(a), cb = std::cos(b), sb = std::sin(b);
    const double R[3][3] = {{ca, -sa * cb, sa * sb},
                            {sa, ca * cb, -ca * sb},
                            {0.0, sb, cb}};
    Dataset ds = make_meta("curved_3d", 3, n, 8);
    ds.param.resize(static_cast<std::size_t>(n));
    Rng rng(seed);
    for (Index j = 0; j < n; ++j) {
        const double t = rng.uniform(-2.0, 2.0);
        const double s = rng.uniform(-1.0, 1.0);
        double p[3] = {t, s, 0.3 * t * t};
        for (double& v : p) v += noise * rng.normal();
        for (int i = 0; i < 3; ++i)
            ds.X(i, j) = static_cast<float>(R[i][0] * p[0] + R[i][1] * p[1] + R[i][2] * p[2]);
        ds.y[j] = bin_of(t, -2.0, 2.0, 8);
        ds.param[j] = static_cast<float>(t);
    }
    return ds;
}

Dataset swiss_roll(Index n, double noise, std::uint64_t seed) {
    require_n("swiss_roll", n);
    require_noise("swiss_roll", noise);
    Dataset ds = make_meta("swiss_roll", 3, n, 8);
    ds.param.resize(static_cast<std::size_t>(n));
    Rng rng(seed);
    const double tlo = 1.5 * kPi, thi = 4.5 * kPi;
    for (Index j = 0; j < n; ++j) {
        const double t = 1.5 * kPi * (1.0 + 2.0 * rng.uniform());
        const double h = 21.0 * rng.uniform();
        double p[3] = {t * std::cos(t), h, t * std::sin(t)};
        for (double& v : p) v += noise * rng.normal();
        for (int i = 0; i < 3; ++i) ds.X(i, j) = static_cast<float>(p[i]);
        ds.y[j] = bin_of(t, tlo, thi, 8);
        ds.param[j] = static_cast<float>(t);
    }
    return ds;
}

Dataset low_rank(Index d, Index k, Index n, double noise, std::uint64_t seed, double decay,
                 LowRankTruth* truth) {
    require_n("low_rank", n);
    require_noise("low_rank", noise);
    AELAB_REQUIRE(d >= 1 && k >= 1 && k <= d,
                  "low_rank: need 1 <= k <= d, got d = " + std::to_string(static_cast<long long>(d)) +
                      ", k = " + std::to_string(static_cast<long long>(k)));
    AELAB_REQUIRE(std::isfinite(decay) && decay > 0.0,
                  "low_rank: spectrum decay must be > 0, got " + std::to_string(decay));
    Rng rng(seed);
    // Random orthonormal basis: modified Gram-Schmidt (two passes) on a Gaussian d x k
    // matrix, in plain scalar loops so both builds do the same arithmetic.
    MatD U(d, k);
    rng.fill_normal(U, 1.0);
    for (Index c = 0; c < k; ++c) {
        for (int pass = 0; pass < 2; ++pass) {
            for (Index p = 0; p < c; ++p) {
                double dot = 0.0;
                for (Index i = 0; i < d; ++i) dot += U(i, p) * U(i, c);
                for (Index i = 0; i < d; ++i) U(i, c) -= dot * U(i, p);
            }
        }
        double nrm = 0.0;
        for (Index i = 0; i < d; ++i) nrm += U(i, c) * U(i, c);
        nrm = std::sqrt(nrm);
        AELAB_REQUIRE(nrm > 1e-12, "low_rank: degenerate random basis (try another seed)");
        for (Index i = 0; i < d; ++i) U(i, c) /= nrm;
    }
    VecD sd(k);
    for (Index i = 0; i < k; ++i) sd(i) = std::pow(decay, static_cast<double>(i));

    Dataset ds = make_meta("low_rank", d, n, 1);
    VecD z(k);
    for (Index j = 0; j < n; ++j) {
        for (Index i = 0; i < k; ++i) z(i) = sd(i) * rng.normal();
        for (Index r = 0; r < d; ++r) {
            double v = 0.0;
            for (Index i = 0; i < k; ++i) v += U(r, i) * z(i);
            ds.X(r, j) = static_cast<float>(v + noise * rng.normal());
        }
    }
    if (truth) {
        truth->basis = U;
        truth->stddev = sd;
        truth->noise = noise;
    }
    return ds;
}

// ---- subsets ---------------------------------------------------------------------------

Dataset subset(const Dataset& ds, const std::vector<Index>& indices) {
    check_labels("subset", ds);
    const Index N = ds.X.cols();
    const bool has_param = ds.param.size() == static_cast<std::size_t>(N);
    Dataset out;
    out.X.resize(ds.X.rows(), static_cast<Index>(indices.size()));
    out.y.resize(indices.size());
    if (has_param) out.param.resize(indices.size());
    for (std::size_t j = 0; j < indices.size(); ++j) {
        const Index i = indices[j];
        AELAB_REQUIRE(i >= 0 && i < N, "subset: index " + std::to_string(static_cast<long long>(i)) +
                                           " out of range for data set '" + ds.name + "' of " +
                                           std::to_string(static_cast<long long>(N)) + " samples");
        out.X.col(static_cast<Index>(j)) = ds.X.col(i);
        out.y[j] = ds.y[static_cast<std::size_t>(i)];
        if (has_param) out.param[j] = ds.param[static_cast<std::size_t>(i)];
    }
    out.image_rows = ds.image_rows;
    out.image_cols = ds.image_cols;
    out.num_classes = ds.num_classes;
    out.name = ds.name;
    return out;
}

namespace {
void require_subset_size(const char* fn, const Dataset& ds, Index n) {
    AELAB_REQUIRE(n >= 0 && n <= ds.X.cols(),
                  std::string(fn) + ": asked for " + std::to_string(static_cast<long long>(n)) +
                      " samples but data set '" + ds.name + "' has " +
                      std::to_string(static_cast<long long>(ds.X.cols())));
    AELAB_REQUIRE(static_cast<std::uint64_t>(ds.X.cols()) <= 0xFFFFFFFFull,
                  std::string(fn) + ": data set too large for random subsets");
}

// Moves a uniformly random choice of m elements of v to its front (partial Fisher-Yates).
void choose_front(std::vector<Index>& v, std::size_t m, Rng& rng) {
    for (std::size_t i = 0; i < m; ++i) {
        std::size_t j = i + rng.below(static_cast<std::uint32_t>(v.size() - i));
        std::swap(v[i], v[j]);
    }
}
}  // namespace

Dataset subset_first(const Dataset& ds, Index n) {
    require_subset_size("subset_first", ds, n);
    std::vector<Index> idx(static_cast<std::size_t>(n));
    std::iota(idx.begin(), idx.end(), Index(0));
    return subset(ds, idx);
}

Dataset subset_random(const Dataset& ds, Index n, std::uint64_t seed) {
    require_subset_size("subset_random", ds, n);
    std::vector<Index> idx(static_cast<std::size_t>(ds.X.cols()));
    std::iota(idx.begin(), idx.end(), Index(0));
    Rng rng(seed);
    choose_front(idx, static_cast<std::size_t>(n), rng);
    idx.resize(static_cast<std::size_t>(n));
    std::sort(idx.begin(), idx.end());
    return subset(ds, idx);
}

Dataset subset_stratified(const Dataset& ds, Index n, std::uint64_t seed) {
    require_subset_size("subset_stratified", ds, n);
    check_labels("subset_stratified", ds);
    AELAB_REQUIRE(ds.num_classes >= 1, "subset_stratified: num_classes must be >= 1");
    const std::size_t C = static_cast<std::size_t>(ds.num_classes);
    std::vector<std::vector<Index>> members(C);
    for (std::size_t i = 0; i < ds.y.size(); ++i) {
        const int c = ds.y[i];
        AELAB_REQUIRE(c >= 0 && static_cast<std::size_t>(c) < C,
                      "subset_stratified: label " + std::to_string(c) + " of sample " +
                          std::to_string(i) + " is outside [0, " + std::to_string(C) + ")");
        members[static_cast<std::size_t>(c)].push_back(static_cast<Index>(i));
    }
    // Largest-remainder quotas, in exact integer arithmetic: quota_c = n * count_c / N.
    const std::uint64_t N = ds.y.size(), nn = static_cast<std::uint64_t>(n);
    std::vector<std::uint64_t> quota(C), rem(C);
    std::uint64_t assigned = 0;
    for (std::size_t c = 0; c < C; ++c) {
        const std::uint64_t num = nn * members[c].size();  // <= 2^32 * 2^32: fits in u64
        quota[c] = N ? num / N : 0;
        rem[c] = N ? num % N : 0;
        assigned += quota[c];
    }
    std::vector<std::size_t> order(C);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
    for (std::size_t r = 0; assigned < nn && r < C; ++r) {
        if (quota[order[r]] < members[order[r]].size()) {
            ++quota[order[r]];
            ++assigned;
        }
    }
    Rng rng(seed);
    std::vector<Index> idx;
    idx.reserve(static_cast<std::size_t>(n));
    for (std::size_t c = 0; c < C; ++c) {
        choose_front(members[c], static_cast<std::size_t>(quota[c]), rng);
        idx.insert(idx.end(), members[c].begin(),
                   members[c].begin() + static_cast<std::ptrdiff_t>(quota[c]));
    }
    std::sort(idx.begin(), idx.end());
    return subset(ds, idx);
}

// ---- scalers ---------------------------------------------------------------------------

namespace {
void require_fit_input(const char* cls, const Eigen::Ref<const Mat>& X) {
    AELAB_REQUIRE(X.rows() >= 1 && X.cols() >= 1,
                  std::string(cls) + "::fit: need a non-empty d x N matrix, got " +
                      std::to_string(static_cast<long long>(X.rows())) + " x " +
                      std::to_string(static_cast<long long>(X.cols())));
    AELAB_REQUIRE(X.allFinite(), std::string(cls) + "::fit: input contains NaN or Inf");
}
}  // namespace

MinMaxScaler::MinMaxScaler(float rmin, float rmax) : range_min(rmin), range_max(rmax) {
    AELAB_REQUIRE(rmin < rmax, "MinMaxScaler: feature_range needs min < max, got [" +
                                   std::to_string(rmin) + ", " + std::to_string(rmax) + "]");
}

void MinMaxScaler::check(const char* what, Index rows) const {
    AELAB_REQUIRE(fitted(), std::string("MinMaxScaler::") + what + ": call fit() first");
    AELAB_REQUIRE(rows == scale_.size(),
                  std::string("MinMaxScaler::") + what + ": fitted on " +
                      std::to_string(static_cast<long long>(scale_.size())) +
                      " features (rows), got " + std::to_string(static_cast<long long>(rows)));
}

MinMaxScaler& MinMaxScaler::fit(const Eigen::Ref<const Mat>& X) {
    require_fit_input("MinMaxScaler", X);
    data_min_ = X.rowwise().minCoeff();
    data_max_ = X.rowwise().maxCoeff();
    data_range_ = data_max_ - data_min_;
    const Index d = X.rows();
    scale_.resize(d);
    min_.resize(d);
    for (Index i = 0; i < d; ++i) {
        const double range = static_cast<double>(data_range_(i));
        const double s = (range > 0.0 ? (double(range_max) - double(range_min)) / range : 1.0);
        scale_(i) = static_cast<float>(s);
        min_(i) = static_cast<float>(double(range_min) - double(data_min_(i)) * s);
    }
    return *this;
}

void MinMaxScaler::transform_inplace(Eigen::Ref<Mat> X) const {
    check("transform", X.rows());
    X.array() = (X.array().colwise() * scale_.array()).colwise() + min_.array();
}

void MinMaxScaler::inverse_transform_inplace(Eigen::Ref<Mat> X) const {
    check("inverse_transform", X.rows());
    X.array() = (X.array().colwise() - min_.array()).colwise() / scale_.array();
}

Mat MinMaxScaler::transform(const Eigen::Ref<const Mat>& X) const {
    Mat out = X;
    transform_inplace(out);
    return out;
}

Mat MinMaxScaler::inverse_transform(const Eigen::Ref<const Mat>& X) const {
    Mat out = X;
    inverse_transform_inplace(out);
    return out;
}

Mat MinMaxScaler::fit_transform(const Eigen::Ref<const Mat>& X) {
    fit(X);
    return transform(X);
}

StandardScaler::StandardScaler(bool wm, bool ws) : with_mean(wm), with_std(ws) {}

void StandardScaler::check(const char* what, Index rows) const {
    AELAB_REQUIRE(fitted(), std::string("StandardScaler::") + what + ": call fit() first");
    AELAB_REQUIRE(rows == scale_.size(),
                  std::string("StandardScaler::") + what + ": fitted on " +
                      std::to_string(static_cast<long long>(scale_.size())) +
                      " features (rows), got " + std::to_string(static_cast<long long>(rows)));
}

StandardScaler& StandardScaler::fit(const Eigen::Ref<const Mat>& X) {
    require_fit_input("StandardScaler", X);
    const Index d = X.rows(), N = X.cols();
    // Two passes in double: mean, then mean squared deviation (no cancellation).
    VecD mean = VecD::Zero(d), ss = VecD::Zero(d);
    for (Index j = 0; j < N; ++j)
        for (Index i = 0; i < d; ++i) mean(i) += X(i, j);
    mean /= static_cast<double>(N);
    for (Index j = 0; j < N; ++j)
        for (Index i = 0; i < d; ++i) {
            const double t = X(i, j) - mean(i);
            ss(i) += t * t;
        }
    VecD var = ss / static_cast<double>(N);
    mean_ = with_mean ? mean.cast<float>() : Vec(Vec::Zero(d));
    var_ = var.cast<float>();
    scale_.resize(d);
    for (Index i = 0; i < d; ++i) {
        const double s = std::sqrt(var(i));
        // Constant feature: exactly zero spread, or a spread below the float resolution of
        // its mean (pure rounding noise; dividing by it would blow noise up).
        const double tiny = 4.0 * 1.1920929e-07 * std::abs(mean(i));
        scale_(i) = (!with_std || s == 0.0 || s <= tiny) ? 1.0f : static_cast<float>(s);
    }
    return *this;
}

void StandardScaler::transform_inplace(Eigen::Ref<Mat> X) const {
    check("transform", X.rows());
    X.array() = (X.array().colwise() - mean_.array()).colwise() / scale_.array();
}

void StandardScaler::inverse_transform_inplace(Eigen::Ref<Mat> X) const {
    check("inverse_transform", X.rows());
    X.array() = (X.array().colwise() * scale_.array()).colwise() + mean_.array();
}

Mat StandardScaler::transform(const Eigen::Ref<const Mat>& X) const {
    Mat out = X;
    transform_inplace(out);
    return out;
}

Mat StandardScaler::inverse_transform(const Eigen::Ref<const Mat>& X) const {
    Mat out = X;
    inverse_transform_inplace(out);
    return out;
}

Mat StandardScaler::fit_transform(const Eigen::Ref<const Mat>& X) {
    fit(X);
    return transform(X);
}

}  // namespace aelab
