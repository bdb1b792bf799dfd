// aelab/kernels.hpp — fused, vectorizable inner loops of a training step.
//
// What: the elementwise work around the matrix products of Autoencoder::forward_backward
// and the optimizer, written so that the compiler vectorizes it (natively AVX-512, in WASM
// simd128) and so that each array is swept once:
//   bias_activation      Z += b (per column), Y = f(Z)       one pass instead of three
//   activation_grad      dZ = dY .* f'(Z)                    select-free for ELU / sigmoid
//   adam_update          m, v, p of Adam in one blocked pass (PyTorch's update rule)
//   all_finite           no NaN/Inf in a vector (a vectorized sum instead of a bool reduction)
//   gemm                 C = op(A) op(B) + beta C: Eigen natively (OpenBLAS with
//                        EIGEN_USE_BLAS); in WASM, gemm_blocked (src/gemm.cpp), a packed
//                        register-tiled simd128 product, since Eigen 3.4 has no WASM SIMD
// Why: with the products handed to a fast GEMM, these loops were a quarter of a training
// step (Eigen 3.4 does not vectorize `select`, so ELU's exp ran scalar; std::sqrt in a
// plain loop does not vectorize either without -fno-math-errno).
// Each kernel has a naive reference (apply_activation / activation_backward in
// activations.hpp, the textbook Adam loop) and tests/unit/test_kernels.cpp compares them.
// Usage:
//   kernels::bias_activation<float>(Activation::ELU, b, Z, Y);   // Z: out x B, b: out
//   kernels::activation_grad<float>(Activation::ELU, Z, Y, dY, dZ);
//   kernels::adam_update(p, g, m, v, n, lr, beta1, beta2, eps, c1, c2);
//   bool ok = kernels::all_finite(v.data(), v.size());
#pragma once

#include "aelab/activations.hpp"
#include "aelab/common.hpp"

namespace aelab {
namespace kernels {

// Z.col(j) += b for every column, then Y = f(Z). Y may not alias Z.
template <class T>
void bias_activation(Activation a, const Eigen::Ref<const VecT<T>>& b, Eigen::Ref<MatT<T>> Z,
                     Eigen::Ref<MatT<T>> Y);

// dZ = dY .* f'(Z) with Y = f(Z); same values as activation_backward (up to rounding of
// the vectorized exp). dZ may alias dY.
template <class T>
void activation_grad(Activation a, const Eigen::Ref<const MatT<T>>& Z, const Eigen::Ref<const MatT<T>>& Y,
                     const Eigen::Ref<const MatT<T>>& dY, Eigen::Ref<MatT<T>> dZ);

// Adam on n entries: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
// p -= lr * (m * c1) / (sqrt(v * c2) + eps), with c1 = 1/(1-b1^t), c2 = 1/(1-b2^t).
void adam_update(float* p, const float* g, float* m, float* v, Index n, float lr, float b1, float b2,
                 float eps, float c1, float c2);

// True if none of the n entries is NaN or +-Inf.
bool all_finite(const float* x, Index n);

// C = op(A) op(B) + beta C, op(X) = X or X^T (ta, tb); C must already have the result's
// shape and may not alias A or B. Throws aelab::Error on mismatched shapes.
template <class T>
void gemm(bool ta, bool tb, const Eigen::Ref<const MatT<T>>& A, const Eigen::Ref<const MatT<T>>& B, T beta,
          Eigen::Ref<MatT<T>> C);

// The blocked product on raw column-major float arrays (leading dimensions lda, ldb, ldc):
// C (m x n) = op(A) (m x k) op(B) (k x n) + beta C. gemm<float> uses it in WASM; natively
// it is exercised by the tests only.
void gemm_blocked(bool ta, bool tb, Index m, Index n, Index k, const float* A, Index lda, const float* B,
                  Index ldb, float beta, float* C, Index ldc);

}  // namespace kernels
}  // namespace aelab
