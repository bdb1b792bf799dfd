// aelab — command-line runner for full-size MNIST / Fashion-MNIST experiments.
//
//   aelab pca      PCA table (explained variance, train/test MSE, fit time) + eigen-digits
//   aelab train    one autoencoder: progress, curves CSV, metrics JSON, figures, model file
//   aelab compare  PCA-k vs linear / sigmoid / ReLU / ELU autoencoders at the same k
//   aelab eval     metrics of a saved model, reconstructions figure
//   aelab encode   codes of a saved model to CSV, latent scatter figure
//   aelab embed    PCA / kernel PCA / t-SNE embedding of images or codes: CSV, scatter, 5-NN accuracy
//   aelab sweep    a grid of runs (locally N at a time, or sharded for Slurm / GNU parallel)
//   aelab recipes  the recipes (assets/recipes), one per line; `train --recipe KEY` runs one
//   aelab help [COMMAND]
// The commands are listed once, in commands.cpp's table (name, summary, usage, options,
// run function); this file dispatches through it and maps errors to exit codes.
// All file I/O, threads and signals live here; the numerics are in core/ (aelab_core).
#include "commands.hpp"

#include <cstdio>
#include <string>

using namespace aelab::cli;

namespace {

// `aelab help` / `aelab help CMD` (the same text as `aelab CMD --help`).
int run_help(const std::string& topic) {
    if (topic.empty()) {
        std::fputs(overview().c_str(), stdout);
        return kExitOk;
    }
    const Command* cmd = find_command(topic);
    if (!cmd) throw UsageError("no help for '" + topic + "' (commands: " + command_names() + ")");
    std::string a0 = "aelab", a1 = topic, a2 = "--help";
    char* args[] = {a0.data(), a1.data(), a2.data(), nullptr};
    return run_command(*cmd, 3, args);
}

int dispatch(const std::string& name, int argc, char** argv) {
    if (const Command* cmd = find_command(name)) return run_command(*cmd, argc, argv);
    if (name == "help" || name == "--help" || name == "-h") return run_help(argc > 2 ? argv[2] : "");
    throw UsageError("unknown command '" + name + "' (commands: " + command_names() + ", help)");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs(overview().c_str(), stderr);
        return kExitUsage;
    }
    const std::string cmd = argv[1];
    try {
        return dispatch(cmd, argc, argv);
    } catch (const UsageError& e) {
        const bool known = find_command(cmd) != nullptr;
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
