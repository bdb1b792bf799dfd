// param_layers.hpp (internal to core/src) — the factory of KernelML's parametric layers
// (KPower, KMean) defined in graph_param_layers.cpp, used by make_layer in graph_layers.cpp.
// See aelab/layers.hpp for the formulas, shapes and parameter layouts.
#pragma once

#include "aelab/layers.hpp"

namespace aelab {
namespace detail {

// s.kind must be KPower or KMean; throws aelab::Error on a spec the layer cannot take.
template <class T> std::unique_ptr<Layer<T>> make_param_layer(const LayerSpec& s, const Shape& in);

}  // namespace detail
}  // namespace aelab
