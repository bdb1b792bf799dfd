// Layers of the layer graph, one at a time: finite-difference gradient checks in double
// (parameters and input, with strides, paddings, odd sizes and output padding), the
// convolutions against naive direct loops (float and double), max-pooling's argmax, the
// Gaussian code with a fixed eps and its KL term alone.
#include "test_graph_util.hpp"
#include "test_util.hpp"

using namespace aelab;
using namespace graph_test;

namespace {

LayerSpec spec_of(const std::string& token) {
    ArchSpec a = parse_arch(token);
    REQUIRE(a.layers.size() == 1);
    return a.layers[0];
}

// f(p, X) = sum(R .* Y(p, X)) (+ w * KL for a Gaussian code); checks d/dp and d/dX of the
// layer's backward against central differences. Returns the worst relative error.
double layer_gradcheck(const std::string& token, const Shape& in, Index B, std::uint64_t seed,
                       const MatD* eps = nullptr, double kl_weight = 0.0, double r_scale = 1.0) {
    auto L = make_layer<double>(spec_of(token), in);
    auto* gauss = dynamic_cast<GaussianCode<double>*>(L.get());
    if (gauss) gauss->set_eps(eps);
    VecD p = test_params(*L, seed);
    MatD X = rand_mat(in.size(), B, seed + 1);
    MatD R = r_scale * rand_mat(L->out_shape().size(), B, seed + 2);
    auto value = [&](const VecD& pp, const MatD& XX) {
        L->forward(pp.data(), XX);
        double v = (L->output().array() * R.array()).sum();
        if (gauss) v += kl_weight * gauss->kl();
        return v;
    };
    value(p, X);
    if (gauss) gauss->set_kl_weight(kl_weight);
    VecD g = VecD::Zero(p.size());
    MatD dX;
    L->backward(p.data(), X, R, g.data(), &dX);
    REQUIRE(dX.rows() == X.rows());
    REQUIRE(dX.cols() == X.cols());
    double e_p = p.size() ? gradcheck([&](const VecD& q) { return value(q, X); }, p, g) : 0.0;
    VecD x = Eigen::Map<const VecD>(X.data(), X.size());
    VecD gx = Eigen::Map<const VecD>(dX.data(), dX.size());
    double e_x = gradcheck(
        [&](const VecD& q) { return value(p, Eigen::Map<const MatD>(q.data(), X.rows(), X.cols())); }, x, gx);
    return std::max(e_p, e_x);
}

}  // namespace

TEST_SUITE("graph") {
    TEST_CASE("graph: dense, reshape, flatten, activation and upsampling gradients (double)") {
        CHECK(layer_gradcheck("d5-elu", Shape{2, 2, 3}, 4, 1) < 1e-6);
        CHECK(layer_gradcheck("d3-sigmoid", Shape{7, 1, 1}, 3, 2) < 1e-6);
        CHECK(layer_gradcheck("d4", Shape{6, 1, 1}, 1, 3) < 1e-6);
        CHECK(layer_gradcheck("r2x3x2", Shape{12, 1, 1}, 3, 4) < 1e-6);
        CHECK(layer_gradcheck("flatten", Shape{3, 2, 2}, 2, 5) < 1e-6);
        CHECK(layer_gradcheck("selu", Shape{2, 3, 3}, 2, 6) < 1e-6);
        CHECK(layer_gradcheck("softplus", Shape{5, 1, 1}, 2, 7) < 1e-6);
        CHECK(layer_gradcheck("u2", Shape{2, 3, 2}, 2, 8) < 1e-6);
        CHECK(layer_gradcheck("u3", Shape{1, 2, 3}, 3, 9) < 1e-6);
    }

    TEST_CASE("graph: conv2d gradients with strides, paddings and odd sizes (double)") {
        struct Case { const char* tok; Shape in; };
        for (const Case& c : {Case{"c3k3same-tanh", {2, 5, 7}}, Case{"c2k3s2same-elu", {3, 7, 6}},
                              Case{"c4k2s2valid", {1, 7, 7}}, Case{"c2k4s3valid-sigmoid", {2, 9, 8}},
                              Case{"c3k5s2same-selu", {2, 6, 6}}, Case{"c1k1", {3, 4, 5}},
                              Case{"c2k3s3same-softplus", {1, 8, 5}}}) {
            CAPTURE(c.tok);
            CAPTURE(c.in.str());
            CHECK(layer_gradcheck(c.tok, c.in, 3, 11) < 1e-6);
        }
    }

    TEST_CASE("graph: transposed conv2d gradients with strides, paddings and output padding (double)") {
        struct Case { const char* tok; Shape in; };
        for (const Case& c : {Case{"t2k3s2valid-selu", {3, 3, 3}}, Case{"t3k3s2same-tanh", {2, 4, 5}},
                              Case{"t2k3s2sameo1", {2, 3, 4}}, Case{"t2k3s2sameo0-elu", {1, 4, 3}},
                              Case{"t1k4s2same-sigmoid", {2, 3, 3}}, Case{"t2k2s3valido2", {2, 3, 2}},
                              Case{"t3k3s1same", {2, 5, 4}}, Case{"t2k1s2same", {2, 3, 3}}}) {
            CAPTURE(c.tok);
            CAPTURE(c.in.str());
            CHECK(layer_gradcheck(c.tok, c.in, 2, 12) < 1e-6);
        }
    }

    TEST_CASE("graph: max-pooling gradients (double)") {
        CHECK(layer_gradcheck("p2", Shape{2, 7, 7}, 3, 13) < 1e-6);
        CHECK(layer_gradcheck("p3s2same", Shape{2, 5, 6}, 2, 14) < 1e-6);
        CHECK(layer_gradcheck("p2s1", Shape{1, 4, 5}, 2, 15) < 1e-6);
    }

    TEST_CASE("graph: Gaussian code gradient with a fixed eps, and the mean code") {
        const Shape in{6, 1, 1};
        MatD eps = rand_mat(3, 4, 16);
        CHECK(layer_gradcheck("g3", in, 4, 17, &eps) < 1e-6);   // z = mu + sigma * eps
        CHECK(layer_gradcheck("g3", in, 4, 18, nullptr) < 1e-6);  // z = mu
        // z = mu + exp(lv / 2) * eps, entry by entry.
        auto L = make_layer<double>(spec_of("g3"), in);
        auto& G = dynamic_cast<GaussianCode<double>&>(*L);
        VecD p = test_params(*L, 19);
        MatD X = rand_mat(6, 4, 20);
        G.set_eps(&eps);
        L->forward(p.data(), X);
        MatD expect = G.mean().array() + (0.5 * G.logvar().array()).exp() * eps.array();
        CHECK((L->output() - expect).cwiseAbs().maxCoeff() < 1e-15);
        Eigen::Map<const MatD> W(p.data(), 6, 6);
        MatD H = W * X;
        H.colwise() += Eigen::Map<const VecD>(p.data() + 36, 6);
        CHECK((G.mean() - H.topRows(3)).cwiseAbs().maxCoeff() < 1e-14);
        CHECK((G.logvar() - H.bottomRows(3)).cwiseAbs().maxCoeff() < 1e-14);
        G.set_eps(nullptr);
        L->forward(p.data(), X);
        CHECK((L->output() - G.mean()).cwiseAbs().maxCoeff() == 0.0);
        MatD bad = rand_mat(2, 4, 1);
        aelab_test::check_error([&] { G.set_eps(&bad); }, "eps has 2 rows");
    }

    TEST_CASE("graph: KL term alone, value and gradient") {
        // Value: 1/2 sum(mu^2 + exp(lv) - 1 - lv) per sample, mean over the batch.
        auto L = make_layer<double>(spec_of("g2"), Shape{3, 1, 1});
        auto& G = dynamic_cast<GaussianCode<double>&>(*L);
        VecD p = test_params(*L, 21);
        MatD X = rand_mat(3, 5, 22);
        L->forward(p.data(), X);
        double expect = 0;
        for (Index j = 0; j < 5; ++j)
            for (Index i = 0; i < 2; ++i) {
                const double m = G.mean()(i, j), lv = G.logvar()(i, j);
                expect += 0.5 * (m * m + std::exp(lv) - 1 - lv);
            }
        CHECK(G.kl() == doctest::Approx(expect / 5).epsilon(1e-14));
        // KL of N(0, I) is 0.
        VecD z = VecD::Zero(p.size());
        L->forward(z.data(), X);
        CHECK(G.kl() == 0.0);
        // The gradient of KL alone (R = 0), with and without sampling.
        MatD eps = rand_mat(2, 5, 23);
        CHECK(layer_gradcheck("g2", Shape{3, 1, 1}, 5, 24, &eps, 1.0, 0.0) < 1e-6);
        CHECK(layer_gradcheck("g2", Shape{3, 1, 1}, 5, 25, nullptr, 2.5, 0.0) < 1e-6);
    }

    TEST_CASE("graph: conv2d and transposed conv2d equal naive direct loops (float and double)") {
        struct Case { const char* tok; Shape in; };
        for (const Case& c : {Case{"c3k3same", {2, 5, 7}}, Case{"c2k3s2same", {3, 7, 6}}, Case{"c4k2s2valid", {1, 7, 7}},
                              Case{"c2k4s3valid", {2, 9, 8}}, Case{"c5k5s2same", {2, 6, 6}},
                              Case{"c16k3same", {1, 28, 28}}, Case{"c32k3s2same", {4, 9, 11}}}) {
            CAPTURE(c.tok);
            const LayerSpec s = spec_of(c.tok);
            const ConvGeom g = conv_geometry(c.in, s.kernel, s.stride, s.padding);
            auto Ld = make_layer<double>(s, c.in);
            auto Lf = make_layer<float>(s, c.in);
            VecD p = test_params(*Ld, 31);
            MatD X = rand_mat(c.in.size(), 3, 32);
            Ld->forward(p.data(), X);
            MatD ref = naive_conv2d<double>(X, p.data(), p.data() + c.in.c * s.kernel * s.kernel * s.units, g, s.units);
            CHECK((Ld->output() - ref).cwiseAbs().maxCoeff() < 1e-12);
            Vec pf = p.cast<float>();
            Mat Xf = X.cast<float>();
            Lf->forward(pf.data(), Xf);
            Mat reff = naive_conv2d<float>(Xf, pf.data(), pf.data() + c.in.c * s.kernel * s.kernel * s.units, g, s.units);
            CHECK((Lf->output() - reff).cwiseAbs().maxCoeff() < 1e-4f);
        }
        for (const Case& c : {Case{"t2k3s2valid", {3, 3, 3}}, Case{"t3k3s2same", {2, 4, 5}}, Case{"t2k3s2sameo1", {2, 3, 4}},
                              Case{"t1k4s2same", {2, 3, 3}}, Case{"t2k2s3valido2", {2, 3, 2}},
                              Case{"t32k3s2valid", {64, 3, 3}}, Case{"t1k3s2same", {16, 14, 14}}}) {
            CAPTURE(c.tok);
            const LayerSpec s = spec_of(c.tok);
            const ConvGeom g = conv_transpose_geometry(c.in, s.units, s.kernel, s.stride, s.padding, s.output_padding);
            auto Ld = make_layer<double>(s, c.in);
            auto Lf = make_layer<float>(s, c.in);
            VecD p = test_params(*Ld, 33);
            const Index nk = Index(s.units) * s.kernel * s.kernel * c.in.c;
            MatD X = rand_mat(c.in.size(), 2, 34);
            Ld->forward(p.data(), X);
            MatD ref = naive_conv_transpose2d<double>(X, p.data(), p.data() + nk, g, c.in.c);
            CHECK((Ld->output() - ref).cwiseAbs().maxCoeff() < 1e-12);
            Vec pf = p.cast<float>();
            Mat Xf = X.cast<float>();
            Lf->forward(pf.data(), Xf);
            Mat reff = naive_conv_transpose2d<float>(Xf, pf.data(), pf.data() + nk, g, c.in.c);
            CHECK((Lf->output() - reff).cwiseAbs().maxCoeff() < 1e-4f);
        }
    }

    TEST_CASE("graph: the transposed convolution is the adjoint of the convolution (Keras geometry)") {
        // conv F -> C channels on 14x14 (k3 s2 SAME) gives 7x7; the transposed conv C -> F on
        // 7x7 gives 14x14 with the same kernel memory: conv's input gradient of R equals the
        // transposed conv of R (biases zero, no activation).
        for (const char* pair : {"c3k3s2same|t4k3s2same", "c3k3s2valid|t4k3s2valid", "c3k4s2same|t4k4s2same"}) {
            CAPTURE(pair);
            ArchSpec a = parse_arch(pair);
            auto conv = make_layer<double>(a.layers[0], Shape{4, 14, 14});
            const Shape mid = conv->out_shape();
            auto tconv = make_layer<double>(a.layers[1], mid);
            if (a.layers[0].padding == Padding::Valid) {
                CHECK(tconv->out_shape() == Shape{4, 13, 13});  // (6 - 1) * 2 + 3 = 13: VALID loses a row
                continue;
            }
            REQUIRE(tconv->out_shape() == Shape{4, 14, 14});
            REQUIRE(conv->num_params() == tconv->num_params() - 4 + 3);
            VecD pc = test_params(*conv, 41);
            const Index nk = 4 * Index(a.layers[0].kernel) * a.layers[0].kernel * 3;
            pc.tail(3).setZero();
            VecD pt = VecD::Zero(tconv->num_params());
            pt.head(nk) = pc.head(nk);
            MatD X = rand_mat(4 * 14 * 14, 2, 42), R = rand_mat(mid.size(), 2, 43);
            conv->forward(pc.data(), X);
            VecD g = VecD::Zero(pc.size());
            MatD dX;
            conv->backward(pc.data(), X, R, g.data(), &dX);
            tconv->forward(pt.data(), R);
            CHECK((tconv->output() - dX).cwiseAbs().maxCoeff() < 1e-12);
        }
    }

    TEST_CASE("graph: max-pooling keeps the argmax and routes the gradient to it (Keras VALID: 7 -> 3)") {
        auto L = make_layer<double>(spec_of("p2"), Shape{1, 7, 7});
        CHECK(L->out_shape() == Shape{1, 3, 3});
        MatD X = MatD::Zero(49, 1);
        // Window (oy, ox) covers rows 2oy..2oy+1, cols 2ox..2ox+1; put a known maximum in each
        // (value 10 + window index) and a larger value in the unused last row / column.
        for (int oy = 0; oy < 3; ++oy)
            for (int ox = 0; ox < 3; ++ox) {
                const int y = 2 * oy + (ox % 2), x = 2 * ox + (oy % 2);
                X(y * 7 + x, 0) = 10 + oy * 3 + ox;
            }
        X(6 * 7 + 6, 0) = 100;
        X(0 * 7 + 6, 0) = 99;
        VecD p;
        L->forward(p.data(), X);
        for (int o = 0; o < 9; ++o) CHECK(L->output()(o, 0) == 10 + o);
        MatD dY = MatD::Constant(9, 1, 1.0);
        for (int o = 0; o < 9; ++o) dY(o, 0) = 1 + o;
        MatD dX;
        L->backward(p.data(), X, dY, nullptr, &dX);
        for (int r = 0; r < 49; ++r) {
            CAPTURE(r);
            const double v = X(r, 0);
            if (v >= 10 && v < 19) CHECK(dX(r, 0) == v - 9);
            else CHECK(dX(r, 0) == 0.0);
        }
        // Ties: the first maximum in the window (row-major) takes the gradient.
        auto P = make_layer<double>(spec_of("p2"), Shape{1, 2, 2});
        MatD T = MatD::Constant(4, 1, 3.0);
        P->forward(p.data(), T);
        MatD d1 = MatD::Constant(1, 1, 1.0), dT;
        P->backward(p.data(), T, d1, nullptr, &dT);
        CHECK(dT(0, 0) == 1.0);
        CHECK(dT.bottomRows(3).cwiseAbs().sum() == 0.0);
    }

    TEST_CASE("graph: layer geometry follows Keras (conv SAME/VALID, transposed conv, pooling)") {
        auto out = [](const char* tok, Shape in) { return make_layer<float>(spec_of(tok), in)->out_shape(); };
        CHECK(out("c16k3same", Shape{1, 28, 28}) == Shape{16, 28, 28});
        CHECK(out("c8k3s2same", Shape{1, 7, 7}) == Shape{8, 4, 4});
        CHECK(out("c8k3valid", Shape{1, 7, 5}) == Shape{8, 5, 3});
        CHECK(out("c8k3s2valid", Shape{1, 7, 8}) == Shape{8, 3, 3});
        CHECK(out("p2", Shape{64, 7, 7}) == Shape{64, 3, 3});
        CHECK(out("p2same", Shape{4, 7, 7}) == Shape{4, 4, 4});
        CHECK(out("p3s1", Shape{2, 5, 5}) == Shape{2, 3, 3});
        CHECK(out("t32k3s2valid", Shape{64, 3, 3}) == Shape{32, 7, 7});
        CHECK(out("t16k3s2same", Shape{32, 7, 7}) == Shape{16, 14, 14});
        CHECK(out("t1k3s2same", Shape{16, 14, 14}) == Shape{1, 28, 28});
        CHECK(out("t4k3s2sameo0", Shape{2, 7, 7}) == Shape{4, 13, 13});
        CHECK(out("t4k3s2valido1", Shape{2, 3, 3}) == Shape{4, 8, 8});
        CHECK(out("u2", Shape{3, 7, 5}) == Shape{3, 14, 10});
        CHECK(out("d10", Shape{3, 7, 5}) == Shape{10, 1, 1});
        CHECK(out("g4", Shape{30, 1, 1}) == Shape{4, 1, 1});
        // SAME puts the smaller half of the padding first (TensorFlow): k3 s2 on 4x4 pads 0
        // before and 1 after, so with a ones kernel output (0,0) sums rows/cols 0..2 and
        // output (1,1) sums rows/cols 2..3 (PyTorch's padding=1 would give other sums).
        auto C = make_layer<double>(spec_of("c1k3s2same"), Shape{1, 4, 4});
        VecD ones = VecD::Ones(C->num_params());
        ones(9) = 0;  // bias
        MatD X(16, 1);
        for (int i = 0; i < 16; ++i) X(i, 0) = i;
        C->forward(ones.data(), X);
        CHECK(C->output()(0, 0) == 45.0);
        CHECK(C->output()(3, 0) == 10 + 11 + 14 + 15);
        // Parameter layout sizes (PyTorch's weight shapes + bias).
        CHECK(make_layer<float>(spec_of("c16k3same"), Shape{3, 8, 8})->num_params() == 16 * 3 * 9 + 16);
        CHECK(make_layer<float>(spec_of("t16k3s2same"), Shape{3, 8, 8})->num_params() == 3 * 16 * 9 + 16);
        CHECK(make_layer<float>(spec_of("g4"), Shape{5, 2, 1})->num_params() == 8 * 10 + 8);
    }
}
