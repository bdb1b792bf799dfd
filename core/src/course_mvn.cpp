// course_mvn.cpp: numpy's legacy multivariate_normal for 2-D (see aelab/course.hpp).
//
// numpy 1.24's RandomState.multivariate_normal(mean, cov, n) draws z = standard_normal((n, 2))
// (legacy gauss, row after row), then (u, s, v) = np.linalg.svd(cov) and returns
// x = z @ (sqrt(s)[:, None] * v) + mean. np.linalg.svd is LAPACK's dgesdd; for a 2x2 input it
// runs: dgebd2 (one Householder reflector from dlarfg on column 1; the others are identities),
// then dbdsdc -> dlasdq -> dbdsqr on the upper bidiagonal [[d1, e1], [0, d2]] (a negligible e1
// splits the matrix; otherwise dlasv2 gives the rotation), singular values made positive by
// negating rows of VT, sorted in decreasing order. The rotation and the signs below follow those
// steps in the same floating-point order, so s and v match numpy's bit for bit on the
// covariances we tried (see tests/unit/test_course_mvn.cpp), including diagonal, negatively
// correlated and singular ones. The product z @ A is OpenBLAS's dgemm, which on FMA hardware
// computes fma(z1, A[1][j], z0 * A[0][j]): std::fma reproduces it (numpy built on a BLAS
// without FMA differs from this in the last bit).
#include "aelab/course.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "no_fp_contract.hpp"  // numpy's rounding, bit for bit

namespace aelab {
namespace {

// Fortran's SIGN(a, b): |a| with the sign of b (b = -0.0 counts as negative, as gfortran does).
double fsign(double a, double b) { return std::signbit(b) ? -std::abs(a) : std::abs(a); }

// LAPACK's dlapy2: sqrt(x^2 + y^2) without needless overflow, in its operation order.
double lapy2(double x, double y) {
    const double xa = std::abs(x), ya = std::abs(y);
    const double w = std::max(xa, ya), z = std::min(xa, ya);
    if (z == 0 || w > std::numeric_limits<double>::max()) return w;
    const double q = z / w;
    return w * std::sqrt(1.0 + q * q);
}

struct Lasv2 {
    double ssmin, ssmax, snr, csr, snl, csl;
};

// LAPACK's dlasv2: SVD of the upper triangular [[f, g], [0, h]].
Lasv2 lasv2(double f, double g, double h) {
    const double eps = std::numeric_limits<double>::epsilon() * 0.5;  // dlamch('EPS')
    double ft = f, fa = std::abs(ft), ht = h, ha = std::abs(h);
    int pmax = 1;
    const bool swap = ha > fa;
    if (swap) {
        pmax = 3;
        std::swap(ft, ht);
        std::swap(fa, ha);
    }
    const double gt = g, ga = std::abs(gt);
    double ssmin = 0, ssmax = 0, clt = 1, crt = 1, slt = 0, srt = 0;
    if (ga == 0) {
        ssmin = ha;
        ssmax = fa;
    } else {
        bool gasmal = true;
        if (ga > fa) {
            pmax = 2;
            if (fa / ga < eps) {
                gasmal = false;
                ssmax = ga;
                ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
                clt = 1;
                slt = ht / gt;
                srt = 1;
                crt = ft / gt;
            }
        }
        if (gasmal) {
            const double d = fa - ha;
            double l = d == fa ? 1.0 : d / fa;
            const double m = gt / ft;
            double t = 2.0 - l;
            const double mm = m * m, tt = t * t;
            const double s = std::sqrt(tt + mm);
            const double r = l == 0 ? std::abs(m) : std::sqrt(l * l + mm);
            const double a = 0.5 * (s + r);
            ssmin = ha / a;
            ssmax = fa * a;
            if (mm != 0) t = (m / (s + t) + m / (r + l)) * (1.0 + a);
            else if (l == 0) t = fsign(2.0, ft) * fsign(1.0, gt);
            else t = gt / fsign(d, ft) + m / t;
            l = std::sqrt(t * t + 4.0);
            crt = 2.0 / l;
            srt = t / l;
            clt = (crt + srt * m) / a;
            slt = (ht / ft) * srt / a;
        }
    }
    Lasv2 o{};
    if (swap) {
        o.csl = srt;
        o.snl = crt;
        o.csr = slt;
        o.snr = clt;
    } else {
        o.csl = clt;
        o.snl = slt;
        o.csr = crt;
        o.snr = srt;
    }
    double tsign = 1;
    if (pmax == 1) tsign = fsign(1, o.csr) * fsign(1, o.csl) * fsign(1, f);
    if (pmax == 2) tsign = fsign(1, o.snr) * fsign(1, o.csl) * fsign(1, g);
    if (pmax == 3) tsign = fsign(1, o.snr) * fsign(1, o.snl) * fsign(1, h);
    o.ssmax = fsign(ssmax, tsign);
    o.ssmin = fsign(ssmin, tsign * fsign(1, f) * fsign(1, h));
    return o;
}

}  // namespace

NumpySvd2 numpy_svd_sym2(double c00, double c01, double c11) {
    AELAB_REQUIRE(std::isfinite(c00) && std::isfinite(c01) && std::isfinite(c11),
                  "numpy_svd_sym2: the matrix must be finite");
    // dgebd2, column 1: dlarfg(2, a11, a21) gives H = I - tau [1 v2]^T [1 v2], d1 = beta.
    const double a11 = c00, a21 = c01, a12 = c01, a22 = c11;
    double d1 = a11, e1 = a12, d2 = a22;
    if (a21 != 0) {
        const double beta = -fsign(lapy2(a11, std::abs(a21)), a11);
        const double tau = (beta - a11) / beta;
        const double v2 = a21 * (1.0 / (a11 - beta));
        d1 = beta;
        // dlarf('Left'): w = a12 + a22 v2 (dgemv), then column 2 += (-tau w) [1 v2] (dger).
        const double w = a12 + a22 * v2;
        const double t = (-tau) * w;
        e1 = a12 + t;
        d2 = a22 + t * v2;
    }
    // dbdsqr: e1 below its relative threshold splits the matrix (no rotation).
    const double eps = std::numeric_limits<double>::epsilon() * 0.5;
    const double tol = std::max(10.0, std::min(100.0, std::pow(eps, -0.125))) * eps;
    double sminoa = std::abs(d1);
    if (sminoa != 0) sminoa = std::min(sminoa, std::abs(d2) * (sminoa / (sminoa + std::abs(e1))));
    sminoa = sminoa / std::sqrt(2.0);
    const double thresh = std::max(tol * sminoa, 6.0 * (2.0 * (2.0 * std::numeric_limits<double>::min())));
    NumpySvd2 o;
    o.s[0] = d1;
    o.s[1] = d2;
    o.vt[0][0] = 1;
    o.vt[0][1] = 0;
    o.vt[1][0] = 0;
    o.vt[1][1] = 1;
    if (std::abs(e1) > thresh) {
        const Lasv2 r = lasv2(d1, e1, d2);
        o.s[0] = r.ssmax;
        o.s[1] = r.ssmin;
        // drot on the rows of VT = I.
        o.vt[0][0] = r.csr;
        o.vt[0][1] = r.snr;
        o.vt[1][0] = -r.snr;
        o.vt[1][1] = r.csr;
    }
    for (int i = 0; i < 2; ++i)
        if (o.s[i] < 0) {
            o.s[i] = -o.s[i];
            o.vt[i][0] = -o.vt[i][0];
            o.vt[i][1] = -o.vt[i][1];
        }
    if (!(o.s[1] <= o.s[0])) {
        std::swap(o.s[0], o.s[1]);
        std::swap(o.vt[0][0], o.vt[1][0]);
        std::swap(o.vt[0][1], o.vt[1][1]);
    }
    return o;
}

std::vector<double> numpy_multivariate_normal_2d(NumpyRandomState& rs, const double mean[2], double c00, double c01,
                                                 double c11, Index n) {
    AELAB_REQUIRE(n >= 0, "numpy_multivariate_normal_2d: n must be >= 0");
    AELAB_REQUIRE(std::isfinite(mean[0]) && std::isfinite(mean[1]),
                  "numpy_multivariate_normal_2d: the mean must be finite");
    std::vector<double> x(static_cast<std::size_t>(2 * n));
    for (double& z : x) z = rs.randn();  // standard_normal((n, 2)) first, as numpy does
    const NumpySvd2 svd = numpy_svd_sym2(c00, c01, c11);
    double A[2][2];
    for (int k = 0; k < 2; ++k)
        for (int j = 0; j < 2; ++j) A[k][j] = std::sqrt(svd.s[k]) * svd.vt[k][j];
    for (std::size_t i = 0; i < x.size(); i += 2) {
        const double z0 = x[i], z1 = x[i + 1];
        x[i] = std::fma(z1, A[1][0], z0 * A[0][0]) + mean[0];
        x[i + 1] = std::fma(z1, A[1][1], z0 * A[0][1]) + mean[1];
    }
    return x;
}

}  // namespace aelab
