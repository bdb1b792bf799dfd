// tests/bench/repro/kml_dump.cpp — aelab_repro_kml: the C++ side of the KernelML-layer
// reproduction (torch_kmlayers.py). Builds a layer graph in double (seeded init_params, then
// every raw alpha and beta moved by a seeded amount in [-0.5, 0.5] so the check is not at
// alpha = beta = 1), a seeded batch X in [0.05, 0.95], and prints JSON: every layer (kind,
// units, activation or base, transforms, parameter offset), every parameter, X, and core's
// loss (forward_backward, mean over all entries) with its gradient, which
// torch_kmlayers.py recomputes with autograd on the same weights.
// Usage: aelab_repro_kml ARCH INPUT_DIM mse|bce BATCH SEED > case.json
//   e.g. aelab_repro_kml 'kp8-softplus[alpha=exp],km3-tanh[beta=sig(0,2)]|d8-sigmoid' 8 bce 5 1
#include "aelab/graph.hpp"

#include "dump_json.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace aelab;

using repro::print_vec;

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: aelab_repro_kml ARCH INPUT_DIM mse|bce BATCH SEED\n");
        return 2;
    }
    try {
        const ArchSpec arch = parse_arch(argv[1]);
        const long d = std::strtol(argv[2], nullptr, 10), B = std::strtol(argv[4], nullptr, 10);
        const std::string loss = argv[3];
        const unsigned long long seed = std::strtoull(argv[5], nullptr, 10);
        if (d < 1 || d > 100000 || B < 1 || B > 10000) throw Error("INPUT_DIM in 1..100000, BATCH in 1..10000");
        if (loss != "mse" && loss != "bce") throw Error("loss must be mse or bce");
        Graph<double> g(Shape{Index(d), 1, 1}, arch);
        g.init_params(seed);
        Rng rng(seed, 91);
        for (int i = 0; i < g.num_layers(); ++i) {
            const LayerKind k = g.layer(i).kind();
            if (k != LayerKind::KPower && k != LayerKind::KMean) continue;
            const Index e = g.offset(i) + g.layer(i).num_params() - 2;
            g.params()(e) += rng.uniform(-0.5, 0.5);
            g.params()(e + 1) += rng.uniform(-0.5, 0.5);
        }
        MatD X(d, B);
        rng.fill_uniform(X, 0.05, 0.95);
        GraphObjective obj;
        obj.loss = loss == "bce" ? ReconLoss::BCE : ReconLoss::MSE;
        const GraphLossParts l = g.forward_backward(X, X, obj);
        std::printf("{\n\"arch\": \"%s\", \"loss_kind\": \"%s\", \"rows\": %ld, \"cols\": %ld,\n", g.arch_string().c_str(),
                    loss.c_str(), d, B);
        std::printf("\"layers\": [");
        for (int i = 0; i < g.num_layers(); ++i) {
            const LayerSpec& s = g.layer(i).spec();
            const char* kind = s.kind == LayerKind::KPower ? "kp" : s.kind == LayerKind::KMean ? "km"
                               : s.kind == LayerKind::Dense ? "dense" : "other";
            std::printf("%s{\"kind\": \"%s\", \"in\": %ld, \"out\": %ld, \"act\": \"%s\", \"base\": \"%s\", "
                        "\"alpha_tf\": [%d, %.17g, %.17g], \"beta_tf\": [%d, %.17g, %.17g], \"off\": %ld}",
                        i ? ",\n " : "", kind, long(g.layer(i).in_shape().size()), long(g.layer(i).out_shape().size()),
                        activation_name(s.act), activation_name(s.base), int(s.alpha_tf.kind), s.alpha_tf.lo,
                        s.alpha_tf.hi, int(s.beta_tf.kind), s.beta_tf.lo, s.beta_tf.hi, long(g.offset(i)));
        }
        std::printf("],\n");
        print_vec("params", g.params().data(), g.num_params());
        print_vec("X", X.data(), X.size());
        print_vec("grad", g.grads().data(), g.num_params());
        std::printf("\"loss\": %.17g\n}\n", l.total);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "aelab_repro_kml: %s\n", e.what());
        return 1;
    }
    return 0;
}
