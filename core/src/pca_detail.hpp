// pca_detail.hpp — private to core/src: what pca.cpp (the batch solvers, transforms) and
// pca_incremental.cpp (IncrementalPCA's partial_fit) share.
//
// What: double-precision means and squared deviations of float data (with the NaN/Inf
// check), the blockwise centred Gram product, the eigen solver wrapper (descending,
// clamped at 0), the sign rule of components and the completion of a basis.
// Why: one implementation of each numerical step, so the incremental and the batch fits
// agree to rounding (tests/unit/test_pca.cpp compares them).
// Usage (inside aelab, after `using namespace pca_detail;`):
//     VecD m = mean_checked(X, "PCA::fit");   // throws on NaN / Inf, naming row and column
//     MatD G = MatD::Zero(d, d);  add_centered_gram(X, m, G);   // lower triangle
//     VecD vals;  MatD V;  eig_desc(G, vals, &V, k);  fix_signs(V);
#pragma once

#include "aelab/pca.hpp"

namespace aelab::pca_detail {

using RefM = Eigen::Ref<const Mat>;

// Per-row mean in double (d); throws aelab::Error naming the first non-finite entry.
VecD mean_checked(const RefM& X, const char* who);
// Per-row sum of squared deviations about `mean`, in double (d).
VecD sum_sq_dev(const RefM& X, const VecD& mean);
// G (d x d, lower triangle) += (X - mean 1^T)(X - mean 1^T)^T, block by block.
void add_centered_gram(const RefM& X, const VecD& mean, MatD& G);
// Each column: the entry of largest |value| (first on ties) becomes positive.
void fix_signs(MatD& V);
// Orthonormal d x cols basis whose first V.cols() columns span V, completed with unit vectors.
MatD complete_basis(const MatD& V, Index cols);
// Eigenpairs of a symmetric matrix (lower triangle read), descending, eigenvalues >= 0;
// vecs (n x keep) when not null. Throws aelab::Error if the solver does not converge.
void eig_desc(const MatD& G, VecD& vals, MatD* vecs, Index keep);

}  // namespace aelab::pca_detail
