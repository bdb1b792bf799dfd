// contractive.cpp — the contractive penalty of Autoencoder<T> (aelab/autoencoder.hpp):
// ||J_f(x)||_F^2 of the encoder f and its exact gradient.
//
// Notation (encoder layers l = 1..L, layer l is layers_[l-1]): a_l = W_l h_{l-1} + b_l,
// h_l = s_l(a_l), h_0 = x, code = h_L; D_l = diag s_l'(a_l). Per sample
// J = D_L W_L D_{L-1} W_{L-1} ... D_1 W_1 (k x d).
// One layer: ||J||^2 = sum_j s'(a_j)^2 ||W_j||^2, so (per sample)
//   dP/dW_j = 2 s'(a_j)^2 W_j + 2 s'(a_j) s''(a_j) ||W_j||^2 x^T,  dP/db_j = 2 s' s'' ||W_j||^2.
// Deeper: from the code side, P_L = D_L, Q_l = P_l W_l (k x n_{l-1}), P_{l-1} = Q_l D_{l-1};
// J = Q_1. Reverse mode from dJ = 2J: dW_l += P_l^T dQ_l, dP_l = dQ_l W_l^T, and
// dQ_{l+1} = dP_l D_l, d(s'(a_l)) = colsum(Q_{l+1} .* dP_l) (diag(dP_L) for l = L). The
// terms through s' become G_l = d(s'(a_l)) .* s''(a_l), an injected gradient at each
// pre-activation, which one ordinary backward pass over the whole batch carries to W, b.
// The first layer uses the Gram matrix W_1 W_1^T when d > n_1 (see below).
#include "aelab/autoencoder.hpp"

#include <algorithm>

namespace aelab {

template <class T>
double Autoencoder<T>::jacobian_sqnorm_sum(const Eigen::Ref<const MatT<T>>& X, VecT<T>* g, double scale) {
    const int L = n_enc_;
    const Index B = X.cols();
    std::vector<MatT<T>> D1(L), D2(L);
    for (int l = 0; l < L; ++l) {
        const Layer& Ly = layers_[l];
        if (g) activation_derivs<T>(Ly.act, Ly.Z, Ly.Y, D1[l], D2[l]);
        else {
            MatT<T> unused;
            activation_derivs<T>(Ly.act, Ly.Z, Ly.Y, D1[l], unused);
        }
    }
    auto Wmap = [&](int l) {
        const Layer& Ly = layers_[l];
        return Eigen::Map<const MatT<T>>(params_.data() + Ly.w_off, Ly.out, Ly.in);
    };
    auto dWmap = [&](int l) {
        const Layer& Ly = layers_[l];
        return Eigen::Map<MatT<T>>(g->data() + Ly.w_off, Ly.out, Ly.in);
    };
    const T sc = T(scale);

    if (L == 1) {  // closed form
        auto W = Wmap(0);
        VecT<T> w2 = W.rowwise().squaredNorm();                      // ||W_j||^2 (k)
        MatT<T> S2 = D1[0].array().square();                         // s'^2 (k x B)
        double val = (S2.transpose() * w2).template cast<double>().sum();
        if (g) {
            VecT<T> r = S2.rowwise().sum();                          // sum_b s'^2 (k)
            dWmap(0) += (T(2) * sc * r).asDiagonal() * W;
            MatT<T> S = (D1[0].array() * D2[0].array()).matrix();     // s' s'' (k x B)
            S = (T(2) * sc * w2).asDiagonal() * S;
            dWmap(0).noalias() += S * X.transpose();
            Eigen::Map<VecT<T>>(g->data() + layers_[0].b_off, layers_[0].out) += S.rowwise().sum();
        }
        return val;
    }

    // Deeper encoders: per sample, the chain from the code side. The first layer dominates
    // (k n_1 d per product); when d > n_1 it goes through the Gram matrix G = W_1 W_1^T:
    // ||P_1 W_1||^2 = tr(P_1 G P_1^T), d/dP_1 = 2 P_1 G, d/dW_1 = 2 (sum_b P_1^T P_1) W_1,
    // so per sample k n_1^2 instead of k n_1 d (plus n_1^2 d twice per batch).
    const bool gram = layers_[0].in > layers_[0].out;
    MatT<T> G0, M0, PG;
    if (gram) {
        G0.noalias() = Wmap(0) * Wmap(0).transpose();                  // n_1 x n_1
        if (g) M0.setZero(layers_[0].out, layers_[0].out);
    }
    std::vector<MatT<T>> P(L), Q(L), G(L);
    if (g)
        for (int l = 0; l < L; ++l) G[l].setZero(layers_[l].out, B);
    double val = 0;
    MatT<T> dQ, dP;
    for (Index b = 0; b < B; ++b) {
        P[L - 1] = D1[L - 1].col(b).asDiagonal();                    // k x k
        for (int l = L - 1; l >= 1; --l) {
            Q[l].noalias() = P[l] * Wmap(l);                          // k x n_{l-1}
            P[l - 1] = Q[l] * D1[l - 1].col(b).asDiagonal();
        }
        if (gram) {
            PG.noalias() = P[0] * G0;                                 // k x n_1
            val += (P[0].array() * PG.array()).template cast<double>().sum();
        } else {
            Q[0].noalias() = P[0] * Wmap(0);                          // k x d = J
            val += double(Q[0].squaredNorm());
        }
        if (!g) continue;
        for (int l = 0; l < L; ++l) {
            if (l == 0 && gram) {
                M0.noalias() += P[0].transpose() * P[0];
                dP = (T(2) * sc) * PG;
            } else {
                if (l == 0) dQ = (T(2) * sc) * Q[0];
                dWmap(l).noalias() += P[l].transpose() * dQ;
                dP.noalias() = dQ * Wmap(l).transpose();              // k x n_l
            }
            if (l < L - 1) {
                G[l].col(b).array() = (Q[l + 1].array() * dP.array()).colwise().sum().transpose() * D2[l].col(b).array();
                dQ = dP * D1[l].col(b).asDiagonal();
            } else {
                G[l].col(b).array() = dP.diagonal().array() * D2[l].col(b).array();
            }
        }
    }
    if (g && gram) dWmap(0).noalias() += (T(2) * sc) * (M0 * Wmap(0));
    if (g) {  // backward of the injected G_l through a_l = W_l h_{l-1} + b_l, h = s(a)
        MatT<T> delta = G[L - 1], prev;
        for (int l = L - 1; l >= 0; --l) {
            const MatT<T>* H = l > 0 ? &layers_[l - 1].Y : nullptr;
            if (H) dWmap(l).noalias() += delta * H->transpose();
            else dWmap(l).noalias() += delta * X.transpose();
            Eigen::Map<VecT<T>>(g->data() + layers_[l].b_off, layers_[l].out) += delta.rowwise().sum();
            if (l > 0) {
                prev.noalias() = Wmap(l).transpose() * delta;
                delta = (G[l - 1].array() + prev.array() * D1[l - 1].array()).matrix();
            }
        }
    }
    return val;
}

template <class T>
double Autoencoder<T>::contractive_penalty(const Eigen::Ref<const MatT<T>>& X, VecT<T>* g) {
    AELAB_REQUIRE(X.rows() == cfg_.input_dim && X.cols() > 0,
                  "contractive penalty: batch has " + std::to_string(X.rows()) + " rows x " +
                      std::to_string(X.cols()) + " columns, model expects " + std::to_string(cfg_.input_dim) + " rows");
    AELAB_REQUIRE(!g || g->size() == num_params(), "contractive penalty: gradient buffer has the wrong size");
    if (cfg_.contractive == 0) return 0;
    forward_range(0, n_enc_, X);
    const double c = cfg_.contractive / double(X.cols());
    return c * jacobian_sqnorm_sum(X, g, c);
}

template <class T> double Autoencoder<T>::jacobian_sqnorm(const Eigen::Ref<const MatT<T>>& X, Index chunk) {
    AELAB_REQUIRE(X.rows() == cfg_.input_dim && X.cols() > 0,
                  "encoder Jacobian: data has " + std::to_string(X.rows()) + " rows x " + std::to_string(X.cols()) +
                      " columns, model expects " + std::to_string(cfg_.input_dim) + " rows");
    AELAB_REQUIRE(chunk > 0, "encoder Jacobian: chunk must be positive");
    double s = 0;
    for (Index a = 0; a < X.cols(); a += chunk) {
        const Index n = std::min(chunk, X.cols() - a);
        auto Xs = X.middleCols(a, n);
        forward_range(0, n_enc_, Xs);
        s += jacobian_sqnorm_sum(Xs, nullptr, 0);
    }
    return s / double(X.cols());
}

template double Autoencoder<float>::jacobian_sqnorm_sum(const Eigen::Ref<const MatT<float>>&, VecT<float>*, double);
template double Autoencoder<double>::jacobian_sqnorm_sum(const Eigen::Ref<const MatT<double>>&, VecT<double>*, double);
template double Autoencoder<float>::contractive_penalty(const Eigen::Ref<const MatT<float>>&, VecT<float>*);
template double Autoencoder<double>::contractive_penalty(const Eigen::Ref<const MatT<double>>&, VecT<double>*);
template double Autoencoder<float>::jacobian_sqnorm(const Eigen::Ref<const MatT<float>>&, Index);
template double Autoencoder<double>::jacobian_sqnorm(const Eigen::Ref<const MatT<double>>&, Index);

}  // namespace aelab
