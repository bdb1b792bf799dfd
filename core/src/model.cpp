// model.cpp — the Model interface's two kinds (aelab/model.hpp).
#include "aelab/model.hpp"

#include <algorithm>

namespace aelab {

const char* model_kind_name(ModelKind k) { return k == ModelKind::Dense ? "dense" : "graph"; }

void Model::corrupt(const Eigen::Ref<const Mat>& X, Mat& Xc, Rng&) const { Xc = X; }
void Model::begin_batch(Rng&, Index) {}

// ---- dense ---------------------------------------------------------------------------------

DenseModel::DenseModel(const AEConfig& c) : own_(std::make_unique<Autoencoder<float>>(c)), ae_(own_.get()) {}
DenseModel::DenseModel(Autoencoder<float> ae)
    : own_(std::make_unique<Autoencoder<float>>(std::move(ae))), ae_(own_.get()) {}

std::unique_ptr<DenseModel> DenseModel::view(Autoencoder<float>& ae) {
    std::unique_ptr<DenseModel> m(new DenseModel());
    m->ae_ = &ae;
    return m;
}

std::unique_ptr<Model> DenseModel::clone() const { return std::make_unique<DenseModel>(*ae_); }

std::vector<ParamGroup> DenseModel::param_groups() const {
    std::vector<ParamGroup> gs;
    for (int i = 0; i < ae_->num_layers(); ++i) {
        const auto& L = ae_->layer(i);
        const std::string name = "layer" + std::to_string(i + 1);
        if (L.w_off >= 0) gs.push_back({name + ".W", L.w_off, L.out * L.in});
        gs.push_back({name + ".b", L.b_off, L.out});
    }
    std::sort(gs.begin(), gs.end(), [](const ParamGroup& a, const ParamGroup& b) { return a.offset < b.offset; });
    return gs;
}

// ---- graph ---------------------------------------------------------------------------------

GraphModel::GraphModel(const Shape& input, const ArchSpec& arch, const GraphObjective& obj) : g_(input, arch) {
    AELAB_REQUIRE(g_.output_shape().size() == input.size(),
                  "an autoencoder reconstructs its input: the graph maps " + std::to_string(input.size()) +
                      " values to " + g_.output_shape().str() + " (" + std::to_string(g_.output_shape().size()) +
                      " values)");
    set_objective(obj);
}

std::vector<ParamGroup> GraphModel::param_groups() const {
    std::vector<ParamGroup> gs;
    for (int i = 0; i < g_.num_layers(); ++i) {
        const Index n = g_.layer(i).num_params();
        if (n == 0) continue;
        // A parametric layer's extra parameters (the last of its slice) are groups of their own:
        // the Monte Carlo search gives each its own scale and always tracks them.
        const std::vector<ExtraParam> extra = g_.layer(i).extra_params(g_.params().data() + g_.offset(i));
        const Index k = Index(extra.size()), first = g_.offset(i);
        const std::string name = "layer" + std::to_string(i + 1);
        gs.push_back({name + "." + layer_kind_name(g_.layer(i).kind()), first, n - k});
        for (Index j = 0; j < k; ++j) gs.push_back({name + "." + extra[std::size_t(j)].name, first + n - k + j, 1});
    }
    return gs;
}

void GraphModel::set_objective(const GraphObjective& obj) {
    g_.check_objective(obj);
    obj_ = obj;
}

Index GraphModel::code_dim() const {
    const GaussianCode<float>* gc = g_.gaussian();
    return gc ? gc->out_shape().size() : g_.code_shape().size();
}

void GraphModel::begin_batch(Rng& rng, Index B) {
    part_ = false;
    if (g_.gaussian()) g_.sample_eps(rng, B, eps_);
}

void GraphModel::use_part(Index first, Index count) {
    part_ = count >= 0;
    if (!part_ || !g_.gaussian()) return;
    AELAB_REQUIRE(first >= 0 && first + count <= eps_.cols(),
                  "use_part: columns " + std::to_string(first) + "+" + std::to_string(count) +
                      " are outside the batch of " + std::to_string(eps_.cols()));
    part_eps_ = eps_.middleCols(first, count);
}

const Mat* GraphModel::batch_eps(Index B) const {
    if (!g_.gaussian()) return nullptr;
    if (part_) {
        AELAB_REQUIRE(part_eps_.cols() == B, "a VAE's part of a batch has " + std::to_string(part_eps_.cols()) +
                                                 " eps columns, the call gave " + std::to_string(B));
        return &part_eps_;
    }
    AELAB_REQUIRE(eps_.cols() == B,
                  "a VAE's training step needs its eps: call begin_batch(rng, " + std::to_string(B) + ") first");
    return &eps_;
}

namespace {
LossParts loss_parts(const GraphLossParts& p) {
    LossParts r;
    r.total = p.total;
    r.recon = p.recon;
    r.mse = p.mse;
    r.kl = p.kl;
    return r;
}
}  // namespace

LossParts GraphModel::forward_backward(const Eigen::Ref<const Mat>& Xin, const Eigen::Ref<const Mat>& Xt) {
    return loss_parts(g_.forward_backward(Xin, Xt, obj_, batch_eps(Xin.cols())));
}

LossParts GraphModel::forward_loss(const Eigen::Ref<const Mat>& Xin, const Eigen::Ref<const Mat>& Xt, bool) {
    return loss_parts(g_.forward_loss(Xin, Xt, obj_, batch_eps(Xin.cols())));
}

LossParts GraphModel::evaluate(const Eigen::Ref<const Mat>& X, Index chunk) {
    AELAB_REQUIRE(X.cols() > 0, "evaluate: empty data set");
    AELAB_REQUIRE(chunk > 0, "evaluate: chunk must be positive");
    LossParts acc;
    for (Index s = 0; s < X.cols(); s += chunk) {
        const Index n = std::min(chunk, X.cols() - s);
        auto Xs = X.middleCols(s, n);
        GraphLossParts p = g_.forward_loss(Xs, Xs, obj_, nullptr);  // mean code
        const double w = double(n) / double(X.cols());
        acc.recon += p.recon * w;
        acc.mse += p.mse * w;
        acc.kl += p.kl * w;
    }
    acc.total = acc.recon + acc.kl;
    return acc;
}

std::unique_ptr<Model> make_dense_model(const AEConfig& c) { return std::make_unique<DenseModel>(c); }

std::unique_ptr<Model> make_graph_model(const Shape& input, const ArchSpec& arch, const GraphObjective& obj) {
    return std::make_unique<GraphModel>(input, arch, obj);
}

}  // namespace aelab
