// KernelML's parametric layers (kp power form, km mean-coupled form) and the constraint
// transforms of their extra parameters: central-difference gradient checks in double of
// each form alone (input, W, b, raw alpha and beta under every transform) and inside a
// whole autoencoder (MSE and BCE); the transforms' range at extreme raw values; the
// grammar's canonical round-trip and hostile tokens; a model file round-trip; the trivial
// case (kp with alpha = beta = 1 is a dense layer with activation s). Suite "graph".
#include "test_graph_util.hpp"
#include "test_util.hpp"

#include "aelab/model.hpp"
#include "aelab/model_io.hpp"
#include "aelab/optim.hpp"

#include <cmath>
#include <limits>

using namespace aelab;
using namespace graph_test;
using aelab_test::check_error;

namespace {

LayerSpec one_layer(const std::string& token) {
    ArchSpec a = parse_arch(token);
    REQUIRE(a.layers.size() == 1);
    return a.layers[0];
}

// Random W, b; the raw alpha and beta set to ua, ub (values away from the trivial 1, 1).
VecD param_layer_params(const Layer<double>& L, std::uint64_t seed, double ua, double ub) {
    VecD p = test_params(L, seed);
    p(p.size() - 2) = ua;
    p(p.size() - 1) = ub;
    return p;
}

// f(p, X) = sum(R .* Y(p, X)); worst relative error of d/dp (every parameter, alpha and
// beta included) and d/dX against central differences.
double param_gradcheck(const std::string& token, Index d, Index B, std::uint64_t seed, double ua, double ub) {
    auto L = make_layer<double>(one_layer(token), Shape{d, 1, 1});
    VecD p = param_layer_params(*L, seed, ua, ub);
    MatD X = rand_mat(d, B, seed + 1, -1.5, 1.5);
    MatD R = rand_mat(L->out_shape().size(), B, seed + 2);
    auto value = [&](const VecD& pp, const MatD& XX) {
        L->forward(pp.data(), XX);
        return (L->output().array() * R.array()).sum();
    };
    value(p, X);
    VecD g = VecD::Zero(p.size());
    MatD dX;
    L->backward(p.data(), X, R, g.data(), &dX);
    const double e_p = gradcheck([&](const VecD& q) { return value(q, X); }, p, g);
    VecD x = Eigen::Map<const VecD>(X.data(), X.size());
    VecD gx = Eigen::Map<const VecD>(dX.data(), dX.size());
    const double e_x = gradcheck(
        [&](const VecD& q) { return value(p, Eigen::Map<const MatD>(q.data(), X.rows(), X.cols())); }, x, gx);
    // the extra parameters' gradients are not zero (they do enter the layer)
    CHECK(std::abs(g(g.size() - 2)) + std::abs(g(g.size() - 1)) > 1e-8);
    return std::max(e_p, e_x);
}

double model_gradcheck(Graph<double>& g, const MatD& X, const GraphObjective& obj) {
    g.forward_backward(X, X, obj);
    VecD grad = g.grads(), p = g.params();
    auto f = [&](const VecD& q) {
        g.params() = q;
        return g.forward_loss(X, X, obj).total;
    };
    const double e = gradcheck(f, p, grad, 1e-5);
    g.params() = p;
    return e;
}

const char* const kSmallKmAE =
    "kp5-softplus[alpha=exp,beta=sig(0.2,3)],km3-tanh[alpha=sig(0,2),beta=softplus]|km5-elu[beta=exp],d6-sigmoid";

}  // namespace

TEST_SUITE("graph") {
    TEST_CASE("graph: kp power form alone, gradients with every transform (double)") {
        struct Case { const char* tok; double ua, ub; };
        for (const Case& c : {Case{"kp3-softplus", 0.7, 0.4}, Case{"kp4-sigmoid", -1.3, 0.9},
                              Case{"kp3-softplus[alpha=exp,beta=sig(0.5,3)]", 0.2, -0.6},
                              Case{"kp4-sigmoid[alpha=sig(-2,2),beta=exp]", 0.8, -0.3},
                              Case{"kp2-softplus[alpha=softplus,beta=none]", -0.4, 1.7},
                              Case{"kp3-sigmoid[beta=none]", 1.1, 0.6}}) {
            CAPTURE(c.tok);
            CHECK(param_gradcheck(c.tok, 5, 3, 21, c.ua, c.ub) < 1e-6);
        }
    }

    TEST_CASE("graph: km mean-coupled form alone, gradients with every transform (double)") {
        struct Case { const char* tok; double ua, ub; };
        for (const Case& c : {Case{"km3", 0.7, -1.2}, Case{"km4-tanh[alpha=exp,beta=softplus]", 0.3, -0.5},
                              Case{"km3-elu[alpha=sig(0,2),beta=sig(-1,3)]", -0.9, 0.4},
                              Case{"km1-sigmoid[alpha=softplus]", 0.6, 1.4},
                              Case{"km5-selu[alpha=none,beta=exp]", -1.1, 0.2}}) {
            CAPTURE(c.tok);
            CHECK(param_gradcheck(c.tok, 4, 3, 31, c.ua, c.ub) < 1e-6);
        }
    }

    TEST_CASE("graph: an autoencoder of kp and km layers, whole-model gradient (double, MSE and BCE)") {
        Graph<double> g(Shape{6, 1, 1}, parse_arch(kSmallKmAE));
        g.init_params(5);
        // move every raw alpha and beta away from its initial value
        int k = 0;
        for (int i = 0; i < g.num_layers(); ++i)
            if (g.layer(i).kind() == LayerKind::KPower || g.layer(i).kind() == LayerKind::KMean) {
                const Index e = g.offset(i) + g.layer(i).num_params() - 2;
                g.params()(e) += 0.3 - 0.2 * k++;
                g.params()(e + 1) -= 0.25 + 0.1 * k;
            }
        CHECK(k == 3);
        CHECK(g.extra_params().size() == 6);
        MatD X = rand_mat(6, 3, 7, 0, 1);
        GraphObjective obj;
        CHECK(model_gradcheck(g, X, obj) < 1e-6);
        obj.loss = ReconLoss::BCE;
        CHECK(model_gradcheck(g, X, obj) < 1e-6);
    }

    TEST_CASE("graph: constraint transforms stay finite and in range at extreme raw values") {
        const double big = 1000;
        for (const char* t : {"none", "softplus", "exp", "sig(0,2)", "sig(-3,0.5)"}) {
            CAPTURE(t);
            const ParamTransform T = parse_param_transform(t, "test");
            for (double u : {-big, -50.0, -1.0, 0.0, 1.0, 50.0, big}) {
                CAPTURE(u);
                const double v = T.value(u), dv = T.deriv(u);
                CHECK(std::isfinite(v));
                CHECK(std::isfinite(dv));
                CHECK(dv >= 0);
                if (T.positive()) CHECK(v >= 0);
                if (T.kind == ParamTransform::Sigmoid) CHECK((v >= T.lo && v <= T.hi));
            }
            // the initial value 1 (or sig's midpoint) round-trips through the inverse
            const double one = T.kind == ParamTransform::Sigmoid && !(T.lo < 1 && 1 < T.hi) ? 0.5 * (T.lo + T.hi) : 1.0;
            CHECK(T.value(T.raw(1.0)) == doctest::Approx(one).epsilon(1e-12));
            // the derivative is the transform's slope
            for (double u : {-2.0, 0.3, 4.0})
                CHECK(T.deriv(u) == doctest::Approx((T.value(u + 1e-6) - T.value(u - 1e-6)) / 2e-6).epsilon(1e-6));
        }
        const ParamTransform sp = parse_param_transform("softplus", "t");
        CHECK(sp.value(1000) == 1000);
        CHECK(sp.value(-1000) == 0);
        const ParamTransform sg = parse_param_transform("sig(0,2)", "t");
        CHECK(sg.value(-1000) == 0);
        CHECK(sg.value(1000) == 2);
        const ParamTransform ex = parse_param_transform("exp", "t");
        CHECK(ex.value(1000) == std::exp(80.0));
        CHECK(ex.deriv(1000) == 0);
        // a layer with bounded alpha and beta at extreme raw values, its base s saturated
        // below the floor by large weights, still gives finite outputs and gradients (float)
        auto L = make_layer<float>(one_layer("kp3-sigmoid[alpha=sig(-2,2),beta=sig(0,2)]"), Shape{4, 1, 1});
        Rng r(3);
        Vec p(L->num_params());
        L->init_params(p.data(), r);
        p.head(12) *= 400.f;
        for (float ua : {-1000.f, 1000.f})
            for (float ub : {-1000.f, 1000.f}) {
                p(p.size() - 2) = ua, p(p.size() - 1) = ub;
                Mat X = rand_mat<float>(4, 2, 9, -2, 2);
                L->forward(p.data(), X);
                CHECK(L->output().allFinite());
                Vec gg = Vec::Zero(p.size());
                Mat dX;
                L->backward(p.data(), X, Mat::Ones(3, 2), gg.data(), &dX);
                CHECK(gg.allFinite());
                CHECK(dX.allFinite());
            }
    }

    TEST_CASE("graph: kp with alpha = beta = 1 and identity transforms is a dense layer with activation s") {
        for (const char* base : {"softplus", "sigmoid"}) {
            CAPTURE(base);
            auto K = make_layer<double>(one_layer(std::string("kp4-") + base + "[alpha=none,beta=none]"), Shape{5, 1, 1});
            auto D = make_layer<double>(one_layer(std::string("d4-") + base), Shape{5, 1, 1});
            Rng r1(8), r2(8);
            VecD pk(K->num_params()), pd(D->num_params());
            K->init_params(pk.data(), r1);
            D->init_params(pd.data(), r2);
            REQUIRE(pk.size() == pd.size() + 2);
            CHECK(pk.head(pd.size()) == pd);  // same layout and initial weights
            CHECK(pk(pd.size()) == 1.0);
            CHECK(pk(pd.size() + 1) == 1.0);
            pd.tail(4).setConstant(0.1);
            pk.segment(pd.size() - 4, 4).setConstant(0.1);
            MatD X = rand_mat(5, 3, 4);
            K->forward(pk.data(), X);
            D->forward(pd.data(), X);
            CHECK((K->output() - D->output()).cwiseAbs().maxCoeff() < 1e-14);
        }
        // the defaults (beta=softplus) also start at alpha = beta = 1
        auto K = make_layer<double>(one_layer("kp2-softplus"), Shape{3, 1, 1});
        Rng r(1);
        VecD p(K->num_params());
        K->init_params(p.data(), r);
        const auto ex = K->extra_params(p.data());
        REQUIRE(ex.size() == 2);
        CHECK(ex[0].value == doctest::Approx(1.0).epsilon(1e-12));
        CHECK(ex[1].value == doctest::Approx(1.0).epsilon(1e-12));
        CHECK(ex[1].transform == "softplus");
    }

    TEST_CASE("graph: kp and km tokens round-trip canonically; hostile tokens are clear errors") {
        struct RT { const char* in; const char* canon; };
        for (const RT& c : {RT{"kp8", "kp8-softplus"}, RT{"kp8-sigmoid[beta=softplus]", "kp8-sigmoid"},
                            RT{"kp8-softplus[ beta = exp , alpha=sig(0.5,2) ]", "kp8-softplus[alpha=sig(0.5,2),beta=exp]"},
                            RT{"km4", "km4"}, RT{"km4-tanh[alpha=none,beta=none]", "km4-tanh"},
                            RT{"km4-linear[beta=sig(-0.1,1e3)]", "km4[beta=sig(-0.1,1000)]"},
                            RT{"kp3-softplus[beta=none]", "kp3-softplus[beta=none]"}}) {
            CAPTURE(c.in);
            const std::string s = parse_arch(c.in).str();
            CHECK(s == c.canon);
            CHECK(parse_arch(s).str() == s);
        }
        const std::string whole = std::string(kSmallKmAE);
        const ArchSpec a = parse_arch(whole);
        CHECK(a.layers.size() == 4);
        CHECK(a.encoder_end == 2);
        CHECK(a.str() == whole);
        CHECK(parse_arch("r1x6x6,flatten,km3-elu[alpha=sig(0.1,0.3)],d36-sigmoid").layers.size() == 4);
        check_error([] { parse_arch("kp4-softplus[alpha=cube]"); }, "unknown transform 'cube'");
        check_error([] { parse_arch("kp4-softplus[alpha=sig(2,1)]"); }, "needs lo < hi");
        check_error([] { parse_arch("km4[beta=sig(1,1)]"); }, "needs lo < hi");
        check_error([] { parse_arch("km4[beta=sig(0,inf)]"); }, "not a finite number");
        check_error([] { parse_arch("km4[beta=sig(0,2]"); }, "unclosed");
        check_error([] { parse_arch("km4[beta=sig(0)]"); }, "two bounds");
        check_error([] { parse_arch("km4[gamma=exp]"); }, "unknown parameter 'gamma'");
        check_error([] { parse_arch("km4[alpha=exp,alpha=none]"); }, "alpha given twice");
        check_error([] { parse_arch("km4[]"); }, "empty []");
        check_error([] { parse_arch("km4[alpha]"); }, "name=transform");
        check_error([] { parse_arch("km4]"); }, "without its opening");
        check_error([] { parse_arch("kp0-softplus"); }, "out of range");
        check_error([] { parse_arch("kp-softplus"); }, "expected a number");
        check_error([] { parse_arch("km-3"); }, "km-3");
        check_error([] { parse_arch("kp4-relu"); }, "softplus or sigmoid");
        check_error([] { parse_arch("kp4-tanh"); }, "negative base");
        check_error([] { parse_arch("kp4[beta=sig(-1,2)]"); }, "beta > 0");
        check_error([] { parse_arch("kq4"); }, "expected kp<N>");
        check_error([] { parse_arch("d4[alpha=exp]"); }, "only the parametric layers");
        check_error([] { parse_arch("kp4[alpha=exp]x"); }, "one [...] at the end");
        check_error([] { parse_arch("km4[alpha=sig(0|1)]"); }, "'|' inside brackets");
        // a kp whose unconstrained beta reaches <= 0 refuses to run
        auto L = make_layer<double>(one_layer("kp2-softplus[beta=none]"), Shape{3, 1, 1});
        VecD p = param_layer_params(*L, 1, 0.5, -0.2);
        check_error([&] { L->forward(p.data(), rand_mat(3, 2, 1)); }, "must be > 0");
    }

    TEST_CASE("graph: a kp/km model file round-trips (arch string, parameters, extra parameters)") {
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        GraphModel m(Shape{6, 1, 1}, parse_arch(kSmallKmAE), obj);
        m.init_params(11);
        m.params()(m.params().size() - 8) = 0.375f;  // some raw value off its initial one
        // a few Adam steps so that the alpha/beta raw values move
        Mat X = rand_mat<float>(6, 8, 2, 0.05, 0.95);
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
        oc.lr = 0.05;
        auto opt = make_optimizer(oc, m.num_params());
        struct NoObjective final : Objective {
            double eval(const Vec&, Vec*) override { return std::nan(""); }
        } none;
        const std::vector<ExtraParam> before = m.graph()->extra_params();
        double first = 0, last = 0;
        for (int s = 0; s < 30; ++s) {
            const LossParts l = m.forward_backward(X, X);
            (s == 0 ? first : last) = l.total;
            opt->step(m.params(), m.grads(), l.total, none);
        }
        CHECK(last < first);
        const std::vector<ExtraParam> after = m.graph()->extra_params();
        REQUIRE(after.size() == 6);
        CHECK(after[0].name == "layer1.alpha");
        CHECK(after[5].name == "layer3.beta");
        CHECK(after[1].transform == "sig(0.2,3)");
        bool moved = false;
        for (size_t i = 0; i < after.size(); ++i) moved = moved || after[i].raw != before[i].raw;
        CHECK(moved);
        const auto bytes = save_model(m, opt.get());
        const ModelFile f = read_model(bytes);
        CHECK(f.kind == ModelKind::Graph);
        CHECK(f.graph_arch == std::string(kSmallKmAE));
        auto back = build_model(f);
        CHECK(back->arch_string() == m.arch_string());
        CHECK(back->params() == m.params());
        const std::vector<ExtraParam> loaded = back->graph()->extra_params();
        REQUIRE(loaded.size() == after.size());
        for (size_t i = 0; i < after.size(); ++i) {
            CHECK(loaded[i].name == after[i].name);
            CHECK(loaded[i].value == after[i].value);
        }
        Mat R1, R2;
        m.reconstruct(X, R1);
        back->reconstruct(X, R2);
        CHECK(R1 == R2);
    }
}
