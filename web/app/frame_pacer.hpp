// frame_pacer.hpp: the training slice of a frame, adapted to the measured frame interval.
//
// What: `FramePacer` turns the interval between animation frames (the whole frame as the
// browser runs it: the app's part, the browser's compositing and SwiftShader's drawing, and
// the wait for the next vsync) into the milliseconds of training the next frame may spend:
//   - the interval is smoothed by an EMA (weight `alpha` per frame); an interval longer than
//     `stall_ms` (a hidden tab, a model build, a garbage collection) is ignored, not averaged;
//   - hysteresis: while the smoothed interval is within `band_ms` of `target_ms` the budget
//     holds; above the band it shrinks by `gain_down` ms per ms of excess and frame, below the
//     band it grows back by `gain_up` ms per ms of room and frame (an integral law: the budget
//     moves until the interval is back in the band, whatever the frame's other costs);
//   - the budget stays within [floor_ms, ceiling], the ceiling being the budget the page used
//     before (the user's ms/frame capped by train_cap_ms(), passed each frame). The floor does
//     not starve training: the trainer runs at least one optimizer step a frame, or for a
//     layer graph trained in parts at least one part (25 images), whatever the budget.
//   - only frames that trained inform the law (`trained`: paused frames leave it as it is).
// Stability (the unit tests check it on simulated frame-cost models): on a frame whose time
// grows ms for ms with the budget, the EMA and the integral law form a second-order loop whose
// poles are real (no oscillation) while alpha * (1 + gain) <= 2 - 2 sqrt(1 - alpha); the
// defaults (0.3, 0.09) sit at that limit (critical damping: a 50 ms frame is cut back to the
// band in ~25 frames, under a second). The band absorbs jitter; growing is slower than
// shrinking, so long frames are cut quickly and room is taken back gently. In a browser the
// interval comes in whole vsyncs (16.7, 33.3, 50 ms at 60 Hz): a frame that fits two vsyncs
// runs at 30 fps, one that spills into a third at 20. Aiming the mean at 28 ms (band 25-31)
// keeps every frame within two vsyncs: where even the floor's frame needs two (the VAE on
// the page) the budget rests on the floor at 30 fps; where one vsync is within reach the
// budget settles at that edge (moving by < 0.3 ms), frames mixing 16.7 and 33.3 ms at ~35 fps.
// Why: issue 10 asks >= 30 fps while training in headless Chromium. A fixed training slice
// (8 ms, overshot to 13 ms by the last part) put the VAE's frame at 33-50 ms (23.7 fps on an
// idle machine); the rest of the frame (views, UI, the browser) varies with the model, the
// panels and the machine's load, so the slice is set by what the frames measure.
// Usage:
//     FramePacer pacer;                                         // one per App
//     const double interval = (t - last_t) * 1e3;               // at the start of a frame
//     const double cap = pacer.update(interval, today_cap_ms, trained_last_frame);
//     ctl.train(cap);                                           // the trainer's ms budget
//     pacer.reset();                                            // a new model or data set
#pragma once

#include <algorithm>
#include <limits>

namespace aelab::app {

struct FramePacerConfig {
    double target_ms = 28.0;   // the aim of the smoothed interval (30 fps is 33.3 ms)
    double band_ms = 3.0;      // hysteresis: no change while |smoothed - target| <= band
    double alpha = 0.3;        // EMA weight of the newest interval
    double gain_down = 0.09;   // budget ms taken off per ms above the band, per frame
    double gain_up = 0.04;     // budget ms given back per ms below the band, per frame
    double floor_ms = 1.0;     // the budget's lower bound (see the header: at least one step / part)
    double stall_ms = 250.0;   // longer intervals are stalls, not frames: ignored
};

class FramePacer {
public:
    explicit FramePacer(FramePacerConfig c = {}) : c_(c) {}

    // The training budget (ms) of the frame that starts now. `interval_ms`: the time since the
    // previous frame started; `ceiling_ms`: the budget without pacing (> 0); `trained`: the
    // previous frame trained (only then does its interval say something about the budget).
    double update(double interval_ms, double ceiling_ms, bool trained) {
        const double lo = std::min(c_.floor_ms, ceiling_ms);
        if (budget_ > ceiling_ms) budget_ = ceiling_ms;
        if (budget_ < lo) budget_ = lo;
        if (!trained || !(interval_ms > 0) || interval_ms > c_.stall_ms) return budget_;
        smoothed_ = seen_ ? smoothed_ + c_.alpha * (interval_ms - smoothed_) : interval_ms;
        seen_ = true;
        const double err = smoothed_ - c_.target_ms;
        if (err > c_.band_ms) budget_ -= c_.gain_down * (err - c_.band_ms);
        else if (err < -c_.band_ms) budget_ += c_.gain_up * (-err - c_.band_ms);
        budget_ = std::clamp(budget_, lo, ceiling_ms);
        return budget_;
    }

    // A new model or data set: back to the ceiling, no history.
    void reset() {
        budget_ = std::numeric_limits<double>::infinity();
        smoothed_ = 0;
        seen_ = false;
    }

    double budget_ms() const { return budget_; }      // the last budget returned (inf before the first)
    double smoothed_ms() const { return smoothed_; }  // the smoothed interval (0 before the first)
    const FramePacerConfig& config() const { return c_; }

private:
    FramePacerConfig c_;
    double budget_ = std::numeric_limits<double>::infinity();
    double smoothed_ = 0;
    bool seen_ = false;
};

}  // namespace aelab::app
