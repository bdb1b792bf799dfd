#include "aelab/autoencoder.hpp"

#include "aelab/kernels.hpp"
#include "aelab/names.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace aelab {

// ---- names ------------------------------------------------------------------------------
ReconLoss parse_loss(const std::string& n) {
    if (n == "mse") return ReconLoss::MSE;
    if (n == "bce" || n == "binary_crossentropy") return ReconLoss::BCE;
    throw Error("unknown loss '" + n + "' (valid: mse, bce)");
}
const char* loss_name(ReconLoss l) { return l == ReconLoss::MSE ? "mse" : "bce"; }
const std::vector<ReconLoss>& all_losses() {
    static const std::vector<ReconLoss> all = {ReconLoss::MSE, ReconLoss::BCE};
    return all;
}

// One row per kind, in enum order: its name (URL, CLI, model files) and its menu label.
namespace {
constexpr NamedKind<Sparsity> kSparsities[] = {
    {Sparsity::None, "none", "none"}, {Sparsity::L1, "l1", "L1"}, {Sparsity::KL, "kl", "KL"}};
constexpr NamedKind<Noise> kNoises[] = {{Noise::None, "none", "none"},
                                        {Noise::Gaussian, "gaussian", "Gaussian"},
                                        {Noise::Masking, "masking", "masking"},
                                        {Noise::SaltPepper, "salt_pepper", "salt & pepper"},
                                        {Noise::Dropout, "dropout", "dropout"}};
}  // namespace

Sparsity parse_sparsity(const std::string& n) {
    Sparsity s = Sparsity::None;
    if (!kind_of(kSparsities, n, &s)) throw Error("unknown sparsity penalty '" + n + "' (valid: none, l1, kl)");
    return s;
}
const char* sparsity_name(Sparsity s) { return name_of(kSparsities, s); }
const char* sparsity_label(Sparsity s) { return label_of(kSparsities, s); }
const std::vector<Sparsity>& all_sparsities() {
    static const std::vector<Sparsity> all = kinds_of(kSparsities);
    return all;
}

Noise parse_noise(const std::string& n) {
    Noise k = Noise::None;
    if (kind_of(kNoises, n, &k)) return k;
    if (n == "mask") return Noise::Masking;  // short forms
    if (n == "saltpepper" || n == "sp") return Noise::SaltPepper;
    throw Error("unknown noise '" + n + "' (valid: none, gaussian, masking, salt_pepper, dropout)");
}
const char* noise_name(Noise n) { return name_of(kNoises, n); }
const char* noise_label(Noise n) { return label_of(kNoises, n); }
const std::vector<Noise>& all_noises() {
    static const std::vector<Noise> all = kinds_of(kNoises);
    return all;
}

// ---- config -----------------------------------------------------------------------------
namespace {
constexpr int kMaxWidth = 1 << 16;

int parse_positive_int(const std::string& s, const std::string& what) {
    if (s.empty()) throw Error(what + ": empty number");
    for (char ch : s)
        if (ch < '0' || ch > '9') throw Error(what + ": '" + s + "' is not a positive integer");
    if (s.size() > 7) throw Error(what + ": " + s + " is too large (max " + std::to_string(kMaxWidth) + ")");
    int v = std::atoi(s.c_str());
    if (v <= 0 || v > kMaxWidth)
        throw Error(what + ": " + s + " out of range 1.." + std::to_string(kMaxWidth));
    return v;
}

std::vector<int> split_ints(const std::string& s, char sep, const std::string& what) {
    std::vector<int> out;
    if (s.empty()) return out;
    std::string cur;
    std::stringstream ss(s);
    while (std::getline(ss, cur, sep)) out.push_back(parse_positive_int(cur, what));
    if (!s.empty() && s.back() == sep) throw Error(what + ": trailing '" + std::string(1, sep) + "'");
    return out;
}

std::string join_ints(const std::vector<int>& v, char sep) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i) s += sep;
        s += std::to_string(v[i]);
    }
    return s;
}

double parse_double(const std::string& s, const std::string& what) {
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
        throw Error(what + ": '" + s + "' is not a finite number");
    return v;
}
}  // namespace

AEConfig AEConfig::from_arch(const std::string& arch) {
    std::vector<int> w = split_ints(arch, '-', "architecture '" + arch + "'");
    if (w.size() < 2)
        throw Error("architecture '" + arch + "': need at least input-code, e.g. 784-32 or 784-500-500-5");
    AEConfig c;
    c.input_dim = w.front();
    c.latent = w.back();
    c.encoder.assign(w.begin() + 1, w.end() - 1);
    c.mirror_decoder = true;
    return c;
}

std::vector<int> AEConfig::decoder_widths() const {
    if (mirror_decoder && decoder.empty()) return std::vector<int>(encoder.rbegin(), encoder.rend());
    return decoder;
}

std::string AEConfig::arch_string() const {
    std::vector<int> all;
    all.push_back(input_dim);
    for (int w : encoder) all.push_back(w);
    all.push_back(latent);
    for (int w : decoder_widths()) all.push_back(w);
    all.push_back(input_dim);
    return join_ints(all, '-');
}

void AEConfig::validate() const {
    auto chk_w = [](int v, const std::string& what) {
        if (v <= 0 || v > kMaxWidth)
            throw Error(what + " = " + std::to_string(v) + " is out of range 1.." + std::to_string(kMaxWidth));
    };
    chk_w(input_dim, "input dimension");
    chk_w(latent, "latent size");
    for (int w : encoder) chk_w(w, "encoder width");
    std::vector<int> dec = decoder_widths();
    for (int w : dec) chk_w(w, "decoder width");
    size_t n_hidden = encoder.size() + dec.size();
    if (!hidden_acts.empty() && hidden_acts.size() != n_hidden)
        throw Error("per-layer activations: got " + std::to_string(hidden_acts.size()) + " for " +
                    std::to_string(n_hidden) + " hidden layers");
    if (output_act != Activation::Identity && output_act != Activation::Sigmoid)
        throw Error(std::string("output activation must be linear or sigmoid, got ") + activation_name(output_act));
    if (loss == ReconLoss::BCE && output_act != Activation::Sigmoid)
        throw Error("loss bce needs a sigmoid output (it is computed from the output logits)");
    if (tied) {
        std::vector<int> rev(encoder.rbegin(), encoder.rend());
        if (dec != rev)
            throw Error("tied weights need a mirrored decoder (decoder widths = reversed encoder widths)");
    }
    if (!(weight_decay >= 0 && weight_decay < 1e3))
        throw Error("weight decay must be in [0, 1000), got " + std::to_string(weight_decay));
    if (!(sparsity_weight >= 0 && sparsity_weight < 1e6))
        throw Error("sparsity weight must be >= 0 and finite");
    if (sparsity == Sparsity::KL) {
        if (!(sparsity_target > 0 && sparsity_target < 1))
            throw Error("KL sparsity target rho must be in (0, 1), got " + std::to_string(sparsity_target));
        if (latent_act != Activation::Sigmoid)
            throw Error("KL sparsity needs a sigmoid code activation (mean activations are rates in (0,1))");
    }
    if (noise == Noise::Gaussian && !(noise_level >= 0 && noise_level <= 100))
        throw Error("gaussian noise stddev must be in [0, 100]");
    if ((noise == Noise::Masking || noise == Noise::SaltPepper || noise == Noise::Dropout) &&
        !(noise_level >= 0 && noise_level < 1))
        throw Error("corruption probability must be in [0, 1), got " + std::to_string(noise_level));
    if (!(contractive >= 0 && contractive < 1e6))
        throw Error("contractive penalty lambda must be >= 0 and < 1e6, got " + std::to_string(contractive));
    double n_par = 0;
    int prev = input_dim;
    for (int w : encoder) { n_par += double(prev) * w; prev = w; }
    n_par += double(prev) * latent;
    prev = latent;
    for (int w : dec) { n_par += double(prev) * w; prev = w; }
    n_par += double(prev) * input_dim;
    if (n_par > 2.0e8) throw Error("model too large: " + std::to_string(n_par) + " weights (max 2e8)");
}

std::string AEConfig::to_text() const {
    std::ostringstream o;
    o.precision(17);
    o << "input_dim=" << input_dim << "\n";
    o << "encoder=" << join_ints(encoder, ',') << "\n";
    o << "latent=" << latent << "\n";
    o << "decoder=" << join_ints(decoder, ',') << "\n";
    o << "mirror_decoder=" << (mirror_decoder ? 1 : 0) << "\n";
    o << "hidden_act=" << activation_name(hidden_act) << "\n";
    o << "hidden_acts=";
    for (size_t i = 0; i < hidden_acts.size(); ++i) o << (i ? "," : "") << activation_name(hidden_acts[i]);
    o << "\n";
    o << "latent_act=" << activation_name(latent_act) << "\n";
    o << "output_act=" << activation_name(output_act) << "\n";
    o << "loss=" << loss_name(loss) << "\n";
    o << "tied=" << (tied ? 1 : 0) << "\n";
    o << "weight_decay=" << weight_decay << "\n";
    o << "sparsity=" << sparsity_name(sparsity) << "\n";
    o << "sparsity_weight=" << sparsity_weight << "\n";
    o << "sparsity_target=" << sparsity_target << "\n";
    o << "noise=" << noise_name(noise) << "\n";
    o << "noise_level=" << noise_level << "\n";
    if (contractive != 0) o << "contractive=" << contractive << "\n";  // absent = 0 (older files)
    return o.str();
}

AEConfig AEConfig::from_map(const std::map<std::string, std::string>& kv) {
    AEConfig c;
    for (const auto& [k, v] : kv) {
        if (k == "input_dim") c.input_dim = parse_positive_int(v, k);
        else if (k == "encoder") c.encoder = split_ints(v, ',', k);
        else if (k == "latent") c.latent = parse_positive_int(v, k);
        else if (k == "decoder") c.decoder = split_ints(v, ',', k);
        else if (k == "mirror_decoder") c.mirror_decoder = (v == "1" || v == "true");
        else if (k == "hidden_act") c.hidden_act = parse_activation(v);
        else if (k == "hidden_acts") {
            c.hidden_acts.clear();
            std::stringstream ss(v);
            std::string a;
            while (std::getline(ss, a, ',')) c.hidden_acts.push_back(parse_activation(a));
        } else if (k == "latent_act") c.latent_act = parse_activation(v);
        else if (k == "output_act") c.output_act = parse_activation(v);
        else if (k == "loss") c.loss = parse_loss(v);
        else if (k == "tied") c.tied = (v == "1" || v == "true");
        else if (k == "weight_decay") c.weight_decay = parse_double(v, k);
        else if (k == "sparsity") c.sparsity = parse_sparsity(v);
        else if (k == "sparsity_weight") c.sparsity_weight = parse_double(v, k);
        else if (k == "sparsity_target") c.sparsity_target = parse_double(v, k);
        else if (k == "noise") c.noise = parse_noise(v);
        else if (k == "noise_level") c.noise_level = parse_double(v, k);
        else if (k == "contractive") c.contractive = parse_double(v, k);
        else throw Error("unknown model setting '" + k + "'");
    }
    c.validate();
    return c;
}

AEConfig AEConfig::from_text(const std::string& text) {
    std::map<std::string, std::string> kv;
    std::stringstream ss(text);
    std::string line;
    int lineno = 0;
    while (std::getline(ss, line)) {
        ++lineno;
        if (line.empty()) continue;
        auto eq = line.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error("model config line " + std::to_string(lineno) + ": expected key=value");
        kv[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return from_map(kv);
}

// ---- model ------------------------------------------------------------------------------
template <class T> Autoencoder<T>::Autoencoder(const AEConfig& c) : cfg_(c) {
    cfg_.validate();
    std::vector<int> dec = cfg_.decoder_widths();
    std::vector<int> widths;  // all layer widths, input first
    widths.push_back(cfg_.input_dim);
    for (int w : cfg_.encoder) widths.push_back(w);
    widths.push_back(cfg_.latent);
    for (int w : dec) widths.push_back(w);
    widths.push_back(cfg_.input_dim);
    n_enc_ = static_cast<int>(cfg_.encoder.size()) + 1;
    int n_layers = static_cast<int>(widths.size()) - 1;
    int n_hidden_enc = static_cast<int>(cfg_.encoder.size());
    Index off = 0;
    layers_.resize(n_layers);
    for (int i = 0; i < n_layers; ++i) {
        Layer& L = layers_[i];
        L.in = widths[i];
        L.out = widths[i + 1];
        if (i == n_enc_ - 1) L.act = cfg_.latent_act;
        else if (i == n_layers - 1) L.act = cfg_.output_act;
        else {
            int h = i < n_enc_ ? i : i - 1;  // index among hidden layers (encoder then decoder)
            L.act = cfg_.hidden_acts.empty() ? cfg_.hidden_act : cfg_.hidden_acts[h];
        }
        if (cfg_.tied && i >= n_enc_) {
            L.tied_to = n_layers - 1 - i;  // mirror: last decoder layer <-> first encoder layer
        } else {
            L.w_off = off;
            off += L.in * L.out;
        }
        L.b_off = off;
        off += L.out;
    }
    (void)n_hidden_enc;
    params_ = VecT<T>::Zero(off);
    grads_ = VecT<T>::Zero(off);
}

template <class T> MatT<T> Autoencoder<T>::weight(int i) const {
    const Layer& L = layers_[i];
    if (L.tied_to >= 0) return weight(L.tied_to).transpose();
    return Eigen::Map<const MatT<T>>(params_.data() + L.w_off, L.out, L.in);
}

template <class T> Eigen::Map<const VecT<T>> Autoencoder<T>::bias(int i) const {
    const Layer& L = layers_[i];
    return Eigen::Map<const VecT<T>>(params_.data() + L.b_off, L.out);
}

template <class T> MatT<T> Autoencoder<T>::decoder_linear_map() const {
    MatT<T> M = weight(n_enc_);
    for (int i = n_enc_ + 1; i < num_layers(); ++i) M = weight(i) * M;
    return M;
}

template <class T> void Autoencoder<T>::init_params(std::uint64_t seed) {
    Rng rng(seed, 0x5eed);
    params_.setZero();
    for (Layer& L : layers_) {
        if (L.w_off < 0) continue;
        Eigen::Map<MatT<T>> W(params_.data() + L.w_off, L.out, L.in);
        switch (L.act) {
            case Activation::ReLU:
            case Activation::LeakyReLU:
            case Activation::ELU: rng.fill_normal(W, std::sqrt(2.0 / double(L.in))); break;
            case Activation::SELU: rng.fill_normal(W, std::sqrt(1.0 / double(L.in))); break;
            default: {
                double lim = std::sqrt(6.0 / double(L.in + L.out));
                rng.fill_uniform(W, -lim, lim);
            }
        }
    }
    grads_.setZero();
}

template <class T>
void Autoencoder<T>::corrupt(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Xc, Rng& rng) const {
    Xc = X;
    const double p = cfg_.noise_level;
    switch (cfg_.noise) {
        case Noise::None: break;
        case Noise::Gaussian:
            for (Index j = 0; j < Xc.cols(); ++j)
                for (Index i = 0; i < Xc.rows(); ++i) Xc(i, j) += T(rng.normal() * p);
            break;
        case Noise::Masking:  // zero a fraction p of the entries
            for (Index j = 0; j < Xc.cols(); ++j)
                for (Index i = 0; i < Xc.rows(); ++i)
                    if (rng.uniform() < p) Xc(i, j) = T(0);
            break;
        case Noise::SaltPepper: {  // a fraction p set to the data range's min or max
            T lo = X.size() ? X.minCoeff() : T(0), hi = X.size() ? X.maxCoeff() : T(1);
            for (Index j = 0; j < Xc.cols(); ++j)
                for (Index i = 0; i < Xc.rows(); ++i)
                    if (rng.uniform() < p) Xc(i, j) = (rng.uniform() < 0.5) ? lo : hi;
            break;
        }
        case Noise::Dropout: {  // zero with probability p, scale survivors by 1/(1-p)
            T s = T(1.0 / (1.0 - p));
            for (Index j = 0; j < Xc.cols(); ++j)
                for (Index i = 0; i < Xc.rows(); ++i) Xc(i, j) = (rng.uniform() < p) ? T(0) : Xc(i, j) * s;
            break;
        }
    }
}

template <class T>
const MatT<T>* Autoencoder<T>::forward_range(int first, int last, const Eigen::Ref<const MatT<T>>& X) {
    const MatT<T>* cur = nullptr;
    for (int i = first; i < last; ++i) {
        Layer& L = layers_[i];
        const Index B = X.cols();
        L.Z.resize(L.out, B);
        if (L.tied_to >= 0) {
            const Layer& E = layers_[L.tied_to];
            Eigen::Map<const MatT<T>> We(params_.data() + E.w_off, E.out, E.in);
            if (i == first) kernels::gemm<T>(true, false, We, X, T(0), L.Z);
            else kernels::gemm<T>(true, false, We, *cur, T(0), L.Z);
        } else {
            Eigen::Map<const MatT<T>> W(params_.data() + L.w_off, L.out, L.in);
            if (i == first) kernels::gemm<T>(false, false, W, X, T(0), L.Z);
            else kernels::gemm<T>(false, false, W, *cur, T(0), L.Z);
        }
        L.Y.resize(L.out, B);
        // Bias and activation fused in one pass over Z (kernels.hpp; reference:
        // Z.colwise() += b; apply_activation(act, Z, Y)).
        kernels::bias_activation<T>(L.act, Eigen::Map<const VecT<T>>(params_.data() + L.b_off, L.out), L.Z, L.Y);
        cur = &L.Y;
    }
    return cur;
}

template <class T>
double Autoencoder<T>::recon_loss(const Eigen::Ref<const MatT<T>>& Xt, double* mse) const {
    const Layer& O = layers_.back();
    const double n = double(Xt.rows()) * double(Xt.cols());
    // Sum per column in T, then across columns in double: a float sum over ~1e6 entries
    // rounds low by ~1e-4 relative (the reported MSE is compared with PCA and PyTorch).
    double m = (O.Y - Xt).colwise().squaredNorm().template cast<double>().sum() / n;
    if (mse) *mse = m;
    if (cfg_.loss == ReconLoss::MSE) return m;
    // BCE from logits z: softplus(z) - x z = max(z,0) - x z + log1p(exp(-|z|)).
    auto z = O.Z.array();
    double s = (z.max(T(0)) - Xt.array() * z + (-z.abs()).exp().log1p())
                   .matrix().colwise().sum().template cast<double>().sum();
    return s / n;
}

template <class T> double Autoencoder<T>::sparsity_term(MatT<T>* dH) const {
    if (cfg_.sparsity == Sparsity::None || cfg_.sparsity_weight == 0) return 0;
    const MatT<T>& H = layers_[n_enc_ - 1].Y;
    const double B = double(H.cols());
    const double w = cfg_.sparsity_weight;
    if (cfg_.sparsity == Sparsity::L1) {
        if (dH) dH->array() += T(w / B) * H.array().sign();
        return w * double(H.array().abs().sum()) / B;
    }
    // KL(rho || rho_hat_j) summed over code units, rho_hat_j = mean activation over the batch.
    const double rho = cfg_.sparsity_target, eps = 1e-6;
    VecT<T> rh = H.rowwise().mean();
    double val = 0;
    VecT<T> g(rh.size());
    for (Index j = 0; j < rh.size(); ++j) {
        double r = std::min(std::max(double(rh(j)), eps), 1.0 - eps);
        val += rho * std::log(rho / r) + (1 - rho) * std::log((1 - rho) / (1 - r));
        g(j) = T(w * (-rho / r + (1 - rho) / (1 - r)) / B);
    }
    if (dH) dH->colwise() += g;
    return w * val;
}

template <class T> double Autoencoder<T>::weight_decay_term(VecT<T>* g) const {
    if (cfg_.weight_decay == 0) return 0;
    double s = 0;
    for (const Layer& L : layers_) {
        if (L.w_off < 0) continue;
        auto W = params_.segment(L.w_off, L.in * L.out);
        s += double(W.squaredNorm());
        if (g) g->segment(L.w_off, L.in * L.out) += T(cfg_.weight_decay) * W;
    }
    return 0.5 * cfg_.weight_decay * s;
}

template <class T>
LossParts Autoencoder<T>::forward_loss(const Eigen::Ref<const MatT<T>>& Xin,
                                       const Eigen::Ref<const MatT<T>>& Xt, bool penalties) {
    AELAB_REQUIRE(Xin.rows() == cfg_.input_dim && Xt.rows() == cfg_.input_dim,
                  "batch has " + std::to_string(Xin.rows()) + " rows, model expects " +
                      std::to_string(cfg_.input_dim));
    AELAB_REQUIRE(Xin.cols() == Xt.cols() && Xin.cols() > 0, "input and target batches differ in size or are empty");
    forward_range(0, num_layers(), Xin);
    LossParts p;
    p.recon = recon_loss(Xt, &p.mse);
    if (penalties) {
        p.sparsity = sparsity_term(nullptr);
        p.weight_decay = weight_decay_term(nullptr);
        if (cfg_.contractive != 0)  // the encoder caches hold the forward of Xin
            p.contractive = cfg_.contractive * jacobian_sqnorm_sum(Xin, nullptr, 0) / double(Xin.cols());
    }
    p.total = p.recon + p.sparsity + p.weight_decay + p.contractive;
    return p;
}

template <class T>
LossParts Autoencoder<T>::forward_backward(const Eigen::Ref<const MatT<T>>& Xin,
                                           const Eigen::Ref<const MatT<T>>& Xt) {
    LossParts p = forward_loss(Xin, Xt, false);
    const Index B = Xin.cols();
    const T inv_n = T(1.0 / (double(Xt.rows()) * double(B)));
    // Untied models write every gradient entry exactly once (dW = ..., db = ...), so the
    // buffer needs no zeroing pass; tied weights receive two contributions and accumulate.
    const bool accumulate = cfg_.tied;
    if (accumulate) grads_.setZero();

    // Output layer: dZ directly. MSE with linear output: 2(Y-X)/n; MSE with sigmoid:
    // 2(Y-X)/n * y(1-y); BCE from logits: (sigmoid(z) - x)/n = (Y - X)/n.
    Layer& O = layers_.back();
    O.dZ.resize(O.out, B);
    if (cfg_.loss == ReconLoss::BCE) {
        O.dZ.noalias() = (O.Y - Xt) * inv_n;
    } else {
        O.dZ.noalias() = (O.Y - Xt) * (T(2) * inv_n);
        if (O.act != Activation::Identity) kernels::activation_grad<T>(O.act, O.Z, O.Y, O.dZ, O.dZ);
    }

    MatT<T>* dY = &dX_a_;   // gradient w.r.t. the output of layer i-1
    MatT<T>* spare = &dX_b_;
    for (int i = num_layers() - 1; i >= 0; --i) {
        Layer& L = layers_[i];
        if (i != num_layers() - 1) {
            // dY holds dLoss/dY_i; add the code penalties, then through the activation.
            if (i == n_enc_ - 1) p.sparsity = sparsity_term(dY);
            L.dZ.resize(L.out, B);
            kernels::activation_grad<T>(L.act, L.Z, L.Y, *dY, L.dZ);
        }
        const MatT<T>* Xi = (i > 0) ? &layers_[i - 1].Y : nullptr;  // input of layer i (i > 0)
        // weight gradient
        if (L.tied_to >= 0) {
            const Layer& E = layers_[L.tied_to];
            Eigen::Map<MatT<T>> dWe(grads_.data() + E.w_off, E.out, E.in);  // in x out of this layer
            if (i == 0) kernels::gemm<T>(false, true, Xin, L.dZ, T(1), dWe);
            else kernels::gemm<T>(false, true, *Xi, L.dZ, T(1), dWe);
        } else {
            Eigen::Map<MatT<T>> dW(grads_.data() + L.w_off, L.out, L.in);
            const T beta = accumulate ? T(1) : T(0);
            if (i == 0) kernels::gemm<T>(false, true, L.dZ, Xin, beta, dW);
            else kernels::gemm<T>(false, true, L.dZ, *Xi, beta, dW);
        }
        if (accumulate) Eigen::Map<VecT<T>>(grads_.data() + L.b_off, L.out) += L.dZ.rowwise().sum();
        else Eigen::Map<VecT<T>>(grads_.data() + L.b_off, L.out) = L.dZ.rowwise().sum();
        if (i > 0) {
            spare->resize(L.in, B);
            if (L.tied_to >= 0) {
                const Layer& E = layers_[L.tied_to];
                Eigen::Map<const MatT<T>> We(params_.data() + E.w_off, E.out, E.in);
                kernels::gemm<T>(false, false, We, L.dZ, T(0), *spare);
            } else {
                Eigen::Map<const MatT<T>> W(params_.data() + L.w_off, L.out, L.in);
                kernels::gemm<T>(true, false, W, L.dZ, T(0), *spare);
            }
            std::swap(dY, spare);
        }
    }
    p.weight_decay = weight_decay_term(&grads_);
    if (cfg_.contractive != 0) {  // adds to grads_ (every entry was written above)
        const double c = cfg_.contractive / double(B);
        p.contractive = c * jacobian_sqnorm_sum(Xin, &grads_, c);
    }
    p.total = p.recon + p.sparsity + p.weight_decay + p.contractive;
    return p;
}

template <class T> void Autoencoder<T>::encode(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Z) {
    AELAB_REQUIRE(X.rows() == cfg_.input_dim, "encode: data has " + std::to_string(X.rows()) +
                                                  " rows, model expects " + std::to_string(cfg_.input_dim));
    Z.resize(cfg_.latent, X.cols());
    const Index chunk = 1024;
    for (Index s = 0; s < X.cols(); s += chunk) {
        Index n = std::min(chunk, X.cols() - s);
        Z.middleCols(s, n) = *forward_range(0, n_enc_, X.middleCols(s, n));
    }
}

template <class T> void Autoencoder<T>::decode(const Eigen::Ref<const MatT<T>>& Zc, MatT<T>& Xhat) {
    AELAB_REQUIRE(Zc.rows() == cfg_.latent, "decode: codes have " + std::to_string(Zc.rows()) +
                                                 " rows, model's code size is " + std::to_string(cfg_.latent));
    Xhat.resize(cfg_.input_dim, Zc.cols());
    const Index chunk = 1024;
    for (Index s = 0; s < Zc.cols(); s += chunk) {
        Index n = std::min(chunk, Zc.cols() - s);
        Xhat.middleCols(s, n) = *forward_range(n_enc_, num_layers(), Zc.middleCols(s, n));
    }
}

template <class T> void Autoencoder<T>::reconstruct(const Eigen::Ref<const MatT<T>>& X, MatT<T>& Xhat) {
    AELAB_REQUIRE(X.rows() == cfg_.input_dim, "reconstruct: data has " + std::to_string(X.rows()) +
                                                  " rows, model expects " + std::to_string(cfg_.input_dim));
    Xhat.resize(cfg_.input_dim, X.cols());
    const Index chunk = 1024;
    for (Index s = 0; s < X.cols(); s += chunk) {
        Index n = std::min(chunk, X.cols() - s);
        Xhat.middleCols(s, n) = *forward_range(0, num_layers(), X.middleCols(s, n));
    }
}

template <class T> LossParts Autoencoder<T>::evaluate(const Eigen::Ref<const MatT<T>>& X, Index chunk) {
    AELAB_REQUIRE(X.cols() > 0, "evaluate: empty data set");
    AELAB_REQUIRE(chunk > 0, "evaluate: chunk must be positive");
    LossParts acc;
    for (Index s = 0; s < X.cols(); s += chunk) {
        Index n = std::min(chunk, X.cols() - s);
        auto Xs = X.middleCols(s, n);
        LossParts p = forward_loss(Xs, Xs, false);
        double w = double(n) / double(X.cols());
        acc.recon += p.recon * w;
        acc.mse += p.mse * w;
    }
    acc.total = acc.recon;
    return acc;
}

template class Autoencoder<float>;
template class Autoencoder<double>;

}  // namespace aelab
