// numpy_mvn_driver.cpp: reads covariances (or draws) on stdin, prints aelab's answers, for
// tests/lib/numpy_mvn_check.py (which builds it against build/native/libaelab_core.a).
//   numpy_mvn_driver          lines "c00 c01 c11" -> "s0 s1 v00 v01 v10 v11" (numpy_svd_sym2)
//   numpy_mvn_driver mvn      lines "seed c00 c01 c11 m0 m1 n" -> 2 n values, one per line
#include "aelab/course.hpp"

#include <cstdio>

int main(int argc, char**) {
    if (argc > 1) {
        double c0, c1, c2, m[2];
        unsigned seed;
        long n;
        while (std::scanf("%u %lf %lf %lf %lf %lf %ld", &seed, &c0, &c1, &c2, &m[0], &m[1], &n) == 7) {
            aelab::NumpyRandomState rs(seed);
            for (double v : aelab::numpy_multivariate_normal_2d(rs, m, c0, c1, c2, n)) std::printf("%.17g\n", v);
        }
        return 0;
    }
    double a, b, c;
    while (std::scanf("%lf %lf %lf", &a, &b, &c) == 3) {
        const aelab::NumpySvd2 r = aelab::numpy_svd_sym2(a, b, c);
        std::printf("%.17g %.17g %.17g %.17g %.17g %.17g\n", r.s[0], r.s[1], r.vt[0][0], r.vt[0][1], r.vt[1][0],
                    r.vt[1][1]);
    }
    return 0;
}
