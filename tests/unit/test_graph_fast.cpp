// Fast paths of the layer graph's kernels against naive twins (suite graph): the 2x2 /
// stride-2 max-pooling (MaxPool2D's forward_2x2) against a direct window loop, values and
// argmax (through backward's gradient routing), with ties and odd sizes, in float and double;
// the general path (SAME pooling, 3x3 windows) against the same loop.
#include "test_graph_util.hpp"
#include "test_util.hpp"

#include <cmath>

using namespace aelab;
using namespace graph_test;

namespace {

// Direct-loop max-pooling (Keras geometry, windows clipped at the border): Z and, for each
// output, the input row of the first maximum in row-major order.
template <class T>
void naive_max_pool(const MatT<T>& X, const ConvGeom& g, MatT<T>& Z, Eigen::MatrixXi& arg) {
    const Index B = X.cols(), P = g.ho * g.wo;
    Z.resize(g.c * P, B);
    arg.resize(g.c * P, B);
    for (Index j = 0; j < B; ++j)
        for (Index c = 0; c < g.c; ++c)
            for (Index oy = 0; oy < g.ho; ++oy)
                for (Index ox = 0; ox < g.wo; ++ox) {
                    bool first = true;
                    T best = 0;
                    Index bi = -1;
                    for (Index ky = 0; ky < g.k; ++ky)
                        for (Index kx = 0; kx < g.k; ++kx) {
                            const Index y = oy * g.s - g.pt + ky, x = ox * g.s - g.pl + kx;
                            if (y < 0 || y >= g.h || x < 0 || x >= g.w) continue;
                            const Index r = (c * g.h + y) * g.w + x;
                            if (first || X(r, j) > best) {
                                best = X(r, j);
                                bi = r;
                                first = false;
                            }
                        }
                    Z(c * P + oy * g.wo + ox, j) = best;
                    arg(c * P + oy * g.wo + ox, j) = int(bi);
                }
}

template <class T> void check_pool(const char* tok, const Shape& in, std::uint64_t seed) {
    CAPTURE(tok);
    CAPTURE(in.str());
    const LayerSpec s = parse_arch(tok).layers[0];
    const ConvGeom g = conv_geometry(in, s.kernel, s.stride == 0 ? s.kernel : s.stride, s.padding);
    auto L = make_layer<T>(s, in);
    REQUIRE(L->out_shape() == (Shape{in.c, g.ho, g.wo}));
    // Values on a coarse grid (many ties inside windows) and a few negative ones.
    MatT<T> X = rand_mat<T>(in.size(), 3, seed, -2, 2);
    for (Index i = 0; i < X.size(); ++i) X.data()[i] = std::round(X.data()[i] * T(2)) / T(2);
    MatT<T> Zref;
    Eigen::MatrixXi arg;
    naive_max_pool<T>(X, g, Zref, arg);
    VecT<T> p;
    L->forward(p.data(), X);
    CHECK(L->output() == Zref);
    // backward routes dY(o) to the argmax row: distinct dY values make the argmax visible.
    MatT<T> dY(L->out_shape().size(), 3), dX, ref = MatT<T>::Zero(in.size(), 3);
    for (Index i = 0; i < dY.size(); ++i) dY.data()[i] = T(i + 1);
    for (Index j = 0; j < 3; ++j)
        for (Index o = 0; o < dY.rows(); ++o) ref(arg(o, j), j) += dY(o, j);
    L->backward(p.data(), X, dY, nullptr, &dX);
    CHECK(dX == ref);
}

}  // namespace

TEST_SUITE("graph") {
    TEST_CASE("graph: 2x2 max-pooling fast path equals a naive window loop (values, argmax, ties, odd sizes)") {
        for (const Shape& in : {Shape{1, 7, 7}, Shape{16, 28, 28}, Shape{3, 6, 5}, Shape{2, 2, 2}, Shape{4, 9, 4},
                                Shape{2, 3, 3}}) {
            check_pool<double>("p2", in, 51);
            check_pool<float>("p2", in, 52);
        }
    }

    TEST_CASE("graph: general max-pooling (SAME, 3x3 windows, stride 1) equals a naive window loop") {
        for (const char* tok : {"p2same", "p3s2valid", "p3s2same", "p2s1valid", "p3s1same"})
            for (const Shape& in : {Shape{2, 7, 7}, Shape{3, 6, 5}, Shape{1, 4, 9}}) {
                check_pool<double>(tok, in, 53);
                check_pool<float>(tok, in, 54);
            }
    }
}
