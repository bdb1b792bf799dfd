// session_pretrain.cpp: the Session's layer-wise pretraining (see session.hpp, "layer-wise
// pretraining"): the phases stepped in the frame's budget, the model shown as it will be
// unrolled, then the fine-tuning trainer; split from session.cpp by job.
#include "session.hpp"

#include <algorithm>

namespace aelab::app {

StepResult Session::train_pretrain(double seconds, long max_steps) {
    if (pre_->diverged()) return {};
    // At most the rest of the current phase (the pretrainer stops at a phase's end).
    StepResult r = pre_->step({max_steps, seconds});
    if (pre_->diverged()) {
        r.diverged = true;
        return r;
    }
    // The views show the phases so far, unrolled (phases not started: their initial weights).
    pre_->unroll_into(*model_->dense());
    if (pre_->done()) {
        // Fine-tuning: a fresh trainer on the unrolled model, with the settings as they are now
        // (an lr / optimizer / batch / objective change during the phases applies from here).
        make_trainer(last_settings_);
    }
    return r;
}

double Session::pretrain_epochs_done() const {
    if (!pre_ || data_.train.size() < 1) return 0.0;
    double e = 0;
    const double batch = std::min<double>(last_settings_.batch, static_cast<double>(data_.train.size()));
    for (const PretrainPhase& ph : pre_->phases())
        e += static_cast<double>(ph.steps) * batch / static_cast<double>(data_.train.size());
    return e;
}

std::string Session::phase_label() const {
    if (!pre_) return "";
    const int m = pre_->num_phases();
    auto arch = [](const PretrainPhase& ph) {
        return std::to_string(ph.in) + "-" + std::to_string(ph.out) + "-" + std::to_string(ph.in);
    };
    if (pre_->diverged()) return "pretraining stopped: " + pre_->divergence_message();
    if (!pre_->done()) {
        const PretrainPhase& ph = pre_->phases()[static_cast<size_t>(pre_->phase())];
        return "pretraining phase " + std::to_string(ph.index + 1) + "/" + std::to_string(m) + ": " + arch(ph) +
               ", step " + std::to_string(ph.steps) + "/" + std::to_string(ph.total_steps);
    }
    return "fine-tuning " + model_->arch_string() + " after " + std::to_string(m) + " pretraining phases";
}

}  // namespace aelab::app
