// presets.cpp: see presets.hpp.
#include "presets.hpp"

namespace aelab::app {
namespace {

Settings linear(DatasetKind d, int latent, double lr, int batch) {
    Settings s;
    s.dataset = d;
    s.hidden = {};
    s.latent = latent;
    s.acts = {};
    s.code_act = Activation::Identity;
    s.out_act = Activation::Identity;
    s.loss = ReconLoss::MSE;
    s.opt = OptimizerKind::Adam;
    s.lr = lr;
    s.batch = batch;
    s.seed = 1;
    return s;
}

std::vector<Preset> make_presets() {
    std::vector<Preset> v;
    {
        Preset p;
        p.key = "linear-mnist";
        p.title = "Linear AE vs PCA on MNIST";
        p.description =
            "A linear autoencoder 784-2-784 trained with MSE: its loss falls onto PCA's bound and the "
            "principal angles between its decoder and PCA's plane go to zero.";
        p.settings = linear(DatasetKind::MNIST, 2, 3e-3, 100);
        v.push_back(p);
    }
    {
        Preset p;
        p.key = "nonlinear-mnist";
        p.title = "Nonlinear beats linear";
        p.description =
            "Same 2-D code, but hidden ELU layers and a sigmoid output: the test loss drops below "
            "PCA's bound and the digits separate in the latent plane.";
        Settings s = linear(DatasetKind::MNIST, 2, 2e-3, 64);
        s.hidden = {128, 32};
        s.set_all_acts(Activation::ELU);
        s.out_act = Activation::Sigmoid;
        p.settings = s;
        v.push_back(p);
    }
    {
        Preset p;
        p.key = "course-gauss2d";
        p.title = "Course: PCA of a 2-D Gaussian";
        p.description =
            "Samples of N(mu, Sigma) in 2-D and a 2-1-2 linear autoencoder: the reconstructions "
            "collapse onto the first principal axis.";
        p.settings = linear(DatasetKind::Gauss2D, 1, 3e-2, 32);
        p.settings.speed = 4;  // slow enough to watch the line turn onto the first axis
        v.push_back(p);
    }
    {
        Preset p;
        p.key = "course-curved3d";
        p.title = "Course: linear AE = PCA on 3-D data";
        p.description =
            "A curved band in 3-D and a 3-2-3 linear autoencoder: it finds PCA's best plane "
            "(drag the 3-D plot to rotate).";
        p.settings = linear(DatasetKind::Curved3D, 2, 1e-2, 32);
        p.settings.speed = 6;
        v.push_back(p);
    }
    {
        Preset p;
        p.key = "swissroll";
        p.title = "Swiss roll: nonlinear 2-D code";
        p.description = "A 3-32-32-2 tanh autoencoder on the swiss roll, against PCA's plane.";
        Settings s = linear(DatasetKind::SwissRoll, 2, 3e-3, 32);
        s.speed = 40;
        s.hidden = {32, 32};
        s.set_all_acts(Activation::Tanh);
        p.settings = s;
        v.push_back(p);
    }
    {
        Preset p;
        p.key = "nonlinear-fashion";
        p.title = "Fashion-MNIST, nonlinear";
        p.description = "The nonlinear 2-D autoencoder on Fashion-MNIST, against PCA.";
        Settings s = linear(DatasetKind::Fashion, 2, 2e-3, 64);
        s.hidden = {128, 32};
        s.set_all_acts(Activation::ELU);
        s.out_act = Activation::Sigmoid;
        p.settings = s;
        v.push_back(p);
    }
    for (auto& p : v) p.settings.preset = p.key;
    return v;
}

}  // namespace

const std::vector<Preset>& presets() {
    static const std::vector<Preset> v = make_presets();
    return v;
}

const Preset* find_preset(const std::string& key) {
    for (const auto& p : presets())
        if (p.key == key) return &p;
    return nullptr;
}

const char* default_preset_key() { return "linear-mnist"; }

Settings default_settings() { return find_preset(default_preset_key())->settings; }

}  // namespace aelab::app
