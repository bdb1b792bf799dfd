// graph_cli.cpp: see graph_cli.hpp.
#include "graph_cli.hpp"

#include "aelab/vae_eval.hpp"
#include "images.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace aelab::cli {

std::vector<OptDef> graph_options() {
    return {
        {"model", "KIND", "ae (default) or vae: a variational autoencoder; with a dense --arch 784-500-500-k the "
                          "mirrored dense VAE (hidden --act, default elu, sigmoid output), with a graph --arch it "
                          "must contain a Gaussian code g<K>. VAE recon is summed per image (nats), an AE's is the "
                          "mean per value (Keras)"},
        {"beta", "B", "the VAE's KL weight (beta-VAE), 0..1000 (default 1)"},
        {"iwae", "K", "VAE: after training, the IWAE bound log p(x) >= ... with K importance samples per test image "
                      "(1..100000; timed)"},
        {"snapshots", "S1,S2,..", "reconstruction montage of fixed test images at these steps (snapshots.png; any model)"},
    };
}

bool is_graph_arch(const std::string& arch) {
    for (char ch : arch) {
        if (ch == ' ') continue;
        return std::isalpha(static_cast<unsigned char>(ch)) != 0;
    }
    return false;
}

bool wants_graph(const Options& o) {
    if (o.has("model") && o.choice("model", "ae", {"ae", "vae"}) == "vae") return true;
    return o.has("arch") && is_graph_arch(o.str("arch", ""));
}

namespace {

const char* const kDenseOnly[] = {"tied", "weight-decay", "sparsity", "sparsity-weight", "sparsity-target",
                                  "noise", "noise-level", "latent-act", "out-act", "contractive"};

ArchSpec parse_arch_usage(const std::string& s) {
    try {
        return parse_arch(s);
    } catch (const Error& e) {
        throw UsageError(std::string("--arch: ") + e.what());
    }
}

}  // namespace

std::unique_ptr<Model> graph_model_from_options(const Options& o, int input_dim) {
    const std::string kind = o.choice("model", "ae", {"ae", "vae"});
    for (const char* name : kDenseOnly)
        if (o.has(name))
            throw UsageError(std::string("--") + name + " belongs to dense autoencoders, not to " +
                             (kind == "vae" ? "a VAE" : "a layer-graph model") + " (drop it, or use a dense --arch)");
    const std::string arch = o.str("arch", "784-500-500-2");
    ArchSpec spec;
    if (is_graph_arch(arch)) {
        if (o.has("act"))
            throw UsageError("--act sets the dense model's hidden activation; a graph --arch names its own "
                             "(e.g. c16k3same-selu)");
        spec = parse_arch_usage(arch);
    } else {
        AEConfig a;
        try {
            a = AEConfig::from_arch(arch);
        } catch (const Error& e) {
            throw UsageError(std::string("--arch: ") + e.what());
        }
        if (!a.decoder.empty() || !a.mirror_decoder)
            throw UsageError("--arch " + shorten(arch, 60) + ": a dense VAE takes the encoder only (e.g. 784-500-500-2), "
                             "its decoder is mirrored");
        Activation act = Activation::ELU;
        if (o.has("act")) {
            try {
                act = parse_activation(o.str("act", ""));
            } catch (const Error& e) {
                throw UsageError(std::string("--act: ") + e.what());
            }
        }
        if (a.input_dim != input_dim)
            throw UsageError("the model's input size is " + std::to_string(a.input_dim) + " but the data have " +
                             std::to_string(input_dim) + " values per sample (use --arch " + std::to_string(input_dim) +
                             "-...)");
        spec = parse_arch_usage(mirrored_vae_arch(a.encoder, a.latent, act, a.input_dim));
    }
    const bool has_gauss = std::any_of(spec.layers.begin(), spec.layers.end(),
                                       [](const LayerSpec& l) { return l.kind == LayerKind::GaussianCode; });
    if (kind == "vae" && !has_gauss)
        throw UsageError("--model vae needs a Gaussian code g<K> in the graph --arch (e.g. ...,d16-relu,g2|d3136-relu,...)");
    if (o.has("model") && kind == "ae" && has_gauss)
        throw UsageError("--model ae, but the --arch has a Gaussian code g<K> (that makes a VAE: use --model vae)");
    if (o.has("beta") && !has_gauss) throw UsageError("--beta is the VAE's KL weight; this model has no Gaussian code");
    GraphObjective obj;
    obj.sum_per_sample = has_gauss;
    obj.loss = has_gauss ? ReconLoss::BCE : ReconLoss::MSE;
    if (o.has("loss")) {
        try {
            obj.loss = parse_loss(o.str("loss", ""));
        } catch (const Error& e) {
            throw UsageError(std::string("--loss: ") + e.what());
        }
    }
    obj.beta = o.real("beta", 1.0, 0.0, 1000.0);
    const Shape in{Index(input_dim), 1, 1};
    try {
        graph_param_count(in, spec);  // shapes and size limits, before anything is allocated
        return make_graph_model(in, spec, obj);
    } catch (const Error& e) {
        throw UsageError(std::string("--arch: ") + e.what());
    }
}

void check_resume_graph_options(const Options& o, const ModelFile& f) {
    for (const char* name : kDenseOnly)
        if (o.has(name)) throw UsageError(std::string("--") + name + " belongs to dense autoencoders; the saved model is a graph");
    if (o.has("arch") || o.has("model") || o.has("loss") || o.has("act")) {
        std::unique_ptr<Model> want = graph_model_from_options(o, int(f.graph_input.size()));
        const GraphModel& g = static_cast<const GraphModel&>(*want);
        if (g.arch_string() != f.graph_arch || g.objective().loss != f.graph_objective.loss)
            throw UsageError("--resume: the saved model is " + shorten(f.graph_arch, 80) + " (" +
                             loss_name(f.graph_objective.loss) + "); the model options given describe another one "
                             "(leave them out to continue the saved model)");
    }
}

std::string describe_model(const Model& m) {
    if (m.kind() == ModelKind::Dense) return "dense " + m.arch_string();
    const GraphModel& g = static_cast<const GraphModel&>(m);
    const GraphObjective& ob = g.objective();
    std::string s = std::string(m.is_vae() ? "VAE " : "graph AE ") + m.arch_string() + ", " + loss_name(ob.loss) +
                    (ob.sum_per_sample ? " summed per image (nats)" : " mean per value");
    if (m.is_vae()) s += ", beta " + fmt_g(ob.beta);
    return s;
}

VaeReport vae_report(Model& m, const Mat& X, int iwae_k, std::uint64_t seed) {
    VaeReport r;
    Graph<float>* g = m.graph();
    if (!m.is_vae() || !g || X.cols() == 0) return r;
    r.valid = true;
    const VaeEval mean = vae_elbo_mean(*g, m.loss(), X);
    const VaeEval s = vae_elbo_sampled(*g, m.loss(), X, seed);
    r.elbo_mean = mean.elbo;
    r.recon_mean_code = mean.recon;
    r.kl_mean_code = mean.kl;
    r.elbo = s.elbo;
    r.recon = s.recon;
    r.kl = s.kl;
    if (iwae_k > 0) {
        auto t0 = std::chrono::steady_clock::now();
        r.iwae = vae_iwae(*g, m.loss(), X, iwae_k, seed);
        r.iwae_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        r.iwae_k = iwae_k;
    }
    return r;
}

void vae_json(const VaeReport& r, Json& res) {
    if (!r.valid) return;
    res["test_elbo_mean"] = r.elbo_mean;
    res["test_elbo"] = r.elbo;
    res["test_recon"] = r.recon;
    res["test_kl"] = r.kl;
    res["test_recon_mean_code"] = r.recon_mean_code;
    res["test_kl_mean_code"] = r.kl_mean_code;
    if (r.iwae_k > 0) {
        res["iwae"] = r.iwae;
        res["iwae_k"] = r.iwae_k;
        res["iwae_seconds"] = r.iwae_seconds;
    }
}

void vae_print(const VaeReport& r, const char* set_name) {
    if (!r.valid) return;
    std::printf("\n  VAE on the %s set, nats per image:    %12s %12s %12s\n", set_name, "ELBO", "recon", "KL");
    std::printf("  %-37s %12.4f %12.4f %12.4f\n", "mean code", r.elbo_mean, r.recon_mean_code, r.kl_mean_code);
    std::printf("  %-37s %12.4f %12.4f %12.4f\n", "one sampled code per image", r.elbo, r.recon, r.kl);
    if (r.iwae_k > 0)
        std::printf("  IWAE bound, K = %d:  log p(x) >= %.4f  (%s)\n", r.iwae_k, r.iwae, fmt_duration(r.iwae_seconds).c_str());
}

std::string vae_figures(Model& m, const std::string& dir, const std::string& title_prefix, std::uint64_t seed,
                        int ir, int ic) {
    if (!m.is_vae() || ir <= 0 || ic <= 0 || Index(ir) * ic != m.input_dim()) return "";
    const Index k = m.code_dim();
    // Prior samples: 4 rows of 10, z ~ N(0, I).
    Rng rng(seed, 0x9a10);
    std::vector<MontageRow> rows;
    for (int r = 0; r < 4; ++r) {
        Mat Z(k, 10), Xs;
        rng.fill_normal(Z, 1.0);
        m.decode(Z, Xs);
        rows.push_back({r == 0 ? "z ~ N(0, I)" : "", Xs});
    }
    write_montage(join_path(dir, "prior_samples.png"), title_prefix + ": decoded samples from the prior", rows, ir, ic, 2);
    // Traversal.
    rows.clear();
    const int n = k == 2 ? 15 : 11;
    auto value = [&](int i) { return float(-3.0 + 6.0 * double(i) / double(n - 1)); };
    std::string title;
    if (k == 2) {
        for (int r = 0; r < n; ++r) {  // top row: z2 = +3
            Mat Z(2, n), Xs;
            for (int c = 0; c < n; ++c) Z(0, c) = value(c), Z(1, c) = value(n - 1 - r);
            m.decode(Z, Xs);
            rows.push_back({"z2 = " + fmt_f(value(n - 1 - r), 2), Xs});
        }
        title = title_prefix + ": decoded grid, z1 from -3 (left) to 3, z2 from 3 (top) to -3";
    } else {
        for (Index d = 0; d < std::min<Index>(k, 8); ++d) {
            Mat Z = Mat::Zero(k, n), Xs;
            for (int c = 0; c < n; ++c) Z(d, c) = value(c);
            m.decode(Z, Xs);
            rows.push_back({"z" + std::to_string(d + 1), Xs});
        }
        title = title_prefix + ": each code dimension swept from -3 to 3, the others 0";
    }
    write_montage(join_path(dir, "latent_traversal.png"), title, rows, ir, ic, 2);
    return " prior_samples.png latent_traversal.png";
}

void extra_params_print(const Model& m) {
    const Graph<float>* g = m.graph();
    if (!g) return;
    const std::vector<ExtraParam> ex = g->extra_params();
    if (ex.empty()) return;
    std::printf("\n  parametric layers' extra parameters (value = transform(raw)):\n");
    std::printf("  %-8s %-6s %-16s %12s %12s\n", "layer", "param", "transform", "raw", "value");
    for (const ExtraParam& e : ex) {
        const size_t dot = e.name.find('.');
        std::printf("  %-8s %-6s %-16s %12s %12s\n", e.name.substr(0, dot).c_str(), e.name.substr(dot + 1).c_str(),
                    e.transform.c_str(), fmt_g(e.raw, 6).c_str(), fmt_g(e.value, 6).c_str());
    }
}

void extra_params_json(const Model& m, Json& res) {
    const Graph<float>* g = m.graph();
    if (!g) return;
    const std::vector<ExtraParam> ex = g->extra_params();
    if (ex.empty()) return;
    Json a = Json::array();
    for (const ExtraParam& e : ex) {
        const size_t dot = e.name.find('.');
        Json o = Json::object();
        o["name"] = e.name;
        o["layer"] = long(std::stol(e.name.substr(5, dot - 5)));
        o["param"] = e.name.substr(dot + 1);
        o["transform"] = e.transform;
        o["raw"] = e.raw;
        o["value"] = e.value;
        a.push(o);
    }
    res["extra_params"] = a;
}

long Snapshots::next_after(long step) const {
    for (long s : steps_)
        if (s > step) return s;
    return -1;
}

void Snapshots::maybe_take(long step, Model& m) {
    if (!std::binary_search(steps_.begin(), steps_.end(), step)) return;
    if (!taken_.empty() && taken_.back() == step) return;
    Mat R;
    m.reconstruct(X_, R);
    taken_.push_back(step);
    rows_.push_back(std::move(R));
}

bool Snapshots::write(const std::string& path, const std::string& title, int ir, int ic) const {
    if (rows_.empty() || ir <= 0 || ic <= 0 || Index(ir) * ic != X_.rows()) return false;
    std::vector<MontageRow> rows = {{"input", X_}};
    for (size_t i = 0; i < rows_.size(); ++i) rows.push_back({"step " + std::to_string(taken_[i]), rows_[i]});
    write_montage(path, title, rows, ir, ic, 2);
    return true;
}

std::vector<long> parse_snapshot_steps(const Options& o) {
    if (!o.has("snapshots")) return {};
    std::vector<long long> v = o.int_list("snapshots", {}, 1, 1000000000);
    std::vector<long> s(v.begin(), v.end());
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
    if (s.size() > 20) throw UsageError("--snapshots: at most 20 steps");
    return s;
}

}  // namespace aelab::cli
