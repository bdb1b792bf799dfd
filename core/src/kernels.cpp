// kernels.cpp — see aelab/kernels.hpp. Everything here is expressed with Eigen array
// operations that Eigen vectorizes (min/max/exp/sqrt/+-*/), never `select` (scalar in
// Eigen 3.4) nor libm calls in a loop.
#include "aelab/kernels.hpp"

#include <algorithm>

namespace aelab {
namespace kernels {

template <class T>
void bias_activation(Activation a, const Eigen::Ref<const VecT<T>>& b, Eigen::Ref<MatT<T>> Z,
                     Eigen::Ref<MatT<T>> Y) {
    const T one(1), zero(0);
    const Index B = Z.cols();
    auto bb = b.array();
    switch (a) {
        case Activation::Identity:
            for (Index j = 0; j < B; ++j) {
                Z.col(j).array() += bb;
                Y.col(j) = Z.col(j);
            }
            return;
        case Activation::Sigmoid:
            for (Index j = 0; j < B; ++j) {
                auto z = Z.col(j).array();
                z += bb;
                Y.col(j).array() = one / (one + (-z).exp());
            }
            return;
        case Activation::ELU:
            // z > 0: z + (e^0 - 1) = z exactly; z <= 0: 0 + (e^z - 1). Same values as the
            // select form, but vectorized.
            for (Index j = 0; j < B; ++j) {
                auto z = Z.col(j).array();
                z += bb;
                Y.col(j).array() = z.max(zero) + (z.min(zero).exp() - one);
            }
            return;
        case Activation::SELU:
            for (Index j = 0; j < B; ++j) {
                auto z = Z.col(j).array();
                z += bb;
                Y.col(j).array() = T(kSeluLambda) * (z.max(zero) + T(kSeluAlpha) * (z.min(zero).exp() - one));
            }
            return;
        default:  // ReLU, LeakyReLU, Tanh, Softplus: bias here, the reference activation after
            for (Index j = 0; j < B; ++j) Z.col(j).array() += bb;
            apply_activation<T>(a, Z, Y);
            return;
    }
}

template <class T>
void activation_grad(Activation a, const Eigen::Ref<const MatT<T>>& Z, const Eigen::Ref<const MatT<T>>& Y,
                     const Eigen::Ref<const MatT<T>>& dY, Eigen::Ref<MatT<T>> dZ) {
    const T one(1), zero(0);
    switch (a) {
        case Activation::Identity:
            if (dZ.data() != dY.data()) dZ = dY;
            return;
        case Activation::Sigmoid:
            dZ.array() = dY.array() * Y.array() * (one - Y.array());
            return;
        case Activation::ELU:
            // f'(z) = 1 for z > 0 and y + 1 for z <= 0; y > 0 exactly when z > 0 and
            // y <= 0 otherwise, so f'(z) = min(y, 0) + 1 in both cases.
            dZ.array() = dY.array() * (Y.array().min(zero) + one);
            return;
        default:
            activation_backward<T>(a, Z, Y, dY, dZ);
            return;
    }
}

void adam_update(float* p, const float* g, float* m, float* v, Index n, float lr, float b1, float b2,
                 float eps, float c1, float c2) {
    // Blocks of 1024 entries: the three statements run on L1-resident slices, so memory is
    // swept once, and each statement is an Eigen expression (vectorized sqrt and divide).
    using A = Eigen::Map<Eigen::ArrayXf>;
    using CA = Eigen::Map<const Eigen::ArrayXf>;
    const float a1 = 1.f - b1, a2 = 1.f - b2, step = lr * c1;
    constexpr Index kBlock = 1024;
    for (Index s = 0; s < n; s += kBlock) {
        const Index len = std::min(kBlock, n - s);
        CA gi(g + s, len);
        A mi(m + s, len), vi(v + s, len), pi(p + s, len);
        mi = b1 * mi + a1 * gi;
        vi = b2 * vi + a2 * gi.square();
        pi -= step * mi / ((vi * c2).sqrt() + eps);
    }
}

bool all_finite(const float* x, Index n) {
    // x - x is 0 for finite x and NaN for NaN/Inf; a NaN anywhere makes the sum NaN.
    constexpr Index kBlock = 4096;
    for (Index s = 0; s < n; s += kBlock) {
        const Index len = std::min(kBlock, n - s);
        Eigen::Map<const Eigen::ArrayXf> xi(x + s, len);
        if (!((xi - xi).sum() == 0.f)) return false;
    }
    return true;
}

#define AELAB_INST(T)                                                                                  \
    template void bias_activation<T>(Activation, const Eigen::Ref<const VecT<T>>&, Eigen::Ref<MatT<T>>, \
                                     Eigen::Ref<MatT<T>>);                                             \
    template void activation_grad<T>(Activation, const Eigen::Ref<const MatT<T>>&,                     \
                                     const Eigen::Ref<const MatT<T>>&, const Eigen::Ref<const MatT<T>>&, \
                                     Eigen::Ref<MatT<T>>);
AELAB_INST(float)
AELAB_INST(double)
#undef AELAB_INST

}  // namespace kernels
}  // namespace aelab
