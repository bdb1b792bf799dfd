// view_budget.hpp: which model view may recompute its picture in this frame while training.
//
// What: `ViewBudget` sits between the panels' Refresh stamps (refresh.hpp) and the work they
// guard (decoding a grid, reconstructing the recon images, ...). While the model trains, a
// view whose Refresh is due gets the frame only if
//   - its own last recompute is at least `train_period` seconds old (the pictures follow the
//     training at a few frames per second, not at the Refresh period), and longer for a
//     costly view (cost(): at most kMaxShare of the time each), and
//   - no other view has recomputed in this frame (at most `per_frame` recomputes a frame), and
//   - no view that asked in the previous frame has waited longer (first refused, first
//     served: every view gets its turn within as many frames as views wait, whatever the order
//     the panels are drawn in).
// A view that stops asking (its panel or tab hidden) leaves the queue the next frame. When
// training is paused or stepped by hand, claim() is the Refresh alone: what the user changes
// shows at once. The clock is passed in, never read here.
// Why: in the paper's VAE (784-500-500-2, batch 100) the decoder manifold (225 decodes), the
// prior grid (64), the traversal and the recon panel each recomputed every 0.22 s while the
// model trained, several in the same frame; those frames took 50-90 ms in headless Chromium
// (see the README's VAE fps table). Spread one per frame and slowed to `train_period`, the
// views still update visibly and the frame stays within ~30 ms.
// Usage:
//     ViewBudget vb;                                    // one per App
//     vb.begin_frame(now, ctl.playing());              // once a frame, before the panels
//     if (vb.claim(kViewPrior, st.prior, now, step)) { st.prior.mark(now, step); decode(); vb.cost(kViewPrior, s); }
//     claim_view(cx.views, kViewPrior, st.prior, now, step);   // the same; null: r.due() alone
#pragma once

#include "refresh.hpp"

#include <array>
#include <chrono>

namespace aelab::app {

// The views that ask (one slot each).
enum ViewId : int { kViewRecon = 0, kViewManifold, kViewInterp, kViewPrior, kViewTraversal, kViewActivity, kViewCount };

class ViewBudget {
public:
    static constexpr double kTrainPeriod = 0.5;  // seconds between a view's recomputes while training
    static constexpr double kMaxShare = 0.08;    // at most this share of the time per view (cost())

    explicit ViewBudget(double train_period = kTrainPeriod, int per_frame = 1)
        : train_period_(train_period), per_frame_(per_frame) {}

    // Starts a frame at clock `now`; `training`: the model is being trained this frame.
    void begin_frame(double now, bool training) {
        ++frame_;
        now_ = now;
        training_ = training;
        granted_ = 0;
        // A view that did not ask in the previous frame has left the queue.
        for (Slot& s : slots_)
            if (s.waiting && s.asked < frame_ - 1) s.waiting = false;
    }

    // Whether view `v` recomputes now (its Refresh `r` is due at `step`); on true the caller
    // recomputes and marks `r`. A refused due view waits in the queue for a later frame.
    bool claim(ViewId v, const Refresh& r, double now, long step) {
        Slot& s = slots_[v];
        if (!r.due(now, step)) {
            s.waiting = false;
            return false;
        }
        s.asked = frame_;
        if (!training_) return grant(s);
        if (s.done && now - s.last < period(v)) return false;  // not due yet while training
        if (!s.waiting) {
            s.waiting = true;
            s.since = ++ticket_;
        }
        if (granted_ >= per_frame_) return false;
        for (const Slot& o : slots_)
            if (&o != &s && o.waiting && o.since < s.since) return false;
        return grant(s);
    }

    // The seconds view v's last recompute took (measured by the caller): while training, a
    // view recomputes at most every max(train period, cost / kMaxShare) seconds, so that no
    // view takes more than kMaxShare of the time (the manifold's 225 decodes of the paper's
    // VAE took 30-150 ms in headless Chromium, depending on the machine's load).
    void cost(ViewId v, double seconds) {
        Slot& s = slots_[v];
        s.cost = s.cost > 0 ? 0.7 * s.cost + 0.3 * seconds : seconds;
    }
    // Seconds between view v's recomputes while training.
    double period(ViewId v) const {
        const double c = slots_[v].cost / kMaxShare;
        return c > train_period_ ? c : train_period_;
    }

    // Forgets all stamps (new data or model: every view is due at once).
    void reset() {
        slots_ = {};
        granted_ = 0;
    }

    int granted() const { return granted_; }     // recomputes granted in this frame
    long frame() const { return frame_; }

private:
    struct Slot {
        bool done = false;       // recomputed at least once
        double last = 0;         // clock of the last grant
        bool waiting = false;    // refused while due, in the queue
        long since = 0;          // queue ticket (smaller = waiting longer)
        long asked = -10;        // frame of the last claim() while due
        double cost = 0;         // seconds of a recompute (smoothed; 0 = not measured)
    };
    bool grant(Slot& s) {
        s.done = true;
        s.last = now_;  // the frame's clock (begin_frame)
        s.waiting = false;
        ++granted_;
        return true;
    }

    double train_period_;
    int per_frame_;
    std::array<Slot, kViewCount> slots_{};
    long frame_ = 0, ticket_ = 0;
    double now_ = 0;
    bool training_ = false;
    int granted_ = 0;
};

// ---- time budgets of a frame ------------------------------------------------------------------
// The frame-time target while training: 30 ms (>= 30 fps with the browser's own work).
constexpr double kFrameTargetMs = 30.0;
// The training budget's cap for this frame: what the target leaves after the rest of the
// frame (`rest_ms`: UI, views, codes, render; smoothed), at least `min_ms`. A step in parts
// always runs at least one part (TrainConfig::max_part), so a heavy frame trains one part.
inline double train_cap_ms(double rest_ms, double target_ms = kFrameTargetMs, double min_ms = 1.0) {
    const double left = target_ms - rest_ms;
    return left > min_ms ? left : min_ms;
}
// Test images whose codes are refreshed this frame: `budget_s` seconds at `sec_per_col`
// (measured, smoothed) each, at least 1 and at most n (n >= 1). A fixed time, not a fixed
// count: a conv VAE's image costs ~30x a dense AE's.
inline long code_columns(double budget_s, double sec_per_col, long n) {
    const double c = budget_s / (sec_per_col > 1e-9 ? sec_per_col : 1e-9);
    if (!(c >= 1)) return 1;
    return c >= double(n) ? n : static_cast<long>(c);
}

// claim() through an optional budget: without one (null), whether `r` is due.
inline bool claim_view(ViewBudget* vb, ViewId v, const Refresh& r, double now, long step) {
    return vb ? vb->claim(v, r, now, step) : r.due(now, step);
}

// Measures a granted recompute for ViewBudget::cost() (nothing without a budget):
//     if (claim_view(...)) { ViewTimer t(cx.views, kViewPrior); decode(); }
class ViewTimer {
public:
    ViewTimer(ViewBudget* vb, ViewId v) : vb_(vb), v_(v), t0_(std::chrono::steady_clock::now()) {}
    ~ViewTimer() {
        if (vb_) vb_->cost(v_, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count());
    }
    ViewTimer(const ViewTimer&) = delete;
    ViewTimer& operator=(const ViewTimer&) = delete;

private:
    ViewBudget* vb_;
    ViewId v_;
    std::chrono::steady_clock::time_point t0_;
};

}  // namespace aelab::app
