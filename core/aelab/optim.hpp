// aelab/optim.hpp — optimizers over one flat parameter vector.
//
// What: SGD (momentum, Nesterov), AdaGrad, RMSProp, Adam, AdamW (decoupled weight decay),
// L-BFGS (two-loop recursion + backtracking Armijo line search) and a gradient-free Monte
// Carlo search (Gaussian proposals, accept-if-better, 1/5th-success step adaptation, optional
// box constraint |p_i| <= bound). Update rules and default hyperparameters follow
// PyTorch/Keras (Adam: beta1 0.9, beta2 0.999, eps 1e-8; RMSProp: rho 0.9, eps 1e-7).
// Why flat: the model keeps all parameters in one vector, so each optimizer is one loop.
// Usage:
//   OptimizerConfig oc; oc.kind = OptimizerKind::Adam; oc.lr = 1e-3;
//   auto opt = make_optimizer(oc, model.num_params());
//   opt->step(model.params(), model.grads(), loss, objective);
// `objective` re-evaluates the current batch at other points (L-BFGS line search, Monte
// Carlo proposals); first-order methods ignore it.
// Checkpoints: export_state() returns the WHOLE state of any optimizer (moments, L-BFGS's
// curvature pairs and their rho, Monte Carlo's step size and random stream, the step
// counter); import_state() into a new optimizer of the same kind and size continues bit for
// bit where the exported one stopped.
#pragma once

#include "aelab/common.hpp"

#include <map>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace aelab {

// f(p) on the current batch; when g != nullptr also its gradient into g (resized).
struct Objective {
    virtual ~Objective() = default;
    virtual double eval(const Vec& p, Vec* g) = 0;
};

enum class OptimizerKind { SGD, AdaGrad, RMSProp, Adam, AdamW, LBFGS, MonteCarlo };

OptimizerKind parse_optimizer(const std::string& name);  // sgd, adagrad, rmsprop, adam, adamw, lbfgs, mc
const char* optimizer_name(OptimizerKind k);
// The name a UI shows: "SGD", "AdaGrad", "RMSProp", "Adam", "AdamW", "L-BFGS", "Monte Carlo".
const char* optimizer_label(OptimizerKind k);
// Every optimizer, in enum order (for UIs and help texts: no copies of the name table).
const std::vector<OptimizerKind>& all_optimizers();

struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::Adam;
    double lr = 1e-3;          // learning rate (L-BFGS: initial step scale, default 1; MC: initial sigma)
    double momentum = 0.0;     // SGD
    bool nesterov = false;     // SGD
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // Adam/AdamW (eps also AdaGrad/RMSProp)
    double rho = 0.9;          // RMSProp decay
    double weight_decay = 0.0; // AdamW decoupled decay (per step: p -= lr * wd * p)
    int history = 10;          // L-BFGS memory
    int max_line_search = 20;  // L-BFGS backtracking steps
    double bound = 0.0;        // Monte Carlo: box constraint |p_i| <= bound (0 = none)
    std::uint64_t seed = 1;    // Monte Carlo proposals

    static OptimizerConfig defaults_for(OptimizerKind k);  // sensible lr etc. per kind
    void validate() const;     // throws aelab::Error on absurd settings
    std::string to_text() const;
};

// Everything an optimizer keeps between steps, by name (see export_state()).
// The largest step count an optimizer accepts from a saved state: exact in a double (Adam's
// bias correction raises beta to it) and held by `long` (32 bits in WASM); model files with
// more are refused when read.
constexpr long long kMaxOptimizerIterations =
    std::numeric_limits<long>::max() < (1LL << 53) ? std::numeric_limits<long>::max() : (1LL << 53);

struct OptimizerState {
    long iterations = 0;                                // step counter (Adam's bias correction t)
    std::map<std::string, Vec> arrays;                  // e.g. "adam.m"; "lbfgs.s" = m pairs stacked (m*n)
    std::map<std::string, std::vector<double>> reals;   // e.g. "lbfgs.rho" (m), "mc.sigma" (1)
    std::map<std::string, std::uint64_t> integers;      // e.g. "mc.rng.state"
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    // p: parameters (updated in place); g: gradient of f at p (L-BFGS leaves the gradient at
    // the new point in g); loss: f(p). Returns f at the new point if it was computed, else NaN.
    virtual double step(Vec& p, Vec& g, double loss, Objective& f) = 0;
    virtual void reset() = 0;  // forget moments / history
    virtual bool needs_gradient() const { return true; }
    // Named state arrays (moments etc.) for checkpoints.
    virtual std::map<std::string, Vec*> state() { return {}; }
    // True when state() plus iterations() is the whole state (SGD, AdaGrad, RMSProp, Adam,
    // AdamW), so that a copy of them restores the optimizer exactly; L-BFGS (history) and
    // Monte Carlo (step size) keep more and are reset instead.
    virtual bool state_is_complete() const { return false; }
    const OptimizerConfig& config() const { return cfg_; }
    // Changes hyperparameters that keep the state meaningful (lr, momentum, betas...).
    void set_config(const OptimizerConfig& c) {
        c.validate();
        cfg_ = c;
    }
    // The whole state (every optimizer, including L-BFGS and Monte Carlo).
    virtual OptimizerState export_state() const;
    // Sets the whole state from export_state() of an optimizer of the same kind and size.
    // Validates everything first (names, sizes, finite values, counts) and throws
    // aelab::Error naming the problem; on error the optimizer is unchanged.
    virtual void import_state(const OptimizerState& s);
    long iterations() const { return t_; }
    // Restores the step counter (Adam's bias correction) when resuming from a checkpoint.
    void set_iterations(long t) {
        AELAB_REQUIRE(t >= 0, "optimizer iteration count must be >= 0");
        t_ = t;
    }

protected:
    explicit Optimizer(const OptimizerConfig& c) : cfg_(c) { c.validate(); }
    OptimizerConfig cfg_;
    long t_ = 0;
};

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& c, Index n_params);

}  // namespace aelab
