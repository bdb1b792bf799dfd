// aelab/autoencoder.hpp — fully connected autoencoders with all parameters in one buffer.
//
// What: an encoder of dense layers (input -> hidden... -> code) and a decoder (code ->
// hidden... -> output), each layer Y = f(W X + b) on d x B batches (one sample per column).
// Variants that change the loss, not the layer graph, are options of the same model:
// tied weights (decoder layer uses the transposed encoder weights), L2 weight decay,
// sparsity penalties on the code (L1 or KL divergence to a target rate, Ng's sparse AE),
// input corruption for denoising (Gaussian, masking, salt-and-pepper, dropout), and the
// contractive penalty (Rifai et al. 2011, below).
// Why one buffer: every parameter lives in `params()` and every gradient in `grads()`
// (same layout), so optimizers, checkpoints and gradient checks are one loop over a vector.
// Usage:
//   AEConfig c = AEConfig::from_arch("784-500-500-5"); c.hidden_act = Activation::ELU;
//   Autoencoder<float> ae(c); ae.init_params(seed);
//   auto parts = ae.forward_backward(Xin, Xtarget);   // loss; grads() now holds dLoss/dp
//   ae.encode(X, Z); ae.decode(Z, Xhat);
// Losses are means over all entries (PyTorch/Keras convention): MSE = sum((Xhat-X)^2)/(d*B);
// BCE is computed from the output layer's logits (requires output "sigmoid"), which is
// exact and stable for saturated units.
// Penalties are added to the mean reconstruction loss: total = recon + sparsity +
// weight decay + contractive.
//
// Contractive penalty (AEConfig::contractive = lambda >= 0, 0 = off): lambda times the
// squared Frobenius norm of the ENCODER's Jacobian J_f(x) = d code / d input (k x d),
// averaged over the batch's samples: lambda * (1/B) sum_b ||J_f(x_b)||_F^2. It is evaluated
// at the encoder's input (the corrupted input when noise is on); biases are not penalized
// directly but receive their exact gradient. Both forms are exact (value and gradient):
//   one encoder layer (code = s(W x + b)): closed form ||J||^2 = sum_j s'(a_j)^2 ||W_j||^2,
//     cost O(k d B) per batch, about one extra pass over W;
//   deeper encoders (x -> h1 -> ... -> code): J = D_L W_L ... D_1 W_1 (D_l = diag s'(a_l)) is
//     built from the code side per sample (k rows), then reverse mode through that chain
//     plus one backward pass for the s'' terms: ~3k sum_{l>1} n_l n_{l-1} + 2k n_1 min(n_1, d)
//     multiply-adds per sample (layer 1 via the Gram matrix W_1 W_1^T when d > n_1); for
//     784-256-32 a training step costs ~7x the plain one (68 vs 10 ms per batch of 100).
// The gradient needs s'' (activation_derivs); relu-type kinks use s'' = 0. Tied weights are
// fine (the decoder's use of W^T adds its own gradient). Autoencoder<float> and <double>.
#pragma once

#include "aelab/activations.hpp"
#include "aelab/common.hpp"

#include <map>
#include <string>
#include <vector>

namespace aelab {

enum class ReconLoss { MSE, BCE };
enum class Sparsity { None, L1, KL };
enum class Noise { None, Gaussian, Masking, SaltPepper, Dropout };

ReconLoss parse_loss(const std::string& name);  // "mse", "bce"
const char* loss_name(ReconLoss l);
// Every reconstruction loss, in enum order.
const std::vector<ReconLoss>& all_losses();
Sparsity parse_sparsity(const std::string& name);  // "none", "l1", "kl"
const char* sparsity_name(Sparsity s);
const char* sparsity_label(Sparsity s);  // for menus: "none", "L1", "KL"
// Every sparsity penalty, in enum order (none, l1, kl).
const std::vector<Sparsity>& all_sparsities();
Noise parse_noise(const std::string& name);  // "none", "gaussian", "masking", "salt_pepper", "dropout"
const char* noise_name(Noise n);
const char* noise_label(Noise n);  // for menus: "none", "Gaussian", "masking", "salt & pepper", "dropout"
// Every input corruption, in enum order (none, gaussian, masking, salt_pepper, dropout).
const std::vector<Noise>& all_noises();

struct AEConfig {
    int input_dim = 784;
    std::vector<int> encoder;   // hidden widths between input and code, e.g. {500, 500}
    int latent = 2;             // code size k
    std::vector<int> decoder;   // hidden widths between code and output; empty + mirror -> reversed encoder
    bool mirror_decoder = true;
    Activation hidden_act = Activation::ReLU;  // default for every hidden layer
    std::vector<Activation> hidden_acts;       // optional per hidden layer (encoder then decoder)
    Activation latent_act = Activation::Identity;
    Activation output_act = Activation::Identity;  // Identity ("linear") or Sigmoid
    ReconLoss loss = ReconLoss::MSE;
    bool tied = false;          // decoder weights = transposed encoder weights (needs a mirrored shape)
    double weight_decay = 0.0;  // lambda/2 * sum(W^2) over weights (not biases)
    Sparsity sparsity = Sparsity::None;
    double sparsity_weight = 0.0;  // L1: lambda * sum|h| / B ; KL: beta * sum_j KL(rho || mean_b h_j)
    double sparsity_target = 0.05; // rho for KL (code activation must be sigmoid)
    Noise noise = Noise::None;
    double noise_level = 0.0;      // Gaussian stddev, or corruption probability
    double contractive = 0.0;      // lambda of the contractive penalty (see the top), in [0, 1e6)

    // "784-500-500-5": input 784, encoder {500, 500}, code 5, mirrored decoder.
    static AEConfig from_arch(const std::string& arch);
    std::string arch_string() const;  // full shape "784-500-500-5-500-500-784"

    std::vector<int> decoder_widths() const;  // the effective decoder hidden widths
    // Throws aelab::Error describing the first invalid setting.
    void validate() const;
    // key=value lines (checkpoints, URL state) and back. Unknown keys are errors.
    std::string to_text() const;
    static AEConfig from_text(const std::string& text);
    static AEConfig from_map(const std::map<std::string, std::string>& kv);
};

// Parts of the objective for one batch (means as documented above).
struct LossParts {
    double total = 0;   // what the optimizer minimizes
    double recon = 0;   // reconstruction loss (MSE or BCE)
    double mse = 0;     // reconstruction MSE, always (comparable with PCA)
    double sparsity = 0;
    double weight_decay = 0;
    double contractive = 0;  // lambda * mean ||J_f(x)||_F^2 of the batch (0 when off)
    double kl = 0;      // a VAE's KL(q(z|x) || N(0, I)) per sample (aelab/model.hpp), else 0
};

template <class T> class Autoencoder {
public:
    struct Layer {
        Index in = 0, out = 0;
        Activation act = Activation::Identity;
        Index w_off = -1;  // offset of W (out x in, column-major) in params, -1 if tied
        Index b_off = 0;   // offset of b (out)
        int tied_to = -1;  // encoder layer whose W^T this layer uses
        MatT<T> Z, Y;      // caches of the last forward: pre-activation and output (out x B)
        MatT<T> dZ;        // workspace
    };

    explicit Autoencoder(const AEConfig& config);
    Autoencoder(const Autoencoder&) = default;
    Autoencoder& operator=(const Autoencoder&) = default;

    const AEConfig& config() const { return cfg_; }
    Index num_params() const { return params_.size(); }
    VecT<T>& params() { return params_; }
    const VecT<T>& params() const { return params_; }
    VecT<T>& grads() { return grads_; }
    const VecT<T>& grads() const { return grads_; }
    int num_layers() const { return static_cast<int>(layers_.size()); }
    int num_encoder_layers() const { return n_enc_; }
    const Layer& layer(int i) const { return layers_[i]; }
    int input_dim() const { return cfg_.input_dim; }
    int latent_dim() const { return cfg_.latent; }

    // Weight matrix of layer i as used in the forward pass (transposed view for tied layers).
    MatT<T> weight(int i) const;
    Eigen::Map<const VecT<T>> bias(int i) const;
    // The decoder's effective linear map from code to output for a fully linear model
    // (product of decoder weights), d x k; used for the linear-AE-vs-PCA subspace angles.
    MatT<T> decoder_linear_map() const;

    // Glorot-uniform for linear/sigmoid/tanh/softplus, He-normal for the ReLU family,
    // LeCun-normal for SELU; biases zero. Deterministic for a seed on every platform.
    void init_params(std::uint64_t seed);

    // Corrupt X (d x B) into Xc with the configured noise, drawing from rng.
    void corrupt(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Xc, Rng& rng) const;

    // Forward + backward on one batch: grads() is overwritten with d(total)/d(params).
    // Xin is the (possibly corrupted) input, Xtarget the clean target (both d x B).
    LossParts forward_backward(const Eigen::Ref<const MatT<T>>& Xin,
                               const Eigen::Ref<const MatT<T>>& Xtarget);
    // Forward only; losses of the batch (no weight decay unless include_penalties).
    LossParts forward_loss(const Eigen::Ref<const MatT<T>>& Xin,
                           const Eigen::Ref<const MatT<T>>& Xtarget, bool include_penalties = true);

    // Codes (k x N), reconstructions (d x N), decoder outputs from codes (d x N); N any
    // size, processed in chunks so that caches stay bounded.
    void encode(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z);
    void decode(const Eigen::Ref<const MatT<T>>& Z, MatT<T>& Xhat);
    void reconstruct(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Xhat);
    // Mean losses over a whole data set (chunks of `chunk` columns); penalties excluded.
    LossParts evaluate(const Eigen::Ref<const MatT<T>>& X, Index chunk = 1000);

    // Weight decay alone (value, and its gradient added to g when g != nullptr).
    double weight_decay_term(VecT<T>* g) const;

    // Mean over the columns of X (d x N) of ||J_f(x)||_F^2, the encoder's squared Jacobian
    // norm (no lambda; works whether the penalty is on or off). Chunks of `chunk` columns.
    double jacobian_sqnorm(const Eigen::Ref<const MatT<T>>& X, Index chunk = 256);
    // The contractive penalty alone on a batch (d x B): runs the encoder, returns lambda *
    // mean ||J||_F^2 and, when g != nullptr, ADDS its gradient to g (size num_params()).
    double contractive_penalty(const Eigen::Ref<const MatT<T>>& X, VecT<T>* g);

    // Output of the last forward pass (d x B) and the code (k x B).
    const MatT<T>& output() const { return layers_.back().Y; }
    const MatT<T>& code() const { return layers_[n_enc_ - 1].Y; }

private:
    // Runs layers [first, last) on X; returns a pointer to the final output.
    const MatT<T>* forward_range(int first, int last, const Eigen::Ref<const MatT<T>>& X);
    double recon_loss(const Eigen::Ref<const MatT<T>>& Xtarget, double* mse) const;
    double sparsity_term(MatT<T>* dH) const;
    // Sum over the batch of ||J_f(x_b)||^2 from the encoder caches of the last forward on X
    // (contractive.cpp); when g != nullptr adds scale * its gradient to g.
    double jacobian_sqnorm_sum(const Eigen::Ref<const MatT<T>>& X, VecT<T>* g, double scale);

    AEConfig cfg_;
    std::vector<Layer> layers_;
    int n_enc_ = 0;
    VecT<T> params_, grads_;
    MatT<T> dX_a_, dX_b_;  // backward workspaces
};

extern template class Autoencoder<float>;
extern template class Autoencoder<double>;

}  // namespace aelab
