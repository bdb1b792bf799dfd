// graph_layers.cpp — the Layer base (fused activation, initialisation) and the layers that
// are not convolutions: dense, max-pooling, nearest upsampling, reshape/flatten, a
// standalone activation and the VAE's Gaussian code (see aelab/layers.hpp); KernelML's
// parametric layers are in graph_param_layers.cpp.
#include "conv_layers.hpp"
#include "param_layers.hpp"

#include "aelab/kernels.hpp"

#include <algorithm>
#include <limits>

namespace aelab {

std::string Shape::str() const {
    return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

const char* layer_kind_name(LayerKind k) {
    switch (k) {
        case LayerKind::Dense: return "dense";
        case LayerKind::Conv2D: return "conv2d";
        case LayerKind::ConvTranspose2D: return "conv2d_transpose";
        case LayerKind::MaxPool2D: return "max_pool2d";
        case LayerKind::Upsample2D: return "upsampling2d";
        case LayerKind::Reshape: return "reshape";
        case LayerKind::Act: return "activation";
        case LayerKind::GaussianCode: return "gaussian_code";
        case LayerKind::KPower: return "kernelml_power";
        case LayerKind::KMean: return "kernelml_mean";
    }
    return "?";
}

namespace {
// "[alpha=exp,beta=sig(0,2)]" for the transforms that differ from the kind's defaults
// (KPower: alpha none, beta softplus; KMean: both none), "" when none differs.
std::string transform_suffix(const LayerSpec& s) {
    ParamTransform def_beta;
    if (s.kind == LayerKind::KPower) def_beta.kind = ParamTransform::Softplus;
    std::string o;
    if (!(s.alpha_tf == ParamTransform{})) o += "alpha=" + s.alpha_tf.str();
    if (!(s.beta_tf == def_beta)) o += (o.empty() ? "" : ",") + std::string("beta=") + s.beta_tf.str();
    return o.empty() ? o : "[" + o + "]";
}
}  // namespace

std::string LayerSpec::str() const {
    const std::string pad = padding == Padding::Same ? "same" : "valid";
    const std::string act_suffix = act == Activation::Identity ? "" : std::string("-") + activation_name(act);
    const std::string ks = "k" + std::to_string(kernel) + "s" + std::to_string(stride);
    switch (kind) {
        case LayerKind::Dense: return "d" + std::to_string(units) + act_suffix;
        case LayerKind::Conv2D: return "c" + std::to_string(units) + ks + pad + act_suffix;
        case LayerKind::ConvTranspose2D:
            return "t" + std::to_string(units) + ks + pad +
                   (output_padding >= 0 ? "o" + std::to_string(output_padding) : "") + act_suffix;
        case LayerKind::MaxPool2D:
            return "p" + std::to_string(kernel) + "s" + std::to_string(stride == 0 ? kernel : stride) + pad;
        case LayerKind::Upsample2D: return "u" + std::to_string(factor);
        case LayerKind::Reshape: return shape.c == 0 ? std::string("flatten") : "r" + shape.str();
        case LayerKind::Act: return activation_name(act);
        case LayerKind::GaussianCode: return "g" + std::to_string(units);
        case LayerKind::KPower:
            return "kp" + std::to_string(units) + "-" + activation_name(base) + transform_suffix(*this);
        case LayerKind::KMean: return "km" + std::to_string(units) + act_suffix + transform_suffix(*this);
    }
    return "?";
}

// ---- Layer base --------------------------------------------------------------------------
template <class T> void Layer<T>::init_params(T* p, Rng&) const { std::fill(p, p + n_params_, T(0)); }

template <class T> void Layer<T>::set_num_params(double n) {
    AELAB_REQUIRE(n <= 2e8, "model too large: the layer alone has " + std::to_string(n) + " parameters (max 2e8)");
    n_params_ = static_cast<Index>(n);
}

template <class T> void Layer<T>::init_weights(T* p, Index n, double fan_in, double fan_out, Rng& rng) const {
    Eigen::Map<VecT<T>> W(p, n);
    switch (spec_.act) {
        case Activation::ReLU:
        case Activation::LeakyReLU:
        case Activation::ELU: rng.fill_normal(W, std::sqrt(2.0 / fan_in)); break;
        case Activation::SELU: rng.fill_normal(W, std::sqrt(1.0 / fan_in)); break;
        default: {
            const double lim = std::sqrt(6.0 / (fan_in + fan_out));
            rng.fill_uniform(W, -lim, lim);
        }
    }
}

template <class T> void Layer<T>::forward(const T* p, const Eigen::Ref<const MatT<T>>& X) {
    AELAB_REQUIRE(X.rows() == in_.size(), std::string(layer_kind_name(spec_.kind)) + " " + spec_.str() +
                                              ": input has " + std::to_string(X.rows()) + " rows, expected " +
                                              std::to_string(in_.size()) + " (" + in_.str() + ")");
    AELAB_REQUIRE(X.cols() > 0, spec_.str() + ": empty batch");
    forward_linear(p, X, Z_);
    if (spec_.act == Activation::Identity) return;
    if (zeros_.size() != Z_.rows()) zeros_ = VecT<T>::Zero(Z_.rows());
    Y_.resize(Z_.rows(), Z_.cols());
    kernels::bias_activation<T>(spec_.act, zeros_, Z_, Y_);
}

template <class T>
void Layer<T>::backward(const T* p, const Eigen::Ref<const MatT<T>>& X, const Eigen::Ref<const MatT<T>>& dY, T* g,
                        MatT<T>* dX, bool dY_is_preact) {
    AELAB_REQUIRE(dY.rows() == Z_.rows() && dY.cols() == Z_.cols() && X.cols() == Z_.cols(),
                  spec_.str() + ": backward shapes do not match the last forward");
    if (spec_.act == Activation::Identity || dY_is_preact) {
        dZ_ = dY;
    } else {
        dZ_.resize(Z_.rows(), Z_.cols());
        kernels::activation_grad<T>(spec_.act, Z_, Y_, dY, dZ_);
    }
    backward_linear(p, X, dZ_, g, dX);
}

namespace {

// ---- dense -------------------------------------------------------------------------------
template <class T> class Dense : public Layer<T> {
public:
    Dense(const LayerSpec& s, const Shape& in) : Layer<T>(s, in) {
        AELAB_REQUIRE(s.units >= 1, "dense: needs at least one unit");
        this->out_ = Shape{s.units, 1, 1};
        this->set_num_params(double(s.units) * double(in.size()) + s.units);
    }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Dense<T>>(*this); }
    void init_params(T* p, Rng& rng) const override {
        const Index n = this->spec_.units, d = this->in_.size();
        this->init_weights(p, n * d, double(d), double(n), rng);
        std::fill(p + n * d, p + this->n_params_, T(0));
    }

protected:
    void forward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) override {
        const Index n = this->spec_.units, d = this->in_.size();
        Z.resize(n, X.cols());
        kernels::gemm<T>(false, false, Eigen::Map<const MatT<T>>(p, n, d), X, T(0), Z);
        Z.colwise() += Eigen::Map<const VecT<T>>(p + n * d, n);
    }
    void backward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, const MatT<T>& dZ, T* g,
                         MatT<T>* dX) override {
        const Index n = this->spec_.units, d = this->in_.size();
        Eigen::Map<MatT<T>> dW(g, n, d);
        kernels::gemm<T>(false, true, dZ, X, T(1), dW);
        Eigen::Map<VecT<T>>(g + n * d, n) += dZ.rowwise().sum();
        if (!dX) return;
        dX->resize(d, dZ.cols());
        kernels::gemm<T>(true, false, Eigen::Map<const MatT<T>>(p, n, d), dZ, T(0), *dX);
    }
};

// ---- max-pooling -------------------------------------------------------------------------
template <class T> class MaxPool2D : public Layer<T> {
public:
    MaxPool2D(const LayerSpec& s, const Shape& in) : Layer<T>(s, in) {
        g_ = conv_geometry(in, s.kernel, s.stride == 0 ? s.kernel : s.stride, s.padding);
        this->out_ = Shape{in.c, g_.ho, g_.wo};
    }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<MaxPool2D<T>>(*this); }
    // Row of the input that won each output entry in the last forward (out.size() x B).
    const Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic>& argmax() const { return arg_; }

protected:
    void forward_linear(const T*, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) override {
        const Index B = X.cols(), HW = g_.h * g_.w, P = g_.ho * g_.wo, ld = X.outerStride();
        Z.resize(this->out_.size(), B);
        arg_.resize(this->out_.size(), B);
        if (g_.k == 2 && g_.s == 2 && g_.pt == 0 && g_.pl == 0 && 2 * g_.ho <= g_.h && 2 * g_.wo <= g_.w) {
            forward_2x2(X.data(), ld, B, Z);
            return;
        }
        for (Index j = 0; j < B; ++j)
            for (Index c = 0; c < g_.c; ++c) {
                const T* x = X.data() + j * ld + c * HW;
                T* z = Z.data() + j * Z.rows() + c * P;
                Index* a = arg_.data() + j * arg_.rows() + c * P;
                for (Index oy = 0; oy < g_.ho; ++oy) {
                    const Index y0 = oy * g_.s - g_.pt;
                    const Index ylo = std::max<Index>(y0, 0), yhi = std::min(y0 + g_.k, g_.h);
                    for (Index ox = 0; ox < g_.wo; ++ox) {
                        const Index x0 = ox * g_.s - g_.pl;
                        const Index xlo = std::max<Index>(x0, 0), xhi = std::min(x0 + g_.k, g_.w);
                        // every window holds at least one pixel; the first maximum wins ties
                        Index bi = ylo * g_.w + xlo;
                        T best = x[bi];
                        for (Index iy = ylo; iy < yhi; ++iy)
                            for (Index ix = xlo; ix < xhi; ++ix)
                                if (x[iy * g_.w + ix] > best) {
                                    bi = iy * g_.w + ix;
                                    best = x[bi];
                                }
                        z[oy * g_.wo + ox] = best;
                        a[oy * g_.wo + ox] = c * HW + bi;
                    }
                }
            }
    }
    void backward_linear(const T*, const Eigen::Ref<const MatT<T>>&, const MatT<T>& dZ, T*,
                         MatT<T>* dX) override {
        if (!dX) return;
        dX->setZero(this->in_.size(), dZ.cols());
        for (Index j = 0; j < dZ.cols(); ++j)
            for (Index o = 0; o < dZ.rows(); ++o) (*dX)(arg_(o, j), j) += dZ(o, j);
    }

private:
    // The common 2x2 / stride 2 window without padding (every window inside the image),
    // without the general loop's per-window clipping and branches: the same maxima and argmax
    // for inputs without NaN (the first maximum in row-major order wins ties);
    // tests/unit/test_graph_fast.cpp checks it against a naive loop.
    void forward_2x2(const T* X, Index ld, Index B, MatT<T>& Z) {
        const Index HW = g_.h * g_.w, P = g_.ho * g_.wo, W = g_.w;
        for (Index j = 0; j < B; ++j)
            for (Index c = 0; c < g_.c; ++c) {
                const T* x = X + j * ld + c * HW;
                T* z = Z.data() + j * Z.rows() + c * P;
                Index* a = arg_.data() + j * arg_.rows() + c * P;
                for (Index oy = 0; oy < g_.ho; ++oy) {
                    const T* r0 = x + 2 * oy * W;
                    const T* r1 = r0 + W;
                    const Index base = c * HW + 2 * oy * W;
                    for (Index ox = 0; ox < g_.wo; ++ox) {
                        // Pairwise and branch-free (random data would mispredict branches):
                        // the top pair, the bottom pair, then bottom only if strictly larger.
                        const Index x0 = 2 * ox;
                        const T v0 = r0[x0], v1 = r0[x0 + 1], v2 = r1[x0], v3 = r1[x0 + 1];
                        const T m01 = std::max(v0, v1), m23 = std::max(v2, v3);
                        const Index i01 = base + x0 + Index(v1 > v0);
                        const Index i23 = base + W + x0 + Index(v3 > v2);
                        const Index down = Index(m23 > m01);
                        const T best = std::max(m01, m23);
                        const Index bi = i01 + (i23 - i01) * down;
                        z[oy * g_.wo + ox] = best;
                        a[oy * g_.wo + ox] = bi;
                    }
                }
            }
    }

    ConvGeom g_;
    Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic> arg_;
};

// ---- nearest upsampling ------------------------------------------------------------------
template <class T> class Upsample2D : public Layer<T> {
public:
    Upsample2D(const LayerSpec& s, const Shape& in) : Layer<T>(s, in) {
        AELAB_REQUIRE(s.factor >= 1, "upsampling: factor must be >= 1");
        this->out_ = Shape{in.c, in.h * s.factor, in.w * s.factor};
    }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Upsample2D<T>>(*this); }

protected:
    void forward_linear(const T*, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) override {
        const Index f = this->spec_.factor, H = this->in_.h, W = this->in_.w, Wo = W * f, HWo = H * f * Wo;
        Z.resize(this->out_.size(), X.cols());
        for (Index j = 0; j < X.cols(); ++j)
            for (Index c = 0; c < this->in_.c; ++c)
                for (Index y = 0; y < H * f; ++y)
                    for (Index x = 0; x < Wo; ++x) Z(c * HWo + y * Wo + x, j) = X(c * H * W + (y / f) * W + x / f, j);
    }
    void backward_linear(const T*, const Eigen::Ref<const MatT<T>>&, const MatT<T>& dZ, T*,
                         MatT<T>* dX) override {
        if (!dX) return;
        const Index f = this->spec_.factor, H = this->in_.h, W = this->in_.w, Wo = W * f, HWo = H * f * Wo;
        dX->setZero(this->in_.size(), dZ.cols());
        for (Index j = 0; j < dZ.cols(); ++j)
            for (Index c = 0; c < this->in_.c; ++c)
                for (Index y = 0; y < H * f; ++y)
                    for (Index x = 0; x < Wo; ++x)
                        (*dX)(c * H * W + (y / f) * W + x / f, j) += dZ(c * HWo + y * Wo + x, j);
    }
};

// ---- reshape / flatten / standalone activation: the identity on the values ---------------
template <class T> class PassThrough : public Layer<T> {
public:
    PassThrough(const LayerSpec& s, const Shape& in) : Layer<T>(s, in) {
        if (s.kind == LayerKind::Act) {
            this->out_ = in;
        } else if (s.shape.c == 0) {  // flatten
            this->out_ = Shape{in.size(), 1, 1};
        } else {
            AELAB_REQUIRE(s.shape.c >= 1 && s.shape.h >= 1 && s.shape.w >= 1, "reshape: sizes must be >= 1");
            AELAB_REQUIRE(s.shape.size() == in.size(), "cannot reshape " + in.str() + " (" + std::to_string(in.size()) +
                                                           " values) to " + s.shape.str() + " (" +
                                                           std::to_string(s.shape.size()) + " values)");
            this->out_ = s.shape;
        }
    }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<PassThrough<T>>(*this); }

protected:
    void forward_linear(const T*, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) override { Z = X; }
    void backward_linear(const T*, const Eigen::Ref<const MatT<T>>&, const MatT<T>& dZ, T*,
                         MatT<T>* dX) override {
        if (dX) *dX = dZ;
    }
};

}  // namespace

// ---- the Gaussian code -------------------------------------------------------------------
template <class T> GaussianCode<T>::GaussianCode(const LayerSpec& s, const Shape& in) : Layer<T>(s, in) {
    AELAB_REQUIRE(s.units >= 1, "gaussian code: needs at least one latent dimension");
    AELAB_REQUIRE(s.act == Activation::Identity, "gaussian code: takes no activation (its output is mu + sigma*eps)");
    this->out_ = Shape{s.units, 1, 1};
    this->set_num_params(2.0 * s.units * double(in.size()) + 2.0 * s.units);
}

template <class T> void GaussianCode<T>::init_params(T* p, Rng& rng) const {
    const Index k = this->spec_.units, d = this->in_.size();
    this->init_weights(p, 2 * k * d, double(d), double(k), rng);  // Glorot per head (fan_out k)
    std::fill(p + 2 * k * d, p + this->n_params_, T(0));
}

template <class T> void GaussianCode<T>::set_eps(const MatT<T>* eps) {
    sample_ = eps != nullptr;
    if (eps) {
        AELAB_REQUIRE(eps->rows() == this->spec_.units,
                      "gaussian code: eps has " + std::to_string(eps->rows()) + " rows, the code has " +
                          std::to_string(this->spec_.units) + " dimensions");
        eps_ = *eps;
    }
}

template <class T> double GaussianCode<T>::kl() const {
    if (mu_.size() == 0) return 0;
    auto e = mu_.array().square() + lv_.array().exp() - T(1) - lv_.array();
    return 0.5 * e.matrix().colwise().sum().template cast<double>().sum() / double(mu_.cols());
}

template <class T>
void GaussianCode<T>::forward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) {
    const Index k = this->spec_.units, d = this->in_.size(), B = X.cols();
    AELAB_REQUIRE(!sample_ || eps_.cols() == B, "gaussian code: eps has " + std::to_string(eps_.cols()) +
                                                    " columns, the batch has " + std::to_string(B));
    H_.resize(2 * k, B);
    kernels::gemm<T>(false, false, Eigen::Map<const MatT<T>>(p, 2 * k, d), X, T(0), H_);
    H_.colwise() += Eigen::Map<const VecT<T>>(p + 2 * k * d, 2 * k);
    mu_ = H_.topRows(k);
    lv_ = H_.bottomRows(k);
    sigma_ = (T(0.5) * lv_.array()).exp().matrix();
    if (sample_) Z = (mu_.array() + sigma_.array() * eps_.array()).matrix();
    else Z = mu_;
}

template <class T>
void GaussianCode<T>::backward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, const MatT<T>& dZ, T* g,
                                      MatT<T>* dX) {
    const Index k = this->spec_.units, d = this->in_.size(), B = dZ.cols();
    const T w = T(kl_weight_ / double(B));
    dH_.resize(2 * k, B);
    dH_.topRows(k) = dZ + w * mu_;
    if (sample_) dH_.bottomRows(k) = (dZ.array() * eps_.array() * T(0.5) * sigma_.array()).matrix();
    else dH_.bottomRows(k).setZero();
    if (w != T(0)) dH_.bottomRows(k).array() += (w * T(0.5)) * (lv_.array().exp() - T(1));
    Eigen::Map<MatT<T>> dW(g, 2 * k, d);
    kernels::gemm<T>(false, true, dH_, X, T(1), dW);
    Eigen::Map<VecT<T>>(g + 2 * k * d, 2 * k) += dH_.rowwise().sum();
    if (!dX) return;
    dX->resize(d, B);
    kernels::gemm<T>(true, false, Eigen::Map<const MatT<T>>(p, 2 * k, d), dH_, T(0), *dX);
}

template <class T> std::unique_ptr<Layer<T>> make_layer(const LayerSpec& s, const Shape& in) {
    AELAB_REQUIRE(in.c >= 1 && in.h >= 1 && in.w >= 1, s.str() + ": input shape " + in.str() + " is empty");
    try {
        switch (s.kind) {
            case LayerKind::Dense: return std::make_unique<Dense<T>>(s, in);
            case LayerKind::Conv2D: return detail::make_conv2d<T>(s, in);
            case LayerKind::ConvTranspose2D: return detail::make_conv_transpose2d<T>(s, in);
            case LayerKind::MaxPool2D:
                AELAB_REQUIRE(s.act == Activation::Identity, "max-pooling takes no activation");
                return std::make_unique<MaxPool2D<T>>(s, in);
            case LayerKind::Upsample2D:
                AELAB_REQUIRE(s.act == Activation::Identity, "upsampling takes no activation");
                return std::make_unique<Upsample2D<T>>(s, in);
            case LayerKind::Reshape:
                AELAB_REQUIRE(s.act == Activation::Identity, "reshape takes no activation");
                return std::make_unique<PassThrough<T>>(s, in);
            case LayerKind::Act: return std::make_unique<PassThrough<T>>(s, in);
            case LayerKind::GaussianCode: return std::make_unique<GaussianCode<T>>(s, in);
            case LayerKind::KPower:
            case LayerKind::KMean: return detail::make_param_layer<T>(s, in);
        }
    } catch (const Error& e) {
        throw Error("layer '" + s.str() + "' on input " + in.str() + ": " + e.what());
    }
    throw Error("unknown layer kind");
}

template class Layer<float>;
template class Layer<double>;
template class GaussianCode<float>;
template class GaussianCode<double>;
template std::unique_ptr<Layer<float>> make_layer<float>(const LayerSpec&, const Shape&);
template std::unique_ptr<Layer<double>> make_layer<double>(const LayerSpec&, const Shape&);

}  // namespace aelab
