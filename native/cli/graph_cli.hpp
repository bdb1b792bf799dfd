// native/cli/graph_cli.hpp — layer-graph models (conv AE, VAE, conv VAE) in the CLI: the
// model options, the VAE's evaluation and figures, and reconstruction snapshots.
//
// What:
//   * wants_graph / graph_model_from_options: `--arch` in the graph grammar of
//     core/aelab/graph.hpp (a first token that starts with a letter: r1x28x28,c16k3...), or
//     `--model vae` with a dense arch 784-500-500-k (the mirrored dense VAE
//     d500-<act>,d500-<act>,g<k>|d500-<act>,d500-<act>,d784-sigmoid, --act default elu), or a
//     graph arch with g<K>. `--loss` bce|mse (VAE default bce, graph AE default mse), `--beta`
//     (KL weight, VAE only). Reduction of the reconstruction loss: a VAE sums it over each
//     image's values (nats per image: the ELBO), a graph AE takes the mean over all entries
//     (Keras' and PyTorch's default, the course's numbers). Dense-only options (--tied,
//     --weight-decay, --sparsity*, --noise*, --latent-act, --out-act) with a graph are usage
//     errors; a bad architecture string is a usage error with the parser's message (which
//     names the token).
//   * vae_report: on the evaluation set, the ELBO with the mean code, the ELBO with one
//     sampled code (stream Rng(seed, kVaeEvalStream)), recon and KL apart, and with --iwae K
//     the IWAE bound (timed); vae_json adds test_elbo_mean, test_elbo, test_recon, test_kl,
//     iwae, iwae_k, iwae_seconds to a result object; vae_figures writes prior_samples.png
//     (decoded z ~ N(0, I), stream Rng(seed, 0x9a10)) and latent_traversal.png (k = 2: the
//     decoded grid over [-3, 3]^2; k > 2: each of the first 8 dims swept over [-3, 3], others 0).
//   * extra_params_print / extra_params_json: the constrained alpha, beta of kp/km layers.
//   * Snapshots (--snapshots 10000,30000,50000): reconstructions of fixed test images (two
//     per class) taken at those steps, written as one montage snapshots.png (one row per
//     step), the figure of the seed-003 paper; any model kind.
// Why: the dense path of cmd_train stays as it was; the graph-specific parts live here.
#pragma once

#include "aelab/model.hpp"
#include "aelab/model_io.hpp"
#include "common.hpp"

#include <memory>
#include <string>
#include <vector>

namespace aelab::cli {

// --model, --beta, --iwae, --snapshots (help lines for train's option list).
std::vector<OptDef> graph_options();

// True when the options ask for a graph model (--model vae, or a graph-grammar --arch).
bool is_graph_arch(const std::string& arch);
bool wants_graph(const Options& o);
// The graph model the options describe, for inputs of `input_dim` values; parameters not
// initialised. UsageError on any bad or dense-only option.
std::unique_ptr<Model> graph_model_from_options(const Options& o, int input_dim);
// With --resume of a graph model file: checks that the model options given (if any)
// describe the same model; throws UsageError otherwise. --beta may change.
void check_resume_graph_options(const Options& o, const ModelFile& f);

// "graph VAE d500-elu,...: BCE summed per image (nats), beta 1" (for notes and titles).
std::string describe_model(const Model& m);

struct VaeReport {
    bool valid = false;  // false: not a VAE
    double elbo_mean = 0, elbo = 0, recon = 0, kl = 0, recon_mean_code = 0, kl_mean_code = 0;
    int iwae_k = 0;
    double iwae = std::nan(""), iwae_seconds = 0;
};
VaeReport vae_report(Model& m, const Mat& X, int iwae_k, std::uint64_t seed);
void vae_json(const VaeReport& r, Json& res);
void vae_print(const VaeReport& r, const char* set_name);
// prior_samples.png and latent_traversal.png in dir (images of image_rows x image_cols).
// Returns the file names written.
std::string vae_figures(Model& m, const std::string& dir, const std::string& title_prefix, std::uint64_t seed,
                        int image_rows, int image_cols);

// KernelML's parametric layers (kp, km; graph.hpp): after training, the extra parameters
// with their constraint transforms and constrained values. extra_params_print writes the
// table "layer param transform raw value" to stdout (nothing for a model without them);
// extra_params_json adds final.extra_params = [{layer, param, name, transform, raw, value}]
// to the result object (nothing without them).
void extra_params_print(const Model& m);
void extra_params_json(const Model& m, Json& res);

// Reconstruction snapshots at given steps.
class Snapshots {
public:
    // steps: sorted, unique (parsed from --snapshots); X: the fixed images (d x n).
    Snapshots(std::vector<long> steps, Mat X) : steps_(std::move(steps)), X_(std::move(X)) {}
    bool empty() const { return steps_.empty(); }
    // The next snapshot step after `step` (or -1): training chunks stop there.
    long next_after(long step) const;
    // Takes the snapshot when `step` is one of the steps and not yet taken.
    void maybe_take(long step, Model& m);
    // Writes snapshots.png (input row, then one row per snapshot taken); false if none.
    bool write(const std::string& path, const std::string& title, int image_rows, int image_cols) const;
    const std::vector<long>& taken_steps() const { return taken_; }

private:
    std::vector<long> steps_, taken_;
    Mat X_;
    std::vector<Mat> rows_;
};
// Parses --snapshots (steps 1..1e9, comma-separated, sorted and deduplicated).
std::vector<long> parse_snapshot_steps(const Options& o);

}  // namespace aelab::cli
