// panel_model.cpp: the control column's Model section (see panels.hpp): the model kind
// (autoencoder / VAE) with the VAE's beta, a preset's layer graph (net, read-only, with its
// parameter count), hidden layers, code size, activations, loss, tied weights, seed and the
// dense autoencoder's loss-only options (input noise, sparsity, weight decay). Settings are
// edited in place; the controller rebuilds or keeps the model next frame (a beta change keeps
// the weights: Settings::objective_differs).
#include "controls_util.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "theme.hpp"
#include "widgets.hpp"

#include "aelab/graph.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace aelab::app {
namespace {

// Hidden widths: edited in st.width_edit, committed when the slider is released.
void ShowHiddenLayers(Settings& s, ControlsState& st, float full, int dim) {
    if (st.width_edit.size() != s.hidden.size() || !ImGui::IsAnyItemActive()) st.width_edit = s.hidden;
    ImGui::TextColored(theme::kTextDim, "hidden layers (decoder mirrors them)");
    int remove = -1;
    for (size_t i = 0; i < st.width_edit.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        // Value inside the slider, "layer i" as its label on the right (like the other
        // controls), then the remove button.
        char lab[32];
        std::snprintf(lab, sizeof lab, "layer %d", static_cast<int>(i) + 1);
        const ImGuiStyle& sty = ImGui::GetStyle();
        const float lw = ImGui::CalcTextSize(lab).x + sty.ItemInnerSpacing.x;
        ImGui::SetNextItemWidth(std::max(40.0f, full - ImGui::GetFrameHeight() - sty.ItemSpacing.x - lw));
        ImGui::SliderInt(lab, &st.width_edit[i], 1, 512, "%d", ImGuiSliderFlags_Logarithmic);
        Tip("model.hidden");
        if (ImGui::IsItemDeactivatedAfterEdit()) {
            s.hidden = st.width_edit;
            s.preset.clear();
        }
        ImGui::SameLine();
        if (ImGui::Button("-", ImVec2(ImGui::GetFrameHeight(), 0))) remove = static_cast<int>(i);
        Tip("model.remove");
        ImGui::PopID();
    }
    if (remove >= 0) {
        s.hidden.erase(s.hidden.begin() + remove);
        s.acts.erase(s.acts.begin() + remove);
        s.acts.erase(s.acts.end() - 1 - remove);
        s.fit_acts();
        s.preset.clear();
    }
    const bool add = static_cast<int>(s.hidden.size()) < kMaxHiddenLayers && ImGui::Button("+ hidden layer", ImVec2(full, 0));
    if (static_cast<int>(s.hidden.size()) < kMaxHiddenLayers) Tip("model.add");
    if (add) {
        const int w = s.hidden.empty() ? (dim > 100 ? 128 : 16) : std::max(2, s.hidden.back() / 2);
        const Activation a = s.acts.empty() ? Activation::ELU : s.acts.front();
        s.hidden.push_back(w);
        s.acts.assign(2 * s.hidden.size(), a);
        s.preset.clear();
    }
}

// `vae`: the mirrored dense VAE uses one hidden activation for every layer, a Gaussian code
// and a sigmoid output, so only the hidden activation is offered.
void ShowActivations(Settings& s, float full, bool vae) {
    const auto name = [](Activation a) { return activation_name(a); };
    if (vae) {
        if (s.hidden.empty()) return;
        Activation a = s.acts.empty() ? Activation::ELU : s.acts.front();
        ImGui::SetNextItemWidth(full * 0.5f);
        if (EnumCombo("hidden act", &a, all_activations(), name)) {
            s.set_all_acts(a);
            s.preset.clear();
        }
        Tip("model.hidden_act");
        return;
    }
    if (!s.hidden.empty()) {
        Activation a = s.acts.empty() ? Activation::ReLU : s.acts.front();
        ImGui::SetNextItemWidth(full * 0.5f);
        if (EnumCombo("hidden act", &a, all_activations(), name, s.all_acts_equal() ? nullptr : "(per layer)")) {
            s.set_all_acts(a);
            s.preset.clear();
        }
        Tip("model.hidden_act");
        const bool open = ImGui::TreeNode("per layer");
        Tip("model.per_layer");
        if (open) {
            const int nh = static_cast<int>(s.hidden.size());
            for (int i = 0; i < 2 * nh; ++i) {
                ImGui::PushID(100 + i);
                char lab[48];
                std::snprintf(lab, sizeof lab, i < nh ? "enc %d (%d)" : "dec %d (%d)", i < nh ? i + 1 : i - nh + 1,
                              i < nh ? s.hidden[i] : s.hidden[2 * nh - 1 - i]);
                ImGui::SetNextItemWidth(full * 0.45f);
                if (EnumCombo(lab, &s.acts[i], all_activations(), name)) s.preset.clear();
                Tip("model.hidden_act");
                ImGui::PopID();
            }
            ImGui::TreePop();
        }
    }
    ImGui::SetNextItemWidth(full * 0.5f);
    if (EnumCombo("code act", &s.code_act, all_activations(), name)) s.preset.clear();
    Tip("model.code_act");
    // The output layer: the activations core accepts there (linear or sigmoid).
    std::vector<Activation> outs;
    for (Activation a : all_activations())
        if (a == Activation::Identity || a == Activation::Sigmoid) outs.push_back(a);
    ImGui::SetNextItemWidth(full * 0.5f);
    if (EnumCombo("output act", &s.out_act, outs, name)) {
        if (s.out_act != Activation::Sigmoid) s.loss = ReconLoss::MSE;
        s.preset.clear();
    }
    Tip("model.out_act");
}

// The combos' labels of noise and sparsity kinds are core's noise_label / sparsity_label.

// A typical level for a newly chosen corruption (the course's: Gaussian 0.2, dropout 0.5).
double default_noise_level(Noise n) {
    switch (n) {
        case Noise::Gaussian: return 0.2;
        case Noise::Dropout: return 0.5;
        case Noise::Masking: return 0.3;
        case Noise::SaltPepper: return 0.1;
        case Noise::None: break;
    }
    return 0;
}

// Input noise, code sparsity, weight decay and the contractive penalty: they change the loss, not the layers, so the
// controller keeps the weights (Settings::objective_differs).
void ShowObjectiveControls(Settings& s, float full) {
    ImGui::TextColored(theme::kTextDim, "regularization (weights kept on change)");
    ImGui::SetNextItemWidth(full * 0.5f);
    if (EnumCombo("input noise", &s.noise, all_noises(), noise_label)) {
        s.noise_level = default_noise_level(s.noise);
        s.preset.clear();
    }
    Tip("reg.noise");
    if (s.noise != Noise::None) {
        float lv = static_cast<float>(s.noise_level);
        const bool gauss = s.noise == Noise::Gaussian;
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::SliderFloat(gauss ? "noise stddev" : "noise probability", &lv, 0.0f, gauss ? 1.0f : 0.95f, "%.2f")) {
            s.noise_level = round_sig(std::clamp(static_cast<double>(lv), 0.0, gauss ? 1.0 : 0.95), 2);
            s.preset.clear();
        }
        Tip("reg.noise_level");
    }
    ImGui::SetNextItemWidth(full * 0.5f);
    if (EnumCombo("sparsity", &s.sparsity, all_sparsities(), sparsity_label)) {
        s.sparsity_weight = s.sparsity == Sparsity::KL ? 0.05 : s.sparsity == Sparsity::L1 ? 1e-3 : 0;
        s.sparsity_target = s.sparsity == Sparsity::KL ? 0.1 : 0.05;
        if (s.sparsity == Sparsity::KL) s.code_act = Activation::Sigmoid;  // KL compares rates
        s.preset.clear();
    }
    Tip("reg.sparsity");
    if (s.sparsity != Sparsity::None) {
        float w = static_cast<float>(s.sparsity_weight);
        ImGui::SetNextItemWidth(full * 0.5f);
        // "%.6g": see the learning rate below (a "%.2g" log slider starts at 0.01).
        if (ImGui::SliderFloat("sparsity weight", &w, 1e-5f, 10.0f, "%.6g", ImGuiSliderFlags_Logarithmic)) {
            s.sparsity_weight = round_sig(std::clamp(static_cast<double>(w), 1e-5, 10.0), 3);
            s.preset.clear();
        }
        Tip("reg.sparsity_weight");
    }
    if (s.sparsity == Sparsity::KL) {
        float t = static_cast<float>(s.sparsity_target);
        ImGui::SetNextItemWidth(full * 0.5f);
        if (ImGui::SliderFloat("target rate", &t, 0.01f, 0.5f, "%.2f")) {
            s.sparsity_target = round_sig(std::clamp(static_cast<double>(t), 0.01, 0.5), 2);
            s.preset.clear();
        }
        Tip("reg.target_rate");
        if (s.code_act != Activation::Sigmoid) {
            ImGui::TextColored(theme::kTextWarn, "KL needs a sigmoid code");
            ImGui::SameLine();
            if (ImGui::SmallButton("use sigmoid")) s.code_act = Activation::Sigmoid;
        } else {
            ImGui::TextColored(theme::kTextDim, "KL: the code is sigmoid (rates in [0, 1])");
        }
    }
    float wd = static_cast<float>(s.weight_decay);
    ImGui::SetNextItemWidth(full * 0.5f);
    if (ImGui::SliderFloat("weight decay", &wd, 0.0f, 0.1f, wd > 0 ? "%.6g" : "off", ImGuiSliderFlags_Logarithmic)) {
        s.weight_decay = wd < 1e-6f ? 0.0 : round_sig(std::clamp(static_cast<double>(wd), 0.0, 0.1), 3);
        s.preset.clear();
    }
    Tip("reg.weight_decay");
    float cae = static_cast<float>(s.contractive);  // log slider; the far left is off
    ImGui::SetNextItemWidth(full * 0.5f);
    if (ImGui::SliderFloat("contractive", &cae, 0.0f, 10.0f, cae > 0 ? "%.6g" : "off", ImGuiSliderFlags_Logarithmic)) {
        s.contractive = cae < 1e-5f ? 0.0 : round_sig(std::clamp(static_cast<double>(cae), 0.0, 10.0), 3);
        s.preset.clear();
    }
    Tip("reg.contractive");
}

// Greedy layer-wise pretraining (Session: the phases, then fine-tuning): a checkbox and the
// epochs of each phase. Both build a new model; one that cannot be pretrained (no hidden
// layer) is refused by the controller with the core's reason and the checkbox goes back.
void ShowPretrain(Settings& s, float full) {
    if (ImGui::Checkbox("layer-wise pretraining", &s.pretrain)) {
        if (!s.pretrain) s.pretrain_epochs = 1;
        s.preset.clear();
    }
    Tip("model.pretrain");
    if (!s.pretrain) return;
    int pe = s.pretrain_epochs;
    ImGui::SetNextItemWidth(full * 0.5f);
    if (ImGui::InputInt("epochs/phase", &pe, 1, 1)) {
        pe = std::clamp(pe, 1, kMaxPretrainEpochs);
        if (pe != s.pretrain_epochs) {
            s.pretrain_epochs = pe;
            s.preset.clear();
        }
    }
    Tip("model.pretrain_epochs");
}

// Autoencoder or VAE. A VAE is the dense VAE mirrored around a Gaussian code (or a net with
// one); switching kind drops a net of the other kind. Layer graphs have no dense-only options.
void ShowModelKind(Settings& s, float full) {
    int kind = s.vae ? 1 : 0;
    // The page's VAE has a Bernoulli (sigmoid) decoder: pixels in [0, 1], so image sets only.
    const bool locked = !s.vae && !is_image_dataset(s.dataset);
    ImGui::SetNextItemWidth(full * 0.5f);
    ImGui::BeginDisabled(locked);
    const bool picked = ImGui::Combo("model", &kind, "autoencoder\0VAE (variational)\0");
    ImGui::EndDisabled();
    if (picked) {
        const bool vae = kind == 1;
        if (vae != s.vae) {
            s.vae = vae;
            if (!s.net.empty()) s.net.clear();  // a net is one kind or the other
            if (vae) {
                s.out_act = Activation::Sigmoid;
                if (is_image_dataset(s.dataset)) s.loss = ReconLoss::BCE;  // the Bernoulli decoder
                if (s.hidden.empty()) s.hidden = {dataset_dim(s.dataset) > 100 ? 256 : 16};
                s.fit_acts();
            }
            s.clear_dense_variants();
            if (vae) s.pretrain = false, s.pretrain_epochs = 1;  // a layer graph: nothing to stack
            s.preset.clear();
        }
    }
    Tip(locked ? "model.kind_images" : "model.kind");
}

// beta: logarithmic 0.01 .. 100, and 0 (reconstruction only, no KL pull) with its own button.
void ShowBeta(Settings& s, float full) {
    float b = static_cast<float>(std::max(0.01, s.beta));
    ImGui::SetNextItemWidth(full * 0.5f);
    if (ImGui::SliderFloat("beta (KL weight)", &b, 0.01f, 100.0f, s.beta == 0 ? "0 (KL off)" : "%.3g",
                           ImGuiSliderFlags_Logarithmic)) {
        s.beta = round_sig(std::clamp(static_cast<double>(b), 0.01, 100.0), 3);
        s.preset.clear();
    }
    Tip("model.beta");
    ImGui::SameLine();
    if (ImGui::SmallButton(s.beta == 0 ? "1" : "0")) {
        s.beta = s.beta == 0 ? 1.0 : 0.0;
        s.preset.clear();
    }
    Tip("model.beta_zero");
}

// A net (conv presets): shown read-only with its parameter count; "dense layers" drops it.
void ShowNet(Settings& s, float full, int dim) {
    ImGui::TextColored(theme::kTextDim, "layer graph (from the preset or URL):");
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(s.net.c_str());
    Index n = 0;
    try {
        n = graph_param_count(Shape{dim, 1, 1}, parse_arch(s.net));
    } catch (const Error&) {
        n = 0;  // sanitize() keeps only nets that fit; shown as unknown otherwise
    }
    if (n > 0) ImGui::TextColored(theme::kTextDim, "%lld parameters", static_cast<long long>(n));
    ImGui::PopTextWrapPos();
    Tip("model.net");
    if (ImGui::Button("use dense layers instead", ImVec2(full, 0))) {
        s.net.clear();
        s.preset.clear();
    }
    Tip("model.net_drop");
}

void ShowSeed(Settings& s, float full) {
    int seed = static_cast<int>(s.seed % 1000000);
    ImGui::SetNextItemWidth(full * 0.35f);
    if (ImGui::InputInt("seed", &seed, 1, 10)) {
        s.seed = static_cast<std::uint64_t>(std::max(0, seed));
        s.preset.clear();
    }
    Tip("model.seed");
}

// The loss of a net: BCE needs its sigmoid output (the net says whether it has one).
void ShowGraphLoss(Settings& s, float full) {
    ImGui::SetNextItemWidth(full * 0.5f);
    const std::string cur = loss_label(s.loss);
    if (ImGui::BeginCombo("loss", cur.c_str())) {
        for (ReconLoss l : all_losses()) {
            const bool ok = l == ReconLoss::MSE || s.out_act == Activation::Sigmoid;
            if (ok && ImGui::Selectable(loss_label(l).c_str(), l == s.loss) && l != s.loss) {
                s.loss = l;
                s.preset.clear();
            }
        }
        ImGui::EndCombo();
    }
    Tip("model.loss");
}

}  // namespace

void ShowModelSection(PanelContext& cx, ControlsState& st) {
    if (!ImGui::CollapsingHeader("Model", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const float full = ImGui::GetContentRegionAvail().x;
    Settings& s = cx.ctl.settings_mut();
    const int dim = dataset_dim(s.dataset);
    ShowModelKind(s, full);
    if (s.vae) ShowBeta(s, full);
    if (!s.net.empty()) {
        ShowNet(s, full, dim);
        ShowGraphLoss(s, full);
        ShowSeed(s, full);
        return;
    }
    ShowHiddenLayers(s, st, full, dim);
    int k = s.latent;
    ImGui::SetNextItemWidth(full * 0.5f);
    if (ImGui::InputInt("latent k", &k, 1, 1)) {
        k = std::clamp(k, 1, std::min(kMaxLatent, dim - 1));
        if (k != s.latent) {
            s.latent = k;
            s.preset.clear();
        }
    }
    Tip("model.latent");
    ShowActivations(s, full, s.vae);
    // BCE needs the sigmoid output; the generated sets offer MSE only.
    std::vector<ReconLoss> losses;
    for (ReconLoss l : all_losses())
        if (l == ReconLoss::MSE || is_image_dataset(s.dataset)) losses.push_back(l);
    ImGui::SetNextItemWidth(full * 0.5f);
    const std::string cur = loss_label(s.loss);
    if (ImGui::BeginCombo("loss", cur.c_str())) {
        for (ReconLoss l : losses)
            if (ImGui::Selectable(loss_label(l).c_str(), l == s.loss) && l != s.loss) {
                s.loss = l;
                if (l == ReconLoss::BCE) s.out_act = Activation::Sigmoid;
                s.preset.clear();
            }
        ImGui::EndCombo();
    }
    Tip("model.loss");
    if (!s.vae) {
        if (ImGui::Checkbox("tied weights", &s.tied)) s.preset.clear();
        Tip("model.tied");
        ImGui::SameLine();
    }
    ShowSeed(s, full);
    if (!s.vae) ShowPretrain(s, full);
    if (s.vae) {
        TextWrappedColored(theme::kTextDim, "tied weights, input noise, sparsity and weight decay belong to dense "
                                            "autoencoders: the VAE's regularizer is its KL term (beta).");
    } else {
        ShowObjectiveControls(s, full);
    }
    if (cx.ctl.ready()) {
        Session& se = cx.ctl.session();
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(theme::kTextDim, "%s, %lld parameters", se.model().arch_string().c_str(),
                           static_cast<long long>(se.model().num_params()));
        if (se.pretrainer()) {
            // Which layer trains now (or that the unrolled model fine-tunes).
            ImGui::TextColored(se.pretraining() ? theme::kTextWarn : theme::kTextDim, "%s", se.phase_label().c_str());
            if (se.pretraining())
                ImGui::TextColored(theme::kTextDim, "views: the phases so far, unrolled into the full model");
        }
        ImGui::PopTextWrapPos();
    }
}

}  // namespace aelab::app
