// optim.cpp — the optimizers of aelab/optim.hpp except the Monte Carlo search (optim_mc.cpp).
#include "aelab/optim.hpp"

#include "aelab/kernels.hpp"
#include "optim_detail.hpp"

#include <cmath>
#include <deque>
#include <limits>
#include <sstream>

namespace aelab {

using detail::bad_state;
using detail::reject_unknown;
using detail::require_finite;
using detail::require_iterations;

OptimizerKind parse_optimizer(const std::string& n) {
    if (n == "sgd") return OptimizerKind::SGD;
    if (n == "adagrad") return OptimizerKind::AdaGrad;
    if (n == "rmsprop") return OptimizerKind::RMSProp;
    if (n == "adam") return OptimizerKind::Adam;
    if (n == "adamw") return OptimizerKind::AdamW;
    if (n == "lbfgs" || n == "l-bfgs") return OptimizerKind::LBFGS;
    if (n == "mc" || n == "montecarlo" || n == "monte_carlo") return OptimizerKind::MonteCarlo;
    throw Error("unknown optimizer '" + n + "' (valid: sgd, adagrad, rmsprop, adam, adamw, lbfgs, mc)");
}

namespace {

// One row per optimizer, in enum order: the name files and options use, the name UIs show.
struct OptimizerNames {
    OptimizerKind kind;
    const char* name;
    const char* label;
};
constexpr OptimizerNames kOptimizerNames[] = {
    {OptimizerKind::SGD, "sgd", "SGD"},         {OptimizerKind::AdaGrad, "adagrad", "AdaGrad"},
    {OptimizerKind::RMSProp, "rmsprop", "RMSProp"}, {OptimizerKind::Adam, "adam", "Adam"},
    {OptimizerKind::AdamW, "adamw", "AdamW"},   {OptimizerKind::LBFGS, "lbfgs", "L-BFGS"},
    {OptimizerKind::MonteCarlo, "mc", "Monte Carlo"}};

const OptimizerNames* find_names(OptimizerKind k) {
    for (const OptimizerNames& n : kOptimizerNames)
        if (n.kind == k) return &n;
    return nullptr;
}

}  // namespace

const char* optimizer_name(OptimizerKind k) {
    const OptimizerNames* n = find_names(k);
    return n ? n->name : "?";
}

const char* optimizer_label(OptimizerKind k) {
    const OptimizerNames* n = find_names(k);
    return n ? n->label : "?";
}

McDist parse_mc_dist(const std::string& n) {
    if (n == "normal" || n == "gaussian") return McDist::Normal;
    if (n == "uniform") return McDist::Uniform;
    if (n == "cauchy") return McDist::Cauchy;
    throw Error("unknown Monte Carlo distribution '" + n + "' (valid: normal, uniform, cauchy)");
}

const char* mc_dist_name(McDist d) {
    switch (d) {
        case McDist::Normal: return "normal";
        case McDist::Uniform: return "uniform";
        case McDist::Cauchy: return "cauchy";
    }
    return "?";
}

const std::vector<OptimizerKind>& all_optimizers() {
    static const std::vector<OptimizerKind> all = [] {
        std::vector<OptimizerKind> v;
        for (const OptimizerNames& n : kOptimizerNames) v.push_back(n.kind);
        return v;
    }();
    return all;
}

OptimizerConfig OptimizerConfig::defaults_for(OptimizerKind k) {
    OptimizerConfig c;
    c.kind = k;
    switch (k) {
        case OptimizerKind::SGD: c.lr = 0.01; break;
        case OptimizerKind::AdaGrad: c.lr = 0.01; c.eps = 1e-10; break;
        case OptimizerKind::RMSProp: c.lr = 1e-3; c.eps = 1e-7; break;
        case OptimizerKind::Adam: c.lr = 1e-3; break;
        case OptimizerKind::AdamW: c.lr = 1e-3; c.weight_decay = 0.01; break;
        case OptimizerKind::LBFGS: c.lr = 1.0; break;
        case OptimizerKind::MonteCarlo: c.lr = 0.01; break;
    }
    return c;
}

void OptimizerConfig::validate() const {
    auto fin = [](double v) { return std::isfinite(v); };
    if (!(fin(lr) && lr > 0 && lr <= 1e4))
        throw Error("learning rate must be in (0, 1e4], got " + std::to_string(lr));
    if (!(fin(momentum) && momentum >= 0 && momentum < 1))
        throw Error("momentum must be in [0, 1), got " + std::to_string(momentum));
    if (nesterov && momentum <= 0) throw Error("nesterov needs momentum > 0");
    if (!(fin(beta1) && beta1 >= 0 && beta1 < 1)) throw Error("beta1 must be in [0, 1)");
    if (!(fin(beta2) && beta2 >= 0 && beta2 < 1)) throw Error("beta2 must be in [0, 1)");
    if (!(fin(eps) && eps > 0 && eps < 1)) throw Error("eps must be in (0, 1)");
    if (!(fin(rho) && rho > 0 && rho < 1)) throw Error("rho must be in (0, 1)");
    if (!(fin(weight_decay) && weight_decay >= 0 && weight_decay < 1e3)) throw Error("weight decay must be in [0, 1000)");
    if (history < 1 || history > 1000) throw Error("L-BFGS history must be in 1..1000");
    if (max_line_search < 1 || max_line_search > 100) throw Error("line search steps must be in 1..100");
    if (mc_pop < 1 || mc_pop > 10000) throw Error("Monte Carlo population must be in 1..10000, got " + std::to_string(mc_pop));
    if (!(fin(mc_temp) && mc_temp >= 0 && mc_temp <= 1e30))
        throw Error("Monte Carlo temperature must be finite and >= 0, got " + std::to_string(mc_temp));
    if (!(fin(mc_anneal) && mc_anneal > 0 && mc_anneal <= 1))
        throw Error("Monte Carlo annealing factor must be in (0, 1], got " + std::to_string(mc_anneal));
    if (!(fin(mc_lo) && fin(mc_hi))) throw Error("Monte Carlo bounds must be finite");
    if (!(mc_lo == 0 && mc_hi == 0)) {
        if (!(mc_lo < mc_hi))
            throw Error("Monte Carlo bounds need lo < hi, got " + std::to_string(mc_lo) + ", " + std::to_string(mc_hi));
        if (!(std::fabs(mc_lo) <= 1e30 && std::fabs(mc_hi) <= 1e30)) throw Error("Monte Carlo bounds must be within +-1e30");
        if (!(mc_hi - mc_lo >= 1e-6 * std::max(1.0, std::max(std::fabs(mc_lo), std::fabs(mc_hi)))))
            throw Error("Monte Carlo box [lo, hi] is too narrow for float parameters");
    }
    if (!(fin(mc_tol) && mc_tol > 0 && mc_tol <= 10))
        throw Error("Monte Carlo interval tolerance must be in (0, 10], got " + std::to_string(mc_tol));
    if (mc_archive < 1 || mc_archive > 1000000)
        throw Error("Monte Carlo archive size must be in 1..1000000, got " + std::to_string(mc_archive));
}

std::string OptimizerConfig::to_text() const {
    std::ostringstream o;
    o.precision(17);
    o << "opt=" << optimizer_name(kind) << "\nlr=" << lr << "\nmomentum=" << momentum
      << "\nnesterov=" << (nesterov ? 1 : 0) << "\nbeta1=" << beta1 << "\nbeta2=" << beta2
      << "\neps=" << eps << "\nrho=" << rho << "\nopt_weight_decay=" << weight_decay
      << "\nhistory=" << history << "\nmc_pop=" << mc_pop << "\nmc_dist=" << mc_dist_name(mc_dist)
      << "\nmc_temp=" << mc_temp << "\nmc_anneal=" << mc_anneal << "\nmc_lo=" << mc_lo << "\nmc_hi=" << mc_hi
      << "\nmc_groups=" << (mc_groups ? 1 : 0) << "\nmc_tol=" << mc_tol << "\nmc_archive=" << mc_archive << "\n";
    return o.str();
}


OptimizerState Optimizer::export_state() const {
    OptimizerState s;
    s.iterations = t_;
    // state() hands out pointers for checkpoint code; here they are only read.
    for (const auto& [name, v] : const_cast<Optimizer*>(this)->state()) s.arrays[name] = *v;
    return s;
}

// Optimizers whose state() arrays plus the step counter are the whole state.
void Optimizer::import_state(const OptimizerState& s) {
    require_iterations(s.iterations);
    auto st = state();
    std::vector<std::string> names;
    for (const auto& [name, v] : st) {
        names.push_back(name);
        auto it = s.arrays.find(name);
        if (it == s.arrays.end()) throw Error(bad_state("'" + name + "' is missing"));
        if (it->second.size() != v->size())
            throw Error(bad_state("'" + name + "' has " + std::to_string(it->second.size()) +
                                  " entries, the optimizer expects " + std::to_string(v->size())));
        require_finite(it->second, name);
    }
    reject_unknown(s.arrays, names, "array", cfg_.kind);
    reject_unknown(s.reals, {}, "value", cfg_.kind);
    reject_unknown(s.integers, {}, "integer", cfg_.kind);
    for (auto& [name, v] : st) *v = s.arrays.at(name);
    t_ = s.iterations;
}

namespace {

class Sgd final : public Optimizer {
public:
    Sgd(const OptimizerConfig& c, Index n) : Optimizer(c), v_(Vec::Zero(n)) {}
    double step(Vec& p, Vec& g, double, Objective&) override {
        ++t_;
        const float lr = float(cfg_.lr), mu = float(cfg_.momentum);
        if (mu == 0.f) {
            p.noalias() -= lr * g;
        } else if (!cfg_.nesterov) {  // PyTorch form: v = mu v + g; p -= lr v
            v_ = mu * v_ + g;
            p.noalias() -= lr * v_;
        } else {  // v = mu v + g; p -= lr (g + mu v)
            v_ = mu * v_ + g;
            p.noalias() -= lr * (g + mu * v_);
        }
        return std::numeric_limits<double>::quiet_NaN();
    }
    void reset() override { v_.setZero(); t_ = 0; }
    std::map<std::string, Vec*> state() override { return {{"sgd.v", &v_}}; }
    bool state_is_complete() const override { return true; }

private:
    Vec v_;
};

class AdaGrad final : public Optimizer {
public:
    AdaGrad(const OptimizerConfig& c, Index n) : Optimizer(c), s_(Vec::Zero(n)) {}
    double step(Vec& p, Vec& g, double, Objective&) override {
        ++t_;
        s_.array() += g.array().square();
        p.array() -= float(cfg_.lr) * g.array() / (s_.array().sqrt() + float(cfg_.eps));
        return std::numeric_limits<double>::quiet_NaN();
    }
    void reset() override { s_.setZero(); t_ = 0; }
    std::map<std::string, Vec*> state() override { return {{"adagrad.s", &s_}}; }
    bool state_is_complete() const override { return true; }

private:
    Vec s_;
};

class RmsProp final : public Optimizer {
public:
    RmsProp(const OptimizerConfig& c, Index n) : Optimizer(c), s_(Vec::Zero(n)) {}
    double step(Vec& p, Vec& g, double, Objective&) override {
        ++t_;
        const float rho = float(cfg_.rho);
        s_.array() = rho * s_.array() + (1.f - rho) * g.array().square();
        p.array() -= float(cfg_.lr) * g.array() / (s_.array().sqrt() + float(cfg_.eps));
        return std::numeric_limits<double>::quiet_NaN();
    }
    void reset() override { s_.setZero(); t_ = 0; }
    std::map<std::string, Vec*> state() override { return {{"rmsprop.s", &s_}}; }
    bool state_is_complete() const override { return true; }

private:
    Vec s_;
};

class Adam final : public Optimizer {
public:
    Adam(const OptimizerConfig& c, Index n, bool decoupled)
        : Optimizer(c), m_(Vec::Zero(n)), v_(Vec::Zero(n)), decoupled_(decoupled) {}
    double step(Vec& p, Vec& g, double, Objective&) override {
        ++t_;
        const double b1 = cfg_.beta1, b2 = cfg_.beta2;
        const float lr = float(cfg_.lr);
        const float c1 = float(1.0 / (1.0 - std::pow(b1, double(t_))));
        const float c2 = float(1.0 / (1.0 - std::pow(b2, double(t_))));
        const float eps = float(cfg_.eps), fb1 = float(b1), fb2 = float(b2);
        if (decoupled_ && cfg_.weight_decay > 0) p *= (1.f - lr * float(cfg_.weight_decay));
        // One fused, vectorized pass over the vector (m, v, p updated together; see
        // kernels.hpp, tested against the plain loop in tests/unit/test_kernels.cpp).
        kernels::adam_update(p.data(), g.data(), m_.data(), v_.data(), p.size(), lr, fb1, fb2, eps, c1, c2);
        return std::numeric_limits<double>::quiet_NaN();
    }
    void reset() override { m_.setZero(); v_.setZero(); t_ = 0; }
    std::map<std::string, Vec*> state() override { return {{"adam.m", &m_}, {"adam.v", &v_}}; }
    bool state_is_complete() const override { return true; }

private:
    Vec m_, v_;
    bool decoupled_;
};

class Lbfgs final : public Optimizer {
public:
    Lbfgs(const OptimizerConfig& c, Index n) : Optimizer(c), trial_(n), gnew_(n), g0_(n) {}
    double step(Vec& p, Vec& g, double loss, Objective& f) override {
        ++t_;
        // g may be the model's own gradient buffer, which the objective's evaluations below
        // overwrite (the trainer passes model.grads()): keep the gradient at p for y = g' - g.
        g0_ = g;
        // Two-loop recursion: d = -H g with H the L-BFGS inverse-Hessian estimate.
        Vec d = g;
        const size_t m = s_.size();
        std::vector<double> alpha(m);
        for (size_t i = m; i-- > 0;) {
            alpha[i] = rho_[i] * double(s_[i].dot(d));
            d -= float(alpha[i]) * y_[i];
        }
        double gamma = 1.0;
        if (m > 0) gamma = double(s_.back().dot(y_.back())) / double(y_.back().squaredNorm());
        d *= float(gamma);
        for (size_t i = 0; i < m; ++i) {
            double beta = rho_[i] * double(y_[i].dot(d));
            d += float(alpha[i] - beta) * s_[i];
        }
        d = -d;
        double gd = double(g.dot(d));
        double t = 1.0;
        if (m == 0 || !(gd < 0)) {  // first step or not a descent direction: steepest descent
            s_.clear(); y_.clear(); rho_.clear();
            d = -g;
            gd = -double(g.squaredNorm());
            double gn = std::sqrt(-gd);
            t = gn > 0 ? std::min(1.0, 1.0 / gn) * cfg_.lr : cfg_.lr;
        } else {
            t = cfg_.lr;
        }
        if (gd == 0) return loss;  // at a stationary point
        // Backtracking line search with the Armijo condition f(p + t d) <= f + c1 t g.d.
        const double c1 = 1e-4;
        double fnew = std::numeric_limits<double>::quiet_NaN();
        bool ok = false;
        for (int k = 0; k < cfg_.max_line_search; ++k) {
            trial_ = p + float(t) * d;
            fnew = f.eval(trial_, &gnew_);
            if (std::isfinite(fnew) && fnew <= loss + c1 * t * gd) {
                ok = true;
                break;
            }
            t *= 0.5;
        }
        if (!ok) {  // no decrease found: drop the history and stay (next call starts fresh)
            s_.clear(); y_.clear(); rho_.clear();
            return loss;
        }
        Vec s = trial_ - p, y = gnew_ - g0_;
        double sy = double(s.dot(y));
        if (sy > 1e-10 * double(y.squaredNorm())) {
            s_.push_back(std::move(s));
            y_.push_back(std::move(y));
            rho_.push_back(1.0 / sy);
            if (int(s_.size()) > cfg_.history) { s_.pop_front(); y_.pop_front(); rho_.pop_front(); }
        }
        p = trial_;
        g = gnew_;
        return fnew;
    }
    void reset() override { s_.clear(); y_.clear(); rho_.clear(); t_ = 0; }
    bool state_is_complete() const override { return false; }  // see export_state()

    // The curvature pairs stacked: "lbfgs.s" and "lbfgs.y" hold m vectors of n floats each
    // (oldest first), "lbfgs.rho" their m values 1 / (s.y).
    OptimizerState export_state() const override {
        OptimizerState st;
        st.iterations = t_;
        const Index n = trial_.size();
        const Index m = Index(s_.size());
        Vec S(m * n), Y(m * n);
        for (Index i = 0; i < m; ++i) {
            S.segment(i * n, n) = s_[size_t(i)];
            Y.segment(i * n, n) = y_[size_t(i)];
        }
        st.arrays["lbfgs.s"] = std::move(S);
        st.arrays["lbfgs.y"] = std::move(Y);
        st.reals["lbfgs.rho"].assign(rho_.begin(), rho_.end());
        return st;
    }
    void import_state(const OptimizerState& st) override {
        require_iterations(st.iterations);
        reject_unknown(st.arrays, {"lbfgs.s", "lbfgs.y"}, "array", cfg_.kind);
        reject_unknown(st.reals, {"lbfgs.rho"}, "value", cfg_.kind);
        reject_unknown(st.integers, {}, "integer", cfg_.kind);
        auto S = st.arrays.find("lbfgs.s"), Y = st.arrays.find("lbfgs.y");
        auto R = st.reals.find("lbfgs.rho");
        if (S == st.arrays.end() || Y == st.arrays.end() || R == st.reals.end())
            throw Error(bad_state("L-BFGS needs 'lbfgs.s', 'lbfgs.y' and 'lbfgs.rho'"));
        const Index n = trial_.size();
        const std::size_t m = R->second.size();
        if (m > std::size_t(cfg_.history))
            throw Error(bad_state(std::to_string(m) + " L-BFGS pairs, more than the history of " +
                                  std::to_string(cfg_.history)));
        if (S->second.size() != Index(m) * n || Y->second.size() != Index(m) * n)
            throw Error(bad_state("L-BFGS pairs: 'lbfgs.s' / 'lbfgs.y' have " + std::to_string(S->second.size()) +
                                  " / " + std::to_string(Y->second.size()) + " entries, expected " +
                                  std::to_string(m) + " x " + std::to_string(n)));
        require_finite(S->second, "lbfgs.s");
        require_finite(Y->second, "lbfgs.y");
        for (double r : R->second)
            if (!(std::isfinite(r) && r > 0)) throw Error(bad_state("L-BFGS rho must be finite and > 0"));
        std::deque<Vec> s, y;
        for (std::size_t i = 0; i < m; ++i) {
            s.push_back(S->second.segment(Index(i) * n, n));
            y.push_back(Y->second.segment(Index(i) * n, n));
        }
        s_.swap(s);
        y_.swap(y);
        rho_.assign(R->second.begin(), R->second.end());
        t_ = st.iterations;
    }

private:
    std::deque<Vec> s_, y_;
    std::deque<double> rho_;
    Vec trial_, gnew_, g0_;
};

}  // namespace

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& c, Index n) {
    c.validate();
    AELAB_REQUIRE(n > 0, "optimizer: no parameters");
    switch (c.kind) {
        case OptimizerKind::SGD: return std::make_unique<Sgd>(c, n);
        case OptimizerKind::AdaGrad: return std::make_unique<AdaGrad>(c, n);
        case OptimizerKind::RMSProp: return std::make_unique<RmsProp>(c, n);
        case OptimizerKind::Adam: return std::make_unique<Adam>(c, n, false);
        case OptimizerKind::AdamW: return std::make_unique<Adam>(c, n, true);
        case OptimizerKind::LBFGS: return std::make_unique<Lbfgs>(c, n);
        case OptimizerKind::MonteCarlo: return make_monte_carlo(c, n, {});
    }
    throw Error("unknown optimizer kind");
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& c, Index n, const std::vector<ParamGroup>& groups) {
    if (c.kind != OptimizerKind::MonteCarlo) return make_optimizer(c, n);
    c.validate();
    AELAB_REQUIRE(n > 0, "optimizer: no parameters");
    return make_monte_carlo(c, n, groups);
}

}  // namespace aelab
