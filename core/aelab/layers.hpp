// aelab/layers.hpp — the layers of a layer graph (aelab/graph.hpp), each a forward/backward pair.
//
// What: dense, 2-D convolution, transposed 2-D convolution, max-pooling, nearest
// upsampling, reshape/flatten, a standalone activation, the VAE's Gaussian code, and
// KernelML's parametric dense layers (below). Every
// layer maps a batch X (in.size() x B, one sample per column) to Y (out.size() x B).
// Image layout, NCHW per column: a sample of shape C x H x W is one column of C*H*W values,
// channel-major, entry (c, y, x) at row (c*H + y)*W + x (PyTorch's NCHW of one image).
// Parameter layouts inside the layer's slice of the graph's flat buffer (column-major):
//   Dense(n)            W (n x in) then b (n)            — the dense Autoencoder's layout
//   Conv2D(F, k)        K (C*k*k x F) then b (F)         — PyTorch's weight (F, C, k, k)
//   ConvTranspose2D(F)  K (F*k*k x C) then b (F)         — PyTorch's weight (C, F, k, k)
//   GaussianCode(k)     W (2k x in) then b (2k); rows 0..k-1 are the mean head, k..2k-1
//                       the log-variance head
//   KPower(n), KMean(n) W (n x in), b (n), then the raw alpha u_a and the raw beta u_b
//                       (2 scalars; the layer uses alpha = T_a(u_a), beta = T_b(u_b))
// KernelML's parametric dense layers (n units; A = W X + b is n x B; alpha, beta scalars of
// the layer that enter non-linearly, so dY/dW depends on them and they on each other):
//   KPower  power form      Y = s(alpha * A) ^ beta, elementwise, s = softplus or sigmoid
//                           (a positive base: a negative base with a real power is undefined).
//                           beta > 0: with beta's transform `none` a forward with beta <= 0
//                           throws; s is floored at 1e-30 (s^beta and its derivatives stay
//                           finite; the floored part has derivative 0). No fused activation:
//                           output_activation() is linear, so BCE-from-logits refuses it as
//                           the output layer.
//   KMean   mean-coupled    Z = A - 0.5 * beta * alpha * m, m = mean_j A_j (1 x B, the mean
//                           over the layer's units of each sample), then the optional fused
//                           activation Y = f(Z) as for dense.
//   Dense is the trivial case (no extra parameters; KPower with alpha = beta = 1 is
//   s(W X + b), a dense layer with activation s).
// Constraint transforms T (ParamTransform), one per extra parameter; the optimizer sees the
// raw u, the layer uses T(u):
//   none      T(u) = u
//   softplus  T(u) = log(1 + e^u)                > 0 (0 only by underflow, u < -745)
//   exp       T(u) = e^min(max(u, -80), 80)      > 0 (clamped: no inf; derivative 0 outside)
//   sig(L,H)  T(u) = L + (H - L) * sigmoid(u)    in (L, H) (L < H, both finite, |.| <= 1e6)
// Initial values alpha = beta = 1 in constrained space (u = T^-1(1)); for sig(L,H) without 1
// inside (L, H) the midpoint (u = 0).
// Geometry follows Keras/TensorFlow:
//   Conv2D        VALID: Ho = floor((H - k)/s) + 1;  SAME: Ho = ceil(H/s), padding
//                 total = max((Ho-1)s + k - H, 0), the smaller half before (top/left).
//   Transposed    the adjoint (gradient) of that convolution: VALID: Ho = (H-1)s + k + op;
//                 SAME: Ho = H*s without output padding, (H-1)s + k - 2*floor(k/2) + op with
//                 it; padding before = max((H-1)s + k - Ho, 0)/2. Course: 3 -> 7 (k3 s2
//                 VALID), 7 -> 14 and 14 -> 28 (k3 s2 SAME).
//   MaxPool2D     window k, stride s (default k); VALID: 7 -> 3 for k2; SAME: ceil(H/s),
//                 windows clipped at the border. The argmax of each window is kept for
//                 backward (the first maximum wins ties).
// Convolutions run as one GEMM per batch through kernels::gemm (simd128 in WASM, OpenBLAS
// natively): im2col builds a (Ho*Wo*B) x (C*k*k) patch matrix, the product gives a
// (Ho*Wo*B) x F matrix which is rearranged into NCHW columns; the transposed convolution is
// the same product read backwards (col2im scatter-adds the patches).
// Why fused activations: conv/dense layers carry an activation (Keras' `activation=`),
// cached as pre-activation Z and output Y, so that BCE from logits can start backward at Z.
// Conventions: backward ACCUMULATES parameter gradients (g += ...) and OVERWRITES dX; X
// passed to backward must be the X of the last forward. No I/O, no threads.
// Usage (alone, as the unit tests do; normally Graph owns layers):
//   auto L = make_layer<double>(spec, Shape{1, 28, 28});
//   VecD p(L->num_params()), g = VecD::Zero(L->num_params()); Rng r(1); L->init_params(p.data(), r);
//   L->forward(p.data(), X);  L->output();  L->backward(p.data(), X, dY, g.data(), &dX);
#pragma once

#include "aelab/activations.hpp"
#include "aelab/common.hpp"

#include <memory>
#include <string>
#include <vector>

namespace aelab {

// The shape of one sample: C x H x W (a plain vector of d values is d x 1 x 1).
struct Shape {
    Index c = 1, h = 1, w = 1;
    Index size() const { return c * h * w; }
    bool operator==(const Shape& o) const { return c == o.c && h == o.h && w == o.w; }
    bool operator!=(const Shape& o) const { return !(*this == o); }
    std::string str() const;  // "1x28x28"
};

enum class LayerKind { Dense, Conv2D, ConvTranspose2D, MaxPool2D, Upsample2D, Reshape, Act, GaussianCode, KPower, KMean };
enum class Padding { Same, Valid };

const char* layer_kind_name(LayerKind k);  // "dense", "conv2d", "conv2d_transpose", ...

// A constraint transform of one extra parameter (see the header comment): value = T(raw).
struct ParamTransform {
    enum Kind { None, Softplus, Exp, Sigmoid } kind = None;
    double lo = 0, hi = 1;  // Sigmoid only
    double value(double u) const;  // T(u), finite for every finite u
    double deriv(double u) const;  // dT/du
    double raw(double v) const;    // T^-1(v) for the initial value (see the header comment)
    bool positive() const;         // T(u) >= 0 for every u (softplus, exp, sig with lo >= 0)
    std::string str() const;       // "none", "softplus", "exp", "sig(0,2)"
    bool operator==(const ParamTransform& o) const { return kind == o.kind && lo == o.lo && hi == o.hi; }
};
// Parses "none" | "softplus" | "exp" | "sig(L,H)"; throws aelab::Error naming `what`.
ParamTransform parse_param_transform(const std::string& s, const std::string& what);

// One extra parameter of a parametric layer, for printing: graph-wide name "layer2.alpha".
struct ExtraParam {
    std::string name;       // "alpha" from a layer, "layer2.alpha" from Graph::extra_params()
    std::string transform;  // ParamTransform::str()
    double raw = 0;         // u, what the optimizer sees
    double value = 0;       // T(u), what the layer uses
};

// What a layer is, independent of its input shape (the architecture parser's output).
struct LayerSpec {
    LayerKind kind = LayerKind::Dense;
    int units = 0;               // dense units, conv / transposed-conv filters, Gaussian code size
    int kernel = 3;              // conv / transposed conv / pool window (square)
    int stride = 1;              // conv / transposed conv / pool (0 for pool: = kernel)
    Padding padding = Padding::Same;
    int output_padding = -1;     // transposed conv only; -1 = none (Keras' default)
    int factor = 2;              // upsampling
    Shape shape;                 // reshape target (flatten: c = 0, meaning "all in one vector")
    Activation act = Activation::Identity;
    Activation base = Activation::Softplus;  // KPower only: the positive s (softplus, sigmoid)
    ParamTransform alpha_tf, beta_tf;         // KPower / KMean only (KPower default beta: softplus)
    std::string str() const;     // the canonical architecture token (graph.hpp's grammar)
};

// Geometry shared by convolution and its transpose: an image c x h x w seen through
// k x k windows at stride s with `pt`/`pl` padding before, giving ho x wo window positions.
struct ConvGeom {
    Index c = 1, h = 1, w = 1;   // image (conv input, transposed-conv output)
    Index k = 1, s = 1, pt = 0, pl = 0;
    Index ho = 1, wo = 1;        // positions (conv output, transposed-conv input)
};
// Throws aelab::Error when the output would be empty (e.g. VALID with k > H).
ConvGeom conv_geometry(const Shape& in, int kernel, int stride, Padding pad);
// The transposed convolution from `in` (C x H x W) to `filters` channels.
ConvGeom conv_transpose_geometry(const Shape& in, int filters, int kernel, int stride, Padding pad,
                                 int output_padding);

namespace conv {
// colT ((g.ho*g.wo*B) x (g.c*k*k)): row p + P*j, column (ci*k + ky)*k + kx holds image j's
// value at (ci, oy*s - pt + ky, ox*s - pl + kx) (0 outside), p = oy*wo + ox. X: column j of
// g.c*g.h*g.w values (leading dimension ldx).
template <class T> void im2col(const ConvGeom& g, const T* X, Index ldx, Index B, MatT<T>& colT);
// The adjoint: X (zeroed or not by the caller) += scatter of colT's patches.
template <class T> void col2im(const ConvGeom& g, const MatT<T>& colT, Index B, T* X, Index ldx);
}  // namespace conv

template <class T> class Layer {
public:
    virtual ~Layer() = default;
    virtual std::unique_ptr<Layer<T>> clone() const = 0;

    const LayerSpec& spec() const { return spec_; }
    LayerKind kind() const { return spec_.kind; }
    const Shape& in_shape() const { return in_; }
    const Shape& out_shape() const { return out_; }
    Index num_params() const { return n_params_; }
    Activation activation() const { return spec_.act; }

    // The extra (non-linear) parameters of a parametric layer read from its slice p, in
    // layout order; empty for every other layer.
    virtual std::vector<ExtraParam> extra_params(const T* p) const {
        (void)p;
        return {};
    }

    // Deterministic initial weights into p (this layer's slice), drawing from rng: Glorot
    // uniform for linear/sigmoid/tanh/softplus, He normal for the ReLU family, LeCun normal
    // for SELU (fans as Keras computes them from the kernel shape); biases zero.
    virtual void init_params(T* p, Rng& rng) const;

    // Y = f(linear(X)); X is in.size() x B. Caches what backward needs.
    void forward(const T* p, const Eigen::Ref<const MatT<T>>& X);
    const MatT<T>& output() const { return spec_.act == Activation::Identity ? Z_ : Y_; }
    const MatT<T>& preactivation() const { return Z_; }
    // dY = dLoss/dY (out.size() x B), or dLoss/dZ when dY_is_preact (BCE from logits).
    // g += dLoss/dp (this layer's slice); dX = dLoss/dX when dX != nullptr.
    void backward(const T* p, const Eigen::Ref<const MatT<T>>& X, const Eigen::Ref<const MatT<T>>& dY, T* g,
                  MatT<T>* dX, bool dY_is_preact = false);

protected:
    Layer(const LayerSpec& s, const Shape& in) : spec_(s), in_(in) {}
    virtual void forward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) = 0;
    virtual void backward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, const MatT<T>& dZ, T* g,
                                 MatT<T>* dX) = 0;
    // Sets num_params() from a count computed in double (Index is 32 bits in WASM), throwing
    // "model too large" beyond 2e8.
    void set_num_params(double n);
    // Weights of fan (fan_in, fan_out) at p[0..n) by the rule of spec_.act.
    void init_weights(T* p, Index n, double fan_in, double fan_out, Rng& rng) const;

    LayerSpec spec_;
    Shape in_, out_;
    Index n_params_ = 0;
    MatT<T> Z_, Y_, dZ_;
    VecT<T> zeros_;  // zero bias for the fused activation kernel
};

// The VAE's Gaussian code: heads mu = W_mu X + b_mu and logvar = W_lv X + b_lv (k x B),
// output z = mu + exp(logvar/2) .* eps with eps (k x B) supplied by the caller's RNG, or
// z = mu (the deterministic mean code) when no eps is set. Its KL term
//   KL(q(z|x) || N(0, I)) = 1/2 sum_i (mu_i^2 + exp(lv_i) - 1 - lv_i)   per sample,
// averaged over the batch (nats per sample), joins backward with weight kl_weight.
template <class T> class GaussianCode : public Layer<T> {
public:
    GaussianCode(const LayerSpec& s, const Shape& in);
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<GaussianCode<T>>(*this); }
    void init_params(T* p, Rng& rng) const override;
    // eps for the next forward (k x B, copied), or nullptr for the mean code.
    void set_eps(const MatT<T>* eps);
    bool sampling() const { return sample_; }
    // Weight of the KL term in the next backward (the graph sets beta; 0 = recon only).
    void set_kl_weight(double w) { kl_weight_ = w; }
    double kl() const;  // mean over the batch of the last forward, nats per sample
    const MatT<T>& mean() const { return mu_; }     // k x B, of the last forward
    const MatT<T>& logvar() const { return lv_; }   // k x B

protected:
    void forward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) override;
    void backward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, const MatT<T>& dZ, T* g,
                         MatT<T>* dX) override;

private:
    MatT<T> H_, mu_, lv_, sigma_, eps_, dH_;
    bool sample_ = false;
    double kl_weight_ = 0;
};

// A layer of `spec` on inputs of shape `in`; throws aelab::Error on a shape it cannot take
// (reshape to another size, a window larger than the image, ...), naming the layer.
template <class T> std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec, const Shape& in);

}  // namespace aelab
