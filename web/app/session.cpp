// session.cpp: see session.hpp.
#include "session.hpp"

#include "aelab/course.hpp"
#include "aelab/idx.hpp"
#include "aelab/subspace.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aelab::app {

DataBundle make_synthetic(DatasetKind kind, std::uint64_t seed, const Gauss2D& gauss) {
    DataBundle b;
    b.kind = kind;
    b.source = "generated in the page";
    Dataset all;
    Index n_train = 2000, n_test = 1000;
    switch (kind) {
        case DatasetKind::Gauss2D:  // the course's n = 10,000 (PCA is fitted on them), and a test set
            n_train = 10000;
            n_test = 1000;
            all = sample_gauss2d(gauss, n_train + n_test);  // numpy seed gauss.seed
            b.gauss = gauss;
            break;
        case DatasetKind::Geron3D: {  // Géron's fixed 60 points: the course trains and plots on them all
            b.source = "Géron's generate_3d_data(60), numpy seed 4, centred";
            b.train = geron_3d();
            b.test = b.train;
            b.train.name = "geron3d-train";
            b.test.name = "geron3d-test";
            return b;
        }
        case DatasetKind::Curved3D: all = curved_3d(n_train + n_test, seed, 0.05); break;
        case DatasetKind::SwissRoll:
            all = swiss_roll(n_train + n_test, 0.2, seed);
            all.X *= 0.1f;  // keeps the coordinates around [-1, 2]
            break;
        default: throw Error(std::string(dataset_label(kind)) + " is not a generated data set");
    }
    std::vector<Index> tr(n_train), te(n_test);
    for (Index i = 0; i < n_train; ++i) tr[i] = i;
    for (Index i = 0; i < n_test; ++i) te[i] = n_train + i;
    b.train = subset(all, tr);
    b.test = subset(all, te);
    b.train.name = std::string(dataset_key(kind)) + "-train";
    b.test.name = std::string(dataset_key(kind)) + "-test";
    if (kind == DatasetKind::Gauss2D) b.gauss_stats = gauss2d_stats(b.train.X);
    return b;
}

DataBundle make_image_bundle(DatasetKind kind, const std::vector<std::uint8_t>& train_images,
                             const std::vector<std::uint8_t>& train_labels,
                             const std::vector<std::uint8_t>& test_images,
                             const std::vector<std::uint8_t>& test_labels, Index max_train, Index max_test) {
    DataBundle b;
    b.kind = kind;
    b.train = make_image_dataset(train_images.data(), train_images.size(), train_labels.data(),
                                 train_labels.size(), std::string(dataset_key(kind)) + "-train");
    b.test = make_image_dataset(test_images.data(), test_images.size(), test_labels.data(), test_labels.size(),
                                std::string(dataset_key(kind)) + "-test");
    AELAB_REQUIRE(b.train.dim() == 784 && b.test.dim() == 784,
                  "expected 28x28 images, got " + std::to_string(b.train.image_rows) + "x" +
                      std::to_string(b.train.image_cols));
    AELAB_REQUIRE(b.train.size() >= 10 && b.test.size() >= 10, "image data set too small (need >= 10 images)");
    if (b.train.size() > max_train) b.train = subset_first(b.train, max_train);
    if (b.test.size() > max_test) b.test = subset_first(b.test, max_test);
    return b;
}

// ---- model files ------------------------------------------------------------------------------

bool dataset_for_model(const std::map<std::string, std::string>& meta, int input_dim, DatasetKind current,
                       DatasetKind* out) {
    DatasetKind named;
    auto it = meta.find("dataset");
    if (it != meta.end() && parse_dataset(it->second, &named) && dataset_dim(named) == input_dim) {
        *out = named;
        return true;
    }
    if (dataset_dim(current) == input_dim) {
        *out = current;
        return true;
    }
    for (DatasetKind k : {DatasetKind::MNIST, DatasetKind::Gauss2D, DatasetKind::Curved3D})
        if (dataset_dim(k) == input_dim) {
            *out = k;
            return true;
        }
    return false;
}

ModelSettings settings_for_model(const Settings& current, DatasetKind dataset, const AEConfig& model,
                                 const OptimizerConfig* optimizer) {
    ModelSettings r;
    Settings& s = r.settings;
    auto say = [&](const std::string& m) { r.messages.push_back(m); };
    s = current;
    s.preset.clear();
    s.dataset = dataset;

    // Per-layer activations as the model has them: encoder layers, then decoder layers.
    const std::vector<int>& enc = model.encoder;
    const std::vector<int> dec = model.decoder_widths();
    std::vector<Activation> acts = model.hidden_acts;
    if (acts.size() != enc.size() + dec.size()) acts.assign(enc.size() + dec.size(), model.hidden_act);
    const std::vector<int> mirrored(enc.rbegin(), enc.rend());
    if (dec != mirrored) {
        say("its decoder (" + format_widths(dec) + ") does not mirror its encoder (" + format_widths(enc) +
            "): the loaded weights are used as they are, the controls show a mirrored decoder");
        acts.resize(enc.size());
        const std::vector<Activation> enc_acts = acts;  // (inserting a vector's own range is UB)
        acts.insert(acts.end(), enc_acts.rbegin(), enc_acts.rend());
    }
    std::vector<int> hidden = enc;
    if (hidden.size() > static_cast<std::size_t>(kMaxHiddenLayers)) {
        say("it has " + std::to_string(hidden.size()) + " hidden layers, the controls at most " +
            std::to_string(kMaxHiddenLayers) + ": they show the first " + std::to_string(kMaxHiddenLayers));
        const std::size_t drop = hidden.size() - kMaxHiddenLayers;
        hidden.resize(kMaxHiddenLayers);
        // Keep the outermost encoder and decoder layers' activations (the first and last ones).
        acts.erase(acts.begin() + static_cast<std::ptrdiff_t>(kMaxHiddenLayers),
                   acts.begin() + static_cast<std::ptrdiff_t>(kMaxHiddenLayers + 2 * drop));
    }
    for (int& w : hidden)
        if (w > kMaxWidth) {
            say("hidden width " + std::to_string(w) + " is above the controls' limit " + std::to_string(kMaxWidth) +
                ": they show " + std::to_string(kMaxWidth));
            w = kMaxWidth;
        }
    s.hidden = hidden;
    s.acts = acts;
    s.latent = model.latent;
    if (s.latent > kMaxLatent) {
        say("code size " + std::to_string(s.latent) + " is above the controls' limit " + std::to_string(kMaxLatent) +
            ": they show " + std::to_string(kMaxLatent));
        s.latent = kMaxLatent;
    }
    s.code_act = model.latent_act;
    s.out_act = model.output_act;
    s.loss = model.loss;
    s.tied = model.tied;
    // Weight decay, sparsity and input noise are settings of the page too (sanitize() below
    // reports a value outside the page's ranges).
    s.weight_decay = model.weight_decay;
    s.sparsity = model.sparsity;
    s.sparsity_weight = model.sparsity_weight;
    s.sparsity_target = model.sparsity_target;
    s.noise = model.noise;
    s.noise_level = model.noise_level;
    s.contractive = model.contractive;
    s.pretrain = false;  // a model from a file is past any pretraining
    s.pretrain_epochs = 1;
    if (optimizer) {
        s.opt = optimizer->kind;
        s.lr = optimizer->lr;
        if (!(s.lr <= 10.0)) {
            say("its learning rate " + format_number(s.lr) + " is above the page's limit 10: using 10");
            s.lr = 10.0;
        }
    }
    sanitize(s, &r.messages);
    return r;
}

int file_input_dim(const ModelFile& f) {
    return f.kind == ModelKind::Graph ? static_cast<int>(f.graph_input.size()) : f.model.input_dim;
}

std::string file_arch_string(const ModelFile& f) {
    return f.kind == ModelKind::Graph ? f.graph_arch : f.model.arch_string();
}

ModelSettings settings_for_file(const Settings& current, DatasetKind dataset, const ModelFile& f) {
    const OptimizerConfig* opt = f.has_optimizer ? &f.optimizer : nullptr;
    if (f.kind != ModelKind::Graph) return settings_for_model(current, dataset, f.model, opt);
    ModelSettings r;
    Settings& s = r.settings;
    s = current;
    s.preset.clear();
    s.dataset = dataset;
    s.net = f.graph_arch;
    s.vae = false;
    s.pretrain = false;  // a layer graph has no dense layers to pretrain
    s.pretrain_epochs = 1;
    for (const LayerSpec& L : parse_arch(f.graph_arch).layers) s.vae = s.vae || L.kind == LayerKind::GaussianCode;
    s.loss = f.graph_objective.loss;
    s.beta = f.graph_objective.beta;
    if (f.graph_objective.sum_per_sample != s.vae)
        r.messages.push_back(std::string("its reconstruction loss is ") +
                             (f.graph_objective.sum_per_sample ? "summed per image" : "a mean per entry") +
                             ": the page trains it (and rebuilds of this net) with " + (s.vae ? "the sum" : "the mean"));
    if (opt) {
        s.opt = opt->kind;
        s.lr = opt->lr;
        if (!(s.lr <= 10.0)) {
            r.messages.push_back("its learning rate " + format_number(s.lr) + " is above the page's limit 10: using 10");
            s.lr = 10.0;
        }
    }
    sanitize(s, &r.messages);
    return r;
}

// ---- data + PCA -------------------------------------------------------------------------------

void Session::set_data(DataBundle data) {
    pre_.reset();  // it refers to the old data
    model_.reset();
    trainer_.reset();
    data_ = std::move(data);
    has_data_ = true;
    const Index d = data_.train.dim();
    PcaOptions o;
    if (d <= 64) {
        o.n_components = NComponents::all();
        o.solver = PcaSolver::Covariance;
    } else {
        // Randomized range finder: the top 40 axes of 784-D data in a fraction of the time of
        // a full eigendecomposition (which would freeze the page for a second in WASM).
        o.n_components = static_cast<int>(std::min<Index>(40, d - 1));
        o.solver = PcaSolver::Randomized;
        o.n_iter = 4;
        o.seed = 0;
    }
    pca_ = PCA(o);
    pca_.fit(data_.train.X);
    // Large sets (images, or a big user file) evaluate on 500 test samples every 100 steps.
    const bool big = is_image_dataset(data_.kind) || data_.test.X.size() > 100000;
    eval_cols_ = big ? std::min<Index>(500, data_.test.size()) : data_.test.size();
    base_eval_every_ = big ? 100 : 10;
    k_ = 0;
    angles_.clear();
    knn_labelled_.clear();
    knn_labels_.clear();
    if (is_image_dataset(data_.kind) && data_.train.y.size() == static_cast<size_t>(data_.train.size())) {
        knn_labelled_ = select_per_class(data_.train.y, kKnnPerClass, 0);
        for (Index i : knn_labelled_) knn_labels_.push_back(data_.train.y[static_cast<size_t>(i)]);
    }
    reset_knn();
}

void Session::fit_pca_k() {
    const int k = std::min<int>(k_, static_cast<int>(pca_.n_components_));
    pca_k_ = pca_.components_.leftCols(k);
    pca_k_f_ = pca_k_.cast<float>();
    pca_mean_f_ = pca_.mean_.cast<float>();
    pca_test_codes_ = pca_encode(data_.test.X);
    const auto E = data_.test.X.leftCols(eval_cols_);
    const Mat R = pca_decode(pca_encode(E));
    pca_test_mse_ = (R - E).cast<double>().squaredNorm() / double(E.size());
    knn_pca_codes_.resize(0, 0);
    if (!knn_labelled_.empty()) {
        Mat L(data_.train.dim(), static_cast<Index>(knn_labelled_.size()));
        for (size_t j = 0; j < knn_labelled_.size(); ++j) L.col(static_cast<Index>(j)) = data_.train.X.col(knn_labelled_[j]);
        knn_pca_codes_ = pca_encode(L);
    }
    reset_knn();
}

Mat Session::pca_components() const { return pca_k_f_; }

Mat Session::pca_encode(const Eigen::Ref<const Mat>& X) const {
    Mat C = X.colwise() - pca_mean_f_;
    Mat Z(pca_k_f_.cols(), X.cols());
    Z.noalias() = pca_k_f_.transpose() * C;
    return Z;
}

Mat Session::pca_decode(const Eigen::Ref<const Mat>& Z) const {
    Mat X(pca_k_f_.rows(), Z.cols());
    X.noalias() = pca_k_f_ * Z;
    X.colwise() += pca_mean_f_;
    return X;
}

// ---- model --------------------------------------------------------------------------------------

TrainConfig Session::train_config(const Settings& s) const {
    TrainConfig tc;
    tc.batch_size = std::min<int>(s.batch, static_cast<int>(data_.train.size()));
    tc.seed = s.seed;
    tc.eval_every = base_eval_every_;
    tc.eval_max = train_eval_cols_;
    if (model_->separable()) tc.max_part = kGraphPart;
    return tc;
}

void Session::make_trainer(const Settings& s) {
    // A conv model's forward pass costs ~100x a dense one's per image: its test curve uses
    // fewer test images, so that an evaluation does not freeze the page's frame.
    train_eval_cols_ = has_conv() ? std::min<Index>(kConvEvalColumns, eval_cols_) : eval_cols_;
    const TrainConfig tc = train_config(s);
    last_settings_ = s;
    trainer_ = std::make_unique<Trainer>(*model_, s.optimizer_config(), data_.train.X, &data_.test.X, tc);
    trainer_->record();  // the loss before training
    history_seen_ = 0;
    angles_.clear();
    record_angles();
    test_codes_.setZero(k_, data_.test.size());
    code_cursor_ = 0;
    refresh_codes(data_.test.size());
}

void Session::build(const Settings& s) {
    AELAB_REQUIRE(has_data_, "no data set loaded");
    // A model that cannot be pretrained layer-wise is refused with the core's reason before
    // anything changes (the current model stays).
    if (s.pretrain && s.is_graph()) throw Error("layer-wise pretraining stacks dense layers; a layer graph has none");
    if (s.pretrain) layerwise_num_phases(s.model_config(dim()));
    std::unique_ptr<Model> m = s.make_model(dim());
    m->init_params(s.seed);
    pre_.reset();
    trainer_.reset();
    model_ = std::move(m);
    k_ = static_cast<int>(model_->code_dim());
    step_offset_ = 0;
    epoch_offset_ = 0;
    fit_pca_k();
    make_trainer(s);
    if (s.pretrain) {
        // About 10 loss points per phase: the test loss every max(1, min(base interval, steps
        // per phase / 10)) steps (a page phase of 1 epoch has 50 steps).
        TrainConfig ptc = train_config(s);
        const long per_phase = static_cast<long>(data_.train.size() / ptc.batch_size) * s.pretrain_epochs;
        ptc.eval_every = static_cast<int>(std::max<long>(1, std::min<long>(ptc.eval_every, per_phase / 10)));
        pre_ = std::make_unique<LayerwisePretrainer>(model_->dense()->config(), s.optimizer_config(), data_.train.X,
                                                     &data_.test.X, ptc, s.pretrain_epochs);
        pre_->unroll_into(*model_->dense());  // the phases' initial weights (the codes follow per frame)
    }
}

void Session::install(const ModelFile& f, const Settings& s) {
    AELAB_REQUIRE(has_data_, "no data set loaded");
    AELAB_REQUIRE(file_input_dim(f) == dim(), "the model expects " + std::to_string(file_input_dim(f)) +
                                                  "-dimensional inputs but " + dataset_label(data_.kind) +
                                                  " has " + std::to_string(dim()));
    AELAB_REQUIRE(f.kind != ModelKind::Graph || f.graph_input == (Shape{dim(), 1, 1}),
                  "the page takes layer graphs over flat inputs (graph.input " + std::to_string(dim()) +
                      "x1x1); this file's input is " + f.graph_input.str());
    std::unique_ptr<Model> m = build_model(f);
    pre_.reset();  // a loaded model is past any pretraining
    // The model trains with the objective the page shows (the sanitized settings: beta within
    // the page's range, the VAE's sum per image), not a different one from the file.
    if (GraphModel* gm = dynamic_cast<GraphModel*>(m.get()); gm && s.is_graph()) gm->set_objective(s.graph_objective());
    trainer_.reset();
    model_ = std::move(m);
    // Likewise a dense model's penalties and noise: a value the page clipped (and said so,
    // e.g. a contractive lambda above the slider's range) is the one it trains with.
    if (model_->kind() == ModelKind::Dense) update_objective(s);
    k_ = static_cast<int>(model_->code_dim());
    step_offset_ = f.counters.step;
    epoch_offset_ = f.counters.epoch;
    fit_pca_k();
    Settings s2 = s;
    if (f.has_optimizer) {
        s2.opt = f.optimizer.kind;
        s2.lr = f.optimizer.lr;
    }
    make_trainer(s2);
    if (f.has_trainer_state) {
        // Version-2 file: the trainer continues its saved state (counters, loss history,
        // optimizer), so no offsets; on another data set it reshuffles (restore() says so).
        try {
            trainer_->restore(f.trainer);
            step_offset_ = 0;
            epoch_offset_ = 0;
            history_seen_ = 0;
            return;
        } catch (const Error&) {
            // Falls through to the weights-and-optimizer path below.
        }
    }
    if (f.has_optimizer) {
        try {
            trainer_->set_optimizer(f.optimizer);
            restore_optimizer(f, trainer_->optimizer());
        } catch (const Error&) {
            // A fresh optimizer state still trains; the weights are what matters.
        }
    }
}

std::vector<std::uint8_t> Session::save(const std::map<std::string, std::string>& meta) {
    AELAB_REQUIRE(has_model(), "no model to save");
    trainer_->record();  // the loss of exactly the saved weights becomes the latest point
    record_angles();
    // With no offsets (a fresh model, or one restored whole) the trainer's state is the whole
    // story and goes into the file (loss history included); else counters only.
    if (step_offset_ == 0 && epoch_offset_ == 0) return save_model(*model_, trainer_->state(), meta);
    return save_model(*model_, &trainer_->optimizer(), {total_steps(), trainer_->samples_seen(), total_epoch()},
                      meta);
}

void Session::update_hyper(const Settings& s) {
    if (!trainer_) return;
    last_settings_.opt = s.opt;
    last_settings_.lr = s.lr;
    last_settings_.mc_pop = s.mc_pop;
    last_settings_.batch = s.batch;
    OptimizerConfig oc = s.optimizer_config();
    const OptimizerConfig& cur = trainer_->optimizer_config();
    // Monte Carlo settings apply live: the search reads them every step (a smaller archive is
    // trimmed to its best samples, a change of groups regroups the scales; optim_mc.cpp).
    const bool mc_changed = cur.mc_pop != oc.mc_pop || cur.mc_dist != oc.mc_dist || cur.mc_temp != oc.mc_temp ||
                            cur.mc_anneal != oc.mc_anneal || cur.mc_lo != oc.mc_lo || cur.mc_hi != oc.mc_hi ||
                            cur.mc_groups != oc.mc_groups || cur.mc_tol != oc.mc_tol || cur.mc_archive != oc.mc_archive;
    if (cur.kind != oc.kind || cur.lr != oc.lr || mc_changed) trainer_->set_optimizer(oc);
    trainer_->set_batch_size(std::min<int>(s.batch, static_cast<int>(data_.train.size())));
}

void Session::update_objective(const Settings& s) {
    if (!model_) return;
    last_settings_.copy_objective(s);
    if (trainer_) trainer_->cancel_step();  // parts done so far used the old objective
    if (model_->kind() == ModelKind::Graph) {
        // beta (and the loss reduction the settings imply); the parameters are untouched.
        static_cast<GraphModel&>(*model_).set_objective(s.graph_objective());
        return;
    }
    Autoencoder<float>& ae = *model_->dense();
    AEConfig c = ae.config();
    c.noise = s.noise;
    c.noise_level = s.noise_level;
    c.sparsity = s.sparsity;
    c.sparsity_weight = s.sparsity_weight;
    c.sparsity_target = s.sparsity_target;
    c.weight_decay = s.weight_decay;
    c.contractive = s.contractive;
    c.validate();
    // Same shape, so the same parameter layout: the trainer keeps its reference to *model_.
    Autoencoder<float> next(c);
    next.params() = ae.params();
    ae = next;
}

StepResult Session::train(double seconds, long max_steps) {
    if (pre_ && !pre_->done()) return train_pretrain(seconds, max_steps);
    if (!trainer_ || trainer_->diverged()) return {};
    // About one evaluation per call (frame) however fast the steps are: the evaluation
    // interval doubles while calls do more than twice as many steps.
    long every = base_eval_every_;
    while (every * 2 < recent_steps_ && every < (1 << 20)) every *= 2;
    trainer_->set_eval(static_cast<int>(every), train_eval_cols_);
    StepResult r = trainer_->step({max_steps, seconds});
    recent_steps_ = r.steps > recent_steps_ ? r.steps : (3 * recent_steps_ + r.steps) / 4;
    record_angles();
    return r;
}

bool Session::has_conv() const {
    const Graph<float>* g = model_ ? model_->graph() : nullptr;
    if (!g) return false;
    for (int i = 0; i < g->num_layers(); ++i) {
        const LayerKind k = g->layer(i).spec().kind;
        if (k == LayerKind::Conv2D || k == LayerKind::ConvTranspose2D) return true;
    }
    return false;
}

bool Session::model_is_linear() const {
    const Autoencoder<float>* ae = model_ ? model_->dense() : nullptr;
    if (!ae) return false;
    for (int i = 0; i < ae->num_layers(); ++i)
        if (ae->layer(i).act != Activation::Identity) return false;
    return true;
}

void Session::record_angles() {
    if (!trainer_ || !model_->dense()) return;  // the angles compare a dense decoder with PCA
    const auto& h = trainer_->history();
    if (h.size() == history_seen_) return;
    history_seen_ = h.size();
    AnglePoint p;
    p.step = total_steps();
    try {
        const VecD th = principal_angles(model_->dense()->decoder_linear_map(), pca_k_);
        for (Index i = 0; i < th.size(); ++i) p.degrees.push_back(static_cast<float>(th(i) * 57.29577951308232));
    } catch (const Error&) {
        return;  // degenerate decoder (rank 0): nothing to show this time
    }
    angles_.push_back(std::move(p));
}

double Session::last_test_mse() const {
    if (!trainer_) return std::nan("");
    const auto& h = trainer_->history();
    for (auto it = h.rbegin(); it != h.rend(); ++it)
        if (std::isfinite(it->test_mse)) return it->test_mse;
    return std::nan("");
}

double Session::last_train_mse() const {
    if (!trainer_) return std::nan("");
    const auto& h = trainer_->history();
    return h.empty() ? std::nan("") : h.back().train_mse;
}

// ---- k-NN with 10 labels per class ------------------------------------------------------------

void Session::reset_knn() {
    knn_ = KnnScores{};
    knn_refresh_.invalidate();
    knn_pending_ = false;
    knn_cursor_ = 0;
}

bool Session::update_knn(double now, Index max_cols) {
    if (!model_ || knn_labelled_.empty()) return false;
    if (!knn_pending_) {
        if (!knn_refresh_.due(now, total_steps())) return false;
        knn_refresh_.mark(now, total_steps());
        const Index n = std::min<Index>(kKnnTestCodes, data_.test.size());
        if (n < 1 || test_codes_.cols() < n || static_cast<Index>(data_.test.y.size()) < n) return false;
        knn_pending_ = true;
        knn_cursor_ = 0;
    }
    // Encode the next chunk of the labelled images (all of them with max_cols < 0).
    const Index nl = static_cast<Index>(knn_labelled_.size());
    const Index c = max_cols < 0 ? nl - knn_cursor_ : std::min<Index>(std::max<Index>(max_cols, 1), nl - knn_cursor_);
    Mat L(data_.train.dim(), c);
    for (Index j = 0; j < c; ++j) L.col(j) = data_.train.X.col(knn_labelled_[static_cast<size_t>(knn_cursor_ + j)]);
    Mat Z;
    model_->encode(L, Z);
    if (knn_codes_.rows() != Z.rows() || knn_codes_.cols() != nl) knn_codes_.setZero(Z.rows(), nl);
    knn_codes_.middleCols(knn_cursor_, c) = Z;
    knn_cursor_ += c;
    if (knn_cursor_ < nl) return false;
    knn_pending_ = false;
    const Index n = std::min<Index>(kKnnTestCodes, data_.test.size());
    if (n < 1 || test_codes_.cols() < n || static_cast<Index>(data_.test.y.size()) < n) return false;
    const std::vector<int> ytest(data_.test.y.begin(), data_.test.y.begin() + n);
    const Mat& Zl = knn_codes_;
    const auto Zt = test_codes_.leftCols(n);
    const auto Pt = pca_test_codes_.leftCols(n);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    knn_.ae = Zl.allFinite() && Zt.allFinite() ? knn_accuracy(Zl, knn_labels_, Zt, ytest, 1) : nan;
    knn_.pca = knn_pca_codes_.cols() > 0 && Pt.allFinite() ? knn_accuracy(knn_pca_codes_, knn_labels_, Pt, ytest, 1) : nan;
    knn_.step = total_steps();
    knn_.n_test = n;
    knn_.n_labelled = static_cast<Index>(knn_labelled_.size());
    return true;
}

// ---- codes ----------------------------------------------------------------------------------

void Session::refresh_codes(Index max_cols) {
    if (!model_) return;
    const Index n = data_.test.size();
    if (test_codes_.rows() != k_ || test_codes_.cols() != n) test_codes_.setZero(k_, n);
    Graph<float>* g = model_->is_vae() ? model_->graph() : nullptr;
    if (!g) test_logvar_.resize(0, 0);
    else if (test_logvar_.rows() != k_ || test_logvar_.cols() != n) test_logvar_.setZero(k_, n);
    Index done = 0;
    Mat Z;
    while (done < max_cols && done < n) {
        if (code_cursor_ >= n) code_cursor_ = 0;
        const Index c = std::min<Index>({max_cols - done, n - code_cursor_, 1000});
        if (g) {
            // One deterministic forward (mean code) gives the means and log-variances.
            g->forward(data_.test.X.middleCols(code_cursor_, c));
            test_codes_.middleCols(code_cursor_, c) = g->gaussian()->mean();
            test_logvar_.middleCols(code_cursor_, c) = g->gaussian()->logvar();
        } else {
            model_->encode(data_.test.X.middleCols(code_cursor_, c), Z);
            test_codes_.middleCols(code_cursor_, c) = Z;
        }
        code_cursor_ += c;
        done += c;
    }
}

Mat Session::prior_samples(Index n, std::uint64_t seed) {
    AELAB_REQUIRE(model_ && model_->is_vae(), "samples from the prior need a VAE");
    Rng rng(seed, 0x9e1a);
    Mat Z(k_, n);
    for (Index j = 0; j < n; ++j)
        for (Index i = 0; i < k_; ++i) Z(i, j) = static_cast<float>(rng.normal());
    Mat X;
    model_->decode(Z, X);
    return X;
}

Mat Session::encode(const Eigen::Ref<const Mat>& X) {
    Mat Z;
    model_->encode(X, Z);
    return Z;
}

Mat Session::decode(const Eigen::Ref<const Mat>& Z) {
    Mat X;
    model_->decode(Z, X);
    return X;
}

Mat Session::reconstruct(const Eigen::Ref<const Mat>& X) {
    Mat R;
    model_->reconstruct(X, R);
    return R;
}

}  // namespace aelab::app
