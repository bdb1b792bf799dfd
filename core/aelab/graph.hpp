// aelab/graph.hpp — sequential layer graphs over one flat parameter buffer: convolutional
// autoencoders, VAEs and (as a special case) the dense autoencoder.
//
// What: Graph<T> is a sequence of layers (aelab/layers.hpp: dense, conv2d, transposed
// conv2d, max-pooling, upsampling, reshape/flatten, activations, the VAE's Gaussian code,
// KernelML's parametric dense layers)
// from an input shape C x H x W to an output shape, split into an encoder (layers
// [0, encoder_layers())) and a decoder (the rest). Batches are d x B, one sample per column
// (images NCHW per column, see layers.hpp), Scalar T = float (training) or double (checks).
// All parameters live in ONE flat buffer params() (and gradients in grads(), same layout):
// layer i owns params()[offset(i), offset(i) + layer(i).num_params()). A graph of dense
// layers d{n1},d{n2},... has exactly the dense Autoencoder's buffer layout and initial
// weights for the same seed, so the dense AE is one case of the graph.
// Forward caches every layer's activations; backward walks them in reverse, overwriting
// grads(). The objective (GraphObjective) is a list of terms, each with its own value:
//   recon  MSE or BCE-from-logits (the last layer before any trailing reshape/flatten must
//          then be sigmoid: backward starts at its logits), reduced as the mean over all d*B entries (Keras/PyTorch default) or
//          as the sum over each sample's d entries averaged over the batch (nats per image,
//          what the VAE's ELBO needs);
//   kl     the Gaussian code's KL(q(z|x) || N(0, I)) per sample averaged over the batch,
//          weighted by beta (beta-VAE); present when the graph has a Gaussian code.
//   total = recon + beta * kl.  The VAE's eps (k x B) comes from the caller's RNG
//   (sample_eps); without eps the code is its mean (deterministic evaluation).
// Why: the models of the course and the papers after the dense AE (conv AE, VAE, conv VAE)
// differ in the layer graph, not only in the loss; one graph keeps a single code path for
// optimizers (one vector), checkpoints (one write) and gradient checks (one loop).
// No I/O, no threads; bad shapes and strings throw aelab::Error with the layer named.
//
// Architecture strings (parse_arch): layer tokens separated by ',' or by one '|', which also
// marks the end of the encoder (spaces around tokens are ignored):
//   c<F>k<K>[s<S>][same|valid][-<act>]        conv2d, F filters, K x K kernel, stride S
//                                             (default 1), padding (default same)
//   t<F>k<K>[s<S>][same|valid][o<P>][-<act>]  transposed conv2d, output padding P < S
//   p<K>[s<S>][valid|same]                    max-pooling, stride default K, VALID default
//   u<N>                                      nearest upsampling by N
//   d<N>[-<act>]                              dense, N units (flattens its input)
//   g<K>                                      Gaussian code of K dims (mean and log-variance
//                                             heads); the encoder's last layer: it ends
//                                             the encoder, and a '|' may only follow it
//   kp<N>[-softplus|-sigmoid][[TF]]           KernelML power form, N units:
//                                             y = s(alpha (W x + b)) ^ beta (s default softplus)
//   km<N>[-<act>][[TF]]                       KernelML mean-coupled form, N units:
//                                             y = act(W x + b - beta alpha mean_j(W x + b)_j / 2)
//        TF: alpha=<t>,beta=<t> (either or both, any order) with <t> one of none, softplus,
//        exp, sig(<lo>,<hi>): the constraint transform of that parameter (layers.hpp).
//        Defaults: kp alpha=none, beta=softplus; km alpha=none, beta=none. kp's beta must
//        be positive or none. Commas inside [...] and (...) do not split layers, e.g.
//        kp16-softplus[alpha=exp,beta=sig(0.5,3)],km4-tanh[alpha=sig(0,2)]|d30
//        The canonical string lists only the transforms that differ from the defaults.
//   r<C>x<H>x<W>                              reshape to C x H x W;  flatten
//   <act>                                     an activation alone (linear, sigmoid, tanh,
//                                             relu, leaky_relu, elu, selu, softplus)
// Limits: <= 64 layers, filters/units <= 65536, kernel <= 32, stride and factor <= 16 (a
// pooling stride up to its window),
// at most 2e8 parameters and 2^24 values per sample in any layer.
// The course's conv AE (Geron, ch. 17: 28 -> 14 -> 7 -> 3 -> 7 -> 14 -> 28):
//   r1x28x28,c16k3same-selu,p2,c32k3same-selu,p2,c64k3same-selu,p2|
//   t32k3s2valid-selu,t16k3s2same-selu,t1k3s2same-sigmoid,flatten      (kCourseConvAE)
// Without '|' the encoder ends after the Gaussian code, or else after the first layer of
// smallest output size (the bottleneck: 784-500-2-500-784 splits at the 2).
// Usage:
//   Graph<float> g(Shape{784, 1, 1}, parse_arch(kCourseConvAE));  g.init_params(seed);
//   GraphObjective obj;  obj.loss = ReconLoss::BCE;
//   GraphLossParts l = g.forward_backward(X, X, obj);   // grads() = d(total)/d(params)
//   VAE: MatT<float> eps; g.sample_eps(rng, X.cols(), eps); g.forward_backward(X, X, obj, &eps);
//   g.encode(X, Z);  g.decode(Z, Xhat);   // mean codes, chunked
#pragma once

#include "aelab/autoencoder.hpp"
#include "aelab/layers.hpp"

#include <memory>
#include <string>
#include <vector>

namespace aelab {

// A parsed architecture string: the layers and where the encoder ends (-1: not marked).
struct ArchSpec {
    std::vector<LayerSpec> layers;
    int encoder_end = -1;  // number of encoder layers when '|' was given
    std::string str() const;  // canonical string (parse_arch(str()) gives the same spec)
};

// Throws aelab::Error naming the offending token and what was expected.
ArchSpec parse_arch(const std::string& arch);

// The course's convolutional autoencoder (see the header comment), input 784 x 1 x 1.
extern const char* const kCourseConvAE;
// Keras' convolutional VAE (conv 32, 64 stride 2, dense 16, a 2-D Gaussian code; dense 3136,
// transposed conv 64, 32 stride 2, 1 with a sigmoid), input 784 x 1 x 1:
//   r1x28x28,c32k3s2-relu,c64k3s2-relu,d16-relu,g2|d3136-relu,r64x7x7,t64k3s2-relu,
//   t32k3s2-relu,t1k3-sigmoid,flatten
extern const char* const kConvVAE;
// A dense VAE mirrored around a k-dimensional Gaussian code: hidden widths h1..hn with
// activation act, decoder hn..h1 then `out` sigmoid units, e.g. the seed-003 paper's
// mirrored_vae_arch({500, 500}, 2, ELU, 784) =
//   "d500-elu,d500-elu,g2|d500-elu,d500-elu,d784-sigmoid".
// Number of parameters of Graph(input, arch), computed from the layers' shapes without
// allocating the parameter buffer; throws what the constructor would throw.
Index graph_param_count(const Shape& input, const ArchSpec& arch);
// The same walk, with the output shape (an autoencoder's output must have its input's size).
struct GraphSizes {
    Index params = 0;
    Shape output;
};
GraphSizes graph_sizes(const Shape& input, const ArchSpec& arch);

std::string mirrored_vae_arch(const std::vector<int>& hidden, int k, Activation act, Index out);

struct GraphObjective {
    ReconLoss loss = ReconLoss::MSE;
    bool sum_per_sample = false;  // recon summed over each sample's entries (ELBO in nats)
    double beta = 1.0;            // weight of the KL term (Gaussian code only)
    void validate() const;
};

struct GraphLossParts {
    double total = 0;  // recon + beta * kl: what the optimizer minimizes
    double recon = 0;  // reconstruction loss, reduced as the objective says
    double mse = 0;    // mean squared error over all entries, always
    double kl = 0;     // KL per sample (0 without a Gaussian code)
};

template <class T> class Graph {
public:
    Graph(const Shape& input, const ArchSpec& arch);
    Graph(const Graph& o);
    Graph& operator=(const Graph& o);
    Graph(Graph&&) = default;
    Graph& operator=(Graph&&) = default;

    const Shape& input_shape() const { return in_; }
    const Shape& output_shape() const { return layers_.back()->out_shape(); }
    const Shape& code_shape() const { return layers_[n_enc_ - 1]->out_shape(); }
    int num_layers() const { return static_cast<int>(layers_.size()); }
    int encoder_layers() const { return n_enc_; }
    const Layer<T>& layer(int i) const { return *layers_[i]; }
    Index offset(int i) const { return off_[i]; }
    // The Gaussian code layer, or nullptr (a plain autoencoder).
    GaussianCode<T>* gaussian() { return gauss_ < 0 ? nullptr : static_cast<GaussianCode<T>*>(layers_[gauss_].get()); }
    const GaussianCode<T>* gaussian() const {
        return gauss_ < 0 ? nullptr : static_cast<const GaussianCode<T>*>(layers_[gauss_].get());
    }
    std::string arch_string() const { return arch_.str(); }
    // The extra parameters of the parametric layers (kp, km) in buffer order, named
    // "layer<i>.alpha" / "layer<i>.beta" (i from 1), with their raw and constrained values.
    std::vector<ExtraParam> extra_params() const {
        std::vector<ExtraParam> out;
        for (int i = 0; i < num_layers(); ++i)
            for (ExtraParam e : layers_[i]->extra_params(params_.data() + off_[i])) {
                e.name = "layer" + std::to_string(i + 1) + "." + e.name;
                out.push_back(e);
            }
        return out;
    }
    // The activation of the output layer (the last one before trailing reshapes/flattens).
    Activation output_activation() const { return layers_[out_layer_]->activation(); }

    Index num_params() const { return params_.size(); }
    VecT<T>& params() { return params_; }
    const VecT<T>& params() const { return params_; }
    VecT<T>& grads() { return grads_; }
    const VecT<T>& grads() const { return grads_; }

    // Each layer's rule (layers.hpp), one PCG32 stream (seed, 0x5eed) through the layers in
    // order: the dense Autoencoder's init_params for dense graphs.
    void init_params(std::uint64_t seed);
    // eps (k x B) of N(0, 1) entries from rng, column by column (only with a Gaussian code).
    void sample_eps(Rng& rng, Index B, MatT<T>& eps) const;

    // All layers on X (input.size() x B); eps for the Gaussian code (nullptr: mean code).
    const MatT<T>& forward(const Eigen::Ref<const MatT<T>>& X, const MatT<T>* eps = nullptr);
    const MatT<T>& output() const { return layers_.back()->output(); }
    // grads() = d/dparams of <dOut, output> + beta_kl * kl, after forward(X, ...) with the
    // same X. dOut is d/d(output), or d/d(output layer's logits) when dout_is_preact.
    void backward(const Eigen::Ref<const MatT<T>>& X, const Eigen::Ref<const MatT<T>>& dOut,
                  bool dout_is_preact = false, double beta_kl = 0.0);

    // Objective on one batch; forward_backward also leaves its gradient in grads().
    GraphLossParts forward_loss(const Eigen::Ref<const MatT<T>>& Xin, const Eigen::Ref<const MatT<T>>& Xtarget,
                                const GraphObjective& obj, const MatT<T>* eps = nullptr);
    GraphLossParts forward_backward(const Eigen::Ref<const MatT<T>>& Xin, const Eigen::Ref<const MatT<T>>& Xtarget,
                                    const GraphObjective& obj, const MatT<T>* eps = nullptr);

    // Mean codes (code.size() x N), decoder outputs (output.size() x N), reconstructions;
    // N any size, in chunks of `chunk` columns.
    void encode(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z, Index chunk = 256);
    void decode(const Eigen::Ref<const MatT<T>>& Z, MatT<T>& Xhat, Index chunk = 256);
    void reconstruct(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Xhat, Index chunk = 256);

    // Throws aelab::Error when obj does not fit this graph (BCE needs a sigmoid output).
    void check_objective(const GraphObjective& obj) const;

private:
    const MatT<T>& forward_range(int first, int last, const Eigen::Ref<const MatT<T>>& X, const MatT<T>* eps);

    Shape in_;
    ArchSpec arch_;
    std::vector<std::unique_ptr<Layer<T>>> layers_;
    std::vector<Index> off_;
    int n_enc_ = 0, gauss_ = -1;
    int out_layer_ = 0;  // the last layer that is not a reshape/flatten (output activation)
    int first_param_layer_ = 0;  // backward computes input gradients only above it
    VecT<T> params_, grads_;
    MatT<T> dA_, dB_, dOut_;  // backward workspaces
};

extern template class Graph<float>;
extern template class Graph<double>;

}  // namespace aelab
