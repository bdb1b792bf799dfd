// conv_layers.hpp (internal to core/src) — factories of the convolution layers defined in
// conv.cpp, used by make_layer in graph_layers.cpp. See aelab/layers.hpp for the semantics.
#pragma once

#include "aelab/layers.hpp"

namespace aelab {
namespace detail {

template <class T> std::unique_ptr<Layer<T>> make_conv2d(const LayerSpec& s, const Shape& in);
template <class T> std::unique_ptr<Layer<T>> make_conv_transpose2d(const LayerSpec& s, const Shape& in);

// Z (C*P x B, NCHW columns) <-> R (P*B x C): R(p + P*j, c) = Z(c*P + p, j).
template <class T> void nchw_to_rows(const Eigen::Ref<const MatT<T>>& Z, Index C, Index P, MatT<T>& R);
template <class T> void rows_to_nchw(const MatT<T>& R, Index C, Index P, MatT<T>& Z);

}  // namespace detail
}  // namespace aelab
