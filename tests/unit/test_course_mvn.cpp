// test_course_mvn.cpp: numpy's legacy multivariate_normal and its 2x2 SVD (aelab/course.hpp),
// and the 2-D Gaussian built on them (aelab/gauss2d.hpp: sample_gauss2d, parse_gauss_*).
#include "aelab/course.hpp"
#include "aelab/gauss2d.hpp"

#include <doctest.h>

#include <cmath>
#include <string>

using namespace aelab;

namespace {

// Natively (glibc's log, as numpy's) the values are numpy's bit for bit; WASM's libm log()
// may differ by an ulp, so there |a - b| <= 1e-12 * max(1, |b|).
bool near(double a, double b) {
#ifdef __EMSCRIPTEN__
    return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b));
#else
    return a == b;
#endif
}

}  // namespace

TEST_SUITE("data") {
    TEST_CASE("numpy_svd_sym2: s and v (signs included) as np.linalg.svd gives them") {
        // Computed once with numpy 1.24.2 (Debian 12, OpenBLAS' LAPACK):
        //   /usr/bin/python3 -c "import numpy as np; c=(4,2,2); \
        //     print(np.linalg.svd(np.array([[c[0],c[1]],[c[1],c[2]]], dtype=float)))"
        // for each covariance below: diagonal (both orders), negative correlation, singular,
        // isotropic, zero, a zero variance, a negligible off-diagonal (LAPACK flips v0's sign
        // there but not for an exact 0), tiny entries.
        struct Case {
            double c[3], s[2], v[4];
        };
        const Case cases[] = {
            {{4, 2, 2}, {5.236067977499791, 0.7639320225002101},
             {-0.8506508083520399, -0.5257311121191336, -0.5257311121191336, 0.8506508083520399}},
            {{2, 0, 5}, {5.0, 2.0}, {0.0, 1.0, 1.0, 0.0}},
            {{5, 0, 2}, {5.0, 2.0}, {1.0, 0.0, 0.0, 1.0}},
            {{1, -0.7, 3}, {3.22065556157337, 0.7793444384266298},
             {-0.30063938487909364, 0.9537378886567945, 0.9537378886567945, 0.30063938487909364}},
            {{1, 1, 1}, {2.0, 0.0}, {-0.7071067811865476, -0.7071067811865475, -0.7071067811865475, 0.7071067811865476}},
            {{4, 2, 1}, {5.000000000000001, 0.0}, {-0.8944271909999159, -0.4472135954999579, -0.4472135954999579, 0.8944271909999159}},
            {{3, 0, 3}, {3.0, 3.0}, {1.0, 0.0, 0.0, 1.0}},
            {{0, 0, 0}, {0.0, 0.0}, {1.0, 0.0, 0.0, 1.0}},
            {{0, 0, 1}, {1.0, 0.0}, {0.0, 1.0, 1.0, 0.0}},
            {{4, 1e-20, 2}, {4.0, 2.0}, {-1.0, -0.0, 0.0, 1.0}},
            {{0.25, -0.5, 1}, {1.2500000000000002, 4.965068306494546e-17},
             {-0.447213595499958, 0.894427190999916, 0.894427190999916, 0.447213595499958}},
            {{1e-06, 3e-07, 2e-07}, {1.1e-06, 1.0000000000000001e-07},
             {-0.9486832980505138, -0.31622776601683783, -0.31622776601683783, 0.9486832980505138}},
        };
        for (const Case& k : cases) {
            CAPTURE(k.c[0]);
            CAPTURE(k.c[1]);
            CAPTURE(k.c[2]);
            const NumpySvd2 r = numpy_svd_sym2(k.c[0], k.c[1], k.c[2]);
            // Pure arithmetic and sqrt (correctly rounded everywhere): bit for bit.
            CHECK(r.s[0] == k.s[0]);
            CHECK(r.s[1] == k.s[1]);
            CHECK(r.vt[0][0] == k.v[0]);
            CHECK(r.vt[0][1] == k.v[1]);
            CHECK(r.vt[1][0] == k.v[2]);
            CHECK(r.vt[1][1] == k.v[3]);
        }
        CHECK_THROWS_AS(numpy_svd_sym2(1, std::nan(""), 1), Error);
    }

    TEST_CASE("numpy_multivariate_normal_2d: the course's rows for np.random.seed(0) and (42)") {
        // /usr/bin/python3 -c "import numpy as np; np.set_printoptions(precision=17); \
        //   np.random.seed(0); X = np.random.multivariate_normal((-1, 2), [[4, 2], [2, 2]], 10000); \
        //   print(repr(X[:3]), X[9999])"          (and the same with np.random.seed(42))
        const double mu[2] = {-1, 2};
        struct Rows {
            std::uint32_t seed;
            double first[6], last[2];
        };
        const Rows rows[] = {
            {0,
             {-4.617598900763312, 0.17535696980547688, -3.934815022271697, 2.4886716201931485, -4.186132959195804,
              -0.9732780911453003},
             {1.211249287185166, 3.031123717017803}},
            {42,
             {-1.9033198409419643, 1.299652960803161, -2.9605655455738047, 2.353196162657705, -0.436633630005817,
              2.1076070499479593},
             {-3.591019543336583, -1.265783542900857}},
        };
        for (const Rows& r : rows) {
            CAPTURE(r.seed);
            NumpyRandomState rs(r.seed);
            const std::vector<double> x = numpy_multivariate_normal_2d(rs, mu, 4, 2, 2, 10000);
            REQUIRE(x.size() == 20000);
            for (int i = 0; i < 6; ++i) CHECK(near(x[size_t(i)], r.first[i]));
            CHECK(near(x[19998], r.last[0]));
            CHECK(near(x[19999], r.last[1]));
        }
        // Other covariances (np.random.seed(s); np.random.multivariate_normal(mean, cov, n)):
        // negative correlation, diagonal with the larger variance second, singular.
        {
            NumpyRandomState rs(7);
            const double m[2] = {0.5, -3};
            const std::vector<double> x = numpy_multivariate_normal_2d(rs, m, 1, -0.7, 3, 3);
            const double want[6] = {-0.8043971111753363, -0.23016607652031995, 0.8254066627727422,
                                    -2.835667919125734,  0.927389148957792,    -4.349769016140032};
            for (int i = 0; i < 6; ++i) CHECK(near(x[size_t(i)], want[i]));
        }
        {
            NumpyRandomState rs(3);
            const double m[2] = {1, 1};
            const std::vector<double> x = numpy_multivariate_normal_2d(rs, m, 2, 0, 5, 2);
            const double want[4] = {1.617318150703508, 4.999494853081869, -1.635376654481366, 1.215774898265627};
            for (int i = 0; i < 4; ++i) CHECK(near(x[size_t(i)], want[i]));
        }
        {
            NumpyRandomState rs(5);
            const double m[2] = {0, 0};
            const std::vector<double> x = numpy_multivariate_normal_2d(rs, m, 1, 1, 1, 2);
            const double want[4] = {-0.44122748688504154, -0.44122748688504143, -2.4307711870077804, -2.43077118700778};
            for (int i = 0; i < 4; ++i) CHECK(near(x[size_t(i)], want[i]));
        }
        NumpyRandomState rs(0);
        const double bad[2] = {0, std::nan("")};
        CHECK_THROWS_AS(numpy_multivariate_normal_2d(rs, bad, 1, 0, 1, 2), Error);
        CHECK(numpy_multivariate_normal_2d(rs, mu, 1, 0, 1, 0).empty());
    }

    TEST_CASE("sample_gauss2d: numpy seed 0 gives the course's sample (eigenvalues 5.1835, 0.7425)") {
        // np.random.seed(0); X = np.random.multivariate_normal((-1, 2), [[4, 2], [2, 2]], 10000)
        // np.linalg.eigvalsh(np.cov(X.T)) -> [0.742521080086303, 5.183531512728936];
        // X.mean(0) -> [-0.9809854658692239, 2.0148758847625343]. X is stored as float here.
        const Dataset ds = sample_gauss2d(Gauss2D{}, 10000);
        const Gauss2DStats s = gauss2d_stats(ds.X);
        CHECK(std::abs(s.eigval[0] - 5.183531512728936) < 1e-5);
        CHECK(std::abs(s.eigval[1] - 0.742521080086303) < 1e-5);
        CHECK(std::abs(s.mean[0] - -0.9809854658692239) < 1e-6);
        CHECK(std::abs(s.mean[1] - 2.0148758847625343) < 1e-6);
        CHECK(ds.X(0, 0) == float(-4.617598900763312));
        // The first n points do not depend on a larger n (the page draws 11,000: the course's
        // 10,000 train, 1,000 more test).
        const Dataset more = sample_gauss2d(Gauss2D{}, 11000);
        CHECK(more.X.leftCols(10000) == ds.X);
        Gauss2D g42;
        g42.seed = 42;
        CHECK(sample_gauss2d(g42, 10).X(0, 0) == float(-1.9033198409419643));
        CHECK(gaussian_2d(10, 42).X == sample_gauss2d(g42, 10).X);
        CHECK_THROWS_AS(gaussian_2d(10, kMaxNumpySeed + 1), Error);
    }

    TEST_CASE("parse_gauss_mean / parse_gauss_cov: the CLI's --mu and --cov") {
        Gauss2D g;
        CHECK(parse_gauss_mean("0.5,-3", &g).empty());
        CHECK(g.mean[0] == 0.5);
        CHECK(g.mean[1] == -3);
        CHECK(parse_gauss_cov("1,-0.7,3", &g).empty());
        CHECK(g.c00 == 1);
        CHECK(g.c01 == -0.7);
        CHECK(g.c11 == 3);
        CHECK(parse_gauss_cov("4,2,2,2", &g).empty());  // the full matrix, row by row
        CHECK(g.c00 == 4);
        CHECK(g.c01 == 2);
        CHECK(g.c11 == 2);
        const Gauss2D before = g;
        auto unchanged = [&] {
            return g.c00 == before.c00 && g.c01 == before.c01 && g.c11 == before.c11 && g.mean[0] == before.mean[0] &&
                   g.mean[1] == before.mean[1];
        };
        CHECK(parse_gauss_cov("4,2,1,2", &g).find("symmetric") != std::string::npos);
        CHECK(parse_gauss_cov("1,2,1", &g).find("not a covariance") != std::string::npos);  // |rho| = 2
        CHECK(parse_gauss_cov("-1,0,1", &g).find("negative") != std::string::npos);
        CHECK(parse_gauss_cov("4,2", &g).find("c00,c01,c11") != std::string::npos);
        CHECK(parse_gauss_cov("4,2,x", &g).find("c00,c01,c11") != std::string::npos);
        CHECK(parse_gauss_cov("4,,2", &g).find("c00,c01,c11") != std::string::npos);
        CHECK(parse_gauss_cov("inf,0,1", &g).find("c00,c01,c11") != std::string::npos);  // parse_decimal refuses inf
        CHECK(parse_gauss_mean("1", &g).find("two numbers") != std::string::npos);
        CHECK(parse_gauss_mean("1,2,3", &g).find("two numbers") != std::string::npos);
        CHECK(parse_gauss_mean("1e999,2", &g).find("two numbers") != std::string::npos);
        CHECK(unchanged());
    }
}
