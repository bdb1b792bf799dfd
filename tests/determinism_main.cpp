// Prints the loss sequence of a fixed small training run, one value per line with 9
// significant digits. Built natively and to WASM; tests/compare_determinism.cmake checks
// that both builds print the same sequence to 1e-4 relative.
#include "aelab/autoencoder.hpp"
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
    return 0;
}
