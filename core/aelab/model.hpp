// aelab/model.hpp — one trainable model, whatever its kind: the dense Autoencoder or a layer Graph.
//
// What: Model is the interface the Trainer, model files and front ends use: a flat parameter
// vector with its gradient, forward/backward on a batch, deterministic evaluation, encode /
// decode / reconstruct, and the per-step randomness a kind needs. Two kinds implement it:
//   DenseModel  the dense Autoencoder<float> with its loss variants (tied weights, sparsity,
//               weight decay, input corruption for denoising);
//   GraphModel  a Graph<float> (conv AE, VAE, conv VAE, dense graphs) with its objective
//               (GraphObjective: MSE/BCE, reduced per entry or per image, beta * KL).
// Training-order contract (what a bit-identical reference replays): per step the Trainer
// takes the batch from its shuffled order, corrupts it when corrupts_input(), then calls
// begin_batch(rng, B) on the same stream (a VAE draws eps, k x B, column by column with
// Graph::sample_eps), then forward_backward; line searches (L-BFGS) and Monte Carlo
// proposals evaluate forward_loss on the same batch with the same eps.
// Evaluation is deterministic: a VAE uses its mean code (recon and KL reported apart; the
// ELBO is -(recon + KL) when the recon is summed per image).
// Why: one trainer, one checkpoint format and one front-end code path for every model kind.
// Usage:
//   std::unique_ptr<Model> m = make_graph_model(Shape{784,1,1}, parse_arch(kCourseConvAE), obj);
//   m->init_params(seed);
//   Trainer tr(*m, OptimizerConfig::defaults_for(OptimizerKind::SGD), Xtrain, &Xtest, tc);
//   if (Graph<float>* g = m->graph()) ...   // kind-specific views
#pragma once

#include "aelab/autoencoder.hpp"
#include "aelab/graph.hpp"
#include "aelab/optim.hpp"

#include <memory>
#include <string>

namespace aelab {

enum class ModelKind { Dense, Graph };
const char* model_kind_name(ModelKind k);  // "dense", "graph"

class Model {
public:
    virtual ~Model() = default;
    virtual std::unique_ptr<Model> clone() const = 0;

    virtual ModelKind kind() const = 0;
    // "784-500-2-500-784" (dense) or the canonical graph string.
    virtual std::string arch_string() const = 0;
    virtual Index input_dim() const = 0;   // values per sample (also the output size)
    virtual Index code_dim() const = 0;    // values of the code (the VAE: k, its mean)
    virtual bool is_vae() const { return false; }
    // Activation of the output layer (Sigmoid when the loss is BCE).
    virtual Activation output_activation() const = 0;
    virtual ReconLoss loss() const = 0;

    virtual Vec& params() = 0;
    virtual const Vec& params() const = 0;
    virtual Vec& grads() = 0;
    Index num_params() const { return params().size(); }
    // Named, disjoint slices of params() covering all of it, in order (the Monte Carlo
    // search samples each from its own distribution): dense "layer<i>.W" and "layer<i>.b"
    // (i from 1; a tied layer has only its b); graph "layer<i>.<kind>" per layer with parameters,
    // and for a parametric layer (kp, km) also "layer<i>.alpha" and "layer<i>.beta", one each.
    virtual std::vector<ParamGroup> param_groups() const = 0;
    virtual void init_params(std::uint64_t seed) = 0;

    // Input corruption (denoising dense AEs): Xc = corrupted X, drawing from rng.
    virtual bool corrupts_input() const { return false; }
    virtual void corrupt(const Eigen::Ref<const Mat>& X, Mat& Xc, Rng& rng) const;
    // The step's own randomness, drawn after corruption from the trainer's stream.
    virtual void begin_batch(Rng& rng, Index B);

    // Parts of a batch (Trainer's TrainConfig::max_part): true when the objective is a mean
    // of per-sample terms (plus terms linear in the parameters' own penalties), so that the
    // gradients of the parts, weighted by their share of the batch, sum to the batch's.
    virtual bool separable() const { return false; }
    // The next forward_backward / forward_loss sees columns [first, first + count) of the
    // batch begun by begin_batch (a VAE's eps columns); count < 0 returns to the whole batch.
    virtual void use_part(Index first, Index count) { (void)first; (void)count; }

    // grads() = d(total)/d(params) on the batch; penalties included.
    virtual LossParts forward_backward(const Eigen::Ref<const Mat>& Xin, const Eigen::Ref<const Mat>& Xt) = 0;
    virtual LossParts forward_loss(const Eigen::Ref<const Mat>& Xin, const Eigen::Ref<const Mat>& Xt,
                                   bool include_penalties = true) = 0;
    // Deterministic mean losses over X (chunks of `chunk` columns), penalties excluded,
    // total = recon (+ KL for a VAE, unweighted: the negative ELBO when summed per image).
    virtual LossParts evaluate(const Eigen::Ref<const Mat>& X, Index chunk = 1000) = 0;

    virtual void encode(const Eigen::Ref<const Mat>& X, Mat& Z) = 0;      // code_dim x N
    virtual void decode(const Eigen::Ref<const Mat>& Z, Mat& Xhat) = 0;   // input_dim x N
    virtual void reconstruct(const Eigen::Ref<const Mat>& X, Mat& Xhat) = 0;

    // The kind-specific object, or nullptr.
    virtual Autoencoder<float>* dense() { return nullptr; }
    const Autoencoder<float>* dense() const { return const_cast<Model*>(this)->dense(); }
    virtual Graph<float>* graph() { return nullptr; }
    const Graph<float>* graph() const { return const_cast<Model*>(this)->graph(); }
};

// The dense autoencoder. Owns its Autoencoder, or (view()) uses one the caller keeps alive.
class DenseModel final : public Model {
public:
    explicit DenseModel(const AEConfig& c);
    explicit DenseModel(Autoencoder<float> ae);
    static std::unique_ptr<DenseModel> view(Autoencoder<float>& ae);
    std::unique_ptr<Model> clone() const override;  // always an owning copy

    Autoencoder<float>& ae() { return *ae_; }
    const Autoencoder<float>& ae() const { return *ae_; }

    ModelKind kind() const override { return ModelKind::Dense; }
    std::string arch_string() const override { return ae_->config().arch_string(); }
    Index input_dim() const override { return ae_->input_dim(); }
    Index code_dim() const override { return ae_->latent_dim(); }
    Activation output_activation() const override { return ae_->config().output_act; }
    ReconLoss loss() const override { return ae_->config().loss; }
    Vec& params() override { return ae_->params(); }
    const Vec& params() const override { return ae_->params(); }
    Vec& grads() override { return ae_->grads(); }
    void init_params(std::uint64_t seed) override { ae_->init_params(seed); }
    std::vector<ParamGroup> param_groups() const override;
    bool corrupts_input() const override { return ae_->config().noise != Noise::None; }
    void corrupt(const Eigen::Ref<const Mat>& X, Mat& Xc, Rng& rng) const override { ae_->corrupt(X, Xc, rng); }
    LossParts forward_backward(const Eigen::Ref<const Mat>& Xin, const Eigen::Ref<const Mat>& Xt) override {
        return ae_->forward_backward(Xin, Xt);
    }
    LossParts forward_loss(const Eigen::Ref<const Mat>& Xin, const Eigen::Ref<const Mat>& Xt,
                           bool include_penalties = true) override {
        return ae_->forward_loss(Xin, Xt, include_penalties);
    }
    LossParts evaluate(const Eigen::Ref<const Mat>& X, Index chunk = 1000) override { return ae_->evaluate(X, chunk); }
    void encode(const Eigen::Ref<const Mat>& X, Mat& Z) override { ae_->encode(X, Z); }
    void decode(const Eigen::Ref<const Mat>& Z, Mat& Xhat) override { ae_->decode(Z, Xhat); }
    void reconstruct(const Eigen::Ref<const Mat>& X, Mat& Xhat) override { ae_->reconstruct(X, Xhat); }
    Autoencoder<float>* dense() override { return ae_; }

private:
    DenseModel() = default;
    std::unique_ptr<Autoencoder<float>> own_;
    Autoencoder<float>* ae_ = nullptr;
};

// A layer graph with its objective. The VAE's eps of the current batch is kept between
// begin_batch() and the next one, so every evaluation of one step sees the same sample.
class GraphModel final : public Model {
public:
    // Throws aelab::Error for an invalid objective (e.g. BCE without a sigmoid output).
    GraphModel(const Shape& input, const ArchSpec& arch, const GraphObjective& obj);
    std::unique_ptr<Model> clone() const override { return std::make_unique<GraphModel>(*this); }

    Graph<float>& net() { return g_; }
    const Graph<float>& net() const { return g_; }
    const GraphObjective& objective() const { return obj_; }
    // Change the objective's weights (beta) or reduction; validated, parameters untouched.
    void set_objective(const GraphObjective& obj);

    ModelKind kind() const override { return ModelKind::Graph; }
    std::string arch_string() const override { return g_.arch_string(); }
    Index input_dim() const override { return g_.input_shape().size(); }
    Index code_dim() const override;
    bool is_vae() const override { return g_.gaussian() != nullptr; }
    Activation output_activation() const override { return g_.output_activation(); }
    ReconLoss loss() const override { return obj_.loss; }
    Vec& params() override { return g_.params(); }
    const Vec& params() const override { return g_.params(); }
    Vec& grads() override { return g_.grads(); }
    void init_params(std::uint64_t seed) override { g_.init_params(seed); }
    std::vector<ParamGroup> param_groups() const override;
    void begin_batch(Rng& rng, Index B) override;
    // Every graph objective (recon mean or sum per sample, beta * KL) is per sample.
    bool separable() const override { return true; }
    void use_part(Index first, Index count) override;
    LossParts forward_backward(const Eigen::Ref<const Mat>& Xin, const Eigen::Ref<const Mat>& Xt) override;
    LossParts forward_loss(const Eigen::Ref<const Mat>& Xin, const Eigen::Ref<const Mat>& Xt,
                           bool include_penalties = true) override;
    LossParts evaluate(const Eigen::Ref<const Mat>& X, Index chunk = 1000) override;
    void encode(const Eigen::Ref<const Mat>& X, Mat& Z) override { g_.encode(X, Z); }
    void decode(const Eigen::Ref<const Mat>& Z, Mat& Xhat) override { g_.decode(Z, Xhat); }
    void reconstruct(const Eigen::Ref<const Mat>& X, Mat& Xhat) override { g_.reconstruct(X, Xhat); }
    Graph<float>* graph() override { return &g_; }

private:
    const Mat* batch_eps(Index B) const;
    Graph<float> g_;
    GraphObjective obj_;
    Mat eps_;  // the current batch's eps (VAE), empty before the first begin_batch
    Mat part_eps_;        // its columns for use_part()
    bool part_ = false;   // use_part() is active
};

std::unique_ptr<Model> make_dense_model(const AEConfig& c);
std::unique_ptr<Model> make_graph_model(const Shape& input, const ArchSpec& arch, const GraphObjective& obj);

}  // namespace aelab
