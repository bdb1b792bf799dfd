// aelab/optim.hpp — optimizers over one flat parameter vector.
//
// What: SGD (momentum, Nesterov), AdaGrad, RMSProp, Adam, AdamW (decoupled weight decay),
// L-BFGS (two-loop recursion + backtracking Armijo line search) and a gradient-free Monte
// Carlo search (a population of candidates per step, each parameter group sampled from its own
// normal / uniform / Cauchy distribution with its own adaptive scale, Metropolis acceptance
// with an annealed temperature, reflecting box constraints, and an archive of sampled losses
// that gives weak confidence intervals; see "Monte Carlo search" below). Update rules and default hyperparameters follow
// PyTorch/Keras (Adam: beta1 0.9, beta2 0.999, eps 1e-8; RMSProp: rho 0.9, eps 1e-7).
// Why flat: the model keeps all parameters in one vector, so each optimizer is one loop.
// Usage:
//   OptimizerConfig oc; oc.kind = OptimizerKind::Adam; oc.lr = 1e-3;
//   auto opt = make_optimizer(oc, model.num_params());
//   opt->step(model.params(), model.grads(), loss, objective);
// `objective` re-evaluates the current batch at other points (L-BFGS line search, Monte
// Carlo proposals); first-order methods ignore it.
// Checkpoints: export_state() returns the WHOLE state of any optimizer (moments, L-BFGS's
// curvature pairs and their rho, the Monte Carlo search's scales, archive and random stream, the step
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

// A named slice params[offset, offset + size) of the flat parameter vector (Model::param_groups():
// "layer1.W", "layer1.b", ... for a dense AE, one slice per parameterized layer of a graph).
struct ParamGroup {
    std::string name;
    Index offset = 0, size = 0;
};

// The Monte Carlo search's proposal distributions (scale s of a group):
//   normal   s * N(0, 1);   uniform   U(-s, s);   cauchy   s * tan(pi (u - 1/2)), |.| <= 1e6 s.
enum class McDist { Normal, Uniform, Cauchy };
McDist parse_mc_dist(const std::string& name);  // normal, uniform, cauchy
const char* mc_dist_name(McDist d);

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
    // Monte Carlo search (lr = initial scale of every group; see "Monte Carlo search" below).
    int mc_pop = 8;               // candidates per step, 1..10000 (1 + groups "all" = a (1+1)-ES)
    McDist mc_dist = McDist::Normal;
    double mc_temp = 0.0;         // initial temperature T0 >= 0 (0 = greedy: only improvements)
    double mc_anneal = 0.99;      // T at step t (1, 2, ...) = T0 * anneal^(t - 1), anneal in (0, 1]
    double mc_lo = 0.0, mc_hi = 0.0;  // box lo <= p_i <= hi when lo < hi; both 0: no box
    bool mc_groups = true;        // true: each candidate moves one group (the model's slices);
                                  // false: every candidate moves all parameters (one group "all")
    double mc_tol = 0.05;         // intervals: samples with loss <= best + tol * |best|, tol in (0, 10]
    int mc_archive = 2000;        // archived samples at most, 1..1000000
    std::uint64_t seed = 1;       // Monte Carlo proposals

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
    // Monte Carlo (scales, archive) keep more and are reset instead.
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
// The same with the model's parameter groups (Model::param_groups(); only the Monte Carlo
// search uses them; empty = one group "all"). Groups must be disjoint, in range and non-empty.
std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& c, Index n_params,
                                          const std::vector<ParamGroup>& groups);

// ---- Monte Carlo search ---------------------------------------------------------------------
// One step (t = 1, 2, ...) from the current point p with loss L_cur:
//  1. Draw mc_pop candidates. Candidate k moves ONE group g (groups taken in turn: g =
//     ((t - 1) * pop + k) mod G) by independent draws of mc_dist with the group's scale s_g,
//     or (mc_groups = false) every parameter with the one scale of the group "all". Each
//     coordinate is reflected into the box [lo, hi] (mirror at the walls, repeatedly for long
//     Cauchy jumps), so every candidate lies in the box. Each is evaluated on the step's batch.
//  2. Scale adaptation, per candidate (a 1/5th-success rule per group): s_g *= 1.22 when the
//     candidate's loss is <= L_cur, else s_g *= 0.951 (stationary at a 20% success rate);
//     s_g stays in [1e-12, 1e12].
//  3. Acceptance of the best candidate (lowest finite loss L_new): always when L_new <= L_cur;
//     else with probability exp(-(L_new - L_cur) / T), T = mc_temp * mc_anneal^(t - 1)
//     (Metropolis with geometric annealing; T = 0: greedy). A current point outside the box
//     (e.g. initial weights) counts as L_cur = +inf, so the first finite candidate is taken.
//  4. Every finite candidate goes to the archive (below).
// The loss is the model's own objective on the batch (MSE or BCE, with its penalties): the
// Model interface computes no MAE, so the search offers none.
// Archive: at most mc_archive samples (the lowest losses seen: when full, a new sample replaces
// the worst one if it is better). Per sample only the loss and the values of the TRACKED
// parameters: every parameter when there are <= 256, else the single-parameter groups (a
// parametric layer's alpha and beta: GraphModel gives each its own group), then the first
// group's first ones, 256 in all.
// Weak confidence interval of a tracked parameter i: [min, max] of its value over the archived
// samples with loss <= best + mc_tol * |best|. "Weak": an envelope of sampled points whose loss
// is near the best, NOT a confidence level of any statistical model; it depends on how the
// search sampled (scales, steps, archive size). It narrows as the loss curves more steeply
// along the parameter (for f = c + a/2 (p_i - p*)^2 its half-width is at most
// sqrt(2 tol f_best / a)).
// State (export_state): "mc.sigma" (G scales; a single value is broadcast to every group, as
// in files of the (1+1) search), "mc.rng.*" (the proposal stream), "mc.archive.values"
// (count x tracked floats), "mc.archive.loss" (count) and "mc.archive.width" (tracked).
struct McIntervals {
    double best_loss = 0;   // lowest archived loss (NaN when the archive is empty)
    double tol = 0;         // mc_tol used for the threshold
    double threshold = 0;   // best_loss + tol * |best_loss|
    long samples = 0;       // archived samples
    long within = 0;        // of which with loss <= threshold
    std::vector<Index> params;             // tracked parameter indices (into the flat vector)
    std::vector<std::string> group;        // each one's group name
    std::vector<double> best, lo, hi;      // value at the best sample, interval [lo, hi]
    std::vector<std::string> group_names;  // the search's groups and their current scales
    std::vector<double> group_scales;
};
// The intervals of a Monte Carlo optimizer; throws aelab::Error for other kinds.
McIntervals mc_intervals(const Optimizer& opt);

}  // namespace aelab
