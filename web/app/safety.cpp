// safety.cpp: see safety.hpp.
#include "safety.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aelab::app {

double LogScale::to_t(double v) const {
    v = std::clamp(v, lo, hi);
    return std::log(v / lo) / std::log(hi / lo);
}

double LogScale::from_t(double t) const {
    t = std::clamp(t, 0.0, 1.0);
    return std::clamp(lo * std::pow(hi / lo, t), lo, hi);
}

void TrainingWatch::reset() { *this = TrainingWatch(); }

void TrainingWatch::set_state(WatchState s) {
    if (s != state_) dismissed_ = false;  // a new warning shows even after a dismissed one
    state_ = s;
}

void TrainingWatch::observe(long step, double test_mse, double pca_mse) {
    if (start_step_ < 0) start_step_ = step;
    last_step_ = step;
    last_mse_ = test_mse;
    pca_mse_ = pca_mse;
    const bool finite = std::isfinite(test_mse);
    if (finite && (best_step_ < 0 || test_mse < best_mse_)) {
        best_mse_ = test_mse;
        best_step_ = step;
    }
    // The candidate (parameters at cand_step_) led to this point, the first one after it:
    // promoted when the point is the best so far, else dropped.
    if (cand_step_ >= 0 && step >= cand_step_) {
        if (finite && (good_step_ < 0 || test_mse <= good_mse_) && test_mse <= best_mse_) {
            good_params_.swap(cand_);
            good_step_ = cand_step_;
            good_mse_ = test_mse;
        }
        cand_step_ = -1;
    }
    if (finite && (improved_step_ < 0 || test_mse < improved_mse_ * (1 - kImprove))) {
        improved_mse_ = test_mse;
        improved_step_ = step;
    }
    const bool exploding = !finite || test_mse > kDivergeRatio * best_mse_;
    if (!guard_why_.empty() && !exploding) {  // recovered: a second calm point after the guard
        if (guard_seen_step_ < 0) {
            guard_seen_step_ = step;
        } else if (step != guard_seen_step_) {
            guard_why_.clear();
            guard_seen_step_ = -1;
        }
    }
    if (exploding) {
        set_state(WatchState::Diverged);
    } else if (!guard_why_.empty()) {
        set_state(WatchState::Diverged);  // until undo / reset / recovery
    } else if (pca_mse > 0 && step - start_step_ >= kStallMinSteps && test_mse > kStallRatio * pca_mse &&
               step - improved_step_ >= kStallWindow) {
        set_state(WatchState::Stalled);
    } else {
        set_state(WatchState::Ok);
    }
}

void TrainingWatch::frame_end(long step, const Vec& params) {
    if (state_ == WatchState::Diverged) return;  // no candidates from a diverging run
    cand_ = params;
    cand_step_ = step;
}

void TrainingWatch::on_guard(const std::string& why) {
    guard_why_ = why.empty() ? "a non-finite or exploding loss" : why;
    guard_seen_step_ = -1;
    set_state(WatchState::Diverged);
}

void TrainingWatch::undo_done(long now_step) {
    guard_why_.clear();
    guard_seen_step_ = -1;
    state_ = WatchState::Ok;
    dismissed_ = false;
    improved_step_ = now_step;
    improved_mse_ = good_mse_;
    best_mse_ = good_mse_;
    cand_step_ = -1;
    start_step_ = std::min(start_step_, now_step);
}

std::string TrainingWatch::message() const {
    if (!shown()) return "";
    char b[320];
    if (state_ == WatchState::Diverged) {
        if (!guard_why_.empty())
            std::snprintf(b, sizeof b, "Training diverged (%s). Lower the learning rate, then undo to the best weights "
                          "(step %ld, test MSE %.4g).", guard_why_.c_str(), good_step_, good_mse_);
        else
            std::snprintf(b, sizeof b, "The test loss jumped to %.4g, more than %.0fx the best so far (%.4g at step %ld): "
                          "the learning rate is probably too large.", last_mse_, kDivergeRatio, best_mse_, best_step_);
    } else {
        std::snprintf(b, sizeof b, "Training has stalled: test MSE %.4g is %.1fx PCA's bound (%.4g) and has not improved "
                      "by %.0f%% for %ld steps. Try another learning rate or optimizer.",
                      last_mse_, last_mse_ / pca_mse_, pca_mse_, kImprove * 100, last_step_ - improved_step_);
    }
    return b;
}

double pca_train_mse(const PCA& pca, int k) {
    if (!pca.fitted() || pca.n_samples_seen_ < 2 || pca.n_features_in_ < 1) return 0;
    k = std::clamp(k, 0, static_cast<int>(pca.n_components_));
    const double kept = pca.explained_variance_.head(k).sum();
    const double rest = std::max(0.0, pca.total_variance_ - kept);
    const double n = static_cast<double>(pca.n_samples_seen_);
    return rest * (n - 1) / (n * static_cast<double>(pca.n_features_in_));
}

}  // namespace aelab::app
