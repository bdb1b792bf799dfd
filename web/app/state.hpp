// state.hpp: the playground's settings as plain data, and their URL form.
//
// What: `Settings` is everything a user can choose in the playground (dataset, model shape,
// activations, loss, optimizer, batch size, seed, speed, autoplay, hidden panels, ...).
// `parse_query()` turns a URL query string ("?preset=nonlinear-mnist&lr=0.003&hide=pca")
// into Settings, and `to_query()` turns Settings back into the shortest query that
// reproduces them (only what differs from the preset / defaults).
// Why plain C++: this is the embedding contract of the page (course slides link to
// states), so it is unit-tested natively and in WASM (tests/unit/test_app.cpp) and
// must never crash on hostile input: every bad value becomes a message for the user and
// the default value.
// Usage:
//     QueryResult r = parse_query(window_location_search);
//     for (auto& m : r.messages) show(m);          // "lr='abc' is not a number; using 0.003"
//     Settings s = r.settings;
//     aelab::AEConfig c = s.model_config(784);     // valid by construction
//     std::string q = to_query(s);                 // "preset=linear-mnist&lr=0.01"
//
// URL parameters (all optional; unknown keys are reported and ignored):
//   preset    a recipe key (assets/recipes/<key>.txt, e.g. linear-mnist, course-geron3d;
//             `aelab recipes` lists them); applied first, the other keys override it.
//             Old keys that were renamed still work, with a message (course-curved3d ->
//             curved-band3d).
//   dataset   gauss2d | curved3d | swissroll | mnist | fashion | geron3d (Géron's 60 points)
//   arch      hidden widths of the encoder, e.g. 128-32 ("" or "none" = no hidden layer);
//             the decoder mirrors them. Input size comes from the data set.
//   k         latent (code) size, 1..512 (and below the data dimension)
//   act       hidden activation: one name for all layers, or one per hidden layer
//             (encoder then decoder, comma separated)
//   code      code-layer activation (linear, tanh, sigmoid...)
//   out       output activation: linear | sigmoid
//   loss      mse | bce (bce needs out=sigmoid)
//   opt       sgd | adagrad | rmsprop | adam | adamw | lbfgs | mc
//   mcpop     the Monte Carlo search's population (opt=mc): candidates per step, 1..10000
//             (default 8; aelab/optim.hpp "Monte Carlo search")
//   mcdist, mctemp, mcanneal, mcbounds, mcgroups, mctol, mcarchive: its other settings
//             (web/app/query_mc.hpp lists them with their ranges)
//   lr        learning rate (0, 10]; numbers are decimal (see parse_decimal) and are
//             written back with the digits that reproduce them exactly (format_number)
//   batch     batch size 1..1024
//   tied      0 | 1     (decoder weights = encoder weights transposed)
//   noise     denoising input corruption KIND[:LEVEL]: none | gaussian:STDDEV |
//             masking:P | salt_pepper:P | dropout:P (LEVEL defaults to 0.2; a gaussian
//             stddev is in [0, 10], a probability P in [0, 1)). e.g. noise=gaussian:0.2
//   sparse    code sparsity penalty KIND[:WEIGHT[:TARGET]]: none | l1:WEIGHT |
//             kl:WEIGHT:TARGET (WEIGHT in [0, 1000], default 0.001; TARGET rate in (0, 1),
//             default 0.05, kl only and it needs code=sigmoid). e.g. sparse=kl:0.05:0.1
//   wd        L2 weight decay lambda in [0, 1) (penalty lambda/2 * sum W^2; default 0)
//   cae       contractive penalty lambda in [0, 100] (lambda * mean ||J_f(x)||_F^2 of the
//             encoder's Jacobian, Rifai et al. 2011; default 0 = off). e.g. cae=0.1
//   pretrain  layerwise | none (default none): greedy layer-wise pretraining of a dense mirrored
//             model with >= 1 hidden layer (aelab/stacked.hpp): phase p trains w_p-w_{p+1}-w_p
//             on the codes of the phases before it, pe epochs each, in the page's frame
//             budgets; the phases are then unrolled into the full model, which fine-tunes end
//             to end. A model that cannot be pretrained (no hidden layer, a layer graph) is
//             reported with the core's reason and trains end to end.
//   pe        epochs of each pretraining phase, 1..100 (default 1; with pretrain=layerwise)
//   model     ae | vae   (vae: a variational autoencoder; with no `net`, the dense VAE
//             mirrored around a Gaussian code of k dims with arch/act's hidden layers and a
//             sigmoid output, its recon summed per image: the ELBO in nats)
//   net       a layer graph in the architecture grammar of core/aelab/graph.hpp, e.g. the
//             course's conv AE r1x28x28,c16k3same-selu,p2,...; replaces arch/k/act/code/out
//             (its own layers say them); with model=vae it must contain a Gaussian code g<K>
//   beta      the VAE's KL weight (beta-VAE), in [0, 1000], default 1
//   (tied, noise, sparse, wd and cae belong to dense autoencoders; with model=vae or a net they
//   are reported and reset)
//   mu        the 2-D Gaussian's mean (dataset=gauss2d), two numbers: mu=-1,2 (the course's)
//   cov       its covariance c00,c01,c11 (Sigma = [[c00, c01], [c01, c11]]): cov=4,2,2 (the
//             course's); one that is not a covariance (aelab::validate(Gauss2D)) is reported
//             with validate()'s reason and the previous one is kept
//   npseed    numpy seed of its sample, 0..2^32-1 (default 0): the data are exactly the
//             course's np.random.seed(npseed); np.random.multivariate_normal(mu, cov, n)
//   epochs    training length for the CLI (`aelab train --recipe`), 1..100000; the page
//             trains continuously and ignores it (0 = not set: the CLI's default)
//   seed      0..2^53
//   speed     at most this many optimizer steps per frame, 1..100000
//   budget    training time per frame in ms, 1..40
//   autoplay  0 | 1
//   logy      0 | 1     (log-scale loss plot)
//   thumbs    0 | 1     (image sets: thumbnails of the test inputs in the latent scatter)
//   proj      dims | pca | tsne | kpca  (the latent scatter's view of the codes: two code dims, the
//             codes' own PCA, or a live t-SNE of the test codes; kpca: code dims beside a kernel
//             PCA of the 2-D / 3-D data (image sets: dims); web/app/scatter_proj.hpp)
//   gamma     kernel PCA's gamma for proj=kpca, 0.001..1000 (default 4: the course's 0.04 on the
//             page's swiss roll, whose coordinates are scaled by 0.1)
//   kernel    kernel PCA's kernel for proj=kpca: rbf (default) | poly | sigmoid | cosine | linear
//   dims      the two code dims shown with proj=dims, 1-based and different: dims=3,7 (dims
//             beyond the model's code size show dims 1-2)
//   hide      comma list of panels: controls, loss, scatter, recon, decoder, pca, data, gauss, conv
//   panel     show only this one panel (an embed of one plot): loss, scatter, recon, decoder,
//             pca, data, gauss, conv (one the data set or model does not have is ignored:
//             all are shown; conv: a net with conv layers)
//   layout    auto | grid | tabs   (auto: a grid when every panel gets its minimum size,
//             else one panel at a time behind tabs; web/app/layout.hpp)
#pragma once

#include "aelab/activations.hpp"
#include "aelab/autoencoder.hpp"
#include "aelab/gauss2d.hpp"
#include "aelab/model.hpp"
#include "aelab/optim.hpp"
#include "aelab/text.hpp"
#include "scatter_proj.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aelab::app {

// Geron3D (last, so the other values keep their numbers) is Géron's generate_3d_data(60)
// with numpy's seed 4, centred (aelab/course.hpp): fixed data, the seed does not change it.
// User is the data file the user gave the page (CSV or IDX, web/app/userdata.hpp): it is not
// a built-in set, so it is not in the URL (parse_dataset() refuses "user") nor counted in
// kNumDatasets (the built-in sets, the menu's first entries).
// BreastCancer and Wine are scikit-learn's tables (569 x 30, 2 classes; 178 x 13, 3 classes),
// fetched (page) or read from data/tabular (desktop) when chosen, split and standardized as
// `aelab classify --data breast-cancer|wine` does (web/app/tabdata.hpp).
enum class DatasetKind { Gauss2D, Curved3D, SwissRoll, MNIST, Fashion, Geron3D, BreastCancer, Wine, User };
constexpr int kNumDatasets = 8;      // built-in sets
constexpr int kNumDatasetKinds = 9;  // with User

const char* dataset_key(DatasetKind d);    // "gauss2d", ..., "geron3d", "breast-cancer", "wine"
const char* dataset_label(DatasetKind d);  // "2-D Gaussian", ...
bool parse_dataset(const std::string& key, DatasetKind* out);
bool is_image_dataset(DatasetKind d);
bool is_table_dataset(DatasetKind d);      // BreastCancer, Wine (fetched like the image sets)
int dataset_dim(DatasetKind d);            // 2, 3, 3, 784, 784, 3, 30, 13; User: set_user_data_dim()
// The dimension of the user's data set (the Controller sets it when it installs a file; 2
// before). Process-wide, like the data itself: the page has one user data set at a time.
void set_user_data_dim(int dim);

// Panels that can be hidden (bit flags).
enum Panel : unsigned {
    kPanelControls = 1u << 0,
    kPanelLoss = 1u << 1,
    kPanelScatter = 1u << 2,
    kPanelRecon = 1u << 3,
    kPanelDecoder = 1u << 4,  // manifold / interpolation / draw-a-digit
    kPanelPca = 1u << 5,      // linear AE vs PCA
    kPanelData = 1u << 6,     // 2-D / 3-D data + reconstructions + axes
    kPanelGauss = 1u << 7,    // the 2-D Gaussian explorer (dataset gauss2d)
    kPanelConv = 1u << 8,     // learned filters and feature maps (a model with conv layers)
    kPanelMc = 1u << 9,       // the Monte Carlo search's intervals and loss landscape (opt = mc)
    kPanelClassify = 1u << 10, // logistic regression on raw / PCA / AE features (labelled data)
};
const char* panel_key(Panel p);
// All panel bits with their keys, in display order.
const std::vector<Panel>& all_panels();

// ?layout= (web/app/layout.hpp computes the rectangles).
enum class LayoutMode { Auto, Grid, Tabs };

constexpr int kMaxHiddenLayers = 4;
constexpr int kMaxWidth = 1024;
// Codes up to 512: the course's PyTorch example has a 128-unit code and Géron's sparse
// autoencoders a 300-unit sigmoid coding layer.
constexpr int kMaxLatent = 512;
constexpr int kMaxEpochs = 100000;
constexpr int kMaxBatch = 1024;
constexpr int kMaxPretrainEpochs = 100;  // ?pe=

struct Settings {
    std::string preset;                    // preset key this state started from ("" = none)
    DatasetKind dataset = DatasetKind::MNIST;
    std::vector<int> hidden;               // encoder hidden widths (decoder mirrors them)
    int latent = 2;
    // One activation per hidden layer (encoder then decoder: 2 * hidden.size() entries).
    std::vector<Activation> acts;
    Activation code_act = Activation::Identity;
    Activation out_act = Activation::Identity;
    ReconLoss loss = ReconLoss::MSE;
    OptimizerKind opt = OptimizerKind::Adam;
    double lr = 1e-3;
    int mc_pop = 8;                        // ?mcpop=: Monte Carlo population (used when opt = mc)
    // The Monte Carlo search's other settings (opt = mc; aelab/optim.hpp "Monte Carlo search";
    // URL keys in query_mc.hpp): proposal distribution, initial temperature and its annealing,
    // the box [mc_lo, mc_hi] (none when both 0), one scale per layer group or one for "all",
    // the intervals' tolerance and the archive's size.
    McDist mc_dist = McDist::Normal;       // ?mcdist=
    double mc_temp = 0.0;                  // ?mctemp=
    double mc_anneal = 0.99;               // ?mcanneal=
    double mc_lo = 0.0, mc_hi = 0.0;       // ?mcbounds=LO,HI
    bool mc_groups = true;                 // ?mcgroups=layers|all
    double mc_tol = 0.05;                  // ?mctol=
    int mc_archive = 2000;                 // ?mcarchive=
    int batch = 100;
    bool tied = false;
    Noise noise = Noise::None;             // denoising input corruption
    double noise_level = 0;                // gaussian stddev or corruption probability (0 when none)
    Sparsity sparsity = Sparsity::None;    // code sparsity penalty
    double sparsity_weight = 0;            // 0 when none
    double sparsity_target = 0.05;         // KL target rate (0.05 unless kl)
    double weight_decay = 0;               // L2 lambda on weights
    double contractive = 0;                // ?cae=: contractive penalty lambda (0 = off)
    bool pretrain = false;                 // ?pretrain=layerwise (dense mirrored models, >= 1 hidden layer)
    int pretrain_epochs = 1;               // ?pe=: epochs of each pretraining phase
    bool vae = false;                      // ?model=vae
    std::string net;                       // ?net=: a layer graph (canonical string; "" = dense)
    double beta = 1.0;                     // ?beta=: the VAE's KL weight
    Gauss2D gauss;                         // the 2-D Gaussian data set's mean / covariance / numpy seed (URL mu, cov, npseed)
    int epochs = 0;                        // CLI training length (0 = the CLI's default)
    std::uint64_t seed = 1;
    int speed = 100000;                    // max optimizer steps per frame
    double budget_ms = 8.0;                // training time per frame
    bool autoplay = true;
    bool logy = true;
    bool thumbs = false;                   // scatter thumbnails (page only)
    Projection proj = Projection::Dims;    // ?proj=: the latent scatter's projection (page only)
    int dim_i = 0, dim_j = 1;              // ?dims=: 0-based code dims for proj=dims
    double kpca_gamma = kKpcaGammaDefault; // ?gamma=: kernel PCA's gamma (proj=kpca)
    Kernel kpca_kernel = Kernel::Rbf;      // ?kernel=: kernel PCA's kernel (proj=kpca)
    unsigned hide = 0;                     // Panel bits
    unsigned panel = 0;                    // ?panel=: the one Panel shown (0 = all)
    LayoutMode layout = LayoutMode::Auto;  // ?layout=

    // Sets every hidden activation to a.
    void set_all_acts(Activation a);
    // Resizes `acts` to 2 * hidden.size() (new entries copy the first one, or relu).
    void fit_acts();
    bool all_acts_equal() const;
    // True when any dense-only variant is on (tied weights, input noise, sparsity, weight
    // decay, the contractive penalty); clear_dense_variants() turns them all off (a layer
    // graph or a VAE has none of them).
    bool has_dense_variants() const;
    void clear_dense_variants();
    // The model configuration for data of dimension input_dim. Settings produced by
    // parse_query / sanitize() always give a valid configuration.
    AEConfig model_config(int input_dim) const;
    // True when the settings build a layer graph (a VAE or a `net`), not the dense AE.
    bool is_graph() const { return vae || !net.empty(); }
    // The graph's architecture for input_dim values (net, or the mirrored dense VAE) and its
    // objective (recon summed per image for a VAE, mean per entry otherwise; beta).
    std::string graph_arch(int input_dim) const;
    GraphObjective graph_objective() const;
    // The model these settings describe: a DenseModel of model_config() or a GraphModel.
    // Settings produced by parse_query / sanitize() always give a valid model.
    std::unique_ptr<Model> make_model(int input_dim) const;
    OptimizerConfig optimizer_config() const;
    // True when a and b build models of different shape/kind (weights must be rebuilt).
    static bool shape_differs(const Settings& a, const Settings& b);
    // True when a and b differ in the loss-only options (input noise, sparsity, weight
    // decay, contractive penalty): the model keeps its weights (Session::update_objective).
    static bool objective_differs(const Settings& a, const Settings& b);
    // Copies those loss-only options from `from` (the fields objective_differs compares).
    void copy_objective(const Settings& from);
    bool operator==(const Settings& o) const;
    bool operator!=(const Settings& o) const { return !(*this == o); }
};

// Exact equality of two Gaussians' parameters (the data set is regenerated when they differ).
bool same_gauss(const Gauss2D& a, const Gauss2D& b);

// Repairs inconsistent settings (bce without sigmoid output, latent >= input dim, kl
// sparsity without a sigmoid code, a Gaussian whose covariance is not one...) and appends one message per repair. Unused levels are
// normalised without a message (noise none -> level 0; sparsity none -> weight 0, target
// 0.05; l1 -> target 0.05) so that equal models compare equal.
void sanitize(Settings& s, std::vector<std::string>* messages);

struct QueryResult {
    Settings settings;
    std::vector<std::string> messages;  // one per ignored / repaired parameter
};

// Accepts "?a=b&c=d", "a=b&c=d" or "" (percent-encoding and '+' decoded). Never throws.
QueryResult parse_query(const std::string& query);
// The keys of `query` applied on top of `base` (no preset lookup: "preset=" is reported as
// a message), then sanitize(). This is how a recipe's settings are read (presets.cpp).
QueryResult apply_query(const std::string& query, const Settings& base);
// The shortest query (without '?') that parse_query turns back into s.
std::string to_query(const Settings& s);

// URL numbers are decimal only and are written back exactly: core's one number grammar
// (aelab/text.hpp), shared with the CLI's options.
using aelab::format_number;
using aelab::parse_decimal;

std::string url_decode(const std::string& s);
std::string url_encode(const std::string& s);
std::string format_widths(const std::vector<int>& w);  // {128, 32} -> "128-32", {} -> "none"

}  // namespace aelab::app
