// Helpers shared by the layer-graph tests (test_graph_layers.cpp, test_graph_models.cpp):
// central finite differences in double, random matrices, and the naive direct-loop twins
// of the convolution layers.
#pragma once

#include <doctest.h>

#include "aelab/graph.hpp"
#include "aelab/layers.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace graph_test {

using namespace aelab;

// Max over coordinates of |g - g_fd| / max(1e-3, |g| + |g_fd|), central differences.
inline double gradcheck(const std::function<double(const VecD&)>& f, const VecD& p, const VecD& g, double h = 1e-6) {
    double worst = 0;
    VecD q = p;
    for (Index i = 0; i < p.size(); ++i) {
        q(i) = p(i) + h;
        const double fp = f(q);
        q(i) = p(i) - h;
        const double fm = f(q);
        q(i) = p(i);
        const double fd = (fp - fm) / (2 * h);
        worst = std::max(worst, std::abs(fd - g(i)) / std::max(1e-3, std::abs(fd) + std::abs(g(i))));
    }
    return worst;
}

template <class T = double> MatT<T> rand_mat(Index r, Index c, std::uint64_t seed, double lo = -1, double hi = 1) {
    Rng rng(seed);
    MatT<T> M(r, c);
    rng.fill_uniform(M, lo, hi);
    return M;
}

// Direct-loop Conv2D: K (C*k*k x F, row (ci*k + ky)*k + kx), b (F); X, result NCHW columns.
template <class T>
MatT<T> naive_conv2d(const MatT<T>& X, const T* K, const T* b, const ConvGeom& g, Index F) {
    const Index B = X.cols();
    MatT<T> Z = MatT<T>::Zero(F * g.ho * g.wo, B);
    for (Index j = 0; j < B; ++j)
        for (Index f = 0; f < F; ++f)
            for (Index oy = 0; oy < g.ho; ++oy)
                for (Index ox = 0; ox < g.wo; ++ox) {
                    double s = double(b[f]);
                    for (Index ci = 0; ci < g.c; ++ci)
                        for (Index ky = 0; ky < g.k; ++ky)
                            for (Index kx = 0; kx < g.k; ++kx) {
                                const Index iy = oy * g.s - g.pt + ky, ix = ox * g.s - g.pl + kx;
                                if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                                s += double(K[((ci * g.k + ky) * g.k + kx) + f * g.c * g.k * g.k]) *
                                     double(X((ci * g.h + iy) * g.w + ix, j));
                            }
                    Z((f * g.ho + oy) * g.wo + ox, j) = T(s);
                }
    return Z;
}

// Direct-loop transposed Conv2D (g from conv_transpose_geometry: image g.c x g.h x g.w is
// the output, positions g.ho x g.wo the input of C channels): every input pixel (ci, iy, ix)
// adds X * K[(f*k + ky)*k + kx, ci] to output (f, iy*s - pt + ky, ix*s - pl + kx).
template <class T>
MatT<T> naive_conv_transpose2d(const MatT<T>& X, const T* K, const T* b, const ConvGeom& g, Index C) {
    const Index B = X.cols(), F = g.c, fkk = F * g.k * g.k;
    MatD Z = MatD::Zero(F * g.h * g.w, B);
    for (Index j = 0; j < B; ++j) {
        for (Index f = 0; f < F; ++f)
            for (Index p = 0; p < g.h * g.w; ++p) Z(f * g.h * g.w + p, j) = double(b[f]);
        for (Index ci = 0; ci < C; ++ci)
            for (Index iy = 0; iy < g.ho; ++iy)
                for (Index ix = 0; ix < g.wo; ++ix)
                    for (Index f = 0; f < F; ++f)
                        for (Index ky = 0; ky < g.k; ++ky)
                            for (Index kx = 0; kx < g.k; ++kx) {
                                const Index y = iy * g.s - g.pt + ky, x = ix * g.s - g.pl + kx;
                                if (y < 0 || y >= g.h || x < 0 || x >= g.w) continue;
                                Z((f * g.h + y) * g.w + x, j) += double(K[((f * g.k + ky) * g.k + kx) + ci * fkk]) *
                                                                 double(X((ci * g.ho + iy) * g.wo + ix, j));
                            }
    }
    return Z.cast<T>();
}

// A layer's parameters for tests: its own initialisation plus random biases (so that bias
// gradients and activations away from 0 are exercised).
template <class T> VecT<T> test_params(const Layer<T>& L, std::uint64_t seed) {
    VecT<T> p(L.num_params());
    Rng rng(seed);
    L.init_params(p.data(), rng);
    for (Index i = 0; i < p.size(); ++i)
        if (p(i) == T(0)) p(i) = T(rng.uniform(-0.3, 0.3));
    return p;
}

}  // namespace graph_test
