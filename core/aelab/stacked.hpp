// aelab/stacked.hpp — greedy layer-wise pretraining of a stacked dense autoencoder.
//
// What: for a target AEConfig with a mirrored decoder and m >= 2 encoder layers (widths
// w0-w1-...-wm, e.g. 784-256-64-2: m = 3), phase p (0-based) trains a shallow autoencoder
// w_p -> w_{p+1} -> w_p on the codes of the encoders of phases 0..p-1 (phase 0 on X), each for
// the same number of epochs with the same optimizer settings and batch size; unroll() then
// copies phase p's encoder layer into encoder layer p of the full model and its decoder
// layer into the mirrored decoder layer (m-1-p from the code side, i.e. full layer 2m-1-p),
// and the ordinary Trainer fine-tunes the full model end to end (Hinton & Salakhutdinov
// 2006; the course's "training one autoencoder at a time").
// The phase autoencoders use exactly the activations of the full-model layers they become:
//   encoder layer p: the full model's activation of encoder layer p (hidden, or the code's);
//   decoder layer:   phase 0: the data's output activation and loss (MSE or BCE); an inner
//                    phase reconstructs codes with MSE and the activation of the mirrored
//                    decoder layer when the core allows it as an output (linear, sigmoid: the
//                    targets, codes of that same activation in a mirrored net, lie in its
//                    range), else linear output (ELU, ReLU, tanh... hidden layers; the
//                    unrolled layer then applies its own activation to that linear map).
// So the unrolled model's encoder, before fine-tuning, is exactly enc_{m-1} o ... o enc_0
// (any activation), and its reconstruction exactly dec_0 o ... o dec_{m-1} of that code when
// every hidden activation is linear or sigmoid (tested to float rounding). Tied weights:
// every phase is tied when the target is. Weight decay, the contractive penalty and input noise apply in every phase
// (noise on each phase's input: the stacked denoising AE); a sparsity penalty is on the
// code, so only the last phase carries it.
// A config with one encoder layer (e.g. 784-2) is refused: its only phase would be the
// model itself, i.e. ordinary training.
// Deterministic from TrainConfig::seed: phase p initialises with seed + 7919 (p + 1) and
// shuffles with seed + p + 1.
// Why a stepping class: a UI calls step() inside its frame budget and shows phase() and
// each phase's loss history; the CLI calls it in a loop with a progress bar per phase.
// Usage:
//   LayerwisePretrainer pre(cfg, oc, Xtrain, &Xtest, tc, /*epochs_per_phase=*/2);
//   while (!pre.done() && !pre.diverged()) pre.step({100, 0.0});
//   Autoencoder<float> full = pre.unroll();       // then Trainer(full, ...) fine-tunes it
//   pre.unroll_into(page_model);                  // any time: the phases so far, unrolled
//   for (const PretrainPhase& ph : pre.phases()) ph.history, ph.final_train_loss ...
#pragma once

#include "aelab/trainer.hpp"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace aelab {

// The settings of phase p's shallow autoencoder for `target` (see the header comment).
// Throws aelab::Error when the target cannot be pretrained layer-wise (no mirrored decoder,
// fewer than two encoder layers) or p is out of range.
AEConfig layerwise_phase_config(const AEConfig& target, int p);
// Number of phases (encoder layers) of `target`; throws like layerwise_phase_config().
int layerwise_num_phases(const AEConfig& target);

// One phase's record.
struct PretrainPhase {
    int index = 0;           // 0-based
    int in = 0, out = 0;     // w_p and w_{p+1}
    AEConfig config;         // the shallow autoencoder's settings
    long steps = 0;          // optimizer steps taken so far
    long total_steps = 0;    // epochs_per_phase * (N / batch)
    double seconds = 0;      // wall time of its steps
    std::vector<HistoryPoint> history;  // its Trainer's loss history (step 0 to the end)
    // Mean loss (the phase's reconstruction loss, penalties excluded) over all of its
    // training codes and test codes, set when the phase ends (NaN before).
    double final_train_loss = std::nan("");
    double final_test_loss = std::nan("");
    bool done = false;
};

class LayerwisePretrainer {
public:
    // train (d x N) and test (d x M, may be nullptr) must outlive the pretrainer. Throws
    // aelab::Error on a target that cannot be pretrained, epochs_per_phase < 1, invalid
    // optimizer or training settings, or a batch larger than the training set.
    LayerwisePretrainer(const AEConfig& target, const OptimizerConfig& opt, const Mat& train, const Mat* test,
                        const TrainConfig& tc, int epochs_per_phase);
    ~LayerwisePretrainer();
    LayerwisePretrainer(const LayerwisePretrainer&) = delete;
    LayerwisePretrainer& operator=(const LayerwisePretrainer&) = delete;

    int num_phases() const { return int(phases_.size()); }
    int phase() const { return cur_; }  // the phase training now; num_phases() when done
    bool done() const { return cur_ >= num_phases(); }
    long steps() const;        // steps taken over all phases
    long total_steps() const;  // steps of all phases
    const std::vector<PretrainPhase>& phases() const { return phases_; }
    // Phase p's autoencoder (trained as far as it got).
    const Autoencoder<float>& phase_model(int p) const;

    // Trains the current phase for at most budget.max_steps steps / max_seconds; when its
    // epochs are done, records its final losses and prepares the next phase (the codes of
    // the trained encoder). Does nothing once done() or diverged().
    StepResult step(const StepBudget& budget);

    bool diverged() const { return diverged_; }
    const std::string& divergence_message() const { return message_; }

    // The full target model with every phase's layers copied in (requires done()).
    Autoencoder<float> unroll() const;
    // Copies every phase's layers, as trained so far, into `full` (a model of the target's
    // shape; its other values are kept): phases not yet started give their initial weights.
    // A UI shows the model "as it will be unrolled" during the phases with it; after done(),
    // `full` holds exactly unroll()'s parameters. Throws aelab::Error on another shape.
    void unroll_into(Autoencoder<float>& full) const;

private:
    void start_phase(int p);
    void finish_phase();

    AEConfig target_;
    OptimizerConfig opt_;
    TrainConfig tc_;
    int epochs_;
    const Mat& train_;
    const Mat* test_;
    std::vector<PretrainPhase> phases_;
    std::vector<std::unique_ptr<Autoencoder<float>>> models_;
    Mat codes_train_, codes_test_;      // inputs of the current phase (phases >= 1)
    std::unique_ptr<Trainer> trainer_;  // the current phase's
    int cur_ = 0;
    bool diverged_ = false;
    std::string message_;
};

}  // namespace aelab
