#include "aelab/trainer.hpp"

#include "aelab/kernels.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

namespace aelab {

void TrainConfig::validate() const {
    if (batch_size < 1 || batch_size > 1000000)
        throw Error("batch size must be in 1..1000000, got " + std::to_string(batch_size));
    if (eval_every < 0) throw Error("eval_every must be >= 0");
    if (eval_max < 0) throw Error("eval_max must be >= 0");
    if (snapshot_every < 1) throw Error("snapshot_every must be >= 1");
    if (!(explode_factor > 1)) throw Error("explode_factor must be > 1");
    if (max_part < 0) throw Error("max_part must be >= 0 (0 = whole batches)");
}

namespace {
bool has_spare_bad(const Rng::State& r) { return (r.inc & 1u) == 0 || (r.has_spare && !std::isfinite(r.spare)); }

// Evaluates the model's objective on a fixed batch at arbitrary parameter vectors.
class BatchObjective final : public Objective {
public:
    BatchObjective(Model& m, const Mat& xin, const Mat& xt) : m_(m), xin_(xin), xt_(xt) {}
    double eval(const Vec& p, Vec* g) override {
        Vec saved = m_.params();
        m_.params() = p;
        double f;
        if (g) {
            f = m_.forward_backward(xin_, xt_).total;
            *g = m_.grads();
        } else {
            f = m_.forward_loss(xin_, xt_, true).total;
        }
        m_.params().swap(saved);
        return f;
    }

private:
    Model& m_;
    const Mat& xin_;
    const Mat& xt_;
};
}  // namespace

Trainer::Trainer(Autoencoder<float>& model, const OptimizerConfig& opt, const Mat& train,
                 const Mat* test, const TrainConfig& cfg)
    : view_(DenseModel::view(model)), model_(*view_), train_(train), test_(test), cfg_(cfg), rng_(cfg.seed, 0x7a1) {
    init(opt);
}

Trainer::Trainer(Model& model, const OptimizerConfig& opt, const Mat& train, const Mat* test,
                 const TrainConfig& cfg)
    : model_(model), train_(train), test_(test), cfg_(cfg), rng_(cfg.seed, 0x7a1) {
    init(opt);
}

void Trainer::init(const OptimizerConfig& opt) {
    const Model& model = model_;
    const Mat& train = train_;
    const Mat* test = test_;
    cfg_.validate();
    AELAB_REQUIRE(train.rows() == model.input_dim(),
                  "training data has dimension " + std::to_string(train.rows()) + ", model expects " +
                      std::to_string(model.input_dim()));
    AELAB_REQUIRE(train.cols() > 0, "training data is empty");
    AELAB_REQUIRE(train.allFinite(), "training data contains NaN or infinite values");
    if (test) {
        AELAB_REQUIRE(test->rows() == model.input_dim(),
                      "test data has dimension " + std::to_string(test->rows()) + ", model expects " +
                          std::to_string(model.input_dim()));
        if (test->cols() == 0) test_ = nullptr;
    }
    opt_ = make_optimizer(opt, model.num_params(), model.param_groups());
    perm_.resize(static_cast<size_t>(train.cols()));
    std::iota(perm_.begin(), perm_.end(), Index(0));
    rng_.shuffle(perm_);
    take_snapshot();
}

void Trainer::set_optimizer(const OptimizerConfig& opt) {
    opt.validate();
    if (opt.kind != opt_->config().kind) cancel_step();  // a new kind may not take parts
    if (opt.kind == opt_->config().kind) {
        opt_->set_config(opt);
    } else {
        opt_ = make_optimizer(opt, model_.num_params(), model_.param_groups());
        opt_snapshot_.clear();  // the old optimizer's arrays; the next snapshot takes the new one's
    }
}

void Trainer::set_batch_size(int b) {
    TrainConfig c = cfg_;
    c.batch_size = b;
    c.validate();
    if (b != cfg_.batch_size) cancel_step();  // the next step draws a batch of the new size
    cfg_ = c;
}

Index Trainer::part_size() const {
    const Index B = std::min<Index>(cfg_.batch_size, train_.cols());
    const OptimizerKind k = opt_->config().kind;
    if (cfg_.max_part <= 0 || !model_.separable() || !opt_->needs_gradient() || k == OptimizerKind::LBFGS) return B;
    return std::min(B, cfg_.max_part);
}

void Trainer::cancel_step() {
    if (!pending_) return;
    pending_ = false;
    rng_.set_state(pre_rng_);
    pos_ = pre_pos_;
    epochs_done_ = pre_epochs_;
    perm_ = pre_perm_;
    model_.use_part(0, -1);
}

void Trainer::set_eval(int every, Index max_cols) {
    TrainConfig c = cfg_;
    c.eval_every = every;
    c.eval_max = max_cols;
    c.validate();
    cfg_ = c;
}

double Trainer::epoch() const {
    if (pending_)  // a step in parts: where the last completed step left off
        return double(pre_epochs_) + double(pre_pos_) / double(train_.cols());
    return double(epochs_done_) + double(pos_) / double(train_.cols());
}

void Trainer::next_batch() {
    const Index N = train_.cols();
    const Index B = std::min<Index>(cfg_.batch_size, N);
    if (pos_ + B > N) {  // drop the incomplete tail, reshuffle, new epoch
        rng_.shuffle(perm_);
        pos_ = 0;
        ++epochs_done_;
    }
    batch_.resize(train_.rows(), B);
    for (Index j = 0; j < B; ++j) batch_.col(j) = train_.col(perm_[static_cast<size_t>(pos_ + j)]);
    pos_ += B;
    if (pos_ == N) {
        rng_.shuffle(perm_);
        pos_ = 0;
        ++epochs_done_;
    }
}

void Trainer::take_snapshot() {
    snapshot_ = model_.params();
    snapshot_step_ = step_;
    good_since_snapshot_ = 0;
    // The optimizer's moments belong to the good state too: restoring the parameters but
    // zeroing Adam's moments would make its next steps lr * sign(g) for every parameter.
    // Empty when the optimizer's state cannot be captured whole (restore_optimizer resets);
    // otherwise the arrays are copied into the previous snapshot's storage.
    if (opt_->state_is_complete()) {
        for (auto& [name, v] : opt_->state()) opt_snapshot_[name] = *v;
        opt_snapshot_t_ = opt_->iterations();
    } else {
        opt_snapshot_.clear();
    }
}

// Puts the optimizer back to the snapshot if the snapshot holds its whole state; otherwise
// resets it. Returns true if restored.
bool Trainer::restore_optimizer() {
    if (opt_snapshot_.empty()) {
        opt_->reset();
        return false;
    }
    for (auto& [name, v] : opt_->state()) *v = opt_snapshot_.at(name);
    opt_->set_iterations(opt_snapshot_t_);
    return true;
}

bool Trainer::fail(const std::string& what) {
    model_.params() = snapshot_;
    const bool restored = restore_optimizer();
    diverged_ = true;
    diverged_step_ = step_ + 1;
    pending_ = false;  // the failed batch is consumed, as a whole step's would be
    model_.use_part(0, -1);
    std::ostringstream o;
    o << "training diverged at step " << diverged_step_ << " (" << what << "); parameters "
      << (restored ? "and optimizer state " : "") << "restored to the last good state (step "
      << snapshot_step_ << (restored ? "" : "; optimizer state reset") << "); lower the learning rate and continue";
    message_ = o.str();
    return false;
}

void Trainer::clear_divergence() {
    diverged_ = false;
    ema_ = best_ema_ = -1;
    message_.clear();
}

StepResult Trainer::step(const StepBudget& budget) {
    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    StepResult r;
    if (diverged_) return r;
    const bool noisy = model_.corrupts_input();
    long work = 0;  // steps and parts of steps computed in this call
    while (r.steps < budget.max_steps) {
        if (budget.max_seconds > 0 && work > 0) {
            double el = std::chrono::duration<double>(clock::now() - t0).count();
            if (el >= budget.max_seconds) break;
        }
        ++work;
        const Index part = part_size();
        if (pending_ && part >= batch_.cols()) cancel_step();  // parts no longer apply: redraw whole
        if (!pending_) {
            if (part < std::min<Index>(cfg_.batch_size, train_.cols())) {  // a step in parts begins
                pre_rng_ = rng_.get_state();
                pre_pos_ = pos_;
                pre_epochs_ = epochs_done_;
                pre_perm_ = perm_;
            }
            next_batch();
            if (noisy) model_.corrupt(batch_, batch_in_, rng_);
            model_.begin_batch(rng_, batch_.cols());
        }
        const Mat* xin = noisy ? &batch_in_ : &batch_;
        LossParts lp;
        const Index B = batch_.cols();
        if (part < B) {
            // One part: its mean gradient and losses weighted by its share of the batch.
            if (!pending_) {
                pending_ = true;
                part_pos_ = 0;
                part_grad_.setZero(model_.num_params());
                part_lp_ = LossParts{};
            }
            const Index n = std::min(part, B - part_pos_);
            model_.use_part(part_pos_, n);
            LossParts q;
            try {
                q = model_.forward_backward(xin->middleCols(part_pos_, n), batch_.middleCols(part_pos_, n));
            } catch (...) {  // e.g. out of memory: the step stays pending, the model whole-batch
                model_.use_part(0, -1);
                throw;
            }
            model_.use_part(0, -1);
            const double w = double(n) / double(B);
            part_grad_ += float(w) * model_.grads();
            part_lp_.total += w * q.total;
            part_lp_.recon += w * q.recon;
            part_lp_.mse += w * q.mse;
            part_lp_.sparsity += w * q.sparsity;
            part_lp_.weight_decay += w * q.weight_decay;
            part_lp_.kl += w * q.kl;
            part_lp_.contractive += w * q.contractive;
            part_pos_ += n;
            if (part_pos_ < B) continue;  // more parts of this batch (this call or the next)
            pending_ = false;
            model_.grads() = part_grad_;
            lp = part_lp_;
        }
        BatchObjective obj(model_, *xin, batch_);
        if (part < B) {
            if (!std::isfinite(lp.total)) { fail("loss is " + std::to_string(lp.total)); r.diverged = true; break; }
            if (!kernels::all_finite(model_.grads().data(), model_.grads().size())) { fail("gradient has non-finite entries"); r.diverged = true; break; }
        } else if (opt_->needs_gradient()) {
            lp = model_.forward_backward(*xin, batch_);
            if (!std::isfinite(lp.total)) { fail("loss is " + std::to_string(lp.total)); r.diverged = true; break; }
            if (!kernels::all_finite(model_.grads().data(), model_.grads().size())) { fail("gradient has non-finite entries"); r.diverged = true; break; }
        } else {
            lp = model_.forward_loss(*xin, batch_, true);
            if (!std::isfinite(lp.total)) { fail("loss is " + std::to_string(lp.total)); r.diverged = true; break; }
        }
        if (first_loss_ < 0) first_loss_ = std::max(lp.total, 1e-30);
        if (best_ema_ >= 0 && lp.total > cfg_.explode_factor * std::max(best_ema_, 1e-6 * first_loss_)) {
            std::ostringstream o;
            o << "loss exploded to " << lp.total << " from a smoothed minimum of " << best_ema_;
            fail(o.str());
            r.diverged = true;
            break;
        }
        ema_ = ema_ < 0 ? lp.total : 0.9 * ema_ + 0.1 * lp.total;
        best_ema_ = best_ema_ < 0 ? ema_ : std::min(best_ema_, ema_);
        // The parameters produced a finite, sane loss and gradient: they are a good state.
        if (good_since_snapshot_ >= cfg_.snapshot_every) take_snapshot();
        opt_->step(model_.params(), model_.grads(), lp.total, obj);
        if (!kernels::all_finite(model_.params().data(), model_.params().size())) { fail("parameters became non-finite after the update"); r.diverged = true; break; }
        ++good_since_snapshot_;
        ++step_;
        ++r.steps;
        samples_ += batch_.cols();
        last_loss_ = lp.total;
        acc_loss_ += lp.total;
        acc_mse_ += lp.mse;
        acc_recon_ += lp.recon;
        acc_kl_ += lp.kl;
        ++acc_n_;
        if (cfg_.eval_every > 0 && step_ % cfg_.eval_every == 0) record();
    }
    r.seconds = std::chrono::duration<double>(clock::now() - t0).count();
    return r;
}

// ---- exact resume --------------------------------------------------------------------------

double TrainerState::epoch() const {
    return perm.empty() ? double(epochs_done) : double(epochs_done) + double(pos) / double(perm.size());
}

void TrainerState::validate() const {
    // Counters stay exact in doubles and within a long (32 bits in wasm32).
    constexpr long kMax = std::numeric_limits<long>::max() > (1LL << 53) ? long(1LL << 53)
                                                                        : std::numeric_limits<long>::max();
    auto bad = [](const std::string& what) { throw Error("trainer state: " + what); };
    if (step < 0 || step > kMax || samples < 0 || samples > kMax || epochs_done < 0 || epochs_done > kMax)
        bad("negative or absurd counters");
    if (acc_n < 0 || acc_n > kMax || good_since_snapshot < 0 || good_since_snapshot > kMax)
        bad("negative or absurd running counts");
    const Index n = Index(perm.size());
    if (n < 1 || static_cast<long long>(n) > (1LL << 31)) bad("the shuffle order has " + std::to_string(n) + " entries");
    if (pos < 0 || pos >= n) bad("position " + std::to_string(pos) + " is outside 0.." + std::to_string(n - 1));
    std::vector<bool> seen(static_cast<size_t>(n), false);
    for (Index v : perm) {
        if (v < 0 || v >= n || seen[static_cast<size_t>(v)])
            bad("the shuffle order is not a permutation of 0.." + std::to_string(n - 1));
        seen[static_cast<size_t>(v)] = true;
    }
    for (double g : {ema, best_ema, first_loss})
        if (!(std::isfinite(g) && (g >= 0 || g == -1))) bad("divergence-guard values must be finite, >= 0 or -1");
    if (!std::isfinite(acc_loss) || !std::isfinite(acc_mse) || !std::isfinite(acc_recon) || !std::isfinite(acc_kl))
        bad("running loss sums are not finite");
    if (has_spare_bad(rng)) bad("the random generator state is invalid");
    long prev = -1;
    for (const HistoryPoint& h : history) {
        if (h.step < 0 || h.step > step || h.step < prev || !std::isfinite(h.epoch) || h.epoch < 0)
            bad("history steps must be non-decreasing in 0.." + std::to_string(step) + " with finite epochs");
        prev = h.step;
    }
    optimizer_config.validate();
    if (optimizer.iterations < 0 || optimizer.iterations > kMax) bad("absurd optimizer iteration count");
}

TrainerState Trainer::state() const {
    TrainerState s;
    s.step = step_;
    s.samples = samples_;
    s.epochs_done = pending_ ? pre_epochs_ : epochs_done_;  // a step in parts: from before it
    s.pos = pending_ ? pre_pos_ : pos_;
    s.perm = pending_ ? pre_perm_ : perm_;
    s.rng = pending_ ? pre_rng_ : rng_.get_state();
    s.last_loss = last_loss_;
    s.acc_loss = acc_loss_;
    s.acc_mse = acc_mse_;
    s.acc_recon = acc_recon_;
    s.acc_kl = acc_kl_;
    s.acc_n = acc_n_;
    s.ema = diverged_ ? -1 : ema_;
    s.best_ema = diverged_ ? -1 : best_ema_;
    s.first_loss = first_loss_;
    s.good_since_snapshot = good_since_snapshot_;
    s.history = history_;
    s.optimizer_config = opt_->config();
    s.optimizer = opt_->export_state();
    return s;
}

bool Trainer::restore(const TrainerState& s) {
    s.validate();
    // Everything that can fail comes before any member changes.
    auto opt = make_optimizer(s.optimizer_config, model_.num_params(), model_.param_groups());
    opt->import_state(s.optimizer);
    Rng rng = rng_;
    rng.set_state(s.rng);
    const bool exact = Index(s.perm.size()) == train_.cols();
    std::vector<Index> perm;
    Index pos = 0;
    if (exact) {
        perm = s.perm;
        pos = s.pos;
    } else {  // another training set: a new order from the restored stream
        perm.resize(static_cast<size_t>(train_.cols()));
        std::iota(perm.begin(), perm.end(), Index(0));
        rng.shuffle(perm);
    }
    opt_ = std::move(opt);
    pending_ = false;
    model_.use_part(0, -1);
    rng_ = rng;
    perm_.swap(perm);
    pos_ = pos;
    epochs_done_ = s.epochs_done;
    step_ = s.step;
    samples_ = s.samples;
    last_loss_ = s.last_loss;
    acc_loss_ = s.acc_loss;
    acc_mse_ = s.acc_mse;
    acc_recon_ = s.acc_recon;
    acc_kl_ = s.acc_kl;
    acc_n_ = s.acc_n;
    ema_ = s.ema;
    best_ema_ = s.best_ema;
    first_loss_ = s.first_loss;
    history_ = s.history;
    diverged_ = false;
    diverged_step_ = -1;
    message_.clear();
    take_snapshot();  // the restored parameters are a good state
    good_since_snapshot_ = s.good_since_snapshot;  // the snapshot schedule continues unchanged
    return exact;
}

const HistoryPoint& Trainer::record() {
    HistoryPoint h;
    h.step = step_;
    h.epoch = epoch();
    if (acc_n_ > 0) {
        h.train_loss = acc_loss_ / double(acc_n_);
        h.train_mse = acc_mse_ / double(acc_n_);
        if (model_.is_vae()) {
            h.train_recon = acc_recon_ / double(acc_n_);
            h.train_kl = acc_kl_ / double(acc_n_);
        }
    } else {
        h.train_loss = h.train_mse = std::nan("");
    }
    acc_loss_ = acc_mse_ = acc_recon_ = acc_kl_ = 0;
    acc_n_ = 0;
    const Mat& E = test_ ? *test_ : train_;
    Index n = E.cols();
    if (cfg_.eval_max > 0) n = std::min(n, cfg_.eval_max);
    LossParts lp = model_.evaluate(E.leftCols(n));
    h.test_loss = lp.recon;
    h.test_mse = lp.mse;
    if (model_.is_vae()) h.test_kl = lp.kl;
    history_.push_back(h);
    return history_.back();
}

}  // namespace aelab
