// tsne_detail.hpp — internal pieces of aelab::TSNE shared by its source files (not installed API).
#pragma once

#include "aelab/tsne.hpp"

#include <vector>

namespace aelab::tsne_detail {

// P = (C + C^T) / sum, from the conditional probabilities C (k x N, column i over point
// i's neighbours idx[i*k .. i*k+k)).
SparseP symmetric_p(const std::vector<Index>& idx, const MatD& cond);

// Barnes-Hut repulsion: neg.col(i) = sum_j w_ij^2 (y_i - y_j) and the returned
// Z = sum_{i != j} w_ij, w = 1 / (1 + |y_i - y_j|^2), each approximated by quadtree cells
// of side s at distance r with s < theta r (theta = 0: exact). Y: 2 x N; neg: 2 x N out.
double bh_repulsion(const MatD& Y, double theta, MatD& neg);

// Attraction: pos.col(i) = scale * sum_j p_ij w_ij (y_i - y_j) over P's non-zeros.
void attraction(const SparseP& P, const MatD& Y, double scale, MatD& pos);

// Z = sum_{i != j} w_ij exactly (O(N^2)).
double exact_zsum(const MatD& Y);

// KL(P || Q) = sum p_ij log(p_ij / (w_ij / Z)) over P's non-zeros.
double kl_sparse(const SparseP& P, const MatD& Y, double Z);

}  // namespace aelab::tsne_detail
