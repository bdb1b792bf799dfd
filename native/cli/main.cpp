// aelab — command-line runner for full-size MNIST / Fashion-MNIST experiments.
//
//   aelab pca      PCA table (explained variance, train/test MSE, fit time) + eigen-digits
//   aelab train    one autoencoder: progress, curves CSV, metrics JSON, PNGs, model file
//   aelab compare  PCA-k vs linear / sigmoid / ReLU / ELU autoencoders at the same k
//   aelab eval     metrics of a saved model, reconstructions PNG
//   aelab encode   codes of a saved model to CSV, latent scatter PNG
//   aelab sweep    a grid of runs (locally N at a time, or sharded for Slurm / GNU parallel)
//   aelab recipes  the recipes (assets/recipes), one per line; `train --recipe KEY` runs one
//   aelab help [COMMAND]
// All file I/O, threads and signals live here; the numerics are in core/ (aelab_core).
#include "common.hpp"

#include <cstdio>
#include <cstring>
#include <string>

using namespace aelab::cli;

namespace aelab::cli {
int cmd_sweep(int argc, char** argv);    // cmd_sweep.cpp
int cmd_recipes(int argc, char** argv);  // recipe_cli.cpp
}

namespace {

const char* kOverview =
    "aelab — autoencoder laboratory, command-line runner for full-size MNIST experiments\n"
    "\n"
    "usage: aelab COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  pca       PCA at several k: explained variance, train/test MSE, fit time; eigen-digit PNGs\n"
    "  train     train one autoencoder (progress bar, curves CSV, metrics JSON, PNGs, model file)\n"
    "  compare   the headline experiment: PCA-k vs linear, sigmoid, ReLU, ELU autoencoders at the same k\n"
    "  eval      metrics of a saved model (.aelab) on the test set; reconstructions PNG\n"
    "  encode    codes of a saved model to CSV; latent scatter PNG\n"
    "  sweep     a grid of runs from a GRID file, N at a time or sharded (--shard I/N) for Slurm\n"
    "            job arrays / GNU parallel; --collect merges their metrics into CSV + markdown\n"
    "  recipes   the recipes (the course's examples and the page's presets), one per line: key, title;\n"
    "            `aelab train --recipe KEY [options]` trains one (explicit options override it)\n"
    "  help      this text, or `aelab help COMMAND` for a command's options\n"
    "\n"
    "Data: scripts/setup fetches MNIST into data/mnist/ and Fashion-MNIST into data/fashion/.\n"
    "Results go to --out DIR (default results/<command>-<date>-<time>/); tables to stdout,\n"
    "progress to stderr. Ctrl-C during training saves a checkpoint and the partial results.\n"
    "Exit codes: 0 ok, 1 error, 2 bad usage, 3 training diverged, 130 interrupted.\n"
    "\n"
    "examples:\n"
    "  aelab compare --data mnist --k 5\n"
    "  aelab pca --k 2,5,10,30,50,128 --variance 0.95\n"
    "  aelab train --arch 784-500-500-2 --act elu --epochs 10 --save m.aelab\n"
    "  aelab train --resume m.aelab --epochs 20\n"
    "  aelab recipes && aelab train --recipe course-stacked-selu\n"
    "  aelab eval m.aelab && aelab encode m.aelab --split test\n"
    "  aelab sweep grid.txt --jobs 2 --out results/sweep1 && aelab sweep grid.txt --collect --out results/sweep1\n";

int run_help(const std::string& topic);

int dispatch(const std::string& cmd, int argc, char** argv) {
    if (cmd == "pca") return cmd_pca(argc, argv);
    if (cmd == "train") return cmd_train(argc, argv);
    if (cmd == "compare") return cmd_compare(argc, argv);
    if (cmd == "eval") return cmd_eval(argc, argv);
    if (cmd == "encode") return cmd_encode(argc, argv);
    if (cmd == "sweep") return cmd_sweep(argc, argv);
    if (cmd == "recipes") return cmd_recipes(argc, argv);
    if (cmd == "help" || cmd == "--help" || cmd == "-h") return run_help(argc > 2 ? argv[2] : "");
    throw UsageError("unknown command '" + cmd + "' (commands: pca, train, compare, eval, encode, sweep, recipes, help)");
}

// `aelab help CMD` / `aelab CMD --help`: the command's own option list.
int run_help(const std::string& topic) {
    if (topic.empty()) {
        std::fputs(kOverview, stdout);
        return kExitOk;
    }
    if (topic != "pca" && topic != "train" && topic != "compare" && topic != "eval" && topic != "encode" &&
        topic != "sweep" && topic != "recipes")
        throw UsageError("no help for '" + topic + "' (commands: pca, train, compare, eval, encode, sweep, recipes)");
    std::string a0 = "aelab", a1 = topic, a2 = "--help";
    char* args[] = {a0.data(), a1.data(), a2.data(), nullptr};
    return dispatch(topic, 3, args);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs(kOverview, stderr);
        return kExitUsage;
    }
    const std::string cmd = argv[1];
    try {
        return dispatch(cmd, argc, argv);
    } catch (const UsageError& e) {
        const bool known = cmd == "pca" || cmd == "train" || cmd == "compare" || cmd == "eval" || cmd == "encode" ||
                           cmd == "sweep" || cmd == "recipes";
        std::fprintf(stderr, "aelab %s: %s\n(see `aelab help%s%s`)\n", cmd.c_str(), e.what(), known ? " " : "",
                     known ? cmd.c_str() : "");
        return kExitUsage;
    } catch (const aelab::Error& e) {
        std::fprintf(stderr, "aelab %s: error: %s\n", cmd.c_str(), e.what());
        return kExitError;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "aelab %s: error: out of memory\n", cmd.c_str());
        return kExitError;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "aelab %s: error: %s\n", cmd.c_str(), e.what());
        return kExitError;
    }
}
