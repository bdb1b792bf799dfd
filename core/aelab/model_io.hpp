// aelab/model_io.hpp — model files: an Autoencoder<float> + optimizer + counters as bytes.
//
// What: save_model() packs a model (its AEConfig and flat parameter vector), optionally the
// optimizer's whole state (OptimizerConfig, iteration count, moments, L-BFGS pairs, Monte
// Carlo step size and stream) and either the trainer's counters or its whole TrainerState
// (RNG, shuffle order and position, divergence guard, loss history) into the generic
// checkpoint container of aelab/checkpoint.hpp and returns the bytes. read_model() parses
// and validates bytes back into a ModelFile; make_model() / restore_optimizer() /
// Trainer::restore() rebuild the live objects. Core does no file I/O: the CLI writes the
// bytes to "m.aelab", the browser keeps them in memory.
// Why: one format for "save", "resume after Ctrl-C or a crash" and "evaluate later"; round
// trips are bit-exact (floats and doubles are stored as their IEEE bit patterns), and a run
// resumed from a file saved with its TrainerState ends bitwise equal to the uninterrupted run.
// Usage:
//     std::vector<std::uint8_t> b = aelab::save_model(model, trainer.state(), meta);
//     aelab::ModelFile f = aelab::read_model(b.data(), b.size());
//     aelab::Autoencoder<float> m = aelab::make_model(f);
//     aelab::Trainer tr(m, f.optimizer, Xtrain, &Xtest, tc);
//     if (f.has_trainer_state) tr.restore(f.trainer);        // exact resume
//     else if (f.has_optimizer) aelab::restore_optimizer(f, tr.optimizer());
//
// Format (model format version 3, inside checkpoint container version 2; version-1 files,
// which had no trainer state and only the optimizers' fixed-size arrays, and version-2 files,
// which had only dense models and no VAE history columns, still load):
//   config text (key=value lines, see aelab::parse_config):
//     format=aelab-model            marks a model file (other checkpoints are rejected)
//     model_format_version=2        rejected if newer than kModelFormatVersion
//     model_kind=dense|graph        (version 3; absent: dense)
//     model.<key>=...               dense: every line of AEConfig::to_text(), prefixed
//     graph.arch=... graph.input=CxHxW graph.loss=mse|bce graph.sum_per_sample=0|1 graph.beta=B
//                                   graph: the layer graph (aelab/graph.hpp) and its objective
//     has_optimizer=0|1
//     has_trainer_state=0|1         (version 2)
//     opt.<key>=...                 every line of OptimizerConfig::to_text(), prefixed, plus
//                                   opt.max_line_search and opt.seed (not in to_text())
//     meta.<key>=...                free key=value metadata from the caller (data set, batch
//                                   size, seed, command line...), returned verbatim
//   float arrays:  "params" (num_params), "opt.<name>" (OptimizerState::arrays: "opt.adam.m",
//                  "opt.lbfgs.s" = m curvature pairs x num_params...)
//   double arrays: "opt.<name>" (OptimizerState::reals: "opt.lbfgs.rho", "opt.mc.sigma"...);
//                  with a trainer state "train.perm" (N indices) and the history
//                  "train.history.{step,epoch,train_loss,train_mse,test_loss,test_mse}" and in
//                  version 3 "train.history.{train_recon,train_kl,test_kl}"
//   integers: "num_params", "train.step", "train.samples", "opt.iterations",
//             "opt.<name>" (OptimizerState::integers), with a trainer state "train.pos",
//             "train.epochs_done", "train.acc_n", "train.good_since_snapshot", "train.rng.state",
//             "train.rng.inc", "train.rng.has_spare"
//   scalars:  "train.epoch"; with a trainer state "train.last_loss", "train.acc_loss",
//             "train.acc_mse", "train.ema", "train.best_ema", "train.first_loss", "train.rng.spare",
//             version 3 "train.acc_recon", "train.acc_kl"
// Every inconsistency (not a model file, newer version, unknown key or array, parameter
// count that does not match the architecture, optimizer or trainer state of the wrong size,
// kind or range, non-finite parameters) throws aelab::Error with a short message naming it
// (long values such as a huge architecture are cut with "..."). The parameter count is
// computed arithmetically from the configuration, with overflow checks, and compared before
// anything of the model's size is allocated. Corrupt or truncated bytes are caught by the
// container's checksum and length checks.
#pragma once

#include "aelab/autoencoder.hpp"
#include "aelab/common.hpp"
#include "aelab/model.hpp"
#include "aelab/optim.hpp"
#include "aelab/trainer.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aelab {

constexpr int kModelFormatVersion = 3;

// Trainer progress stored with a model.
struct TrainCounters {
    long step = 0;       // optimizer steps taken
    long samples = 0;    // training samples seen
    double epoch = 0.0;  // fractional epochs
};

struct ModelFile {
    int format_version = kModelFormatVersion;  // of the file read (1, 2 or 3)
    ModelKind kind = ModelKind::Dense;  // version 3: dense or graph (older files: dense)
    AEConfig model;                     // kind Dense
    std::string graph_arch;             // kind Graph: canonical architecture string,
    Shape graph_input;                  //   input shape and objective
    GraphObjective graph_objective;
    Vec params;                         // model.num_params() floats
    bool has_optimizer = false;
    OptimizerConfig optimizer;          // valid when has_optimizer
    long optimizer_iterations = 0;      // Optimizer::iterations() (Adam's bias-correction t)
    std::map<std::string, Vec> optimizer_state;  // the optimizer's float arrays by name
    bool optimizer_whole = false;       // version 2: optimizer_full is the whole state
    OptimizerState optimizer_full;      // valid when optimizer_whole
    TrainCounters counters;
    bool has_trainer_state = false;     // version 2 files saved with a TrainerState
    TrainerState trainer;               // valid when has_trainer_state (holds the optimizer too)
    std::map<std::string, std::string> meta;     // caller's metadata, verbatim
};

// Serialise. `opt` may be null (model only); its whole state is saved. meta keys must match
// [A-Za-z0-9_.-]+ and values contain no newlines. Throws aelab::Error on non-finite
// parameters.
std::vector<std::uint8_t> save_model(const Autoencoder<float>& model, Optimizer* opt = nullptr,
                                     const TrainCounters& counters = {},
                                     const std::map<std::string, std::string>& meta = {});
// The same for a model of any kind (a graph's architecture, input shape and objective are
// stored as graph.arch / graph.input / graph.loss / graph.sum_per_sample / graph.beta).
std::vector<std::uint8_t> save_model(const Model& model, Optimizer* opt = nullptr, const TrainCounters& counters = {},
                                     const std::map<std::string, std::string>& meta = {});
std::vector<std::uint8_t> save_model(const Model& model, const TrainerState& trainer,
                                     const std::map<std::string, std::string>& meta = {});
// Serialise with the trainer's whole state (Trainer::state(); optimizer included; the
// counters are the state's). Exact resume: see Trainer::restore(). The shuffle order must
// have at most 2^31 entries.
std::vector<std::uint8_t> save_model(const Autoencoder<float>& model, const TrainerState& trainer,
                                     const std::map<std::string, std::string>& meta = {});

// Parse and validate (see the header comment for what is checked).
ModelFile read_model(const std::uint8_t* data, std::size_t size);
inline ModelFile read_model(const std::vector<std::uint8_t>& bytes) {
    return read_model(bytes.data(), bytes.size());
}

// A dense model with the file's configuration and parameters (throws for a graph model).
Autoencoder<float> make_model(const ModelFile& f);
// The file's model of any kind, with its parameters.
std::unique_ptr<Model> build_model(const ModelFile& f);

// Copies the file's optimizer state into `opt`: the whole state for version-2 files, the
// fixed-size arrays and iteration count for version 1 (L-BFGS / Monte Carlo then start
// fresh). Throws if the file has no optimizer, if the kinds differ, or if any state array
// is missing or has the wrong size. opt's hyperparameters are left as they are.
void restore_optimizer(const ModelFile& f, Optimizer& opt);

// OptimizerConfig from the text of OptimizerConfig::to_text() (key=value lines; unknown
// keys are errors; missing keys keep the defaults of the named optimizer). Validated.
OptimizerConfig optimizer_config_from_text(const std::string& text);
OptimizerConfig optimizer_config_from_map(const std::map<std::string, std::string>& kv);

// Number of parameters of a model with configuration c, computed arithmetically (nothing
// allocated) with the layout of Autoencoder<float>; throws aelab::Error if it exceeds
// `limit` or would overflow. c must be valid (AEConfig::validate()).
std::uint64_t count_params(const AEConfig& c, std::uint64_t limit = std::uint64_t(1) << 40);

// `s` cut to at most `max_chars` characters, ending in "..." when cut (for messages).
std::string shorten(const std::string& s, std::size_t max_chars = 120);

}  // namespace aelab
