// The theorem behind the playground's headline demo (Baldi & Hornik 1989; Bourlard & Kamp
// 1988): a linear autoencoder trained on squared error converges to the subspace spanned by
// the top-k principal components. Checked on synthetic low-rank data against our PCA.
#include <doctest.h>

#include "aelab/autoencoder.hpp"
#include "aelab/pca.hpp"
#include "aelab/subspace.hpp"
#include "aelab/trainer.hpp"

using namespace aelab;

namespace {
// N samples near a 3-D subspace of R^20 with a decaying spectrum plus isotropic noise.
Mat low_rank_data(Index n, std::uint64_t seed) {
    Rng basis_rng(1234);  // same subspace for train and test
    Mat U(20, 3);
    basis_rng.fill_normal(U, 1.0);
    Rng r(seed);
    Mat X(20, n);
    const double s[3] = {3.0, 2.0, 1.2};
    for (Index j = 0; j < n; ++j) {
        Vec c(3);
        for (int i = 0; i < 3; ++i) c(i) = float(s[i] * r.normal());
        X.col(j) = U * c;
        for (Index i = 0; i < 20; ++i) X(i, j) += float(0.5 + 0.3 * r.normal());
    }
    return X;
}

struct Result {
    double ae_mse, pca_mse, max_angle;
};

Result train_linear(const std::string& arch, long steps) {
    Mat Xtr = low_rank_data(4000, 1), Xte = low_rank_data(1000, 2);
    PcaOptions po;
    po.n_components = 3;
    PCA pca(po);
    pca.fit(Xtr);
    AEConfig c = AEConfig::from_arch(arch);
    c.hidden_act = Activation::Identity;  // fully linear
    Autoencoder<float> ae(c);
    ae.init_params(3);
    TrainConfig tc;
    tc.batch_size = 100;
    tc.eval_every = 0;
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    oc.lr = 1e-2;
    Trainer tr(ae, oc, Xtr, &Xte, tc);
    for (double lr : {1e-2, 3e-3, 1e-3, 1e-4}) {  // step decay: a quarter of the steps each
        oc.lr = lr;
        tr.set_optimizer(oc);
        tr.step({steps / 4, 0.0});
    }
    Result r;
    r.ae_mse = ae.evaluate(Xte).mse;
    r.pca_mse = pca.reconstruction_mse(Xte);
    r.max_angle = largest_principal_angle(ae.decoder_linear_map(), pca.components_);
    MESSAGE(arch << ": AE test MSE " << r.ae_mse << ", PCA-3 test MSE " << r.pca_mse
                 << ", largest principal angle " << r.max_angle << " rad");
    return r;
}
}  // namespace

TEST_SUITE("linear_ae") {
    TEST_CASE("linear_ae: a linear AE 20-3-20 reaches within 2% of PCA's MSE and spans the PCA subspace") {
        Result r = train_linear("20-3", 8000);
        CHECK(r.ae_mse <= 1.02 * r.pca_mse);
        CHECK(r.max_angle < 0.05);  // radians
    }
    TEST_CASE("linear_ae: a deep linear AE 20-10-3-10-20 also spans the PCA subspace") {
        Result r = train_linear("20-10-3", 8000);
        CHECK(r.ae_mse <= 1.02 * r.pca_mse);
        CHECK(r.max_angle < 0.05);
    }
    TEST_CASE("linear_ae: an untrained linear AE is far from PCA (the check can fail)") {
        Result r = train_linear("20-3", 4);
        CHECK(r.ae_mse > 1.5 * r.pca_mse);
        CHECK(r.max_angle > 0.3);
    }
}
