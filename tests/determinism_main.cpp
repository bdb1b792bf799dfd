// Prints the loss sequences of fixed small training runs, one value per line with 9
// significant digits: a dense denoising AE, and a conv VAE (convolution, max-pooling,
// transposed convolution, the Gaussian code with sampled eps) through the same Trainer.
// Built natively and to WASM; tests/compare_determinism.cmake checks that both builds print
// the same sequences to 1e-4 relative.
#include "aelab/autoencoder.hpp"
#include "aelab/model.hpp"
#include "aelab/trainer.hpp"

#include <cstdio>

int main() {
    using namespace aelab;
    Rng r(2024);
    Mat X(16, 256);
    for (Index j = 0; j < X.cols(); ++j) {  // data near a 3-D subspace, in [0, 1]
        double a = r.uniform(), b = r.uniform(), c = r.uniform();
        for (Index i = 0; i < X.rows(); ++i)
            X(i, j) = float(0.5 + 0.2 * std::sin(double(i) * a) + 0.2 * b * std::cos(double(i) * 0.3) +
                            0.05 * c + 0.01 * r.normal());
    }
    AEConfig c = AEConfig::from_arch("16-12-3");
    c.hidden_act = Activation::ELU;
    c.output_act = Activation::Sigmoid;
    c.loss = ReconLoss::BCE;
    c.noise = Noise::Gaussian;
    c.noise_level = 0.02;
    Autoencoder<float> ae(c);
    ae.init_params(7);
    TrainConfig tc;
    tc.batch_size = 32;
    tc.seed = 11;
    tc.eval_every = 0;
    Trainer tr(ae, OptimizerConfig::defaults_for(OptimizerKind::Adam), X, nullptr, tc);
    for (int i = 0; i < 60; ++i) {
        tr.step({1, 0.0});
        std::printf("%.9g\n", tr.last_loss());
    }
    std::printf("final_mse %.9g\n", ae.evaluate(X).mse);

    // A conv VAE on 8 x 8 images (the 16-d data above, tiled and squashed into (0, 1)).
    Mat I(64, 256);
    for (Index j = 0; j < I.cols(); ++j)
        for (Index i = 0; i < 64; ++i) I(i, j) = X((i * 5 + i / 8) % 16, j) * (0.6f + 0.005f * float(i));
    GraphObjective obj;
    obj.loss = ReconLoss::BCE;
    obj.sum_per_sample = true;
    GraphModel vae(Shape{64, 1, 1}, parse_arch("r1x8x8,c6k3-elu,p2,c8k3s2-elu,g3|d32-elu,r2x4x4,t4k3s2-relu,t1k3-sigmoid,flatten"), obj);
    vae.init_params(5);
    TrainConfig vc;
    vc.batch_size = 16;
    vc.seed = 3;
    vc.eval_every = 0;
    OptimizerConfig adam = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    adam.lr = 3e-3;
    Trainer tv(vae, adam, I, nullptr, vc);
    for (int i = 0; i < 40; ++i) {
        tv.step({1, 0.0});
        std::printf("%.9g\n", tv.last_loss());
    }
    const LossParts e = vae.evaluate(I);
    std::printf("vae_recon %.9g\nvae_kl %.9g\n", e.recon, e.kl);
    return 0;
}
