// test_app_mc.cpp: the Monte Carlo search on the page (web/app/query_mc.hpp, mc_views.hpp):
// the URL keys of its settings round-trip and reach the optimizer, hostile values are refused
// with a message and change nothing; the loss landscape's grid equals direct evaluations of
// the loss and has its minimum at the optimum of a loss that is quadratic in the parameter;
// the interval bars show a kp layer's alpha / beta transformed, containing the best value.
#include <doctest.h>

#include "aelab/graph.hpp"
#include "aelab/model.hpp"
#include "aelab/trainer.hpp"
#include "mc_views.hpp"
#include "query_mc.hpp"
#include "state.hpp"

#include <cmath>
#include <string>

using namespace aelab;
using namespace aelab::app;

namespace {

bool has_message(const QueryResult& r, const std::string& part) {
    for (const std::string& m : r.messages)
        if (m.find(part) != std::string::npos) return true;
    return false;
}

Mat uniform_data(Index d, Index n, std::uint64_t seed) {
    Rng r(seed);
    Mat X(d, n);
    r.fill_uniform(X, 0, 1);
    return X;
}

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("mc page: the search's URL keys round-trip and reach the optimizer") {
        const std::string q =
            "dataset=curved3d&opt=mc&mcpop=12&mcdist=cauchy&mctemp=0.5&mcanneal=0.95&mcbounds=-2.5,3&mcgroups=all"
            "&mctol=0.2&mcarchive=500";
        const QueryResult r = parse_query(q);
        CHECK(r.messages.empty());
        const Settings& s = r.settings;
        CHECK(s.mc_dist == McDist::Cauchy);
        CHECK(s.mc_temp == 0.5);
        CHECK(s.mc_anneal == 0.95);
        CHECK(s.mc_lo == -2.5);
        CHECK(s.mc_hi == 3);
        CHECK_FALSE(s.mc_groups);
        CHECK(s.mc_tol == 0.2);
        CHECK(s.mc_archive == 500);
        const OptimizerConfig oc = s.optimizer_config();
        CHECK(oc.mc_pop == 12);
        CHECK(oc.mc_dist == McDist::Cauchy);
        CHECK(oc.mc_temp == 0.5);
        CHECK(oc.mc_anneal == 0.95);
        CHECK(oc.mc_lo == -2.5);
        CHECK(oc.mc_hi == 3);
        CHECK_FALSE(oc.mc_groups);
        CHECK(oc.mc_tol == 0.2);
        CHECK(oc.mc_archive == 500);
        CHECK_NOTHROW(oc.validate());
        const std::string back = to_query(s);
        for (const char* k : {"mcdist=cauchy", "mctemp=0.5", "mcanneal=0.95", "mcbounds=-2.5,3", "mcgroups=all",
                              "mctol=0.2", "mcarchive=500"})
            CHECK(back.find(k) != std::string::npos);
        const QueryResult again = parse_query(back);
        CHECK(again.messages.empty());
        CHECK(again.settings == s);
        // Defaults are not written; a change of one setting alone makes the settings differ.
        CHECK(to_query(parse_query("opt=mc").settings).find("mctol") == std::string::npos);
        CHECK(parse_query("opt=mc&mctol=0.1").settings != parse_query("opt=mc").settings);
        CHECK(parse_query("mcbounds=1,2&mcbounds=none").settings.mc_lo == 0);
        CHECK(mc_bounds_string(parse_query("mcbounds=none").settings) == "none");
    }

    TEST_CASE("mc page: hostile values of the search's keys are refused and change nothing") {
        const Settings d = parse_query("").settings;
        struct Bad {
            const char* query;
            const char* why;
        };
        for (const Bad& b : {Bad{"mcdist=gauss", "valid: normal, uniform, cauchy"}, Bad{"mctemp=-1", "[0, 1000000]"},
                             Bad{"mctemp=nan", "[0, 1000000]"}, Bad{"mctemp=1e9", "[0, 1000000]"},
                             Bad{"mcanneal=0", "(0, 1]"}, Bad{"mcanneal=1.5", "(0, 1]"},
                             Bad{"mcbounds=3,2", "LO < HI"}, Bad{"mcbounds=2,2", "LO < HI"},
                             Bad{"mcbounds=abc", "LO,HI"}, Bad{"mcbounds=1,2,3", "LO,HI"},
                             Bad{"mcbounds=0x1,2", "LO,HI"}, Bad{"mcbounds=-1e7,1", "LO < HI"},
                             Bad{"mcgroups=some", "valid: layers"}, Bad{"mctol=0", "(0, 10]"},
                             Bad{"mctol=11", "(0, 10]"}, Bad{"mctol=inf", "(0, 10]"},
                             Bad{"mcarchive=0", "1..100000"}, Bad{"mcarchive=1000001", "1..100000"},
                             Bad{"mcarchive=-5", "1..100000"}, Bad{"mcarchive=12.5", "1..100000"},
                             Bad{"mcarchive=99999999999999999999", "1..100000"}}) {
            CAPTURE(b.query);
            const QueryResult r = parse_query(b.query);
            CHECK(r.messages.size() == 1);
            CHECK(has_message(r, b.why));
            CHECK(r.settings == d);
        }
    }

    TEST_CASE("mc page: the loss landscape equals direct evaluations of the loss") {
        const std::unique_ptr<Model> m =
            make_graph_model(Shape{6, 1, 1}, parse_arch("kp3-softplus[alpha=softplus,beta=softplus],d6"), GraphObjective{});
        m->init_params(3);
        const Mat X = uniform_data(6, 40, 7);
        const Vec before = m->params();
        const Index param = m->num_params() - 1;
        McLandscape L;
        CHECK_FALSE(L.started());
        L.start(*m, X, param, -1.0, 2.0, 7, 100);
        CHECK(L.started());
        CHECK_FALSE(L.done());
        CHECK_FALSE(L.step(3));
        CHECK(L.computed() == 3);
        CHECK(L.step(100));
        REQUIRE(L.losses().size() == 7);
        CHECK(L.values().front() == -1.0);
        CHECK(L.values().back() == 2.0);
        for (int i = 0; i < 7; ++i) {
            CAPTURE(i);
            const double direct = McLandscape::loss_at(*m, X, param, L.values()[i]);
            CHECK(std::isfinite(direct));
            CHECK(L.losses()[i] == direct);
        }
        CHECK((m->params().array() == before.array()).all());  // loss_at restores the parameter
        CHECK(L.base_value() == doctest::Approx(before[param]));
        // A bounded subset: at most max_rows rows, evenly strided.
        L.start(*m, X, 0, -1.0, 1.0, 3, 10);
        L.step(3);
        Mat sub(6, 10);
        for (Index j = 0; j < 10; ++j) sub.col(j) = X.col(j * 4);
        CHECK(L.losses()[2] == McLandscape::loss_at(*m, sub, 0, 1.0));
        // Bad requests are refused and leave the landscape as it was.
        CHECK_THROWS_AS(L.start(*m, X, m->num_params(), 0, 1, 5, 10), Error);
        CHECK_THROWS_AS(L.start(*m, X, 0, 1, 1, 5, 10), Error);
        CHECK_THROWS_AS(L.start(*m, X, 0, 0, NAN, 5, 10), Error);
        CHECK_THROWS_AS(L.start(*m, X, 0, 0, 1, 2, 10), Error);
        CHECK(L.done());
        CHECK(L.values().size() == 3);
    }

    TEST_CASE("mc page: the landscape's minimum is at the optimum of a quadratic loss") {
        // A linear AE's MSE is exactly quadratic in any one weight: find its vertex from three
        // evaluations, move the weight there, and the grid around it has its minimum there.
        DenseModel model(AEConfig::from_arch("4-2"));
        model.init_params(5);
        const Mat X = uniform_data(4, 32, 9);
        const Index param = model.num_params() / 2 + 1;  // a decoder weight
        const double v0 = model.params()[param], h = 0.5;
        const double fm = McLandscape::loss_at(model, X, param, v0 - h), f0 = McLandscape::loss_at(model, X, param, v0),
                     fp = McLandscape::loss_at(model, X, param, v0 + h);
        REQUIRE(fp - 2 * f0 + fm > 0);
        const double vstar = v0 - h * (fp - fm) / (2 * (fp - 2 * f0 + fm));
        model.params()[param] = static_cast<float>(vstar);
        const McRange r = mc_landscape_range(vstar - 0.5, vstar + 0.5, vstar, vstar);
        CHECK(r.lo < vstar - 0.5);
        CHECK(r.hi > vstar + 0.5);
        McLandscape L;
        L.start(model, X, param, vstar - 1, vstar + 1, 41, 256);
        L.step(41);
        CHECK(L.argmin() == 20);
        CHECK(L.losses()[0] > L.losses()[20]);
        CHECK(L.losses()[40] > L.losses()[20]);
        // Symmetric about the vertex (a parabola), to float rounding.
        CHECK(L.losses()[10] == doctest::Approx(L.losses()[30]).epsilon(1e-4));
    }

    TEST_CASE("mc page: interval bars show a kp layer's alpha and beta as the layer uses them") {
        const std::unique_ptr<Model> m =
            make_graph_model(Shape{6, 1, 1}, parse_arch("kp3-softplus[alpha=softplus,beta=softplus],d6"), GraphObjective{});
        m->init_params(2);
        const Mat X = uniform_data(6, 48, 11);
        OptimizerConfig oc = Settings{}.optimizer_config();
        oc.kind = OptimizerKind::MonteCarlo;
        oc.lr = 0.05;
        oc.mc_pop = 4;
        TrainConfig tc;
        tc.batch_size = 48;
        Trainer tr(*m, oc, X, nullptr, tc);
        tr.step({40, 0.0});
        const McIntervals iv = mc_intervals(tr.optimizer());
        REQUIRE(iv.samples > 0);
        const std::vector<McBar> bars = mc_bars(iv, *m, 24);
        REQUIRE(bars.size() >= 2);
        CHECK(bars[0].label == "layer1.alpha");
        CHECK(bars[1].label == "layer1.beta");
        for (const McBar& b : bars) {
            CAPTURE(b.label);
            CHECK(std::isfinite(b.lo));
            CHECK(std::isfinite(b.hi));
            CHECK(b.lo <= b.best);
            CHECK(b.best <= b.hi);
            CHECK(std::isfinite(b.current));
        }
        for (int i = 0; i < 2; ++i) {
            const McBar& b = bars[i];
            CHECK(b.transform == "softplus");
            CHECK(b.lo > 0);  // softplus: positive
            CHECK(b.best == doctest::Approx(std::log1p(std::exp(b.raw_best))));
            CHECK(b.lo == doctest::Approx(std::log1p(std::exp(b.raw_lo))));
            CHECK(b.current == doctest::Approx(std::log1p(std::exp(double(m->params()[b.param])))));
        }
        CHECK(bars.size() <= 2 + m->param_groups().size());
        CHECK(mc_bars(iv, *m, 1).size() == 1);
        const std::string j = mc_json(iv, bars, McLandscape{});
        CHECK(j.find("\"label\":\"layer1.alpha\"") != std::string::npos);
        CHECK(j.find("\"landscape\":null") != std::string::npos);
    }
}
