#include "aelab/stacked.hpp"

#include <algorithm>
#include <limits>

namespace aelab {

namespace {

// Activation of hidden layer h (encoder hidden layers first, then decoder ones).
Activation hidden_activation(const AEConfig& c, int h) { return c.hidden_acts.empty() ? c.hidden_act : c.hidden_acts[h]; }

void check_target(const AEConfig& t) {
    t.validate();
    std::vector<int> rev(t.encoder.rbegin(), t.encoder.rend());
    if (t.decoder_widths() != rev)
        throw Error("layer-wise pretraining needs a mirrored decoder (decoder widths = reversed encoder widths), got " +
                    t.arch_string());
    if (t.encoder.empty())
        throw Error("layer-wise pretraining needs at least two encoder layers (e.g. " + std::to_string(t.input_dim) +
                    "-256-" + std::to_string(t.latent) + "); " + t.arch_string() +
                    " has one, whose only phase would be ordinary training: train it without pretraining");
}

}  // namespace

int layerwise_num_phases(const AEConfig& target) {
    check_target(target);
    return int(target.encoder.size()) + 1;
}

AEConfig layerwise_phase_config(const AEConfig& t, int p) {
    const int m = layerwise_num_phases(t);
    if (p < 0 || p >= m) throw Error("phase " + std::to_string(p) + " is out of range 0.." + std::to_string(m - 1));
    std::vector<int> w;  // w0..wm
    w.push_back(t.input_dim);
    for (int x : t.encoder) w.push_back(x);
    w.push_back(t.latent);
    AEConfig c;
    c.input_dim = w[p];
    c.encoder.clear();
    c.latent = w[p + 1];
    c.decoder.clear();
    c.mirror_decoder = true;
    c.hidden_act = t.hidden_act;
    c.hidden_acts.clear();
    c.latent_act = p == m - 1 ? t.latent_act : hidden_activation(t, p);
    if (p == 0) {
        c.output_act = t.output_act;
        c.loss = t.loss;
    } else {
        // Full layer 2m-1-p is decoder hidden layer index (2m-1-p) - 1 among hidden layers.
        const Activation a = hidden_activation(t, 2 * m - 2 - p);
        c.output_act = (a == Activation::Sigmoid || a == Activation::Identity) ? a : Activation::Identity;
        c.loss = ReconLoss::MSE;
    }
    c.tied = t.tied;
    c.weight_decay = t.weight_decay;
    c.contractive = t.contractive;  // a stacked CAE: every phase contractive
    c.noise = t.noise;
    c.noise_level = t.noise_level;
    if (p == m - 1) {
        c.sparsity = t.sparsity;
        c.sparsity_weight = t.sparsity_weight;
        c.sparsity_target = t.sparsity_target;
    }
    c.validate();
    return c;
}

LayerwisePretrainer::LayerwisePretrainer(const AEConfig& target, const OptimizerConfig& opt, const Mat& train,
                                         const Mat* test, const TrainConfig& tc, int epochs_per_phase)
    : target_(target), opt_(opt), tc_(tc), epochs_(epochs_per_phase), train_(train), test_(test) {
    const int m = layerwise_num_phases(target);
    opt.validate();
    tc.validate();
    if (epochs_per_phase < 1) throw Error("pretraining epochs per phase must be >= 1, got " + std::to_string(epochs_per_phase));
    if (train.rows() != target.input_dim)
        throw Error("training data have " + std::to_string(train.rows()) + " dimensions, the model's input " +
                    std::to_string(target.input_dim));
    if (test && test->cols() > 0 && test->rows() != train.rows()) throw Error("test data dimension differs from training data");
    if (Index(tc.batch_size) > train.cols())
        throw Error("batch size " + std::to_string(tc.batch_size) + " is larger than the training set (" +
                    std::to_string(train.cols()) + " samples)");
    const long per_epoch = long(train.cols() / tc.batch_size);
    if (double(per_epoch) * epochs_per_phase * m > double(std::numeric_limits<long>::max()))
        throw Error("too many pretraining steps: " + std::to_string(m) + " phases x " + std::to_string(epochs_per_phase) +
                    " epochs x " + std::to_string(per_epoch) + " steps");
    for (int p = 0; p < m; ++p) {
        PretrainPhase ph;
        ph.index = p;
        ph.config = layerwise_phase_config(target, p);
        ph.in = ph.config.input_dim;
        ph.out = ph.config.latent;
        ph.total_steps = per_epoch * long(epochs_per_phase);
        phases_.push_back(ph);
        models_.push_back(std::make_unique<Autoencoder<float>>(ph.config));
        models_.back()->init_params(tc.seed + 7919u * std::uint64_t(p + 1));
    }
    start_phase(0);
}

LayerwisePretrainer::~LayerwisePretrainer() = default;

long LayerwisePretrainer::steps() const {
    long s = 0;
    for (const PretrainPhase& ph : phases_) s += ph.steps;
    return s;
}

long LayerwisePretrainer::total_steps() const {
    long s = 0;
    for (const PretrainPhase& ph : phases_) s += ph.total_steps;
    return s;
}

const Autoencoder<float>& LayerwisePretrainer::phase_model(int p) const {
    AELAB_REQUIRE(p >= 0 && p < num_phases(), "phase index out of range");
    return *models_[size_t(p)];
}

void LayerwisePretrainer::start_phase(int p) {
    cur_ = p;
    if (done()) return;
    TrainConfig tc = tc_;
    tc.seed = tc_.seed + std::uint64_t(p) + 1u;
    const Mat& X = p == 0 ? train_ : codes_train_;
    const Mat* T = p == 0 ? test_ : (codes_test_.cols() > 0 ? &codes_test_ : nullptr);
    if (T && T->cols() == 0) T = nullptr;
    trainer_ = std::make_unique<Trainer>(*models_[size_t(p)], opt_, X, T, tc);
    trainer_->record();  // the phase's curve starts at its step 0
    phases_[size_t(p)].history = trainer_->history();
}

void LayerwisePretrainer::finish_phase() {
    PretrainPhase& ph = phases_[size_t(cur_)];
    Autoencoder<float>& ae = *models_[size_t(cur_)];
    if (ph.history.empty() || ph.history.back().step != trainer_->steps()) trainer_->record();
    ph.history = trainer_->history();
    const Mat& X = cur_ == 0 ? train_ : codes_train_;
    const Mat* T = cur_ == 0 ? test_ : &codes_test_;
    ph.final_train_loss = ae.evaluate(X).recon;
    if (T && T->cols() > 0) ph.final_test_loss = ae.evaluate(*T).recon;
    ph.done = true;
    Mat next_train, next_test;
    if (cur_ + 1 < num_phases()) {  // the next phase's inputs: this phase's codes
        ae.encode(X, next_train);
        if (T && T->cols() > 0) ae.encode(*T, next_test);
    }
    trainer_.reset();  // it refers to codes_train_ / codes_test_
    codes_train_ = std::move(next_train);
    codes_test_ = std::move(next_test);
    start_phase(cur_ + 1);
}

StepResult LayerwisePretrainer::step(const StepBudget& budget) {
    StepResult r;
    if (done() || diverged_) return r;
    PretrainPhase& ph = phases_[size_t(cur_)];
    const long left = ph.total_steps - ph.steps;
    if (left > 0) {
        StepBudget b = budget;
        b.max_steps = std::max(1L, std::min(budget.max_steps, left));
        r = trainer_->step(b);
        ph.steps += r.steps;
        ph.seconds += r.seconds;
        ph.history = trainer_->history();
        if (trainer_->diverged()) {
            diverged_ = true;
            message_ = "pretraining phase " + std::to_string(cur_ + 1) + " (" + std::to_string(ph.in) + "-" +
                       std::to_string(ph.out) + "-" + std::to_string(ph.in) + "): " + trainer_->divergence_message();
            return r;
        }
    }
    if (ph.steps >= ph.total_steps) finish_phase();
    return r;
}

Autoencoder<float> LayerwisePretrainer::unroll() const {
    AELAB_REQUIRE(done(), "unroll() needs every pretraining phase to be finished");
    Autoencoder<float> full(target_);
    full.init_params(tc_.seed);
    unroll_into(full);
    return full;
}

void LayerwisePretrainer::unroll_into(Autoencoder<float>& full) const {
    const int m = num_phases();
    const int n_layers = full.num_layers();  // 2m
    if (n_layers != 2 * m)
        throw Error("unroll_into: the model " + full.config().arch_string() + " is not the pretrained target " +
                    target_.arch_string());
    auto copy_layer = [&full](const Autoencoder<float>& src, int si, int di) {
        const auto& S = src.layer(si);
        const auto& D = full.layer(di);
        if (!(S.in == D.in && S.out == D.out && (S.w_off < 0) == (D.w_off < 0)))
            throw Error("unroll_into: layer " + std::to_string(di + 1) + " of " + full.config().arch_string() +
                        " differs from the pretrained phase's");
        if (S.w_off >= 0) full.params().segment(D.w_off, D.in * D.out) = src.params().segment(S.w_off, S.in * S.out);
        full.params().segment(D.b_off, D.out) = src.params().segment(S.b_off, S.out);
    };
    for (int p = 0; p < m; ++p) {
        const Autoencoder<float>& ae = *models_[size_t(p)];
        copy_layer(ae, 0, p);
        copy_layer(ae, 1, n_layers - 1 - p);
    }
}

}  // namespace aelab
