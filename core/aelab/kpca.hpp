// aelab/kpca.hpp — kernel PCA (Schölkopf, Smola & Müller 1998) with scikit-learn's semantics.
//
// What: aelab::KernelPCA fits the top-k principal axes in the feature space of a kernel
// (rbf, poly, sigmoid, cosine, linear) to a d x N data matrix (one sample per COLUMN),
// projects new points onto them and maps projections back to input space (pre-image).
// Names and conventions follow scikit-learn 1.2's KernelPCA:
//   gamma      rbf / poly / sigmoid; <= 0 means "default" = 1 / n_features
//   degree     poly (default 3), coef0 poly / sigmoid (default 1)
//   eigenvalues_   top-k eigenvalues of the CENTRED kernel matrix Kc = H K H
//                  (H = I - 11^T/N), not divided by N, descending (scikit-learn's eigenvalues_)
//   eigenvectors_  N x k unit eigenvectors of Kc; sign: largest-|value| entry positive
//   fit_transform  eigenvectors_ * sqrt(eigenvalues_)   (N x k in scikit-learn; k x N here)
//   transform(Y)   centred cross-kernel Kc(Y, X) times eigenvectors_ / sqrt(eigenvalues_)
//   inverse_transform  kernel ridge regression from the projections back to X, with the
//                  same kernel and gamma and ridge alpha (scikit-learn's
//                  fit_inverse_transform=True): dual = (K(Z,Z) + alpha I)^-1 X^T,
//                  X(Z') = K(Z', Z) dual.
// Output shapes use the column convention: projections are k x N.
//
// Why: the course goes from PCA to kernel PCA (rbf on the swiss roll, gamma = 0.04), and
// the lab compares the pre-images with PCA's and an autoencoder's reconstructions.
//
// How: the kernel matrix is one kernels::gemm (X^T X) plus an elementwise map, stored in
// double up to N = 2000 and in float above (KernelStorage; float halves memory and time);
// the top-k eigenpairs come from Lanczos with full reorthogonalisation on Kc (matrix-vector
// products only; never a full decomposition), grown until the k leading Ritz pairs have a
// residual below 1e-10 * lambda_1 (sorted; restarted from a fresh seeded vector on breakdown).
// Nyström (nystrom_landmarks = m > 0): m seeded random landmarks; K ~ C W^+ C^T with
// C = K(X, landmarks), W = K(landmarks, landmarks); the centred approximation is
// (H F)(H F)^T with F = C W^{-1/2}, solved as an m x m eigenproblem: O(N m^2) time,
// O(N m) memory. Its error is stated exactly as the relative trace error
// nystrom_trace_error_ = (tr K - tr(C W^+ C^T)) / tr K (K's diagonal is cheap) — the
// trace norm of the (PSD) residual K - C W^+ C^T relative to K's. With Nyström the pre-image
// is fitted on the landmarks only (an m x m ridge system).
//
// Usage:
//     aelab::KpcaOptions o;  o.kernel = aelab::Kernel::Rbf;  o.gamma = 0.04;  o.n_components = 2;
//     o.fit_inverse_transform = true;  o.alpha = 0.1;
//     aelab::KernelPCA kp(o);
//     aelab::MatD Z = kp.fit_transform(X);            // X: d x N float -> Z: 2 x N
//     aelab::MatD Z2 = kp.transform(Y);               // new points
//     aelab::Mat Xr = kp.inverse_transform(Z);        // d x N pre-images
// All failures (bad shapes, NaN/Inf, bad options, use before fit) throw aelab::Error.
#pragma once

#include "aelab/common.hpp"

#include <cstdint>
#include <string>

namespace aelab {

enum class Kernel { Linear, Poly, Rbf, Sigmoid, Cosine };
// Storage of the exact solver's N x N kernel matrix: Auto = double up to N = 2000, float
// above (half the memory and time; products with it still accumulate in double, so the
// eigenvalues are those of the float-rounded matrix: ~1e-7 relative to the largest).
enum class KernelStorage { Auto, Float, Double };
const char* to_string(Kernel k);
// "linear", "poly" (or "polynomial"), "rbf", "sigmoid", "cosine"; throws on anything else.
Kernel parse_kernel(const std::string& name);

struct KpcaOptions {
    Kernel kernel = Kernel::Linear;   // scikit-learn's default
    Index n_components = 2;           // k >= 1, <= N
    double gamma = 0.0;               // <= 0: 1 / n_features (scikit-learn's gamma=None)
    int degree = 3;
    double coef0 = 1.0;
    bool fit_inverse_transform = false;
    double alpha = 1.0;               // ridge of the pre-image regression, >= 0 (scikit-learn's alpha)
    std::uint64_t seed = 0;           // Lanczos start vector, Nyström landmarks
    Index nystrom_landmarks = 0;      // 0: exact kernel matrix; m > 0: Nyström with m landmarks
    KernelStorage storage = KernelStorage::Auto;
};

// K(i, j) = k(A.col(i), B.col(j)): Na x Nb, double. A, B: d x Na, d x Nb.
MatD kernel_matrix(const Eigen::Ref<const Mat>& A, const Eigen::Ref<const Mat>& B, Kernel kernel,
                   double gamma, int degree, double coef0);

class KernelPCA {
public:
    KernelPCA() = default;
    explicit KernelPCA(const KpcaOptions& o) : options(o) {}
    KpcaOptions options;

    // ---- fitted attributes (valid when fitted()) ------------------------------------------
    VecD eigenvalues_;          // k, descending, of the centred kernel matrix
    MatD eigenvectors_;         // N x k (exact) or N x k approximate (Nyström)
    double gamma_ = 0.0;        // the gamma used (default resolved)
    Index n_features_in_ = 0;
    Index n_samples_ = 0;
    int lanczos_steps_ = 0;     // Krylov dimension the exact solver needed
    bool kernel_float_ = false; // the exact solver stored the kernel matrix as float
    static constexpr Index kFloatKernelAbove = 2000;
    double nystrom_trace_error_ = 0.0;  // relative trace error of the Nyström kernel (0 if exact)

    bool fitted() const { return n_samples_ > 0; }

    KernelPCA& fit(const Eigen::Ref<const Mat>& X);
    MatD fit_transform(const Eigen::Ref<const Mat>& X);         // k x N
    MatD transform(const Eigen::Ref<const Mat>& Y) const;       // k x M for Y: d x M
    Mat inverse_transform(const Eigen::Ref<const MatD>& Z) const;  // d x M for Z: k x M
    const MatD& training_projections() const { return proj_; }  // k x N (== fit_transform)

private:
    void require_fitted(const char* who) const;
    void fit_exact(const Eigen::Ref<const Mat>& X, Index k);
    template <class T> void fit_exact_t(const Eigen::Ref<const Mat>& X, Index k);
    void fit_nystrom(const Eigen::Ref<const Mat>& X, Index k);
    void fit_pre_image(const Eigen::Ref<const Mat>& X);

    Mat X_fit_;                 // d x N training data (exact) or d x m landmarks (Nyström)
    VecD K_fit_rows_;           // exact: column means of K (N); Nyström: column means of F (m)
    double K_fit_all_ = 0.0;    // exact: mean of K
    MatD proj_map_;             // exact: N x k eigenvectors_/sqrt(ev); Nyström: m x k W^{-1/2} V
    MatD proj_;                 // k x N training projections
    // pre-image (kernel ridge): Z points (k x P, double) and the dual coefficients (P x d)
    Mat Zfit_;
    MatD dual_coef_;
};

}  // namespace aelab
