// aelab/subspace.hpp — comparing subspaces and judging codes.
//
// What:
//   * principal_angles(A, B): the principal angles between range(A) and range(B)
//     (A d x k, B d x l; columns span the subspaces, need not be orthonormal), ascending,
//     in radians. Used to compare a linear autoencoder's weights with PCA's components_.
//   * knn_predict / knn_accuracy: k-nearest-neighbour classification of test codes by
//     train codes (codes are m x N, one sample per COLUMN), e.g. to score latent spaces.
//   * select_per_class / knn_accuracy_few_labels: the "only 10 labelled samples per
//     class" protocol, with the labelled samples chosen deterministically from a seed.
//
// Why / how:
//   * Angles: orthonormal bases Q_A, Q_B by column-pivoted Householder QR (rank-revealing,
//     so dependent columns are dropped), cosines = singular values of Q_A^T Q_B. arccos
//     loses accuracy for small angles (an angle of 1e-6 has cos = 1 - 5e-13), so, as
//     Knyazev & Argentati (2002) recommend, angles below pi/4 are taken from the sines,
//     the singular values of (I - Q_A Q_A^T) Q_B, and the rest from the cosines. All in
//     double. min(rank A, rank B) angles are returned.
//   * kNN: squared Euclidean distances ||a||^2 + ||b||^2 - 2 a.b, the cross term by float
//     GEMM on blocks (train block x test block), scanned into a per-test top-k list.
//     Ties in distance go to the lower train index; the vote is a majority among the k
//     neighbours, ties going to the tied class whose member is nearest. Labels are any
//     ints. Codes of any finite magnitude work: when the largest |code| is above 2^40 or
//     below 2^-40 (a code-layer bias of 1e20 would make float squares inf and every
//     distance NaN), train and test codes are first multiplied by one power of two, which
//     is exact and keeps every distance's order; differences below float resolution of the
//     codes themselves then tie (and go to the lower train index). Non-finite codes throw.
//     10000 test x 60000 train codes of dimension 5 / 32 / 128 take about
//     0.4 / 0.8 / 2.5 s natively (one core; the GEMM dominates at high dimension).
//
// Usage:
//     aelab::VecD th = aelab::principal_angles(ae_weights, pca.components_);  // float or double
//     double worst = aelab::largest_principal_angle(ae_weights, pca.components_);
//     double acc = aelab::knn_accuracy(Ztrain, ytrain, Ztest, ytest, /*k=*/5);
//     double acc10 = aelab::knn_accuracy_few_labels(Ztrain, ytrain, Ztest, ytest,
//                                                   /*per_class=*/10, /*k=*/1, /*seed=*/0);
//
// Errors (mismatched shapes/sizes, non-finite values, zero-rank bases, k < 1) throw
// aelab::Error.
#pragma once

#include "aelab/common.hpp"

#include <cstdint>
#include <vector>

namespace aelab {

// ---- principal angles ---------------------------------------------------------------------

// Non-template core: A d x ka, B d x kb (double). Returns min(rank A, rank B) angles,
// ascending, in [0, pi/2].
VecD principal_angles_d(const MatD& A, const MatD& B);

// Any float or double matrix expressions (converted to double; bases are small).
template <class DA, class DB>
VecD principal_angles(const Eigen::MatrixBase<DA>& A, const Eigen::MatrixBase<DB>& B) {
    return principal_angles_d(MatD(A.template cast<double>()), MatD(B.template cast<double>()));
}

// The largest principal angle (the subspace distance in the sin-theta sense is its sine).
template <class DA, class DB>
double largest_principal_angle(const Eigen::MatrixBase<DA>& A, const Eigen::MatrixBase<DB>& B) {
    const VecD t = principal_angles(A, B);
    return t(t.size() - 1);
}

// ---- k-nearest neighbours ------------------------------------------------------------------

// Predicted label for each test column (size Nte). train: m x Ntr, test: m x Nte,
// train_labels.size() == Ntr, 1 <= k. If `train_subset` is given, only those train
// columns (indices into train, each in [0, Ntr)) are neighbours; k is capped at the
// number of neighbours available.
std::vector<int> knn_predict(const Eigen::Ref<const Mat>& train, const std::vector<int>& train_labels,
                             const Eigen::Ref<const Mat>& test, int k = 1,
                             const std::vector<Index>* train_subset = nullptr);

// Fraction of test columns whose kNN prediction equals test_labels (size Nte >= 1).
double knn_accuracy(const Eigen::Ref<const Mat>& train, const std::vector<int>& train_labels,
                    const Eigen::Ref<const Mat>& test, const std::vector<int>& test_labels, int k = 1,
                    const std::vector<Index>* train_subset = nullptr);

// Up to `per_class` indices of each distinct label, drawn uniformly without replacement
// with aelab::Rng(seed) (a class with fewer samples contributes all of them). Returned
// in ascending index order. Same labels + seed -> same indices on every platform.
std::vector<Index> select_per_class(const std::vector<int>& labels, int per_class, std::uint64_t seed);

// knn_accuracy with only select_per_class(train_labels, per_class, seed) as neighbours
// (the "10 labels per class" protocol: per_class = 10, k = 1).
double knn_accuracy_few_labels(const Eigen::Ref<const Mat>& train, const std::vector<int>& train_labels,
                               const Eigen::Ref<const Mat>& test, const std::vector<int>& test_labels,
                               int per_class = 10, int k = 1, std::uint64_t seed = 0);

}  // namespace aelab
