// aelab/model_io.hpp — model files: an Autoencoder<float> + optimizer + counters as bytes.
//
// What: save_model() packs a model (its AEConfig and flat parameter vector), optionally the
// optimizer (its OptimizerConfig, iteration count and named state arrays such as Adam's
// moments) and the trainer's counters (step, samples seen, epoch) into the generic
// checkpoint container of aelab/checkpoint.hpp and returns the bytes. read_model() parses
// and validates bytes back into a ModelFile; make_model() / restore_optimizer() rebuild the
// live objects. Core does no file I/O: the CLI writes the bytes to "m.aelab", the browser
// keeps them in memory / IndexedDB.
// Why: one format for "save", "resume after Ctrl-C" and "evaluate later"; round trips are
// bit-exact (float arrays are stored as their IEEE bit patterns).
// Usage:
//     std::vector<std::uint8_t> b = aelab::save_model(model, &trainer.optimizer(),
//                                                     {trainer.steps(), trainer.samples_seen(),
//                                                      trainer.epoch()});
//     aelab::ModelFile f = aelab::read_model(b.data(), b.size());
//     aelab::Autoencoder<float> m = aelab::make_model(f);
//     auto opt = aelab::make_optimizer(f.optimizer, m.num_params());
//     aelab::restore_optimizer(f, *opt);
//
// Format (model format version 1, inside checkpoint container version 1):
//   config text (key=value lines, see aelab::parse_config):
//     format=aelab-model            marks a model file (other checkpoints are rejected)
//     model_format_version=1        rejected if newer than kModelFormatVersion
//     model.<key>=...               every line of AEConfig::to_text(), prefixed
//     has_optimizer=0|1
//     opt.<key>=...                 every line of OptimizerConfig::to_text(), prefixed, plus
//                                   opt.max_line_search and opt.seed (not in to_text())
//     meta.<key>=...                free key=value metadata from the caller (data set, batch
//                                   size, seed, command line...), returned verbatim
//   arrays:   "params" (num_params floats), "opt.<state name>" (e.g. "opt.adam.m")
//   integers: "train.step", "train.samples", "opt.iterations", "num_params"
//   scalars:  "train.epoch"
// Not saved: L-BFGS curvature pairs and the Monte Carlo step size (they restart fresh),
// the trainer's shuffle order and RNG state (a resumed run reshuffles).
// Every inconsistency (not a model file, newer version, unknown key, parameter count that
// does not match the architecture, optimizer state of the wrong size or kind, non-finite
// parameters) throws aelab::Error with a message naming it; corrupt or truncated bytes are
// caught by the container's checksum and length checks.
#pragma once

#include "aelab/autoencoder.hpp"
#include "aelab/common.hpp"
#include "aelab/optim.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aelab {

constexpr int kModelFormatVersion = 1;

// Trainer progress stored with a model.
struct TrainCounters {
    long step = 0;       // optimizer steps taken
    long samples = 0;    // training samples seen
    double epoch = 0.0;  // fractional epochs
};

struct ModelFile {
    AEConfig model;
    Vec params;                         // model.num_params() floats
    bool has_optimizer = false;
    OptimizerConfig optimizer;          // valid when has_optimizer
    long optimizer_iterations = 0;      // Optimizer::iterations() (Adam's bias-correction t)
    std::map<std::string, Vec> optimizer_state;  // Optimizer::state() names -> arrays
    TrainCounters counters;
    std::map<std::string, std::string> meta;     // caller's metadata, verbatim
};

// Serialise. `opt` may be null (model only). meta keys must match [A-Za-z0-9_.-]+ and
// values contain no newlines. Throws aelab::Error on non-finite parameters.
std::vector<std::uint8_t> save_model(const Autoencoder<float>& model, Optimizer* opt = nullptr,
                                     const TrainCounters& counters = {},
                                     const std::map<std::string, std::string>& meta = {});

// Parse and validate (see the header comment for what is checked).
ModelFile read_model(const std::uint8_t* data, std::size_t size);
inline ModelFile read_model(const std::vector<std::uint8_t>& bytes) {
    return read_model(bytes.data(), bytes.size());
}

// A model with the file's configuration and parameters.
Autoencoder<float> make_model(const ModelFile& f);

// Copies the file's optimizer state (arrays and iteration count) into `opt`. Throws if the
// file has no optimizer, if the kinds differ, or if any state array is missing or has the
// wrong size. opt's hyperparameters are left as they are (set_config to change them).
void restore_optimizer(const ModelFile& f, Optimizer& opt);

// OptimizerConfig from the text of OptimizerConfig::to_text() (key=value lines; unknown
// keys are errors; missing keys keep the defaults of the named optimizer). Validated.
OptimizerConfig optimizer_config_from_text(const std::string& text);
OptimizerConfig optimizer_config_from_map(const std::map<std::string, std::string>& kv);

}  // namespace aelab
