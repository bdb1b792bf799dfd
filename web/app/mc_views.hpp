// mc_views.hpp: what the page's Monte Carlo panel draws, as plain data (no ImGui).
//
// What:
//  - mc_bars(): one bar per tracked parameter to show from the search's weak confidence
//    intervals (aelab/optim.hpp mc_intervals()): every single-parameter group (a parametric
//    layer's alpha / beta) and the first tracked parameter of every other group (a layer's W
//    or b), at most `max_bars`. Each bar holds the interval [lo, hi], the value at the best
//    archived sample and the model's current value; for alpha / beta of a kp / km layer all
//    four are transformed by the layer's constraint T (softplus, exp, sig(L,H)) so they are
//    the values the layer uses, as the CLI prints them: T is monotone, so [T(lo), T(hi)].
//  - McLandscape: the loss along ONE raw parameter, all others fixed at the model's current
//    values, on a grid of `points` values across [lo, hi] (mc_landscape_range(): the interval
//    widened on both sides by its width, and always containing the best and current values),
//    on a bounded subset of the training rows (at most `max_rows`, evenly strided). The loss is
//    Model::evaluate()'s total (deterministic; the recon loss plus a VAE's KL, penalties
//    excluded). It works on its own copy of the model, a few grid points per call (step()), so
//    the page spreads it over frames and never freezes one; the tolerance level drawn with it
//    is min + tol * |min| of the curve (the interval's rule applied to this slice).
// Why here: the panel (panel_mc.cpp) only draws; these parts are unit-tested natively and in
// WASM (tests/unit/test_app_mc.cpp).
// Usage:
//     std::vector<McBar> bars = mc_bars(mc_intervals(opt), model, 24);
//     McLandscape L; L.start(model, Xtrain, bar.param, r.lo, r.hi, 41, 256);
//     while (!L.done()) L.step(2);   // the page: a few per frame
//     L.values(), L.losses()          // points values; NaN where the loss is not finite
#pragma once

#include "aelab/model.hpp"
#include "aelab/optim.hpp"

#include <memory>
#include <string>
#include <vector>

namespace aelab::app {

struct McBar {
    std::string label;      // "layer2.alpha" or "layer1.W[0]" (index within the group)
    std::string group;      // the group's name
    std::string transform;  // the constraint shown ("softplus"...), "" for a raw parameter
    Index param = 0;        // index into the flat parameter vector
    double best = 0, lo = 0, hi = 0, current = 0;  // as the layer uses them (transformed)
    double raw_best = 0, raw_lo = 0, raw_hi = 0;   // what the search moves
};
std::vector<McBar> mc_bars(const McIntervals& iv, const Model& model, int max_bars);

struct McRange {
    double lo = 0, hi = 0;
};
// [lo - w, hi + w] with w = max(hi - lo, 1e-3 * max(1, |best|)), widened to contain best and
// current. Finite inputs give a finite range with lo < hi.
McRange mc_landscape_range(double lo, double hi, double best, double current);

class McLandscape {
public:
    // Copies the model and the subset; points >= 3, max_rows >= 1, X non-empty, param in
    // range, lo < hi finite (aelab::Error otherwise; the landscape is then unchanged).
    void start(const Model& model, const Mat& X, Index param, double lo, double hi, int points, int max_rows);
    // Evaluates up to `count` more grid points; returns done().
    bool step(int count);
    bool started() const { return model_ != nullptr; }
    bool done() const { return started() && next_ == static_cast<int>(values_.size()); }
    int computed() const { return next_; }
    Index param() const { return param_; }
    const std::vector<double>& values() const { return values_; }
    const std::vector<double>& losses() const { return losses_; }  // computed() entries
    double base_value() const { return base_; }  // the parameter's value in the copied model
    // min of the computed finite losses and its grid index (-1 when none).
    int argmin() const;
    void clear();

    // The loss of `model` on X with parameter `param` set to v (restored after): the direct
    // evaluation the grid is checked against.
    static double loss_at(Model& model, const Mat& X, Index param, double v);

private:
    std::unique_ptr<Model> model_;
    Mat X_;
    Index param_ = 0;
    double base_ = 0;
    std::vector<double> values_, losses_;
    int next_ = 0;
};

// The panel's state as a JSON object for window.aelab (Stats::mc_json): {"bestLoss", "threshold",
// "tol", "samples", "within", "bars": [{"label", "transform", "lo", "hi", "best", "current"}],
// "landscape": {"param", "points", "computed", "argminValue", "minLoss"}} (non-finite -> null).
std::string mc_json(const McIntervals& iv, const std::vector<McBar>& bars, const McLandscape& land);

}  // namespace aelab::app
