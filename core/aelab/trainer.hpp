// aelab/trainer.hpp — minibatch training with bounded work per call.
//
// What: Trainer owns an optimizer and a shuffled minibatch stream over a training matrix
// (d x N, one sample per column) and trains an Autoencoder<float> by `step(budget)`: at
// most budget.max_steps optimizer steps and (if set) at most budget.max_seconds of wall
// time per call, so a UI can call it inside each frame and a CLI in a loop.
// It records a loss history (running mean of batch losses, periodic test loss on a fixed
// test subset), and guards against divergence: a non-finite loss, gradient or parameter,
// or a batch loss that explodes (more than `explode_factor` times the smallest smoothed
// loss seen), stops training, reports the step, and restores the last good snapshot of
// the parameters and of the optimizer's state (snapshots are taken every `snapshot_every`
// good steps; L-BFGS and Monte Carlo, whose state is not captured whole, are reset).
// Exact resume: state() exports everything that decides later steps (RNG, shuffle order and
// position, epoch and step counters, the divergence guard's smoothed losses, the running
// means of the next history point, the loss history, the optimizer's whole state);
// restore() on a new trainer over the same data and a model holding the same parameters
// continues bit for bit as the uninterrupted run (same batch size and eval settings).
// Usage:
//   Trainer tr(model, OptimizerConfig::defaults_for(OptimizerKind::Adam), Xtrain, &Xtest, tc);
//   while (tr.epoch() < 10 && !tr.diverged()) tr.step({100, 0.0});
//   for (auto& h : tr.history()) ...
//   TrainerState st = tr.state();          // ... later, in a new process:
//   Trainer tr2(model2, st.optimizer_config, Xtrain, &Xtest, tc);  tr2.restore(st);
// The data matrices must outlive the trainer (they are referenced, not copied).
#pragma once

#include "aelab/model.hpp"
#include "aelab/optim.hpp"

#include <memory>
#include <map>
#include <string>
#include <vector>

namespace aelab {

struct TrainConfig {
    int batch_size = 100;
    std::uint64_t seed = 1;      // shuffling and input corruption
    int eval_every = 100;        // steps between test evaluations (0 = never)
    Index eval_max = 2000;       // test columns used by periodic evaluations (0 = all)
    int snapshot_every = 10;     // good steps between parameter snapshots
    double explode_factor = 1e4; // loss > factor * best smoothed loss counts as divergence
    // Steps in parts (a UI's frame budget): each batch is computed in parts of at most
    // max_part samples, and a step(budget) call may stop between parts when its time is up,
    // the next call going on with the same batch; the optimizer updates once per batch with
    // the parts' gradients weighted by their share of it (the batch's gradient up to float
    // rounding). Only for Model::separable() models and gradient optimizers that do not
    // re-evaluate the objective (not L-BFGS, not Monte Carlo); otherwise, and with 0 (the
    // default), every step computes its batch at once, as before.
    Index max_part = 0;
    void validate() const;
};

struct StepBudget {
    long max_steps = 1;        // optimizer steps at most
    double max_seconds = 0.0;  // wall-time limit (0 = none); at least one step (or, with
                               // TrainConfig::max_part, one part of a step) always runs
};

struct HistoryPoint {
    long step = 0;
    double epoch = 0;
    double train_loss = 0;  // mean batch loss (total objective) since the previous point
    double train_mse = 0;   // mean batch reconstruction MSE since the previous point
    double test_loss = std::nan("");  // reconstruction loss on the test subset
    double test_mse = std::nan("");
    // VAEs (NaN for other models): mean batch recon and KL since the previous point, and the
    // KL of the test subset's mean codes; the test -ELBO is test_loss + test_kl (nats per image).
    double train_recon = std::nan("");
    double train_kl = std::nan("");
    double test_kl = std::nan("");
};

struct StepResult {
    long steps = 0;        // steps completed in this call
    double seconds = 0;    // wall time spent
    bool diverged = false; // training stopped in this call because of a non-finite value
};

// Everything a Trainer keeps between steps (see Trainer::state()). Plain data, no I/O:
// aelab/model_io.hpp stores it in model files.
struct TrainerState {
    long step = 0;             // optimizer steps taken
    long samples = 0;          // training samples seen
    long epochs_done = 0;      // completed passes over the shuffled order
    Index pos = 0;             // next position in perm, 0 <= pos < perm.size()
    std::vector<Index> perm;   // the current epoch's shuffle order (a permutation of 0..N-1)
    Rng::State rng;            // shuffling and input corruption stream
    double last_loss = std::nan("");
    double acc_loss = 0, acc_mse = 0;  // sums for the next history point
    double acc_recon = 0, acc_kl = 0;  // (VAEs)
    long acc_n = 0;
    double ema = -1, best_ema = -1, first_loss = -1;  // divergence guard (-1: not yet seen)
    long good_since_snapshot = 0;  // good steps since the guard's last snapshot
    std::vector<HistoryPoint> history;
    OptimizerConfig optimizer_config;
    OptimizerState optimizer;  // Optimizer::export_state()

    double epoch() const;  // epochs_done + pos / N
    // Throws aelab::Error naming the first inconsistency (perm not a permutation, position
    // out of range, negative counters, non-finite guard values, bad history steps...).
    void validate() const;
};

class Trainer {
public:
    Trainer(Model& model, const OptimizerConfig& opt, const Mat& train, const Mat* test, const TrainConfig& cfg);
    // Trains the dense autoencoder `model` (through a DenseModel view of it).
    Trainer(Autoencoder<float>& model, const OptimizerConfig& opt, const Mat& train,
            const Mat* test, const TrainConfig& cfg);

    StepResult step(const StepBudget& budget);

    // Replace the optimizer (new state) or only its hyperparameters (state kept when the
    // kind is unchanged). Weights are never touched.
    void set_optimizer(const OptimizerConfig& opt);
    const OptimizerConfig& optimizer_config() const { return opt_->config(); }
    Optimizer& optimizer() { return *opt_; }
    void set_batch_size(int b);
    void set_eval(int every, Index max_cols);

    Model& model() { return model_; }
    long steps() const { return step_; }
    double epoch() const;  // fractional epochs seen
    long samples_seen() const { return samples_; }
    double last_loss() const { return last_loss_; }
    const std::vector<HistoryPoint>& history() const { return history_; }
    // Evaluate now on the test subset (or the train subset when there is no test set) and
    // append a history point.
    const HistoryPoint& record();

    // The whole training state (see TrainerState). While diverged, the guard's smoothed
    // losses are exported as after clear_divergence(), so that a resumed run continues.
    // Between the parts of a step it is the state before that step (whose batch a resumed
    // run draws again), so a resume stays exact.
    TrainerState state() const;
    // A step in parts is under way (TrainConfig::max_part), and how far: columns done / batch.
    bool in_step() const { return pending_; }
    double step_fraction() const { return pending_ ? double(part_pos_) / double(batch_.cols()) : 0.0; }
    // Forgets a step in parts under way, rewinding the stream to before its batch (which the
    // next step draws again). Call it before changing the model's parameters or objective
    // from outside (an undo, a new beta): the parts done so far belong to the old ones.
    void cancel_step();
    // Continues from `s`: the model must already hold the parameters saved with it. Replaces
    // the optimizer by one of s.optimizer_config with s.optimizer's state (set_optimizer()
    // afterwards to change hyperparameters). Returns true when the resume is exact; when the
    // training set has a different number of columns than s.perm, the order is reshuffled
    // from the restored RNG at position 0 (everything else restored) and false is returned.
    // The guard's snapshot is the restored parameters. Throws aelab::Error (trainer
    // unchanged) on an invalid state or one whose optimizer does not fit the model.
    bool restore(const TrainerState& s);

    bool diverged() const { return diverged_; }
    const std::string& divergence_message() const { return message_; }
    long diverged_at_step() const { return diverged_step_; }
    void clear_divergence();  // lets training continue (e.g. after lowering the lr)

private:
    void init(const OptimizerConfig& opt);
    void next_batch();
    void take_snapshot();
    bool restore_optimizer();
    bool fail(const std::string& what);
    Index part_size() const;  // samples per part of the next step (>= the batch: whole)

    std::unique_ptr<Model> view_;  // the DenseModel view of the Autoencoder constructor
    Model& model_;
    std::unique_ptr<Optimizer> opt_;
    const Mat& train_;
    const Mat* test_;
    TrainConfig cfg_;
    Rng rng_;
    std::vector<Index> perm_;
    Index pos_ = 0;
    long epochs_done_ = 0;
    long step_ = 0;
    long samples_ = 0;
    Mat batch_, batch_in_;
    double last_loss_ = std::nan("");
    double acc_loss_ = 0, acc_mse_ = 0, acc_recon_ = 0, acc_kl_ = 0;
    long acc_n_ = 0;
    std::vector<HistoryPoint> history_;
    Vec snapshot_;
    std::map<std::string, Vec> opt_snapshot_;  // optimizer state at the snapshot (empty: not capturable)
    long opt_snapshot_t_ = 0;
    long snapshot_step_ = 0;
    long good_since_snapshot_ = 0;
    double ema_ = -1, best_ema_ = -1, first_loss_ = -1;
    bool diverged_ = false;
    long diverged_step_ = -1;
    std::string message_;
    // A step in parts (TrainConfig::max_part): the batch in batch_ / batch_in_, the next
    // column, the weighted sums so far, and the stream as it was before the batch was drawn.
    bool pending_ = false;
    Index part_pos_ = 0;
    Vec part_grad_;
    LossParts part_lp_;
    Rng::State pre_rng_{};
    Index pre_pos_ = 0;
    long pre_epochs_ = 0;
    std::vector<Index> pre_perm_;
};

}  // namespace aelab
