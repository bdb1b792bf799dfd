// native/cli/recipe_cli.hpp — the recipes (assets/recipes, web/app/presets.hpp) in the CLI.
//
// What: `aelab recipes` (one recipe per line: key, then title); `--recipe KEY` of `aelab
// train`, expanded into the recipe's own options before the command parses its options;
// the data sets of `aelab train` beyond MNIST / Fashion-MNIST (the page's generated sets,
// among them Géron's 3-D data) and the course's validation split; the rounded accuracy of a
// model on image data.
// Why: a recipe is the same settings in the page and in the CLI; expanding it into ordinary
// options means every check, default and help text of `aelab train` applies unchanged, and
// an option given on the command line simply wins over the recipe's.
// Usage (cmd_train.cpp):
//     std::vector<std::string> args = expand_recipe(argc, argv, 2);  // throws UsageError
//     ArgList al(args);  o.parse(al.argc(), al.argv(), 2);
//     DataPair d = load_train_data(c, valid, seed, read_gauss_options(o, c.data.set));
#pragma once

#include "aelab/autoencoder.hpp"
#include "aelab/gauss2d.hpp"
#include "aelab/model.hpp"
#include "common.hpp"

#include <string>
#include <vector>

namespace aelab::cli {

// `aelab recipes` (commands.hpp declares run_recipes / recipes_options): every recipe, one
// per line: key, two spaces, title (stdout).

// argv[0..argc) with `--recipe KEY` (or --recipe=KEY) among argv[first..] replaced by the
// recipe's options (web/app/presets.hpp recipe_cli_options, or for a key that is not a page
// recipe, cli_recipe_options(key, "train")) inserted at `first`, except the
// options also given explicitly, which keep the user's value. Without --recipe: argv as is.
// An unknown key is a UsageError listing the valid keys; a renamed key works with a note.
std::vector<std::string> expand_recipe(int argc, char** argv, int first);

// The "--name=value" options of the CLI-only recipe assets/cli-recipes/KEY.txt, whose
// `command:` must be `command` (train or classify). Format: `title:` (1..30 characters),
// `command:`, `cli:` (space-separated name=value options of that command), an empty line, a
// paragraph. A page recipe (assets/recipes/) is one the page can show; a CLI-only recipe
// needs what the page does not have (tabular data, the Monte Carlo search's intervals, ...).
// Throws UsageError for an unknown key or the wrong command, Error for a malformed file.
std::vector<std::string> cli_recipe_options(const std::string& key, const std::string& command);

// argc/argv view of a string list (for Options::parse).
class ArgList {
public:
    explicit ArgList(std::vector<std::string>& args);
    int argc() const { return int(ptrs_.size()) - 1; }
    char** argv() { return ptrs_.data(); }

private:
    std::vector<char*> ptrs_;
};

// The data sets `aelab train --data` accepts besides mnist / fashion: generated in-process
// exactly as the page does (gauss2d, curved3d, swissroll, geron3d).
const std::vector<std::string>& generated_data_sets();
// Input dimension of a data set by key (784 for the image sets).
int data_input_dim(const std::string& set);
// --mu, --cov, --npseed: the 2-D Gaussian of --data gauss2d (help lines for train_options).
std::vector<OptDef> gauss_options();
// Reads them on top of the course's Gaussian (aelab/gauss2d.hpp parse_gauss_mean /
// parse_gauss_cov: finite, symmetric, positive semi-definite). A bad value, or one of them with
// a data set other than gauss2d, is a UsageError saying why.
Gauss2D read_gauss_options(const Options& o, const std::string& set);

// Loads (image sets) or generates (the others, with `seed` as the page does; gauss2d from
// `gauss`, numpy's draw after np.random.seed(gauss.seed)) the data. For gauss2d it prints what
// the course prints for the sample on stdout (mean, covariance (n - 1), eigenvalues and
// eigenvectors, PC1's share and slope) and puts the same in DataPair::facts. With
// valid > 0 the LAST `valid` training images become the evaluation set instead of the test
// set (Géron: X_train_full[:-5000], X_valid = X_train_full[-5000:]), cut before
// --limit-train / --limit-test apply (they then limit the two parts). Notes on stderr.
DataPair load_train_data(const Common& c, long valid, std::uint64_t seed, const Gauss2D& gauss = Gauss2D{});

// Géron's rounded accuracy of m's reconstructions of X (aelab/course.hpp), computed in
// chunks of 4096 samples so that no full reconstruction of a large set is held.
double model_rounded_accuracy(Model& m, const Mat& X);
double model_rounded_accuracy(Autoencoder<float>& m, const Mat& X);

}  // namespace aelab::cli
