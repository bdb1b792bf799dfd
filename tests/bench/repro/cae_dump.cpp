// tests/bench/repro/cae_dump.cpp — aelab_repro_cae: the C++ side of the contractive-penalty
// reproduction (torch_cae.py). For one dense autoencoder in double (seeded init_params) and
// a seeded batch X in [0, 1], prints JSON: the configuration, every parameter, X, and core's
// contractive penalty (lambda * mean ||J_f(x)||_F^2) with its gradient (contractive_penalty),
// which torch_cae.py recomputes with torch.autograd.functional.jacobian on the same weights.
// Usage: aelab_repro_cae ARCH ACT CODE_ACT LAMBDA BATCH SEED > case.json
//   e.g. aelab_repro_cae 784-64-16 sigmoid sigmoid 0.1 8 3
#include "aelab/autoencoder.hpp"

#include "dump_json.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace aelab;

using repro::print_vec;

int main(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(stderr, "usage: aelab_repro_cae ARCH ACT CODE_ACT LAMBDA BATCH SEED\n");
        return 2;
    }
    try {
        AEConfig c = AEConfig::from_arch(argv[1]);
        c.hidden_act = parse_activation(argv[2]);
        c.latent_act = parse_activation(argv[3]);
        c.contractive = std::strtod(argv[4], nullptr);
        const long B = std::strtol(argv[5], nullptr, 10);
        const unsigned long long seed = std::strtoull(argv[6], nullptr, 10);
        if (B < 1 || B > 10000) throw Error("BATCH must be in 1..10000");
        c.validate();
        Autoencoder<double> ae(c);
        ae.init_params(seed);
        Rng rng(seed, 77);
        MatD X(c.input_dim, B);
        rng.fill_uniform(X, 0.0, 1.0);
        VecD g = VecD::Zero(ae.num_params());
        const double pen = ae.contractive_penalty(X, &g);
        std::printf("{\n\"arch\": \"%s\", \"act\": \"%s\", \"code_act\": \"%s\", \"lambda\": %.17g,\n", argv[1],
                    activation_name(c.hidden_act), activation_name(c.latent_act), c.contractive);
        std::printf("\"encoder_layers\": [");
        for (int l = 0; l < ae.num_encoder_layers(); ++l) {
            const auto& L = ae.layer(l);
            std::printf("%s{\"in\": %ld, \"out\": %ld, \"act\": \"%s\", \"w_off\": %ld, \"b_off\": %ld}", l ? ", " : "",
                        long(L.in), long(L.out), activation_name(L.act), long(L.w_off), long(L.b_off));
        }
        std::printf("],\n\"rows\": %ld, \"cols\": %ld, \"penalty\": %.17g,\n", long(X.rows()), long(X.cols()), pen);
        print_vec("params", ae.params().data(), ae.num_params());
        print_vec("X", X.data(), X.size());  // column-major: one sample per column
        print_vec("grad", g.data(), g.size(), true);
        std::printf("}\n");
    } catch (const Error& e) {
        std::fprintf(stderr, "aelab_repro_cae: %s\n", e.what());
        return 2;
    }
    return 0;
}
