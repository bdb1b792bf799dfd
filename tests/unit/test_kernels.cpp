// The fused kernels of aelab/kernels.hpp against their naive references: the activation
// functions of activations.hpp (bias added with colwise()), and the textbook Adam loop.
#include <doctest.h>

#include "aelab/activations.hpp"
#include "aelab/autoencoder.hpp"
#include "aelab/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace aelab;

namespace {

template <class T> MatT<T> rnd(Index r, Index c, std::uint64_t seed, double lo, double hi) {
    Rng g(seed);
    MatT<T> M(r, c);
    g.fill_uniform(M, lo, hi);
    return M;
}

template <class T> void check_activation_kernels(T tol) {
    for (Activation a : {Activation::Identity, Activation::Sigmoid, Activation::Tanh, Activation::ReLU,
                         Activation::LeakyReLU, Activation::ELU, Activation::SELU, Activation::Softplus}) {
        CAPTURE(activation_name(a));
        // 37 x 13: odd sizes so vector tails are exercised; wide range incl. saturation.
        MatT<T> Z0 = rnd<T>(37, 13, 5, -30, 30);
        Z0.col(0).head(6) << T(0), T(-0.0), T(1e-7), T(-1e-7), T(80), T(-80);
        VecT<T> b = rnd<T>(37, 1, 6, -1, 1);
        // reference: Z += b; Y = f(Z)
        MatT<T> Zr = Z0;
        Zr.colwise() += b;
        MatT<T> Yr(37, 13);
        apply_activation<T>(a, Zr, Yr);
        // fast
        MatT<T> Zf = Z0, Yf(37, 13);
        kernels::bias_activation<T>(a, b, Zf, Yf);
        CHECK((Zf - Zr).cwiseAbs().maxCoeff() == T(0));
        for (Index i = 0; i < Yr.size(); ++i)
            CHECK(std::abs(Yf(i) - Yr(i)) <= tol * (T(1) + std::abs(Yr(i))));
        // backward: dZ = dY .* f'(Z)
        MatT<T> dY = rnd<T>(37, 13, 7, -1, 1), dZr(37, 13), dZf(37, 13);
        activation_backward<T>(a, Zr, Yr, dY, dZr);
        kernels::activation_grad<T>(a, Zr, Yr, dY, dZf);
        for (Index i = 0; i < dZr.size(); ++i)
            CHECK(std::abs(dZf(i) - dZr(i)) <= tol * (T(1) + std::abs(dZr(i))));
        // in place (dZ aliases dY), as the output layer does
        MatT<T> inplace = dY;
        kernels::activation_grad<T>(a, Zr, Yr, inplace, inplace);
        CHECK((inplace - dZf).cwiseAbs().maxCoeff() <= tol);
    }
}

}  // namespace

TEST_SUITE("layers") {
    TEST_CASE("layers: fused bias+activation and activation gradient match the reference (float, double)") {
        check_activation_kernels<float>(2e-6f);
        check_activation_kernels<double>(1e-14);
    }

    TEST_CASE("layers: ELU kernel is exact for positive inputs") {
        Mat Z(3, 1), Y(3, 1);
        Z << 0.25f, 3.0f, 1e-30f;
        Vec b = Vec::Zero(3);
        Mat Zc = Z;
        kernels::bias_activation<float>(Activation::ELU, b, Zc, Y);
        CHECK(Y(0) == 0.25f);
        CHECK(Y(1) == 3.0f);
        CHECK(Y(2) == 1e-30f);
    }

    TEST_CASE("layers: Adam kernel matches the plain loop") {
        const Index n = 5000 + 3;  // several blocks plus a tail
        Vec p = rnd<float>(n, 1, 1, -1, 1), g = rnd<float>(n, 1, 2, -1, 1);
        Vec m = rnd<float>(n, 1, 3, -0.1, 0.1), v = rnd<float>(n, 1, 4, 0, 0.01);
        const Vec p0 = p;
        Vec p2 = p, m2 = m, v2 = v;
        const float lr = 1e-3f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
        const float c1 = float(1 / (1 - std::pow(0.9, 7.0))), c2 = float(1 / (1 - std::pow(0.999, 7.0)));
        for (Index i = 0; i < n; ++i) {  // reference
            float mi = b1 * m2[i] + (1.f - b1) * g[i];
            float vi = b2 * v2[i] + (1.f - b2) * g[i] * g[i];
            m2[i] = mi;
            v2[i] = vi;
            p2[i] -= lr * (mi * c1) / (std::sqrt(vi * c2) + eps);
        }
        kernels::adam_update(p.data(), g.data(), m.data(), v.data(), n, lr, b1, b2, eps, c1, c2);
        CHECK((m - m2).cwiseAbs().maxCoeff() <= 1e-7f);
        CHECK((v - v2).cwiseAbs().maxCoeff() <= 1e-8f);
        // Same update up to float rounding: the kernel groups lr * c1 first, so allow a
        // few ulps of p plus a relative error of the step itself.
        for (Index i = 0; i < n; ++i)
            CHECK(std::abs(p[i] - p2[i]) <= 2.5e-7f * std::max(1.f, std::abs(p2[i])) + 1e-5f * std::abs(p2[i] - p0[i]));
    }

    TEST_CASE("layers: blocked gemm matches Eigen's product (all transposes, beta 0/1/0.5, ragged and strided shapes)") {
        // Shapes straddle the register tile (8 x 6), the panel depth (256) and the A block
        // (96 rows): 1, tails, and several blocks; the strided case takes a middle block
        // of a larger matrix, as the trainer does with data column blocks.
        const Index shapes[][3] = {{1, 1, 1},  {8, 6, 1},    {7, 5, 3},     {9, 7, 257},  {97, 13, 300},
                                   {100, 5, 500}, {256, 128, 784}, {5, 130, 64}, {33, 3100, 20}};
        std::uint64_t seed = 100;
        for (const auto& sh : shapes) {
            const Index m = sh[0], n = sh[1], k = sh[2];
            for (int ta = 0; ta < 2; ++ta)
                for (int tb = 0; tb < 2; ++tb)
                    for (float beta : {0.0f, 1.0f, 0.5f}) {
                        CAPTURE(m); CAPTURE(n); CAPTURE(k); CAPTURE(ta); CAPTURE(tb); CAPTURE(beta);
                        // Operands embedded in larger matrices: leading dimension > rows.
                        const Mat Abig = rnd<float>((ta ? k : m) + 3, (ta ? m : k) + 2, ++seed, -1, 1);
                        const Mat Bbig = rnd<float>((tb ? n : k) + 5, (tb ? k : n) + 1, ++seed, -1, 1);
                        const auto A = Abig.block(2, 1, ta ? k : m, ta ? m : k);
                        const auto B = Bbig.block(1, 0, tb ? n : k, tb ? k : n);
                        const Mat C0 = rnd<float>(m, n, ++seed, -1, 1);
                        const MatD Ad = A.cast<double>(), Bd = B.cast<double>();
                        const MatD ref = (ta ? MatD(Ad.transpose()) : Ad) * (tb ? MatD(Bd.transpose()) : Bd) +
                                         double(beta) * C0.cast<double>();
                        Mat Cbig = Mat::Constant(m + 4, n + 2, 7.0f);  // guard entries around C
                        Cbig.block(2, 1, m, n) = C0;
                        kernels::gemm_blocked(ta, tb, m, n, k, A.data(), Abig.outerStride(), B.data(),
                                              Bbig.outerStride(), beta, Cbig.data() + 2 + Cbig.outerStride(),
                                              Cbig.outerStride());
                        const double err = (Cbig.block(2, 1, m, n).cast<double>() - ref).cwiseAbs().maxCoeff();
                        CHECK(err <= 1e-5 * double(k) + 1e-6);
                        // nothing outside C was written
                        Mat guard = Cbig;
                        guard.block(2, 1, m, n).setConstant(7.0f);
                        CHECK((guard.array() == 7.0f).all());
                        // the dispatching entry point gives the same result on this platform
                        Mat C2 = C0;
                        kernels::gemm<float>(ta, tb, A, B, beta, C2);
                        CHECK((C2.cast<double>() - ref).cwiseAbs().maxCoeff() <= 1e-5 * double(k) + 1e-6);
                    }
        }
        Mat C(3, 3);
        CHECK_THROWS_AS(kernels::gemm<float>(false, false, Mat::Ones(3, 4), Mat::Ones(3, 3), 0.0f, C), Error);
        // NaN in C with beta = 0 is overwritten, not propagated (BLAS semantics).
        Mat Cn = Mat::Constant(4, 4, std::numeric_limits<float>::quiet_NaN());
        const Mat I4 = Mat::Identity(4, 4);
        kernels::gemm_blocked(false, false, 4, 4, 4, I4.data(), 4, I4.data(), 4, 0.0f, Cn.data(), 4);
        CHECK(Cn.isApprox(I4));
    }

    TEST_CASE("layers: all_finite finds a NaN or Inf anywhere") {
        Vec x = rnd<float>(10000, 1, 9, -1e30, 1e30);
        CHECK(kernels::all_finite(x.data(), x.size()));
        CHECK(kernels::all_finite(x.data(), 0));
        for (Index at : {Index(0), Index(4095), Index(4096), Index(9999)}) {
            for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity()}) {
                Vec y = x;
                y[at] = bad;
                CHECK_FALSE(kernels::all_finite(y.data(), y.size()));
            }
        }
    }

    TEST_CASE("layers: untied gradients are written, not accumulated (two calls give the same gradient)") {
        AEConfig c = AEConfig::from_arch("12-7-3");
        c.hidden_act = Activation::ELU;
        Autoencoder<float> ae(c);
        ae.init_params(3);
        Mat X = rnd<float>(12, 9, 4, 0, 1);
        ae.forward_backward(X, X);
        Vec g1 = ae.grads();
        ae.forward_backward(X, X);
        CHECK((ae.grads() - g1).cwiseAbs().maxCoeff() == 0.f);
        c.tied = true;
        Autoencoder<float> tied(c);
        tied.init_params(3);
        tied.forward_backward(X, X);
        Vec t1 = tied.grads();
        tied.forward_backward(X, X);
        CHECK((tied.grads() - t1).cwiseAbs().maxCoeff() == 0.f);
    }
}
