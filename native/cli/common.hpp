// native/cli/common.hpp — pieces shared by the aelab CLI commands.
//
// Exit codes of every command: 0 success, 1 runtime error (missing data, corrupt model
// file...), 2 usage error (bad option), 3 training diverged (results still written),
// 130 interrupted by Ctrl-C (checkpoint and partial results written).
#pragma once

#include "aelab/autoencoder.hpp"
#include "aelab/model.hpp"
#include "aelab/optim.hpp"
#include "aelab/trainer.hpp"
#include "args.hpp"
#include "data_csv.hpp"
#include "io.hpp"

#include <string>
#include <vector>

namespace aelab::cli {

constexpr int kExitOk = 0, kExitError = 1, kExitUsage = 2, kExitDiverged = 3, kExitInterrupted = 130;

// The options every data command takes: --data --data-dir --limit-train --limit-test
// --out --quiet, and the data-file options of data_csv.hpp (--label-col --scale ...)
// (commands.hpp: a command's `data_options` flag). A new common option is one line here and
// one in read_common().
std::vector<OptDef> data_options();
struct Common {
    DataSpec data;
    std::string out;     // output directory (created by prepare_out)
    bool quiet = false;
    bool data_given = false;
    FileData file;       // --data FILE.csv / FILE.idx (kind None for mnist / fashion)
};
// Reads the data options; `command` names the default output directory; `more_sets` are
// data sets the command accepts besides mnist and fashion (train: the generated ones).
Common read_common(const Options& o, const std::string& command, const std::vector<std::string>& more_sets = {});
// Creates the output directory and checks that files can really be written into it
// (check_writable_dir); commands call it before loading data, so that a bad --out fails
// at once instead of after the work.
void prepare_out(const Common& c);
// Loads the data with a one-line note on stderr (size, time).
DataPair load_data_verbose(const Common& c);

// Stderr note (suppressed by --quiet).
void note(const Common& c, const std::string& text);
// The command line as one line of text (for metadata).
std::string command_line(int argc, char** argv);

// --eval-every, --eval-max, --knn: how a training command evaluates (train, compare).
std::vector<OptDef> evaluation_options();

// 2-D view of codes Z (k x N): Z itself when k == 2, its first two principal directions
// when k > 2, (z, jitter) when k == 1. Axis names returned in xlabel/ylabel.
Mat latent_2d(const Mat& Z, std::string* xlabel, std::string* ylabel, std::string* how);

// Everything measured on a trained model.
struct ModelMetrics {
    double test_mse = 0, test_loss = 0, train_mse = 0, train_loss = 0;
    double knn_acc = std::nan("");       // k-NN on codes, all training labels
    double knn10_acc = std::nan("");     // 1-NN with 10 labelled training samples per class
    int knn_k = 5;
};
// Evaluates on the full train and test sets; codes are returned for plots when asked. Any
// model kind: losses from Model::evaluate (a VAE: its mean code, recon summed per image),
// k-NN on Model::encode's codes (a VAE: the mean code).
ModelMetrics evaluate_model(Model& m, const DataPair& d, int knn_k, Mat* test_codes = nullptr);
ModelMetrics evaluate_model(Autoencoder<float>& m, const DataPair& d, int knn_k, Mat* test_codes = nullptr);

// Montage rows "input" + one row per model, for the sample columns `idx` of X_test.
Mat gather_columns(const Mat& X, const std::vector<Index>& idx);

// If --help was given: prints "usage: ...", the description and the option list to stdout
// and returns true (the command then returns kExitOk).
bool print_help_if_asked(const Options& o, const char* usage, const char* description);

// Json object of key=value lines (AEConfig::to_text(), OptimizerConfig::to_text()).
Json json_of_config_text(const std::string& text);

}  // namespace aelab::cli
