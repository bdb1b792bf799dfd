// test_mc.cpp: the Monte Carlo search (aelab/optim.hpp, core/src/optim_mc.cpp): it reduces
// known losses (a quadratic directly, a small AE through the Trainer and the model's parameter
// groups), keeps every candidate in its box, its weak intervals contain a quadratic's optimum
// and narrow as the curvature grows, it is deterministic per seed, a saved state continues bit
// for bit, the temperature lets it go uphill (and T = 0 never does), hostile settings and
// states are refused; the page's URL key mcpop= reaches the optimizer.
#include <doctest.h>

#include "aelab/model.hpp"
#include "aelab/model_io.hpp"
#include "aelab/optim.hpp"
#include "aelab/trainer.hpp"
#include "state.hpp"

#include <cmath>
#include <cstring>
#include <limits>

using namespace aelab;

namespace {

// f(p) = c + 1/2 sum_i a_i (p_i - m_i)^2 (in double); records whether every point was in [lo, hi].
struct DiagQuadratic final : Objective {
    std::vector<double> a, m;
    double c = 1.0;
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    long evals = 0, outside = 0;
    double eval(const Vec& p, Vec* g) override {
        ++evals;
        double f = c;
        for (Index i = 0; i < p.size(); ++i) {
            const double d = double(p(i)) - m[std::size_t(i)];
            f += 0.5 * a[std::size_t(i)] * d * d;
            if (!(double(p(i)) >= lo && double(p(i)) <= hi)) ++outside;
        }
        if (g) g->setZero(p.size());
        return f;
    }
};

OptimizerConfig mc_config() {
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::MonteCarlo);
    oc.lr = 0.1;
    return oc;
}

// Runs `steps` steps of opt from p on q; returns the last loss.
double run(Optimizer& opt, Vec& p, DiagQuadratic& q, int steps) {
    Vec g;
    double f = q.eval(p, nullptr);
    for (int t = 0; t < steps; ++t) f = opt.step(p, g, f, q);
    return f;
}

bool same_bits(const Vec& a, const Vec& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(float) * std::size_t(a.size())) == 0;
}

}  // namespace

TEST_SUITE("optimizers") {
    TEST_CASE("mc search: every distribution reduces a quadratic; T = 0 never goes uphill") {
        for (McDist d : {McDist::Normal, McDist::Uniform, McDist::Cauchy}) {
            CAPTURE(mc_dist_name(d));
            DiagQuadratic q;
            q.a.assign(6, 2.0);
            q.m = {0.5, -0.3, 0.2, 0.8, -0.6, 0.1};
            OptimizerConfig oc = mc_config();
            oc.mc_dist = d;
            auto opt = make_optimizer(oc, 6);
            Vec p = Vec::Zero(6), g;
            const double f0 = q.eval(p, nullptr);
            double f = f0;
            bool uphill = false;
            for (int t = 0; t < 150; ++t) {
                const double fn = opt->step(p, g, f, q);
                uphill = uphill || fn > f;
                f = fn;
            }
            CHECK_FALSE(uphill);
            CHECK(f - q.c < 0.02 * (f0 - q.c));
            CHECK(f == doctest::Approx(q.eval(p, nullptr)));
        }
    }
    TEST_CASE("mc search: a small AE through the Trainer and the model's parameter groups") {
        DenseModel model(AEConfig::from_arch("5-2"));
        model.init_params(4);
        const std::vector<ParamGroup> gs = model.param_groups();
        REQUIRE(gs.size() == 4);  // layer1.W, layer1.b, layer2.W, layer2.b
        CHECK(gs[0].name == "layer1.W");
        Index covered = 0;
        for (std::size_t i = 0; i < gs.size(); ++i) {
            CHECK(gs[i].offset == covered);  // in order, disjoint, covering everything
            covered += gs[i].size;
        }
        CHECK(covered == model.num_params());
        Rng r(5);
        Mat X(5, 64);
        r.fill_uniform(X, 0, 1);
        TrainConfig tc;
        tc.batch_size = 64;
        const double before = model.evaluate(X).mse;
        OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::MonteCarlo);
        oc.mc_pop = 4;
        Trainer tr(model, oc, X, nullptr, tc);
        tr.step({100, 0.0});
        CHECK(model.evaluate(X).mse < 0.7 * before);
        const McIntervals iv = mc_intervals(tr.optimizer());
        CHECK(iv.params.size() == std::size_t(model.num_params()));  // <= 256: all tracked
        CHECK(iv.group_names.size() == 4);
        CHECK(iv.samples == 400);
        CHECK(iv.group[0] == "layer1.W");
        CHECK(iv.best_loss <= before);
    }
    TEST_CASE("mc search: candidates stay in the box, a start outside it is left at once") {
        for (McDist d : {McDist::Normal, McDist::Cauchy}) {
            CAPTURE(mc_dist_name(d));
            DiagQuadratic q;
            q.a.assign(8, 1.0);
            q.m.assign(8, 1.0);  // optimum outside the box
            q.lo = 0.1;
            q.hi = 0.3;
            OptimizerConfig oc = mc_config();
            oc.mc_dist = d;
            oc.lr = 0.5;
            oc.mc_lo = 0.1;
            oc.mc_hi = 0.3;
            oc.mc_temp = 0.01;
            auto opt = make_optimizer(oc, 8);
            Vec p = Vec::Zero(8), g;  // outside the box
            double f = q.eval(p, nullptr);
            q.outside = 0;
            f = opt->step(p, g, f, q);
            CHECK(p.minCoeff() >= 0.1f);  // left the start at the first step
            for (int t = 0; t < 100; ++t) f = opt->step(p, g, f, q);
            CHECK(q.outside == 0);
            CHECK(q.evals == 1 + 101 * 8);
            CHECK(p.minCoeff() >= 0.1f);
            CHECK(p.maxCoeff() <= float(0.3));
            CHECK(p.maxCoeff() > 0.28f);  // pressed against the wall nearest the optimum
        }
    }
    TEST_CASE("mc search: weak intervals contain a quadratic's optimum and narrow as the curvature grows") {
        DiagQuadratic q;
        q.a = {1.0, 100.0, 10000.0};
        q.m = {0.3, -0.2, 0.05};
        // One group per parameter: each scale adapts to its own curvature (one common scale
        // would follow the stiffest direction and crawl along the flat one).
        auto opt = make_optimizer(mc_config(), 3, {{"a", 0, 1}, {"b", 1, 1}, {"c", 2, 1}});
        Vec p = Vec::Zero(3);
        run(*opt, p, q, 250);
        const McIntervals iv = mc_intervals(*opt);
        REQUIRE(iv.params.size() == 3);
        CHECK(iv.samples == 2000);
        CHECK(iv.within > 20);
        CHECK(iv.best_loss == doctest::Approx(1.0).epsilon(1e-3));
        std::vector<double> width;
        for (std::size_t i = 0; i < 3; ++i) {
            CAPTURE(i);
            CHECK(iv.lo[i] <= q.m[i]);
            CHECK(iv.hi[i] >= q.m[i]);
            CHECK(iv.lo[i] <= iv.best[i]);
            CHECK(iv.best[i] <= iv.hi[i]);
            width.push_back(iv.hi[i] - iv.lo[i]);
            // Within the tolerance, a/2 (p_i - m_i)^2 <= tol * best: the half-width bound.
            CHECK(width[i] <= 2 * std::sqrt(2 * iv.tol * iv.best_loss / q.a[i]) * 1.0001);
        }
        CHECK(width[1] < 0.5 * width[0]);
        CHECK(width[2] < 0.5 * width[1]);
        CHECK_THROWS_WITH_AS(mc_intervals(*make_optimizer(OptimizerConfig::defaults_for(OptimizerKind::Adam), 3)),
                             doctest::Contains("need the Monte Carlo search"), Error);
    }
    TEST_CASE("mc search: same seed, same run; another seed, another run; the temperature goes uphill") {
        DiagQuadratic q;
        q.a.assign(4, 3.0);
        q.m = {0.2, 0.4, -0.1, 0.0};
        OptimizerConfig oc = mc_config();
        oc.mc_temp = 0.05;
        oc.mc_anneal = 0.999;
        auto a = make_optimizer(oc, 4), b = make_optimizer(oc, 4);
        Vec pa = Vec::Zero(4), pb = Vec::Zero(4), g;
        double fa = q.eval(pa, nullptr), fb = fa;
        bool uphill = false;
        for (int t = 0; t < 80; ++t) {
            const double f = a->step(pa, g, fa, q);
            uphill = uphill || f > fa;
            fa = f;
            fb = b->step(pb, g, fb, q);
        }
        CHECK(uphill);
        CHECK(same_bits(pa, pb));
        CHECK(fa == fb);
        CHECK(mc_intervals(*a).lo == mc_intervals(*b).lo);
        oc.seed = 2;
        auto c = make_optimizer(oc, 4);
        Vec pc = Vec::Zero(4);
        run(*c, pc, q, 80);
        CHECK_FALSE(same_bits(pa, pc));
    }
    TEST_CASE("mc search: a state saved mid-run continues bit for bit (groups, Cauchy, temperature, box)") {
        DiagQuadratic q;
        q.a = {1, 2, 3, 4, 5, 6};
        q.m = {0.1, 0.2, 0.3, -0.1, -0.2, 0.9};
        OptimizerConfig oc = mc_config();
        oc.mc_dist = McDist::Cauchy;
        oc.mc_temp = 0.01;
        oc.mc_lo = -0.5;
        oc.mc_hi = 0.5;
        oc.mc_pop = 3;
        oc.mc_archive = 50;
        const std::vector<ParamGroup> gs = {{"a", 0, 2}, {"b", 2, 3}, {"c", 5, 1}};
        auto full = make_optimizer(oc, 6, gs);
        Vec p = Vec::Zero(6);
        run(*full, p, q, 60);
        auto first = make_optimizer(oc, 6, gs);
        Vec p2 = Vec::Zero(6);
        run(*first, p2, q, 25);
        const OptimizerState st = first->export_state();
        CHECK(st.reals.at("mc.sigma").size() == 3);
        CHECK(st.reals.at("mc.archive.loss").size() == 50);
        auto second = make_optimizer(oc, 6, gs);
        second->import_state(st);
        CHECK(second->iterations() == 25);
        run(*second, p2, q, 35);
        CHECK(same_bits(p, p2));
        const McIntervals x = mc_intervals(*full), y = mc_intervals(*second);
        CHECK(x.best_loss == y.best_loss);
        CHECK(x.lo == y.lo);
        CHECK(x.hi == y.hi);
        CHECK(x.group_scales == y.group_scales);
    }
    TEST_CASE("mc search: hostile settings, groups and states are refused") {
        auto bad = [](auto edit) {
            OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::MonteCarlo);
            edit(oc);
            CHECK_THROWS_AS(oc.validate(), Error);
        };
        bad([](OptimizerConfig& c) { c.mc_pop = 0; });
        bad([](OptimizerConfig& c) { c.mc_pop = 10001; });
        bad([](OptimizerConfig& c) { c.mc_temp = -1; });
        bad([](OptimizerConfig& c) { c.mc_temp = std::nan(""); });
        bad([](OptimizerConfig& c) { c.mc_anneal = 0; });
        bad([](OptimizerConfig& c) { c.mc_anneal = 1.5; });
        bad([](OptimizerConfig& c) { c.mc_lo = 1; c.mc_hi = 1; });
        bad([](OptimizerConfig& c) { c.mc_lo = 1; c.mc_hi = -1; });
        bad([](OptimizerConfig& c) { c.mc_hi = std::numeric_limits<double>::infinity(); });
        bad([](OptimizerConfig& c) { c.mc_lo = 1e6; c.mc_hi = 1e6 + 1e-3; });  // no float in between
        bad([](OptimizerConfig& c) { c.mc_tol = 0; });
        bad([](OptimizerConfig& c) { c.mc_tol = 11; });
        bad([](OptimizerConfig& c) { c.mc_archive = 0; });
        CHECK_THROWS_WITH_AS(parse_mc_dist("laplace"), doctest::Contains("valid: normal, uniform, cauchy"), Error);
        const OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::MonteCarlo);
        CHECK_THROWS_AS(make_optimizer(oc, 4, {{"a", 0, 3}, {"b", 2, 2}}), Error);  // overlap
        CHECK_THROWS_AS(make_optimizer(oc, 4, {{"a", 2, 3}}), Error);               // out of range
        CHECK_THROWS_AS(make_optimizer(oc, 4, {{"a", 0, 0}}), Error);               // empty

        DiagQuadratic q;
        q.a.assign(4, 1.0);
        q.m.assign(4, 0.5);
        auto opt = make_optimizer(oc, 4);
        Vec p = Vec::Zero(4);
        run(*opt, p, q, 5);
        const OptimizerState good = opt->export_state();
        auto refused = [&](auto edit, const char* msg) {
            OptimizerState s = good;
            edit(s);
            auto o = make_optimizer(oc, 4);
            CHECK_THROWS_WITH_AS(o->import_state(s), doctest::Contains(msg), Error);
            CHECK(o->iterations() == 0);
            CHECK(mc_intervals(*o).samples == 0);
        };
        refused([](OptimizerState& s) { s.reals["mc.sigma"] = {0.1, 0.2}; }, "2 scales");
        refused([](OptimizerState& s) { s.reals["mc.sigma"] = {-1}; }, "finite and > 0");
        refused([](OptimizerState& s) { s.integers["mc.archive.width"] = 3; }, "tracks 3");
        refused([](OptimizerState& s) { s.reals["mc.archive.loss"][0] = std::nan(""); }, "NaN");
        refused([](OptimizerState& s) { s.reals["mc.archive.loss"].push_back(1.0); }, "expected 41 x 4");
        refused([](OptimizerState& s) { s.integers.erase("mc.archive.width"); }, "together");
        refused([](OptimizerState& s) { s.reals["mc.temperature"] = {1}; }, "unexpected value 'mc.temperature'");
        refused([](OptimizerState& s) { s.integers.erase("mc.rng.inc"); }, "'mc.rng.inc' is missing");
        OptimizerConfig small = oc;
        small.mc_archive = 10;
        auto o = make_optimizer(small, 4);
        CHECK_THROWS_WITH_AS(o->import_state(good), doctest::Contains("more than its size 10"), Error);
    }
}

TEST_SUITE("checkpoint") {
    TEST_CASE("mc search: settings round-trip through the model file's text; the (1+1) search's bound= still reads") {
        OptimizerConfig oc = mc_config();
        oc.mc_pop = 3;
        oc.mc_dist = McDist::Uniform;
        oc.mc_temp = 0.25;
        oc.mc_anneal = 0.9;
        oc.mc_lo = -2;
        oc.mc_hi = 0.5;
        oc.mc_groups = false;
        oc.mc_tol = 0.2;
        oc.mc_archive = 77;
        const OptimizerConfig r = optimizer_config_from_text(oc.to_text());
        CHECK(r.mc_pop == 3);
        CHECK(r.mc_dist == McDist::Uniform);
        CHECK(r.mc_temp == 0.25);
        CHECK(r.mc_anneal == 0.9);
        CHECK(r.mc_lo == -2);
        CHECK(r.mc_hi == 0.5);
        CHECK(r.mc_groups == false);
        CHECK(r.mc_tol == 0.2);
        CHECK(r.mc_archive == 77);
        const OptimizerConfig old = optimizer_config_from_text("opt=mc\nlr=0.01\nbound=0.5\n");
        CHECK(old.mc_lo == -0.5);
        CHECK(old.mc_hi == 0.5);
        CHECK_THROWS_AS(optimizer_config_from_text("opt=mc\nmc_dist=laplace\n"), Error);
        CHECK_THROWS_AS(optimizer_config_from_text("opt=mc\nmc_lo=1\nmc_hi=0\n"), Error);
        // A (1+1) state (one scale, no archive) goes into a search with four groups.
        OptimizerState st;
        const OptimizerState fresh = make_optimizer(oc, 4)->export_state();
        st.iterations = 7;
        st.reals["mc.sigma"] = {0.03};
        st.reals["mc.rng.spare"] = fresh.reals.at("mc.rng.spare");
        for (const char* k : {"mc.rng.state", "mc.rng.inc", "mc.rng.has_spare"}) st.integers[k] = fresh.integers.at(k);
        auto four = make_optimizer(mc_config(), 4, {{"a", 0, 1}, {"b", 1, 1}, {"c", 2, 1}, {"d", 3, 1}});
        four->import_state(st);
        CHECK(mc_intervals(*four).group_scales == std::vector<double>(4, 0.03));
    }
}

TEST_SUITE("app") {
    TEST_CASE("page state: URL key mcpop= round-trips into the optimizer; hostile values are refused") {
        using namespace aelab::app;
        QueryResult q = parse_query("opt=mc&mcpop=3");
        CHECK(q.messages.empty());
        CHECK(q.settings.mc_pop == 3);
        CHECK(q.settings.optimizer_config().mc_pop == 3);
        CHECK(to_query(q.settings).find("mcpop=3") != std::string::npos);
        CHECK(to_query(parse_query("opt=mc").settings).find("mcpop") == std::string::npos);  // default: not written
        for (const char* bad : {"mcpop=0", "mcpop=10001", "mcpop=2.5", "mcpop=abc"}) {
            INFO(bad);
            QueryResult r = parse_query(bad);
            CHECK(r.settings.mc_pop == 8);
            CHECK(!r.messages.empty());
        }
    }
}
