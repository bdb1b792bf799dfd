// aelab/activations.hpp — elementwise activations as forward/backward pairs.
//
// Each activation f has forward Y = f(Z) and backward dZ = dY .* f'(Z), where f' is
// evaluated from Z and/or Y (whichever is cheaper and stable). Names follow Keras:
// "linear" (identity), "sigmoid", "tanh", "relu", "leaky_relu" (slope 0.01), "elu"
// (alpha 1), "selu" (Klambauer et al. 2017 constants), "softplus".
// Usage:
//   Activation a = parse_activation("elu");
//   apply_activation(a, Z, Y);            // Y = f(Z), same shape
//   activation_backward(a, Z, Y, dY, dZ); // dZ = dY .* f'(Z)
//   activation_derivs(a, Z, Y, D1, D2);   // D1 = f'(Z), D2 = f''(Z) (contractive penalty)
#pragma once

#include "aelab/common.hpp"

#include <string>
#include <vector>

namespace aelab {

enum class Activation { Identity, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, SELU, Softplus };

constexpr double kLeakySlope = 0.01;
constexpr double kSeluLambda = 1.0507009873554804934193349852946;
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;

// "linear"/"identity", "sigmoid", "tanh", "relu", "leaky_relu"/"lrelu", "elu", "selu",
// "softplus"; throws aelab::Error listing the valid names otherwise.
Activation parse_activation(const std::string& name);
const char* activation_name(Activation a);
// Every activation, in enum order (for UIs and help texts: no copies of the name table).
const std::vector<Activation>& all_activations();

template <class T>
void apply_activation(Activation a, const Eigen::Ref<const MatT<T>>& Z, Eigen::Ref<MatT<T>> Y);

// In place: Z holds the pre-activation on entry and f(Z) on exit.
template <class T> void apply_activation_inplace(Activation a, Eigen::Ref<MatT<T>> Z);

// dZ = dY .* f'(Z). Z is the pre-activation, Y = f(Z). dZ may alias dY.
template <class T>
void activation_backward(Activation a, const Eigen::Ref<const MatT<T>>& Z,
                         const Eigen::Ref<const MatT<T>>& Y, const Eigen::Ref<const MatT<T>>& dY,
                         Eigen::Ref<MatT<T>> dZ);

// D1 = f'(Z) and D2 = f''(Z), elementwise (same shape as Z; Y = f(Z)). At the kinks of
// relu / leaky_relu (z = 0) and elu / selu the one-sided value for z <= 0 is used; their
// second derivative is 0 (relu, leaky_relu) or piecewise (elu, selu: f'' = f' on z <= 0).
// Used by the contractive penalty, whose gradient needs f''.
template <class T>
void activation_derivs(Activation a, const Eigen::Ref<const MatT<T>>& Z, const Eigen::Ref<const MatT<T>>& Y,
                       MatT<T>& D1, MatT<T>& D2);

}  // namespace aelab
