// refresh.hpp: when to recompute a picture that follows a training model.
//
// What: `Refresh` remembers when (clock seconds) and at which model step a picture was last
// made, and says when it is due again: at once after invalidate() (a user action), every
// `period` seconds while the model changes (its step moved), and every `idle` seconds
// otherwise (codes behind a picture may still refresh in chunks after training stops).
// Why: the image panels (reconstructions, manifold, interpolation, components, the hover
// and draw previews) each kept a pair of time / step stamps and one shared predicate; one
// small type replaces the pairs and is unit-tested headlessly (tests/unit/test_controller.cpp).
// The clock is passed in, never read here.
// Usage:
//     Refresh r;                                     // due at once
//     if (r.due(now, session.total_steps())) { redraw(); r.mark(now, session.total_steps()); }
//     r.mark(now);                                   // a picture that does not follow the step:
//                                                    // due again every `period` seconds
//     r.invalidate();                                // the user changed something: due at once
#pragma once

#include <climits>

namespace aelab::app {

class Refresh {
public:
    static constexpr double kPeriod = 0.22, kIdle = 1.0;
    static constexpr long kNoStep = LONG_MIN;  // mark() without a step: "always changed"

    explicit Refresh(double period = kPeriod, double idle = kIdle) : period_(period), idle_(idle) {}

    bool due(double now, long step) const {
        if (!marked_) return true;
        const double age = now - time_;
        return age > idle_ || (age > period_ && (step_ == kNoStep || step != step_));
    }
    void mark(double now, long step = kNoStep) {
        marked_ = true;
        time_ = now;
        step_ = step;
    }
    void invalidate() { marked_ = false; }
    bool marked() const { return marked_; }

private:
    double period_, idle_;
    bool marked_ = false;
    double time_ = 0;
    long step_ = kNoStep;
};

}  // namespace aelab::app
