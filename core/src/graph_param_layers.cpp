// graph_param_layers.cpp — KernelML's parametric dense layers (the power form KPower and
// the mean-coupled form KMean) and the constraint transforms of their extra parameters
// (formulas, shapes and layouts in aelab/layers.hpp).
// Gradients (A = W X + b, n x B; alpha = T_a(u_a), beta = T_b(u_b); dY = dLoss/dY):
//   KPower  S = s(alpha A) (floored at kFloor), Y = S^beta:
//           dS = dY beta Y / S,  dbeta = sum dY Y log S,  dU = dS s'(alpha A),
//           dalpha = sum dU A,  dA = alpha dU.
//   KMean   Z = A - c 1 m (c = alpha beta / 2, m = column means of A), with t = column sums
//           of dZ: dA = dZ - (c/n) 1 t,  dc = -sum_j m_j t_j,  dalpha = dc beta/2,
//           dbeta = dc alpha/2.
//   then dW += dA X^T, db += rowsum dA, dX = W^T dA, and g[u] += dvalue * T'(u).
#include "param_layers.hpp"

#include "aelab/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace aelab {

namespace {
constexpr double kExpClamp = 80;     // exp transform: u clamped to [-80, 80] (e^80 < float max)
constexpr double kBoundMax = 1e6;    // |lo|, |hi| of sig(lo,hi)
constexpr double kFloor = 1e-30;     // KPower: s(.) floored here (log and 1/s stay finite)

double sigmoid(double u) { return u >= 0 ? 1.0 / (1.0 + std::exp(-u)) : std::exp(u) / (1.0 + std::exp(u)); }
double softplus(double u) { return std::max(u, 0.0) + std::log1p(std::exp(-std::abs(u))); }

// Shortest decimal that reads back as v (canonical strings must round-trip).
std::string num(double v) {
    char buf[40];
    if (v == std::floor(v) && std::abs(v) <= kBoundMax) {  // whole numbers without an exponent
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
    }
    for (int p = 1; p <= 17; ++p) {
        std::snprintf(buf, sizeof buf, "%.*g", p, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

double parse_bound(const std::string& s, const std::string& what) {
    const char* b = s.c_str();
    char* e = nullptr;
    const double v = s.empty() ? std::nan("") : std::strtod(b, &e);
    if (s.empty() || e != b + s.size() || !std::isfinite(v) || std::abs(v) > kBoundMax)
        throw Error(what + ": bound '" + s + "' is not a finite number in [-1e6, 1e6]");
    return v;
}
}  // namespace

double ParamTransform::value(double u) const {
    switch (kind) {
        case None: return u;
        case Softplus: return softplus(u);
        case Exp: return std::exp(std::clamp(u, -kExpClamp, kExpClamp));
        case Sigmoid: return lo + (hi - lo) * sigmoid(u);
    }
    return u;
}

double ParamTransform::deriv(double u) const {
    switch (kind) {
        case None: return 1;
        case Softplus: return sigmoid(u);
        case Exp: return std::abs(u) > kExpClamp ? 0.0 : std::exp(u);
        case Sigmoid: {
            const double s = sigmoid(u);
            return (hi - lo) * s * (1 - s);
        }
    }
    return 1;
}

double ParamTransform::raw(double v) const {
    switch (kind) {
        case None: return v;
        case Softplus: return v > 30 ? v : std::log(std::expm1(v));  // v > 0
        case Exp: return std::log(v);
        case Sigmoid:
            if (!(v > lo && v < hi)) return 0;  // the midpoint
            return std::log((v - lo) / (hi - v));
    }
    return v;
}

bool ParamTransform::positive() const { return kind == Softplus || kind == Exp || (kind == Sigmoid && lo >= 0); }

std::string ParamTransform::str() const {
    switch (kind) {
        case None: return "none";
        case Softplus: return "softplus";
        case Exp: return "exp";
        case Sigmoid: return "sig(" + num(lo) + "," + num(hi) + ")";
    }
    return "?";
}

ParamTransform parse_param_transform(const std::string& s, const std::string& what) {
    ParamTransform t;
    if (s == "none") return t;
    if (s == "softplus") {
        t.kind = ParamTransform::Softplus;
        return t;
    }
    if (s == "exp") {
        t.kind = ParamTransform::Exp;
        return t;
    }
    if (s.compare(0, 4, "sig(") == 0) {
        if (s.back() != ')') throw Error(what + ": '" + s + "' lacks its closing ')' (e.g. sig(0,2))");
        const std::string in = s.substr(4, s.size() - 5);
        const size_t comma = in.find(',');
        if (comma == std::string::npos || in.find(',', comma + 1) != std::string::npos)
            throw Error(what + ": '" + s + "' needs two bounds sig(lo,hi), e.g. sig(0,2)");
        t.kind = ParamTransform::Sigmoid;
        t.lo = parse_bound(in.substr(0, comma), what);
        t.hi = parse_bound(in.substr(comma + 1), what);
        if (!(t.lo < t.hi))
            throw Error(what + ": '" + s + "' needs lo < hi (got lo " + num(t.lo) + ", hi " + num(t.hi) + ")");
        return t;
    }
    throw Error(what + ": unknown transform '" + s + "' (valid: none, softplus, exp, sig(lo,hi))");
}

namespace {

// Shared by both forms: W, b, the raw alpha and beta, and the linear part A = W X + b.
template <class T> class ParamDense : public Layer<T> {
public:
    ParamDense(const LayerSpec& s, const Shape& in) : Layer<T>(s, in) {
        AELAB_REQUIRE(s.units >= 1, "needs at least one unit");
        this->out_ = Shape{s.units, 1, 1};
        this->set_num_params(double(s.units) * double(in.size()) + s.units + 2);
    }
    void init_params(T* p, Rng& rng) const override {
        const Index n = this->spec_.units, d = this->in_.size();
        this->init_weights(p, n * d, double(d), double(n), rng);
        std::fill(p + n * d, p + n * d + n, T(0));
        p[n * d + n] = T(this->spec_.alpha_tf.raw(1.0));
        p[n * d + n + 1] = T(this->spec_.beta_tf.raw(1.0));
    }
    std::vector<ExtraParam> extra_params(const T* p) const override {
        const double ua = double(p[extra()]), ub = double(p[extra() + 1]);
        return {{"alpha", this->spec_.alpha_tf.str(), ua, this->spec_.alpha_tf.value(ua)},
                {"beta", this->spec_.beta_tf.str(), ub, this->spec_.beta_tf.value(ub)}};
    }

protected:
    Index extra() const { return Index(this->spec_.units) * this->in_.size() + this->spec_.units; }
    double alpha(const T* p) const { return this->spec_.alpha_tf.value(double(p[extra()])); }
    double beta(const T* p) const { return this->spec_.beta_tf.value(double(p[extra() + 1])); }
    void linear(const T* p, const Eigen::Ref<const MatT<T>>& X) {
        const Index n = this->spec_.units, d = this->in_.size();
        A_.resize(n, X.cols());
        kernels::gemm<T>(false, false, Eigen::Map<const MatT<T>>(p, n, d), X, T(0), A_);
        A_.colwise() += Eigen::Map<const VecT<T>>(p + n * d, n);
    }
    // dA_ holds dLoss/dA: dW, db, dX from it; then the raw alpha and beta from their values'.
    void finish(const T* p, const Eigen::Ref<const MatT<T>>& X, T* g, MatT<T>* dX, double dalpha, double dbeta) {
        const Index n = this->spec_.units, d = this->in_.size();
        Eigen::Map<MatT<T>> dW(g, n, d);
        kernels::gemm<T>(false, true, dA_, X, T(1), dW);
        Eigen::Map<VecT<T>>(g + n * d, n) += dA_.rowwise().sum();
        g[extra()] += T(dalpha * this->spec_.alpha_tf.deriv(double(p[extra()])));
        g[extra() + 1] += T(dbeta * this->spec_.beta_tf.deriv(double(p[extra() + 1])));
        if (!dX) return;
        dX->resize(d, dA_.cols());
        kernels::gemm<T>(true, false, Eigen::Map<const MatT<T>>(p, n, d), dA_, T(0), *dX);
    }

    MatT<T> A_, dA_;
};

template <class T> class KPower : public ParamDense<T> {
public:
    KPower(const LayerSpec& s, const Shape& in) : ParamDense<T>(s, in) {
        AELAB_REQUIRE(s.act == Activation::Identity, "the power form takes its base s in place of an activation");
        AELAB_REQUIRE(s.base == Activation::Softplus || s.base == Activation::Sigmoid,
                      std::string("the power form's base s must be softplus or sigmoid (positive), not ") +
                          activation_name(s.base) + ": a negative base with a real power is undefined");
        AELAB_REQUIRE(s.beta_tf.kind == ParamTransform::None || s.beta_tf.positive(),
                      "the power form needs beta > 0: its transform must be positive (softplus, exp, sig(lo,hi) "
                      "with lo >= 0) or none, not " + s.beta_tf.str());
    }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<KPower<T>>(*this); }

protected:
    void forward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) override {
        const double a = this->alpha(p), b = this->beta(p);
        if (!(b > 0) && this->spec_.beta_tf.kind == ParamTransform::None)
            throw Error(this->spec_.str() + ": beta = " + std::to_string(b) +
                        " must be > 0 (constrain it: beta=softplus, exp or sig(lo,hi))");
        this->linear(p, X);
        const T ta = T(a), tb = T(b), fl = T(kFloor);
        S_.resize(this->A_.rows(), this->A_.cols());
        Z.resize(S_.rows(), S_.cols());
        const bool sp = this->spec_.base == Activation::Softplus;
        for (Index k = 0; k < S_.size(); ++k) {
            const T u = ta * this->A_.data()[k];
            const T s = sp ? T(softplus(double(u))) : T(sigmoid(double(u)));
            S_.data()[k] = s;
            Z.data()[k] = std::exp(tb * std::log(std::max(s, fl)));
        }
    }
    void backward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, const MatT<T>& dY, T* g,
                         MatT<T>* dX) override {
        const double a = this->alpha(p), b = this->beta(p);
        const MatT<T>& Y = this->Z_;
        const T ta = T(a), tb = T(b), fl = T(kFloor);
        const bool sp = this->spec_.base == Activation::Softplus;
        this->dA_.resize(dY.rows(), dY.cols());
        double dalpha = 0, dbeta = 0;
        for (Index k = 0; k < dY.size(); ++k) {
            const T s = S_.data()[k], y = Y.data()[k], dy = dY.data()[k], A = this->A_.data()[k];
            const T sf = std::max(s, fl);
            dbeta += double(dy * y * std::log(sf));
            const T ds = s > fl ? dy * tb * y / s : T(0);
            // s'(u): softplus' = sigmoid(u); sigmoid' = s (1 - s)
            const T dsdu = sp ? T(sigmoid(double(ta * A))) : s * (T(1) - s);
            const T du = ds * dsdu;
            dalpha += double(du * A);
            this->dA_.data()[k] = ta * du;
        }
        this->finish(p, X, g, dX, dalpha, dbeta);
    }

private:
    MatT<T> S_;  // s(alpha A) before the floor
};

template <class T> class KMean : public ParamDense<T> {
public:
    KMean(const LayerSpec& s, const Shape& in) : ParamDense<T>(s, in) {}
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<KMean<T>>(*this); }

protected:
    void forward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) override {
        const T c = T(0.5 * this->alpha(p) * this->beta(p));
        this->linear(p, X);
        m_ = this->A_.colwise().mean();
        Z = this->A_;
        Z.rowwise() -= c * m_;
    }
    void backward_linear(const T* p, const Eigen::Ref<const MatT<T>>& X, const MatT<T>& dZ, T* g,
                         MatT<T>* dX) override {
        const double a = this->alpha(p), b = this->beta(p);
        const T c = T(0.5 * a * b), n = T(this->spec_.units);
        const Eigen::Matrix<T, 1, Eigen::Dynamic> t = dZ.colwise().sum();
        const double dc = -(t.array() * m_.array()).template cast<double>().sum();
        this->dA_ = dZ;
        this->dA_.rowwise() -= (c / n) * t;
        this->finish(p, X, g, dX, dc * 0.5 * b, dc * 0.5 * a);
    }

private:
    Eigen::Matrix<T, 1, Eigen::Dynamic> m_;  // column means of A (1 x B)
};

}  // namespace

namespace detail {
template <class T> std::unique_ptr<Layer<T>> make_param_layer(const LayerSpec& s, const Shape& in) {
    if (s.kind == LayerKind::KPower) return std::make_unique<KPower<T>>(s, in);
    AELAB_REQUIRE(s.kind == LayerKind::KMean, "make_param_layer: not a parametric layer");
    return std::make_unique<KMean<T>>(s, in);
}
template std::unique_ptr<Layer<float>> make_param_layer<float>(const LayerSpec&, const Shape&);
template std::unique_ptr<Layer<double>> make_param_layer<double>(const LayerSpec&, const Shape&);
}  // namespace detail

}  // namespace aelab
