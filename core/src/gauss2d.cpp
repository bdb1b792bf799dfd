// gauss2d.cpp: see aelab/gauss2d.hpp.
#include "aelab/gauss2d.hpp"

#include "aelab/course.hpp"
#include "aelab/model_io.hpp"
#include "aelab/text.hpp"

#include <cmath>
#include <limits>
#include <vector>

namespace aelab {

std::string validate(const Gauss2D& g) {
    const double v[5] = {g.mean[0], g.mean[1], g.c00, g.c01, g.c11};
    for (double x : v)
        if (!std::isfinite(x)) return "mean and covariance must be finite numbers";
    if (g.c00 < 0 || g.c11 < 0) return "variances (the diagonal of the covariance) cannot be negative";
    if (g.c01 * g.c01 > g.c00 * g.c11 * (1 + 1e-12))
        return "not a covariance: the off-diagonal entry squared (" + format_number(g.c01 * g.c01) +
               ") exceeds the product of the variances (" + format_number(g.c00 * g.c11) +
               "), so |correlation| would be above 1";
    return "";
}

Dataset sample_gauss2d(const Gauss2D& g, Index n) {
    AELAB_REQUIRE(n >= 1, "sample_gauss2d: n must be >= 1");
    const std::string why = validate(g);
    AELAB_REQUIRE(why.empty(), "sample_gauss2d: " + why);
    // numpy's draw; a singular Sigma (|correlation| = 1 or a zero variance) has a zero
    // singular value: the points lie on a line, as they should.
    NumpyRandomState rs(g.seed);
    const std::vector<double> x = numpy_multivariate_normal_2d(rs, g.mean, g.c00, g.c01, g.c11, n);
    Dataset ds;
    ds.X.resize(2, n);
    ds.y.resize(static_cast<std::size_t>(n));
    ds.num_classes = 4;
    ds.name = "gaussian_2d";
    ds.param.resize(static_cast<std::size_t>(n));
    for (Index j = 0; j < n; ++j) {
        const std::size_t i = static_cast<std::size_t>(j);
        const double dx = x[2 * i] - g.mean[0], dy = x[2 * i + 1] - g.mean[1];
        ds.X(0, j) = static_cast<float>(x[2 * i]);
        ds.X(1, j) = static_cast<float>(x[2 * i + 1]);
        int q;
        if (dy >= 0) q = dx >= 0 ? 0 : 1;
        else q = dx < 0 ? 2 : 3;
        ds.y[i] = q;
        ds.param[i] = static_cast<float>(std::hypot(dx, dy));
    }
    return ds;
}

namespace {

// Comma-separated decimal numbers (parse_decimal each); false on an empty or bad field.
bool parse_list(const std::string& text, std::vector<double>* out) {
    out->clear();
    std::size_t at = 0;
    while (true) {
        const std::size_t comma = text.find(',', at);
        const std::string field = text.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        double v = 0;
        if (!parse_decimal(field, &v)) return false;
        out->push_back(v);
        if (comma == std::string::npos) return true;
        at = comma + 1;
    }
}

}  // namespace

std::string parse_gauss_mean(const std::string& text, Gauss2D* g) {
    std::vector<double> v;
    if (!parse_list(text, &v) || v.size() != 2)
        return "the mean is two numbers separated by a comma, e.g. -1,2 (got '" + shorten(text, 40) + "')";
    Gauss2D t = *g;
    t.mean[0] = v[0];
    t.mean[1] = v[1];
    if (std::string why = validate(t); !why.empty()) return why;
    *g = t;
    return "";
}

std::string parse_gauss_cov(const std::string& text, Gauss2D* g) {
    std::vector<double> v;
    if (!parse_list(text, &v) || (v.size() != 3 && v.size() != 4))
        return "the covariance is c00,c01,c11 or the full matrix c00,c01,c10,c11 (numbers separated by commas, "
               "e.g. 4,2,2 or 4,2,2,2), got '" + shorten(text, 40) + "'";
    if (v.size() == 4 && v[1] != v[2])
        return "not a covariance: it must be symmetric, but c01 = " + format_number(v[1]) + " and c10 = " +
               format_number(v[2]);
    Gauss2D t = *g;
    t.c00 = v[0];
    t.c01 = v[1];
    t.c11 = v.back();
    if (std::string why = validate(t); !why.empty()) return why;
    *g = t;
    return "";
}

Gauss2DStats gauss2d_stats(const Mat& X) {
    AELAB_REQUIRE(X.rows() == 2, "gauss2d_stats: X must have 2 rows (one sample per column)");
    AELAB_REQUIRE(X.cols() >= 2, "gauss2d_stats: at least 2 samples are needed for a covariance");
    Gauss2DStats s;
    s.n = X.cols();
    double m0 = 0, m1 = 0;
    for (Index j = 0; j < s.n; ++j) {
        m0 += X(0, j);
        m1 += X(1, j);
    }
    m0 /= double(s.n);
    m1 /= double(s.n);
    double a = 0, b = 0, c = 0;
    for (Index j = 0; j < s.n; ++j) {
        const double d0 = X(0, j) - m0, d1 = X(1, j) - m1;
        a += d0 * d0;
        b += d0 * d1;
        c += d1 * d1;
    }
    a /= double(s.n - 1);
    b /= double(s.n - 1);
    c /= double(s.n - 1);
    s.mean[0] = m0;
    s.mean[1] = m1;
    s.cov[0][0] = a;
    s.cov[0][1] = s.cov[1][0] = b;
    s.cov[1][1] = c;
    // Symmetric 2x2: lambda = (a + c) / 2 +- sqrt(((a - c) / 2)^2 + b^2), both real.
    const double h = 0.5 * (a - c), r = std::hypot(h, b), t = 0.5 * (a + c);
    s.eigval[0] = t + r;
    s.eigval[1] = t - r;
    // Eigenvector of the larger eigenvalue, in the numerically stable form of the two
    // equivalent ones: (h + r, b) when a >= c, (b, r - h) otherwise.
    double v0x, v0y;
    if (r == 0) {
        v0x = 1;
        v0y = 0;  // a multiple of the identity: every direction is principal
    } else if (h >= 0) {
        v0x = h + r;
        v0y = b;
    } else {
        v0x = b;
        v0y = r - h;
    }
    const double len = std::hypot(v0x, v0y);
    v0x /= len;
    v0y /= len;
    if (v0x < 0 || (v0x == 0 && v0y < 0)) {
        v0x = -v0x;
        v0y = -v0y;
    }
    s.eigvec[0][0] = v0x;
    s.eigvec[0][1] = v0y;
    // The second is perpendicular, with the same sign rule.
    double v1x = -v0y, v1y = v0x;
    if (v1x < 0 || (v1x == 0 && v1y < 0)) {
        v1x = -v1x;
        v1y = -v1y;
    }
    s.eigvec[1][0] = v1x;
    s.eigvec[1][1] = v1y;
    const double total = s.eigval[0] + s.eigval[1];
    s.share_pc1 = total > 0 ? s.eigval[0] / total : 1.0;
    s.slope_pc1 = v0x == 0 ? std::numeric_limits<double>::infinity() : v0y / v0x;
    return s;
}

Mat project_pc1(const Mat& X, const Gauss2DStats& s) {
    AELAB_REQUIRE(X.rows() == 2, "project_pc1: X must have 2 rows (one sample per column)");
    Mat P(2, X.cols());
    const double vx = s.eigvec[0][0], vy = s.eigvec[0][1];
    for (Index j = 0; j < X.cols(); ++j) {
        const double d = (X(0, j) - s.mean[0]) * vx + (X(1, j) - s.mean[1]) * vy;
        P(0, j) = static_cast<float>(s.mean[0] + d * vx);
        P(1, j) = static_cast<float>(s.mean[1] + d * vy);
    }
    return P;
}

}  // namespace aelab
