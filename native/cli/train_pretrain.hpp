// native/cli/train_pretrain.hpp — `aelab train --pretrain layerwise --pretrain-epochs N`.
//
// What: greedy layer-wise pretraining (core/aelab/stacked.hpp) before the ordinary training
// of a dense model: the options, their checks, the phases' loop with a progress bar per
// phase ("pretrain 2/3 256-64-256"), and the phases' results for metrics.json
// ("pretrain"), pretrain.csv (one row per phase: final train / test loss) and the summary.
// Budget: --epochs E stays the run's TOTAL budget in epochs; m phases of N epochs use m*N of
// it and fine-tuning gets E - m*N (>= 1). A phase epoch counts as one epoch although it costs
// less than a full-model epoch (the comparison is conservative for pretraining). So
// `aelab train ARGS --epochs E` and the same command with `--pretrain layerwise
// --pretrain-epochs N` compare end-to-end and layer-wise training at the same total budget.
// Why a separate file: cmd_train.cpp stays one flow; this adds three calls to it.
#pragma once

#include "aelab/stacked.hpp"
#include "args.hpp"
#include "common.hpp"
#include "io.hpp"

#include <vector>

namespace aelab::cli {

std::vector<OptDef> pretrain_options();

struct PretrainPlan {
    bool on = false;
    int epochs_per_phase = 0;
    int phases = 0;
    long long finetune_epochs = 0;  // E - phases * epochs_per_phase
};

// Reads and checks --pretrain / --pretrain-epochs against the run (UsageError: a graph
// model, --resume, --steps, N < 1, no epochs left for fine-tuning, a target that cannot be
// pretrained layer-wise).
PretrainPlan read_pretrain_options(const Options& o, bool graph, bool resume, const AEConfig& cfg, long long epochs);

struct PretrainOutcome {
    std::vector<PretrainPhase> phases;
    double seconds = 0;
    bool interrupted = false, diverged = false;
    std::string message;  // divergence message
};

// Runs the phases on d's training data (test codes from d's test data) and, when they all
// finish, copies the unrolled weights into `model` (a DenseModel of cfg).
PretrainOutcome run_pretrain(const PretrainPlan& plan, const AEConfig& cfg, const OptimizerConfig& oc,
                             const TrainConfig& tc, const DataPair& d, Model& model, bool quiet);

// metrics.json's "pretrain" object; pretrain.csv; the summary's phase table (stdout).
Json pretrain_json(const PretrainPlan& plan, const PretrainOutcome& r);
std::string pretrain_csv(const PretrainOutcome& r);
void print_pretrain(const PretrainPlan& plan, const PretrainOutcome& r);

}  // namespace aelab::cli
