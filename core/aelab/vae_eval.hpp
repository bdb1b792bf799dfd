// aelab/vae_eval.hpp — evaluating a VAE (a Graph<float> with a Gaussian code) in nats per image:
// the ELBO with the mean code, the ELBO with one sampled code, and the IWAE bound.
//
// What: for each image x (a column of X), with the encoder's q(z|x) = N(mu, diag(exp(lv)))
// and the prior p(z) = N(0, I) (k dims):
//   elbo_mean   log p(x | z = mu) - KL(q || p)          (deterministic)
//   elbo        log p(x | z) - KL(q || p), z = mu + sigma * eps, one eps per image from a
//               stream Rng(seed, kVaeEvalStream) (the analytic KL; what models10.md calls the
//               sampled ELBO)
//   elbo_mc     log p(x | z) + log p(z) - log q(z | x) with the same z: the single-sample
//               Monte Carlo estimator of the ELBO (equal in expectation to `elbo`), which is
//               exactly the IWAE bound with K = 1 and the same eps
//   iwae        log (1/K) sum_k p(x | z_k) p(z_k) / q(z_k | x), z_k = mu + sigma * eps_k
//               (log-sum-exp per image), a lower bound on log p(x) that rises with K
// All are means over the images, in nats per image; recon = -log p(x|z) and kl are reported
// apart. The decoder's likelihood follows the training loss:
//   BCE  Bernoulli decoder: log p(x|z) = -sum_i softplus(l_i) - x_i l_i over the output
//        layer's logits l (x in [0, 1]; for non-binary x this is the usual "BCE as likelihood");
//   MSE  Gaussian decoder with FIXED variance 1/2 per value: log p(x|z) = -sum_i (x_i - y_i)^2
//        - (d/2) log(pi). Variance 1/2 makes -log p(x|z) the summed squared error plus a
//        constant, i.e. the objective a per-image-summed MSE VAE trains; the constant is
//        included, so MSE figures are log-densities of continuous pixels, not comparable to
//        the Bernoulli ones.
// Randomness: the eps of a chunk of n images are drawn with Graph::sample_eps(rng, n, eps)
// (k x n, column by column), one draw per importance sample k = 0..K-1, chunk after chunk:
// the same seed and chunk give the same eps, so vae_iwae(K = 1) and vae_elbo_sampled see the
// same codes. The encoder runs once per chunk; the decoder K times.
// Why: the seed-003 paper reports the ELBO and log p(x) estimates; the training loss alone
// (a minibatch average with one sample) is too noisy to compare models.
// Usage:
//   VaeEval e = vae_elbo_sampled(g, ReconLoss::BCE, Xtest, 1);   // e.elbo, e.recon, e.kl
//   double lpx = vae_iwae(g, ReconLoss::BCE, Xtest, 50, 1);       // log p(x) >= lpx
// Errors: aelab::Error when the graph has no Gaussian code, the data do not fit it, K < 1,
// chunk < 1, or (BCE) the output layer is not a sigmoid.
#pragma once

#include "aelab/graph.hpp"

#include <cstdint>

namespace aelab {

constexpr std::uint64_t kVaeEvalStream = 0xe1b0;

struct VaeEval {
    double elbo = 0;     // -(recon + kl)
    double recon = 0;    // -log p(x|z), mean over images
    double kl = 0;       // KL(q(z|x) || N(0, I)), analytic, mean over images
    double elbo_mc = 0;  // single-sample estimator (sampled only; = elbo for the mean code)
    Index images = 0;
};

// The ELBO with the mean code (no randomness).
VaeEval vae_elbo_mean(Graph<float>& g, ReconLoss loss, const Mat& X, Index chunk = 500);
// The ELBO with one sampled code per image from Rng(seed, kVaeEvalStream).
VaeEval vae_elbo_sampled(Graph<float>& g, ReconLoss loss, const Mat& X, std::uint64_t seed, Index chunk = 500);
// The IWAE bound with K importance samples per image (mean over images, nats); per_image
// (optional) receives each image's bound.
double vae_iwae(Graph<float>& g, ReconLoss loss, const Mat& X, int K, std::uint64_t seed, Index chunk = 500,
                VecD* per_image = nullptr);

}  // namespace aelab
