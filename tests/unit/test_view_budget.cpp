// test_view_budget.cpp: the model views' recompute turns while training and the frame's time
// budgets (web/app/view_budget.hpp). Pure logic on a fake clock: platform-neutral, no timing.
#include <doctest.h>

#include "view_budget.hpp"

#include <array>
#include <vector>

using namespace aelab::app;

namespace {

// A frame loop of `frames` frames of `dt` seconds; the model's step grows by one a frame while
// training. Every view in `asking` asks each frame (in the given order) and marks its Refresh
// when granted. Returns, per view, the frames it recomputed in.
struct Sim {
    ViewBudget vb;
    std::array<Refresh, kViewCount> r;
    std::array<std::vector<long>, kViewCount> grants{};
    double now = 1.0;
    long step = 0;
    long frame = 0;
    int max_per_frame = 0;
    void run(int frames, double dt, bool training, const std::vector<ViewId>& asking) {
        for (int f = 0; f < frames; ++f, ++frame) {
            now += dt;
            if (training) ++step;
            vb.begin_frame(now, training);
            int n = 0;
            for (ViewId v : asking)
                if (vb.claim(v, r[v], now, step)) {
                    r[v].mark(now, step);
                    grants[v].push_back(frame);
                    ++n;
                }
            CHECK(n == vb.granted());
            if (n > max_per_frame) max_per_frame = n;
        }
    }
};

}  // namespace

TEST_SUITE("app") {
    TEST_CASE("view budget: while training, one view recomputes a frame, each at most every train period, none starves") {
        Sim s;
        const std::vector<ViewId> all = {kViewRecon, kViewManifold, kViewInterp, kViewPrior, kViewTraversal, kViewActivity};
        const double dt = 1.0 / 30;  // 30 fps
        s.run(300, dt, true, all);   // 10 s of training
        CHECK(s.max_per_frame == 1);
        for (ViewId v : all) {
            const auto& g = s.grants[v];
            // The first round: every view within as many frames as there are views.
            REQUIRE(!g.empty());
            CHECK(g.front() < static_cast<long>(all.size()));
            // Never faster than the train period; never starved longer than the period plus
            // one frame per other view (first refused, first served).
            for (size_t i = 1; i < g.size(); ++i) {
                const double gap = (g[i] - g[i - 1]) * dt;
                CHECK(gap >= ViewBudget::kTrainPeriod - 1e-9);
                CHECK(gap <= ViewBudget::kTrainPeriod + (all.size() + 1) * dt + 1e-9);
            }
            CHECK(g.size() >= 15);  // ~10 s / 0.5 s
        }
    }

    TEST_CASE("view budget: the draw order does not decide who waits (reversed order, same bound)") {
        Sim s;
        const std::vector<ViewId> rev = {kViewActivity, kViewTraversal, kViewPrior, kViewInterp, kViewManifold, kViewRecon};
        const double dt = 1.0 / 30;
        s.run(150, dt, true, rev);
        for (ViewId v : rev) {
            const auto& g = s.grants[v];
            REQUIRE(g.size() >= 2);
            for (size_t i = 1; i < g.size(); ++i) CHECK((g[i] - g[i - 1]) * dt <= ViewBudget::kTrainPeriod + 7 * dt + 1e-9);
        }
        CHECK(s.max_per_frame == 1);
    }

    TEST_CASE("view budget: first refused, first served (views due every frame take turns)") {
        Sim s;
        s.vb = ViewBudget(0.0, 1);  // no train period: each view would take every frame
        s.run(10, 0.3, true, {kViewRecon, kViewPrior});  // 0.3 s frames: both Refresh due each frame
        CHECK(s.grants[kViewRecon] == std::vector<long>{0, 2, 4, 6, 8});
        CHECK(s.grants[kViewPrior] == std::vector<long>{1, 3, 5, 7, 9});
    }

    TEST_CASE("view budget: paused, every due view recomputes at once; a hidden view leaves the queue") {
        Sim s;
        const std::vector<ViewId> all = {kViewRecon, kViewManifold, kViewPrior};
        s.run(1, 0.02, false, all);  // paused: all three in the first frame
        for (ViewId v : all) CHECK(s.grants[v] == std::vector<long>{0});
        // A user action invalidates two views while paused: both at once, the same frame.
        s.r[kViewManifold].invalidate();
        s.r[kViewPrior].invalidate();
        s.run(1, 0.02, false, all);
        CHECK(s.grants[kViewManifold].back() == 1);
        CHECK(s.grants[kViewPrior].back() == 1);

        // Training: the prior asks once while the manifold takes the frame, then its tab is
        // hidden (it stops asking). The others must not wait behind it.
        Sim t;
        t.run(1, 0.02, true, {kViewManifold, kViewPrior});  // manifold granted, prior waits
        CHECK(t.grants[kViewManifold].size() == 1);
        CHECK(t.grants[kViewPrior].empty());
        t.run(1, 0.02, true, {kViewRecon});                  // prior still queued from the last frame
        t.run(1, 0.02, true, {kViewRecon});                  // prior gone: recon's turn
        CHECK(t.grants[kViewRecon].size() == 1);
        // reset(): new model, every view due and served again from the start.
        t.vb.reset();
        for (Refresh& r : t.r) r.invalidate();
        t.run(1, 0.02, true, {kViewPrior});
        CHECK(t.grants[kViewPrior].size() == 1);
        // Without a budget (null), claim_view() is the Refresh alone.
        Refresh fresh;
        CHECK(claim_view(nullptr, kViewRecon, fresh, 0.0, 0));
        fresh.mark(0.0, 0);
        CHECK_FALSE(claim_view(nullptr, kViewRecon, fresh, 0.1, 1));
    }

    TEST_CASE("view budget: a costly view recomputes less often while training (at most kMaxShare of the time)") {
        Sim s;
        const double dt = 1.0 / 30;
        s.vb.cost(kViewManifold, 0.1);  // 100 ms a recompute: every 0.1 / kMaxShare s
        const double period = 0.1 / ViewBudget::kMaxShare;
        CHECK(s.vb.period(kViewManifold) == doctest::Approx(period));
        CHECK(s.vb.period(kViewPrior) == doctest::Approx(ViewBudget::kTrainPeriod));  // not measured
        s.run(300, dt, true, {kViewManifold, kViewPrior});
        const auto& g = s.grants[kViewManifold];
        REQUIRE(g.size() >= 2);
        for (size_t i = 1; i < g.size(); ++i) {
            CHECK((g[i] - g[i - 1]) * dt >= period - 1e-9);
            CHECK((g[i] - g[i - 1]) * dt <= period + 3 * dt);
        }
        CHECK(s.grants[kViewPrior].size() > 2 * g.size());
        // Paused: the cost does not delay what the user does.
        s.r[kViewManifold].invalidate();
        const size_t before = g.size();
        s.run(1, dt, false, {kViewManifold});
        CHECK(s.grants[kViewManifold].size() == before + 1);
    }

    TEST_CASE("frame budgets: training cap is the target less the rest, code columns a time not a count") {
        CHECK(train_cap_ms(10.0) == doctest::Approx(kFrameTargetMs - 10.0));
        CHECK(train_cap_ms(29.5) == doctest::Approx(1.0));   // at least min_ms
        CHECK(train_cap_ms(80.0) == doctest::Approx(1.0));
        CHECK(train_cap_ms(5.0, 20.0, 2.0) == doctest::Approx(15.0));
        CHECK(code_columns(2e-3, 1e-4, 1000) == 20);
        CHECK(code_columns(2e-3, 5e-3, 1000) == 1);           // one image costs more than the budget
        CHECK(code_columns(2e-3, 1e-7, 1000) == 1000);        // at most n
        CHECK(code_columns(2e-3, 0.0, 7) == 7);               // no estimate yet: capped by n
    }
}
