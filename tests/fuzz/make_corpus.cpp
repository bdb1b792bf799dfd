// tests/fuzz/make_corpus.cpp — writes the fuzz harnesses' seed corpus from real artefacts.
//
// What: `make_corpus DATA_DIR OUT_DIR` fills OUT_DIR/{idx,checkpoint,model,query,arch,cli,csv}/
// with small seeds: IDX image+label pairs cut from DATA_DIR/mnist and DATA_DIR/fashion
// (first 2 and first 10 images, written by write_idx), checkpoints written by
// write_checkpoint, model files written by the real save_model after a few training steps
// (every optimizer, tied / untied, per-layer activations, sparsity, noise, metadata as the
// CLI writes it), the page's preset queries and README's embedding examples, README's
// architecture strings, README's CLI command lines (NUL-separated argv) and synthetic CSV tables
// (two option bytes + the file; see csv_fuzz.cpp).
// Why: seeds made from real files start the fuzzer on the product's real formats; keeping
// models tiny (a few hundred parameters) keeps the corpus well under 200 KB.
// Usage: tests/fuzz/make_corpus.sh  (builds this tool in build/fuzz and runs it)
#include "aelab/checkpoint.hpp"
#include "aelab/idx.hpp"
#include "aelab/model_io.hpp"
#include "aelab/trainer.hpp"
#include "presets.hpp"
#include "state.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

using namespace aelab;
using Bytes = std::vector<std::uint8_t>;

namespace {

std::string g_out;

void write(const std::string& sub, const std::string& name, const Bytes& b) {
    const std::string path = g_out + "/" + sub + "/" + name;
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
    if (!f) throw std::runtime_error("cannot write " + path);
}
void write_text(const std::string& sub, const std::string& name, const std::string& s) {
    write(sub, name, Bytes(s.begin(), s.end()));
}

Bytes read_all(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + path + " (run scripts/setup for the data)");
    return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// The first n items of an IDX file, re-written by write_idx.
Bytes first_items(const Bytes& file, std::uint32_t n) {
    IdxArray a = parse_idx(file.data(), file.size());
    std::size_t per = 1;
    for (std::size_t i = 1; i < a.dims.size(); ++i) per *= a.dims[i];
    std::vector<std::uint32_t> dims = a.dims;
    dims[0] = n;
    return write_idx(dims, Bytes(a.data.begin(), a.data.begin() + std::ptrdiff_t(per * n)));
}

void idx_seeds(const std::string& data_dir) {
    for (const char* set : {"mnist", "fashion"}) {
        const std::string d = data_dir + "/" + set + "/";
        const Bytes img = read_all(d + "t10k-images-idx3-ubyte"), lab = read_all(d + "t10k-labels-idx1-ubyte");
        for (std::uint32_t n : {2u, 10u}) {
            Bytes pair = first_items(img, n);
            const Bytes l = first_items(lab, n);
            pair.insert(pair.end(), l.begin(), l.end());
            write("idx", std::string(set) + "-pair-" + std::to_string(n), pair);
        }
        write("idx", std::string(set) + "-labels-5", first_items(lab, 5));
    }
}

// A model trained a few steps on 16 random samples, saved with its optimizer.
Bytes trained_model(const AEConfig& c, OptimizerKind kind, bool with_opt) {
    Autoencoder<float> m(c);
    m.init_params(1);
    Rng rng(3);
    Mat X(c.input_dim, 16);
    for (Index i = 0; i < X.size(); ++i) X.data()[i] = float(rng.uniform(0, 1));
    TrainConfig tc;
    tc.batch_size = 4;
    tc.eval_every = 0;
    Trainer tr(m, OptimizerConfig::defaults_for(kind), X, nullptr, tc);
    tr.step({3, 0.0});
    const std::map<std::string, std::string> meta = {
        {"data", "mnist"}, {"batch", "4"}, {"seed", "1"}, {"command", "aelab train --arch " + c.arch_string()}};
    return save_model(m, with_opt ? &tr.optimizer() : nullptr, {tr.steps(), tr.samples_seen(), tr.epoch()}, meta);
}

// Layer-graph models (model format 3): a tiny conv AE with its optimizer and a tiny conv VAE
// with the trainer's whole state (eps drawn, VAE history columns).
void graph_model_seeds() {
    struct G {
        const char* name;
        const char* arch;
        bool vae;
    };
    const G graphs[] = {{"graph-conv-ae-adam", "r1x4x4,c2k3-relu,p2|t1k3s2-sigmoid,flatten", false},
                        {"graph-conv-vae-trainer", "r1x4x4,c2k3s2-elu,g2|d8-relu,r2x2x2,t1k3s2-sigmoid,flatten", true}};
    for (const G& g : graphs) {
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        obj.sum_per_sample = g.vae;
        GraphModel m(Shape{16, 1, 1}, parse_arch(g.arch), obj);
        m.init_params(1);
        Rng rng(3);
        Mat X(16, 16);
        for (Index i = 0; i < X.size(); ++i) X.data()[i] = float(rng.uniform(0, 1));
        TrainConfig tc;
        tc.batch_size = 4;
        tc.eval_every = 2;
        Trainer tr(m, OptimizerConfig::defaults_for(OptimizerKind::Adam), X, &X, tc);
        tr.step({5, 0.0});
        const std::map<std::string, std::string> meta = {{"data", "mnist"}, {"command", std::string("aelab train --arch ") + g.arch}};
        const Bytes b = g.vae ? save_model(m, tr.state(), meta)
                              : save_model(m, &tr.optimizer(), {tr.steps(), tr.samples_seen(), tr.epoch()}, meta);
        write("model", g.name, b);
        if (g.vae) {
            // Regression seed (found by the model fuzzer): the last transposed conv's stride 2 -> 1
            // keeps the parameter count but makes the 16-value model output 4 values; read_model
            // must refuse it (training such a file threw).
            Checkpoint ck = read_checkpoint(b.data(), b.size());
            const std::string from = "t1k3s2same-sigmoid", to = "t1k3s1same-sigmoid";
            const size_t at = ck.config_text.find(from);
            if (at == std::string::npos) throw std::runtime_error("make_corpus: graph seed string not found");
            ck.config_text.replace(at, from.size(), to);
            write("model", "known-c-graph-output-size", write_checkpoint(ck));
        }
    }
}

void model_and_checkpoint_seeds() {
    graph_model_seeds();
    struct M {
        const char* name;
        const char* arch;
        OptimizerKind opt;
        bool with_opt;
        void (*tweak)(AEConfig&);
    };
    const M models[] = {
        {"linear-3-2-noopt", "3-2", OptimizerKind::Adam, false, [](AEConfig&) {}},
        {"elu-4-3-2-adam", "4-3-2", OptimizerKind::Adam, true, [](AEConfig& c) { c.hidden_act = Activation::ELU; }},
        {"tied-4-3-2-sgd", "4-3-2", OptimizerKind::SGD, true, [](AEConfig& c) { c.tied = true; }},
        {"peract-5-4-3-2-rmsprop", "5-4-3-2", OptimizerKind::RMSProp, true,
         [](AEConfig& c) {
             c.hidden_acts = {Activation::Tanh, Activation::ReLU, Activation::SELU, Activation::Softplus};
         }},
        {"sigmoid-bce-4-2-adagrad", "4-2", OptimizerKind::AdaGrad, true,
         [](AEConfig& c) {
             c.output_act = Activation::Sigmoid;
             c.loss = ReconLoss::BCE;
         }},
        {"kl-sparse-4-3-adamw", "4-3", OptimizerKind::AdamW, true,
         [](AEConfig& c) {
             c.latent_act = Activation::Sigmoid;
             c.sparsity = Sparsity::KL;
             c.sparsity_weight = 0.1;
             c.weight_decay = 0.01;
         }},
        {"noise-3-3-1-lbfgs", "3-3-1", OptimizerKind::LBFGS, true,
         [](AEConfig& c) {
             c.noise = Noise::Gaussian;
             c.noise_level = 0.1;
         }},
        {"decoder-3-2-mc", "3-2", OptimizerKind::MonteCarlo, true,
         [](AEConfig& c) {
             c.mirror_decoder = false;
             c.decoder = {4};
             c.hidden_act = Activation::LeakyReLU;
         }},
    };
    for (const M& m : models) {
        AEConfig c = AEConfig::from_arch(m.arch);
        m.tweak(c);
        const Bytes b = trained_model(c, m.opt, m.with_opt);
        write("model", m.name, b);
        if (std::string(m.name) == "elu-4-3-2-adam") {
            write("checkpoint", "model-elu-4-3-2-adam", b);
            // The same model as a version-2 writer stored it (no model_kind), still loadable.
            Checkpoint ck = read_checkpoint(b.data(), b.size());
            auto kv = parse_config(ck.config_text);
            kv.erase("model_kind");
            kv["model_format_version"] = "2";
            ck.config_text = format_config(kv);
            write("model", "v2-elu-4-3-2-adam", write_checkpoint(ck));
        }
    }
    // Two model_io defects found before the fuzzers existed, kept as regression seeds: these
    // files must be refused with an aelab::Error like any other bad file.
    {
        const Bytes base = trained_model(AEConfig::from_arch("3-2"), OptimizerKind::Adam, false);
        Checkpoint short_name = read_checkpoint(base.data(), base.size());
        short_name.arrays["ab"] = {1.0f};  // (b) an extra array named with fewer than 4 bytes
        write("model", "known-b-short-array-name", write_checkpoint(short_name));
        Checkpoint huge = read_checkpoint(base.data(), base.size());
        std::map<std::string, std::string> kv = parse_config(huge.config_text);
        std::string enc;
        for (int i = 0; i < 700; ++i) enc += std::string(i ? "," : "") + "65536,1";
        kv["model.input_dim"] = "1";  // (a) 1-65536-1-...-1: 1.8e8 weights, 2.7e8 floats with biases
        kv["model.latent"] = "1";
        kv["model.encoder"] = enc;
        huge.config_text = format_config(kv);
        write("model", "known-a-huge-layers", write_checkpoint(huge));
    }
    Checkpoint ck;
    ck.config_text = format_config({{"arch", "784-128-32"}, {"lr", "0.001"}, {"name", "run 1"}});
    ck.arrays["params"] = {0.5f, -1.25f, 3.0f};
    ck.arrays["opt.adam.m"] = {};
    ck.scalars["loss"] = 0.0625;
    ck.integers["step"] = 1200;
    ck.integers["rng.state"] = 0x853c49e6748fea9bULL;
    write("checkpoint", "all-kinds", write_checkpoint(ck));
    write("checkpoint", "config-only", write_checkpoint(Checkpoint{}));
    write_text("checkpoint", "config-text",
               "# aelab model\nformat = aelab-model\nmodel.input_dim=784\nmodel.encoder=500,500\n"
               "model.latent=5\nopt.opt=adam\r\nopt.lr=0.001\nmeta.command=aelab train\n\n");
}

void query_seeds() {
    int i = 0;
    for (const auto& p : app::presets()) write_text("query", "preset-" + p.key, "?preset=" + p.key);
    for (const char* q : {"?preset=course-curved3d&hide=controls&autoplay=1", "k=5&opt=sgd",
                          "preset=nonlinear-mnist&lr=0.003&hide=pca",
                          "dataset=fashion&arch=128-32&k=2&act=elu&out=sigmoid&loss=bce",
                          "dataset=swissroll&arch=32-32&act=tanh,relu,relu,tanh&code=linear&batch=32&seed=7",
                          "opt=lbfgs&lr=1&tied=1&speed=4&budget=12&logy=0&hide=loss,scatter,recon,decoder,data",
                          "arch=none&k=1&dataset=gauss2d&act=%20elu&autoplay=0"})
        write_text("query", "readme-" + std::to_string(i++), q);
}

void arch_seeds() {
    int i = 0;
    for (const char* a : {"784-500-500-5", "784-128-32-2", "784-2", "784-500-500-2", "784-256-128", "784-100-30",
                          "2-1", "3-2", "3-32-32-2", "16-12-3"})
        write_text("arch", "readme-" + std::to_string(i++), a);
    // Found by the arch harness: a shape from_arch parses but validate() calls too large.
    write_text("arch", "too-large-3-33723-3372", "3-33723-3372");
}

void cli_seeds() {
    int i = 0;
    for (std::string line : {"compare --data mnist --k 5",
                             "pca --k 2,5,10,30,50,128 --variance 0.95",
                             "train --arch 784-500-500-2 --act elu --epochs 10 --save m.aelab",
                             "train --resume m.aelab --epochs 20",
                             "eval m.aelab",
                             "encode m.aelab --split test",
                             "compare --data mnist --k 5 --steps 6000 --threads 2 --seed 1 --eval-every 120",
                             "train --arch 784-256-128 --act sigmoid --latent-act sigmoid --out-act sigmoid --loss mse "
                             "--opt adam --lr 0.001 --batch 128 --epochs 20",
                             "train --data fashion --arch 784-100-30 --act selu --latent-act selu --out-act sigmoid "
                             "--loss bce --opt sgd --lr 1.5 --batch 32 --epochs 20",
                             "pca --solver=randomized --seed=3 --show 4 --limit-train 1000 --quiet",
                             "train --tied --weight-decay 1e-4 --sparsity kl --sparsity-target 0.05 --noise masking "
                             "--noise-level 0.3 --momentum 0.9 --nesterov -- extra",
                             "help train"}) {
        for (char& c : line)
            if (c == ' ') c = '\0';
        write_text("cli", "readme-" + std::to_string(i++), line);
    }
}

// CSV tables for csv_fuzz: two option bytes (see csv_fuzz.cpp) + the file. Synthetic only.
void csv_seeds() {
    struct Seed {
        const char* name;
        std::uint8_t a, b;
        std::string text;
    };
    const std::vector<Seed> seeds = {
        {"header-label-name", 0x70, 0x00, "a,b,label\n1,2,cat\n3,4.5,dog\n-5,6e1,cat\n0.25,+7,dog\n"},
        {"noheader-last-int", 0x50, 0x04, "0.5,2,1\n1.5,3,0\n2.5,4,2\n3.5,5,1\n4.5,6,0\n5.5,7,2\n"},
        {"semicolon-standard", 0x80, 0x10, "x;y;z\n1.5;2;3\n3;4;5\n-1;0;.5\n"},
        {"tab-first-label", 0x60, 0x20, "setosa\t5.1\t3.5\nvirginica\t6.3\t2.9\nsetosa\t4.9\t3.0\n"},
        {"quoted-crlf", 0x70, 0x08,
         "\"name, with comma\",\"say \"\"hi\"\"\",label\r\n\" 1 \",2,\"a\nb\"\r\n3,4,c\r\n5 , 6 ,a\r\n"},
        {"bom-blank-tail", 0x40, 0x00, "\xEF\xBB\xBF" "a,b\r\n+1, 2 \r\n3 ,+.5\r\n\r\n\n"},
        {"count-line-skip", 0x50, 0x01, "4,2,no,yes\n1.0,2.0,0\n3.0,4.0,1\n5.0,6.0,1\n7.0,8.0,0\n"},
        {"forced-header", 0x41, 0x0c, "1,2\n3,4\n5,6\n7,8\n"},
        {"extremes", 0xc2, 0x30, "1e-30,3e38\n2e-30,-3.4e38\n1e-45,0\n"},
        {"one-column", 0x40, 0x00, "v\n1\n2\n3\n"},
        {"ragged", 0x40, 0x00, "a,b\n1,2\n3\n"},
        {"nan-inf-empty", 0x40, 0x00, "a,b\n1,nan\n2,inf\n3,\n"},
        {"unclosed-quote", 0x40, 0x00, "a,b\n1,\"2\n3,4\n"},
    };
    for (const Seed& s : seeds) {
        Bytes b = {s.a, s.b};
        b.insert(b.end(), s.text.begin(), s.text.end());
        write("csv", s.name, b);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: make_corpus DATA_DIR OUT_DIR (OUT_DIR/<harness>/ must exist)\n");
        return 2;
    }
    g_out = argv[2];
    try {
        model_and_checkpoint_seeds();
        query_seeds();
        arch_seeds();
        cli_seeds();
        csv_seeds();
        idx_seeds(argv[1]);  // last: needs the data from scripts/setup
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_corpus: %s\n", e.what());
        return 1;
    }
    return 0;
}
