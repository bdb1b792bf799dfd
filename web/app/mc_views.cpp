// mc_views.cpp: the Monte Carlo panel's data: interval bars and the loss landscape (mc_views.hpp).
#include "mc_views.hpp"

#include "aelab/graph.hpp"
#include "aelab/group_transform.hpp"
#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace aelab::app {

std::vector<McBar> mc_bars(const McIntervals& iv, const Model& model, int max_bars) {
    std::vector<McBar> bars;
    const Vec& p = model.params();
    // The tracked parameters of each group, and each group's offset (for the "[i]" label).
    std::vector<std::string> seen;
    auto group_offset = [&](const std::string& name) -> Index {
        for (const ParamGroup& g : model.param_groups())
            if (g.name == name) return g.offset;
        return 0;
    };
    auto count_in = [&](const std::string& name) {
        long c = 0;
        for (const std::string& g : iv.group) c += g == name;
        return c;
    };
    // Single-parameter groups first (alpha, beta), then one per other group.
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t i = 0; i < iv.params.size() && static_cast<int>(bars.size()) < max_bars; ++i) {
            const std::string& g = iv.group[i];
            if (std::find(seen.begin(), seen.end(), g) != seen.end()) continue;
            const bool single = count_in(g) == 1 && group_transform(model, g) != nullptr;
            if ((pass == 0) != single) continue;
            seen.push_back(g);
            McBar b;
            b.group = g;
            b.param = iv.params[i];
            b.raw_best = iv.best[i];
            b.raw_lo = iv.lo[i];
            b.raw_hi = iv.hi[i];
            const double cur = b.param < p.size() ? static_cast<double>(p[b.param]) : std::nan("");
            if (const ParamTransform* t = group_transform(model, g); t && single) {
                b.label = g;
                b.transform = t->str();
                b.best = t->value(iv.best[i]);
                b.lo = t->value(iv.lo[i]);
                b.hi = t->value(iv.hi[i]);
                b.current = std::isfinite(cur) ? t->value(cur) : cur;
            } else {
                b.label = g + "[" + std::to_string(static_cast<long>(b.param - group_offset(g))) + "]";
                b.best = iv.best[i];
                b.lo = iv.lo[i];
                b.hi = iv.hi[i];
                b.current = cur;
            }
            bars.push_back(b);
        }
    return bars;
}

McRange mc_landscape_range(double lo, double hi, double best, double current) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo) lo = hi = best;
    const double w = std::max(hi - lo, 1e-3 * std::max(1.0, std::fabs(best)));
    McRange r{lo - w, hi + w};
    for (double v : {best, current})
        if (std::isfinite(v)) {
            const double pad = 0.05 * (r.hi - r.lo);
            r.lo = std::min(r.lo, v - pad);
            r.hi = std::max(r.hi, v + pad);
        }
    return r;
}

void McLandscape::start(const Model& model, const Mat& X, Index param, double lo, double hi, int points,
                        int max_rows) {
    AELAB_REQUIRE(points >= 3 && points <= 10000, "a loss landscape needs 3..10000 grid points");
    AELAB_REQUIRE(max_rows >= 1, "a loss landscape needs at least one row");
    AELAB_REQUIRE(X.cols() > 0 && X.rows() == model.input_dim(), "a loss landscape needs data of the model's size");
    AELAB_REQUIRE(param >= 0 && param < model.num_params(), "parameter index out of range");
    AELAB_REQUIRE(std::isfinite(lo) && std::isfinite(hi) && lo < hi, "a loss landscape needs a finite range lo < hi");
    const Index n = std::min<Index>(X.cols(), max_rows);
    Mat sub(X.rows(), n);
    for (Index j = 0; j < n; ++j) sub.col(j) = X.col(j * X.cols() / n);  // evenly strided rows
    std::unique_ptr<Model> m = model.clone();
    X_ = std::move(sub);
    model_ = std::move(m);
    param_ = param;
    base_ = model_->params()[param];
    values_.resize(points);
    for (int i = 0; i < points; ++i) values_[i] = lo + (hi - lo) * i / (points - 1);
    losses_.clear();
    next_ = 0;
}

bool McLandscape::step(int count) {
    if (!started()) return false;
    for (int c = 0; c < count && !done(); ++c) losses_.push_back(loss_at(*model_, X_, param_, values_[next_++]));
    return done();
}

int McLandscape::argmin() const {
    int best = -1;
    for (int i = 0; i < static_cast<int>(losses_.size()); ++i)
        if (std::isfinite(losses_[i]) && (best < 0 || losses_[i] < losses_[best])) best = i;
    return best;
}

void McLandscape::clear() {
    model_.reset();
    X_ = Mat();
    values_.clear();
    losses_.clear();
    next_ = 0;
}

double McLandscape::loss_at(Model& model, const Mat& X, Index param, double v) {
    Vec& p = model.params();
    AELAB_REQUIRE(param >= 0 && param < p.size(), "parameter index out of range");
    const float keep = p[param];
    p[param] = static_cast<float>(v);
    double L = std::numeric_limits<double>::quiet_NaN();
    try {
        L = model.evaluate(X).total;
    } catch (...) {
        p[param] = keep;
        throw;
    }
    p[param] = keep;
    return std::isfinite(L) ? L : std::numeric_limits<double>::quiet_NaN();
}

std::string mc_json(const McIntervals& iv, const std::vector<McBar>& bars, const McLandscape& land) {
    auto num = [](double v) {
        if (!std::isfinite(v)) return std::string("null");
        char b[40];
        std::snprintf(b, sizeof b, "%.9g", v);
        return std::string(b);
    };
    std::string o = "{\"bestLoss\":" + num(iv.best_loss) + ",\"threshold\":" + num(iv.threshold) +
                    ",\"tol\":" + num(iv.tol) + ",\"samples\":" + std::to_string(iv.samples) +
                    ",\"within\":" + std::to_string(iv.within) + ",\"bars\":[";
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const McBar& b = bars[i];
        o += (i ? ",{" : "{") + std::string("\"label\":") + json_string(b.label) +
             ",\"transform\":" + json_string(b.transform) + ",\"lo\":" + num(b.lo) + ",\"hi\":" + num(b.hi) +
             ",\"best\":" + num(b.best) + ",\"current\":" + num(b.current) + "}";
    }
    o += "],\"landscape\":";
    if (!land.started()) return o + "null}";
    const int am = land.argmin();
    o += "{\"param\":" + std::to_string(static_cast<long>(land.param())) +
         ",\"points\":" + std::to_string(land.values().size()) + ",\"computed\":" + std::to_string(land.computed()) +
         ",\"argminValue\":" + num(am >= 0 ? land.values()[am] : std::nan("")) +
         ",\"minLoss\":" + num(am >= 0 ? land.losses()[am] : std::nan("")) + "}";
    return o + "}";
}

}  // namespace aelab::app
