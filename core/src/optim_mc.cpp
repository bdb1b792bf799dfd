// optim_mc.cpp — the Monte Carlo search of aelab/optim.hpp ("Monte Carlo search" there):
// a population of candidates per step, one adaptive scale per parameter group, Metropolis
// acceptance with an annealed temperature, a reflecting box, and the archive behind the weak
// confidence intervals.
#include "aelab/optim.hpp"

#include "optim_detail.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aelab {

using detail::bad_state;
using detail::reject_unknown;
using detail::require_finite;
using detail::require_iterations;

namespace {

constexpr double kGrow = 1.22, kShrink = 0.951;  // 1/5th-success rule: 0.2 ln 1.22 + 0.8 ln 0.951 ~ 0
constexpr double kMinScale = 1e-12, kMaxScale = 1e12;
constexpr double kCauchyCap = 1e6;  // |Cauchy draw| <= 1e6 scales (keeps candidates finite)
constexpr Index kMaxTracked = 256;
constexpr Index kSmallGroup = 1;  // single-parameter groups (alpha, beta) are always tracked

// The smallest float >= v and the largest float <= v (the box in the parameters' precision).
float float_at_least(double v) {
    float f = float(v);
    if (double(f) < v) f = std::nextafter(f, std::numeric_limits<float>::infinity());
    return f;
}
float float_at_most(double v) {
    float f = float(v);
    if (double(f) > v) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
    return f;
}

class MonteCarlo final : public Optimizer {
public:
    MonteCarlo(const OptimizerConfig& c, Index n, const std::vector<ParamGroup>& groups)
        : Optimizer(c), rng_(c.seed, 0x3c), n_(n), trial_(n) {
        std::vector<char> used(std::size_t(n), 0);
        for (const ParamGroup& g : groups) {
            AELAB_REQUIRE(g.size > 0 && g.offset >= 0 && g.offset <= n - g.size,
                          "parameter group '" + g.name + "' [" + std::to_string(g.offset) + ", +" +
                              std::to_string(g.size) + ") is empty or outside the " + std::to_string(n) +
                              " parameters");
            for (Index i = g.offset; i < g.offset + g.size; ++i) {
                AELAB_REQUIRE(!used[std::size_t(i)], "parameter group '" + g.name + "' overlaps another group");
                used[std::size_t(i)] = 1;
            }
        }
        model_groups_ = groups;
        all_ = {{"all", 0, n}};
        if (model_groups_.empty()) model_groups_.push_back({"all", 0, n});
        // Tracked parameters: all when few; else the single-parameter groups (a parametric
        // layer's alpha and beta), then the first group's first ones, kMaxTracked in all, in
        // index order.
        if (n <= kMaxTracked) {
            for (Index i = 0; i < n; ++i) tracked_.push_back(i);
        } else {
            for (const ParamGroup& g : model_groups_)
                if (g.size <= kSmallGroup && Index(tracked_.size()) + g.size <= kMaxTracked)
                    for (Index i = 0; i < g.size; ++i) tracked_.push_back(g.offset + i);
            const ParamGroup& first = model_groups_.front();
            for (Index i = 0; i < first.size && Index(tracked_.size()) < kMaxTracked; ++i)
                if (first.size > kSmallGroup) tracked_.push_back(first.offset + i);
            std::sort(tracked_.begin(), tracked_.end());
        }
        scales_.assign(groups_().size(), c.lr);
    }
    bool needs_gradient() const override { return false; }

    double step(Vec& p, Vec&, double loss, Objective& f) override {
        ++t_;
        const std::vector<ParamGroup>& gs = groups_();
        if (scales_.size() != gs.size()) {
            const double s0 = scales_.empty() ? cfg_.lr : scales_.front();  // a copy: assign() reallocates
            scales_.assign(gs.size(), s0);
        }
        trim_archive();
        const bool box = has_box();
        double cur = std::isfinite(loss) ? loss : std::numeric_limits<double>::infinity();
        if (box && !inside(p)) cur = std::numeric_limits<double>::infinity();
        const Index G = Index(gs.size()), P = cfg_.mc_pop;
        const Index first = Index((static_cast<long long>(t_ - 1) % G) * (P % G) % G);
        double best_f = std::numeric_limits<double>::infinity();
        if (best_.size() != p.size()) best_.resize(p.size());
        for (Index k = 0; k < P; ++k) {
            const std::size_t gi = cfg_.mc_groups ? std::size_t((first + k) % G) : 0;
            const ParamGroup& g = gs[gi];
            trial_ = p;
            for (Index i = g.offset; i < g.offset + g.size; ++i) {
                double v = double(p(i)) + scales_[gi] * draw();
                trial_(i) = box ? reflect(v) : float(v);
            }
            const double fk = f.eval(trial_, nullptr);
            const bool ok = std::isfinite(fk);
            scales_[gi] = std::clamp(scales_[gi] * (ok && fk <= cur ? kGrow : kShrink), kMinScale, kMaxScale);
            if (!ok) continue;
            archive(fk);
            if (fk < best_f) {
                best_f = fk;
                best_ = trial_;
            }
        }
        if (!std::isfinite(best_f)) return loss;
        bool accept = best_f <= cur;
        if (!accept && cfg_.mc_temp > 0) {
            const double T = cfg_.mc_temp * std::pow(cfg_.mc_anneal, double(t_ - 1));
            accept = T > 0 && rng_.uniform() < std::exp(-(best_f - cur) / T);
        }
        if (!accept) return loss;
        p = best_;
        return best_f;
    }

    void reset() override {
        scales_.assign(groups_().size(), cfg_.lr);
        values_.clear();
        losses_.clear();
        t_ = 0;
    }

    McIntervals intervals() const {
        McIntervals r;
        const std::size_t m = tracked_.size(), count = losses_.size();
        r.tol = cfg_.mc_tol;
        r.samples = long(count);
        r.params = tracked_;
        for (const ParamGroup& g : groups_()) r.group_names.push_back(g.name);
        r.group_scales = scales_;
        for (Index i : tracked_) {
            std::string name = "?";
            for (const ParamGroup& g : model_groups_)
                if (i >= g.offset && i < g.offset + g.size) name = g.name;
            r.group.push_back(name);
        }
        if (count == 0) {
            r.best_loss = r.threshold = std::numeric_limits<double>::quiet_NaN();
            r.best.assign(m, r.best_loss);
            r.lo = r.hi = r.best;
            return r;
        }
        const std::size_t b = std::size_t(std::min_element(losses_.begin(), losses_.end()) - losses_.begin());
        r.best_loss = losses_[b];
        r.threshold = r.best_loss + cfg_.mc_tol * std::fabs(r.best_loss);
        r.best.resize(m);
        r.lo.assign(m, std::numeric_limits<double>::infinity());
        r.hi.assign(m, -std::numeric_limits<double>::infinity());
        for (std::size_t j = 0; j < m; ++j) r.best[j] = values_[b * m + j];
        for (std::size_t s = 0; s < count; ++s) {
            if (!(losses_[s] <= r.threshold)) continue;
            ++r.within;
            for (std::size_t j = 0; j < m; ++j) {
                r.lo[j] = std::min(r.lo[j], double(values_[s * m + j]));
                r.hi[j] = std::max(r.hi[j], double(values_[s * m + j]));
            }
        }
        return r;
    }

    OptimizerState export_state() const override {
        OptimizerState st;
        st.iterations = t_;
        const Rng::State r = rng_.get_state();
        st.reals["mc.sigma"] = scales_;
        st.reals["mc.rng.spare"] = {r.has_spare ? r.spare : 0.0};
        st.integers["mc.rng.state"] = r.state;
        st.integers["mc.rng.inc"] = r.inc;
        st.integers["mc.rng.has_spare"] = r.has_spare ? 1 : 0;
        st.arrays["mc.archive.values"] = Eigen::Map<const Vec>(values_.data(), Index(values_.size()));
        st.reals["mc.archive.loss"] = losses_;
        st.integers["mc.archive.width"] = tracked_.size();
        return st;
    }

    void import_state(const OptimizerState& st) override {
        require_iterations(st.iterations);
        reject_unknown(st.arrays, {"mc.archive.values"}, "array", cfg_.kind);
        reject_unknown(st.reals, {"mc.sigma", "mc.rng.spare", "mc.archive.loss"}, "value", cfg_.kind);
        reject_unknown(st.integers, {"mc.rng.state", "mc.rng.inc", "mc.rng.has_spare", "mc.archive.width"}, "integer",
                       cfg_.kind);
        auto reals = [&](const char* name) -> const std::vector<double>& {
            auto it = st.reals.find(name);
            if (it == st.reals.end()) throw Error(bad_state(std::string("'") + name + "' is missing"));
            return it->second;
        };
        auto integer = [&](const char* name) {
            auto it = st.integers.find(name);
            if (it == st.integers.end()) throw Error(bad_state(std::string("'") + name + "' is missing"));
            return it->second;
        };
        const std::size_t G = groups_().size();
        std::vector<double> scales = reals("mc.sigma");
        if (scales.size() == 1 && G > 1) {  // a (1+1) search's file; a copy, since assign() reallocates
            const double s0 = scales[0];
            scales.assign(G, s0);
        }
        if (scales.size() != G)
            throw Error(bad_state("'mc.sigma' has " + std::to_string(scales.size()) + " scales, the search has " +
                                  std::to_string(G) + " parameter groups"));
        for (double s : scales)
            if (!(std::isfinite(s) && s > 0 && s < 1e30)) throw Error(bad_state("Monte Carlo scales must be finite and > 0"));
        const std::vector<double>& spare = reals("mc.rng.spare");
        if (spare.size() != 1) throw Error(bad_state("'mc.rng.spare' must be one value"));
        Rng::State r;
        r.spare = spare[0];
        r.state = integer("mc.rng.state");
        r.inc = integer("mc.rng.inc");
        const std::uint64_t hs = integer("mc.rng.has_spare");
        if (hs > 1) throw Error(bad_state("'mc.rng.has_spare' must be 0 or 1"));
        r.has_spare = hs == 1;
        // The archive is optional (files of the (1+1) search have none); all three keys or none.
        const auto av = st.arrays.find("mc.archive.values");
        const auto al = st.reals.find("mc.archive.loss");
        const auto aw = st.integers.find("mc.archive.width");
        const int present = (av != st.arrays.end()) + (al != st.reals.end()) + (aw != st.integers.end());
        if (present != 0 && present != 3)
            throw Error(bad_state("the Monte Carlo archive needs 'mc.archive.values', 'mc.archive.loss' and "
                                  "'mc.archive.width' together"));
        std::vector<float> values;
        std::vector<double> losses;
        if (present == 3) {
            const std::size_t m = tracked_.size(), count = al->second.size();
            if (aw->second != m)
                throw Error(bad_state("the Monte Carlo archive tracks " + std::to_string(aw->second) +
                                      " parameters, this search tracks " + std::to_string(m)));
            if (count > std::size_t(cfg_.mc_archive))
                throw Error(bad_state("the Monte Carlo archive holds " + std::to_string(count) +
                                      " samples, more than its size " + std::to_string(cfg_.mc_archive)));
            if (std::size_t(av->second.size()) != count * m)
                throw Error(bad_state("'mc.archive.values' has " + std::to_string(av->second.size()) + " entries, expected " +
                                      std::to_string(count) + " x " + std::to_string(m)));
            require_finite(av->second, "mc.archive.values");
            for (double l : al->second)
                if (!std::isfinite(l)) throw Error(bad_state("'mc.archive.loss' has NaN or infinite entries"));
            values.assign(av->second.data(), av->second.data() + av->second.size());
            losses = al->second;
        }
        Rng rng = rng_;
        try {
            rng.set_state(r);
        } catch (const Error& e) {
            throw Error(bad_state(e.what()));
        }
        rng_ = rng;
        scales_ = std::move(scales);
        values_ = std::move(values);
        losses_ = std::move(losses);
        t_ = st.iterations;
    }

private:
    // The groups the search samples: the model's, or one group "all" (mc_groups = false).
    const std::vector<ParamGroup>& groups_() const {
        return cfg_.mc_groups ? model_groups_ : all_;
    }
    bool has_box() const { return cfg_.mc_lo < cfg_.mc_hi; }
    bool inside(const Vec& p) const {
        const float lo = float_at_least(cfg_.mc_lo), hi = float_at_most(cfg_.mc_hi);
        return p.size() == 0 || (p.minCoeff() >= lo && p.maxCoeff() <= hi);
    }
    // v mirrored at the walls into [lo, hi] (period 2 (hi - lo)), then rounded into the box.
    float reflect(double v) const {
        const double lo = cfg_.mc_lo, w = cfg_.mc_hi - cfg_.mc_lo;
        double m = std::fmod(v - lo, 2 * w);
        if (m < 0) m += 2 * w;
        if (m > w) m = 2 * w - m;
        return std::clamp(float(lo + m), float_at_least(cfg_.mc_lo), float_at_most(cfg_.mc_hi));
    }
    double draw() {
        switch (cfg_.mc_dist) {
            case McDist::Normal: return rng_.normal();
            case McDist::Uniform: return 2 * rng_.uniform() - 1;
            case McDist::Cauchy: {
                double u = rng_.uniform();
                while (u <= 0 || u >= 1) u = rng_.uniform();
                return std::clamp(std::tan(3.14159265358979323846 * (u - 0.5)), -kCauchyCap, kCauchyCap);
            }
        }
        return 0;
    }
    // Adds trial_'s tracked values with loss fk; when full, replaces the worst if fk is lower.
    void archive(double fk) {
        const std::size_t m = tracked_.size();
        std::size_t slot = losses_.size();
        if (losses_.size() >= std::size_t(cfg_.mc_archive)) {
            slot = std::size_t(std::max_element(losses_.begin(), losses_.end()) - losses_.begin());
            if (!(fk < losses_[slot])) return;
            losses_[slot] = fk;
        } else {
            losses_.push_back(fk);
            values_.resize(values_.size() + m);
        }
        for (std::size_t j = 0; j < m; ++j) values_[slot * m + j] = trial_(tracked_[j]);
    }
    // A smaller archive size (set_config): keep the best samples, in their order.
    void trim_archive() {
        const std::size_t cap = std::size_t(cfg_.mc_archive), m = tracked_.size();
        if (losses_.size() <= cap) return;
        std::vector<std::size_t> idx(losses_.size());
        for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return losses_[a] < losses_[b]; });
        idx.resize(cap);
        std::sort(idx.begin(), idx.end());
        std::vector<float> values;
        std::vector<double> losses;
        for (std::size_t i : idx) {
            losses.push_back(losses_[i]);
            values.insert(values.end(), values_.begin() + std::ptrdiff_t(i * m), values_.begin() + std::ptrdiff_t((i + 1) * m));
        }
        values_.swap(values);
        losses_.swap(losses);
    }

    Rng rng_;
    Index n_;
    Vec trial_, best_;
    std::vector<ParamGroup> model_groups_;
    std::vector<ParamGroup> all_;  // one group "all" of every parameter
    std::vector<Index> tracked_;
    std::vector<double> scales_;   // one per sampled group
    std::vector<float> values_;    // archive: count x tracked, row-major
    std::vector<double> losses_;   // archive: count
};

}  // namespace

std::unique_ptr<Optimizer> make_monte_carlo(const OptimizerConfig& c, Index n, const std::vector<ParamGroup>& groups) {
    return std::make_unique<MonteCarlo>(c, n, groups);
}

McIntervals mc_intervals(const Optimizer& opt) {
    const auto* mc = dynamic_cast<const MonteCarlo*>(&opt);
    if (!mc) throw Error(std::string("weak confidence intervals need the Monte Carlo search, not ") +
                         optimizer_name(opt.config().kind));
    return mc->intervals();
}

}  // namespace aelab
