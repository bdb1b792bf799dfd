// graph.cpp — Graph<T>: layer offsets in one flat buffer, forward/backward over the
// sequence, the objective's terms (reconstruction, KL) and chunked encode/decode.
#include "aelab/graph.hpp"

#include <algorithm>

namespace aelab {

void GraphObjective::validate() const {
    AELAB_REQUIRE(std::isfinite(beta) && beta >= 0 && beta <= 1e6,
                  "beta (the KL weight) must be in [0, 1e6], got " + std::to_string(beta));
}

namespace {
// C*H*W computed in double: Index is 32 bits in WASM, and C, H, W up to 2^24 each would wrap.
void check_input_shape(const Shape& input) {
    AELAB_REQUIRE(input.c >= 1 && input.h >= 1 && input.w >= 1 &&
                      double(input.c) * double(input.h) * double(input.w) <= double(Index(1) << 24),
                  "graph input shape " + input.str() + " is empty or too large");
}
// The Gaussian code samples the code itself: it must be the encoder's last layer.
void check_gaussian_ends_encoder(const ArchSpec& arch) {
    if (arch.encoder_end < 0) return;  // the encoder then ends at the Gaussian code
    for (int i = 0; i < int(arch.layers.size()); ++i)
        if (arch.layers[i].kind == LayerKind::GaussianCode) {
            AELAB_REQUIRE(i < arch.encoder_end, "the Gaussian code must be in the encoder (before '|')");
            AELAB_REQUIRE(i == arch.encoder_end - 1, "the Gaussian code '" + arch.layers[i].str() +
                                                         "' must be the encoder's last layer (just before '|')");
        }
}
}  // namespace

Index graph_param_count(const Shape& input, const ArchSpec& arch) { return graph_sizes(input, arch).params; }

GraphSizes graph_sizes(const Shape& input, const ArchSpec& arch) {
    check_input_shape(input);
    AELAB_REQUIRE(!arch.layers.empty(), "a graph needs at least one layer");
    check_gaussian_ends_encoder(arch);
    Shape cur = input;
    double n_par = 0;
    for (size_t i = 0; i < arch.layers.size(); ++i) {
        auto L = make_layer<float>(arch.layers[i], cur);
        cur = L->out_shape();
        AELAB_REQUIRE(double(cur.c) * double(cur.h) * double(cur.w) <= double(Index(1) << 24),
                      "layer " + std::to_string(i + 1) + " '" + arch.layers[i].str() + "' outputs " + cur.str() +
                          " per sample (more than 2^24 values)");
        n_par += double(L->num_params());
        AELAB_REQUIRE(n_par <= 2e8, "model too large: more than 2e8 parameters at layer " + std::to_string(i + 1) +
                                        " '" + arch.layers[i].str() + "'");
    }
    return GraphSizes{Index(n_par), cur};
}

template <class T> Graph<T>::Graph(const Shape& input, const ArchSpec& arch) : in_(input), arch_(arch) {
    check_input_shape(input);
    AELAB_REQUIRE(!arch.layers.empty(), "a graph needs at least one layer");
    check_gaussian_ends_encoder(arch);
    const int n = static_cast<int>(arch.layers.size());
    Shape cur = input;
    Index off = 0;
    double n_par = 0;
    for (int i = 0; i < n; ++i) {
        layers_.push_back(make_layer<T>(arch.layers[i], cur));
        const Layer<T>& L = *layers_.back();
        cur = L.out_shape();
        AELAB_REQUIRE(double(cur.c) * double(cur.h) * double(cur.w) <= double(Index(1) << 24),
                      "layer " + std::to_string(i + 1) + " '" + arch.layers[i].str() + "' outputs " + cur.str() +
                          " per sample (more than 2^24 values)");
        n_par += double(L.num_params());
        AELAB_REQUIRE(n_par <= 2e8, "model too large: more than 2e8 parameters at layer " + std::to_string(i + 1) +
                                        " '" + arch.layers[i].str() + "'");
        off_.push_back(off);
        off += L.num_params();
        if (arch.layers[i].kind == LayerKind::GaussianCode) {
            AELAB_REQUIRE(gauss_ < 0, "a graph has at most one Gaussian code (layers " + std::to_string(gauss_ + 1) +
                                          " and " + std::to_string(i + 1) + ")");
            gauss_ = i;
        }
    }
    if (arch.encoder_end >= 0) {
        AELAB_REQUIRE(arch.encoder_end >= 1 && arch.encoder_end < n,
                      "the encoder marker '|' must have layers on both sides");
        n_enc_ = arch.encoder_end;
        AELAB_REQUIRE(gauss_ < n_enc_, "the Gaussian code must be in the encoder (before '|')");
    } else if (gauss_ >= 0) {
        n_enc_ = gauss_ + 1;
    } else {  // the bottleneck: the first layer of smallest output
        n_enc_ = 1;
        for (int i = 1; i < n; ++i)
            if (layers_[i]->out_shape().size() < layers_[n_enc_ - 1]->out_shape().size()) n_enc_ = i + 1;
    }
    // Trailing reshapes/flattens only relabel values: the output activation (and BCE's
    // logits) belong to the last layer before them.
    first_param_layer_ = n - 1;
    for (int i = n - 1; i >= 0; --i)
        if (layers_[i]->num_params() > 0) first_param_layer_ = i;
    out_layer_ = n - 1;
    while (out_layer_ > 0 && arch.layers[out_layer_].kind == LayerKind::Reshape) --out_layer_;
    params_ = VecT<T>::Zero(off);
    grads_ = VecT<T>::Zero(off);
}

template <class T>
Graph<T>::Graph(const Graph& o)
    : in_(o.in_), arch_(o.arch_), off_(o.off_), n_enc_(o.n_enc_), gauss_(o.gauss_), out_layer_(o.out_layer_),
      first_param_layer_(o.first_param_layer_),
      params_(o.params_),
      grads_(o.grads_) {
    for (const auto& L : o.layers_) layers_.push_back(L->clone());
}

template <class T> Graph<T>& Graph<T>::operator=(const Graph& o) {
    if (this != &o) {
        Graph tmp(o);
        *this = std::move(tmp);
    }
    return *this;
}

template <class T> void Graph<T>::init_params(std::uint64_t seed) {
    Rng rng(seed, 0x5eed);
    params_.setZero();
    for (int i = 0; i < num_layers(); ++i) layers_[i]->init_params(params_.data() + off_[i], rng);
    grads_.setZero();
}

template <class T> void Graph<T>::sample_eps(Rng& rng, Index B, MatT<T>& eps) const {
    AELAB_REQUIRE(gauss_ >= 0, "sample_eps: the graph has no Gaussian code");
    AELAB_REQUIRE(B >= 1, "sample_eps: empty batch");
    eps.resize(layers_[gauss_]->out_shape().size(), B);
    rng.fill_normal(eps, 1.0);
}

template <class T>
const MatT<T>& Graph<T>::forward_range(int first, int last, const Eigen::Ref<const MatT<T>>& X, const MatT<T>* eps) {
    const bool has_gauss = gauss_ >= first && gauss_ < last;
    AELAB_REQUIRE(eps == nullptr || has_gauss, "eps given but the layers run have no Gaussian code");
    if (has_gauss) gaussian()->set_eps(eps);
    for (int i = first; i < last; ++i) {
        if (i == first) layers_[i]->forward(params_.data() + off_[i], X);
        else layers_[i]->forward(params_.data() + off_[i], layers_[i - 1]->output());
    }
    return layers_[last - 1]->output();
}

template <class T> const MatT<T>& Graph<T>::forward(const Eigen::Ref<const MatT<T>>& X, const MatT<T>* eps) {
    AELAB_REQUIRE(X.rows() == in_.size(), "graph input has " + std::to_string(X.rows()) + " rows, the model expects " +
                                              std::to_string(in_.size()) + " (" + in_.str() + ")");
    return forward_range(0, num_layers(), X, eps);
}

template <class T>
void Graph<T>::backward(const Eigen::Ref<const MatT<T>>& X, const Eigen::Ref<const MatT<T>>& dOut, bool preact,
                        double beta_kl) {
    AELAB_REQUIRE(dOut.rows() == output_shape().size() && dOut.cols() == output().cols(),
                  "graph backward: the output gradient's shape does not match the last forward");
    if (gauss_ >= 0) gaussian()->set_kl_weight(beta_kl);
    grads_.setZero();
    MatT<T>* next = &dA_;
    MatT<T>* spare = &dB_;
    const int n = num_layers();
    // Layers below the first one with parameters need no gradient at all: stop there.
    for (int i = n - 1; i >= first_param_layer_; --i) {
        Layer<T>& L = *layers_[i];
        T* g = grads_.data() + off_[i];
        const T* p = params_.data() + off_[i];
        MatT<T>* dX = i > first_param_layer_ ? next : nullptr;
        const bool at_logits = preact && i == out_layer_;
        if (i == 0) {
            if (n == 1) L.backward(p, X, dOut, g, dX, at_logits);
            else L.backward(p, X, *spare, g, dX, at_logits);
        } else {
            const MatT<T>& Xi = layers_[i - 1]->output();
            if (i == n - 1) L.backward(p, Xi, dOut, g, dX, at_logits);
            else L.backward(p, Xi, *spare, g, dX, at_logits);
        }
        std::swap(next, spare);  // spare now holds dLoss/d(output of layer i-1)
    }
    if (gauss_ >= 0) gaussian()->set_kl_weight(0);
}

template <class T> void Graph<T>::check_objective(const GraphObjective& obj) const {
    obj.validate();
    if (obj.loss == ReconLoss::BCE)
        AELAB_REQUIRE(layers_[out_layer_]->activation() == Activation::Sigmoid,
                      "loss bce needs a sigmoid output layer (it is computed from its logits), got '" +
                          layers_[out_layer_]->spec().str() + "'");
}

template <class T>
GraphLossParts Graph<T>::forward_loss(const Eigen::Ref<const MatT<T>>& Xin, const Eigen::Ref<const MatT<T>>& Xt,
                                      const GraphObjective& obj, const MatT<T>* eps) {
    check_objective(obj);
    AELAB_REQUIRE(Xt.rows() == output_shape().size(), "target has " + std::to_string(Xt.rows()) +
                                                          " rows, the model outputs " +
                                                          std::to_string(output_shape().size()));
    AELAB_REQUIRE(Xin.cols() == Xt.cols() && Xin.cols() > 0, "input and target batches differ in size or are empty");
    const MatT<T>& Y = forward(Xin, eps);
    const double entries = double(Xt.rows()) * double(Xt.cols());
    const double div = obj.sum_per_sample ? double(Xt.cols()) : entries;
    GraphLossParts p;
    const double sq = (Y - Xt).colwise().squaredNorm().template cast<double>().sum();
    p.mse = sq / entries;
    if (obj.loss == ReconLoss::MSE) {
        p.recon = sq / div;
    } else {  // softplus(z) - x z = max(z, 0) - x z + log1p(exp(-|z|))
        // the logits in the output's order (trailing reshapes keep the values' order)
        auto z = layers_[out_layer_]->preactivation().array();
        p.recon = (z.max(T(0)) - Xt.array() * z + (-z.abs()).exp().log1p())
                      .matrix().colwise().sum().template cast<double>().sum() / div;
    }
    p.kl = gauss_ >= 0 ? gaussian()->kl() : 0.0;
    p.total = p.recon + obj.beta * p.kl;
    return p;
}

template <class T>
GraphLossParts Graph<T>::forward_backward(const Eigen::Ref<const MatT<T>>& Xin, const Eigen::Ref<const MatT<T>>& Xt,
                                          const GraphObjective& obj, const MatT<T>* eps) {
    GraphLossParts p = forward_loss(Xin, Xt, obj, eps);
    const double div = obj.sum_per_sample ? double(Xt.cols()) : double(Xt.rows()) * double(Xt.cols());
    const Layer<T>& O = *layers_.back();
    // MSE: 2 (Y - X) / div through the output activation; BCE from logits: (Y - X) / div at
    // the logits (sigmoid's derivative cancels).
    const bool preact = obj.loss == ReconLoss::BCE;
    dOut_.noalias() = (O.output() - Xt) * T((preact ? 1.0 : 2.0) / div);
    backward(Xin, dOut_, preact, obj.beta);
    return p;
}

template <class T> void Graph<T>::encode(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z, Index chunk) {
    AELAB_REQUIRE(X.rows() == in_.size(), "encode: data has " + std::to_string(X.rows()) + " rows, the model expects " +
                                              std::to_string(in_.size()));
    AELAB_REQUIRE(chunk > 0, "encode: chunk must be positive");
    Z.resize(code_shape().size(), X.cols());
    for (Index s = 0; s < X.cols(); s += chunk) {
        const Index n = std::min(chunk, X.cols() - s);
        Z.middleCols(s, n) = forward_range(0, n_enc_, X.middleCols(s, n), nullptr);
    }
}

template <class T> void Graph<T>::decode(const Eigen::Ref<const MatT<T>>& Zc, MatT<T>& Xhat, Index chunk) {
    AELAB_REQUIRE(n_enc_ < num_layers(), "decode: the graph has no decoder");
    AELAB_REQUIRE(Zc.rows() == code_shape().size(), "decode: codes have " + std::to_string(Zc.rows()) +
                                                        " rows, the code has " + std::to_string(code_shape().size()));
    AELAB_REQUIRE(chunk > 0, "decode: chunk must be positive");
    Xhat.resize(output_shape().size(), Zc.cols());
    for (Index s = 0; s < Zc.cols(); s += chunk) {
        const Index n = std::min(chunk, Zc.cols() - s);
        Xhat.middleCols(s, n) = forward_range(n_enc_, num_layers(), Zc.middleCols(s, n), nullptr);
    }
}

template <class T> void Graph<T>::reconstruct(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Xhat, Index chunk) {
    AELAB_REQUIRE(X.rows() == in_.size(), "reconstruct: data has " + std::to_string(X.rows()) +
                                              " rows, the model expects " + std::to_string(in_.size()));
    AELAB_REQUIRE(chunk > 0, "reconstruct: chunk must be positive");
    Xhat.resize(output_shape().size(), X.cols());
    for (Index s = 0; s < X.cols(); s += chunk) {
        const Index n = std::min(chunk, X.cols() - s);
        Xhat.middleCols(s, n) = forward_range(0, num_layers(), X.middleCols(s, n), nullptr);
    }
}

template class Graph<float>;
template class Graph<double>;

}  // namespace aelab
