// safety.hpp: the playground's safe controls, without drawing: the learning rate's
// logarithmic slider scale, the training watch (stall / divergence warnings and the last
// good weights to undo to) and PCA's bound on the training set.
//
// What:
// - LogScale{lo, hi}: slider position t in [0, 1] <-> value in [lo, hi] (0 < lo < hi),
//   v = lo * (hi / lo)^t: equal slider distances multiply the value by equal factors. It is
//   the mapping of ImGui's ImGuiSliderFlags_Logarithmic for a positive range, so the page's
//   lr slider (1e-5 .. 10) and this function agree (the e2e test checks a drag against it).
// - TrainingWatch: fed the newest history point of each frame (step, test MSE, PCA's test
//   MSE) and, at the end of each frame, the model's parameters. The history's test MSE is
//   measured mid-frame, so parameters are proven good one point later: the end-of-frame
//   copy is a candidate, and becomes the "last good" state when the next point (measured
//   after it) is finite and the best test MSE so far. It reports:
//     Diverged  the latest test MSE is not finite or more than kDivergeRatio (3x) the best,
//               or the trainer's own divergence guard fired (on_guard);
//     Stalled   at least kStallMinSteps (3000) steps since the model started, the latest test
//               MSE above kStallRatio (1.5x) PCA's test bound, and no improvement of the best
//               by kImprove (1%) over the last kStallWindow (2000) steps.
//   undo_done() after the caller restored good_params(): the warning clears and the stall
//   window restarts. dismiss() hides the current warning until the next one.
// - pca_train_mse(pca, k): the MSE per value of PCA with k components on the data it was
//   fitted on: (N - 1) / (N d) * sum of the discarded eigenvalues (pca keeps them all or
//   total_variance_ has the rest).
// Why: a learning rate dragged too far used to collapse the network with no hint; the
//   rules live here, pure and unit-tested natively and in WASM (tests/unit/test_explain.cpp),
//   and the Controller applies them.
// Usage:
//     LogScale lr{1e-5, 10};  double v = lr.from_t(0.5);   // 3.16e-3
//     each frame: watch.observe(h.back().step, h.back().test_mse, pca);  watch.frame_end(steps, params);
//     if (watch.shown()) show watch.message(), an undo button when watch.can_undo()
#pragma once

#include "aelab/common.hpp"
#include "aelab/pca.hpp"

#include <string>

namespace aelab::app {

struct LogScale {
    double lo = 1e-5, hi = 10;
    // Position of v (clamped into [lo, hi]) in [0, 1].
    double to_t(double v) const;
    // Value at position t (clamped into [0, 1]).
    double from_t(double t) const;
};
// The learning-rate slider's range.
constexpr double kLrMin = 1e-5, kLrMax = 10.0;

enum class WatchState { Ok, Stalled, Diverged };

class TrainingWatch {
public:
    static constexpr double kStallRatio = 1.5;
    static constexpr long kStallMinSteps = 3000;
    static constexpr long kStallWindow = 2000;
    static constexpr double kImprove = 0.01;
    static constexpr double kDivergeRatio = 3.0;

    // A new model (or data): forgets everything.
    void reset();
    // The newest history point (test MSE measured at `step`).
    void observe(long step, double test_mse, double pca_mse);
    // The parameters at the end of a frame, at trainer step `step` (the candidate).
    void frame_end(long step, const Vec& params);
    // The trainer's divergence guard stopped training (it restored its own snapshot). The
    // warning stays until undo / reset, or until training has recovered: two distinct history
    // points after the guard, both finite and not exploding (say, after a lower learning rate).
    void on_guard(const std::string& why);
    WatchState state() const { return state_; }
    // The warning to show ("" when Ok or dismissed).
    std::string message() const;
    bool shown() const { return state_ != WatchState::Ok && !dismissed_; }
    void dismiss() { dismissed_ = true; }

    bool can_undo() const { return good_params_.size() > 0; }
    const Vec& good_params() const { return good_params_; }
    long good_step() const { return good_step_; }
    double good_mse() const { return good_mse_; }
    // The caller put good_params() back into the model at step `now_step`.
    void undo_done(long now_step);

private:
    void set_state(WatchState s);
    WatchState state_ = WatchState::Ok;
    bool dismissed_ = false;
    long start_step_ = -1;        // first step observed
    long improved_step_ = -1;     // step of the last improvement by kImprove
    double improved_mse_ = 0;     // best MSE at that improvement
    double best_mse_ = 0, good_mse_ = 0, last_mse_ = 0, pca_mse_ = 0;
    long best_step_ = -1, good_step_ = -1, last_step_ = -1, cand_step_ = -1;
    std::string guard_why_;
    long guard_seen_step_ = -1;   // first finite, calm point after the guard (-1: none yet)
    Vec good_params_, cand_;
};

double pca_train_mse(const PCA& pca, int k);

}  // namespace aelab::app
