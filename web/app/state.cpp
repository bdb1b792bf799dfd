// state.cpp: see state.hpp (the URL form of the settings is in query.cpp).
#include "state.hpp"

#include "aelab/stacked.hpp"

#include "aelab/names.hpp"

#include <cmath>
#include <string>

namespace aelab::app {

// ---- data sets and panels --------------------------------------------------------------

namespace {
// One row per data set, in enum order (the built-in ones first): URL key and menu label.
constexpr NamedKind<DatasetKind> kDatasets[kNumDatasetKinds] = {
    {DatasetKind::Gauss2D, "gauss2d", "2-D Gaussian"},
    {DatasetKind::Curved3D, "curved3d", "3-D curved band"},
    {DatasetKind::SwissRoll, "swissroll", "Swiss roll (3-D)"},
    {DatasetKind::MNIST, "mnist", "MNIST digits"},
    {DatasetKind::Fashion, "fashion", "Fashion-MNIST"},
    {DatasetKind::Geron3D, "geron3d", "Géron's 3-D data (60 points)"},
    {DatasetKind::BreastCancer, "breast-cancer", "Breast cancer (569 x 30 table)"},
    {DatasetKind::Wine, "wine", "Wine (178 x 13 table)"},
    {DatasetKind::User, "user", "Your data"},
};
}  // namespace

const char* dataset_key(DatasetKind d) { return name_of(kDatasets, d); }
const char* dataset_label(DatasetKind d) { return label_of(kDatasets, d); }
// The built-in sets only: "user" is not a URL value.
bool parse_dataset(const std::string& key, DatasetKind* out) { return kind_of(kDatasets, key, out, kNumDatasets); }

bool is_image_dataset(DatasetKind d) { return d == DatasetKind::MNIST || d == DatasetKind::Fashion; }
bool is_table_dataset(DatasetKind d) { return d == DatasetKind::BreastCancer || d == DatasetKind::Wine; }

namespace {
int g_user_dim = 2;
}

void set_user_data_dim(int dim) { g_user_dim = dim; }

int dataset_dim(DatasetKind d) {
    switch (d) {
        case DatasetKind::User: return g_user_dim;
        case DatasetKind::Gauss2D: return 2;
        case DatasetKind::Curved3D:
        case DatasetKind::SwissRoll:
        case DatasetKind::Geron3D: return 3;
        case DatasetKind::BreastCancer: return 30;
        case DatasetKind::Wine: return 13;
        default: return 784;
    }
}

const char* panel_key(Panel p) {
    switch (p) {
        case kPanelControls: return "controls";
        case kPanelLoss: return "loss";
        case kPanelScatter: return "scatter";
        case kPanelRecon: return "recon";
        case kPanelDecoder: return "decoder";
        case kPanelPca: return "pca";
        case kPanelData: return "data";
        case kPanelGauss: return "gauss";
        case kPanelConv: return "conv";
        case kPanelMc: return "mc";
        case kPanelClassify: return "classify";
    }
    return "?";
}

const std::vector<Panel>& all_panels() {
    static const std::vector<Panel> v = {kPanelControls, kPanelLoss, kPanelScatter, kPanelRecon,
                                         kPanelDecoder,  kPanelPca,  kPanelData, kPanelGauss, kPanelConv, kPanelMc,
                                         kPanelClassify};
    return v;
}

// ---- Settings ----------------------------------------------------------------------------

void Settings::set_all_acts(Activation a) { acts.assign(2 * hidden.size(), a); }

bool Settings::has_dense_variants() const {
    return tied || noise != Noise::None || sparsity != Sparsity::None || weight_decay != 0 || contractive != 0;
}

void Settings::clear_dense_variants() {
    tied = false;
    noise = Noise::None;
    noise_level = 0;
    sparsity = Sparsity::None;
    sparsity_weight = 0;
    sparsity_target = 0.05;
    weight_decay = 0;
    contractive = 0;
}

void Settings::fit_acts() {
    const Activation fill = acts.empty() ? Activation::ReLU : acts.front();
    acts.resize(2 * hidden.size(), fill);
}

bool Settings::all_acts_equal() const {
    for (auto a : acts)
        if (a != acts.front()) return false;
    return true;
}

AEConfig Settings::model_config(int input_dim) const {
    AEConfig c;
    c.input_dim = input_dim;
    c.encoder = hidden;
    c.latent = latent;
    c.mirror_decoder = true;
    c.hidden_act = acts.empty() ? Activation::ReLU : acts.front();
    if (acts.size() == 2 * hidden.size() && !hidden.empty()) c.hidden_acts = acts;
    c.latent_act = code_act;
    c.output_act = out_act;
    c.loss = loss;
    c.tied = tied;
    c.noise = noise;
    c.noise_level = noise_level;
    c.sparsity = sparsity;
    c.sparsity_weight = sparsity_weight;
    c.sparsity_target = sparsity_target;
    c.weight_decay = weight_decay;
    c.contractive = contractive;
    return c;
}

std::string Settings::graph_arch(int input_dim) const {
    if (!net.empty()) return net;
    return mirrored_vae_arch(hidden, latent, acts.empty() ? Activation::ReLU : acts.front(), input_dim);
}

GraphObjective Settings::graph_objective() const {
    GraphObjective o;
    o.loss = loss;
    o.sum_per_sample = vae;
    o.beta = beta;
    return o;
}

std::unique_ptr<Model> Settings::make_model(int input_dim) const {
    if (!is_graph()) return make_dense_model(model_config(input_dim));
    return make_graph_model(Shape{input_dim, 1, 1}, parse_arch(graph_arch(input_dim)), graph_objective());
}

OptimizerConfig Settings::optimizer_config() const {
    OptimizerConfig c = OptimizerConfig::defaults_for(opt);
    c.lr = lr;
    c.mc_pop = mc_pop;
    c.mc_dist = mc_dist;
    c.mc_temp = mc_temp;
    c.mc_anneal = mc_anneal;
    c.mc_lo = mc_lo;
    c.mc_hi = mc_hi;
    c.mc_groups = mc_groups;
    c.mc_tol = mc_tol;
    c.mc_archive = mc_archive;
    c.seed = seed;
    return c;
}

bool Settings::shape_differs(const Settings& a, const Settings& b) {
    return a.dataset != b.dataset || a.hidden != b.hidden || a.latent != b.latent || a.acts != b.acts ||
           a.code_act != b.code_act || a.out_act != b.out_act || a.loss != b.loss || a.tied != b.tied ||
           a.seed != b.seed || a.vae != b.vae || a.net != b.net || a.pretrain != b.pretrain ||
           a.pretrain_epochs != b.pretrain_epochs;
}

bool Settings::objective_differs(const Settings& a, const Settings& b) {
    return a.noise != b.noise || a.noise_level != b.noise_level || a.sparsity != b.sparsity ||
           a.sparsity_weight != b.sparsity_weight || a.sparsity_target != b.sparsity_target ||
           a.weight_decay != b.weight_decay || a.contractive != b.contractive || a.beta != b.beta;
}

void Settings::copy_objective(const Settings& from) {
    noise = from.noise;
    noise_level = from.noise_level;
    sparsity = from.sparsity;
    sparsity_weight = from.sparsity_weight;
    sparsity_target = from.sparsity_target;
    weight_decay = from.weight_decay;
    contractive = from.contractive;
    beta = from.beta;
}

bool Settings::operator==(const Settings& o) const {
    return preset == o.preset && !shape_differs(*this, o) && !objective_differs(*this, o) && opt == o.opt &&
           lr == o.lr && batch == o.batch && epochs == o.epochs && speed == o.speed && budget_ms == o.budget_ms &&
           autoplay == o.autoplay && logy == o.logy && thumbs == o.thumbs && proj == o.proj &&
           kpca_gamma == o.kpca_gamma && kpca_kernel == o.kpca_kernel && dim_i == o.dim_i && dim_j == o.dim_j && hide == o.hide &&
           panel == o.panel && layout == o.layout && same_gauss(gauss, o.gauss) && mc_pop == o.mc_pop &&
           mc_dist == o.mc_dist && mc_temp == o.mc_temp && mc_anneal == o.mc_anneal && mc_lo == o.mc_lo &&
           mc_hi == o.mc_hi && mc_groups == o.mc_groups && mc_tol == o.mc_tol && mc_archive == o.mc_archive;
}

bool same_gauss(const Gauss2D& a, const Gauss2D& b) {
    return a.mean[0] == b.mean[0] && a.mean[1] == b.mean[1] && a.c00 == b.c00 && a.c01 == b.c01 && a.c11 == b.c11 &&
           a.seed == b.seed;
}

namespace {

// The layer-graph settings (model=vae, net, beta): a net that does not parse or does not
// fit the data is dropped, a VAE net needs a Gaussian code, BCE needs a sigmoid output,
// and the dense-only options are reset.
template <class Say> void sanitize_graph(Settings& s, int dim, const Say& say) {
    if (!(std::isfinite(s.beta) && s.beta >= 0 && s.beta <= 1000)) {
        say("beta (the VAE's KL weight) must be in [0, 1000]; using 1");
        s.beta = 1;
    }
    if (!s.net.empty()) {
        try {
            const ArchSpec spec = parse_arch(s.net);
            const GraphSizes gs = graph_sizes(Shape{dim, 1, 1}, spec);
            if (gs.output.size() != dim)
                throw Error("it outputs " + std::to_string(gs.output.size()) + " values, not the data's " +
                            std::to_string(dim) + " (an autoencoder reconstructs its input)");
            s.net = spec.str();
            bool gauss = false;
            for (const auto& L : spec.layers) gauss = gauss || L.kind == LayerKind::GaussianCode;
            if (gauss != s.vae) {
                say(gauss ? "the net has a Gaussian code: model set to vae"
                          : "model=vae needs a Gaussian code g<K> in the net: model set to ae");
                s.vae = gauss;
            }
            size_t out = spec.layers.size() - 1;
            while (out > 0 && spec.layers[out].kind == LayerKind::Reshape) --out;
            s.out_act = spec.layers[out].act == Activation::Sigmoid ? Activation::Sigmoid : Activation::Identity;
            if (s.loss == ReconLoss::BCE && spec.layers[out].act != Activation::Sigmoid) {
                say("loss bce needs the net to end in a sigmoid layer; using mse");
                s.loss = ReconLoss::MSE;
            }
        } catch (const Error& e) {
            say(std::string("net: ") + e.what() + " (for " + std::to_string(dim) + " inputs); using the dense model");
            s.net.clear();
            s.vae = false;
        }
    } else if (s.vae) {
        if (!is_image_dataset(s.dataset)) {
            say(std::string("the VAE's decoder is Bernoulli (a sigmoid output for values in [0, 1]): ") +
                dataset_label(s.dataset) + " is not an image set; model set to ae");
            s.vae = false;
        } else {
            s.out_act = Activation::Sigmoid;  // the mirrored VAE's decoder ends in a sigmoid
        }
    }
    if (s.is_graph()) {
        if (s.has_dense_variants())
            say("tied weights, input noise, sparsity, weight decay and the contractive penalty belong to dense "
                "autoencoders; reset for this layer graph");
        s.clear_dense_variants();
    }
}

}  // namespace

void sanitize(Settings& s, std::vector<std::string>* messages) {
    auto say = [&](const std::string& m) {
        if (messages) messages->push_back(m);
    };
    sanitize_graph(s, dataset_dim(s.dataset), say);
    if (const std::string why = validate(s.gauss); !why.empty()) {
        say("2-D Gaussian: " + why + "; using the course's mean (-1, 2) and covariance [[4, 2], [2, 2]]");
        s.gauss = Gauss2D{};
    }
    if (s.hidden.size() > static_cast<size_t>(kMaxHiddenLayers)) {
        s.hidden.resize(kMaxHiddenLayers);
        say("at most " + std::to_string(kMaxHiddenLayers) + " hidden layers; extra ones dropped");
    }
    for (int& w : s.hidden)
        if (w < 1 || w > kMaxWidth) {
            say("hidden width " + std::to_string(w) + " out of range 1.." + std::to_string(kMaxWidth) + "; using 32");
            w = 32;
        }
    if (s.acts.size() != 2 * s.hidden.size()) s.fit_acts();
    const int dim = dataset_dim(s.dataset);
    if (s.latent < 1 || s.latent > kMaxLatent) {
        say("latent size " + std::to_string(s.latent) + " out of range 1.." + std::to_string(kMaxLatent) + "; using 2");
        s.latent = 2;
    }
    if (s.latent >= dim) {
        const int k = dim - 1;
        say("latent size " + std::to_string(s.latent) + " must be below the data dimension " + std::to_string(dim) +
            " of " + dataset_label(s.dataset) + "; using " + std::to_string(k));
        s.latent = k;
    }
    if (s.out_act != Activation::Identity && s.out_act != Activation::Sigmoid) {
        say(std::string("output activation must be linear or sigmoid, not ") + activation_name(s.out_act) +
            "; using linear");
        s.out_act = Activation::Identity;
    }
    if (s.loss == ReconLoss::BCE && s.out_act != Activation::Sigmoid) {
        say("loss bce needs a sigmoid output; output set to sigmoid");
        s.out_act = Activation::Sigmoid;
    }
    if (s.loss == ReconLoss::BCE && !is_image_dataset(s.dataset)) {
        say("loss bce needs data in [0, 1] (an image data set); using mse");
        s.loss = ReconLoss::MSE;
    }
    if (s.noise == Noise::None) {
        s.noise_level = 0;
    } else if (s.noise == Noise::Gaussian ? !(s.noise_level >= 0 && s.noise_level <= 10)
                                          : !(s.noise_level >= 0 && s.noise_level < 1)) {
        say(std::string(noise_name(s.noise)) + " noise level must be in " +
            (s.noise == Noise::Gaussian ? "[0, 10]" : "[0, 1)") + "; using 0.2");
        s.noise_level = 0.2;
    }
    if (s.sparsity == Sparsity::None) {
        s.sparsity_weight = 0;
        s.sparsity_target = 0.05;
    } else {
        if (!(s.sparsity_weight >= 0 && s.sparsity_weight <= 1000)) {
            say("sparsity weight must be in [0, 1000]; using 0.001");
            s.sparsity_weight = 1e-3;
        }
        if (s.sparsity == Sparsity::L1) s.sparsity_target = 0.05;
        if (!(s.sparsity_target > 0 && s.sparsity_target < 1)) {
            say("sparsity target rate must be in (0, 1); using 0.05");
            s.sparsity_target = 0.05;
        }
        if (s.sparsity == Sparsity::KL && s.code_act != Activation::Sigmoid) {
            say("kl sparsity needs a sigmoid code (its mean activations are rates); code set to sigmoid");
            s.code_act = Activation::Sigmoid;
        }
    }
    if (!(std::isfinite(s.weight_decay) && s.weight_decay >= 0 && s.weight_decay < 1)) {
        say("weight decay must be in [0, 1); using 0");
        s.weight_decay = 0;
    }
    if (!(std::isfinite(s.contractive) && s.contractive >= 0 && s.contractive <= 100)) {
        say("contractive penalty lambda must be in [0, 100]; using 0");
        s.contractive = 0;
    }
    if (s.epochs < 0 || s.epochs > kMaxEpochs) {
        say("epochs must be in 1.." + std::to_string(kMaxEpochs) + "; using the CLI's default");
        s.epochs = 0;
    }
    if (s.pretrain_epochs < 1 || s.pretrain_epochs > kMaxPretrainEpochs) {
        say("pretraining epochs per phase must be in 1.." + std::to_string(kMaxPretrainEpochs) + "; using 1");
        s.pretrain_epochs = 1;
    }
    if (s.pretrain && s.is_graph()) {
        say("pretrain=layerwise stacks dense layers; a layer graph (model=vae, net) has none: training end to end");
        s.pretrain = false;
    }
    if (s.pretrain) {
        try {
            layerwise_num_phases(s.model_config(dim));  // the core's reason when it cannot be pretrained
        } catch (const Error& e) {
            say(std::string("pretrain=layerwise: ") + e.what());
            s.pretrain = false;
        }
    }
    if (!s.pretrain) s.pretrain_epochs = 1;  // unused: normalised so that equal models compare equal
    if (!(std::isfinite(s.lr) && s.lr > 0 && s.lr <= 10)) {
        say("learning rate must be in (0, 10]; using 0.001");
        s.lr = 1e-3;
    }
    if (s.batch < 1 || s.batch > kMaxBatch) {
        say("batch size must be in 1.." + std::to_string(kMaxBatch) + "; using 100");
        s.batch = 100;
    }
    if (s.speed < 1 || s.speed > 100000) {
        say("speed must be in 1..100000; using 100000");
        s.speed = 100000;
    }
    if (!(std::isfinite(s.budget_ms) && s.budget_ms >= 1 && s.budget_ms <= 40)) {
        say("budget must be in 1..40 ms; using 8");
        s.budget_ms = 8;
    }
}

}  // namespace aelab::app
