// vae_eval.cpp: see aelab/vae_eval.hpp.
#include "aelab/vae_eval.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace aelab {

namespace {

constexpr double kLogPi = 1.1447298858494002;  // log(pi)

// The output layer: the last one that is not a reshape/flatten (its preactivation = logits).
int output_layer(const Graph<float>& g) {
    int i = g.num_layers() - 1;
    while (i > 0 && g.layer(i).spec().kind == LayerKind::Reshape) --i;
    return i;
}

void check(Graph<float>& g, ReconLoss loss, const Mat& X, Index chunk) {
    AELAB_REQUIRE(g.gaussian() != nullptr, "VAE evaluation: the model has no Gaussian code (g<K>)");
    AELAB_REQUIRE(g.encoder_layers() < g.num_layers(), "VAE evaluation: the model has no decoder");
    AELAB_REQUIRE(X.rows() == g.input_shape().size(), "VAE evaluation: data have " + std::to_string(X.rows()) +
                                                          " rows, the model expects " +
                                                          std::to_string(g.input_shape().size()));
    AELAB_REQUIRE(X.cols() >= 1, "VAE evaluation: no images");
    AELAB_REQUIRE(chunk >= 1, "VAE evaluation: chunk must be positive");
    if (loss == ReconLoss::BCE)
        AELAB_REQUIRE(g.output_activation() == Activation::Sigmoid,
                      "VAE evaluation: the Bernoulli decoder (loss bce) needs a sigmoid output layer");
}

// One chunk's encoder results: mean and log-variance (k x n), the analytic KL per image.
struct Posterior {
    Mat mu, lv, sigma;
    VecD kl;
};

void encode_chunk(Graph<float>& g, const Eigen::Ref<const Mat>& Xc, Posterior& q) {
    const Index n = Xc.cols();
    g.encode(Xc, q.mu, n);  // one pass: the Gaussian layer then holds this chunk's log-variance
    q.lv = g.gaussian()->logvar();
    q.sigma = (0.5f * q.lv.array()).exp().matrix();
    q.kl.resize(n);
    for (Index j = 0; j < n; ++j) {
        double s = 0;
        for (Index r = 0; r < q.mu.rows(); ++r) {
            const double m = q.mu(r, j), l = q.lv(r, j);
            s += m * m + std::exp(l) - 1.0 - l;
        }
        q.kl(j) = 0.5 * s;
    }
}

// log p(x | z) per image for the codes Z (k x n) of the chunk Xc.
void log_likelihood(Graph<float>& g, ReconLoss loss, const Eigen::Ref<const Mat>& Xc, const Mat& Z, VecD& ll) {
    const Index n = Xc.cols(), d = Xc.rows();
    Mat Y;
    g.decode(Z, Y, n);  // one pass: the output layer's preactivation is this chunk's logits
    ll.resize(n);
    if (loss == ReconLoss::BCE) {
        const Mat& L = g.layer(output_layer(g)).preactivation();
        for (Index j = 0; j < n; ++j) {
            double s = 0;
            for (Index i = 0; i < d; ++i) {
                const double l = L(i, j), x = Xc(i, j);
                s += std::max(l, 0.0) - x * l + std::log1p(std::exp(-std::abs(l)));
            }
            ll(j) = -s;
        }
    } else {
        for (Index j = 0; j < n; ++j) {
            double s = 0;
            for (Index i = 0; i < d; ++i) {
                const double e = double(Xc(i, j)) - double(Y(i, j));
                s += e * e;
            }
            ll(j) = -s - 0.5 * double(d) * kLogPi;
        }
    }
}

// log p(z) - log q(z | x) per image for z = mu + sigma * eps (the 2 pi terms cancel).
double log_prior_minus_posterior(const Posterior& q, const Mat& eps, const Mat& Z, Index j) {
    double s = 0;
    for (Index r = 0; r < Z.rows(); ++r) {
        const double z = Z(r, j), e = eps(r, j);
        s += -0.5 * z * z + 0.5 * e * e + 0.5 * double(q.lv(r, j));
    }
    return s;
}

// K sampled codes per image; calls f(k, eps, Z, ll) for each draw of the chunk.
template <class F>
void for_each_chunk(Graph<float>& g, ReconLoss loss, const Mat& X, int K, Rng& rng, Index chunk, F&& f) {
    Posterior q;
    Mat eps, Z;
    VecD ll;
    for (Index s = 0; s < X.cols(); s += chunk) {
        const Index n = std::min(chunk, X.cols() - s);
        const auto Xc = X.middleCols(s, n);
        encode_chunk(g, Xc, q);
        for (int k = 0; k < K; ++k) {
            g.sample_eps(rng, n, eps);
            Z = (q.mu.array() + q.sigma.array() * eps.array()).matrix();
            log_likelihood(g, loss, Xc, Z, ll);
            f(s, k, q, eps, Z, ll);
        }
    }
}

}  // namespace

VaeEval vae_elbo_mean(Graph<float>& g, ReconLoss loss, const Mat& X, Index chunk) {
    check(g, loss, X, chunk);
    VaeEval r;
    Posterior q;
    VecD ll;
    for (Index s = 0; s < X.cols(); s += chunk) {
        const Index n = std::min(chunk, X.cols() - s);
        const auto Xc = X.middleCols(s, n);
        encode_chunk(g, Xc, q);
        log_likelihood(g, loss, Xc, q.mu, ll);
        r.recon -= ll.sum();
        r.kl += q.kl.sum();
    }
    r.images = X.cols();
    r.recon /= double(r.images);
    r.kl /= double(r.images);
    r.elbo = -(r.recon + r.kl);
    r.elbo_mc = r.elbo;
    return r;
}

VaeEval vae_elbo_sampled(Graph<float>& g, ReconLoss loss, const Mat& X, std::uint64_t seed, Index chunk) {
    check(g, loss, X, chunk);
    VaeEval r;
    Rng rng(seed, kVaeEvalStream);
    for_each_chunk(g, loss, X, 1, rng, chunk,
                   [&](Index, int, const Posterior& q, const Mat& eps, const Mat& Z, const VecD& ll) {
                       for (Index j = 0; j < Z.cols(); ++j) {
                           r.recon -= ll(j);
                           r.kl += q.kl(j);
                           r.elbo_mc += ll(j) + log_prior_minus_posterior(q, eps, Z, j);
                       }
                   });
    r.images = X.cols();
    r.recon /= double(r.images);
    r.kl /= double(r.images);
    r.elbo_mc /= double(r.images);
    r.elbo = -(r.recon + r.kl);
    return r;
}

double vae_iwae(Graph<float>& g, ReconLoss loss, const Mat& X, int K, std::uint64_t seed, Index chunk,
                VecD* per_image) {
    check(g, loss, X, chunk);
    AELAB_REQUIRE(K >= 1 && K <= 100000, "IWAE: K (importance samples) must be in 1..100000, got " + std::to_string(K));
    Rng rng(seed, kVaeEvalStream);
    MatD W;  // K x n log-weights of the current chunk
    VecD bound(X.cols());
    for_each_chunk(g, loss, X, K, rng, chunk,
                   [&](Index s, int k, const Posterior& q, const Mat& eps, const Mat& Z, const VecD& ll) {
                       const Index n = Z.cols();
                       if (k == 0) W.resize(K, n);
                       for (Index j = 0; j < n; ++j) W(k, j) = ll(j) + log_prior_minus_posterior(q, eps, Z, j);
                       if (k + 1 < K) return;
                       for (Index j = 0; j < n; ++j) {  // log-sum-exp - log K
                           const double m = W.col(j).maxCoeff();
                           bound(s + j) = m + std::log((W.col(j).array() - m).exp().sum()) - std::log(double(K));
                       }
                   });
    const double mean = bound.mean();
    if (per_image) *per_image = std::move(bound);
    return mean;
}

}  // namespace aelab
