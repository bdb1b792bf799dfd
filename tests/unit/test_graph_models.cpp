// Whole layer graphs: the dense autoencoder as a graph, gradient checks of a conv AE, a
// VAE and a conv VAE (recon + beta * KL), the course conv AE's shapes, float vs double,
// hostile architecture strings, and short trainings with core's Adam (loss falls; beta
// trades KL against reconstruction).
#include "test_graph_util.hpp"
#include "test_util.hpp"

#include "aelab/autoencoder.hpp"
#include "aelab/model.hpp"
#include "aelab/optim.hpp"
#include "aelab/trainer.hpp"

using namespace aelab;
using namespace graph_test;

namespace {

double model_gradcheck(Graph<double>& g, const MatD& X, const GraphObjective& obj, const MatD* eps = nullptr) {
    g.forward_backward(X, X, obj, eps);
    VecD grad = g.grads(), p = g.params();
    auto f = [&](const VecD& q) {
        g.params() = q;
        return g.forward_loss(X, X, obj, eps).total;
    };
    const double e = gradcheck(f, p, grad, 1e-5);  // per-sample sums are ~25: h = 1e-6 leaves ~3e-6 of round-off
    g.params() = p;
    return e;
}

// n images h x w in (0, 1): a bright random rectangle on a dark background, plus noise.
Mat rect_images(Index n, Index h, Index w, std::uint64_t seed) {
    Rng r(seed);
    Mat X(h * w, n);
    for (Index j = 0; j < n; ++j) {
        const Index y0 = r.below(h / 2), x0 = r.below(w / 2);
        const Index y1 = y0 + 2 + r.below(h / 2), x1 = x0 + 2 + r.below(w / 2);
        for (Index y = 0; y < h; ++y)
            for (Index x = 0; x < w; ++x) {
                const bool in = y >= y0 && y < y1 && x >= x0 && x < x1;
                X(y * w + x, j) = float((in ? 0.9 : 0.1) + r.uniform(-0.05, 0.05));
            }
    }
    return X;
}

// Adam (core's optimizer) on a graph: `steps` minibatches of `batch` in a fixed cyclic
// order; returns the batch losses (total).
struct NoObjective final : Objective {
    double eval(const Vec&, Vec*) override { return std::nan(""); }
};
std::vector<double> train(Graph<float>& g, const Mat& X, const GraphObjective& obj, int steps, Index batch,
                          double lr, std::uint64_t seed) {
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    oc.lr = lr;
    auto opt = make_optimizer(oc, g.num_params());
    NoObjective none;
    Rng rng(seed, 7);
    std::vector<double> losses;
    Mat eps;
    for (int s = 0; s < steps; ++s) {
        const Index start = (Index(s) * batch) % (X.cols() - batch + 1);
        auto B = X.middleCols(start, batch);
        if (g.gaussian()) g.sample_eps(rng, batch, eps);
        GraphLossParts l = g.forward_backward(B, B, obj, g.gaussian() ? &eps : nullptr);
        losses.push_back(l.total);
        opt->step(g.params(), g.grads(), l.total, none);
    }
    return losses;
}

double mean_of(const std::vector<double>& v, size_t from, size_t to) {
    double s = 0;
    for (size_t i = from; i < to; ++i) s += v[i];
    return s / double(to - from);
}

const char* kTinyConvAE = "r1x8x8,c4k3same-selu,p2,c8k3same-selu,p2|t8k3s2same-selu,t1k3s2same-sigmoid,flatten";

}  // namespace

TEST_SUITE("graph") {
    TEST_CASE("graph: a graph of dense layers is the dense autoencoder (same layout, init, loss, gradient)") {
        AEConfig c = AEConfig::from_arch("6-5-3");
        c.hidden_act = Activation::ELU;
        c.output_act = Activation::Sigmoid;
        c.loss = ReconLoss::BCE;
        Autoencoder<double> ae(c);
        ae.init_params(9);
        Graph<double> g(Shape{6, 1, 1}, parse_arch("d5-elu,d3,d5-elu,d6-sigmoid"));
        g.init_params(9);
        CHECK(g.encoder_layers() == 2);  // the bottleneck d3
        REQUIRE(g.num_params() == ae.num_params());
        CHECK(aelab_test::same_bits(g.params(), ae.params()));
        MatD X = rand_mat(6, 5, 10, 0, 1);
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        LossParts a = ae.forward_backward(X, X);
        GraphLossParts b = g.forward_backward(X, X, obj);
        CHECK(b.recon == doctest::Approx(a.recon).epsilon(1e-14));
        CHECK(b.mse == doctest::Approx(a.mse).epsilon(1e-14));
        CHECK(b.kl == 0.0);
        CHECK((g.grads() - ae.grads()).cwiseAbs().maxCoeff() < 1e-14);
        MatD Za, Zg;
        ae.encode(X, Za);
        g.encode(X, Zg);
        CHECK((Za - Zg).cwiseAbs().maxCoeff() < 1e-14);
    }

    TEST_CASE("graph: whole conv autoencoder gradient (double, MSE and BCE)") {
        Graph<double> g(Shape{36, 1, 1},
                        parse_arch("r1x6x6,c2k3same-tanh,p2,c3k3s1same-elu|t2k3s2same-selu,t1k3s1same-sigmoid,flatten"));
        g.init_params(3);
        CHECK(g.output_shape() == Shape{36, 1, 1});
        MatD X = rand_mat(36, 2, 4, 0, 1);
        GraphObjective obj;
        CHECK(model_gradcheck(g, X, obj) < 1e-6);
        obj.loss = ReconLoss::BCE;
        CHECK(model_gradcheck(g, X, obj) < 1e-6);
        obj.sum_per_sample = true;
        CHECK(model_gradcheck(g, X, obj) < 1e-6);
    }

    TEST_CASE("graph: VAE and conv VAE gradients, loss = recon + beta * KL with a fixed eps (double)") {
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        obj.sum_per_sample = true;
        obj.beta = 0.7;
        {
            Graph<double> g(Shape{10, 1, 1}, parse_arch("d6-tanh,g2,d6-elu,d10-sigmoid"));
            g.init_params(5);
            CHECK(g.encoder_layers() == 2);
            Rng rng(6);
            MatD eps;
            g.sample_eps(rng, 4, eps);
            MatD X = rand_mat(10, 4, 7, 0, 1);
            CHECK(model_gradcheck(g, X, obj, &eps) < 1e-6);
            CHECK(model_gradcheck(g, X, obj) < 1e-6);  // mean code
            GraphLossParts l = g.forward_loss(X, X, obj, &eps);
            CHECK(l.kl > 0);
            // encode() gives the mean code, whatever eps the last training forward used.
            MatD Z;
            g.encode(X, Z);
            CHECK((Z - g.gaussian()->mean()).cwiseAbs().maxCoeff() == 0.0);
            g.forward(X);
            CHECK((g.layer(1).output() - Z).cwiseAbs().maxCoeff() == 0.0);
            CHECK(l.total == doctest::Approx(l.recon + 0.7 * l.kl).epsilon(1e-14));
        }
        {
            Graph<double> g(Shape{36, 1, 1},
                            parse_arch("r1x6x6,c2k3s2same-tanh,flatten,g2,d18-elu,r2x3x3,t1k3s2same-sigmoid,flatten"));
            g.init_params(8);
            CHECK(g.code_shape() == Shape{2, 1, 1});
            Rng rng(9);
            MatD eps;
            g.sample_eps(rng, 3, eps);
            MatD X = rand_mat(36, 3, 10, 0, 1);
            CHECK(model_gradcheck(g, X, obj, &eps) < 1e-6);
            obj.loss = ReconLoss::MSE;
            obj.beta = 2.0;
            CHECK(model_gradcheck(g, X, obj, &eps) < 1e-6);
        }
    }

    TEST_CASE("graph: the course conv AE's shapes (28 -> 14 -> 7 -> 3 -> 7 -> 14 -> 28) and parameters") {
        Graph<float> g(Shape{784, 1, 1}, parse_arch(kCourseConvAE));
        const std::vector<Shape> expect = {{1, 28, 28}, {16, 28, 28}, {16, 14, 14}, {32, 14, 14}, {32, 7, 7},
                                           {64, 7, 7},  {64, 3, 3},   {32, 7, 7},   {16, 14, 14}, {1, 28, 28},
                                           {784, 1, 1}};
        REQUIRE(g.num_layers() == int(expect.size()));
        for (int i = 0; i < g.num_layers(); ++i) {
            CAPTURE(i);
            CHECK(g.layer(i).out_shape() == expect[i]);
        }
        CHECK(g.encoder_layers() == 7);
        CHECK(g.code_shape() == Shape{64, 3, 3});
        // Keras' summary: encoder 160 + 4,640 + 18,496; decoder 18,464 + 4,624 + 145.
        CHECK(g.num_params() == 160 + 4640 + 18496 + 18464 + 4624 + 145);
        CHECK(g.layer(9).activation() == Activation::Sigmoid);
        CHECK(g.output_activation() == Activation::Sigmoid);
        g.init_params(1);
        Mat X = rect_images(3, 28, 28, 2);
        const Mat& Y = g.forward(X);
        CHECK(Y.rows() == 784);
        CHECK(Y.minCoeff() > 0.f);
        CHECK(Y.maxCoeff() < 1.f);
        Mat Z, Xh, Xr;
        g.encode(X, Z, 2);
        CHECK(Z.rows() == 576);
        g.decode(Z, Xh, 2);
        g.reconstruct(X, Xr);
        CHECK((Xh - Xr).cwiseAbs().maxCoeff() < 1e-6f);
        // The canonical string parses back to itself.
        const std::string canon = g.arch_string();
        CHECK(parse_arch(canon).str() == canon);
        CHECK(canon.find("p2s2valid|t32k3s2valid-selu") != std::string::npos);
        // Defaults written back must parse too: a pool's stride defaults to its window, which
        // may exceed the stride limit of convolutions (found by the arch fuzzer: "p24").
        for (const char* a : {"p24", "p32same", "u16", "t4k3s16o15", "c2k32s16valid"})
            CHECK(parse_arch(parse_arch(a).str()).str() == parse_arch(a).str());
    }

    TEST_CASE("graph: float and double agree on the same parameters") {
        Graph<double> gd(Shape{64, 1, 1}, parse_arch(kTinyConvAE));
        gd.init_params(11);
        Graph<float> gf(Shape{64, 1, 1}, parse_arch(kTinyConvAE));
        gf.params() = gd.params().cast<float>();
        Mat Xf = rect_images(6, 8, 8, 12);
        MatD Xd = Xf.cast<double>();
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        GraphLossParts ld = gd.forward_backward(Xd, Xd, obj), lf = gf.forward_backward(Xf, Xf, obj);
        CHECK(lf.total == doctest::Approx(ld.total).epsilon(1e-5));
        const double scale = gd.grads().cwiseAbs().maxCoeff();
        CHECK((gf.grads().cast<double>() - gd.grads()).cwiseAbs().maxCoeff() < 1e-4 * scale);
        // A VAE too (sampled code).
        Graph<double> vd(Shape{64, 1, 1}, parse_arch("r1x8x8,c4k3s2same-elu,flatten,g3,d16-elu,r1x4x4,t1k3s2same-sigmoid,flatten"));
        vd.init_params(13);
        Graph<float> vf = Graph<float>(Shape{64, 1, 1}, parse_arch(vd.arch_string()));
        vf.params() = vd.params().cast<float>();
        Rng rng(14);
        MatD epsd;
        vd.sample_eps(rng, 6, epsd);
        Mat epsf = epsd.cast<float>();
        obj.sum_per_sample = true;
        ld = vd.forward_backward(Xd, Xd, obj, &epsd);
        lf = vf.forward_backward(Xf, Xf, obj, &epsf);
        CHECK(lf.kl == doctest::Approx(ld.kl).epsilon(1e-5));
        CHECK(lf.total == doctest::Approx(ld.total).epsilon(1e-5));
        CHECK((vf.grads().cast<double>() - vd.grads()).cwiseAbs().maxCoeff() < 1e-4 * vd.grads().cwiseAbs().maxCoeff());
    }

    TEST_CASE("graph: copies are independent and equal") {
        Graph<float> a(Shape{64, 1, 1}, parse_arch(kTinyConvAE));
        a.init_params(15);
        Graph<float> b = a;
        Mat X = rect_images(4, 8, 8, 16);
        Mat ya = a.forward(X);
        b.params() *= 0.5f;
        Mat yb = b.forward(X);
        CHECK((a.forward(X) - ya).cwiseAbs().maxCoeff() == 0.f);
        CHECK((yb - ya).cwiseAbs().maxCoeff() > 1e-4f);
        a = b;
        CHECK((a.forward(X) - yb).cwiseAbs().maxCoeff() == 0.f);
    }

    TEST_CASE("graph: hostile architecture strings are clear errors") {
        using aelab_test::check_error;
        const std::pair<std::string, std::string> cases[] = {
            {"", "empty"},
            {"   ", "empty"},
            {"c16", "expected k<kernel size>"},
            {"c0k3", "number of filters 0 is out of range"},
            {"c16k0", "kernel size 0 is out of range"},
            {"c16k3s0", "stride 0 is out of range"},
            {"c16k33", "kernel size 33 is out of range"},
            {"c99999999k3", "too large"},
            {"d70000", "out of range"},
            {"c16k3same-foo", "unknown activation 'foo'"},
            {"c16k3-", "unknown activation ''"},
            {"-relu", "empty layer before '-'"},
            {"c16k3samex", "unexpected 'x'"},
            {"c16k3s2validsame", "unexpected 'same'"},
            {"x3", "unknown layer 'x'"},
            {"k3", "unknown layer 'k'"},
            {"banana", "not a layer"},
            {"d10,,d5", "empty layer after 'd10'"},
            {",d5", "empty layer at the start"},
            {"d5,", "at the end"},
            {"d5|", "at the end"},
            {"d5|d3|d2", "more than one '|'"},
            {"t8k3s2o2", "must be smaller than the stride"},
            {"t8k3o1", "must be smaller than the stride"},
            {"p2-relu", "takes no activation"},
            {"g2-relu", "takes no activation"},
            {"u2-relu", "takes no activation"},
            {"r1x28", "expected r<C>x<H>x<W>"},
            {"r0x28x28", "channels 0 is out of range"},
            {std::string("c16k3\x01"), "control character"},
            {std::string(5000, 'd'), "too long"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.first.substr(0, 40));
            check_error([&] { parse_arch(c.first); }, c.second);
        }
        std::string many;
        for (int i = 0; i < 65; ++i) many += (i ? ",d1" : "d1");
        check_error([&] { parse_arch(many); }, "more than 64 layers");
        // Well-formed strings that do not fit the data or each other.
        auto build = [](const std::string& a, Shape in) { Graph<float> g(in, parse_arch(a)); };
        check_error([&] { build("c16k3valid", Shape{1, 2, 2}); }, "layer 'c16k3s1valid' on input 1x2x2");
        check_error([&] { build("p2,p2,p2,p2,p2", Shape{1, 28, 28}); }, "VALID padding needs an image");
        check_error([&] { build("r1x28x27", Shape{784, 1, 1}); }, "cannot reshape 784x1x1");
        check_error([&] { build("d65536,d65536", Shape{784, 1, 1}); }, "model too large");
        check_error([&] { build("c65536k3", Shape{1, 128, 128}); }, "more than 2^24 values");
        // Counts that overflow a 32-bit Index (WASM) are refused before they are computed.
        check_error([&] { build("r65536x16x16,c65536k32", Shape{1 << 24, 1, 1}); }, "model too large");
        check_error([&] { build("d65536,g65536", Shape{784, 1, 1}); }, "model too large");
        check_error([&] { build("d4,g2,d3,g2,d4", Shape{4, 1, 1}); }, "at most one Gaussian code");
        check_error([&] { build("d4|g2,d4", Shape{4, 1, 1}); }, "Gaussian code must be in the encoder");
        // Objectives and batches that do not fit the model.
        Graph<float> g(Shape{64, 1, 1}, parse_arch("d4,d64"));
        Mat X = Mat::Zero(64, 2), X5 = Mat::Zero(5, 2), E = Mat::Zero(2, 2);
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        check_error([&] { g.forward_loss(X, X, obj); }, "bce needs a sigmoid output layer");
        obj.loss = ReconLoss::MSE;
        obj.beta = -1;
        check_error([&] { g.forward_loss(X, X, obj); }, "beta");
        obj.beta = 1;
        check_error([&] { g.forward(X5); }, "graph input has 5 rows");
        check_error([&] { g.forward_loss(X, X5, obj); }, "target has 5 rows");
        check_error([&] { g.forward(X, &E); }, "eps given but");
        check_error([&] { g.decode(X5, X); }, "codes have 5 rows");
        Rng rng(1);
        check_error([&] { g.sample_eps(rng, 2, E); }, "no Gaussian code");
        Graph<float> v(Shape{6, 1, 1}, parse_arch("d4,g2,d6"));
        Mat E3 = Mat::Zero(2, 3), X6 = Mat::Zero(6, 2);
        check_error([&] { v.forward(X6, &E3); }, "eps has 3 columns");
    }

    TEST_CASE("graph: a tiny conv AE trained with Adam on 8x8 images: the loss falls, deterministically") {
        Mat X = rect_images(128, 8, 8, 21);
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        Graph<float> g(Shape{64, 1, 1}, parse_arch(kTinyConvAE));
        g.init_params(22);
        Graph<float> g2 = g;
        std::vector<double> l1 = train(g, X, obj, 300, 16, 1e-2, 23);
        std::vector<double> l2 = train(g2, X, obj, 300, 16, 1e-2, 23);
        const double first = mean_of(l1, 0, 10), last = mean_of(l1, l1.size() - 10, l1.size());
        INFO("BCE first 10 steps " << first << ", last 10 steps " << last);
        CHECK(last < 0.8 * first);
        CHECK(l1 == l2);
        CHECK(aelab_test::same_bits(g.params(), g2.params()));
    }

    TEST_CASE("graph: a VAE on synthetic data: beta trades KL for reconstruction, training raises the ELBO") {
        // 8-D data on a 2-D curved manifold.
        Rng r(31);
        Mat X(8, 512);
        for (Index j = 0; j < X.cols(); ++j) {
            const double a = r.uniform(-1, 1), b = r.uniform(-1, 1);
            for (Index i = 0; i < 8; ++i)
                X(i, j) = float(0.5 + 0.3 * std::sin(1.3 * a * (i + 1) + b) + 0.1 * b * std::cos(double(i)));
        }
        GraphObjective obj;
        obj.loss = ReconLoss::MSE;
        obj.sum_per_sample = true;
        auto run = [&](double beta, GraphLossParts& before, GraphLossParts& after) {
            Graph<float> g(Shape{8, 1, 1}, parse_arch("d32-elu,g2,d32-elu,d8"));
            g.init_params(32);
            obj.beta = beta;
            before = g.forward_loss(X, X, obj);
            train(g, X, obj, 600, 32, 3e-3, 33);
            after = g.forward_loss(X, X, obj);  // mean code
        };
        GraphLossParts b_lo, a_lo, b_hi, a_hi;
        run(0.05, b_lo, a_lo);
        run(5.0, b_hi, a_hi);
        INFO("beta 0.05: recon " << a_lo.recon << " kl " << a_lo.kl << "; beta 5: recon " << a_hi.recon << " kl "
                                 << a_hi.kl);
        CHECK(a_hi.kl < a_lo.kl);
        CHECK(a_hi.recon > a_lo.recon);
        CHECK(a_lo.total < b_lo.total);  // -ELBO (beta-weighted) falls with training
        CHECK(a_hi.total < b_hi.total);
    }

    // Steps in parts (TrainConfig::max_part): what the page uses so that one VAE step of
    // batch 100 never holds a frame.
    namespace {
    struct PartsCase {
        Mat X;
        GraphObjective obj;
        PartsCase() : X(rand_mat<float>(8, 96, 41, 0.05, 0.95)) {
            obj.loss = ReconLoss::BCE;
            obj.sum_per_sample = true;
        }
        std::unique_ptr<Model> model() const {
            auto m = make_graph_model(Shape{8, 1, 1}, parse_arch("d16-elu,g2|d16-elu,d8-sigmoid"), obj);
            m->init_params(42);
            return m;
        }
        TrainConfig cfg(Index part) const {
            TrainConfig c;
            c.batch_size = 16;
            c.seed = 43;
            c.eval_every = 0;
            c.max_part = part;
            return c;
        }
    };
    }  // namespace

    TEST_CASE("graph: a VAE step in parts (max_part) follows the whole-batch step to float rounding") {
        PartsCase pc;
        auto a = pc.model(), b = pc.model();
        const OptimizerConfig adam = OptimizerConfig::defaults_for(OptimizerKind::Adam);
        Trainer whole(*a, adam, pc.X, nullptr, pc.cfg(0));
        Trainer parts(*b, adam, pc.X, nullptr, pc.cfg(5));  // 16 = 5 + 5 + 5 + 1
        whole.step({30, 0.0});
        parts.step({30, 0.0});
        CHECK(parts.steps() == 30);
        CHECK_FALSE(parts.in_step());
        const double rel = (a->params() - b->params()).norm() / a->params().norm();
        INFO("relative difference of the parameters after 30 steps: " << rel);
        CHECK(rel < 1e-5);
        CHECK(rel > 0);  // the parts really ran (summation order differs)
        CHECK(std::abs(whole.last_loss() - parts.last_loss()) < 1e-4 * std::abs(whole.last_loss()));
    }

    TEST_CASE("graph: steps in parts stop between parts on a time budget, and resume exactly from there") {
        PartsCase pc;
        auto a = pc.model(), b = pc.model();
        const OptimizerConfig adam = OptimizerConfig::defaults_for(OptimizerKind::Adam);
        Trainer tr(*a, adam, pc.X, nullptr, pc.cfg(6));  // 16 = 6 + 6 + 4
        tr.step({5, 0.0});
        // A tiny time budget: every call computes exactly one part.
        StepResult r = tr.step({100, 1e-12});
        CHECK(r.steps == 0);
        CHECK(tr.in_step());
        CHECK(tr.step_fraction() == doctest::Approx(6.0 / 16));
        const TrainerState st = tr.state();  // mid-step: the state before this step
        CHECK(st.step == 5);
        const Vec saved = a->params();
        r = tr.step({100, 1e-12});
        CHECK(r.steps == 0);
        r = tr.step({100, 1e-12});
        CHECK(r.steps == 1);
        CHECK_FALSE(tr.in_step());
        tr.step({10, 0.0});
        // A new trainer from the mid-step state draws the same batch again and ends equal.
        b->params() = saved;
        Trainer tr2(*b, adam, pc.X, nullptr, pc.cfg(6));
        CHECK(tr2.restore(st));
        tr2.step({11, 0.0});
        CHECK(tr2.steps() == tr.steps());
        CHECK(aelab_test::same_bits(a->params(), b->params()));
        // A new batch size between parts forgets the step and redraws: no half batch is mixed in.
        tr.step({100, 1e-12});
        CHECK(tr.in_step());
        tr.set_batch_size(12);
        CHECK_FALSE(tr.in_step());
        // epoch() between parts is the completed steps' (as state() is), and cancel_step()
        // drops the step: the batch is drawn again, as after a resume from that state.
        tr.step({100, 1e-12});
        REQUIRE(tr.in_step());
        CHECK(tr.epoch() == doctest::Approx(tr.state().epoch()));
        const TrainerState before = tr.state();
        tr.cancel_step();
        CHECK_FALSE(tr.in_step());
        CHECK(tr.state().pos == before.pos);
        CHECK(tr.state().rng.state == before.rng.state);
    }

    TEST_CASE("graph: parts are off for L-BFGS and for dense models") {
        PartsCase pc;
        auto a = pc.model();
        Trainer lb(*a, OptimizerConfig::defaults_for(OptimizerKind::LBFGS), pc.X, nullptr, pc.cfg(4));
        const StepResult r = lb.step({1, 1e-12});
        CHECK(r.steps == 1);
        CHECK_FALSE(lb.in_step());
        AEConfig c = AEConfig::from_arch("8-4-2");
        c.output_act = Activation::Sigmoid;
        auto d = make_dense_model(c);
        d->init_params(5);
        CHECK_FALSE(d->separable());
        Trainer dt(*d, OptimizerConfig::defaults_for(OptimizerKind::Adam), pc.X, nullptr, pc.cfg(4));
        CHECK(dt.step({1, 1e-12}).steps == 1);
        CHECK_FALSE(dt.in_step());
    }
}
