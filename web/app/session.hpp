// session.hpp: one training session of the playground, without any GL / ImGui / SDL.
//
// What: a Session holds the data set (train + test), PCA fitted on the training data, the
// model (aelab::Model: the dense autoencoder or a layer graph: conv AE, VAE), its Trainer, and the caches the panels draw (test codes, PCA codes, the
// principal-angle history). The App calls `train(seconds, steps)` once per frame with the
// frame's time budget, so training never blocks the UI.
// Why headless: the same logic runs in the browser, on the desktop and in unit tests.
// Usage:
//     Session s;
//     s.set_data(make_synthetic(DatasetKind::Gauss2D, 1));
//     s.build(settings);                       // throws aelab::Error on bad settings
//     s.train(0.008, 1000);                    // each frame
//     s.refresh_codes(500);                    // a chunk of test codes per frame
//     s.pca_test_mse();                        // the bound drawn on the loss plot
#pragma once

#include "refresh.hpp"
#include "state.hpp"

#include "aelab/datasets.hpp"
#include "aelab/gauss2d.hpp"
#include "aelab/model_io.hpp"
#include "aelab/pca.hpp"
#include "aelab/stacked.hpp"
#include "aelab/trainer.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aelab::app {

struct DataBundle {
    DatasetKind kind = DatasetKind::Gauss2D;
    Dataset train, test;
    std::string source;  // "generated", "data/mnist-train-images.gz ..." (shown in the UI)
    // Gauss2D only: the Gaussian sampled and what the course prints for its training points
    // (sample mean, covariance with n - 1, sorted eigenpairs, PC1 share and slope).
    Gauss2D gauss;
    Gauss2DStats gauss_stats;
};

// The synthetic course sets (deterministic given the seed): 2-D Gaussian `gauss`
// (sample_gauss2d: numpy's multivariate_normal after np.random.seed(gauss.seed), `seed` is not
// used; the course's n = 10,000 are the training points PCA is fitted on, and 1,000 more are
// the test set), curved 3-D band (2000 / 1000), swiss roll scaled by 1/10
// (2000 / 1000); Géron's 3-D data (aelab/course.hpp: 60 fixed points, train = test, the
// seed does not change them). Throws aelab::Error (validate()'s reason) for a bad `gauss`.
DataBundle make_synthetic(DatasetKind kind, std::uint64_t seed, const Gauss2D& gauss = Gauss2D{});

// ---- k-NN with 10 labelled images per class ----------------------------------------------------
// The page's live version of the CLI eval's "1-NN, 10 labels per class" (knn_accuracy_few_labels
// in aelab/subspace.hpp, same selection: select_per_class(train labels, 10, seed 0)): the first
// kKnnTestCodes test codes are classified by their nearest labelled training code, for the
// autoencoder's codes and for PCA's codes at the same k. NaN when not known (no labels, no
// model, non-finite codes).
constexpr Index kKnnTestCodes = 1000;
constexpr int kKnnPerClass = 10;
constexpr double kKnnPeriod = 3.0;  // seconds between refreshes while the model trains
struct KnnScores {
    double ae = std::numeric_limits<double>::quiet_NaN();
    double pca = std::numeric_limits<double>::quiet_NaN();
    long step = -1;   // model step of the AE score (-1: never computed)
    Index n_test = 0, n_labelled = 0;
};
// An image data set from uncompressed IDX bytes (train images, train labels, test images,
// test labels). At most max_train / max_test samples are kept. Throws aelab::Error.
DataBundle make_image_bundle(DatasetKind kind, const std::vector<std::uint8_t>& train_images,
                             const std::vector<std::uint8_t>& train_labels,
                             const std::vector<std::uint8_t>& test_images,
                             const std::vector<std::uint8_t>& test_labels, Index max_train = 20000,
                             Index max_test = 10000);

// ---- model files in the page -----------------------------------------------------------------
// Largest model file the page accepts (browser upload, desktop path): 64 MiB, about 16 million
// parameters with Adam's state (a 784-1024-1024-1024-1024-64 mirrored model is ~10 MB).
// Larger files are refused before they are read; the current model is kept.
constexpr std::size_t kMaxModelFileBytes = std::size_t(64) << 20;

// Which data set a model file belongs to: the file's `meta.dataset` when it names a data
// set of the model's input size, else `current` if its size fits, else the first set of that
// size (784: MNIST, 2: the 2-D Gaussian, 3: the curved band). False when no data set has
// input_dim dimensions.
bool dataset_for_model(const std::map<std::string, std::string>& meta, int input_dim, DatasetKind current,
                       DatasetKind* out);

struct ModelSettings {
    Settings settings;                  // passes sanitize() unchanged; to_query() round-trips
    std::vector<std::string> messages;  // one per thing the page cannot show as in the file
};
// The page's settings for a model read from a file, on data set `dataset`: shape,
// activations, loss, tied weights and (when the file has one) optimizer kind and learning
// rate from the file; batch, seed, speed, budget, panels from `current`; preset cleared.
// What the page's controls and URL cannot express is clipped to their limits with a
// message: hidden widths above kMaxWidth, more than kMaxHiddenLayers layers, a code above
// kMaxLatent, a learning rate above 10, a decoder that does not mirror the encoder (shown
// mirrored); weight decay, sparsity and input noise are taken over. The loaded weights are used
// as they are (Session::install); the shown settings are what a rebuild (reset, shape
// change) makes. Never throws for a model that AEConfig::validate() accepts.
ModelSettings settings_for_model(const Settings& current, DatasetKind dataset, const AEConfig& model,
                                 const OptimizerConfig* optimizer);

// The same for a model file of any kind: a dense file goes through settings_for_model(); a
// layer graph's settings take its architecture as `net` (model=vae when it has a Gaussian
// code), its loss and beta; the optimizer as above.
ModelSettings settings_for_file(const Settings& current, DatasetKind dataset, const ModelFile& f);
// Values per sample of a file's model (dense: model.input_dim; graph: its input shape).
int file_input_dim(const ModelFile& f);
// "784-500-2-500-784" or the graph's architecture string.
std::string file_arch_string(const ModelFile& f);

// Test images of a conv model's loss-curve evaluations on the page (a dense model: all the
// evaluation columns, 500 for images).
constexpr Index kConvEvalColumns = 100;
// A layer-graph model (VAE, conv) computes each batch in parts of at most this many images
// (TrainConfig::max_part), a frame's time budget stopping between parts: one step of the
// paper's VAE at batch 100 costs more than a frame (~36 ms in Chromium), a part of 25 about
// 9 ms. (The course conv AE's part of 25 takes ~35 ms; parts of 8 gave the same fps, its
// frame being mostly the conv views, at a third of the steps per second.) The update is
// still one per batch (the batch's gradient up to float rounding), and the part size is
// fixed, not chosen by timing, so a run is reproducible.
constexpr Index kGraphPart = 25;

struct AnglePoint {
    long step = 0;
    std::vector<float> degrees;  // ascending principal angles
};

class Session {
public:
    // Replaces the data set and fits PCA on its training part (drops the model).
    void set_data(DataBundle data);
    bool has_data() const { return has_data_; }
    const DataBundle& data() const { return data_; }
    DatasetKind kind() const { return data_.kind; }
    int dim() const { return static_cast<int>(data_.train.dim()); }

    // Fresh model + optimizer + trainer from the settings (weights from settings.seed).
    void build(const Settings& s);
    // Changes that keep the weights: optimizer kind / learning rate, batch size.
    void update_hyper(const Settings& s);
    // Changes of the objective that keep the weights: input noise, sparsity, weight decay
    // (the model's config takes them; same shape, same parameters). For a layer graph: beta
    // (GraphModel::set_objective; the weights are kept). Throws on a bad value.
    void update_objective(const Settings& s);
    // Installs a model read from a file, dense or layer graph (its input size must match the
    // data). Throws.
    void install(const ModelFile& f, const Settings& s);
    std::vector<std::uint8_t> save(const std::map<std::string, std::string>& meta);
    bool has_model() const { return model_ != nullptr; }

    // Trains for at most `seconds` and `max_steps` steps. Records the angle history.
    StepResult train(double seconds, long max_steps);

    // The model of any kind (Model::dense() / graph() for the kind-specific views).
    Model& model() { return *model_; }
    const Model& model() const { return *model_; }
    // The dense autoencoder, or nullptr for a layer graph (PCA angles, tied, sparsity, noise).
    Autoencoder<float>* dense() { return model_ ? model_->dense() : nullptr; }
    // The layer graph (conv AE, VAE), or nullptr for the dense autoencoder.
    Graph<float>* graph() { return model_ ? model_->graph() : nullptr; }
    bool is_vae() const { return model_ && model_->is_vae(); }
    // True when the model is a layer graph with a conv2d or conv2d_transpose layer (the page
    // then shows the conv panel: learned filters and feature maps).
    bool has_conv() const;
    // Steps / epochs including those of a loaded model file (the trainer restarts at 0) and
    // those of the layer-wise pretraining phases.
    long total_steps() const { return trainer_ ? step_offset_ + pretrain_steps() + trainer_->steps() : 0; }
    double total_epoch() const { return trainer_ ? epoch_offset_ + pretrain_epochs_done() + trainer_->epoch() : 0.0; }
    long step_offset() const { return step_offset_; }
    Trainer& trainer() { return *trainer_; }
    const Trainer& trainer() const { return *trainer_; }
    int k() const { return k_; }

    // ---- layer-wise pretraining (Settings::pretrain; session_pretrain.cpp) -----------------
    // build() with pretrain on makes a LayerwisePretrainer for the dense model: train() then
    // steps its phases within each call's budget (a phase's end, which encodes the training
    // set for the next phase, happens inside one call), copies the phases as trained so far
    // into the model (unroll_into: the views show the model as it will be unrolled), and
    // when the last phase ends starts the fine-tuning trainer on the unrolled model (its
    // history, step 0 = the unrolled model's loss, follows the phases' steps). The phases use
    // the optimizer settings of build(); a later lr / optimizer / batch or objective change
    // applies from the fine-tuning on. A divergence in a phase stops pretraining (train()
    // then does nothing; rebuild with a lower learning rate).
    bool pretraining() const { return pre_ && !pre_->done(); }
    // The pretrainer of the current model (nullptr without pretraining); kept after the
    // phases so the loss panel can draw them.
    const LayerwisePretrainer* pretrainer() const { return pre_.get(); }
    long pretrain_steps() const { return pre_ ? pre_->steps() : 0; }
    double pretrain_epochs_done() const;
    // "pretraining phase 2/3: 256-64-256, step 40/200", "fine-tuning 784-256-64-2-64-256-784
    // after 3 pretraining phases", "pretraining diverged in phase 2 ...", or "" (no pretraining).
    std::string phase_label() const;

    // ---- PCA at the model's k ------------------------------------------------------------
    const PCA& pca() const { return pca_; }
    int pca_max_k() const { return static_cast<int>(pca_.n_components_); }
    double pca_test_mse() const { return pca_test_mse_; }
    const Mat& pca_test_codes() const { return pca_test_codes_; }  // k x Ntest
    Mat pca_components() const;                                  // d x k (float)
    // PCA codes / reconstructions of arbitrary columns (d x n -> k x n -> d x n).
    Mat pca_encode(const Eigen::Ref<const Mat>& X) const;
    Mat pca_decode(const Eigen::Ref<const Mat>& Z) const;

    // ---- autoencoder views of the test set -----------------------------------------------
    // Codes of the test set (k x Ntest; a VAE's code means), refreshed round-robin max_cols
    // at a time. For a VAE also their log-variances (test_logvar(), k x Ntest, same columns).
    void refresh_codes(Index max_cols);
    const Mat& test_codes() const { return test_codes_; }
    const Mat& test_logvar() const { return test_logvar_; }
    // A VAE's decoded samples from the prior: the decoder on n fixed z ~ N(0, I) (drawn once
    // from PCG32 (seed, 0x9e1a)), so the grid changes only as the weights do. input_dim x n.
    // Throws for a model that is not a VAE.
    Mat prior_samples(Index n, std::uint64_t seed);
    Mat encode(const Eigen::Ref<const Mat>& X);
    Mat decode(const Eigen::Ref<const Mat>& Z);
    Mat reconstruct(const Eigen::Ref<const Mat>& X);
    // Test columns of PCA's bound and of the loss curve (a conv model's curve: at most
    // kConvEvalColumns of them, train_eval_columns()).
    Index eval_columns() const { return eval_cols_; }
    Index train_eval_columns() const { return train_eval_cols_; }

    // ---- k-NN with 10 labels per class (image data sets) -------------------------------------
    // Recomputes knn() from the cached test codes (test_codes(): keep them fresh with
    // refresh_codes) when due: at once after new data / a new model, then every kKnnPeriod
    // seconds of the clock `now` while the model's step moves. Returns true when it
    // recomputed. Does nothing for data without labels (the synthetic sets).
    // max_cols >= 0: a refresh encodes at most that many of the 100 labelled images a call
    // (at least one), finishing in a later call (the page passes a time budget's worth: the
    // course conv AE's 100 encodes took 50-500 ms in one frame); the scores are then those of
    // the codes as encoded across those calls. -1: all at once.
    bool update_knn(double now, Index max_cols = -1);
    const KnnScores& knn() const { return knn_; }
    // True for data sets whose scores update_knn computes (labelled image sets).
    bool has_knn() const { return !knn_labelled_.empty(); }

    // Principal angles (degrees) between the decoder's linear map and PCA's k axes.
    const std::vector<AnglePoint>& angle_history() const { return angles_; }
    // True when every layer of a dense model is linear (the angles are then the
    // linear-AE-vs-PCA theorem); false for layer graphs.
    bool model_is_linear() const;
    // Latest test MSE / train MSE (NaN before the first evaluation).
    double last_test_mse() const;
    double last_train_mse() const;

private:
    void fit_pca_k();
    void record_angles();
    void make_trainer(const Settings& s);
    TrainConfig train_config(const Settings& s) const;
    StepResult train_pretrain(double seconds, long max_steps);
    void reset_knn();

    DataBundle data_;
    bool has_data_ = false;
    PCA pca_;
    int k_ = 0;
    Index eval_cols_ = 0;
    Index train_eval_cols_ = 0;  // the trainer's evaluation columns (fewer for conv models)
    MatD pca_k_;                 // d x k (double)
    Mat pca_k_f_;                // d x k (float)
    Vec pca_mean_f_;             // d
    double pca_test_mse_ = 0;
    Mat pca_test_codes_;
    std::unique_ptr<Model> model_;
    std::unique_ptr<Trainer> trainer_;
    std::unique_ptr<LayerwisePretrainer> pre_;
    Settings last_settings_;     // the latest build / hyper / objective settings (fine-tuning's)
    int base_eval_every_ = 100;
    long recent_steps_ = 0;      // smoothed steps per train() call
    long step_offset_ = 0;       // counters of a loaded model file
    double epoch_offset_ = 0;
    Mat test_codes_;
    Mat test_logvar_;            // VAE only (else 0 x 0)
    Index code_cursor_ = 0;
    std::vector<AnglePoint> angles_;
    size_t history_seen_ = 0;
    std::vector<Index> knn_labelled_;   // train columns with a label used by the k-NN
    std::vector<int> knn_labels_;       // their labels
    Mat knn_pca_codes_;                 // k x n_labelled PCA codes (at the model's k)
    KnnScores knn_;
    Refresh knn_refresh_{kKnnPeriod, 1e30};
    bool knn_pending_ = false;          // a refresh under way (update_knn with max_cols)
    Index knn_cursor_ = 0;              // labelled images encoded so far in it
    Mat knn_codes_;                     // k x n_labelled AE codes of the labelled images
};

}  // namespace aelab::app
