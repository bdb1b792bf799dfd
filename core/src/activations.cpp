#include "aelab/activations.hpp"

namespace aelab {

Activation parse_activation(const std::string& name) {
    if (name == "linear" || name == "identity" || name == "none") return Activation::Identity;
    if (name == "sigmoid" || name == "logistic") return Activation::Sigmoid;
    if (name == "tanh") return Activation::Tanh;
    if (name == "relu") return Activation::ReLU;
    if (name == "leaky_relu" || name == "lrelu" || name == "leakyrelu") return Activation::LeakyReLU;
    if (name == "elu") return Activation::ELU;
    if (name == "selu") return Activation::SELU;
    if (name == "softplus") return Activation::Softplus;
    throw Error("unknown activation '" + name +
                "' (valid: linear, sigmoid, tanh, relu, leaky_relu, elu, selu, softplus)");
}

const char* activation_name(Activation a) {
    switch (a) {
        case Activation::Identity: return "linear";
        case Activation::Sigmoid: return "sigmoid";
        case Activation::Tanh: return "tanh";
        case Activation::ReLU: return "relu";
        case Activation::LeakyReLU: return "leaky_relu";
        case Activation::ELU: return "elu";
        case Activation::SELU: return "selu";
        case Activation::Softplus: return "softplus";
    }
    return "?";
}

const std::vector<Activation>& all_activations() {
    // Enum order: Identity .. Softplus (the last enumerator).
    static const std::vector<Activation> all = [] {
        std::vector<Activation> v;
        for (int i = 0; i <= static_cast<int>(Activation::Softplus); ++i) v.push_back(static_cast<Activation>(i));
        return v;
    }();
    return all;
}

template <class T>
void apply_activation(Activation a, const Eigen::Ref<const MatT<T>>& Z, Eigen::Ref<MatT<T>> Y) {
    Y = Z;
    apply_activation_inplace<T>(a, Y);
}

template <class T> void apply_activation_inplace(Activation a, Eigen::Ref<MatT<T>> Z) {
    auto z = Z.array();
    const T one(1), zero(0);
    switch (a) {
        case Activation::Identity: break;
        case Activation::Sigmoid:
            // 1 / (1 + e^-z): e^-z overflows to +inf for very negative z, giving exactly 0.
            z = one / (one + (-z).exp());
            break;
        case Activation::Tanh: z = z.tanh(); break;
        case Activation::ReLU: z = z.max(zero); break;
        case Activation::LeakyReLU: z = z.max(T(kLeakySlope) * z); break;
        case Activation::ELU: z = (z > zero).select(z, z.min(zero).exp() - one); break;
        case Activation::SELU:
            z = T(kSeluLambda) *
                (z > zero).select(z, T(kSeluAlpha) * (z.min(zero).exp() - one));
            break;
        case Activation::Softplus:
            // softplus(z) = max(z, 0) + log1p(e^-|z|): no overflow for large |z|.
            z = z.max(zero) + (-z.abs()).exp().log1p();
            break;
    }
}

template <class T>
void activation_backward(Activation a, const Eigen::Ref<const MatT<T>>& Z,
                         const Eigen::Ref<const MatT<T>>& Y, const Eigen::Ref<const MatT<T>>& dY,
                         Eigen::Ref<MatT<T>> dZ) {
    const T one(1), zero(0);
    auto z = Z.array();
    auto y = Y.array();
    auto g = dY.array();
    switch (a) {
        case Activation::Identity: dZ = dY; break;
        case Activation::Sigmoid: dZ.array() = g * y * (one - y); break;
        case Activation::Tanh: dZ.array() = g * (one - y.square()); break;
        case Activation::ReLU: dZ.array() = (z > zero).select(g, zero); break;
        case Activation::LeakyReLU: dZ.array() = (z > zero).select(g, T(kLeakySlope) * g); break;
        case Activation::ELU: dZ.array() = (z > zero).select(g, g * (y + one)); break;
        case Activation::SELU:
            dZ.array() = (z > zero).select(T(kSeluLambda) * g, g * (y + T(kSeluLambda * kSeluAlpha)));
            break;
        case Activation::Softplus: dZ.array() = g / (one + (-z).exp()); break;
    }
}

template <class T>
void activation_derivs(Activation a, const Eigen::Ref<const MatT<T>>& Z, const Eigen::Ref<const MatT<T>>& Y,
                       MatT<T>& D1, MatT<T>& D2) {
    const T one(1), zero(0), two(2);
    auto z = Z.array();
    auto y = Y.array();
    D1.resize(Z.rows(), Z.cols());
    D2.resize(Z.rows(), Z.cols());
    switch (a) {
        case Activation::Identity: D1.setOnes(); D2.setZero(); break;
        case Activation::Sigmoid:  // f' = y(1-y), f'' = f'(1-2y)
            D1.array() = y * (one - y);
            D2.array() = D1.array() * (one - two * y);
            break;
        case Activation::Tanh:  // f' = 1-y^2, f'' = -2y f'
            D1.array() = one - y.square();
            D2.array() = -two * y * D1.array();
            break;
        case Activation::ReLU: D1.array() = (z > zero).template cast<T>(); D2.setZero(); break;
        case Activation::LeakyReLU:
            D1.array() = T(kLeakySlope) + T(1 - kLeakySlope) * (z > zero).template cast<T>();
            D2.setZero();
            break;
        case Activation::ELU:  // z <= 0: f = e^z - 1, f' = f'' = e^z = y + 1
            D1.array() = (z > zero).select(one, y + one);
            D2.array() = (z > zero).select(zero, y + one);
            break;
        case Activation::SELU:  // z <= 0: f' = f'' = lambda alpha e^z = y + lambda alpha
            D1.array() = (z > zero).select(T(kSeluLambda), y + T(kSeluLambda * kSeluAlpha));
            D2.array() = (z > zero).select(zero, y + T(kSeluLambda * kSeluAlpha));
            break;
        case Activation::Softplus:  // f' = sigmoid(z), f'' = sigmoid(z)(1 - sigmoid(z))
            D1.array() = one / (one + (-z).exp());
            D2.array() = D1.array() * (one - D1.array());
            break;
    }
}

#define AELAB_INST(T)                                                                        \
    template void apply_activation<T>(Activation, const Eigen::Ref<const MatT<T>>&,          \
                                      Eigen::Ref<MatT<T>>);                                  \
    template void apply_activation_inplace<T>(Activation, Eigen::Ref<MatT<T>>);              \
    template void activation_backward<T>(Activation, const Eigen::Ref<const MatT<T>>&,       \
                                         const Eigen::Ref<const MatT<T>>&,                   \
                                         const Eigen::Ref<const MatT<T>>&, Eigen::Ref<MatT<T>>); \
    template void activation_derivs<T>(Activation, const Eigen::Ref<const MatT<T>>&,         \
                                       const Eigen::Ref<const MatT<T>>&, MatT<T>&, MatT<T>&);
AELAB_INST(float)
AELAB_INST(double)
#undef AELAB_INST

}  // namespace aelab
